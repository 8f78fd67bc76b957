"""Reads of plans and tasks, always scoped to the person asking (``core.access``)."""

import datetime
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import reduce
from typing import NamedTuple

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from theodoi.core.access import Action, org_scope, require, scope_with_upper
from theodoi.core.text import fold
from theodoi.org.models import Organization, Unit, User
from theodoi.plans import amendments, cascade
from theodoi.plans import rollup as rollup_rule
from theodoi.plans.models import (
    Indicator,
    IndicatorMilestone,
    IndicatorValue,
    Plan,
    PlanAmendment,
    Task,
    TaskCoordinatingUnit,
    TaskLeadUnit,
    WardAssignment,
)
from theodoi.plans.states import TaskState, task_state


def lead_units_in_order() -> QuerySet[Unit]:
    """The units for ``Prefetch("lead_units", …)``: in the plan's order, the lead first (the
    order of ``task.lead_units.all()`` without it is the units' catalogue order)."""
    return Unit.objects.order_by("task_lead_links__order", "task_lead_links__id")


def coordinating_units_in_order() -> QuerySet[Unit]:
    return Unit.objects.order_by("task_coordinating_links__order", "task_coordinating_links__id")


def lead_unit_ids(task: Task) -> list[int]:
    return list(
        TaskLeadUnit.objects.filter(task=task)
        .order_by("order", "id")
        .values_list("unit_id", flat=True)
    )


def coordinating_unit_ids(task: Task) -> list[int]:
    return list(
        TaskCoordinatingUnit.objects.filter(task=task)
        .order_by("order", "id")
        .values_list("unit_id", flat=True)
    )


def plans_for_user(user: User, *, archived: bool = False) -> QuerySet[Plan]:
    """The plans ``user`` may read that count; with ``archived``, only the withdrawn ones (kept
    with their history, listed apart). ``task_count`` leaves withdrawn tasks out."""
    plans = Plan.objects.filter(org_scope(user))
    if archived:
        plans = plans.filter(status=Plan.Status.ARCHIVED)
    else:
        plans = plans.exclude(status=Plan.Status.ARCHIVED)
    return plans.select_related("organization").annotate(
        task_count=Count("tasks", filter=Q(tasks__withdrawn_at__isnull=True), distinct=True)
    )


def plan_get_for_user(user: User, pk: int, *, action: Action | None = None) -> Plan:
    """The plan if ``user`` may read it (else 404) and, with ``action``, may do that (else 403)."""
    # A plan of the levels above (its province's) is read from a ward, never changed there.
    plan = get_object_or_404(
        Plan.objects.filter(scope_with_upper(user)).select_related("organization"),
        pk=pk,
    )
    if action is not None:
        require(user, action, plan)
    return plan


def with_state(tasks: QuerySet[Task], *, today: datetime.date) -> QuerySet[Task]:
    """Annotate ``state``: the same rule as ``states.task_state``, computed by the database so
    lists can filter and count by state."""
    done = Q(completed_on__isnull=False)
    return tasks.annotate(
        state=Case(
            When(done & Q(due_date__isnull=True), then=Value(TaskState.DONE_ON_TIME.value)),
            When(
                done & Q(completed_on__lte=F("due_date")), then=Value(TaskState.DONE_ON_TIME.value)
            ),
            When(done, then=Value(TaskState.DONE_LATE.value)),
            When(due_date__lt=today, then=Value(TaskState.OPEN_OVERDUE.value)),
            default=Value(TaskState.OPEN_NOT_DUE.value),
            output_field=CharField(),
        )
    )


def tasks_for_user(
    user: User, *, today: datetime.date, include_withdrawn: bool = False, upper: bool = False
) -> QuerySet[Task]:
    """The tasks ``user`` may read that count; ``include_withdrawn`` adds the withdrawn tasks
    and those of withdrawn plans, for the pages that still show them read-only; ``upper`` adds
    the tasks of the levels above (a province task, opened from the ward task carrying it out)."""
    manager = Task.all_objects if include_withdrawn else Task.objects
    field = "plan__organization"
    scope = scope_with_upper(user, field) if upper else org_scope(user, field)
    tasks = (
        manager.filter(scope)
        .select_related("plan", "plan__organization", "section", "parent")
        .prefetch_related(
            Prefetch("lead_units", queryset=lead_units_in_order()),
            Prefetch("coordinating_units", queryset=coordinating_units_in_order()),
        )
    )
    return with_state(tasks, today=today)


def task_get_for_user(
    user: User,
    pk: int,
    *,
    today: datetime.date,
    action: Action | None = None,
    include_withdrawn: bool = False,
    units: bool = True,
) -> Task:
    """The task if ``user`` may read it (else 404) and, with ``action``, may do that (else 403).
    A withdrawn task (or one of a withdrawn plan) is found only with ``include_withdrawn``;
    ``units=False`` leaves its units to be read when asked for (a page showing none of them)."""
    tasks = tasks_for_user(user, today=today, include_withdrawn=include_withdrawn, upper=True)
    if not units:
        tasks = tasks.prefetch_related(None)
    task = get_object_or_404(tasks, pk=pk)
    if action is not None:
        require(user, action, task)
    return task


def task_page_get(user: User, pk: int, *, today: datetime.date) -> Task:
    """The task of the task page, withdrawn or not, if ``user`` may read it (else 404), with
    what the page shows besides read in the same query: the upper-level task it carries out
    (with that task's plan and organisation) and whether it has subtasks that count
    (``has_subtasks``)."""
    tasks = (
        tasks_for_user(user, today=today, include_withdrawn=True, upper=True)
        .select_related("upper_task__plan__organization")
        .annotate(has_subtasks=Exists(Task.objects.filter(parent=OuterRef("pk"))))
    )
    return get_object_or_404(tasks, pk=pk)


DEADLINE_FILTERS = ("overdue", "this_month", "this_quarter", "this_year", "none")


def _quarter_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = day.replace(month=first_month, day=1)
    end_month = first_month + 2
    next_start = (
        datetime.date(day.year + 1, 1, 1)
        if end_month == 12
        else datetime.date(day.year, end_month + 1, 1)
    )
    return start, next_start - datetime.timedelta(days=1)


def _of_unit(unit: int) -> Q:
    """Tasks ``unit`` leads or coordinates. Two subqueries, not an OR across two joins, which
    repeats a task once per pair of its units and needs a DISTINCT over the whole row."""
    return Q(pk__in=TaskLeadUnit.objects.filter(unit_id=unit).values("task_id")) | Q(
        pk__in=TaskCoordinatingUnit.objects.filter(unit_id=unit).values("task_id")
    )


def for_task_list(tasks: QuerySet[Task], *related: str) -> QuerySet[Task]:
    """Only what a list of tasks shows: the ``related`` rows it names, the lead units as a plain
    list ``lead_unit_list``, and none of the long texts it never shows.

    A list attribute instead of the prefetched ``lead_units`` manager, because each access to a
    manager builds and clones a queryset: for 150 rows that was most of the page's time.
    """
    return (
        tasks.select_related(None)
        .select_related(*related)
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "lead_units",
                queryset=lead_units_in_order(),
                to_attr="lead_unit_list",
            )
        )
        .defer("output", "kpi", "note", "coordinating_units_raw", "search_text")
    )


def filter_tasks(
    tasks: QuerySet[Task],
    *,
    today: datetime.date,
    unit: int | None = None,
    state: str = "",
    deadline: str = "",
    q: str = "",
) -> QuerySet[Task]:
    """Narrow a task list by lead or coordinating unit, state, deadline window and a search that
    ignores diacritics and case ("chu ky so" finds "Chữ ký số")."""
    if unit:
        tasks = tasks.filter(_of_unit(unit))
    if state in {s.value for s in TaskState}:
        tasks = tasks.filter(state=state)
    if deadline == "overdue":
        tasks = tasks.filter(state=TaskState.OPEN_OVERDUE.value)
    elif deadline == "this_month":
        tasks = tasks.filter(due_date__year=today.year, due_date__month=today.month)
    elif deadline == "this_quarter":
        start, end = _quarter_bounds(today)
        tasks = tasks.filter(due_date__range=(start, end))
    elif deadline == "this_year":
        tasks = tasks.filter(due_date__year=today.year)
    elif deadline == "none":
        tasks = tasks.filter(due_date__isnull=True)
    # A handful of distinct words is a search; thousands would only strain the database.
    # PostgreSQL refuses a NUL in any text, even one only searched for: it separates words.
    for word in list(dict.fromkeys(fold(q.replace("\x00", " ")).split()))[:10]:
        tasks = tasks.filter(search_text__contains=word)
    return tasks


def my_unit_tasks(user: User, *, today: datetime.date) -> QuerySet[Task]:
    """Tasks the user's unit leads or coordinates, soonest due first, undated last."""
    if user.unit_id is None:
        return Task.objects.none()
    return (
        tasks_for_user(user, today=today)
        .filter(_of_unit(user.unit_id))
        .order_by(F("due_date").asc(nulls_last=True), "plan_id", "order")
    )


def _this_years_milestone(indicator: Indicator, milestones: dict[int, Decimal], year: int | None):
    """The value ``indicator`` should reach in ``year``: the year's milestone, else the target
    when it is for that year."""
    milestone = milestones.get(year) if year else None
    if milestone is None and year and indicator.target_year == year:
        milestone = indicator.target
    return milestone


def indicators_for_plan(plan: Plan, *, year: int | None = None) -> list[Indicator]:
    """The plan's indicators, each with ``latest`` (its newest value) and ``milestone`` (the
    value it should reach this year: the year's milestone, else the target of this year)."""
    indicators = list(
        plan.indicators.select_related("lead_unit", "monitoring_unit").prefetch_related(
            "milestones", Prefetch("values", queryset=IndicatorValue.objects.order_by("-period"))
        )
    )
    for indicator in indicators:
        values = list(indicator.values.all())
        indicator.latest = values[0] if values else None
        milestones = {m.year: m.value for m in indicator.milestones.all()}
        indicator.milestone = _this_years_milestone(indicator, milestones, year)
    return indicators


class LatestValue(NamedTuple):
    period: str
    value: Decimal


def indicators_shown(plan: Plan, *, year: int | None = None) -> list[Indicator]:
    """What the plan page shows of ``indicators_for_plan``, read from plain rows: ``latest``
    (a ``LatestValue``, the newest by the same order), ``milestone`` and ``milestone_list``
    ((year, value) by year). A model object for every value of every indicator, only to show
    the newest, was a third of the page's time."""
    indicators = list(plan.indicators.select_related("lead_unit", "monitoring_unit"))
    ids = [indicator.pk for indicator in indicators]
    latest: dict[int, LatestValue] = {}
    for indicator_id, period, value in (
        IndicatorValue.objects.filter(indicator_id__in=ids)
        .order_by("indicator_id", "-period")
        .values_list("indicator_id", "period", "value")
    ):
        latest.setdefault(indicator_id, LatestValue(period, value))
    milestones: dict[int, list[tuple[int, Decimal]]] = {}
    for indicator_id, milestone_year, value in (
        IndicatorMilestone.objects.filter(indicator_id__in=ids)
        .order_by("indicator_id", "year")
        .values_list("indicator_id", "year", "value")
    ):
        milestones.setdefault(indicator_id, []).append((milestone_year, value))
    for indicator in indicators:
        indicator.latest = latest.get(indicator.pk)
        indicator.milestone_list = milestones.get(indicator.pk, [])
        indicator.milestone = _this_years_milestone(indicator, dict(indicator.milestone_list), year)
    return indicators


def plan_units(plan: Plan) -> QuerySet[Unit]:
    """The units that lead or coordinate any task of the plan, for the unit filter."""
    # Two subqueries, not an OR across two joins (which multiplies every unit's led and
    # coordinated tasks of all plans before DISTINCT): 20–70 ms → 2 ms on a 150-task plan.
    return Unit.objects.filter(
        Q(pk__in=Task.lead_units.through.objects.filter(task__plan=plan).values("unit_id"))
        | Q(
            pk__in=Task.coordinating_units.through.objects.filter(task__plan=plan).values("unit_id")
        )
    ).order_by("order", "name")


def budget_table(plan: Plan) -> tuple[list[int], list[dict]]:
    """The plan's budget lines as rows (one per item) and year columns, in million VND."""
    years: set[int] = set()
    rows: dict[tuple[str, str, str], dict] = {}
    for line in plan.budget_lines.order_by("order", "id"):
        key = (line.note, line.code, line.content)
        row = rows.setdefault(
            key, {"code": line.code, "content": line.content, "table": line.note, "years": {}}
        )
        # A line without year or amount (the document named no money) shows as an empty row.
        if line.year is not None and line.estimate is not None:
            row["years"][line.year] = line.estimate
            years.add(line.year)
    ordered = sorted(years)
    for row in rows.values():
        row["cells"] = [row["years"].get(year) for year in ordered]
        row["total"] = sum(row["years"].values()) if row["years"] else None
    return ordered, list(rows.values())


def indicator_get_for_user(user: User, pk: int, *, action: Action | None = None) -> Indicator:
    """The indicator if ``user`` may read its plan (else 404) and, with ``action``, may do that
    (else 403)."""
    indicator = get_object_or_404(
        Indicator.all_objects.filter(org_scope(user, field="plan__organization")).select_related(
            "plan", "plan__organization", "lead_unit", "monitoring_unit", "section"
        ),
        pk=pk,
    )
    if action is not None:
        require(user, action, indicator)
    return indicator


def withdrawn_tasks(plan: Plan) -> QuerySet[Task]:
    """The tasks taken out of ``plan``, newest first: shown apart, with their reason."""
    return Task.all_objects.filter(plan=plan, withdrawn_at__isnull=False).order_by(
        "-withdrawn_at", "order", "id"
    )


# --- Completeness: the "6 rõ" a task needs before it can be tracked -------------------------


class Gap(StrEnum):
    """What a task may still lack of the "6 rõ" (who, what, when, responsibility, product,
    authority): the title (what) always exists; these are the columns imports leave empty."""

    LEAD_UNIT = "lead_unit"  # rõ người, rõ trách nhiệm
    DEADLINE = "deadline"  # rõ thời gian: no due date (none written, or an event or unknown)
    OUTPUT = "output"  # rõ sản phẩm
    KPI = "kpi"  # the measure of done


def with_lead_flag(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Annotate ``has_lead_unit``: one EXISTS per row, not a join that repeats the task."""
    return tasks.annotate(has_lead_unit=Exists(TaskLeadUnit.objects.filter(task_id=OuterRef("pk"))))


# Each gap as a filter on tasks annotated by ``with_lead_flag``.
GAP_FILTERS: dict[Gap, Q] = {
    Gap.LEAD_UNIT: Q(has_lead_unit=False),
    Gap.DEADLINE: Q(due_date__isnull=True),
    Gap.OUTPUT: Q(output=""),
    Gap.KPI: Q(kpi=""),
}
# "Not yet trackable": nobody to urge or no day to be late against. Such a task can never be
# overdue nor rank a unit; the dashboards count these and the alerts treat them apart.
NOT_TRACKABLE = GAP_FILTERS[Gap.LEAD_UNIT] | GAP_FILTERS[Gap.DEADLINE]
ANY_GAP = reduce(operator.or_, GAP_FILTERS.values())


def task_gaps(task: Task) -> list[Gap]:
    """The gaps of one task annotated by ``with_lead_flag``, in the order of ``Gap``."""
    missing = {
        Gap.LEAD_UNIT: not task.has_lead_unit,
        Gap.DEADLINE: task.due_date is None,
        Gap.OUTPUT: not task.output,
        Gap.KPI: not task.kpi,
    }
    return [gap for gap in Gap if missing[gap]]


def tasks_with_gaps(tasks: QuerySet[Task], *, gap: str = "") -> QuerySet[Task]:
    """The tasks lacking ``gap`` ("not_trackable" for the two that block tracking), or any gap
    with none given; each with ``has_lead_unit`` and its lead and coordinating unit lists
    ``lead_unit_list`` and ``coordinating_unit_list``."""
    tasks = with_lead_flag(tasks)
    if gap == "not_trackable":
        tasks = tasks.filter(NOT_TRACKABLE)
    elif gap in GAP_FILTERS:
        tasks = tasks.filter(GAP_FILTERS[Gap(gap)])
    else:
        tasks = tasks.filter(ANY_GAP)
    return tasks.select_related("section").prefetch_related(
        Prefetch("lead_units", queryset=lead_units_in_order(), to_attr="lead_unit_list"),
        Prefetch(
            "coordinating_units",
            queryset=coordinating_units_in_order(),
            to_attr="coordinating_unit_list",
        ),
    )


@dataclass
class Completeness:
    """How far a plan's tasks have their "6 rõ": how many lack each gap, and how many are not
    yet trackable (``NOT_TRACKABLE``)."""

    total: int = 0
    not_trackable: int = 0
    incomplete: int = 0  # with any gap
    gaps: dict[Gap, int] = field(default_factory=lambda: dict.fromkeys(Gap, 0))

    @property
    def complete(self) -> int:
        return self.total - self.incomplete


def _completeness_counts() -> dict[str, Count]:
    counts = {
        "total": Count("pk"),
        "not_trackable": Count("pk", filter=NOT_TRACKABLE),
        "incomplete": Count("pk", filter=ANY_GAP),
    }
    counts.update({gap.value: Count("pk", filter=GAP_FILTERS[gap]) for gap in Gap})
    return counts


def _completeness(row: dict) -> Completeness:
    return Completeness(
        total=row["total"] or 0,
        not_trackable=row["not_trackable"] or 0,
        incomplete=row["incomplete"] or 0,
        gaps={gap: row[gap.value] or 0 for gap in Gap},
    )


def plan_completeness(plan: Plan) -> Completeness:
    """The counts of the plan's tasks that count (``Task.objects``), in one query."""
    tasks = with_lead_flag(Task.objects.filter(plan=plan).order_by())
    return _completeness(tasks.aggregate(**_completeness_counts()))


def ward_completeness(plans: list[Plan]) -> list[tuple[Plan, Completeness]]:
    """Each plan of ``plans`` (a ward's live plans) with its counts, in one query."""
    rows = (
        with_lead_flag(Task.objects.filter(plan__in=plans).order_by())
        .values("plan_id")
        .annotate(**_completeness_counts())
    )
    by_plan = {row["plan_id"]: _completeness(row) for row in rows}
    return [(plan, by_plan.get(plan.pk, Completeness())) for plan in plans]


def plan_task_rows(plan: Plan) -> list[dict]:
    """Every task of ``plan``, withdrawn ones too, as ``amendments`` snapshot rows, in the
    plan's order. Four queries whatever the size of the plan."""
    tasks = list(
        Task.all_objects.filter(plan=plan)
        .select_related("section", "parent")
        .order_by("order", "id")
    )
    links = [
        (kind, task_id, unit_id)
        for kind, through in (("lead", TaskLeadUnit), ("coordinating", TaskCoordinatingUnit))
        for task_id, unit_id in through.objects.filter(task__plan=plan)
        .order_by("order", "id")
        .values_list("task_id", "unit_id")
    ]
    units = Unit.objects.in_bulk({unit_id for _kind, _task, unit_id in links})
    leads: dict[int, list[Unit]] = {}
    coordinators: dict[int, list[Unit]] = {}
    for kind, task_id, unit_id in links:
        (leads if kind == "lead" else coordinators).setdefault(task_id, []).append(units[unit_id])
    return [
        amendments.task_row(
            task,
            lead_units=leads.get(task.pk, []),
            coordinating_units=coordinators.get(task.pk, []),
        )
        for task in tasks
    ]


def plan_amendments(plan: Plan) -> QuerySet[PlanAmendment]:
    return plan.amendments.select_related("created_by").order_by("version")


def deadline_amendment(task: Task) -> PlanAmendment | None:
    """The latest amendment of the task's plan that moved its deadline, if any."""
    if not task.deadline_moved:
        return None
    for amendment in task.plan.amendments.order_by("-version"):
        for change in amendment.changes:
            if change.get("task") == task.pk and change.get("deadline_moved"):
                return amendment
    return None


def descendants(task: Task, *, every: bool = False) -> list[Task]:
    """The task's subtasks at every depth that still count (``every``: withdrawn ones too)."""
    manager = Task.all_objects if every else Task.objects
    found: list[Task] = []
    level = [task.pk]
    seen = {task.pk}
    while level:
        children = [t for t in manager.filter(parent_id__in=level) if t.pk not in seen]
        seen.update(t.pk for t in children)
        found.extend(children)
        level = [child.pk for child in children]
    return found


# --- The chain of plans: which province tasks a ward carries out ------------------------------


def upper_organization_ids(ward: Organization) -> list[int]:
    """The organisations above ``ward`` (its province): their plans are the ones it implements."""
    return [int(pk) for pk in ward.path.strip("/").split("/") if pk and int(pk) != ward.pk]


def upper_plans(ward: Organization) -> QuerySet[Plan]:
    """The live plans of the levels above ``ward``."""
    return Plan.objects.filter(organization_id__in=upper_organization_ids(ward)).exclude(
        status=Plan.Status.ARCHIVED
    )


def referenced_upper_plans(ward: Organization, references: Iterable[str]) -> list[Plan]:
    """The plans above ``ward`` that its "Căn cứ/Thực hiện Kế hoạch số …" lines name."""
    text = "\n".join(references)
    if not text.strip():
        return []
    return [
        plan
        for plan in upper_plans(ward).exclude(number="").order_by("-issued_on", "-id")
        if cascade.names_plan(text, plan.number)
    ]


def _assigned_to(ward: Organization) -> Q:
    return Q(ward_assignment=WardAssignment.ALL_WARDS) | Q(
        ward_assignment=WardAssignment.LISTED_WARDS, assigned_wards=ward
    )


def eligible_upper_tasks(ward: Organization, plans: Iterable[Plan] | None = None) -> QuerySet[Task]:
    """The live tasks of the levels above ``ward`` assigned to it (to every ward, or to a list
    naming it), of ``plans`` when given: the tasks a task of ``ward`` may carry out."""
    tasks = Task.objects.filter(plan__organization_id__in=upper_organization_ids(ward))
    if plans is not None:
        tasks = tasks.filter(plan__in=[plan.pk for plan in plans])
    ids = tasks.filter(_assigned_to(ward)).values("pk")
    return (
        Task.objects.filter(pk__in=ids)
        .select_related("plan", "plan__organization", "section", "parent")
        .order_by("plan__issued_on", "plan_id", "order", "id")
    )


def upper_task_groups(ward: Organization) -> list[tuple[Plan, list[Task]]]:
    """``eligible_upper_tasks`` grouped by plan, for a choice grouped the same way."""
    groups: dict[int, tuple[Plan, list[Task]]] = {}
    for task in eligible_upper_tasks(ward):
        groups.setdefault(task.plan_id, (task.plan, []))[1].append(task)
    return list(groups.values())


def task_text(task: Task) -> cascade.TaskText:
    """What the proposals compare of a saved task (its section and its heading task)."""
    titles = tuple(
        title
        for title in (
            task.section.title if task.section else "",
            task.parent.title if task.parent else "",
        )
        if title
    )
    return cascade.TaskText(
        code=task.code,
        title=task.title,
        section_code=task.section.code if task.section else "",
        section_titles=titles,
    )


def proposed_upper_tasks(plan: Plan) -> dict[int, Task]:
    """For a saved plan of a ward, the upper task proposed for each of its tasks not linked
    yet (by task id), among the tasks assigned to the ward of the upper plans it is based on
    (``Plan.parents``) or names in its "Căn cứ" lines. A person confirms them."""
    ward = plan.organization
    ancestors = upper_organization_ids(ward)
    plans = {p.pk: p for p in plan.parents.filter(organization_id__in=ancestors)}
    plans.update((p.pk, p) for p in referenced_upper_plans(ward, [plan.parent_references]))
    if not plans:
        return {}
    uppers = list(eligible_upper_tasks(ward, plans.values()))
    texts = [task_text(upper) for upper in uppers]
    proposals: dict[int, Task] = {}
    tasks = plan.tasks.filter(upper_task__isnull=True).select_related("section", "parent")
    for task in tasks.order_by("order", "id"):
        index = cascade.propose(task_text(task), texts)
        if index is not None:
            proposals[task.pk] = uppers[index]
    return proposals


def unimplemented_upper_tasks(ward: Organization) -> QuerySet[Task]:
    """The upper tasks assigned to ``ward`` that no task of the ward carries out yet (a
    withdrawn task, or one of a withdrawn plan, does not count): what it has still to make
    concrete in a plan of its own."""
    implemented = Task.objects.filter(upper_task=OuterRef("pk"), plan__organization=ward)
    return eligible_upper_tasks(ward).exclude(Exists(implemented))


# --- Roll-up of a province task from its wards ------------------------------------------------


@dataclass
class WardRow:
    """One assigned ward on the province task's page: its implementing tasks (each with its
    ``state`` set) and its share of the roll-up."""

    ward: Organization
    tasks: list[Task]
    share: rollup_rule.WardShare

    @property
    def progress(self) -> int:
        return rollup_rule.percent(self.share.progress)


@dataclass
class TaskRollup:
    """A province task as its wards carry it out: the rule's result, one row per assigned ward
    (by name) and the rule in words."""

    result: rollup_rule.Rollup
    rows: list[WardRow]

    @property
    def rule(self) -> str:
        return rollup_rule.rule_text(self.result.wards)


def _assigned_wards(task: Task) -> QuerySet[Organization]:
    if task.ward_assignment == WardAssignment.ALL_WARDS:
        province = task.plan.organization
        wards = Organization.objects.filter(
            path__startswith=province.path,
            kind__in=[Organization.Kind.WARD, Organization.Kind.COMMUNE],
        )
    elif task.ward_assignment == WardAssignment.LISTED_WARDS:
        wards = task.assigned_wards.all()
    else:
        return Organization.objects.none()
    return wards.order_by("name", "pk")


def assigned_wards(task: Task) -> list[Organization]:
    """The wards and communes that carry out a province task: every one below its province, or
    the ones listed; none for a task of the province's own departments. One query."""
    return list(_assigned_wards(task))


def task_rollup_result(task: Task, *, today: datetime.date) -> rollup_rule.Rollup | None:
    """The result of ``task_rollup`` alone (what the task keeps as its progress), by the same
    rule from the same tasks in the same order, read as plain values: every report of a ward
    task recomputes the province task it carries out, and building a row of every ward and of
    every implementing task for it was most of the report's time."""
    if task.ward_assignment == WardAssignment.OWN_UNITS:
        return None
    by_ward: dict[int, list[rollup_rule.WardTask]] = {
        pk: [] for pk in _assigned_wards(task).values_list("pk", flat=True)
    }
    implementing = (
        Task.objects.filter(upper_task=task, plan__organization__in=list(by_ward))
        .order_by("plan_id", "order", "pk")
        .values_list("plan__organization_id", "progress", "due_date", "completed_on")
    )
    for ward_id, progress, due_date, completed_on in implementing:
        by_ward[ward_id].append(rollup_rule.WardTask(progress, due_date, completed_on))
    return rollup_rule.rollup(list(by_ward.values()), due=task.due_date, today=today)


def task_rollup(task: Task, *, today: datetime.date) -> TaskRollup | None:
    """The roll-up of a province task carried out by wards (None for any other task), read in
    two queries whatever the number of wards: the wards, then every implementing task that
    counts (a ward's withdrawn task, or one of a withdrawn plan, does not)."""
    if task.ward_assignment == WardAssignment.OWN_UNITS:
        return None
    wards = assigned_wards(task)
    by_ward: dict[int, list[Task]] = {ward.pk: [] for ward in wards}
    implementing = (
        Task.objects.filter(upper_task=task, plan__organization__in=list(by_ward))
        .select_related("plan")
        .only(
            "pk",
            "code",
            "title",
            "progress",
            "completed_on",
            "due_date",
            "plan_id",
            "plan__organization_id",
            "plan__number",
            "plan__title",
            "plan__status",
        )
        .order_by("plan_id", "order", "pk")
    )
    for item in implementing:
        item.state = task_state(due=item.due_date, completed_on=item.completed_on, today=today)
        by_ward[item.plan.organization_id].append(item)
    rows = []
    for ward in wards:
        tasks = by_ward[ward.pk]
        share = rollup_rule.ward_share(
            [rollup_rule.WardTask(t.progress, t.due_date, t.completed_on) for t in tasks],
            today=today,
        )
        rows.append(WardRow(ward=ward, tasks=tasks, share=share))
    result = rollup_rule.rollup(
        [
            [rollup_rule.WardTask(t.progress, t.due_date, t.completed_on) for t in row.tasks]
            for row in rows
        ],
        due=task.due_date,
        today=today,
    )
    return TaskRollup(result=result, rows=rows)


def wards_of(province: Organization) -> QuerySet[Organization]:
    """The wards and communes below ``province``, by name: those its tasks may be given to."""
    return Organization.objects.filter(
        path__startswith=province.path,
        kind__in=[Organization.Kind.WARD, Organization.Kind.COMMUNE],
    ).order_by("name")
