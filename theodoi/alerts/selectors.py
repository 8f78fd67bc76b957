"""Reads of alerts, always scoped to the person asking (``core.access``)."""

from django.db.models import QuerySet

from theodoi.alerts.models import Alert
from theodoi.core.access import alerts_concerning
from theodoi.org.models import User


def alerts_for_user(user: User, *, open_only: bool = True) -> QuerySet[Alert]:
    """The alerts ``user`` may see, newest first: unit roles those of the tasks and indicators
    their unit leads; everyone else those of their ward or, for the upper level, province."""
    # The e-mail digest asks the same rule, so a person is mailed what their page shows.
    alerts = alerts_concerning(user, Alert.objects.all()).select_related(
        "organization", "task", "task__plan", "indicator", "indicator__plan", "unit"
    )
    if open_only:
        alerts = alerts.filter(closed_at__isnull=True)
    return alerts.order_by("-opened_at", "-id")
