"""Writes to budget lines: atomic, permission-checked, audited like every other write."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record, snapshot
from theodoi.budget.amounts import format_amount
from theodoi.budget.models import BudgetLine, WardBudget
from theodoi.core.access import Action, Actor, can, person_of, require
from theodoi.core.numbers import parse_typed_number
from theodoi.org.models import Organization, User
from theodoi.plans.models import Plan, Section, Task


class BudgetError(ValueError):
    """Bad input a person can correct; the message says how, translated."""


class StaleBudgetLine(BudgetError):
    def __init__(self) -> None:
        super().__init__(
            gettext(
                "Someone else has just updated this budget line. Reload the page to see the new "
                "figures, then enter yours again."
            )
        )


@transaction.atomic
def budget_lines_create(
    *,
    actor: Actor,
    plan: Plan,
    content: str,
    by_year: Mapping[int, Decimal],
    code: str = "",
    source: str = BudgetLine.Source.WARD,
    note: str = "",
    section: Section | None = None,
    task: Task | None = None,
) -> list[BudgetLine]:
    """One line per year of an estimate row ("Năm 2026 … Năm 2030")."""
    require(actor, Action.MANAGE_PLAN, plan)
    start = plan.budget_lines.count()
    # An item the document names without any amount is kept as one line without year.
    amounts: list[tuple[int | None, Decimal | None]] = list(sorted(by_year.items())) or [
        (None, None)
    ]
    lines = [
        BudgetLine.objects.create(
            plan=plan,
            section=section,
            task=task,
            code=code,
            content=content,
            year=year,
            source=source,
            estimate=amount,
            note=note,
            order=start + offset,
            origin=BudgetLine.Origin.IMPORT,
            created_by=person_of(actor),
            created_at=timezone.now(),
        )
        for offset, (year, amount) in enumerate(amounts)
    ]
    for line in lines:
        audit_record(
            actor=actor,
            action=AuditAction.BUDGET_CREATE,
            obj=line,
            organization=plan.organization,
            summary=f"{content[:150]} ({line.year}): {line.estimate}",
            after=snapshot(line),
        )
    return lines


# --- Allocated and disbursed amounts, the ward's total budget ---------------------------------

_LIMIT = Decimal("1e13")  # the money columns hold 16 digits, 3 after the point


def _amount(value, label: str) -> Decimal | None:
    """An amount in million VND as a ward writes it ("1.200" = 1200, "12,5" = 12.5); None
    when left empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        number: Decimal | None = Decimal(value)
    else:
        text = str(value).strip()
        number = parse_typed_number(text)
        if number is None:
            raise BudgetError(
                gettext("%(label)s must be an amount in million dong (for example 1.200 or 12,5).")
                % {"label": label}
            )
    assert number is not None
    if not number.is_finite() or abs(number) >= _LIMIT:
        raise BudgetError(gettext("%(label)s is too large or invalid.") % {"label": label})
    if number < 0:
        raise BudgetError(gettext("%(label)s must not be negative.") % {"label": label})
    if number != number.quantize(Decimal("0.001")):
        raise BudgetError(
            gettext("%(label)s is in million dong, with at most 3 decimal places.")
            % {"label": label}
        )
    return number.quantize(Decimal("0.001"))


@dataclass
class BudgetRecord:
    line: BudgetLine
    warnings: list[str] = field(default_factory=list)


def _locked(line: BudgetLine, version: int | None) -> BudgetLine:
    locked = (
        BudgetLine.objects.select_for_update(of=("self",), no_key=True)
        .select_related("plan__organization")
        .get(pk=line.pk)
    )
    if version is not None and version != locked.version:
        raise StaleBudgetLine
    return locked


@transaction.atomic
def budget_line_record(
    *, actor: User, line: BudgetLine, allocated, disbursed, version: int | None = None
) -> BudgetRecord:
    """Record what was allocated to and disbursed on one line (million VND, empty = not known
    yet). More disbursed than allocated is saved with a warning: the office may be entering
    the disbursement before the allocation decision."""
    if not can(actor, Action.RECORD_BUDGET, line.plan):
        raise PermissionDenied
    allocated = _amount(allocated, gettext("The amount allocated"))
    disbursed = _amount(disbursed, gettext("The amount disbursed"))
    line = _locked(line, version)
    fields = ["allocated", "disbursed", "version"]
    before = snapshot(line, fields)
    line.allocated, line.disbursed = allocated, disbursed
    line.version += 1
    line.save(update_fields=fields)
    warnings = []
    if disbursed is not None and allocated is None and disbursed > 0:
        warnings.append(
            gettext("A disbursement was recorded but no amount has been allocated yet.")
        )
    elif disbursed is not None and allocated is not None and disbursed > allocated:
        warnings.append(
            gettext(
                "The amount disbursed (%(disbursed)s million dong) is larger than the amount "
                "allocated (%(allocated)s million dong). Please check."
            )
            % {"disbursed": format_amount(disbursed), "allocated": format_amount(allocated)}
        )
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_RECORD,
        obj=line,
        organization=line.plan.organization,
        summary=f"{line.content[:120]} ({line.year}): giao {allocated}, giải ngân {disbursed}",
        before=before,
        after=snapshot(line, fields),
    )
    return BudgetRecord(line, warnings)


@transaction.atomic
def ward_budget_record(
    *, actor: User, organization: Organization, year, total, note: str = ""
) -> WardBudget:
    """The standing office records the ward's total budget spending for a year."""
    require(actor, Action.MANAGE_PLAN, organization)
    if not organization.is_local:
        raise BudgetError(gettext("Only a ward records its total budget spending."))
    try:
        year = int(str(year).strip())
    except ValueError as exc:
        raise BudgetError(gettext("The year must be a number, for example 2026.")) from exc
    if not 2000 <= year <= 2100:
        raise BudgetError(gettext("The year must be between 2000 and 2100."))
    amount = _amount(total, gettext("The ward's total budget spending"))
    if not amount:
        raise BudgetError(
            gettext("Enter the ward's total budget spending (greater than 0) to compute the ratio.")
        )

    record = (
        WardBudget.objects.select_for_update(of=("self",), no_key=True)
        .filter(organization=organization, year=year)
        .first()
    )
    before = snapshot(record) if record else None
    if record is None:
        record = WardBudget(organization=organization, year=year)
    record.total, record.note, record.updated_by = amount, note.strip(), actor
    record.save()
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_WARD_TOTAL,
        obj=record,
        organization=organization,
        summary=f"{year}: {amount}",
        before=before,
        after=snapshot(record),
    )
    return record


# --- Lines added, corrected and removed on the web --------------------------------------------

_LINE_FIELDS = ["content", "code", "year", "source", "estimate", "task", "section", "note"]


@dataclass
class LineInput:
    """What a person gives for one line: the item, its year, funding source and estimate, and
    the plan's task it serves (or none)."""

    content: str
    year: int | None = None
    estimate: Decimal | str | None = None
    code: str = ""
    source: str = BudgetLine.Source.WARD
    task: Task | None = None
    note: str = ""


def _clean_line(plan: Plan, data: LineInput) -> dict:
    """The fields to store, or a BudgetError saying what to correct."""
    content = (data.content or "").strip()
    if not content:
        raise BudgetError(gettext("Write what the line pays for (the item)."))
    if data.source not in BudgetLine.Source.values:
        raise BudgetError(gettext("Choose the funding source from the list."))
    year = data.year
    if year is not None and not 2000 <= year <= 2100:
        raise BudgetError(gettext("The year must be between 2000 and 2100."))
    estimate = _amount(data.estimate, gettext("The estimate"))
    if estimate is not None and year is None:
        raise BudgetError(gettext("Enter the year the estimate is for, for example 2026."))
    task = data.task
    if task is not None and (task.plan_id != plan.pk or task.is_withdrawn):
        raise BudgetError(gettext("Choose one of this plan's tasks, or none."))
    return {
        "content": content,
        "code": (data.code or "").strip(),
        "year": year,
        "source": data.source,
        "estimate": estimate,
        "task": task,
        # The line sits in the section of the task it serves, as an imported line does.
        "section": task.section if task is not None else None,
        "note": (data.note or "").strip(),
    }


def _refuse_archived(plan: Plan) -> None:
    if plan.is_archived:
        raise BudgetError(gettext("This plan is archived: its budget can no longer be changed."))


def _summary(line: BudgetLine) -> str:
    return f"{line.content[:150]} ({line.year}): {line.estimate}"


@transaction.atomic
def budget_line_add(*, actor: User, plan: Plan, data: LineInput) -> BudgetLine:
    """The standing office (or the ward's admin) adds a line the document did not have, or
    that came without an import; it is marked as added on the web, by whom and when."""
    require(actor, Action.EDIT_BUDGET_LINES, plan)
    _refuse_archived(plan)
    fields = _clean_line(plan, data)
    line = BudgetLine.objects.create(
        plan=plan,
        order=plan.budget_lines.count(),
        origin=BudgetLine.Origin.WEB,
        created_by=actor,
        created_at=timezone.now(),
        **fields,
    )
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_CREATE,
        obj=line,
        organization=plan.organization,
        summary=_summary(line),
        after=snapshot(line),
    )
    return line


@transaction.atomic
def budget_line_update(
    *, actor: User, line: BudgetLine, data: LineInput, version: int | None = None
) -> BudgetLine:
    """Correct a line, imported or added on the web: the import is only a first source. Its
    origin stays; who corrected it and when is kept beside it."""
    require(actor, Action.EDIT_BUDGET_LINES, line.plan)
    _refuse_archived(line.plan)
    fields = _clean_line(line.plan, data)
    line = _locked(line, version)
    watched = [*_LINE_FIELDS, "version", "edited_by", "edited_at"]
    before = snapshot(line, watched)
    for name, value in fields.items():
        setattr(line, name, value)
    line.version += 1
    line.edited_by, line.edited_at = actor, timezone.now()
    line.save(update_fields=watched)
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_UPDATE,
        obj=line,
        organization=line.plan.organization,
        summary=_summary(line),
        before=before,
        after=snapshot(line, watched),
    )
    return line


@transaction.atomic
def budget_line_delete(*, actor: User, line: BudgetLine, version: int | None = None) -> None:
    """Remove a wrong line. The audit trail keeps everything it held, so a removal can be
    read back and, if it was itself a mistake, typed in again."""
    require(actor, Action.EDIT_BUDGET_LINES, line.plan)
    _refuse_archived(line.plan)
    line = _locked(line, version)
    before = snapshot(line)
    organization = line.plan.organization
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_DELETE,
        obj=line,
        organization=organization,
        summary=_summary(line),
        before=before,
    )
    line.delete()
