"""The demo's alerts in use: the standing office has acknowledged one with a note and snoozed
another until after the next monthly meeting, as an office does with the alerts it follows."""

import datetime

from theodoi.alerts.models import Alert
from theodoi.alerts.services import alert_acknowledge, alert_snooze
from theodoi.core.clock import today
from theodoi.org.models import Organization, User


# Vietnamese on purpose: the office's notes are what a person of the ward typed, content.
def acknowledge_and_snooze(ward: Organization, office: User) -> None:
    """Acknowledge the ward's most urgent overdue alert and snooze a behind-schedule one."""
    alerts = Alert.objects.filter(organization=ward, closed_at__isnull=True).order_by("id")
    overdue = alerts.filter(rule=Alert.Rule.OVERDUE).first()
    if overdue is not None:
        alert_acknowledge(
            actor=office,
            alert=overdue,
            note="Đã nhắc đơn vị chủ trì tại giao ban tuần; đơn vị hẹn báo cáo trước cuối tháng.",
        )
    behind = alerts.filter(rule=Alert.Rule.BEHIND_SCHEDULE).first()
    if behind is not None:
        alert_snooze(
            actor=office,
            alert=behind,
            until=today() + datetime.timedelta(days=14),
            note="Chờ kết quả khảo sát; xem lại sau giao ban tháng.",
        )
