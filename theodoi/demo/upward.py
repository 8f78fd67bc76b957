"""The ward's periodic reports to the city in the demo: the standing office sent the first
quarter's report on plan 110/KH-UBND and the city accepted it; it sent the second quarter's,
which the city returned asking for more figures, so the office has a report to correct and
send again, and the third quarter's is yet to be sent."""

import datetime

from theodoi.core.clock import today
from theodoi.dashboards.services import upward_report_answer
from theodoi.exports.upward import upward_send
from theodoi.org.models import Organization, User
from theodoi.plans.periods import Period
from theodoi.reporting.upward import upward_report_prepare

FIRST, SECOND = Period("quarterly", 2026, 1), Period("quarterly", 2026, 2)
SENT_AFTER = datetime.timedelta(days=7)

# Vietnamese on purpose: the city's reason is what a person of the city typed, content.
RETURN_REASON = "Đề nghị bổ sung số liệu chỉ tiêu tỷ lệ hồ sơ trực tuyến và minh chứng nhiệm vụ 1.2"


def periodic_reports(ward: Organization, users: dict[str, User]) -> None:
    """Through the services, as the office and the city would: each quarter that has ended."""
    plan = ward.plans.filter(number__startswith="110/").first()
    if plan is None:
        return
    office, city = users["vanphong"], users["tinh"]
    # Each sent a week after its quarter ended, within the city's ten days; the city answers
    # through its page's service, so the office is told as it would be.
    ended = [period for period in (FIRST, SECOND) if period.end + SENT_AFTER < today()]
    for period in ended:
        draft = upward_report_prepare(actor=office, plan=plan, period=period)
        sent = upward_send(actor=office, upward=draft, on=period.end + SENT_AFTER)
        upward_report_answer(
            actor=city,
            report=sent,
            accept=period == FIRST,
            reason="" if period == FIRST else RETURN_REASON,
            version=sent.version,
        )
