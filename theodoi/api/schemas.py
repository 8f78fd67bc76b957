"""Request and response shapes of the API. Dates are ISO 8601; decimals are JSON numbers."""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from theodoi.core.inputs import TEXT_MAX, date_problem
from theodoi.plans.states import TaskState
from theodoi.reporting.models import Evidence

# A database id: anything else cannot exist, and a 30-digit number would overflow the query.
DbId = Annotated[int, Field(gt=0, lt=2**63)]

# A text a person writes (a report, a reason, a note): the pages' limit too.
Text = Annotated[str, Field(max_length=TEXT_MAX)]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_in_range(value: datetime.date | None) -> datetime.date | None:
    """A date field's check after parsing: refused outside the years the pages accept."""
    if date_problem(value, label=""):
        raise PydanticCustomError("date_range", "date out of range")
    return value


class Input(Schema):
    """Base of request bodies: refuses NUL characters, which PostgreSQL cannot store."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("nul_character", "NUL in {field}", {"field": info.field_name})
        return value


class Detail(Schema):
    detail: str


class TokenIn(Input):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    name: str = Field("", max_length=100, description="What the token is for, to recognise it.")
    otp_code: str = Field(
        "",
        max_length=16,
        description="The six-digit code of the authenticator app, required when the person has "
        "turned on two-factor sign-in.",
    )


class TokenOut(Schema):
    token: str
    expires_at: datetime.datetime


class TokenInfo(Schema):
    """A token as its owner sees it later: never the secret, only its first characters."""

    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime
    expired: bool


class TokenListOut(Schema):
    items: list[TokenInfo]


class Ref(Schema):
    id: int
    name: str


class OrganizationOut(Schema):
    id: int
    name: str
    code: str


class PlaceOut(OrganizationOut):
    kind: str


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    unit: Ref | None
    ward: OrganizationOut | None = Field(description="The ward or commune; null above wards.")
    organization: PlaceOut | None = Field(description="Where the person sits in the tree.")


class PlanOut(Schema):
    id: int
    number: str
    title: str
    issuer: str
    issued_on: datetime.date | None
    ward: OrganizationOut
    task_count: int


class PlanListOut(Schema):
    items: list[PlanOut]


class SectionOut(Schema):
    id: int
    code: str
    title: str


class DeadlineOut(Schema):
    text: str
    kind: str
    due: datetime.date | None
    recurrence: str | None


class TaskOut(Schema):
    id: int
    plan_id: int
    code: str
    section: SectionOut | None
    parent_id: int | None
    title: str
    lead_units: list[Ref]
    deadline: DeadlineOut
    progress: int
    expected_progress: float | None
    state: TaskState


class TaskListOut(Schema):
    items: list[TaskOut]


class PersonOut(Schema):
    username: str
    full_name: str


class ReportOut(Schema):
    id: int
    period: str
    percent: int
    result: str
    difficulties: str
    proposals: str
    status: str
    return_reason: str
    submitted_by: PersonOut | None
    submitted_at: datetime.datetime | None
    version: int = Field(description="Send it back with a correction to detect concurrent edits.")


class ReviewOut(Schema):
    decision: str = Field(description="accepted | rejected")
    reason: str
    reviewer: PersonOut | None
    reviewed_at: datetime.datetime


class EvidenceOut(Schema):
    id: int
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str
    document_number: str
    document_date: datetime.date | None
    description: str = ""
    replaces: int | None = Field(None, description="The id of the file this one replaces.")
    uploaded_at: datetime.datetime
    review: ReviewOut | None = Field(description="The latest review, null while none.")
    download_url: str
    version: int = Field(
        description="Send it back with a review to detect concurrent reviews (the latest "
        "review's id, 0 while none)."
    )


class AlertReasonOut(Schema):
    rule: str = Field(description="One rule that holds (DESIGN.md §4).")
    keys: list[str] = Field(description="The periods missing a report; empty for other rules.")
    numbers: dict[str, Any]
    message: str


class AlertAcknowledgementOut(Schema):
    by: PersonOut | None
    at: datetime.datetime
    note: str
    snoozed_until: datetime.date | None = Field(
        description="Hidden from the lists and digests before this day."
    )


class TaskAlertOut(Schema):
    id: int
    rule: str = Field(description="The most urgent reason's rule.")
    severity: Literal["high", "medium", "low"]
    reasons: list[AlertReasonOut] = Field(description="Every reason that holds, most urgent first.")
    numbers: dict[str, Any] = Field(description="The most urgent reason's numbers.")
    message: str = Field(description="A summary of the reasons.")
    unit: Ref | None
    raised_at: datetime.datetime
    acknowledged: AlertAcknowledgementOut | None


class TaskDetailOut(TaskOut):
    output: str
    kpi: str
    coordinating_units: list[Ref]
    reports: list[ReportOut]
    evidence: list[EvidenceOut]
    alerts: list[TaskAlertOut] = Field(description="Open alerts only.")


class ReportIn(Input):
    period: str = Field(max_length=20, examples=["2026-Q4"])
    percent: int
    result: Text = ""
    difficulties: Text = ""
    proposals: Text = ""
    version: int | None = Field(
        None, ge=0, lt=2**31, description="The version read, when correcting a report."
    )


class EvidenceForm(Input):
    """The multipart fields sent with an evidence file."""

    kind: Evidence.Kind = Evidence.Kind.OTHER
    document_number: str = Field("", max_length=60)
    description: Text = ""
    replaces: int | None = Field(
        None,
        ge=1,
        lt=2**63,
        description="The id of a rejected, not withdrawn evidence file of the same task that "
        "this file replaces; the reviewer sees the two side by side.",
    )
    document_date: datetime.date | None = Field(
        None, description="YYYY-MM-DD, from 2000-01-01 to 2100-12-31."
    )

    @field_validator("document_date", mode="before")
    @classmethod
    def _typed_date(cls, value: Any) -> Any:
        # HTML forms and curl -F send an empty string for "no date". Pydantic would also read
        # a number as seconds since 1970 ("0" became 1970-01-01): only a written date counts.
        if value == "":
            return None
        if isinstance(value, str) and not _ISO_DATE.fullmatch(value.strip()):
            raise PydanticCustomError("date_format", "not a YYYY-MM-DD date")
        return value

    _plausible_date = field_validator("document_date")(_date_in_range)


class ReviewIn(Input):
    decision: Literal["accept", "reject"]
    reason: Text = ""
    version: int | None = Field(
        None,
        ge=0,
        lt=2**63,
        description="The evidence's version read (EvidenceOut.version): if someone reviewed the "
        "file since, the answer is 409 and nothing is recorded.",
    )


# A number, or a text in Vietnamese notation ("85,5") that the service reads.
Number = Decimal | str | None

# Indicator values are stored with 16 digits, 4 of them decimals.
NUMBER_LIMIT = Decimal(10) ** 12


def _storable_number(value: Number) -> Number:
    """A number the database can keep (16 digits, 4 decimals): NaN, infinities and numbers too
    long are refused here; text that is no number at all is left to the service."""
    try:
        number = Decimal(value.strip().replace(",", ".")) if isinstance(value, str) else value
    except InvalidOperation:
        return value
    if number is not None and (not number.is_finite() or abs(number) >= NUMBER_LIMIT):
        raise PydanticCustomError("number_range", "number out of range")
    return value


class IndicatorValueIn(Input):
    period: str = Field(max_length=20, examples=["2026-Q4"])
    value: Number = None
    numerator: Number = None
    denominator: Number = None
    note: Text = ""

    @field_validator("value", "numerator", "denominator")
    @classmethod
    def _storable(cls, value: Number) -> Number:
        # NaN, infinities and numbers too long for the column would fail in the database; text
        # that is no number at all is left to the service, whose message says how to write it.
        try:
            number = Decimal(value.strip().replace(",", ".")) if isinstance(value, str) else value
        except InvalidOperation:
            return value
        if number is not None and (not number.is_finite() or abs(number) >= NUMBER_LIMIT):
            raise PydanticCustomError("number_range", "number out of range")
        return value


class IndicatorValueOut(Schema):
    id: int
    indicator_id: int
    period: str
    value: float
    numerator: float | None
    denominator: float | None
    note: str
    recorded_at: datetime.datetime


class AlertOut(Schema):
    """One alert of a task or indicator, carrying every reason that holds for it."""

    id: int
    rule: str = Field(description="The most urgent reason's rule.")
    severity: Literal["high", "medium", "low"]
    reasons: list[AlertReasonOut] = Field(description="Every reason that holds, most urgent first.")
    task_id: int | None
    indicator_id: int | None
    unit: Ref | None
    numbers: dict[str, Any] = Field(description="The most urgent reason's numbers.")
    message: str = Field(description="A summary of the reasons.")
    raised_at: datetime.datetime
    closed_at: datetime.datetime | None
    acknowledged: AlertAcknowledgementOut | None


class AlertListOut(Schema):
    items: list[AlertOut]


# --- Editing a plan ---------------------------------------------------------------------------

_VERSION_HELP = (
    "The record's updated_at as read: if someone saved it since, the answer is 409 and nothing "
    "is changed. Leave it out only to overwrite whatever is there."
)
Cycle = Literal["weekly", "monthly", "quarterly", "half_yearly", "yearly"]
ShortText = Annotated[str, Field(max_length=200)]


class TaskFieldsIn(Input):
    title: Text | None = None
    code: str | None = Field(None, max_length=30)
    section_id: DbId | None = None
    parent_id: DbId | None = None
    output: Text | None = None
    kpi: Text | None = None
    lead_unit_ids: list[DbId] | None = Field(
        None, max_length=100, description="In order: the first is the responsible unit."
    )
    coordinating_unit_ids: list[DbId] | None = Field(None, max_length=100)
    accountable: ShortText | None = None
    # Vietnamese on purpose: examples of deadlines as the plans write them.
    deadline_text: str | None = Field(
        None, max_length=1000, examples=["Quý III/2026", "Trước 30/6/2026", "Thường xuyên"]
    )
    reporting_cycle: Cycle | Literal[""] | None = Field(
        None, description='"" follows the plan\'s cycle.'
    )
    start_date: datetime.date | None = None
    weight: Decimal | None = Field(None, gt=0, lt=10000)
    note: Text | None = None

    _plausible_start = field_validator("start_date")(_date_in_range)


class TaskPatchIn(TaskFieldsIn):
    updated_at: datetime.datetime | None = Field(None, description=_VERSION_HELP)


class TaskCreateIn(TaskFieldsIn):
    title: Text = Field(min_length=1)


class WithdrawIn(Input):
    reason: Text = Field(min_length=1)
    updated_at: datetime.datetime | None = Field(None, description=_VERSION_HELP)


class TaskEditOut(TaskOut):
    output: str
    kpi: str
    coordinating_units: list[Ref]
    accountable: str
    reporting_cycle: str
    start_date: datetime.date | None
    weight: float
    note: str
    withdrawn_at: datetime.datetime | None
    withdrawn_reason: str
    updated_at: datetime.datetime


class IndicatorPatchIn(Input):
    name: Text | None = None
    code: str | None = Field(None, max_length=30)
    section_id: DbId | None = None
    unit_of_measure: str | None = Field(None, max_length=100)
    comparator: Literal[">=", ">", "<=", "<", "="] | None = None
    baseline: Number = None
    baseline_year: int | None = Field(None, ge=2000, le=2100)
    baseline_text: Text | None = None
    target: Number = None
    target_year: int | None = Field(None, ge=2000, le=2100)
    target_text: Text | None = None
    milestones: dict[int, Number] | None = Field(
        None,
        max_length=60,
        description='The whole roadmap, {year: value}, replacing the one stored: {"2026": 50}.',
    )
    lead_unit_id: DbId | None = None
    monitoring_unit_id: DbId | None = None
    note: Text | None = None
    is_ratio: bool | None = None
    numerator_label: ShortText | None = None
    denominator_label: ShortText | None = None
    updated_at: datetime.datetime | None = Field(None, description=_VERSION_HELP)

    @field_validator("baseline", "target")
    @classmethod
    def _storable(cls, value: Number) -> Number:
        return _storable_number(value)

    @field_validator("milestones")
    @classmethod
    def _storable_milestones(cls, value: dict[int, Number] | None) -> dict[int, Number] | None:
        for number in (value or {}).values():
            if number is None:
                raise PydanticCustomError("number_range", "a milestone needs a value")
            _storable_number(number)
        return value


class MilestoneOut(Schema):
    year: int
    value: float


class IndicatorOut(Schema):
    id: int
    plan_id: int
    code: str
    name: str
    section_id: int | None
    unit_of_measure: str
    comparator: str
    baseline: float | None
    baseline_year: int | None
    baseline_text: str
    target: float | None
    target_year: int | None
    target_text: str
    milestones: list[MilestoneOut]
    lead_unit: Ref | None
    monitoring_unit: Ref | None
    note: str
    is_ratio: bool
    numerator_label: str
    denominator_label: str
    updated_at: datetime.datetime


class PlanPatchIn(Input):
    number: str | None = Field(None, max_length=60)
    title: Text | None = None
    issuer: ShortText | None = None
    issuer_kind: Literal["party", "peoples_committee"] | None = None
    issued_on: datetime.date | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    reporting_cycle: Cycle | None = None
    report_due_days: int | None = Field(None, ge=0, le=90)
    parent_references: Text | None = None
    updated_at: datetime.datetime | None = Field(None, description=_VERSION_HELP)

    _plausible = field_validator("issued_on", "period_start", "period_end")(_date_in_range)


class PlanEditOut(Schema):
    id: int
    number: str
    title: str
    issuer: str
    issuer_kind: str
    issued_on: datetime.date | None
    period_start: datetime.date | None
    period_end: datetime.date | None
    reporting_cycle: str
    report_due_days: int
    parent_references: str
    status: str
    withdrawn_reason: str
    updated_at: datetime.datetime


class PlanWithdrawOut(Schema):
    outcome: Literal["deleted", "archived"] = Field(
        description="deleted: nothing had been reported on the plan; archived: kept with its "
        "history, out of every count."
    )
    plan: PlanEditOut | None = Field(description="The archived plan; null once deleted.")


class GapCountsOut(Schema):
    lead_unit: int
    deadline: int
    output: int
    kpi: int


class TaskGapsOut(Schema):
    id: int
    code: str
    title: str
    missing: list[Literal["lead_unit", "deadline", "output", "kpi"]]


class CompletenessOut(Schema):
    """How far a plan's tasks have their "6 rõ". ``not_trackable``: tasks without a lead unit
    or without a due date; ``incomplete``: tasks lacking anything of ``gaps``."""

    plan_id: int
    total: int
    not_trackable: int
    incomplete: int
    gaps: GapCountsOut
    tasks: list[TaskGapsOut]


class BulkAssignIn(Input):
    """What to give the tasks ``task_ids``: only the fields given change. The lead unit
    replaces the tasks' lead units; coordinating units are added to theirs. The deadline is
    written as a person writes it ("Quý III/2026") and must name a day."""

    task_ids: list[DbId] = Field(min_length=1, max_length=1000)
    lead_unit_id: DbId | None = None
    coordinating_unit_ids: list[DbId] = Field(default_factory=list, max_length=200)
    deadline_text: str | None = Field(None, max_length=500)
    output: Text | None = None
    kpi: Text | None = None


class BulkAssignOut(Schema):
    assigned: int
    completeness: CompletenessOut


class AmendmentIn(Input):
    """An amendment of a plan: the amending document and its change list, in the shape of
    ``plans.amendments`` (``added`` with ``row``; ``changed`` with ``task`` and ``fields``
    name → {"before"?, "after"}, plus ``lead_unit_ids``/``coordinating_unit_ids`` for units;
    ``withdrawn`` with ``task`` and ``reason``). A ``before`` value that no longer matches the
    task refuses the whole amendment with 409."""

    number: str = Field(max_length=60, examples=["25/KH-UBND"])
    issued_on: datetime.date | None = None
    note: Text = ""
    changes: list[dict[str, Any]] = Field(max_length=2000)


class AmendmentOut(Schema):
    version: int = Field(description="0 is the plan as issued; each amendment adds one.")
    number: str
    issued_on: datetime.date | None
    note: str
    changes: list[dict[str, Any]]
    created_at: datetime.datetime | None
    created_by: str | None


class AmendmentDetailOut(AmendmentOut):
    before: list[dict[str, Any]] = Field(description="The plan's tasks before this version.")
    after: list[dict[str, Any]] = Field(description="The plan's tasks in this version.")


class AmendmentListOut(Schema):
    items: list[AmendmentOut]


# --- The periodic report between installations (schema "theodoi.upward-report/1") -------------

UpwardText = Annotated[str | None, Field(None, max_length=TEXT_MAX)]
UpwardNumber = Annotated[float | None, Field(None, allow_inf_nan=False)]


class UpwardOrg(Schema):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(max_length=200)


class UpwardPlan(Schema):
    number: str = Field(min_length=1, max_length=60)
    title: str = Field(max_length=TEXT_MAX)
    issued_on: datetime.date | None = None
    upper_plan_number: str | None = Field(None, max_length=60)


class UpwardPeriod(Schema):
    key: str = Field(pattern=r"^\d{4}-(Q[1-4]|0[1-9]|1[0-2])$", description="2026-Q3 or 2026-09")
    label: str = Field(max_length=60, description="The period as people read it.")
    start: datetime.date
    end: datetime.date


class UpwardSummary(Schema):
    tasks_total: int = Field(ge=0)
    done: int = Field(ge=0)
    done_on_time: int = Field(ge=0)
    overdue: int = Field(ge=0)
    in_progress: int = Field(ge=0)
    not_started: int = Field(ge=0)
    average_progress: UpwardNumber


class UpwardSection(Schema):
    code: str = Field(max_length=40)
    title: str = Field(max_length=TEXT_MAX)
    text: str = Field(max_length=100_000)


class UpwardTask(Schema):
    code: str | None = Field(None, max_length=40)
    title: str = Field(max_length=TEXT_MAX)
    upper_task_code: str | None = Field(None, max_length=40)
    lead_unit: str | None = Field(None, max_length=200)
    state: str | None = Field(None, max_length=40)
    progress: UpwardNumber
    due_date: datetime.date | None = None
    result: UpwardText
    difficulties: UpwardText
    proposals: UpwardText


class UpwardIndicator(Schema):
    code: str | None = Field(None, max_length=40)
    name: str = Field(max_length=TEXT_MAX)
    unit: str | None = Field(None, max_length=60)
    target: UpwardNumber
    milestone: UpwardNumber
    value: UpwardNumber
    period: str | None = Field(None, max_length=10)
    catalogue_code: str | None = Field(None, max_length=60)


class UpwardEvidence(Schema):
    name: str = Field(max_length=255)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    task_code: str | None = Field(None, max_length=40)
    accepted_on: datetime.date | None = None


class UpwardReportPayload(Schema):
    """The JSON form of a ward's periodic report, as the ward's installation sends it. Adding a
    field keeps the schema at /1 (readers ignore what they do not know); renaming, removing or
    changing the meaning of one makes /2."""

    schema_: Literal["theodoi.upward-report/1"] = Field(alias="schema")
    ward: UpwardOrg
    province: UpwardOrg
    plan: UpwardPlan
    period: UpwardPeriod
    due_on: datetime.date | None = None
    sent_on: datetime.date | None = None
    version: int = Field(ge=1, lt=2**31)
    summary: UpwardSummary
    sections: list[UpwardSection] = Field(default_factory=list, max_length=200)
    tasks: list[UpwardTask] = Field(default_factory=list, max_length=5000)
    indicators: list[UpwardIndicator] = Field(default_factory=list, max_length=2000)
    evidence: list[UpwardEvidence] = Field(default_factory=list, max_length=10000)
    package_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class UpwardReceipt(Schema):
    """The province installation's record of a ward's report: the sender keeps it, and reads it
    again to learn the answer."""

    id: int
    ward: UpwardOrg
    plan_number: str
    period: str
    status: Literal["draft", "sent", "returned", "accepted"]
    version: int
    key: str = Field(description="The Idempotency-Key of the sending this installation holds.")
    received_at: datetime.datetime | None
    return_reason: str
    answered_at: datetime.datetime | None
    package_sha256: str


class UpwardReportOut(UpwardReceipt):
    # As stored: a report sent from this installation's own pages or under an earlier version
    # of the schema is given back as it was sent, never refused on the way out.
    payload: UpwardReportPayload | dict[str, Any] | None = Field(
        description=(
            "The report's JSON form as the ward sent it (schema theodoi.upward-report/1: "
            "UpwardReportPayload)."
        )
    )


class UpwardReportListOut(Schema):
    items: list[UpwardReportOut]
