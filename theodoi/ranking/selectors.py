"""Reads for the unit ranking: the facts of every unit of a ward, gathered with a fixed number
of queries through the same task query (and its ``state``) as every other list."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from theodoi.org.models import Organization, Unit, User
from theodoi.org.selectors import organizations_for_user
from theodoi.plans.models import Plan
from theodoi.plans.periods import CYCLES, periods_between
from theodoi.plans.selectors import tasks_for_user
from theodoi.plans.states import TaskState, late_against_original
from theodoi.ranking import scoring
from theodoi.ranking.models import ScoreScale
from theodoi.reporting.models import Evidence, EvidenceReview, ProgressReport

LOCAL_KINDS = (Organization.Kind.WARD, Organization.Kind.COMMUNE)


def wards_for_user(user: User) -> QuerySet[Organization]:
    """The wards and communes ``user`` may rank: their own, or every one below them."""
    return (
        organizations_for_user(user)
        .filter(kind__in=LOCAL_KINDS)
        .select_related("parent")
        .order_by("path", "name")
    )


def ward_get_for_user(user: User, ward_id: int | None) -> Organization | None:
    """The ward asked for (404 unless ``user`` may see it) or, without an id, the user's own
    ward; None for a user above the wards, who picks one."""
    if ward_id is not None:
        return get_object_or_404(wards_for_user(user), pk=ward_id)
    ward = user.organization if user.organization_id else None
    return ward if ward is not None and ward.is_local else None


def scale_for_ward(ward: Organization) -> tuple[scoring.Scale, ScoreScale | None]:
    """The ward's scale and its record, or the default scale and None."""
    record = ScoreScale.objects.filter(organization=ward).select_related("updated_by").first()
    if record is None:
        return scoring.DEFAULT_SCALE, None
    return record.as_scale(), record


@dataclass
class _Counts:
    tasks_due: int = 0
    done_on_time: int = 0
    done_late: int = 0
    done_late_against_original: int = 0
    open_overdue: int = 0
    overdue_days: int = 0
    reports_due: int = 0
    reports_on_time: int = 0
    reports_late: int = 0
    reports_missing: int = 0
    late_days: int = 0
    late_days_actual: int = 0
    evidence_reviewed: int = 0
    evidence_accepted: int = 0


def _submitted_day(submitted_on: datetime.date | None, submitted_at) -> datetime.date | None:
    if submitted_on is not None:
        return submitted_on
    return timezone.localdate(submitted_at) if submitted_at is not None else None


def unit_facts(
    user: User,
    ward: Organization,
    *,
    today: datetime.date,
    start: datetime.date,
    end: datetime.date,
) -> list[scoring.UnitFacts]:
    """The facts of every unit of ``ward`` that leads a task, for the days ``start``–``end``.

    A unit's tasks are the tasks it leads (each lead unit of a shared task answers for all of
    it), without parent tasks, whose progress comes from their subtasks, and without draft
    plans. Counted, as of ``today``:

    - tasks whose due day is in the period and has passed, by their official state;
    - the report of each period of the plan's cycle that ends in the period, from the task's
      start to its completion, once its due day has passed; it is on time when submitted on
      or before that day, late by the days after it, and a report never sent (or returned and
      not sent again) is late until today; the penalty counts each report at most one
      reporting period late (``scoring.report_late_days``);
    - evidence files uploaded in the period and reviewed, accepted when their latest review
      accepts them.

    Seven queries whatever the size of the ward.
    """
    units = list(Unit.objects.filter(organization=ward).order_by("order", "name"))
    tasks = list(
        tasks_for_user(user, today=today)
        .filter(plan__organization=ward, subtasks__isnull=True)
        .exclude(plan__status=Plan.Status.DRAFT)
    )
    by_task: dict[int, list[int]] = {
        task.pk: [unit.pk for unit in task.lead_units.all()] for task in tasks
    }
    reports: dict[tuple[int, str], datetime.date | None] = {}
    rows = (
        ProgressReport.objects.filter(task__plan__organization=ward)
        .exclude(status__in=[ProgressReport.Status.RETURNED, ProgressReport.Status.DRAFT])
        .values_list("task_id", "period", "submitted_on", "submitted_at")
    )
    for task_id, period, submitted_on, submitted_at in rows:
        reports[(task_id, period)] = _submitted_day(submitted_on, submitted_at)

    counts: dict[int, _Counts] = defaultdict(_Counts)
    for task in tasks:
        leads = by_task[task.pk]
        if not leads:
            continue
        for unit_id in leads:
            counts.setdefault(unit_id, _Counts())  # listed even with nothing due yet
        due = task.due_date
        if due is not None and start <= due <= end and due < today:
            for unit_id in leads:
                unit = counts[unit_id]
                unit.tasks_due += 1
                if task.state == TaskState.DONE_ON_TIME:
                    unit.done_on_time += 1
                    # On time against an amended deadline, late against the plan's own: the
                    # score follows the official state, the formula says it.
                    if late_against_original(
                        due=due,
                        original_due=task.original_due_date,
                        completed_on=task.completed_on,
                        today=today,
                    ):
                        unit.done_late_against_original += 1
                elif task.state == TaskState.DONE_LATE:
                    unit.done_late += 1
                else:
                    unit.open_overdue += 1
                    unit.overdue_days += (today - due).days
        plan = task.plan
        first = task.start
        if task.cycle not in CYCLES:
            continue
        last = min(end, today)
        if task.completed_on is not None:
            last = min(last, task.completed_on)
        for period in periods_between(first, last, task.cycle):
            report_due = period.due(plan.report_due_days)
            if not start <= period.end <= end or report_due >= today:
                continue
            missing = (task.pk, str(period)) not in reports
            # A report sent without a day on record counts as on time.
            submitted = None if missing else reports[(task.pk, str(period))] or report_due
            actual, late = scoring.report_late_days(
                due=report_due,
                submitted=submitted,
                today=today,
                period_days=(period.end - period.start).days + 1,
            )
            for unit_id in leads:
                unit = counts[unit_id]
                unit.reports_due += 1
                unit.late_days += late
                unit.late_days_actual += actual
                if missing:
                    unit.reports_missing += 1
                elif late:
                    unit.reports_late += 1
                else:
                    unit.reports_on_time += 1

    evidence = {
        pk: (task_id, uploaded_on or timezone.localdate(uploaded_at))
        for pk, task_id, uploaded_on, uploaded_at in Evidence.objects.filter(
            task__plan__organization=ward, withdrawn=False
        ).values_list("id", "task_id", "uploaded_on", "uploaded_at")
    }
    latest: dict[int, tuple] = {}
    reviews = EvidenceReview.objects.filter(
        evidence__task__plan__organization=ward, evidence__withdrawn=False
    ).values_list("evidence_id", "reviewed_at", "id", "decision")
    for evidence_id, reviewed_at, review_id, decision in reviews:
        key = (reviewed_at, review_id)
        if evidence_id not in latest or key > latest[evidence_id][0]:
            latest[evidence_id] = (key, decision)
    for evidence_id, (_key, decision) in latest.items():
        task_id, uploaded = evidence.get(evidence_id, (None, None))
        if task_id not in by_task or uploaded is None or not start <= uploaded <= end:
            continue
        for unit_id in by_task[task_id]:
            counts[unit_id].evidence_reviewed += 1
            if decision == EvidenceReview.Decision.ACCEPTED:
                counts[unit_id].evidence_accepted += 1

    return [
        scoring.UnitFacts(
            unit_id=unit.pk,
            unit_name=unit.name,
            **{
                name: getattr(counts[unit.pk], name)
                for name in scoring.UnitFacts.__dataclass_fields__
                if name not in ("unit_id", "unit_name", "late_days_actual")
            },
            late_days_actual=(
                counts[unit.pk].late_days_actual
                if counts[unit.pk].late_days_actual != counts[unit.pk].late_days
                else None
            ),
        )
        for unit in units
        if unit.pk in counts
    ]


def ward_ranking(
    user: User,
    ward: Organization,
    *,
    today: datetime.date,
    start: datetime.date,
    end: datetime.date,
    scale: scoring.Scale,
) -> list[scoring.Ranked]:
    """Every unit of the ward that leads a task, scored on ``scale`` and ranked."""
    facts = unit_facts(user, ward, today=today, start=start, end=end)
    return scoring.rank([scoring.score_unit(item, scale) for item in facts])
