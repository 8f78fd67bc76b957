"""Writes to budget lines: atomic, permission-checked, audited like every other write."""

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from theodoi.audit.services import audit_record, snapshot
from theodoi.budget.models import BudgetLine
from theodoi.core.access import Action, require
from theodoi.org.models import User
from theodoi.plans.models import Plan, Section, Task


@transaction.atomic
def budget_lines_create(
    *,
    actor: User | None,
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
    if actor is not None:
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
            action="budget.create",
            obj=line,
            organization=plan.organization,
            summary=f"{content[:150]} ({line.year}): {line.estimate}",
            after=snapshot(line),
        )
    return lines
