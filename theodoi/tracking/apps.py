from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    """The composed task pages and the progress chain, above reporting and alerts."""

    name = "theodoi.tracking"
    label = "tracking"
    verbose_name = _("Task tracking")
