"""The alert rules of DESIGN.md §4 as pure functions over plain facts.

The services gather the facts of many tasks and indicators with a handful of queries and ask
here what holds; the same answers serve the report services, the periodic scan and the tests.
A rule returns a ``Finding`` while its condition holds and nothing once it stops holding, which
is what closes an alert.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _

from theodoi.core.text import format_date, format_number
from theodoi.plans.periods import CYCLES, Period, PeriodError, parse_period, periods_between
from theodoi.plans.states import expected_progress

# What a finding's numbers may hold: JSON values, so that what the database gives back compares
# equal to what the rules produce and an unchanged alert is not rewritten on every scan.
Number = int | float | str | None


class Rule(StrEnum):
    """The rules; ``Alert.Rule`` is built from this enum and its labels, so the rules need no
    Django model and the vocabulary is written once."""

    OVERDUE = "overdue"
    BEHIND_SCHEDULE = "behind_schedule"
    EVIDENCE_REJECTED = "evidence_rejected"
    MISSING_REPORT = "missing_report"
    DUE_SOON = "due_soon"
    INDICATOR_OFF_TRACK = "indicator_off_track"
    NO_LEAD_UNIT = "no_lead_unit"

    @property
    def label(self) -> str:
        """The rule's name in the active language."""
        return str(RULE_LABELS[self])


# The one place the rules are named: the alert pages, the model's choices and the e-mail
# digests read them here (gettext_lazy needs no settings, so this module stays pure).
RULE_LABELS: dict[Rule, Any] = {
    Rule.OVERDUE: _("Overdue"),
    Rule.BEHIND_SCHEDULE: _("Behind schedule"),
    Rule.EVIDENCE_REJECTED: _("Evidence rejected"),
    Rule.MISSING_REPORT: _("Missing report"),
    Rule.DUE_SOON: _("Due soon"),
    Rule.INDICATOR_OFF_TRACK: _("Indicator off track"),
    Rule.NO_LEAD_UNIT: _("No lead unit"),
}

ACCEPTED = "accepted"
REJECTED = "rejected"


@dataclass(frozen=True)
class Finding:
    """A rule that holds. ``key`` tells apart several alerts of one rule on one subject (the
    period of a missing report); it is "" otherwise."""

    rule: Rule
    key: str
    numbers: dict[str, Number]
    # Stored with the alert and compared on every scan, so it is one text in the ward's
    # language (Vietnamese on purpose, like the audit trail's summaries): translated at scan
    # time it would store whichever language the request or command happened to run in, and
    # rewrite every open alert when that changed.
    message: str


@dataclass(frozen=True)
class EvidenceFacts:
    """One evidence file of a task that is not withdrawn, with its latest review if any."""

    id: int
    name: str
    uploaded_at: datetime.datetime
    decision: str | None = None  # "accepted" / "rejected" of the latest review; None: not reviewed
    reason: str = ""
    reviewed_at: datetime.datetime | None = None
    reviewed_on: datetime.date | None = None
    review_id: int = 0


@dataclass(frozen=True)
class TaskFacts:
    today: datetime.date
    due: datetime.date | None
    start: datetime.date | None  # the task's start, else the plan's start, else its issue date
    progress: int = 0
    completed_on: datetime.date | None = None
    due_soon_days: int = 14
    reporting_cycle: str = "quarterly"
    report_due_days: int = 5
    reported_periods: frozenset[str] = frozenset()  # periods with a report that was not returned
    evidence: tuple[EvidenceFacts, ...] = ()
    # A parent's progress is rolled up from its subtasks, so its own reports count for nothing
    # and it is never asked for one.
    has_subtasks: bool = False
    # A task nobody leads cannot be urged: it gets one alert for the standing office, which
    # assigns it, instead of overdue or missing-report alerts that no unit would read.
    has_lead_unit: bool = True

    @property
    def complete(self) -> bool:
        return self.completed_on is not None


@dataclass(frozen=True)
class IndicatorFacts:
    today: datetime.date
    comparator: str  # ">=", ">", "<=", "<", "="
    values: Sequence[tuple[str, Decimal]] = ()  # (period, value) in any order
    milestones: Mapping[int, Decimal] = field(default_factory=dict)
    target: Decimal | None = None
    target_year: int | None = None
    unit_of_measure: str = ""


# --- Formatting -------------------------------------------------------------------------------


def _with_unit(value: Decimal, unit: str) -> str:
    number = format_number(value)
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# Vietnamese on purpose: the alert's message is stored with the alert and compared on every scan
# (see Finding), so it is written once in the ward's language, not the reader's.
def _days(count: int) -> str:
    return f"{count} ngày"


# --- Task rules -------------------------------------------------------------------------------


# Vietnamese on purpose: a stored alert message (see Finding).
def overdue(facts: TaskFacts) -> Finding | None:
    """Past due and not complete."""
    if facts.complete or facts.due is None or facts.today <= facts.due:
        return None
    late = (facts.today - facts.due).days
    return Finding(
        Rule.OVERDUE,
        "",
        {"due": facts.due.isoformat(), "days_late": late, "progress": facts.progress},
        f"Quá hạn {_days(late)} (hạn {format_date(facts.due)}), tiến độ {facts.progress}%.",
    )


# Vietnamese on purpose: a stored alert message (see Finding).
def behind_schedule(facts: TaskFacts) -> Finding | None:
    """Progress below half of the progress expected by now."""
    if facts.complete:
        return None
    expected = expected_progress(start=facts.start, due=facts.due, on=facts.today)
    if expected is None or expected <= 0 or facts.progress >= expected / 2:
        return None
    assert facts.due is not None  # expected_progress is None without a due date
    shown = round(expected)
    return Finding(
        Rule.BEHIND_SCHEDULE,
        "",
        {
            "progress": facts.progress,
            "expected": round(expected, 1),
            "start": facts.start.isoformat() if facts.start else None,
            "due": facts.due.isoformat(),
        },
        f"Chậm tiến độ: mới đạt {facts.progress}%, theo kế hoạch đến nay cần khoảng {shown}% "
        f"(hạn {format_date(facts.due)}).",
    )


def _latest_reviewed(evidence: Sequence[EvidenceFacts]) -> EvidenceFacts | None:
    reviewed = [item for item in evidence if item.decision is not None]
    if not reviewed:
        return None
    return max(reviewed, key=lambda item: (item.reviewed_at or item.uploaded_at, item.review_id))


# Vietnamese on purpose: a stored alert message (see Finding).
def evidence_rejected(facts: TaskFacts) -> Finding | None:
    """The latest review of the latest reviewed file rejects it, and no file uploaded after it
    was accepted (an office reviewing an older file late must not hide a newer acceptance)."""
    latest = _latest_reviewed(facts.evidence)
    if latest is None or latest.decision != REJECTED:
        return None
    if any(
        item.decision == ACCEPTED and (item.uploaded_at, item.id) > (latest.uploaded_at, latest.id)
        for item in facts.evidence
    ):
        return None
    when = f" ngày {format_date(latest.reviewed_on)}" if latest.reviewed_on else ""
    reason = f" Lý do: {latest.reason.strip()}" if latest.reason.strip() else ""
    if reason and not reason.endswith((".", "!", "?")):
        reason += "."
    return Finding(
        Rule.EVIDENCE_REJECTED,
        "",
        {
            "evidence": latest.id,
            "file": latest.name,
            "reason": latest.reason,
            "reviewed_on": latest.reviewed_on.isoformat() if latest.reviewed_on else None,
        },
        f"Minh chứng «{latest.name}» bị đánh giá không hợp lệ{when}.{reason} "
        "Cần bổ sung minh chứng khác.",
    )


# Vietnamese on purpose: a stored alert message (see Finding).
def missing_reports(facts: TaskFacts) -> list[Finding]:
    """One finding per ended period of the plan's cycle whose report is overdue and absent."""
    if facts.complete or facts.has_subtasks or facts.start is None:
        return []
    if facts.reporting_cycle not in CYCLES or facts.start > facts.today:
        return []
    findings = []
    for period, report_due in _ended_periods(
        facts.start, facts.today, facts.reporting_cycle, facts.report_due_days
    ):
        if str(period) in facts.reported_periods:
            continue
        # No "days late" in the alert: a number that changes every day would rewrite every
        # open alert on every scan; the due day says the same and stays put.
        findings.append(
            Finding(
                Rule.MISSING_REPORT,
                str(period),
                {"period": str(period), "report_due": report_due.isoformat()},
                f"Chưa có báo cáo {period.label_vi()} (hạn nộp {format_date(report_due)}).",
            )
        )
    return findings


@lru_cache(maxsize=4096)
def _ended_periods(
    start: datetime.date, today: datetime.date, cycle: str, due_days: int
) -> tuple[tuple[Period, datetime.date], ...]:
    """The periods from ``start`` whose report due day has passed by ``today``. Thousands of
    tasks share a start and a cycle, so a scan computes each list once."""
    ended = []
    for period in periods_between(start, today, cycle):
        report_due = period.due(due_days)
        if period.end < today and report_due < today:
            ended.append((period, report_due))
    return tuple(ended)


# Vietnamese on purpose: a stored alert message (see Finding).
def due_soon(facts: TaskFacts) -> Finding | None:
    """Due within ``due_soon_days`` days, not yet past due, not complete."""
    if facts.complete or facts.due is None:
        return None
    left = (facts.due - facts.today).days
    if not 0 <= left <= facts.due_soon_days:
        return None
    when = "đến hạn hôm nay" if left == 0 else f"còn {_days(left)} đến hạn"
    return Finding(
        Rule.DUE_SOON,
        "",
        {"due": facts.due.isoformat(), "days_left": left, "progress": facts.progress},
        f"Sắp đến hạn: {when} ({format_date(facts.due)}), tiến độ {facts.progress}%.",
    )


# Vietnamese on purpose: a stored alert message (see Finding).
def no_lead_unit(facts: TaskFacts) -> Finding | None:
    """Open and led by no unit: the standing office must assign one."""
    if facts.complete or facts.has_lead_unit:
        return None
    when = (
        f" (hạn {format_date(facts.due)})" if facts.due is not None else ", cũng chưa có thời hạn"
    )
    return Finding(
        Rule.NO_LEAD_UNIT,
        "",
        {"due": facts.due.isoformat() if facts.due else None},
        f"Nhiệm vụ chưa được giao đơn vị chủ trì{when}: chưa thể theo dõi, đôn đốc. "
        "Văn phòng cần giao đơn vị chủ trì.",
    )


def task_findings(facts: TaskFacts) -> list[Finding]:
    """Every rule that holds for a task, in a fixed order. A task without a lead unit gets
    only ``no_lead_unit``: the other alerts would be addressed to no unit."""
    if not facts.has_lead_unit:
        finding = no_lead_unit(facts)
        return [finding] if finding is not None else []
    single = [overdue(facts), behind_schedule(facts), evidence_rejected(facts), due_soon(facts)]
    return [finding for finding in single if finding is not None] + missing_reports(facts)


# --- Indicator rule ---------------------------------------------------------------------------


def _period_of_text(text: str) -> Period | None:
    for cycle in CYCLES:
        try:
            return parse_period(text, cycle)
        except PeriodError:
            continue
    return None


def _latest_value(values: Sequence[tuple[str, Decimal]]) -> tuple[Period, Decimal] | None:
    # By the end of the period, so that a plan that changed its cycle still compares "2026-Q3"
    # with "2026-11" by date rather than by spelling.
    parsed = [(p, value) for text, value in values if (p := _period_of_text(text)) is not None]
    if not parsed:
        return None
    return max(parsed, key=lambda item: (item[0].end, item[0].start))


def _meets(value: Decimal, comparator: str, expected: Decimal) -> bool:
    if comparator == ">":
        return value > expected
    if comparator == "<=":
        return value <= expected
    if comparator == "<":
        return value < expected
    if comparator == "=":
        return value == expected
    return value >= expected


# Vietnamese on purpose: a stored alert message (see Finding).
def indicator_off_track(facts: IndicatorFacts) -> Finding | None:
    """The latest value misses this year's milestone (or the target, in its year) in the
    indicator's direction."""
    year = facts.today.year
    expected = facts.milestones.get(year)
    if expected is None and facts.target_year == year:
        expected = facts.target
    latest = _latest_value(facts.values)
    if expected is None or latest is None:
        return None
    period, value = latest
    if _meets(value, facts.comparator, expected):
        return None
    sign = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}.get(facts.comparator, "≥")
    unit = facts.unit_of_measure.strip()
    return Finding(
        Rule.INDICATOR_OFF_TRACK,
        "",
        {
            "period": str(period),
            "value": _json_number(value),
            "expected": _json_number(expected),
            "comparator": facts.comparator,
            "year": year,
        },
        f"Chưa đạt lộ trình năm {year}: {period.label_vi()} đạt {_with_unit(value, unit)}, "
        f"yêu cầu {sign} {_with_unit(expected, unit)}.",
    )


def indicator_findings(facts: IndicatorFacts) -> list[Finding]:
    finding = indicator_off_track(facts)
    return [finding] if finding is not None else []
