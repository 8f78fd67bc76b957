"""The demo's alerts in use: the standing office has acknowledged one with a note and snoozed
another until after the next monthly meeting, as an office does with the alerts it follows."""

import datetime

from theodoi.alerts.models import Alert
from theodoi.alerts.services import alert_acknowledge, alert_snooze
from theodoi.core.clock import today
from theodoi.org.models import Organization, User


# Vietnamese on purpose: the office's notes are what a person of the ward typed, content.
def acknowledge_and_snooze(ward: Organization, office: User) -> None:
    """Acknowledge the ward's most urgent overdue alert and snooze a behind-schedule one, or,
    while no task can be behind yet (the plan reports yearly, so none is judged before its first
    year ends), one for rejected evidence."""
    alerts = Alert.objects.filter(organization=ward, closed_at__isnull=True).order_by("id")
    overdue = alerts.filter(rule=Alert.Rule.OVERDUE).first()
    if overdue is not None:
        alert_acknowledge(
            actor=office,
            alert=overdue,
            note="Đã nhắc đơn vị chủ trì tại giao ban tuần; đơn vị hẹn báo cáo trước cuối tháng.",
        )
    followed = (
        alerts.filter(rule=Alert.Rule.BEHIND_SCHEDULE).first()
        or alerts.filter(rule=Alert.Rule.EVIDENCE_REJECTED).first()
    )
    if followed is not None:
        alert_snooze(
            actor=office,
            alert=followed,
            until=today() + datetime.timedelta(days=14),
            note="Chờ đơn vị bổ sung; xem lại sau giao ban tháng.",
        )
