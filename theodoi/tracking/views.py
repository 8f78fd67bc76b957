"""The composed task pages: a plan with its tasks, a task with its reports, evidence, alerts
and directives, a unit's tasks, and the forms on them. Thin: reads through the selectors of
plans, reporting and alerts; every POST goes through a form of ``tracking.forms`` and writes
through ``tracking.services`` (the progress chain) or ``reporting.services``."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.alerts.selectors import alerts_for_user
from theodoi.audit.models import AuditEvent
from theodoi.core.access import Action, can, can_import_plans
from theodoi.core.clock import today
from theodoi.core.inputs import safe_next
from theodoi.plans import selectors
from theodoi.plans.periods import label_of, period_of, periods_between
from theodoi.plans.states import TaskState, expected_progress, late_against_original
from theodoi.reporting import selectors as reporting_selectors
from theodoi.reporting.models import Directive, Evidence
from theodoi.reporting.selectors import period_states
from theodoi.tracking import services
from theodoi.tracking.forms import (
    DirectiveAnswerForm,
    DirectiveForm,
    EvidenceReviewForm,
    ReportDecisionForm,
    ReportForm,
    TaskFilterForm,
)


def _form_errors(request, form) -> None:
    """Each error of a form as a message, shown where the page shows its messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
def plan_list(request):
    day = today()
    plans = selectors.plans_for_user(request.user).annotate(
        overdue_count=Count(
            "tasks",
            filter=Q(tasks__completed_on__isnull=True, tasks__due_date__lt=day),
            distinct=True,
        ),
        done_count=Count("tasks", filter=Q(tasks__completed_on__isnull=False), distinct=True),
    )
    alerts = alerts_for_user(request.user)
    return render(
        request,
        "plans/plan_list.html",
        {
            "plans": plans,
            "can_import": can_import_plans(request.user),
            "alerts": alerts[:15],
            "alert_count": alerts.count(),
        },
    )


@login_required
def plan_detail(request, pk: int):
    day = today()
    plan = selectors.plan_get_for_user(request.user, pk)
    filters = TaskFilterForm(request.GET).filters()
    all_tasks = selectors.tasks_for_user(request.user, today=day).filter(plan=plan)
    tasks = selectors.for_task_list(
        selectors.filter_tasks(all_tasks, today=day, **filters).order_by("order", "id"), "section"
    )
    is_filtered = any(filters.values())
    counts = dict(all_tasks.order_by().values_list("state").annotate(n=Count("id", distinct=True)))
    budget_years, budget_rows = selectors.budget_table(plan)
    context = {
        "plan": plan,
        "tasks": tasks,
        "filters": filters,
        "is_filtered": is_filtered,
        "units": selectors.plan_units(plan),
        "sections": plan.sections.all(),
        "state_counts": [(state.value, counts.get(state.value, 0)) for state in TaskState],
        "indicators": selectors.indicators_for_plan(plan, year=day.year),
        "budget_years": budget_years,
        "can_report": can(request.user, Action.DOWNLOAD_REPORT, plan),
        "can_amend": can(request.user, Action.MANAGE_PLAN, plan) and not plan.is_archived,
        "budget_rows": budget_rows,
        "total": sum(counts.values()),
    }
    # A filter change from the page's own form swaps only the table body.
    if request.htmx and request.htmx.target == "task-rows":
        return render(request, "plans/_task_rows.html", context)
    return render(request, "plans/plan_detail.html", context)


def report_periods(task, day: datetime.date) -> list:
    """The periods a unit may report for: from the task's start to the current one, newest
    first (a late report for an earlier period is still welcome)."""
    plan = task.plan
    start = task.start_date or plan.period_start or plan.issued_on or day.replace(month=1, day=1)
    current = period_of(day, plan.reporting_cycle)
    periods = periods_between(min(start, current.start), current.end, plan.reporting_cycle)
    return list(reversed(periods))[:24]


def _timeline(task, reports, evidence, directives, alerts) -> list[dict]:
    """Reports, evidence and its reviews, alerts and directives of a task, newest first."""
    events = []
    for report in reports:
        events.append({"at": report.submitted_at, "kind": "report", "item": report})
        if report.reviewed_at:
            events.append({"at": report.reviewed_at, "kind": "report_decision", "item": report})
    for item in evidence:
        events.append({"at": item.uploaded_at, "kind": "evidence", "item": item})
        for review in item.reviews.all():
            events.append(
                {"at": review.reviewed_at, "kind": "review", "item": review, "file": item}
            )
    for directive in directives:
        events.append({"at": directive.created_at, "kind": "directive", "item": directive})
        if directive.answered_at:
            events.append({"at": directive.answered_at, "kind": "answer", "item": directive})
    for alert in alerts:
        events.append({"at": alert.opened_at, "kind": "alert", "item": alert})
        if alert.closed_at:
            events.append({"at": alert.closed_at, "kind": "alert_closed", "item": alert})
    return sorted((e for e in events if e["at"]), key=lambda e: e["at"], reverse=True)


def _task_page(request, task, *, report_form: ReportForm | None = None, status: int = 200):
    """The task page; with a report form that was refused, the form keeps what was typed."""
    day = today()
    directives = list(task.directives.select_related("author", "answered_by"))
    reports = list(task.reports.select_related("submitted_by", "unit", "reviewed_by"))
    evidence = list(
        task.evidence.filter(withdrawn=False)
        .select_related("uploaded_by")
        .prefetch_related("reviews__reviewer")
    )
    alerts = list(task.alerts.select_related("unit").order_by("-opened_at"))
    history = (
        AuditEvent.objects.filter(
            Q(object_type="plans.task", object_id=str(task.pk))
            | Q(object_type="reporting.directive", object_id__in=[str(d.pk) for d in directives])
        )
        .select_related("actor")
        .order_by("-id")[:50]
    )
    start = task.start_date or task.plan.period_start or task.plan.issued_on
    can_report = can(request.user, Action.REPORT, task)
    context = {
        "task": task,
        "subtasks": selectors.tasks_for_user(request.user, today=day).filter(parent=task),
        "reports": reports,
        "evidence": evidence,
        "directives": directives,
        "open_alerts": [a for a in alerts if a.closed_at is None],
        "period_states": period_states(task, today=day),
        "timeline": _timeline(task, reports, evidence, directives, alerts),
        "history": history,
        "expected": expected_progress(start=start, due=task.due_date, on=day),
        "deadline_amendment": selectors.deadline_amendment(task),
        "late_against_original": late_against_original(
            due=task.due_date,
            original_due=task.original_due_date,
            completed_on=task.completed_on,
            today=day,
        ),
        "can_direct": can(request.user, Action.DIRECT, task),
        "can_answer": can(request.user, Action.ANSWER_DIRECTIVE, task),
        "can_report": can_report and not task.subtasks.exists(),
        "can_review": can(request.user, Action.REVIEW, task),
        "can_confirm": can(request.user, Action.CONFIRM_REPORT, task),
        "periods": report_periods(task, day) if can_report else [],
        "current_period": str(period_of(day, task.plan.reporting_cycle)),
        "evidence_kinds": Evidence.Kind.choices,
        "report_form": report_form or ReportForm(),
    }
    return render(request, "plans/task_detail.html", context, status=status)


@login_required
def task_detail(request, pk: int):
    task = selectors.task_get_for_user(request.user, pk, today=today())
    return _task_page(request, task)


@login_required
def my_tasks(request):
    day = today()
    tasks = selectors.for_task_list(selectors.my_unit_tasks(request.user, today=day), "plan")
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    alerts = alerts_for_user(request.user)
    return render(
        request,
        "plans/my_tasks.html",
        {
            "page": page,
            "unit": request.user.unit,
            "alerts": alerts[:15],
            "alert_count": alerts.count(),
        },
    )


# --- Directives -----------------------------------------------------------------------------


@login_required
@require_POST
def directive_create(request, pk: int):
    task = selectors.task_get_for_user(request.user, pk, today=today(), action=Action.DIRECT)
    form = DirectiveForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(task.get_absolute_url() + "#directives")
    try:
        services.directive_create(actor=request.user, task=task, text=form.cleaned_data["text"])
    except services.EmptyText:
        messages.error(request, _("Write the directive before sending it."))
    except services.ReportingError as exc:  # too long, or not storable
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The directive has been sent to the lead unit."))
    return redirect(task.get_absolute_url() + "#directives")


@login_required
@require_POST
def directive_answer(request, pk: int, directive_pk: int):
    task = selectors.task_get_for_user(
        request.user, pk, today=today(), action=Action.ANSWER_DIRECTIVE
    )
    directive = get_object_or_404(Directive, pk=directive_pk, task=task)
    form = DirectiveAnswerForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(task.get_absolute_url() + "#directives")
    try:
        services.directive_answer(
            actor=request.user, directive=directive, answer=form.cleaned_data["answer"]
        )
    except services.EmptyText:
        messages.error(request, _("Write the answer before sending it."))
    except services.ReportingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your answer has been recorded."))
    return redirect(task.get_absolute_url() + "#directives")


# --- Reports and evidence -------------------------------------------------------------------


@login_required
@require_POST
def report_submit(request, pk: int):
    """The unit's report for a period, with any evidence files chosen or dropped on the form:
    all saved, or nothing saved and the form shown again with what was typed."""
    task = selectors.task_get_for_user(request.user, pk, today=today(), action=Action.REPORT)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report, files = services.report_submit_with_files(
                actor=request.user,
                task=task,
                period=data["period"],
                percent=data["percent"],
                result=data["result"],
                difficulties=data["difficulties"],
                proposals=data["proposals"],
                version=data["version"],
                uploads=form.uploads(),
                kind=data["kind"],
                document_number=data["document_number"],
                document_date=data["document_date"],
            )
        except services.ReportingError as exc:  # storage down included: nothing was saved
            form.add_error(None, str(exc))
    if not form.is_valid():
        _form_errors(request, form)
        response = _task_page(request, task, report_form=form)
        if request.htmx:
            # The form was sent by htmx: the page with the refused form replaces the page.
            response["HX-Retarget"] = "body"
            response["HX-Reswap"] = "innerHTML"
        return response
    messages.success(
        request,
        _("Report for %(period)s saved (%(percent)s%%), %(files)s evidence file(s) attached.")
        % {"period": label_of(report.period), "percent": report.percent, "files": len(files)},
    )
    if request.htmx:
        # Without a fragment: the same URL with only "#reports" would scroll, not reload.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = task.get_absolute_url()
        return response
    return redirect(task.get_absolute_url() + "#reports")


@login_required
@require_POST
def report_decide(request, pk: int):
    """The standing office accepts a report, returns it with a reason, or a unit head confirms."""
    form = ReportDecisionForm(request.POST)
    valid = form.is_valid()
    action = form.cleaned_data.get("action")
    needed = Action.CONFIRM_REPORT if action == "confirm" else Action.REVIEW
    report = reporting_selectors.report_get_for_user(request.user, pk, action=needed)
    back = safe_next(request, report.task.get_absolute_url() + "#reports")
    if not valid:
        _form_errors(request, form)
        return redirect(back)
    # The version the page showed: a report corrected or decided on since is not decided on
    # again unseen (the service says so, and the page shows the report as it is now).
    version = form.cleaned_data["version"]
    try:
        if action == "accept":
            services.report_accept(actor=request.user, report=report, version=version)
            messages.success(request, _("The report has been accepted."))
        elif action == "return":
            services.report_return(
                actor=request.user,
                report=report,
                reason=form.cleaned_data["reason"],
                version=version,
            )
            messages.success(request, _("The report has been returned to the unit."))
        else:
            services.report_confirm(actor=request.user, report=report, version=version)
            messages.success(request, _("The report has been confirmed."))
    except services.ReportingError as exc:
        messages.error(request, str(exc))
    return redirect(back)


@login_required
@require_POST
def evidence_review(request, pk: int):
    evidence = reporting_selectors.evidence_get_for_user(request.user, pk, action=Action.REVIEW)
    back = safe_next(request, reverse("review_queue"))
    form = EvidenceReviewForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    decision = form.cleaned_data["decision"]
    try:
        services.evidence_review(
            actor=request.user,
            evidence=evidence,
            decision=decision,
            reason=form.cleaned_data["reason"],
            # The id of the latest review the page showed (0: none yet).
            expected_review_id=form.cleaned_data["version"],
        )
    except services.ReportingError as exc:
        messages.error(request, str(exc))
    else:
        if decision in ("accept", "accepted"):
            messages.success(request, _("%(name)s: accepted.") % {"name": evidence.original_name})
        else:
            messages.success(request, _("%(name)s: rejected.") % {"name": evidence.original_name})
    return redirect(back)


@login_required
def review_queue(request):
    ward = request.user.organization
    if ward is None or not can(request.user, Action.REVIEW, ward):
        raise PermissionDenied
    evidence, reports = reporting_selectors.review_queue(request.user)
    return render(
        request, "reporting/review_queue.html", {"evidence": evidence, "reports": reports}
    )


@login_required
def evidence_file(request, pk: int):
    """Serve an evidence file to someone who may see its task, and record the access. Files are
    downloads, except PDF and images that the review page shows inline, sandboxed."""
    return services.evidence_open(
        actor=request.user, evidence_id=pk, inline=request.GET.get("inline") == "1"
    )
