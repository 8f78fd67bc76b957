"""The upper level's pages: the province table (each ward's tasks and indicators off track) and
the indicator catalogue with its comparison across wards. A fixed number of queries whatever the
number of wards: rows are counted by the database or gathered in a few batches."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from theodoi.alerts.selectors import alerts_for_user
from theodoi.core.access import org_scope
from theodoi.dashboards import measures
from theodoi.dashboards.measures import IndicatorStatus
from theodoi.dashboards.models import IndicatorCatalogue, IndicatorCatalogueLink
from theodoi.dashboards.selectors.indicators import indicators_for_user, with_status
from theodoi.dashboards.selectors.ward_board import bare_counts, wards_for_user
from theodoi.org.models import Organization, User
from theodoi.plans.models import Indicator, IndicatorMilestone, IndicatorValue, Plan
from theodoi.plans.selectors import tasks_for_user
from theodoi.plans.states import TaskState

# --- The upper level -----------------------------------------------------------------------------


def _period_rank(values: QuerySet[IndicatorValue]) -> Case | None:
    """Each period of ``values`` ranked in the order ``measures.latest_value`` reads them (by the
    period's end, whatever its cycle), as a database expression; periods that are no period get
    no rank, as they are left out there. Only the few distinct periods are parsed in Python."""
    periods = values.order_by().values_list("period", flat=True).distinct()
    ordered = measures.ordered_values((period, 0) for period in periods)
    if not ordered:
        return None
    return Case(
        *[When(period=text, then=Value(rank)) for rank, (_end, text, _v) in enumerate(ordered)],
        default=None,
        output_field=IntegerField(),
    )


def indicator_facts(indicators: QuerySet[Indicator], *, year: int) -> QuerySet[Indicator]:
    """``indicators`` annotated with ``latest_value`` (the value of the latest period) and
    ``expected`` (this year's milestone, else the target of this year): what ``with_status``
    reads from every prefetched value and milestone, one row per indicator from the database."""
    decimal = DecimalField(max_digits=16, decimal_places=4)
    rank = _period_rank(IndicatorValue.objects.filter(indicator__in=indicators.values("pk")))
    if rank is None:
        latest = Value(None, output_field=decimal)
    else:
        latest = Subquery(
            IndicatorValue.objects.filter(indicator=OuterRef("pk"))
            .annotate(rank=rank)
            .filter(rank__isnull=False)
            .order_by("-rank")
            .values("value")[:1],
            output_field=decimal,
        )
    # No ordering: the model's default one joins the indicator and its plan on every row.
    milestone = IndicatorMilestone.objects.filter(indicator=OuterRef("pk"), year=year).order_by()
    return indicators.annotate(
        latest_value=latest,
        expected=Coalesce(
            Subquery(milestone.values("value")[:1], output_field=decimal),
            Case(When(target_year=year, then=F("target")), default=None, output_field=decimal),
            output_field=decimal,
        ),
    )


def off_track_counts(indicators: QuerySet[Indicator], *, year: int) -> Counter[int]:
    """How many of ``indicators`` are off track, per organization. The latest value and the
    milestone come from the database; the rule is ``measures.indicator_status`` itself, over
    one small row per indicator instead of every value of every indicator."""
    rows = (
        indicator_facts(indicators, year=year)
        .select_related(None)
        .order_by()
        .values_list("plan__organization", "comparator", "latest_value", "expected")
    )
    counts: Counter[int] = Counter()
    for organization_id, comparator, latest, expected in rows:
        status = measures.indicator_status(comparator=comparator, latest=latest, expected=expected)
        if status == IndicatorStatus.OFF_TRACK:
            counts[organization_id] += 1
    return counts


@dataclass
class WardRow:
    ward: Organization
    counts: list[tuple[str, int]]
    total: int
    on_time_share: float | None  # done on time among the tasks that are due or done
    alerts: int
    indicators_off_track: int


def province_table(user: User, *, today: datetime.date) -> list[WardRow]:
    """Every ward ``user`` reads, with its tasks per state, open alerts and indicators off
    track: one aggregate query each, whatever the number of wards."""
    wards = list(wards_for_user(user))
    by_ward: dict[int, Counter[str]] = defaultdict(Counter)
    tasks = bare_counts(tasks_for_user(user, today=today).filter(plan__status=Plan.Status.ACTIVE))
    # Joined to the plan and the ward only (one row per task), so a plain count: DISTINCT
    # would sort every task of the province for nothing.
    for ward_id, state, count in tasks.values_list("plan__organization", "state").annotate(
        n=Count("id")
    ):
        by_ward[ward_id][state] += count
    alerts = dict(
        alerts_for_user(user).order_by().values_list("organization").annotate(n=Count("id"))
    )
    off_track = off_track_counts(
        indicators_for_user(user).filter(plan__status=Plan.Status.ACTIVE), year=today.year
    )
    rows = []
    for ward in wards:
        counts = by_ward[ward.pk]
        settled = (
            counts[TaskState.DONE_ON_TIME]
            + counts[TaskState.DONE_LATE]
            + counts[TaskState.OPEN_OVERDUE]
        )
        rows.append(
            WardRow(
                ward=ward,
                counts=[(s.value, counts[s.value]) for s in TaskState],
                total=sum(counts.values()),
                on_time_share=(100 * counts[TaskState.DONE_ON_TIME] / settled if settled else None),
                alerts=alerts.get(ward.pk, 0),
                indicators_off_track=off_track[ward.pk],
            )
        )
    return rows


def catalogue_entries(user: User) -> QuerySet[IndicatorCatalogue]:
    """The catalogue, each entry with how many of the wards ``user`` reads link to it."""
    return IndicatorCatalogue.objects.annotate(
        ward_count=Count(
            "links__indicator__plan__organization",
            filter=org_scope(user, "links__indicator__plan__organization"),
            distinct=True,
        )
    ).order_by("code")


@dataclass
class ComparisonRow:
    ward: Organization
    indicator: Indicator | None = None


def catalogue_comparison(
    user: User, entry: IndicatorCatalogue, *, today: datetime.date
) -> list[ComparisonRow]:
    """Each ward's indicator linked to ``entry`` with its latest value against this year's
    milestone, the best first in the entry's direction; wards without a linked indicator last."""
    links = (
        IndicatorCatalogueLink.objects.filter(
            org_scope(user, "indicator__plan__organization"), catalogue=entry
        )
        .select_related("indicator__plan__organization", "indicator__lead_unit")
        .prefetch_related(
            "indicator__milestones",
            Prefetch("indicator__values", queryset=IndicatorValue.objects.order_by("period")),
        )
    )
    indicators = with_status([link.indicator for link in links], year=today.year)
    rows = [ComparisonRow(i.plan.organization, i) for i in indicators]
    with_value = [r for r in rows if r.indicator and r.indicator.latest]
    without_value = [r for r in rows if not (r.indicator and r.indicator.latest)]
    with_value.sort(
        key=lambda r: r.indicator.latest[1] if r.indicator and r.indicator.latest else 0,
        reverse=not entry.lower_is_better,
    )
    linked = {row.ward.pk for row in rows}
    missing = [ComparisonRow(ward) for ward in wards_for_user(user) if ward.pk not in linked]
    return with_value + sorted(without_value, key=lambda r: r.ward.name) + missing


def catalogue_proposal(indicator: Indicator) -> IndicatorCatalogue | None:
    """The catalogue entry whose name matches the indicator's, if exactly one does."""
    entries = list(IndicatorCatalogue.objects.only("id", "name"))
    proposed = measures.propose_links(
        [(indicator.pk, indicator.name)], [(e.pk, e.name) for e in entries]
    )
    entry_id = proposed.get(indicator.pk)
    return next((e for e in entries if e.pk == entry_id), None)
