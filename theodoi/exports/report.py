"""The content of a ward's periodic report, assembled from plain data: pure functions.

``selectors.report_data`` gathers the facts through the same selectors as the pages; this module
turns them into the numbers and the Vietnamese text of the report (results by section, the four
official states, indicators against this year's milestone, overdue tasks with their units and
the reasons the units gave, proposals), which the office may edit before the Word writer lays
it out. The Excel and zip writers read the same facts, so every file says the same thing.
"""

# The Vietnamese text here stays Vietnamese whatever the interface language: the report sent
# upward is an administrative document under Decree 30/2020/ND-CP, in Vietnamese by law.

import datetime
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.translation import override

from theodoi.alerts.rules import IndicatorFacts, indicator_off_track
from theodoi.core.text import fold, format_date, format_number
from theodoi.plans.periods import CYCLES, Period, PeriodError, label_vi_of, parse_period
from theodoi.plans.states import TaskState

PARTY = "party"
PEOPLES_COMMITTEE = "peoples_committee"


class _StateLabelsVi(Mapping[str, str]):
    """The official names of the four states (DESIGN.md §4), as the Government Office writes
    them: the labels of ``TaskState``, read in Vietnamese whatever the language of the page
    that asked, because the report's own sentences are Vietnamese."""

    def __getitem__(self, state: str) -> str:
        try:
            member = TaskState(state)
        except ValueError:
            raise KeyError(state) from None
        with override("vi"):
            return member.label

    def __iter__(self) -> Iterator[str]:
        return iter(TaskState)

    def __len__(self) -> int:
        return len(TaskState)


STATE_LABELS_VI: Mapping[str, str] = _StateLabelsVi()

ON_TRACK = "on_track"
OFF_TRACK = "off_track"
NO_DATA = "no_data"  # no value reported up to the end of the period
NO_MILESTONE = "no_milestone"  # nothing to reach this year
INDICATOR_STATUS_VI: dict[str, str] = {
    ON_TRACK: "Đạt lộ trình",
    OFF_TRACK: "Chưa đạt lộ trình",
    NO_DATA: "Chưa có số liệu",
    NO_MILESTONE: "Không có lộ trình năm",
}

REVIEW_LABELS_VI = {"accepted": "Hợp lệ", "rejected": "Không hợp lệ", None: "Chưa thẩm định"}

COMPARATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}

# A report covers a month, a quarter, six months or a year, whatever the plan's own cycle.
REPORT_CYCLES = ("monthly", "quarterly", "half_yearly", "yearly")


class ReportError(ValueError):
    """A period a person can correct; the message says how, in Vietnamese."""


# --- Facts (what the selectors gather) --------------------------------------------------------


@dataclass(frozen=True)
class PlanFacts:
    id: int
    number: str
    title: str
    issuer: str
    issuer_kind: str  # PARTY or PEOPLES_COMMITTEE
    issued_on: datetime.date | None
    ward: str  # "Phường Lê Chân"
    province: str = ""  # "Thành phố Hải Phòng"


@dataclass(frozen=True)
class SectionFacts:
    id: int
    code: str
    title: str


@dataclass(frozen=True)
class ReportFacts:
    """One unit's progress report on a task that the office has not returned."""

    task_id: int
    period: str
    percent: int
    result: str = ""
    difficulties: str = ""
    proposals: str = ""
    unit: str = ""


@dataclass(frozen=True)
class TaskRow:
    """A task as the task list shows it: ``state`` and ``progress`` come from the same query."""

    id: int
    code: str
    title: str
    section_id: int | None
    parent_id: int | None
    lead_units: tuple[str, ...]
    coordinating_units: tuple[str, ...]
    output: str
    deadline_text: str
    due: datetime.date | None
    progress: int
    state: str
    completed_on: datetime.date | None = None
    depth: int = 0
    # The deadline the plan was issued with, when an amendment moved it (DESIGN.md §7); the
    # official ``state`` follows the current one, ``late_against_original`` says the rest.
    original_due: datetime.date | None = None
    original_deadline_text: str = ""
    late_against_original: bool = False
    # Filled by ``attach_reports`` from the reports of the period.
    result: str = ""
    difficulties: str = ""
    proposals: tuple[str, ...] = ()

    @property
    def state_text(self) -> str:
        """The official state, and for a task whose deadline was moved and that is late only
        against the original: "Hoàn thành đúng hạn (theo hạn điều chỉnh); quá hạn so với hạn
        ban đầu (30/06/2026)"."""
        label = STATE_LABELS_VI[self.state]
        if not self.late_against_original or self.original_due is None:
            return label
        return (
            f"{label} (theo hạn điều chỉnh); quá hạn so với hạn ban đầu "
            f"({format_date(self.original_due)})"
        )

    @property
    def deadline_shown(self) -> str:
        """The deadline as written, with the original one when an amendment moved it."""
        if not self.original_deadline_text or self.original_deadline_text == self.deadline_text:
            return self.deadline_text
        return f"{self.deadline_text} (điều chỉnh từ: {self.original_deadline_text})"


@dataclass(frozen=True)
class IndicatorInput:
    id: int
    code: str
    name: str
    unit_of_measure: str
    comparator: str
    baseline: Decimal | None
    baseline_year: int | None
    baseline_text: str
    milestones: dict[int, Decimal]
    target: Decimal | None
    target_year: int | None
    target_text: str
    values: tuple[tuple[str, Decimal], ...]  # (period, value)
    lead_unit: str = ""
    section_id: int | None = None


@dataclass(frozen=True)
class IndicatorRow:
    id: int
    code: str
    name: str
    unit_of_measure: str
    comparator: str
    baseline: Decimal | None
    baseline_year: int | None
    milestone: Decimal | None
    milestone_year: int
    latest: Decimal | None
    latest_period: str
    target: Decimal | None
    target_year: int | None
    target_text: str
    lead_unit: str
    status: str
    section_id: int | None = None

    @property
    def status_vi(self) -> str:
        return INDICATOR_STATUS_VI[self.status]


@dataclass(frozen=True)
class EvidenceRow:
    """An evidence file of a task, or of an indicator's value for one period."""

    id: int
    task_id: int | None
    original_name: str
    sha256: str
    size: int
    storage_name: str
    decision: str | None  # latest review: "accepted", "rejected", None when not reviewed
    uploaded_on: datetime.date | None = None
    indicator_id: int | None = None
    value_period: str = ""


@dataclass(frozen=True)
class ReportData:
    plan: PlanFacts
    period: Period
    as_of: datetime.date  # the day the states are computed for
    today: datetime.date  # the day the report is compiled
    sections: tuple[SectionFacts, ...]
    tasks: tuple[TaskRow, ...]
    indicators: tuple[IndicatorRow, ...]
    evidence: tuple[EvidenceRow, ...] = ()
    # The units' reports up to the period's end (none returned, none draft): what they wrote.
    reports: tuple[ReportFacts, ...] = ()


# --- Periods ----------------------------------------------------------------------------------


def parse_report_period(text: str) -> Period:
    """A month, quarter, half year or year ("2026-03", "2026-Q1", "2026-H1", "2026")."""
    for cycle in REPORT_CYCLES:
        try:
            return parse_period(text, cycle)
        except PeriodError:
            continue
    raise ReportError(
        f"Kỳ báo cáo «{text}» không đúng. Hãy viết theo tháng (2026-03), quý (2026-Q1), "
        "6 tháng (2026-H1) hoặc năm (2026)."
    )


@functools.lru_cache(maxsize=4096)
def period_of_text(text: str) -> Period | None:
    """A report's period written in any cycle, or None.

    Remembered: a report reads the same few hundred period texts on thousands of units'
    reports, and parsing one (trying each cycle, checking the dates exist) cost most of the
    report's time. A period's text always names the same period, so the answer never changes."""
    for cycle in CYCLES:
        try:
            return parse_period(text, cycle)
        except PeriodError:
            continue
    return None


def as_of_day(period: Period, today: datetime.date) -> datetime.date:
    """States are counted at the end of the period, or today while the period runs."""
    if today < period.start:
        raise ReportError(f"{period.label_vi()} chưa bắt đầu nên chưa có gì để báo cáo.")
    return min(today, period.end)


def anchor_day(period: Period) -> datetime.date:
    """The day that places a unit's report in the month, quarter, half or year it is summed up
    in. Months, quarters, halves and years nest, so any day of the period would do; a week can
    straddle two months (and two quarters, and two years), so it goes where most of its days
    are: its Thursday, the day ISO 8601 also uses to give a week its year. Then "Tuần 1/2026"
    (29/12/2025–4/1/2026) is summed up in January 2026 and "Tuần 53/2020" in 2020, as their
    names say; taking the week's last day instead would put "Tuần 53/2020" into 2021."""
    if period.cycle == "weekly":
        return period.start + datetime.timedelta(days=3)
    return period.start


# How finely each cycle divides the year, to tell a finer report from a coarser one.
_FINENESS = {"weekly": 0, "monthly": 1, "quarterly": 2, "half_yearly": 3, "yearly": 4}


@functools.lru_cache(maxsize=4096)
def _span(period: Period) -> tuple[datetime.date, datetime.date, datetime.date]:
    """The period's first day, last day and anchor day, remembered: a report compares the same
    few hundred periods tens of thousands of times, and each ``end`` is computed anew."""
    return period.start, period.end, anchor_day(period)


def report_belongs(report_period: Period, period: Period) -> bool:
    """Whether a unit's report for ``report_period`` is summed up in the report for ``period``.

    A report of the same or a finer cycle (a week, a month in a quarter) belongs to exactly one
    report: the one holding its anchor day, so a week straddling two months is counted once. A
    report of a coarser cycle (a quarter's report in a monthly report) is the only word the
    unit gave about the shorter period, so it belongs to every report it overlaps."""
    start, end, _anchor = _span(period)
    report_start, report_end, anchor = _span(report_period)
    if _FINENESS[report_period.cycle] <= _FINENESS[period.cycle]:
        return start <= anchor <= end
    return report_start <= end and start <= report_end


def report_not_after(report_period: Period, period: Period) -> bool:
    """Whether a unit's report belongs to ``period`` or an earlier one (the earlier reports
    still tell why a task is late)."""
    _start, end, _anchor = _span(period)
    report_start, _report_end, anchor = _span(report_period)
    if _FINENESS[report_period.cycle] <= _FINENESS[period.cycle]:
        return anchor <= end
    return report_start <= end


# --- Tasks and reports ------------------------------------------------------------------------

# Where a unit's report stands against the report's period: whether it is up to the period's
# end and whether it belongs to the period, and its order (the newest last). None for a
# period text no cycle reads.
_Place = tuple[bool, bool, tuple[datetime.date, datetime.date]] | None


def _placer(period: Period) -> Callable[[str], _Place]:
    """Where a report of each period text stands against ``period``, worked out once per text:
    a plan's thousands of reports share a few hundred periods."""
    seen: dict[str, _Place] = {}

    def place(text: str) -> _Place:
        if text not in seen:
            parsed = period_of_text(text)
            seen[text] = (
                None
                if parsed is None
                else (
                    report_not_after(parsed, period),
                    report_belongs(parsed, period),
                    (parsed.end, parsed.start),
                )
            )
        return seen[text]

    return place


def _newest(
    items: list[tuple[tuple[datetime.date, datetime.date], ReportFacts]],
) -> list[ReportFacts]:
    """The reports newest first (by the end, then the start of their periods)."""
    return [r for _order, r in sorted(items, key=lambda i: i[0], reverse=True)]


def attach_reports(
    tasks: Iterable[TaskRow], reports: Iterable[ReportFacts], period: Period
) -> tuple[TaskRow, ...]:
    """Give each task the result and proposals of its latest report in the period, and the
    difficulties of its latest report up to the period's end that names any (the reason a task
    is late is often written in an earlier report)."""
    in_period: dict[int, list[tuple[tuple[datetime.date, datetime.date], ReportFacts]]] = {}
    before_end: dict[int, list[tuple[tuple[datetime.date, datetime.date], ReportFacts]]] = {}
    place = _placer(period)
    for report in reports:
        found = place(report.period)
        if found is None or not found[0]:
            continue
        _not_after, belongs, order = found
        before_end.setdefault(report.task_id, []).append((order, report))
        if belongs:
            in_period.setdefault(report.task_id, []).append((order, report))

    rows = []
    for task in tasks:
        current = _newest(in_period.get(task.id, []))
        earlier = _newest(before_end.get(task.id, []))
        difficulties = next((r.difficulties for r in earlier if r.difficulties.strip()), "")
        proposals = tuple(
            dict.fromkeys(r.proposals.strip() for r in current if r.proposals.strip())
        )
        rows.append(
            replace(
                task,
                result=current[0].result.strip() if current else "",
                difficulties=difficulties.strip(),
                proposals=proposals,
            )
        )
    return tuple(rows)


def with_depth(tasks: Sequence[TaskRow]) -> tuple[TaskRow, ...]:
    """Each task's depth below its top-level task (0 for a task, 1 for its subtask, …)."""
    parents = {task.id: task.parent_id for task in tasks}

    def depth(task_id: int) -> int:
        level, seen = 0, {task_id}
        parent = parents.get(task_id)
        while parent is not None and parent not in seen:
            seen.add(parent)
            level += 1
            parent = parents.get(parent)
        return level

    return tuple(replace(task, depth=depth(task.id)) for task in tasks)


# --- Numbers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int
    total: int

    @property
    def share(self) -> float:
        """The share of all tasks, 0–1 (Excel shows it as a percentage)."""
        return self.count / self.total if self.total else 0.0

    @property
    def percent_text(self) -> str:
        return percent_text(self.count, self.total)


def percent_text(count: int, total: int) -> str:
    """ "33,3%": one decimal, Vietnamese decimal comma, none for whole numbers."""
    if not total:
        return "0%"
    value = round(Decimal(100 * count) / Decimal(total), 1)
    return f"{format_number(value)}%"


def state_counts(tasks: Sequence[TaskRow]) -> list[StateCount]:
    """Tasks in each of the four states, in the official order. Every task counts, subtasks
    included, exactly as the plan page counts them."""
    total = len(tasks)
    return [
        StateCount(state.value, STATE_LABELS_VI[state], sum(t.state == state for t in tasks), total)
        for state in TaskState
    ]


@dataclass(frozen=True)
class SectionResult:
    code: str
    title: str
    tasks: tuple[TaskRow, ...]
    counts: tuple[StateCount, ...]
    mean_progress: int  # over the section's top-level tasks (a parent already rolls up)
    section_id: int | None = None  # None for the tasks of no section

    @property
    def heading(self) -> str:
        return section_heading(self.code, self.title)

    def count(self, state: str) -> int:
        return next(c.count for c in self.counts if c.state == state)


# The importer names an appendix table without section rows "PL" ("PL2" for the second, and a
# person may write "PL.1"): its mark, not the plan's own numbering.
_APPENDIX_CODE = re.compile(r"^PL(?:\d*|\..*)$")
_APPENDIX_PREFIX = re.compile(r"^PL\d*\s*\.\s*")


def section_heading(code: str, title: str) -> str:
    """ "I. Nâng cao nhận thức"; an appendix section by its title alone ("PHỤ LỤC: NHIỆM VỤ …",
    never "PL. PHỤ LỤC: …")."""
    code, title = code.strip(), title.strip()
    if _APPENDIX_CODE.match(code):
        return _APPENDIX_PREFIX.sub("", title) or title
    return f"{code}. {title}" if code else title


def section_results(data: ReportData) -> list[SectionResult]:
    """The tasks of each section (tasks of no section last, as "Nhiệm vụ khác")."""
    groups: list[tuple[str, str, int | None]] = [(s.code, s.title, s.id) for s in data.sections]
    known = {s.id for s in data.sections}
    if any(t.section_id is None or t.section_id not in known for t in data.tasks):
        groups.append(("", "Nhiệm vụ khác", None))
    results = []
    for code, title, section_id in groups:
        if section_id is None:
            tasks = tuple(
                t for t in data.tasks if t.section_id is None or t.section_id not in known
            )
        else:
            tasks = tuple(t for t in data.tasks if t.section_id == section_id)
        if not tasks:
            continue
        top = [t.progress for t in tasks if t.depth == 0] or [t.progress for t in tasks]
        mean = int((Decimal(sum(top)) / len(top)).to_integral_value())
        results.append(
            SectionResult(code, title, tasks, tuple(state_counts(tasks)), mean, section_id)
        )
    return results


def overdue_tasks(data: ReportData) -> list[TaskRow]:
    return [t for t in data.tasks if t.state == TaskState.OPEN_OVERDUE]


def next_period_tasks(data: ReportData) -> list[TaskRow]:
    """Open tasks due in the next period of the report's own kind (the next quarter of a
    quarterly report), soonest first."""
    following = data.period.next()
    due = [
        t
        for t in data.tasks
        if t.completed_on is None and t.due and following.start <= t.due <= following.end
    ]
    return sorted(due, key=lambda t: (t.due, t.code))


def cited_evidence(data: ReportData) -> list[EvidenceRow]:
    """The evidence files the report sends and its tables cite: those of the tasks, then those
    of each indicator's value that the report shows; only files the office accepted (DESIGN.md
    §2: the periodic report holds only accepted evidence)."""
    tasks = {task.id: index for index, task in enumerate(data.tasks)}
    shown = {
        (row.id, row.latest_period): index
        for index, row in enumerate(data.indicators)
        if row.latest_period
    }

    def place(item: EvidenceRow) -> tuple[int, int] | None:
        if item.task_id is not None:
            return (0, tasks[item.task_id]) if item.task_id in tasks else None
        if item.indicator_id is None:
            return None
        key = (item.indicator_id, item.value_period)
        return (1, shown[key]) if key in shown else None

    files = [(p, e) for e in data.evidence if e.decision == "accepted" and (p := place(e))]
    return [e for p, e in sorted(files, key=lambda i: (i[0], i[1].original_name, i[1].id))]


@dataclass(frozen=True)
class LeftOut:
    """Evidence of the report's tasks and shown indicator values that it does not send."""

    not_reviewed: int
    rejected: int

    @property
    def total(self) -> int:
        return self.not_reviewed + self.rejected

    @property
    def text(self) -> str:
        """ "Không đưa vào gói 3 tệp minh chứng chưa được chấp nhận: 2 tệp chưa thẩm định, 1
        tệp không hợp lệ." """
        if not self.total:
            return "Mọi tệp minh chứng của kỳ báo cáo đã được thẩm định hợp lệ và có trong gói."
        parts = [
            f"{count} tệp {label}"
            for count, label in (
                (self.not_reviewed, "chưa thẩm định"),
                (self.rejected, "không hợp lệ"),
            )
            if count
        ]
        return (
            f"Không đưa vào gói {self.total} tệp minh chứng chưa được chấp nhận: "
            + ", ".join(parts)
            + ". Gói chỉ gồm minh chứng đã được thẩm định hợp lệ."
        )


def evidence_left_out(data: ReportData) -> LeftOut:
    """How many files of the report's tasks and shown indicator values are held back because
    the office has not accepted them (not yet reviewed, or rejected)."""
    tasks = {task.id for task in data.tasks}
    shown = {(row.id, row.latest_period) for row in data.indicators if row.latest_period}
    relevant = [
        e
        for e in data.evidence
        if (e.task_id in tasks) or (e.task_id is None and (e.indicator_id, e.value_period) in shown)
    ]
    return LeftOut(
        not_reviewed=sum(e.decision is None for e in relevant),
        rejected=sum(e.decision == "rejected" for e in relevant),
    )


# --- Indicators -------------------------------------------------------------------------------


def assess_indicator(
    indicator: IndicatorInput, *, period: Period, as_of: datetime.date
) -> IndicatorRow:
    """The indicator's latest value up to the period's end against the milestone of that year,
    by the same rule that raises the "indicator off track" alert."""
    year = as_of.year
    dated = [
        (parsed, value)
        for text, value in indicator.values
        if (parsed := period_of_text(text)) is not None and parsed.end <= period.end
    ]
    values = [(str(parsed), value) for parsed, value in dated]
    latest = max(dated, key=lambda item: (item[0].end, item[0].start), default=None)
    milestone = indicator.milestones.get(year)
    if milestone is None and indicator.target_year == year:
        milestone = indicator.target
    if milestone is None:
        status = NO_MILESTONE if latest is not None else NO_DATA
    elif latest is None:
        status = NO_DATA
    else:
        finding = indicator_off_track(
            IndicatorFacts(
                today=as_of,
                comparator=indicator.comparator,
                values=values,
                milestones=indicator.milestones,
                target=indicator.target,
                target_year=indicator.target_year,
                unit_of_measure=indicator.unit_of_measure,
            )
        )
        status = OFF_TRACK if finding is not None else ON_TRACK
    return IndicatorRow(
        id=indicator.id,
        code=indicator.code,
        name=indicator.name,
        unit_of_measure=indicator.unit_of_measure,
        comparator=indicator.comparator,
        baseline=indicator.baseline,
        baseline_year=indicator.baseline_year,
        milestone=milestone,
        milestone_year=year,
        latest=latest[1] if latest else None,
        latest_period=str(latest[0]) if latest else "",
        target=indicator.target,
        target_year=indicator.target_year,
        target_text=indicator.target_text,
        lead_unit=indicator.lead_unit,
        status=status,
        section_id=indicator.section_id,
    )


def with_unit(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    number = format_number(value)
    unit = unit.strip()
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


# --- Words ------------------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    """ "Quý I/2026" → "quý I/2026"; "UBND …" stays (an abbreviation keeps its capitals)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?", ";", ":")) else text + "."


def _ward_words(plan: PlanFacts) -> str:
    """ "phường Lê Chân" as it reads inside a sentence."""
    return _lower_first(plan.ward)


def plan_reference(plan: PlanFacts) -> str:
    """ "Kế hoạch số 110/KH-UBND ngày 25/03/2026" (or as much of it as is known)."""
    number = plan.number.strip()
    # A number like "-KH/ĐU" or "KH/ĐU" is a blank left for the clerk: not a number yet.
    has_number = bool(re.match(r"^\d", number))
    text = f"Kế hoạch số {number}" if has_number else "Kế hoạch"
    if plan.issued_on:
        text += f" ngày {format_date(plan.issued_on)}"
    return text


def reporting_body(plan: PlanFacts) -> str:
    if plan.issuer_kind == PARTY:
        return f"Ban Thường vụ Đảng ủy {_ward_words(plan)}"
    return f"Ủy ban nhân dân {_ward_words(plan)}"


def _province_words(province: str) -> tuple[str, str]:
    """("Thành ủy", "Hải Phòng") for "Thành phố Hải Phòng", ("Tỉnh ủy", "Đồng Nai") for a
    province."""
    name = province.strip()
    for prefix, committee in (("thành phố ", "Thành ủy"), ("tỉnh ", "Tỉnh ủy")):
        if name.lower().startswith(prefix):
            return committee, name[len(prefix) :]
    return "Tỉnh ủy", name


def vietnamese_date(place: str, day: datetime.date) -> str:
    """ "Phường Lê Chân, ngày 05 tháng 01 năm 2026": Nghị định 30/2020 writes a 0 before days
    below 10 and before months 1 and 2."""
    dd = f"{day.day:02d}"
    mm = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {dd} tháng {mm} năm {day.year}"


@dataclass
class SectionText:
    heading: str
    text: str
    # The plan's section it reports on ("" for the tasks of no section and for a text the
    # office kept after its section left the report).
    code: str = ""
    title: str = ""


@dataclass
class ReportContent:
    """What the Word report says. Every field is editable by the office before download; the
    two tables are the data and are not."""

    kind: str
    parent_body: str  # the body above the issuer (Party format), "" when none
    issuing_body: str  # may hold several lines
    number: str  # the notation after "Số" ("15/BC-UBND", "12-BC/ĐU")
    place: str
    date: datetime.date
    subject: str
    intro: str
    summary: str
    sections: list[SectionText]
    indicators: str
    shortcomings: str
    next_steps: str
    proposals: str
    signer_authority: str
    signer_title: str
    signer_name: str
    recipients: str
    as_of: datetime.date
    state_table: list[StateCount] = field(default_factory=list)
    indicator_table: list[IndicatorRow] = field(default_factory=list)

    @property
    def is_party(self) -> bool:
        return self.kind == PARTY

    @property
    def number_line(self) -> str:
        """ "Số: 15/BC-UBND" (Nghị định 30/2020) or "Số 12-BC/ĐU" (the Party's format)."""
        return f"Số {self.number}" if self.is_party else f"Số: {self.number}"

    @property
    def national_title(self) -> tuple[str, ...]:
        if self.is_party:
            return ("ĐẢNG CỘNG SẢN VIỆT NAM",)
        return ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")

    @property
    def date_line(self) -> str:
        return vietnamese_date(self.place, self.date)

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


# Blank notations the clerk numbers when the report is signed (U+00A0 keeps the gap in Word).
_GAP = "\u00a0" * 6


def _summary(data: ReportData, counts: list[StateCount]) -> str:
    total = len(data.tasks)
    if not total:
        return "Kế hoạch chưa có nhiệm vụ nào được theo dõi."
    parts = [f"{c.count} nhiệm vụ {_lower_first(c.label)} ({c.percent_text})" for c in counts]
    done = sum(c.count for c in counts if c.state in (TaskState.DONE_ON_TIME, TaskState.DONE_LATE))
    return (
        f"Kế hoạch có {total} nhiệm vụ. Tính đến ngày {format_date(data.as_of)}: "
        + "; ".join(parts)
        + f". Tổng số nhiệm vụ đã hoàn thành: {done}/{total} ({percent_text(done, total)})."
    )


def _task_name(task: TaskRow) -> str:
    return f"{task.code}. {task.title}" if task.code else task.title


# --- What the units wrote, as prose ----------------------------------------------------------

_DONE_STATES = (TaskState.DONE_ON_TIME, TaskState.DONE_LATE)
NO_UNIT = "Chưa phân công đơn vị chủ trì"


@dataclass(frozen=True)
class UnitReport:
    """What one unit wrote on one task for the period: the result of its latest report of the
    period, and every distinct difficulty and proposal it wrote in the period, latest first."""

    task: TaskRow
    unit: str
    percent: int
    result: str
    difficulties: tuple[str, ...]
    proposals: tuple[str, ...]


def period_reports(
    tasks: Sequence[TaskRow], reports: Iterable[ReportFacts], period: Period
) -> list[UnitReport]:
    """The units' reports that belong to ``period``, one per task and unit, in the tasks'
    order. A report names its unit; one that does not is its task's first lead unit's."""
    by_id = {task.id: task for task in tasks}
    grouped: dict[tuple[int, str], list[tuple[tuple[datetime.date, datetime.date], ReportFacts]]]
    grouped = {}
    place = _placer(period)
    for item in reports:
        task = by_id.get(item.task_id)
        if task is None:
            continue
        found = place(item.period)
        if found is None or not found[1]:
            continue
        unit = item.unit.strip() or (task.lead_units[0] if task.lead_units else NO_UNIT)
        grouped.setdefault((task.id, unit), []).append((found[2], item))
    order = {task.id: index for index, task in enumerate(tasks)}
    result = []
    for (task_id, unit), items in sorted(grouped.items(), key=lambda i: order[i[0][0]]):
        newest = _newest(items)

        def distinct(texts: Iterable[str]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(t.strip() for t in texts if t.strip()))

        result.append(
            UnitReport(
                task=by_id[task_id],
                unit=unit,
                percent=newest[0].percent,
                result=next((r.result.strip() for r in newest if r.result.strip()), ""),
                difficulties=distinct(r.difficulties for r in newest),
                proposals=distinct(r.proposals for r in newest),
            )
        )
    return result


def _fragment(text: str) -> str:
    """A unit's sentence as a clause inside the report's own: "Đã tổ chức 2 lớp." → "đã tổ
    chức 2 lớp"."""
    text = " ".join(text.split())
    return _lower_first(text.rstrip(" .;,"))


def _task_ref(task: TaskRow) -> str:
    if task.code.strip():
        return f"nhiệm vụ {task.code.strip()}"
    title = " ".join(task.title.split())
    return f"nhiệm vụ «{title if len(title) <= 60 else title[:59].rstrip() + '…'}»"


def _task_refs(tasks: Sequence[TaskRow]) -> str:
    coded = [t.code.strip() for t in tasks if t.code.strip()]
    if len(coded) == len(tasks) and len(tasks) > 1:
        return "các nhiệm vụ " + ", ".join(coded)
    return ", ".join(_task_ref(t) for t in tasks)


def _task_numbers(tasks: Sequence[TaskRow]) -> str:
    """ "đã hoàn thành 3/5 nhiệm vụ, trong đó 1 quá hạn; 1 nhiệm vụ chưa hoàn thành đã quá
    hạn": only the numbers that say something, "" when nothing is done and nothing overdue."""
    done = sum(t.state in _DONE_STATES for t in tasks)
    late = sum(t.state == TaskState.DONE_LATE for t in tasks)
    overdue = sum(t.state == TaskState.OPEN_OVERDUE for t in tasks)
    parts = []
    if done and not late:
        parts.append(f"đã hoàn thành đúng hạn {done}/{len(tasks)} nhiệm vụ")
    elif done == late and late:
        parts.append(f"đã hoàn thành {done}/{len(tasks)} nhiệm vụ nhưng quá hạn")
    elif done:
        parts.append(f"đã hoàn thành {done}/{len(tasks)} nhiệm vụ, trong đó {late} quá hạn")
    if overdue:
        parts.append(f"{overdue} nhiệm vụ chưa hoàn thành đã quá hạn")
    return "; ".join(parts)


def indicator_sentence(row: IndicatorRow) -> str:
    """ "Tỷ lệ hồ sơ trực tuyến: đạt 65% (quý III/2026), lộ trình năm 2026 ≥ 60%: đạt lộ
    trình; mục tiêu năm 2030 ≥ 80%." """
    sign = COMPARATOR_SIGNS.get(row.comparator, "≥")
    unit = row.unit_of_measure
    name = " ".join(row.name.split()).rstrip(" .;:")
    if row.latest is None:
        text = f"{name}: chưa có số liệu"
    else:
        when = label_vi_of(row.latest_period) if row.latest_period else ""
        text = f"{name}: đạt {with_unit(row.latest, unit)}"
        text += f" ({_lower_first(when)})" if when else ""
    if row.milestone is not None:
        text += f", lộ trình năm {row.milestone_year} {sign} {with_unit(row.milestone, unit)}"
        if row.latest is not None:
            text += f": {_lower_first(row.status_vi)}"
    elif row.latest is not None:
        text += f", {_lower_first(row.status_vi)} {row.milestone_year}"
    if row.target is not None and row.target_year and row.target_year != row.milestone_year:
        text += f"; mục tiêu năm {row.target_year} {sign} {with_unit(row.target, unit)}"
    return text + "."


def unit_paragraph(
    unit: str,
    reports: Sequence[UnitReport],
    led: Sequence[TaskRow],
    section_size: int | None = None,
) -> str:
    """One unit's paragraph in a section: its key numbers when they say something (and differ
    from the section's, when it leads fewer than the ``section_size`` tasks, and from its
    task's own status, when it leads more than one), what it wrote it did, its difficulties
    and proposals. Only what the unit wrote: "done" only for a task whose state is done."""
    show_numbers = len(led) > 1 and (section_size is None or len(led) < section_size)
    numbers = _task_numbers(led) if show_numbers else ""
    head = f"{unit} ({numbers})" if numbers else unit
    said = []
    for item in reports:
        task = item.task
        if task.state in _DONE_STATES:
            status = "đã hoàn thành"
        elif item.percent >= 100:
            status = "báo cáo xong 100%, minh chứng chưa được chấp nhận"
        else:
            status = f"tiến độ {item.percent}%"
        if item.result:
            said.append(f"{_fragment(item.result)} ({_task_ref(task)}, {status})")
        else:
            said.append(f"{_task_ref(task)} {status}, chưa nêu kết quả cụ thể")
    sentences = [f"{head}: " + "; ".join(said) + "."]
    for label, attribute in (("Khó khăn", "difficulties"), ("Đề xuất", "proposals")):
        items = [
            f"{_fragment(text)} ({_task_ref(item.task)})"
            for item in reports
            for text in getattr(item, attribute)
        ]
        if items:
            sentences.append(f"{label}: " + "; ".join(items) + ".")
    return " ".join(sentences)


def silent_units(units: Sequence[tuple[str, Sequence[TaskRow]]]) -> str:
    """ "Chưa báo cáo kết quả trong kỳ: Công an phường (nhiệm vụ 8); Văn phòng HĐND và UBND
    (các nhiệm vụ 2.1, 2.3; 2 nhiệm vụ đã quá hạn)." for the open tasks no unit wrote on."""
    parts = []
    for unit, tasks in units:
        overdue = sum(t.state == TaskState.OPEN_OVERDUE for t in tasks)
        note = ""
        if overdue:
            note = "; đã quá hạn" if len(tasks) == 1 else f"; {overdue} nhiệm vụ đã quá hạn"
        name = _lower_first(unit) if unit == NO_UNIT else unit
        parts.append(f"{name} ({_task_refs(tasks)}{note})")
    return "Chưa báo cáo kết quả trong kỳ: " + "; ".join(parts) + "." if parts else ""


def section_prose(
    result: SectionResult,
    reports: Iterable[ReportFacts],
    period: Period,
    indicators: Sequence[IndicatorRow] = (),
) -> str:
    """A section of the report as the office would write it: the section's key numbers (only
    when something is done or overdue), a paragraph per unit of what it wrote, the units that
    wrote nothing on their open tasks, then the section's indicators against this year's
    milestone. One paragraph a line."""
    lines = []
    numbers = _task_numbers(result.tasks)
    if numbers:
        lines.append(f"Nhóm có {len(result.tasks)} nhiệm vụ: {numbers}.")
    late_original = sum(task.late_against_original for task in result.tasks)
    if late_original:
        lines.append(
            f"{'Trong đó' if numbers else 'Có'} {late_original} nhiệm vụ đúng hạn theo hạn điều "
            "chỉnh nhưng quá hạn so với hạn ban đầu."
        )
    written = period_reports(result.tasks, reports, period)
    units: dict[str, tuple[list[UnitReport], list[TaskRow]]] = {}
    for task in result.tasks:
        for unit in task.lead_units or (NO_UNIT,):
            units.setdefault(unit, ([], []))[1].append(task)
        for item in written:
            if item.task.id == task.id:
                units.setdefault(item.unit, ([], []))[0].append(item)
    reported = {item.task.id for item in written}
    silent = []
    for unit, (items, led) in units.items():
        if items:
            lines.append(unit_paragraph(unit, items, led, len(result.tasks)))
        open_tasks = [t for t in led if t.id not in reported and t.state not in _DONE_STATES]
        if open_tasks:
            silent.append((unit, open_tasks))
    if silent:
        lines.append(silent_units(silent))
    for row in indicators:
        lines.append(f"Chỉ tiêu {_lower_first(indicator_sentence(row))}")
    return "\n".join(lines)


def section_texts(data: ReportData) -> list["SectionText"]:
    """The text of every section of the report, from what the units wrote in the period."""
    texts = []
    # Each section reads only the reports of its own tasks (in the data's order), not all the
    # plan's: with a plan's two years of weekly reports, every section went through all of them.
    by_task: dict[int, list[tuple[int, ReportFacts]]] = {}
    for index, item in enumerate(data.reports):
        by_task.setdefault(item.task_id, []).append((index, item))
    for result in section_results(data):
        mine = sorted(pair for task in result.tasks for pair in by_task.get(task.id, ()))
        reports = [item for _index, item in mine]
        indicators = [
            row
            for row in data.indicators
            if result.section_id is not None and row.section_id == result.section_id
        ]
        texts.append(
            SectionText(
                result.heading,
                section_prose(result, reports, data.period, indicators),
                code=result.code,
                title=result.title,
            )
        )
    return texts


def _indicators_text(data: ReportData) -> str:
    rows = data.indicators
    if not rows:
        return "Kế hoạch không có chỉ tiêu định lượng."
    year = data.as_of.year
    count = {s: sum(r.status == s for r in rows) for s in INDICATOR_STATUS_VI}
    parts = [
        f"{count[status]} chỉ tiêu {words}"
        for status, words in (
            (ON_TRACK, f"đạt lộ trình năm {year}"),
            (OFF_TRACK, "chưa đạt"),
            (NO_DATA, "chưa có số liệu"),
            (NO_MILESTONE, f"không có lộ trình năm {year}"),
        )
        if count[status]
    ]
    lines = [f"Có {len(rows)} chỉ tiêu: " + ", ".join(parts) + "."]
    for row in rows:
        if row.status in (OFF_TRACK, NO_DATA):
            lines.append(f"- {indicator_sentence(row)}")
    return "\n".join(lines)


def _shortcomings(overdue: list[TaskRow]) -> str:
    if not overdue:
        return "Không có nhiệm vụ chưa hoàn thành quá hạn."
    lines = [f"Còn {len(overdue)} nhiệm vụ chưa hoàn thành quá hạn:"]
    for task in overdue:
        units = ", ".join(task.lead_units) or "chưa phân công"
        deadline = task.deadline_text.strip() or (format_date(task.due) if task.due else "")
        if task.due and task.deadline_text.strip():
            deadline = f"{deadline} ({format_date(task.due)})"
        reason = _sentence(task.difficulties) if task.difficulties else "Đơn vị chưa báo cáo lý do."
        lines.append(
            f"- {_task_name(task)} (đơn vị chủ trì: {units}; thời hạn: {deadline}; "
            f"tiến độ {task.progress}%). Lý do: {reason}"
        )
    return "\n".join(lines)


def _next_steps(data: ReportData, tasks: list[TaskRow]) -> str:
    following = _lower_first(data.period.next().label_vi())
    lines = [
        "Tiếp tục chỉ đạo các cơ quan, đơn vị tập trung hoàn thành các nhiệm vụ chưa hoàn thành, "
        "nhất là các nhiệm vụ đã quá hạn; cập nhật kết quả và minh chứng đầy đủ, kịp thời trên "
        "hệ thống theo dõi."
    ]
    if tasks:
        lines.append(f"Các nhiệm vụ đến hạn trong {following}:")
        for task in tasks:
            units = ", ".join(task.lead_units) or "chưa phân công"
            due = format_date(task.due) if task.due else ""
            lines.append(f"- {_task_name(task)} ({units}; hạn {due}).")
    return "\n".join(lines)


def _proposals(data: ReportData) -> str:
    lines = []
    for task in data.tasks:
        for proposal in task.proposals:
            units = ", ".join(task.lead_units)
            source = f"{units}, nhiệm vụ {task.code}" if units and task.code else units or task.code
            lines.append(f"- {_sentence(proposal)}" + (f" ({source})" if source else ""))
    return "\n".join(lines) if lines else "Không có."


def _recipients(plan: PlanFacts) -> str:
    committee, province = _province_words(plan.province)
    if plan.issuer_kind == PARTY:
        lines = [
            f"- Ban Thường vụ {committee} {province} (để báo cáo);".replace("  ", " "),
            "- Các đồng chí Đảng ủy viên;",
            "- Các chi bộ, đảng bộ trực thuộc;",
            "- Lưu Văn phòng Đảng ủy.",
        ]
    else:
        lines = [
            f"- UBND {_lower_first(plan.province) or 'cấp trên'} (để báo cáo);",
            "- Thường trực Đảng ủy phường (để báo cáo);"
            if plan.ward.lower().startswith("phường")
            else "- Thường trực Đảng ủy xã (để báo cáo);",
            "- Chủ tịch, các Phó Chủ tịch UBND;",
            "- Các cơ quan, đơn vị liên quan;",
            "- Lưu: VT.",
        ]
    return "\n".join(lines)


def _subject(plan: PlanFacts, reference: str, topic: str, label: str) -> str:
    """ "Kết quả thực hiện Kế hoạch số 110/KH-UBND ngày 25/03/2026, quý I/2026"; a plan not
    yet numbered is named by its title."""
    if not re.match(r"^\d", plan.number.strip()) and topic:
        reference = f"{reference} {topic}" if not topic.lower().startswith("kế hoạch") else topic
    return f"Kết quả thực hiện {reference}, {label}"


def assemble(data: ReportData) -> ReportContent:
    """The report as the office first sees it, everything taken from the data."""
    plan = data.plan
    counts = state_counts(data.tasks)
    party = plan.issuer_kind == PARTY
    label = _lower_first(data.period.label_vi())
    reference = plan_reference(plan)
    topic = _lower_first(plan.title.strip()) if plan.title.strip() else ""
    if party:
        parent_body = f"ĐẢNG BỘ {plan.province.upper()}" if plan.province else ""
        issuing_body = f"ĐẢNG ỦY {plan.ward.upper()}"
        number = f"{_GAP}-BC/ĐU"
        authority, title = "T/M BAN THƯỜNG VỤ", "BÍ THƯ"
    else:
        parent_body = ""
        issuing_body = f"ỦY BAN NHÂN DÂN\n{plan.ward.upper()}"
        number = f"{_GAP}/BC-UBND"
        authority, title = "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    intro = (
        f"Thực hiện {reference} của {plan.issuer or reporting_body(plan)}"
        + (f" về {topic}" if topic and not topic.lower().startswith("kế hoạch") else "")
        + f", {reporting_body(plan)} báo cáo kết quả thực hiện {label} như sau:"
    )
    return ReportContent(
        kind=PARTY if party else PEOPLES_COMMITTEE,
        parent_body=parent_body,
        issuing_body=issuing_body,
        number=number,
        place=plan.ward,
        date=data.today,
        subject=_subject(plan, reference, topic, label),
        intro=intro,
        summary=_summary(data, counts),
        sections=section_texts(data),
        indicators=_indicators_text(data),
        shortcomings=_shortcomings(overdue_tasks(data)),
        next_steps=_next_steps(data, next_period_tasks(data)),
        proposals=_proposals(data),
        signer_authority=authority,
        signer_title=title,
        signer_name="",
        recipients=_recipients(plan),
        as_of=data.as_of,
        state_table=counts,
        indicator_table=list(data.indicators),
    )


# --- Files ------------------------------------------------------------------------------------


def slug(text: str) -> str:
    """An ASCII file-name part: "110/KH-UBND" → "110-kh-ubnd"."""
    return re.sub(r"[^0-9a-z]+", "-", fold(text)).strip("-")


def file_stem(plan: PlanFacts, period: Period) -> str:
    """ "bao-cao-110-kh-ubnd-2026-q1" (the plan's id when it has no number)."""
    plan_part = slug(plan.number) if re.match(r"^\d", plan.number.strip()) else ""
    return f"bao-cao-{plan_part or f'ke-hoach-{plan.id}'}-{slug(str(period))}"
