"""Reads behind the reports, scoped to the person asking.

The tasks, their states and progress come from ``plans.selectors.tasks_for_user`` (the query the
plan page uses), the indicators from ``indicators_for_plan`` and the evidence from
``reporting.selectors.evidence_for_user``: a report never counts by a rule of its own.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404

from theodoi.core.access import Action, Actor, can
from theodoi.org.models import User
from theodoi.plans.models import Plan
from theodoi.plans.periods import Period
from theodoi.plans.selectors import (
    coordinating_units_in_order,
    indicators_for_plan,
    lead_units_in_order,
    tasks_for_user,
)
from theodoi.plans.states import late_against_original
from theodoi.ranking.selectors import wards_for_user
from theodoi.reporting.models import EvidenceReview, ProgressReport
from theodoi.reporting.selectors import evidence_for_user

from . import report
from .models import ReportExport


def export_get_for_user(user: User, pk: int) -> ReportExport:
    """One of the person's own exports (404 for anyone else's, whatever their role), while they
    may still have its file (403 otherwise): the plan's reports, the ward's ranking."""
    export = get_object_or_404(
        ReportExport.objects.select_related("plan__organization", "organization"),
        pk=pk,
        requested_by=user.pk,
    )
    if export.kind == ReportExport.Kind.RANKING:
        allowed = wards_for_user(user).filter(pk=export.organization_id).exists()
    else:
        allowed = export.plan is not None and can(user, Action.DOWNLOAD_REPORT, export.plan)
    if not allowed:
        raise PermissionDenied
    return export


def plan_facts(plan: Plan) -> report.PlanFacts:
    ward = plan.organization
    province = ward.parent if ward.parent_id else None
    return report.PlanFacts(
        id=plan.pk,
        number=plan.number,
        title=plan.title,
        issuer=plan.issuer,
        issuer_kind=plan.issuer_kind,
        issued_on=plan.issued_on,
        ward=ward.name,
        province=province.name if province else "",
    )


def report_data(
    user: Actor, plan: Plan, period: Period, *, today: datetime.date
) -> report.ReportData:
    """Everything a report of ``plan`` for ``period`` says, as ``user`` may see it."""
    as_of = report.as_of_day(period, today)
    # The plan page's query, without the related rows and long texts a report never reads, and
    # the units as plain lists (a prefetched manager is cloned at every access).
    tasks = list(
        tasks_for_user(user, today=as_of)
        .filter(plan=plan)
        .select_related(None)
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("lead_units", queryset=lead_units_in_order().only("name"), to_attr="leads"),
            Prefetch(
                "coordinating_units",
                queryset=coordinating_units_in_order().only("name"),
                to_attr="coordinators",
            ),
        )
        .defer("kpi", "note", "lead_units_raw", "coordinating_units_raw", "search_text")
        .order_by("order", "id")
    )
    task_ids = [task.pk for task in tasks]
    rows = [
        report.TaskRow(
            id=task.pk,
            code=task.code,
            title=task.title,
            section_id=task.section_id,
            parent_id=task.parent_id,
            lead_units=tuple(unit.name for unit in task.leads),
            coordinating_units=tuple(unit.name for unit in task.coordinators),
            output=task.output,
            deadline_text=task.deadline_text,
            due=task.due_date,
            progress=task.progress,
            state=task.state,
            completed_on=task.completed_on,
            original_due=task.original_due_date if task.deadline_moved else None,
            original_deadline_text=task.original_deadline_text if task.deadline_moved else "",
            late_against_original=late_against_original(
                due=task.due_date,
                original_due=task.original_due_date,
                completed_on=task.completed_on,
                today=as_of,
            ),
        )
        for task in tasks
    ]
    # Plain values, not model objects: a plan holds two years of weekly reports (tens of
    # thousands of rows), and building a model per row was most of the query's cost.
    reports = (
        ProgressReport.objects.filter(task__in=task_ids)
        .exclude(status__in=[ProgressReport.Status.RETURNED, ProgressReport.Status.DRAFT])
        .order_by("task_id", "period", "id")
        .values_list(
            "task_id", "period", "percent", "result", "difficulties", "proposals", "unit__name"
        )
    )
    report_facts = [
        report.ReportFacts(
            task_id=task_id,
            period=period_text,
            percent=percent,
            result=result,
            difficulties=difficulties,
            proposals=proposals,
            unit=unit or "",
        )
        for task_id, period_text, percent, result, difficulties, proposals, unit in reports
    ]
    rows = list(report.with_depth(report.attach_reports(rows, report_facts, period)))
    indicators = [
        report.assess_indicator(
            report.IndicatorInput(
                id=indicator.pk,
                code=indicator.code,
                name=indicator.name,
                unit_of_measure=indicator.unit_of_measure,
                comparator=indicator.comparator,
                baseline=indicator.baseline,
                baseline_year=indicator.baseline_year,
                baseline_text=indicator.baseline_text,
                milestones={m.year: m.value for m in indicator.milestones.all()},
                target=indicator.target,
                target_year=indicator.target_year,
                target_text=indicator.target_text,
                values=tuple((v.period, v.value) for v in indicator.values.all()),
                lead_unit=indicator.lead_unit.name if indicator.lead_unit else "",
                section_id=indicator.section_id,
            ),
            period=period,
            as_of=as_of,
        )
        for indicator in indicators_for_plan(plan, year=as_of.year)
    ]
    # The latest review's decision by the database (the same order as
    # ``Evidence.latest_review``), and plain values: no file, task or reviewer object per row.
    latest_decision = Subquery(
        EvidenceReview.objects.filter(evidence=OuterRef("pk"))
        .order_by("-reviewed_at", "-pk")
        .values("decision")[:1]
    )
    visible = (
        evidence_for_user(user)
        .select_related(None)
        .prefetch_related(None)
        .filter(withdrawn=False)
        .annotate(decision=latest_decision)
    )
    # Named as report.EvidenceRow's fields.
    fields = ("id", "task_id", "original_name", "sha256", "size")
    fields += ("storage_name", "decision", "uploaded_on")
    visible = visible.annotate(storage_name=F("file"))
    evidence = [
        report.EvidenceRow(**row)
        for row in visible.filter(task__in=task_ids)
        .order_by("task_id", "uploaded_at", "id")
        .values(*fields)
    ]
    evidence += [
        report.EvidenceRow(**row)
        for row in visible.filter(indicator_value__indicator__plan=plan, task__isnull=True)
        .annotate(
            indicator_id=F("indicator_value__indicator_id"),
            value_period=F("indicator_value__period"),
        )
        .order_by("uploaded_at", "id")
        .values(*fields, "indicator_id", "value_period")
    ]
    return report.ReportData(
        plan=plan_facts(plan),
        period=period,
        as_of=as_of,
        today=today,
        sections=tuple(
            report.SectionFacts(id=s.pk, code=s.code, title=s.title)
            for s in plan.sections.order_by("order", "id")
        ),
        tasks=tuple(rows),
        indicators=tuple(indicators),
        evidence=tuple(evidence),
        reports=tuple(report_facts),
    )
