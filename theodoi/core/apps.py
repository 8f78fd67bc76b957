from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "theodoi.core"
    label = "core"
    verbose_name = _("General")

    def ready(self):
        from theodoi.core import checks  # noqa: F401  (registers the system checks)
