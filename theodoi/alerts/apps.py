from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "theodoi.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from theodoi.alerts import signals

        signals.connect()
