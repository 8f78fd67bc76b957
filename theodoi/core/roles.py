"""The six roles of DESIGN.md §5. What each may do is decided in ``core.access``; the role is a
word of the vocabulary, so it lives below every app that stores or checks it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    UNIT_OFFICER = "unit_officer", _("Unit officer")
    UNIT_HEAD = "unit_head", _("Unit head")
    STANDING_OFFICE = "standing_office", _("Standing office")
    LEADER = "leader", _("Leader")
    UPPER_LEVEL = "upper_level", _("Upper level")
    ADMIN = "admin", _("Administrator")
