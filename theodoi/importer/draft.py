"""The draft of an imported plan: what the recognisers read, before a person checks and saves it.

Pure data. ``row`` always says where in the source document an item was read ("line 214",
"table 2 row 7"), so a person can compare. ``to_json`` gives the shape of
``theodoi import_plan --format json``.
"""

import datetime
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from theodoi.plans.deadline import parse_deadline


@dataclass
class DraftPlan:
    number: str = ""
    issued_on: datetime.date | None = None
    issuer: str = ""
    issuer_kind: str = ""  # "party" or "peoples_committee"
    title: str = ""
    place: str = ""
    parent_references: list[str] = field(default_factory=list)
    # How often units report: read from the plan's sentences when they say, else quarterly,
    # the most common; ``reporting_cycle_source`` is the sentence it was read from.
    reporting_cycle: str = "quarterly"
    reporting_cycle_source: str = ""
    # The blocks the identity above was read from ("line 3", "paragraph 5"), for the coverage.
    sources: list[str] = field(default_factory=list)


@dataclass
class DraftSection:
    code: str
    title: str
    row: str = ""


@dataclass
class DraftTask:
    code: str
    title: str
    section: str = ""  # the section's code
    parent: str = ""  # the parent task's code
    output: str = ""
    kpi: str = ""
    lead_units_raw: str = ""
    coordinating_units_raw: str = ""
    accountable: str = ""
    note: str = ""
    deadline_text: str = ""
    row: str = ""
    # The source row's cells as read, shown beside the task so a person can compare.
    row_text: str = ""
    # Where else the document states the same task (a body item also in an appendix table):
    # the task is kept once, and the other statement is named here.
    also_at: str = ""
    # Filled by unit resolution against a ward's units: canonical names, and names not found.
    lead_units: list[str] = field(default_factory=list)
    coordinating_units: list[str] = field(default_factory=list)
    unknown_units: list[str] = field(default_factory=list)
    # The upper-level task (its id) the person chose for this task to carry out, once they
    # chose on the draft page (``upper_chosen``; None then means "none"); saving links it.
    upper_task: int | None = None
    upper_chosen: bool = False
    # In a province's plan, filled the same way: the wards the task is given to ("*": every
    # ward and commune), and the wards it names that are none of the province's.
    assigned_wards: list[str] = field(default_factory=list)
    unknown_wards: list[str] = field(default_factory=list)


@dataclass
class DraftIndicator:
    name: str
    code: str = ""
    group: str = ""  # the code of the group or section the indicator sits in
    unit: str = ""  # unit of measure: "%", "người/vạn dân", "Thứ bậc"
    comparator: str | None = None  # ">=", ">", "<=", "<", "=" or None for a qualitative target
    # Whether the target cell itself writes the comparator: a bare "100%" is read as ">=" (a
    # level to reach), which the draft shows as the direction, not as text of the document.
    comparator_written: bool = False
    target: Decimal | None = None
    target_text: str = ""
    target_year: int | None = None
    baseline: Decimal | None = None
    baseline_year: int | None = None
    baseline_text: str = ""
    milestones: dict[int, Decimal] = field(default_factory=dict)
    milestone_texts: dict[int, str] = field(default_factory=dict)
    lead_unit: str = ""
    monitoring_unit: str = ""
    # Columns the indicator has no field for ("Đơn vị phối hợp: …"), kept as written.
    note: str = ""
    row: str = ""


@dataclass
class DraftBudgetLine:
    item: str
    code: str = ""
    total: Decimal | None = None  # million VND
    by_year: dict[int, Decimal] = field(default_factory=dict)
    source: str = ""  # where the money comes from, as written
    period_text: str = ""  # "Thời gian thực hiện" as written
    table: str = ""  # the title of the budget table the line belongs to
    row: str = ""


# What a block of the document became, in the coverage: the draft's parts, text that is
# context by nature (grounds, purpose, recipients, signature), and text left out.
COVERAGE_KINDS = (
    "tasks",
    "sections",
    "indicators",
    "budget",
    "identity",
    "cadence",
    "context",
    "left_out",
)

# How each kind is named where the coverage is shown.
COVERAGE_LABELS = {
    "tasks": gettext_lazy("tasks"),
    "sections": gettext_lazy("section headings"),
    "indicators": gettext_lazy("indicators"),
    "budget": gettext_lazy("budget lines"),
    "identity": gettext_lazy("plan identity"),
    "cadence": gettext_lazy("reporting cycle"),
    "context": gettext_lazy("context"),
    "left_out": gettext_lazy("left out"),
}


@dataclass
class CoverageBlock:
    """A block (paragraph or table row) of the document that became nothing in the draft."""

    source: str
    text: str  # as read; a table row's filled cells joined by " | "
    chars: int  # its characters, spaces not counted
    part: str = ""  # the heading of the part of the document it stands in
    # In a part that should hold tasks (NHIỆM VỤ, GIẢI PHÁP, TỔ CHỨC THỰC HIỆN, an appendix).
    task_part: bool = False
    # The draft section it would join if added as a task: the nearest one before it.
    section: str = ""


@dataclass
class DraftCoverage:
    """How much of the document's text became what (``COVERAGE_KINDS``), counted in
    characters without spaces, and the blocks left out, in document order."""

    chars: dict[str, int] = field(default_factory=dict)
    blocks: dict[str, int] = field(default_factory=dict)
    left_out: list[CoverageBlock] = field(default_factory=list)
    # Text that could state tasks (read as tasks or left out, outside context parts) and
    # the number of tasks read from it: far more text per task than plans write means
    # tasks were glued together or missed.
    task_text: int = 0
    tasks: int = 0
    few_tasks: bool = False
    # Tasks read from many blocks or very long text: maybe several tasks joined into one.
    long_tasks: list[str] = field(default_factory=list)
    # Left-out blocks a person added as tasks on the draft page.
    added: list[str] = field(default_factory=list)
    # The draft's warning that sums up the left-out blocks, kept to be updated when one is
    # added as a task.
    summary: str = ""

    @property
    def total(self) -> int:
        return sum(self.chars.values())

    def share(self, kind: str) -> float:
        """The share (0–100) of the document's text that became ``kind``."""
        total = self.total
        return round(100 * self.chars.get(kind, 0) / total, 1) if total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "total_chars": self.total,
            "chars": {kind: self.chars.get(kind, 0) for kind in COVERAGE_KINDS},
            "blocks": {kind: self.blocks.get(kind, 0) for kind in COVERAGE_KINDS},
            "shares": {kind: self.share(kind) for kind in COVERAGE_KINDS},
            "task_text_chars": self.task_text,
            "tasks": self.tasks,
            "few_tasks": self.few_tasks,
            "long_tasks": list(self.long_tasks),
            "left_out": [asdict(block) for block in self.left_out],
            "added": list(self.added),
        }


@dataclass
class Draft:
    plan: DraftPlan = field(default_factory=DraftPlan)
    sections: list[DraftSection] = field(default_factory=list)
    tasks: list[DraftTask] = field(default_factory=list)
    indicators: list[DraftIndicator] = field(default_factory=list)
    budget: list[DraftBudgetLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Set by the recogniser; None for a draft kept before coverage was measured.
    coverage: DraftCoverage | None = None

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of ``import_plan --format json`` (more keys are welcome)."""
        year = self.plan.issued_on.year if self.plan.issued_on else None
        return _jsonable(
            {
                "plan": asdict(self.plan),
                "sections": [asdict(section) for section in self.sections],
                "tasks": [_task_json(task, year) for task in self.tasks],
                "indicators": [_indicator_json(indicator) for indicator in self.indicators],
                "budget": [_budget_json(line) for line in self.budget],
                "warnings": list(self.warnings),
                "coverage": self.coverage.to_json() if self.coverage else None,
            }
        )


# The parser's recurrence names, as the JSON format spells them.
_RECURRENCE_JSON = {
    "": None,
    "continuous": "continuous",
    "weekly": "weekly",
    "monthly": "monthly",
    "quarterly": "quarterly",
    "half_yearly": "semiannually",
    "yearly": "annually",
}


def _task_json(task: DraftTask, plan_year: int | None) -> dict[str, Any]:
    parsed = parse_deadline(task.deadline_text, plan_year=plan_year)
    data = asdict(task)
    data["parent"] = task.parent or None
    data.pop("deadline_text")
    # The person's choice on the draft page, not something read from the document.
    data.pop("upper_task")
    data.pop("upper_chosen")
    data["deadline"] = {
        "text": task.deadline_text,
        "kind": parsed.kind.value,
        "due": parsed.due_date,
        "recurrence": _RECURRENCE_JSON[parsed.recurrence.value],
        "needs_review": parsed.needs_review,
    }
    return data


def _indicator_json(indicator: DraftIndicator) -> dict[str, Any]:
    data = asdict(indicator)
    for key in ("baseline", "baseline_year", "baseline_text"):
        data.pop(key)
    data["baseline"] = (
        {
            "year": indicator.baseline_year,
            "value": indicator.baseline,
            "text": indicator.baseline_text,
        }
        if indicator.baseline is not None or indicator.baseline_text
        else None
    )
    return data


def _budget_json(line: DraftBudgetLine) -> dict[str, Any]:
    data = asdict(line)
    data["period"] = data.pop("period_text")
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, Decimal):
        # Whole numbers stay integers in JSON ("3792", not "3792.000").
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


_SOURCE_WORDS = {
    "paragraph": gettext_lazy("paragraph"),
    "sheet": gettext_lazy("sheet"),
    "table": gettext_lazy("table"),
    "page": gettext_lazy("page"),
    "line": gettext_lazy("line"),
    "row": gettext_lazy("row"),
}
# One step of a position: a keyword and its number or span ("row 7", "line 550–589").
_SOURCE_STEP = re.compile(r"(paragraph|table|page|line|row) (\d+(?:[–-]\d+)?)")


def _source_steps(part: str) -> list[tuple[str, str]] | None:
    """("table", "3"), ("row", "7") of "table 3 row 7"; None when the text is no position.
    A sheet's name may hold spaces and keywords, so it runs to the last " row "."""
    steps: list[tuple[str, str]] = []
    if part.startswith("sheet "):
        title, found, rest = part[len("sheet ") :].rpartition(" row ")
        if not found:
            return [("sheet", part[len("sheet ") :])]
        steps.append(("sheet", title))
        part = "row " + rest
    position = 0
    for match in _SOURCE_STEP.finditer(part):
        if part[position : match.start()].strip():
            return None
        steps.append((match.group(1), match.group(2)))
        position = match.end()
    return steps if steps and not part[position:].strip() else None


def where(source: str, *, capital: bool = False) -> str:
    """A source position as a person reads it, in the interface language: the stored
    "table 3 row 7" is "bảng 3, hàng 7", "line 263, line 267" is "dòng 263, dòng 267" and
    "sheet Kế hoạch row 5" is "trang tính «Kế hoạch», hàng 5". The stored text stays
    English and parsable; only what is shown is translated. ``capital`` to begin a sentence
    (str.capitalize would lower-case a sheet's name). A text that is no position is kept."""
    read = []
    for part in source.split(","):
        steps = _source_steps(part.strip())
        if steps is None:
            return source
        read.append(steps)
    shown = []
    for steps in read:
        words = [
            f"{_SOURCE_WORDS[key]} «{value}»" if key == "sheet" else f"{_SOURCE_WORDS[key]} {value}"
            for key, value in steps
        ]
        shown.append(", ".join(words))
    separator = "; " if any(len(steps) > 1 for steps in read) else ", "
    text = separator.join(shown)
    return text[:1].upper() + text[1:] if capital else text


def draft_to_data(draft: Draft) -> dict[str, Any]:
    """Everything in the draft as JSON-safe data, for keeping it between requests."""
    return _stored(asdict(draft))


def _stored(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _stored(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_stored(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def draft_from_data(data: dict[str, Any]) -> Draft:
    """The inverse of ``draft_to_data``."""
    plan = dict(data.get("plan", {}))
    if plan.get("issued_on"):
        plan["issued_on"] = datetime.date.fromisoformat(plan["issued_on"])
    return Draft(
        plan=DraftPlan(**plan),
        sections=[DraftSection(**item) for item in data.get("sections", [])],
        tasks=[DraftTask(**item) for item in data.get("tasks", [])],
        indicators=[_indicator_from_data(item) for item in data.get("indicators", [])],
        budget=[_budget_from_data(item) for item in data.get("budget", [])],
        warnings=list(data.get("warnings", [])),
        coverage=_coverage_from_data(data.get("coverage")),
    )


def _coverage_from_data(item: dict[str, Any] | None) -> DraftCoverage | None:
    if not item:
        return None
    values = dict(item)
    values["left_out"] = [CoverageBlock(**block) for block in values.get("left_out", [])]
    return DraftCoverage(**values)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _indicator_from_data(item: dict[str, Any]) -> DraftIndicator:
    values = dict(item)
    values["target"] = _decimal(values.get("target"))
    values["baseline"] = _decimal(values.get("baseline"))
    values["milestones"] = {
        int(y): Decimal(str(v)) for y, v in values.get("milestones", {}).items()
    }
    values["milestone_texts"] = {int(y): t for y, t in values.get("milestone_texts", {}).items()}
    return DraftIndicator(**values)


def _budget_from_data(item: dict[str, Any]) -> DraftBudgetLine:
    values = dict(item)
    values["total"] = _decimal(values.get("total"))
    values["by_year"] = {int(y): Decimal(str(v)) for y, v in values.get("by_year", {}).items()}
    return DraftBudgetLine(**values)
