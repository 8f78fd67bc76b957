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
from theodoi.plans.periods import (
    CYCLES,
    Period,
    PeriodError,
    first_period_end,
    parse_period,
    periods_between,
)
from theodoi.plans.states import expected_progress

# What a finding's numbers may hold: JSON values, so that what the database gives back compares
# equal to what the rules produce and an unchanged alert is not rewritten on every scan.
Number = int | float | str | None | list[Any]


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
    UPWARD_REPORT_LATE = "upward_report_late"
    UPWARD_REPORT_DUE_SOON = "upward_report_due_soon"

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
    Rule.UPWARD_REPORT_LATE: _("Periodic report not sent"),
    Rule.UPWARD_REPORT_DUE_SOON: _("Periodic report due soon"),
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
    replaces: int | None = None  # the file this one was uploaded to replace


@dataclass(frozen=True)
class TaskFacts:
    today: datetime.date
    due: datetime.date | None
    start: datetime.date | None  # ``Task.start``: the task's start, else its plan's
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


def _date(value: Any) -> datetime.date | None:
    """A day stored in an alert's numbers (ISO text), or None when absent or unreadable."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# --- Task rules -------------------------------------------------------------------------------


# Vietnamese on purpose: a stored alert message (see Finding).
def overdue(facts: TaskFacts) -> Finding | None:
    """Past due and not complete."""
    if facts.complete or facts.due is None or facts.today <= facts.due:
        return None
    # The days late are counted when the alert is shown (``shown``): stored, they would
    # rewrite every overdue alert every day.
    numbers: dict[str, Number] = {"due": facts.due.isoformat(), "progress": facts.progress}
    return Finding(Rule.OVERDUE, "", numbers, _overdue_text(numbers, None))


# Vietnamese on purpose: a stored alert message (see Finding).
def _overdue_text(numbers: Mapping[str, Any], today: datetime.date | None) -> str:
    due = _date(numbers.get("due"))
    if due is None:
        return "Quá hạn."
    late = f" {_days(max((today - due).days, 1))}" if today is not None else ""
    return f"Quá hạn{late} (hạn {format_date(due)}), tiến độ {numbers.get('progress', 0)}%."


def behind_expected(facts: TaskFacts) -> float | None:
    """The progress expected by now when the task is behind schedule, else None: progress
    below half of it, judged from the last day of the task's first reporting period on
    (``judged_from``): before any report was due, any task at 0 % would be "behind". The
    condition of ``behind_schedule``, for a list of many tasks that needs no alert text."""
    if facts.complete:
        return None
    judged = judged_from(facts)
    if judged is None or facts.today < judged:
        return None
    expected = expected_progress(start=facts.start, due=facts.due, on=facts.today)
    if expected is None or expected <= 0 or facts.progress >= expected / 2:
        return None
    return expected


# Vietnamese on purpose: a stored alert message (see Finding).
def behind_schedule(facts: TaskFacts) -> Finding | None:
    """Behind schedule (``behind_expected``)."""
    if behind_expected(facts) is None:
        return None
    assert facts.due is not None  # expected_progress is None without a due date
    # The progress expected grows every day: it is worked out when the alert is shown.
    numbers: dict[str, Number] = {
        "progress": facts.progress,
        "start": facts.start.isoformat() if facts.start else None,
        "due": facts.due.isoformat(),
    }
    return Finding(Rule.BEHIND_SCHEDULE, "", numbers, _behind_text(numbers, None))


# Vietnamese on purpose: a stored alert message (see Finding).
def _behind_text(numbers: Mapping[str, Any], today: datetime.date | None) -> str:
    due, start = _date(numbers.get("due")), _date(numbers.get("start"))
    expected = expected_progress(start=start, due=due, on=today) if today is not None else None
    needed = (
        f", theo kế hoạch đến nay cần khoảng {round(expected)}%" if expected is not None else ""
    )
    when = f" (hạn {format_date(due)})" if due is not None else ""
    return f"Chậm tiến độ: mới đạt {numbers.get('progress', 0)}%{needed}{when}."


def judged_from(facts: TaskFacts) -> datetime.date | None:
    """The first day a task may be behind schedule: the last day of the period of its
    reporting cycle that contains its start. None without a start (nothing is expected then).
    A cycle the rules do not know gets no grace: the task is judged from its start."""
    if facts.start is None:
        return None
    if facts.reporting_cycle not in CYCLES:
        return facts.start
    return first_period_end(facts.start, facts.reporting_cycle)


def _replacements(evidence: Sequence[EvidenceFacts]) -> dict[int, list[EvidenceFacts]]:
    by_replaced: dict[int, list[EvidenceFacts]] = {}
    for item in evidence:
        if item.replaces is not None:
            by_replaced.setdefault(item.replaces, []).append(item)
    return by_replaced


def _resolved(item_id: int, replacements: Mapping[int, list[EvidenceFacts]]) -> bool:
    """Whether a file that replaces ``item_id`` (or replaces one of those, and so on) was
    accepted."""
    seen: set[int] = set()
    pending = [item_id]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for replacement in replacements.get(current, ()):
            if replacement.decision == ACCEPTED:
                return True
            pending.append(replacement.id)
    return False


def rejected_outstanding(evidence: Sequence[EvidenceFacts]) -> list[EvidenceFacts]:
    """The rejected files still to be answered, oldest review first: a rejected file stays
    until a file that replaces it is accepted (or it is withdrawn, and then it is not among the
    facts). An accepted file that replaces nothing answers no rejection; a rejected file whose
    replacement was rejected too is answered by that replacement's row, not listed twice."""
    replacements = _replacements(evidence)
    outstanding = [
        item
        for item in evidence
        if item.decision == REJECTED
        and not _resolved(item.id, replacements)
        and not any(r.decision == REJECTED for r in replacements.get(item.id, ()))
    ]
    return sorted(outstanding, key=lambda item: (item.reviewed_at or item.uploaded_at, item.id))


def _reason_text(item: EvidenceFacts) -> str:
    reason = item.reason.strip()
    if reason and not reason.endswith((".", "!", "?")):
        reason += "."
    return reason


# Vietnamese on purpose: a stored alert message (see Finding).
def evidence_rejected(facts: TaskFacts) -> Finding | None:
    """Rejected files not yet answered by an accepted replacement (``rejected_outstanding``),
    all of them in one finding."""
    outstanding = rejected_outstanding(facts.evidence)
    if not outstanding:
        return None
    files: list[Any] = [
        {
            "evidence": item.id,
            "file": item.name,
            "reason": item.reason,
            "reviewed_on": item.reviewed_on.isoformat() if item.reviewed_on else None,
        }
        for item in outstanding
    ]
    if len(outstanding) == 1:
        (item,) = outstanding
        when = f" ngày {format_date(item.reviewed_on)}" if item.reviewed_on else ""
        reason = f" Lý do: {_reason_text(item)}" if _reason_text(item) else ""
        message = (
            f"Minh chứng «{item.name}» bị đánh giá không hợp lệ{when}.{reason} "
            "Cần bổ sung minh chứng thay thế."
        )
    else:
        listed = "; ".join(
            f"«{item.name}»"
            + (f" ({_reason_text(item).rstrip('.')})" if item.reason.strip() else "")
            for item in outstanding
        )
        message = (
            f"{len(outstanding)} minh chứng bị đánh giá không hợp lệ: {listed}. "
            "Cần bổ sung minh chứng thay thế."
        )
    return Finding(Rule.EVIDENCE_REJECTED, "", {"files": files}, message)


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
    numbers: dict[str, Number] = {"due": facts.due.isoformat(), "progress": facts.progress}
    return Finding(Rule.DUE_SOON, "", numbers, _due_soon_text(numbers, None))


# Vietnamese on purpose: the short phrases make the stored alert text (see Finding).
def _left(due: datetime.date, today: datetime.date | None) -> str:
    if today is None:
        return "sắp đến hạn"
    left = max((due - today).days, 0)
    return "đến hạn hôm nay" if left == 0 else f"còn {_days(left)} đến hạn"


# Vietnamese on purpose: a stored alert message (see Finding).
def _due_soon_text(numbers: Mapping[str, Any], today: datetime.date | None) -> str:
    due = _date(numbers.get("due"))
    if due is None:
        return "Sắp đến hạn."
    return (
        f"Sắp đến hạn: {_left(due, today)} ({format_date(due)}), "
        f"tiến độ {numbers.get('progress', 0)}%."
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


# --- The ward's periodic report to the level above ------------------------------------------


@dataclass(frozen=True)
class UpwardFacts:
    """A ward's plan that reports upward: the periods of its upward cycle from ``start``, each
    due ``due_days`` after it ends, and the periods whose report was sent (sent or accepted; a
    returned one must be sent again)."""

    today: datetime.date
    start: datetime.date
    cycle: str  # "monthly" or "quarterly"
    due_days: int
    sent_periods: frozenset[str] = frozenset()
    due_soon_days: int = 14


# Vietnamese on purpose: a stored alert message (see Finding).
def upward_reports(facts: UpwardFacts) -> list[Finding]:
    """One finding per period whose report to the level above is not sent: late once its due
    day has passed, due soon within ``due_soon_days`` of it. Sending it ends the finding."""
    if facts.cycle not in CYCLES or facts.start > facts.today:
        return []
    findings = []
    for period in periods_between(facts.start, facts.today, facts.cycle):
        if str(period) in facts.sent_periods:
            continue
        due = period.due(facts.due_days)
        numbers: dict[str, Number] = {"period": str(period), "due_on": due.isoformat()}
        if facts.today > due:
            findings.append(
                Finding(
                    Rule.UPWARD_REPORT_LATE,
                    str(period),
                    numbers,
                    f"Chưa gửi báo cáo {period.label_vi()} lên cấp trên (hạn {format_date(due)}).",
                )
            )
        elif (due - facts.today).days <= facts.due_soon_days:
            # The days left are counted when the alert is shown (``shown``).
            findings.append(
                Finding(
                    Rule.UPWARD_REPORT_DUE_SOON,
                    str(period),
                    numbers,
                    _upward_soon_text(numbers, None),
                )
            )
    return findings


# Vietnamese on purpose: a stored alert message (see Finding).
def _upward_soon_text(numbers: Mapping[str, Any], today: datetime.date | None) -> str:
    due = _date(numbers.get("due_on"))
    period = _period_of_text(str(numbers.get("period", "")))
    label = period.label_vi() if period is not None else str(numbers.get("period", ""))
    if due is None:
        return f"Sắp đến hạn gửi báo cáo {label} lên cấp trên."
    if today is None:
        when = "sắp đến hạn"
    else:
        left = max((due - today).days, 0)
        when = "hôm nay đến hạn" if left == 0 else f"còn {_days(left)}"
    return f"Sắp đến hạn gửi báo cáo {label} lên cấp trên: {when} (hạn {format_date(due)})."


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


# --- One alert per subject --------------------------------------------------------------------

# Most urgent first: a task nobody leads cannot be urged at all; one past its deadline is late
# already; a rejected file undoes work the unit thought done; missing reports leave the office
# blind; behind schedule, due soon and an indicator off track still leave time to act.
URGENCY: tuple[Rule, ...] = (
    Rule.NO_LEAD_UNIT,
    Rule.OVERDUE,
    Rule.EVIDENCE_REJECTED,
    Rule.UPWARD_REPORT_LATE,
    Rule.MISSING_REPORT,
    Rule.BEHIND_SCHEDULE,
    Rule.DUE_SOON,
    Rule.UPWARD_REPORT_DUE_SOON,
    Rule.INDICATOR_OFF_TRACK,
)


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_LABELS: dict[Severity, Any] = {
    Severity.HIGH: _("Urgent"),
    Severity.MEDIUM: _("Needs action"),
    Severity.LOW: _("To watch"),
}

_SEVERITY_OF: dict[Rule, Severity] = {
    Rule.NO_LEAD_UNIT: Severity.HIGH,
    Rule.OVERDUE: Severity.HIGH,
    Rule.EVIDENCE_REJECTED: Severity.HIGH,
    Rule.MISSING_REPORT: Severity.MEDIUM,
    Rule.BEHIND_SCHEDULE: Severity.MEDIUM,
    Rule.DUE_SOON: Severity.LOW,
    Rule.INDICATOR_OFF_TRACK: Severity.LOW,
    # The ward owes the report to the province: late, it is the office's own overdue work.
    Rule.UPWARD_REPORT_LATE: Severity.HIGH,
    Rule.UPWARD_REPORT_DUE_SOON: Severity.LOW,
}


@dataclass(frozen=True)
class Combined:
    """What one open alert of a task or indicator says: every rule that holds as a reason
    (JSON, stored on the alert), the most urgent first, and a one-line summary."""

    rule: Rule  # the most urgent reason's rule: filters by rule keep working
    severity: Severity
    reasons: list[dict[str, Any]]
    numbers: dict[str, Number]  # the most urgent reason's numbers
    message: str


def _period_labels(keys: Sequence[str]) -> str:
    """ "Quý I, Quý II, Quý III/2026": the year written once when the periods share it."""
    labels = []
    for key in keys:
        period = _period_of_text(key)
        labels.append(period.label_vi() if period is not None else key)
    suffixes = {label.rsplit("/", 1)[1] for label in labels if "/" in label}
    if len(suffixes) == 1 and all("/" in label for label in labels):
        return ", ".join([label.rsplit("/", 1)[0] for label in labels[:-1]] + labels[-1:])
    return ", ".join(labels)


# Vietnamese on purpose: the short phrases make the stored alert text (see Finding).
def _overdue_short(numbers: Mapping[str, Any], today: datetime.date | None) -> str:
    due = _date(numbers.get("due"))
    if due is None or today is None:
        return "quá hạn"
    return f"quá hạn {_days(max((today - due).days, 1))}"


# Vietnamese on purpose: the short phrases make the stored alert text (see Finding).
def _due_soon_short(numbers: Mapping[str, Any], today: datetime.date | None) -> str:
    due = _date(numbers.get("due"))
    return _left(due, today) if due is not None else "sắp đến hạn"


# Vietnamese on purpose: the short phrases make the stored summary (see Finding).
def _short(rule: Rule, findings: Sequence[Finding]) -> str:
    numbers = findings[0].numbers
    if rule == Rule.NO_LEAD_UNIT:
        return "chưa có đơn vị chủ trì"
    if rule == Rule.OVERDUE:
        return _overdue_short(numbers, None)
    if rule == Rule.EVIDENCE_REJECTED:
        files = numbers.get("files") or []
        count = len(files) if isinstance(files, list) else 1
        return "minh chứng không hợp lệ" if count <= 1 else f"{count} minh chứng không hợp lệ"
    if rule == Rule.MISSING_REPORT:
        return f"thiếu báo cáo {len(findings)} kỳ"
    if rule == Rule.BEHIND_SCHEDULE:
        return "chậm tiến độ"
    if rule == Rule.DUE_SOON:
        return _due_soon_short(numbers, None)
    if rule == Rule.UPWARD_REPORT_LATE:
        return f"chưa gửi báo cáo {len(findings)} kỳ lên cấp trên"
    if rule == Rule.UPWARD_REPORT_DUE_SOON:
        return "sắp đến hạn gửi báo cáo lên cấp trên"
    return "chỉ tiêu chưa đạt lộ trình"


# Vietnamese on purpose: a stored alert message (see Finding).
def _reason(rule: Rule, findings: Sequence[Finding]) -> dict[str, Any]:
    if rule == Rule.MISSING_REPORT and len(findings) > 1:
        keys = [finding.key for finding in findings]
        message = f"Thiếu báo cáo {len(findings)} kỳ ({_period_labels(keys)})."
        numbers: dict[str, Any] = {
            "periods": keys,
            "report_due": [finding.numbers.get("report_due") for finding in findings],
        }
    elif rule == Rule.UPWARD_REPORT_LATE and len(findings) > 1:
        keys = [finding.key for finding in findings]
        message = f"Chưa gửi báo cáo {len(findings)} kỳ lên cấp trên ({_period_labels(keys)})."
        numbers = {
            "periods": keys,
            "due_on": [finding.numbers.get("due_on") for finding in findings],
        }
    else:
        keys = [finding.key for finding in findings if finding.key]
        message = findings[0].message
        numbers = dict(findings[0].numbers)
        if rule == Rule.MISSING_REPORT:
            numbers = {"periods": keys, "report_due": [findings[0].numbers.get("report_due")]}
    return {
        "rule": rule.value,
        "keys": keys,
        "numbers": numbers,
        "message": message,
        "short": _short(rule, findings),
    }


def combine(findings: Sequence[Finding]) -> Combined | None:
    """The one alert of a subject from its findings; None when no rule holds (the alert
    closes). Several missing reports become one reason listing the periods."""
    by_rule: dict[Rule, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    if not by_rule:
        return None
    ordered = [rule for rule in URGENCY if rule in by_rule]
    reasons = []
    for rule in ordered:
        reasons.append(_reason(rule, by_rule[rule]))  # periods stay in their order
    top = ordered[0]
    if len(reasons) == 1:
        # One reason: its whole sentence says more than a short phrase.
        message = reasons[0]["message"]
    else:
        summary = " · ".join(reason["short"] for reason in reasons)
        message = summary[:1].upper() + summary[1:]
    return Combined(
        rule=top,
        severity=_SEVERITY_OF[top],
        reasons=reasons,
        numbers=reasons[0]["numbers"],
        message=message,
    )


def _reason_keys(reasons: Sequence[Mapping[str, Any]]) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for reason in reasons:
        rule = str(reason.get("rule", ""))
        numbers = reason.get("numbers") or {}
        found = {str(key) for key in reason.get("keys") or ()}
        files = numbers.get("files") if isinstance(numbers, Mapping) else None
        for item in files or ():
            if isinstance(item, Mapping):
                found.add(f"evidence:{item.get('evidence')}")
        keys[rule] = found
    return keys


def got_worse(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]) -> bool:
    """Whether ``after`` holds a reason ``before`` did not: a new rule, a new missing period or
    a new rejected file. Day counts that grow do not count: they grow every day."""
    old, new = _reason_keys(before), _reason_keys(after)
    return any(rule not in old or not keys <= old[rule] for rule, keys in new.items())


# --- Shown texts ------------------------------------------------------------------------------

# The rules whose text counts days from today: stored without the count (an alert is not
# rewritten every day), counted here when the alert is shown.
_RENDERED: dict[Rule, Any] = {
    Rule.OVERDUE: (_overdue_text, _overdue_short),
    Rule.BEHIND_SCHEDULE: (_behind_text, None),
    Rule.DUE_SOON: (_due_soon_text, _due_soon_short),
}


def shown_reason(reason: Mapping[str, Any], today: datetime.date) -> tuple[str, str]:
    """The (message, short phrase) of a stored reason as of ``today``. Reasons stored before
    the day counts left the alert (they carry ``days_late``) are read the same way, from their
    due day."""
    message, short = str(reason.get("message", "")), str(reason.get("short", ""))
    numbers = reason.get("numbers") or {}
    if not isinstance(numbers, Mapping):
        return message, short
    try:
        rule = Rule(str(reason.get("rule")))
    except ValueError:
        return message, short
    if rule == Rule.UPWARD_REPORT_DUE_SOON and "due_on" in numbers:
        return _upward_soon_text(numbers, today), short
    if rule == Rule.BEHIND_SCHEDULE and "due" not in numbers:
        return message, short
    if rule in _RENDERED and "due" in numbers:
        text, phrase = _RENDERED[rule]
        return text(numbers, today), phrase(numbers, today) if phrase else short
    return message, short


def shown_numbers(rule: str, numbers: Mapping[str, Any], today: datetime.date) -> dict[str, Any]:
    """A reason's numbers with the counts from ``today`` the alert no longer stores: the days
    late or left, the progress expected by now (for programs reading them, as they did)."""
    shown_ = dict(numbers)
    due = _date(numbers.get("due"))
    if rule == Rule.OVERDUE and due is not None:
        shown_["days_late"] = (today - due).days
    elif rule == Rule.DUE_SOON and due is not None:
        shown_["days_left"] = (due - today).days
    elif rule == Rule.BEHIND_SCHEDULE and due is not None:
        expected = expected_progress(start=_date(numbers.get("start")), due=due, on=today)
        if expected is not None:
            shown_["expected"] = round(expected, 1)
    elif rule == Rule.UPWARD_REPORT_DUE_SOON and (on := _date(numbers.get("due_on"))):
        shown_["days_left"] = (on - today).days
    return shown_


def shown(
    reasons: Sequence[Mapping[str, Any]], message: str, today: datetime.date
) -> tuple[str, list[str]]:
    """An alert's summary and its reasons' messages as of ``today`` (``combine``'s shape)."""
    if not reasons:
        return message, []
    texts = [shown_reason(reason, today) for reason in reasons]
    if len(texts) == 1:
        return texts[0][0], [texts[0][0]]
    summary = " · ".join(short for _text, short in texts)
    return summary[:1].upper() + summary[1:], [text for text, _short in texts]


# --- When the findings may next change --------------------------------------------------------

# Bumped whenever a rule, a stored text or ``next_change`` changes: the scan then evaluates
# everything once (a full scan) instead of trusting what the previous rules predicted.
RULES_VERSION = "2"


def _first_day(holds: Any, low: datetime.date, high: datetime.date) -> datetime.date | None:
    """The first day in [low, high] on which ``holds`` (false, then true for good) is true."""
    if low > high or not holds(high):
        return None
    while low < high:
        middle = low + datetime.timedelta(days=(high - low).days // 2)
        if holds(middle):
            high = middle
        else:
            low = middle + datetime.timedelta(days=1)
    return low


@lru_cache(maxsize=4096)
def _next_period_change(
    start: datetime.date, today: datetime.date, cycle: str, due_days: int
) -> datetime.date:
    """The first day after ``today`` on which another period's report is missing: the day
    after the later of its end and its due day (see ``_ended_periods``)."""
    ended = {period for period, _due in _ended_periods(start, today, cycle, due_days)}
    days = [
        max(period.end, period.due(due_days)) + datetime.timedelta(days=1)
        for period in periods_between(start, today, cycle)
        if period not in ended
    ]
    return min(days) if days else today + datetime.timedelta(days=1)


def _earliest(days: Sequence[datetime.date | None]) -> datetime.date | None:
    known = [day for day in days if day is not None]
    return min(known) if known else None


def task_next_change(facts: TaskFacts) -> datetime.date | None:
    """The first day after ``facts.today`` on which ``task_findings`` could differ with the
    same facts (None: never). The incremental scan leaves the task alone until then. It may
    be early (the task is evaluated again for nothing), never late."""
    if facts.complete or not facts.has_lead_unit:
        return None  # completion and "no lead unit" do not depend on the day
    today, one = facts.today, datetime.timedelta(days=1)
    days: list[datetime.date | None] = []
    if facts.due is not None:
        if today < facts.due - datetime.timedelta(days=facts.due_soon_days):
            days.append(facts.due - datetime.timedelta(days=facts.due_soon_days))
        if today <= facts.due:
            days.append(facts.due + one)  # overdue begins, due soon ends
    judged = judged_from(facts)
    if judged is not None and facts.due is not None and behind_schedule(facts) is None:
        start, due, progress = facts.start, facts.due, facts.progress

        # ``behind_schedule`` on ``day`` (from ``judged`` on, which the search starts at).
        # Expected progress only grows: once behind, a task stays behind until new facts.
        def holds(day: datetime.date) -> bool:
            expected = expected_progress(start=start, due=due, on=day)
            return expected is not None and expected > 0 and progress < expected / 2

        last = max(facts.due, judged, today + one)
        days.append(_first_day(holds, max(today + one, judged), last))
    if not facts.has_subtasks and facts.start is not None and facts.reporting_cycle in CYCLES:
        if facts.start > today:
            days.append(facts.start)
        else:
            days.append(
                _next_period_change(
                    facts.start, today, facts.reporting_cycle, facts.report_due_days
                )
            )
    return _earliest(days)


def indicator_next_change(facts: IndicatorFacts) -> datetime.date | None:
    """A new year brings its milestone (and the year named in the text)."""
    return datetime.date(facts.today.year + 1, 1, 1)


def upward_next_change(facts: UpwardFacts) -> datetime.date | None:
    """The next day a period begins, one comes within ``due_soon_days`` of its due day, or one
    becomes late."""
    if facts.cycle not in CYCLES:
        return None
    if facts.start > facts.today:
        return facts.start
    today, one = facts.today, datetime.timedelta(days=1)
    periods = periods_between(facts.start, today, facts.cycle)
    days: list[datetime.date | None] = [periods[-1].end + one] if periods else [today + one]
    for period in periods:
        if str(period) in facts.sent_periods:
            continue
        due = period.due(facts.due_days)
        soon = due - datetime.timedelta(days=facts.due_soon_days)
        if soon > today:
            days.append(soon)
        if due >= today:
            days.append(due + one)
    return _earliest(days)
