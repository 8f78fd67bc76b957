"""What this app hears from the apps below it: a ward's periodic report sent (by its pages,
its API or a script) tells the province. Reporting sits below this app, so it announces the
sending and this app listens."""

from django.db import transaction
from django.dispatch import receiver

from theodoi.notifications import events
from theodoi.reporting.upward import upward_report_sent


@receiver(upward_report_sent, dispatch_uid="notifications.upward_report_sent")
def tell_the_province(sender, report, **kwargs) -> None:
    # Sent once the sending is committed: the notifications are a write of their own.
    with transaction.atomic():
        events.upward_report_sent(report=report)
