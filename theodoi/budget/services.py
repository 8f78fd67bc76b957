"""Writes to budget lines: atomic, permission-checked, audited like every other write."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record, snapshot
from theodoi.budget.models import BudgetLine, WardBudget
from theodoi.core.access import Action, Actor, can, require
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


def _money(value: Decimal) -> str:
    text = f"{value.normalize():,f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


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
    line = (
        BudgetLine.objects.select_for_update(of=("self",), no_key=True)
        .select_related("plan__organization")
        .get(pk=line.pk)
    )
    if version is not None and version != line.version:
        raise StaleBudgetLine
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
            % {"disbursed": _money(disbursed), "allocated": _money(allocated)}
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
