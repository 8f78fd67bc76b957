"""Reads of alerts, always scoped to the person asking (``core.access``)."""

from django.db.models import Q, QuerySet

from theodoi.alerts.models import Alert
from theodoi.core.access import is_global, org_scope
from theodoi.org.models import Role, User
from theodoi.plans.models import Task


def alerts_for_user(user: User, *, open_only: bool = True) -> QuerySet[Alert]:
    """The alerts ``user`` may see, newest first: unit roles those of the tasks and indicators
    their unit leads; everyone else those of their ward or, for the upper level, province."""
    alerts = Alert.objects.filter(org_scope(user)).select_related(
        "organization", "task", "task__plan", "indicator", "indicator__plan", "unit"
    )
    unit_role = user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD)
    if user.is_authenticated and unit_role and not is_global(user):
        if user.unit_id is None:
            return Alert.objects.none()
        # Every lead unit of a task sees its alerts, not only the first one that must act.
        led = Task.objects.filter(lead_units=user.unit_id).values("pk")
        alerts = alerts.filter(
            Q(task__in=led) | Q(indicator__lead_unit=user.unit_id) | Q(unit=user.unit_id)
        )
    if open_only:
        alerts = alerts.filter(closed_at__isnull=True)
    return alerts.order_by("-opened_at", "-id")
