"""Reads of a plan's budget: the estimate by year and source, what was allocated and disbursed,
and the share of the ward's budget spent on science, technology, innovation and digital
transformation. Money is Decimal (million VND) from the database to the page; never float."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from theodoi.budget.models import BudgetLine, WardBudget
from theodoi.core.access import org_scope
from theodoi.core.text import fold, fold_key
from theodoi.org.models import User
from theodoi.plans.models import Indicator, IndicatorMilestone, Plan

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((value for value in values if value is not None), ZERO)


def budget_lines_for_plan(plan: Plan) -> list[BudgetLine]:
    # With the people and task each line names, which the page shows beside it.
    lines = plan.budget_lines.select_related("task", "created_by", "edited_by")
    return list(lines.order_by("order", "year", "id"))


def lines_by_year(lines: Sequence[BudgetLine]) -> list[BudgetLine]:
    """Every line, by year, the lines without a year (items named without an amount) last."""
    return sorted(lines, key=lambda line: (line.year is None, line.year or 0, line.order, line.pk))


@dataclass
class LineTotals:
    estimate: Decimal
    allocated: Decimal
    disbursed: Decimal


def line_totals(lines: Sequence[BudgetLine]) -> LineTotals:
    return LineTotals(
        estimate=_sum(line.estimate for line in lines),
        allocated=_sum(line.allocated for line in lines),
        disbursed=_sum(line.disbursed for line in lines),
    )


def budget_line_get_for_user(user: User, pk: int) -> BudgetLine:
    """The line if ``user`` may read its plan, else 404."""
    return get_object_or_404(
        BudgetLine.objects.filter(org_scope(user, "plan__organization")).select_related(
            "plan", "plan__organization"
        ),
        pk=pk,
    )


# --- The estimate by year and source ----------------------------------------------------------


@dataclass
class GridRow:
    """One item of the appendix, with its estimate in each year column."""

    source: str
    table: str  # the appendix table the item comes from (the first line of its note)
    detail: str  # the rest of the note: period and source as written
    code: str
    content: str
    amounts: dict[int, Decimal] = field(default_factory=dict)
    cells: list[Decimal | None] = field(default_factory=list)
    total: Decimal | None = None


@dataclass
class SourceGroup:
    source: str
    label: str
    rows: list[GridRow]
    totals: list[Decimal]  # per year column
    total: Decimal


@dataclass
class BudgetGrid:
    years: list[int]
    groups: list[SourceGroup]
    totals: list[Decimal]  # per year column, all sources
    total: Decimal
    undated: int  # items the document names without a year or an amount


def budget_grid(lines: Sequence[BudgetLine]) -> BudgetGrid:
    """A row per item and a column per year, grouped by source, with the totals of each year,
    of each source and overall. An item named without any amount is an empty row."""
    years = sorted({line.year for line in lines if line.year is not None})
    rows: dict[tuple[str, str, str, str], GridRow] = {}
    for line in lines:
        table, _, detail = line.note.partition("\n")
        key = (line.source, line.note, line.code, line.content)
        row = rows.setdefault(
            key,
            GridRow(
                source=line.source,
                table=table,
                detail=detail,
                code=line.code,
                content=line.content,
            ),
        )
        if line.year is not None and line.estimate is not None:
            row.amounts[line.year] = row.amounts.get(line.year, ZERO) + line.estimate
    for row in rows.values():
        row.cells = [row.amounts.get(year) for year in years]
        row.total = _sum(row.amounts.values()) if row.amounts else None
    labels = dict(BudgetLine.Source.choices)
    groups = []
    for source in BudgetLine.Source.values:
        members = [row for row in rows.values() if row.source == source]
        if not members:
            continue
        totals = [_sum(row.amounts.get(year) for row in members) for year in years]
        groups.append(SourceGroup(source, str(labels[source]), members, totals, _sum(totals)))
    totals = [_sum(group.totals[i] for group in groups) for i in range(len(years))]
    undated = sum(1 for row in rows.values() if not row.amounts)
    return BudgetGrid(years, groups, totals, _sum(totals), undated)


# --- Estimate, allocated and disbursed by year ------------------------------------------------


@dataclass
class YearTotals:
    year: int
    estimate: Decimal
    allocated: Decimal
    disbursed: Decimal
    lines: list[BudgetLine]

    @property
    def disbursed_percent(self) -> Decimal | None:
        """Disbursed as a share of allocated, in percent (two decimals)."""
        return percent(self.disbursed, self.allocated)


def percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    if not whole:
        return None
    return (part * HUNDRED / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def year_totals(lines: Sequence[BudgetLine]) -> list[YearTotals]:
    by_year: dict[int, list[BudgetLine]] = {}
    for line in lines:
        if line.year is not None:
            by_year.setdefault(line.year, []).append(line)
    return [
        YearTotals(
            year=year,
            estimate=_sum(line.estimate for line in members),
            allocated=_sum(line.allocated for line in members),
            disbursed=_sum(line.disbursed for line in members),
            lines=members,
        )
        for year, members in sorted(by_year.items())
    ]


# --- Share of the ward's budget ---------------------------------------------------------------

_WARD_WORDS = re.compile(r"\b(phuong|xa(?! hoi))\b")


def budget_share_indicator(plan: Plan) -> Indicator | None:
    """The plan's indicator of the share of the budget spent on science, technology,
    innovation and digital transformation ("Tỷ lệ chi ngân sách … cho khoa học, công nghệ …
    chuyển đổi số"): the ward's own when the plan also names the province's."""
    candidates = []
    indicators = plan.indicators.prefetch_related(
        Prefetch("milestones", queryset=IndicatorMilestone.objects.order_by("year"))
    ).order_by("order", "id")
    for indicator in indicators:
        name = fold(indicator.name)
        if "chi ngan sach" in name and ("khoa hoc" in name or "chuyen doi so" in name):
            candidates.append(indicator)
    for indicator in candidates:
        if _WARD_WORDS.search(fold_key(indicator.name)):
            return indicator
    return candidates[0] if candidates else None


class Basis:
    """What the share is computed from, for one year: what was disbursed once anything was;
    what was allocated until then; the estimate (a planned share) before anything was
    allocated."""

    DISBURSED = "disbursed"
    ALLOCATED = "allocated"
    ESTIMATE = "estimate"


@dataclass
class ShareRow:
    year: int
    amount: Decimal  # on the plan's lines of the ward budget, per ``basis``
    basis: str | None
    ward_total: Decimal | None
    share: Decimal | None  # percent, exact
    expected: Decimal | None  # the indicator's milestone for the year, else its target
    comparator: str = ">="
    meets: bool | None = None

    @property
    def share_shown(self) -> Decimal | None:
        return (
            self.share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if self.share is not None
            else None
        )


def _meets(value: Decimal, comparator: str, expected: Decimal) -> bool:
    return {
        ">": value > expected,
        "<=": value <= expected,
        "<": value < expected,
        "=": value == expected,
    }.get(comparator, value >= expected)


def share_row(
    year: int,
    lines: Sequence[BudgetLine],
    ward_total: Decimal | None,
    indicator: Indicator | None = None,
) -> ShareRow:
    """The share of the ward's budget of ``year`` spent on this plan's lines of that year.

    Only lines funded by the ward budget count: money from the province, the centre or
    socialised sources is not the ward's spending. The amount is what was disbursed once
    anything was, else what was allocated, else the estimate.
    """
    own = [line for line in lines if line.year == year and line.source == BudgetLine.Source.WARD]
    basis, amount = None, ZERO
    for name, attribute in (
        (Basis.DISBURSED, "disbursed"),
        (Basis.ALLOCATED, "allocated"),
        (Basis.ESTIMATE, "estimate"),
    ):
        amount = _sum(getattr(line, attribute) for line in own)
        if amount > 0:
            basis = name
            break
    share = amount * HUNDRED / ward_total if basis and ward_total else None
    expected = None
    comparator = ">="
    if indicator is not None:
        comparator = indicator.comparator
        milestones = {m.year: m.value for m in indicator.milestones.all()}
        expected = milestones.get(year, indicator.target)
    meets = (
        _meets(share, comparator, expected) if share is not None and expected is not None else None
    )
    return ShareRow(year, amount, basis, ward_total, share, expected, comparator, meets)


def ward_budgets(plan: Plan, years: Iterable[int]) -> dict[int, Decimal]:
    rows = WardBudget.objects.filter(organization=plan.organization_id, year__in=list(years))
    return dict(rows.values_list("year", "total"))


def share_rows(plan: Plan, lines: Sequence[BudgetLine]) -> tuple[Indicator | None, list[ShareRow]]:
    years = sorted({line.year for line in lines if line.year is not None})
    indicator = budget_share_indicator(plan)
    totals = ward_budgets(plan, years)
    return indicator, [share_row(year, lines, totals.get(year), indicator) for year in years]


def input_value(value: Decimal | None) -> str:
    """An amount as a form field shows it, read back the same by the services in any interface
    language: no thousands dots, a decimal comma ("1200", "12,5")."""
    if value is None:
        return ""
    return f"{value.normalize():f}".replace(".", ",")
