"""The draft of an imported plan: what the recognisers read, before a person checks and saves it.

Pure data. ``row`` always says where in the source document an item was read ("line 214",
"table 2 row 7"), so a person can compare. ``to_json`` gives the shape of
``theodoi import_plan --format json``.
"""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class DraftPlan:
    number: str = ""
    issued_on: datetime.date | None = None
    issuer: str = ""
    issuer_kind: str = ""  # "party" or "peoples_committee"
    title: str = ""
    place: str = ""
    parent_references: list[str] = field(default_factory=list)


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
    # Filled by unit resolution against a ward's units: canonical names, and names not found.
    lead_units: list[str] = field(default_factory=list)
    coordinating_units: list[str] = field(default_factory=list)
    unknown_units: list[str] = field(default_factory=list)


@dataclass
class DraftIndicator:
    name: str
    code: str = ""
    group: str = ""  # the code of the group or section the indicator sits in
    unit: str = ""  # unit of measure: "%", "người/vạn dân", "Thứ bậc"
    comparator: str | None = None  # ">=", ">", "<=", "<", "=" or None for a qualitative target
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


@dataclass
class Draft:
    plan: DraftPlan = field(default_factory=DraftPlan)
    sections: list[DraftSection] = field(default_factory=list)
    tasks: list[DraftTask] = field(default_factory=list)
    indicators: list[DraftIndicator] = field(default_factory=list)
    budget: list[DraftBudgetLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


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
