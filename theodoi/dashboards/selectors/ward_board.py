"""The ward's board (the ward dashboard and its task list): which wards a person may see, the
tasks' states by unit and over time, the overdue and behind-schedule lists, alerts and
directives. Every count comes from the plans' own selectors (``tasks_for_user`` with its
database ``state``) so that a count on the board and the list behind it are the same query, and
the page asks a fixed number of queries whatever the number of tasks or units."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode

from theodoi.alerts import rules
from theodoi.alerts.selectors import UnitGroup, alerts_for_user, group_by_unit, urgency_key
from theodoi.core.access import Action, can, org_scope
from theodoi.dashboards import measures
from theodoi.dashboards.measures import IndicatorStatus
from theodoi.dashboards.selectors.indicators import indicators_for_user, set_status
from theodoi.org.models import Organization, Unit, User
from theodoi.org.selectors import organizations_for_user
from theodoi.plans.models import Indicator, IndicatorMilestone, IndicatorValue, Plan, Task
from theodoi.plans.models import plan_start as plan_start_day
from theodoi.plans.selectors import (
    lead_units_in_order,
    tasks_for_user,
    ward_completeness,
    with_lead_flag,
)
from theodoi.plans.states import TaskState
from theodoi.reporting.models import Directive

LOCAL_KINDS = (Organization.Kind.WARD, Organization.Kind.COMMUNE)
LIST_LIMIT = 10  # rows of the overdue and behind-schedule lists; the total is shown beside
ALERT_LIMIT = 15
DIRECTIVE_LIMIT = 10
# An alert's own fields the board reads: all but the numbers behind it.
ALERT_FIELDS = (
    "id",
    "organization",
    "rule",
    "task",
    "indicator",
    "plan",
    "unit",
    "period",
    "message",
    "reasons",
    "severity",
    "opened_at",
    "raised_at",
    "closed_at",
    "acknowledged_by",
    "acknowledged_at",
    "acknowledgement_note",
    "snoozed_until",
)


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


def bare_counts(tasks: QuerySet[Task]) -> QuerySet[Task]:
    # Aggregates need neither the joined rows nor the prefetched units.
    return tasks.select_related(None).prefetch_related(None).order_by()


def state_counts(tasks: QuerySet[Task]) -> dict[str, int]:
    counts = dict(bare_counts(tasks).values_list("state").annotate(n=Count("id", distinct=True)))
    return {state.value: counts.get(state.value, 0) for state in TaskState}


def plan_start(plans: list[Plan]) -> datetime.date | None:
    """The day the earliest of ``plans`` starts (``Plan.start``)."""
    return min((plan.start for plan in plans), default=None)


def state_trend(
    tasks: QuerySet[Task], *, start: datetime.date | None, today: datetime.date
) -> tuple[list[datetime.date], dict[TaskState, list[int]]]:
    """State counts at each month end from ``start`` to today (and today itself)."""
    days = measures.month_ends(min(start or today, today), today)
    rows = bare_counts(tasks).values_list("due_date", "completed_on")
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
    bare = bare_counts(tasks)
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
    tasks have their own list; a task without a lead unit has nobody to be behind, and is
    counted among the tasks not yet trackable instead, as the alerts treat it."""
    open_tasks = with_lead_flag(bare_counts(tasks.filter(state=TaskState.OPEN_NOT_DUE.value)))
    # Plain values, not model objects: the rule needs a few dates of each open task, and its
    # start and cycle fall back on its plan's as ``Task.start`` and ``Task.cycle`` do.
    facts = open_tasks.filter(has_lead_unit=True).values_list(
        "id",
        "progress",
        "due_date",
        "start_date",
        "reporting_cycle",
        "plan__period_start",
        "plan__issued_on",
        "plan__created_at",
        "plan__reporting_cycle",
    )
    behind: list[tuple[float, int, float]] = []
    for (
        task_id,
        progress,
        due,
        start,
        cycle,
        plan_period_start,
        plan_issued_on,
        plan_created_at,
        plan_cycle,
    ) in facts:
        expected = rules.behind_expected(
            rules.TaskFacts(
                today=today,
                due=due,
                start=start or plan_start_day(plan_period_start, plan_issued_on, plan_created_at),
                progress=progress,
                reporting_cycle=cycle or plan_cycle,
            )
        )
        if expected is not None:
            # Rounded as the alert shows it (``shown_numbers``): the list and the alert agree.
            expected = round(expected, 1)
            behind.append((expected - progress, task_id, expected))
    behind.sort(key=lambda item: (-item[0], item[1]))
    shown = {task_id: expected for _gap, task_id, expected in behind[:LIST_LIMIT]}
    rows = list(_list_rows(tasks.filter(pk__in=shown.keys())))
    for task in rows:
        task.expected = shown[task.pk]
    rows.sort(key=lambda task: (-(task.expected - task.progress), task.pk))
    return rows, len(behind)


# --- The ward's indicators ------------------------------------------------------------------


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
        set_status(indicator, values[indicator.pk], milestones[indicator.pk], year=today.year)
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
    alerts: list  # the most urgent few
    alert_total: int
    alert_needing: int  # neither acknowledged nor snoozed
    alert_groups: list[UnitGroup]
    indicators: list[Indicator]
    indicator_counts: dict[str, int]
    directives: list[Directive]
    state_cards: list[tuple[str, int, str]] = field(default_factory=list)  # state, count, link
    # The plans with tasks not yet trackable: (plan, count, link to complete them; "" for
    # people who may not), and their sum.
    not_trackable: list[tuple[Plan, int, str]] = field(default_factory=list)
    not_trackable_total: int = 0
    # The alerts the person may acknowledge or snooze (the standing office: all of the ward's).
    can_manage_alerts: set[int] = field(default_factory=set)
    today: datetime.date | None = None


def not_trackable_by_plan(user: User, plans: list[Plan]) -> list[tuple[Plan, int, str]]:
    """The plans with tasks that lack a lead unit or a deadline, how many, and where to
    complete them if ``user`` may."""
    return [
        (
            plan,
            completeness.not_trackable,
            reverse("plan_complete", args=[plan.pk]) if can(user, Action.MANAGE_PLAN, plan) else "",
        )
        for plan, completeness in ward_completeness(plans)
        if completeness.not_trackable
    ]


def ward_dashboard(user: User, ward: Organization, *, today: datetime.date) -> WardDashboard:
    plans = ward_plans(ward)
    not_trackable = not_trackable_by_plan(user, plans)
    tasks = ward_tasks(user, ward, today=today)
    counts = state_counts(tasks)
    trend_days, trend = state_trend(tasks, start=plan_start(plans), today=today)
    behind, behind_total = behind_schedule_tasks(tasks, today=today)
    base = _task_list_base(ward, plans)
    # One alert per task or indicator, grouped by the unit that must act, with counts a person
    # can act on; snoozed alerts are left out until their day.
    alerts = list(
        alerts_for_user(user, today=today)
        .filter(organization=ward)
        .select_related(None)
        .select_related("task", "indicator", "unit", "acknowledged_by")
        # What the alert items show of their task, indicator, unit and acknowledger: every
        # column of every related row was a third of the page's slowest query.
        .only(
            *ALERT_FIELDS,
            "task__id",
            "task__code",
            "task__title",
            "indicator__id",
            "indicator__name",
            "unit__id",
            "unit__name",
            "unit__short_name",
            "acknowledged_by__id",
            *(f"acknowledged_by__{name}" for name in ("first_name", "last_name", "username")),
        )
    )
    alert_groups = group_by_unit(alerts)
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
        alerts=sorted(alerts, key=urgency_key)[:ALERT_LIMIT],
        alert_total=len(alerts),
        alert_needing=sum(group.needing_action for group in alert_groups),
        alert_groups=alert_groups,
        indicators=indicators,
        indicator_counts=status_counts(indicators),
        directives=list(directives),
        state_cards=[
            (s.value, counts[s.value], _task_list_link(base, state=s.value)) for s in TaskState
        ],
        not_trackable=not_trackable,
        not_trackable_total=sum(count for _plan, count, _link in not_trackable),
        can_manage_alerts=(
            {alert.pk for alert in alerts} if can(user, Action.MANAGE_ALERT, ward) else set()
        ),
        today=today,
    )
