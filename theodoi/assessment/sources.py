"""Criteria answered from the tracking data (``framework.SOURCES``): the same facts the unit
ranking counts (``ranking.selectors.unit_facts``), for the campaign's year up to today, so the
toolkit and the ranking never disagree about a unit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from theodoi.org.models import Organization, User
from theodoi.ranking.scoring import UnitFacts
from theodoi.ranking.selectors import unit_facts


@dataclass(frozen=True)
class Filled:
    value: Decimal | int | None  # None: nothing to count yet, so not applicable to the unit
    detail: str  # how it was computed, shown beside the answer


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# Vietnamese on purpose: the detail is stored with the answer (Answer.source_detail) and in its
# audit record, in the ward's language, whoever's page triggered the computation.
def fill(source: str, facts: UnitFacts | None) -> Filled:
    """The answer of one sourced criterion from a unit's facts. Pure."""
    if facts is None:
        return Filled(None, "Đơn vị không chủ trì nhiệm vụ nào trong các kế hoạch đang theo dõi.")
    if source == "tasks_on_time":
        if not facts.tasks_due:
            return Filled(None, "Chưa có nhiệm vụ nào của đơn vị đến hạn trong năm.")
        return Filled(
            _percent(facts.done_on_time, facts.tasks_due),
            f"{facts.done_on_time}/{facts.tasks_due} nhiệm vụ đến hạn đã hoàn thành đúng hạn.",
        )
    if source == "reports_on_time":
        if not facts.reports_due:
            return Filled(None, "Chưa có kỳ báo cáo nào của đơn vị đến hạn trong năm.")
        return Filled(
            _percent(facts.reports_on_time, facts.reports_due),
            f"{facts.reports_on_time}/{facts.reports_due} báo cáo gửi đúng hạn.",
        )
    if source == "tasks_done":
        if not facts.tasks_due:
            return Filled(None, "Chưa có nhiệm vụ nào của đơn vị đến hạn trong năm.")
        done = facts.done_on_time + facts.done_late
        return Filled(
            done,
            f"{done} nhiệm vụ đến hạn trong năm đã hoàn thành "
            f"({facts.done_on_time} đúng hạn, {facts.done_late} trễ hạn).",
        )
    raise ValueError(source)  # framework.parse admits no other source


def facts_by_unit(
    user: User, ward: Organization, *, year: int, today: datetime.date
) -> dict[int, UnitFacts]:
    start = datetime.date(year, 1, 1)
    end = min(datetime.date(year, 12, 31), today)
    return {f.unit_id: f for f in unit_facts(user, ward, today=today, start=start, end=end)}
