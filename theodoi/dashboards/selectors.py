"""Reads behind the dashboards, scoped to the person asking (``core.access``).

Every number comes from the plans' own selectors (``tasks_for_user`` with its database ``state``)
so that a count on the dashboard and the list behind it are the same query. Each page asks a fixed
number of queries whatever the number of tasks, units or wards: rows are counted by the database
or gathered in a few batches, never fetched one by one.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
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
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode

from theodoi.alerts import rules
from theodoi.alerts.selectors import alerts_for_user
from theodoi.core.access import Action, can, org_scope
from theodoi.dashboards import measures
from theodoi.dashboards.measures import IndicatorStatus
from theodoi.dashboards.models import IndicatorCatalogue, IndicatorCatalogueLink
from theodoi.org.models import Organization, Unit, User
from theodoi.org.selectors import organizations_for_user
from theodoi.plans.models import Indicator, IndicatorMilestone, IndicatorValue, Plan, Task
from theodoi.plans.selectors import lead_units_in_order, tasks_for_user
from theodoi.plans.states import TaskState
from theodoi.reporting.models import Directive

LOCAL_KINDS = (Organization.Kind.WARD, Organization.Kind.COMMUNE)
LIST_LIMIT = 10  # rows of the overdue and behind-schedule lists; the total is shown beside
ALERT_LIMIT = 15
DIRECTIVE_LIMIT = 10


def wards_for_user(user: User) -> QuerySet[Organization]:
    return (
        organizations_for_user(user)
        .filter(kind__in=LOCAL_KINDS)
        .select_related("parent")
        .order_by("parent__name", "name", "id")
    )


def ward_get_for_user(user: User, pk: int) -> Organization:
    """A ward ``user`` may read (else 404)."""
    ward = wards_for_user(user).filter(pk=pk).first()
    if ward is None:
        raise Http404
    return ward


def ward_dashboard_get(user: User, pk: int | None = None) -> Organization:
    """The ward whose dashboard ``user`` asks for: their own without ``pk``. 404 for a ward they
    cannot read, 403 for one they read but whose dashboard is not theirs (a unit officer)."""
    if pk is None:
        organization = user.organization if user.organization_id else None
        if organization is None or not organization.is_local:
            raise PermissionDenied
        ward = organization
    else:
        ward = ward_get_for_user(user, pk)
    if not can(user, Action.SEE_WARD_DASHBOARD, ward):
        raise PermissionDenied
    return ward


# --- The ward's tasks -------------------------------------------------------------------------


def ward_plans(ward: Organization) -> list[Plan]:
    """The plans in progress; drafts are not yet the ward's and closed plans are history."""
    return list(
        Plan.objects.filter(organization=ward, status=Plan.Status.ACTIVE).order_by(
            "-issued_on", "-id"
        )
    )


def ward_tasks(user: User, ward: Organization, *, today: datetime.date) -> QuerySet[Task]:
    """The tasks of the ward's plans in progress, with their ``state``, as ``user`` reads them."""
    return tasks_for_user(user, today=today).filter(
        plan__organization=ward, plan__status=Plan.Status.ACTIVE
    )


def _bare(tasks: QuerySet[Task]) -> QuerySet[Task]:
    # Aggregates need neither the joined rows nor the prefetched units.
    return tasks.select_related(None).prefetch_related(None).order_by()


def state_counts(tasks: QuerySet[Task]) -> dict[str, int]:
    counts = dict(_bare(tasks).values_list("state").annotate(n=Count("id", distinct=True)))
    return {state.value: counts.get(state.value, 0) for state in TaskState}


def plan_start(plans: list[Plan]) -> datetime.date | None:
    starts = [p.period_start or p.issued_on for p in plans if p.period_start or p.issued_on]
    return min(starts) if starts else None


def state_trend(
    tasks: QuerySet[Task], *, start: datetime.date | None, today: datetime.date
) -> tuple[list[datetime.date], dict[TaskState, list[int]]]:
    """State counts at each month end from ``start`` to today (and today itself)."""
    days = measures.month_ends(min(start or today, today), today)
    rows = _bare(tasks).values_list("due_date", "completed_on")
    return days, measures.state_trend(rows, days)


@dataclass
class MatrixRow:
    unit: Unit | None
    cells: list[tuple[str, int, str]]  # (state, count, link; "" without one)
    total: int
    link: str


def _task_list_base(ward: Organization, plans: list[Plan]) -> str:
    """The list behind the numbers: the plan's page when the ward runs one plan, else the list
    of the ward's tasks; both filter by ``unit`` and ``state`` the same way."""
    if len(plans) == 1:
        return reverse("plan_detail", args=[plans[0].pk])
    return reverse("dashboard_ward_tasks", args=[ward.pk])


def _task_list_link(base: str, **params: object) -> str:
    # The base is reversed once per page: the matrix has a link in every cell.
    query = urlencode({key: value for key, value in params.items() if value})
    return f"{base}?{query}" if query else base


def unit_state_matrix(
    tasks: QuerySet[Task], ward: Organization, plans: list[Plan]
) -> list[MatrixRow]:
    """Per unit of the ward, its tasks in each state. A unit counts the tasks it leads or
    coordinates, as the task lists' unit filter does, so each number equals the length of the
    list it links to; a task of two units counts once for each. Tasks without a recognised unit
    form the last row."""
    base = _task_list_base(ward, plans)
    bare = _bare(tasks)
    pairs: set[tuple[int, int]] = set()
    state_of: dict[int, str] = {}
    for relation in ("lead_units", "coordinating_units"):
        for task_id, state, unit_id in bare.values_list("id", "state", relation):
            state_of[task_id] = state
            if unit_id is not None:
                pairs.add((task_id, unit_id))
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for task_id, unit_id in pairs:
        counts[unit_id][state_of[task_id]] += 1
    without_unit = Counter(state_of[t] for t in state_of.keys() - {t for t, _u in pairs})
    units = (
        Unit.objects.filter(pk__in=counts.keys(), organization=ward)
        .only("id", "name", "short_name")
        .order_by("order", "name")
    )
    rows = []
    for unit in units:
        cells = [
            (
                s.value,
                counts[unit.pk][s.value],
                _task_list_link(base, unit=unit.pk, state=s.value),
            )
            for s in TaskState
        ]
        rows.append(
            MatrixRow(
                unit,
                cells,
                sum(counts[unit.pk].values()),
                _task_list_link(base, unit=unit.pk),
            )
        )
    if without_unit:
        cells = [(s.value, without_unit[s.value], "") for s in TaskState]
        rows.append(MatrixRow(None, cells, sum(without_unit.values()), ""))
    return rows


def _list_rows(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Only what the overdue and behind-schedule lists show: the plan's number and title, the
    lead units as a plain list ``lead_unit_list`` (a prefetched manager per row builds and clones
    a queryset on each access), none of the long texts and none of the coordinating units."""
    return (
        tasks.select_related(None)
        .select_related("plan")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "lead_units",
                queryset=lead_units_in_order().only("id", "name", "short_name"),
                to_attr="lead_unit_list",
            )
        )
        .only(
            "id",
            "code",
            "title",
            "due_date",
            "progress",
            "lead_units_raw",
            "plan__id",
            "plan__number",
            "plan__title",
        )
    )


def overdue_tasks(tasks: QuerySet[Task], *, today: datetime.date) -> list[Task]:
    """Open and past due, the longest overdue first, each with ``days_late``."""
    rows = list(
        _list_rows(tasks.filter(state=TaskState.OPEN_OVERDUE.value)).order_by(
            "due_date", "plan_id", "order"
        )[:LIST_LIMIT]
    )
    for task in rows:
        task.days_late = (today - task.due_date).days
    return rows


def behind_schedule_tasks(tasks: QuerySet[Task], *, today: datetime.date) -> tuple[list[Task], int]:
    """Open tasks not yet due whose progress is below half the progress expected by now (the
    rule of the "behind schedule" alert), the widest gap first, and how many there are. Overdue
    tasks have their own list."""
    facts = _bare(tasks.filter(state=TaskState.OPEN_NOT_DUE.value)).values_list(
        "id", "progress", "due_date", "start_date", "plan__period_start", "plan__issued_on"
    )
    behind: list[tuple[float, int, float]] = []
    for task_id, progress, due, start, period_start, issued_on in facts:
        finding = rules.behind_schedule(
            rules.TaskFacts(
                today=today, due=due, start=start or period_start or issued_on, progress=progress
            )
        )
        if finding is not None:
            expected = float(finding.numbers["expected"] or 0)
            behind.append((expected - progress, task_id, expected))
    behind.sort(key=lambda item: (-item[0], item[1]))
    shown = {task_id: expected for _gap, task_id, expected in behind[:LIST_LIMIT]}
    rows = list(_list_rows(tasks.filter(pk__in=shown.keys())))
    for task in rows:
        task.expected = shown[task.pk]
    rows.sort(key=lambda task: (-(task.expected - task.progress), task.pk))
    return rows, len(behind)


# --- Indicators ---------------------------------------------------------------------------------


def _set_status(
    indicator: Indicator,
    values: Iterable[tuple[str, Decimal]],
    milestones: dict[int, Decimal],
    *,
    year: int,
) -> None:
    indicator.latest = measures.latest_value(values)
    indicator.expected = measures.expected_value(
        milestones=milestones,
        target=indicator.target,
        target_year=indicator.target_year,
        year=year,
    )
    indicator.status = measures.indicator_status(
        comparator=indicator.comparator,
        latest=indicator.latest[1] if indicator.latest else None,
        expected=indicator.expected,
    ).value


def with_status(indicators: list[Indicator], *, year: int) -> list[Indicator]:
    """Set ``latest`` (period, value), ``expected`` (this year's milestone) and ``status`` on
    each indicator, from its prefetched values and milestones."""
    for indicator in indicators:
        _set_status(
            indicator,
            ((value.period, value.value) for value in indicator.values.all()),
            {m.year: m.value for m in indicator.milestones.all()},
            year=year,
        )
    return indicators


def indicators_for_user(user: User) -> QuerySet[Indicator]:
    return Indicator.objects.filter(org_scope(user, "plan__organization")).select_related(
        "plan", "plan__organization", "lead_unit"
    )


def _with_values(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    return indicators.prefetch_related(
        "milestones", Prefetch("values", queryset=IndicatorValue.objects.order_by("period"))
    )


def ward_indicators(user: User, ward: Organization, *, today: datetime.date) -> list[Indicator]:
    """The indicators of the ward's plans in progress with their status, off track first.

    The same status as ``with_status``, read from plain (period, value) and (year, value) rows:
    the page shows a few columns of each indicator, and building a model object for every value
    and milestone was most of the dashboard's time."""
    rows = list(
        indicators_for_user(user)
        .filter(plan__organization=ward, plan__status=Plan.Status.ACTIVE)
        .select_related(None)
        .only("id", "code", "name", "unit_of_measure", "comparator", "target", "target_year")
        .order_by("plan_id", "order", "id")
    )
    ids = [indicator.pk for indicator in rows]
    values: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    # No ordering: ``latest_value`` orders by the period's end, and the models' default one joins
    # the indicator and its plan on every row.
    for indicator_id, period, value in (
        IndicatorValue.objects.filter(indicator_id__in=ids)
        .order_by()
        .values_list("indicator_id", "period", "value")
    ):
        values[indicator_id].append((period, value))
    milestones: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, year, value in (
        IndicatorMilestone.objects.filter(indicator_id__in=ids)
        .order_by()
        .values_list("indicator_id", "year", "value")
    ):
        milestones[indicator_id][year] = value
    for indicator in rows:
        _set_status(indicator, values[indicator.pk], milestones[indicator.pk], year=today.year)
    order = {IndicatorStatus.OFF_TRACK: 0, IndicatorStatus.AT_RISK: 1, IndicatorStatus.ON_TRACK: 2}
    return sorted(rows, key=lambda i: order[IndicatorStatus(i.status)])


def status_counts(indicators: list[Indicator]) -> dict[str, int]:
    counts = Counter(indicator.status for indicator in indicators)
    return {status.value: counts.get(status.value, 0) for status in IndicatorStatus}


# --- The ward dashboard ---------------------------------------------------------------------------


@dataclass
class WardDashboard:
    ward: Organization
    plans: list[Plan]
    counts: dict[str, int]
    total: int
    trend_days: list[datetime.date]
    trend: dict[TaskState, list[int]]
    matrix: list[MatrixRow]
    overdue: list[Task]
    overdue_total: int
    overdue_link: str
    behind: list[Task]
    behind_total: int
    alerts: list
    alert_total: int
    indicators: list[Indicator]
    indicator_counts: dict[str, int]
    directives: list[Directive]
    state_cards: list[tuple[str, int, str]] = field(default_factory=list)  # state, count, link


def ward_dashboard(user: User, ward: Organization, *, today: datetime.date) -> WardDashboard:
    plans = ward_plans(ward)
    tasks = ward_tasks(user, ward, today=today)
    counts = state_counts(tasks)
    trend_days, trend = state_trend(tasks, start=plan_start(plans), today=today)
    behind, behind_total = behind_schedule_tasks(tasks, today=today)
    base = _task_list_base(ward, plans)
    alerts = alerts_for_user(user).filter(organization=ward)
    # The panel shows the rule, the task or indicator, the message, the unit and the day.
    shown_alerts = (
        alerts.select_related(None)
        .select_related("task", "indicator", "unit")
        .only(
            "id",
            "rule",
            "message",
            "opened_at",
            "task__id",
            "task__code",
            "task__title",
            "indicator__id",
            "indicator__name",
            "unit__id",
            "unit__name",
            "unit__short_name",
        )
    )
    indicators = ward_indicators(user, ward, today=today)
    people = ("first_name", "last_name", "username")
    directives = (
        Directive.objects.filter(
            org_scope(user, "task__plan__organization"), task__plan__organization=ward
        )
        .select_related("task", "author", "answered_by")
        .only(
            "id",
            "text",
            "answer",
            "created_at",
            "answered_at",
            "task__id",
            "task__code",
            "task__title",
            *(f"author__{name}" for name in people),
            *(f"answered_by__{name}" for name in people),
        )
        .order_by("-created_at", "-id")[:DIRECTIVE_LIMIT]
    )
    return WardDashboard(
        ward=ward,
        plans=plans,
        counts=counts,
        total=sum(counts.values()),
        trend_days=trend_days,
        trend=trend,
        matrix=unit_state_matrix(tasks, ward, plans),
        overdue=overdue_tasks(tasks, today=today),
        overdue_total=counts[TaskState.OPEN_OVERDUE.value],
        overdue_link=_task_list_link(base, state=TaskState.OPEN_OVERDUE.value),
        behind=behind,
        behind_total=behind_total,
        alerts=list(shown_alerts[:ALERT_LIMIT]),
        alert_total=alerts.count(),
        indicators=indicators,
        indicator_counts=status_counts(indicators),
        directives=list(directives),
        state_cards=[
            (s.value, counts[s.value], _task_list_link(base, state=s.value)) for s in TaskState
        ],
    )


# --- The indicator page ---------------------------------------------------------------------------


def indicator_get_for_user(user: User, pk: int) -> Indicator:
    indicator = (
        _with_values(indicators_for_user(user))
        .select_related("monitoring_unit", "section", "catalogue_link__catalogue")
        .filter(pk=pk)
        .first()
    )
    if indicator is None:
        raise Http404
    return indicator


@dataclass
class Projection:
    slope: float
    intercept: float
    start_x: float
    start_y: float
    end_x: float
    end_y: float
    reaches: bool | None  # None without a numeric target


def indicator_projection(indicator: Indicator) -> Projection | None:
    """The least-squares line through the indicator's actual values, extended to the target
    year. With a single value the baseline is the other point of the line: a trend needs two."""
    points = [
        (measures.year_position(end), float(value))
        for end, _period, value in measures.ordered_values(
            (v.period, v.value) for v in indicator.values.all()
        )
    ]
    has_baseline = indicator.baseline is not None and indicator.baseline_year
    if len(points) == 1 and has_baseline and indicator.baseline_year < points[0][0]:
        points.insert(0, (float(indicator.baseline_year), float(indicator.baseline)))
    fitted = measures.least_squares(points)
    end_year = indicator.target_year or max(
        (m.year for m in indicator.milestones.all()), default=None
    )
    if fitted is None or end_year is None:
        return None
    slope, intercept = fitted
    start_x = points[0][0]
    end_x = float(max(end_year, points[-1][0]))
    end_y = slope * end_x + intercept
    reaches = None
    if indicator.target is not None:
        reaches = measures.will_reach(
            projected=end_y,
            target=float(indicator.target),
            comparator=indicator.comparator,
            start=points[0][1],
        )
    return Projection(slope, intercept, start_x, slope * start_x + intercept, end_x, end_y, reaches)


def indicator_chart(indicator: Indicator, projection: Projection | None) -> dict:
    """The chart's data: the roadmap (baseline → milestones → target), the actual values and the
    projected trend, on an axis of years whose tick "2026" is the end of 2026."""
    roadmap: dict[int, float] = {}
    if indicator.baseline is not None and indicator.baseline_year:
        roadmap[indicator.baseline_year] = float(indicator.baseline)
    for milestone in indicator.milestones.all():
        roadmap[milestone.year] = float(milestone.value)
    if indicator.target is not None and indicator.target_year:
        roadmap[indicator.target_year] = float(indicator.target)
    actual = [
        {"x": round(measures.year_position(end), 4), "y": float(value), "period": period}
        for end, period, value in measures.ordered_values(
            (v.period, v.value) for v in indicator.values.all()
        )
    ]
    return {
        "kind": "indicator",
        "unit": indicator.unit_of_measure,
        "roadmap": [{"x": year, "y": value} for year, value in sorted(roadmap.items())],
        "actual": actual,
        "projection": (
            [
                {"x": round(projection.start_x, 4), "y": round(projection.start_y, 4)},
                {"x": round(projection.end_x, 4), "y": round(projection.end_y, 4)},
            ]
            if projection
            else []
        ),
    }


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
    tasks = _bare(tasks_for_user(user, today=today).filter(plan__status=Plan.Status.ACTIVE))
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
