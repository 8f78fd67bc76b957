from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "theodoi.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # A ward's report sent (by its pages, its API or a script) tells the province; reporting
        # sits below this app, so it announces the sending and this app listens.
        from theodoi.reporting.upward import upward_report_sent

        upward_report_sent.connect(_tell_province, dispatch_uid="notifications.upward_sent")


def _tell_province(sender, report, **kwargs) -> None:
    from django.db import transaction

    from theodoi.notifications import events

    with transaction.atomic():
        events.upward_report_sent(report=report)
