"""Pages for plans and tasks. Thin: reads through selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.alerts.selectors import alerts_for_user
from theodoi.audit.models import AuditEvent
from theodoi.core.access import Action, can, can_import_plans
from theodoi.core.clock import today
from theodoi.plans import selectors
from theodoi.plans.periods import period_of
from theodoi.plans.states import TaskState, expected_progress
from theodoi.reporting import services as reporting_services
from theodoi.reporting.models import Directive, Evidence
from theodoi.reporting.selectors import period_states
from theodoi.reporting.views import report_periods


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


def _int_or_none(value: str | None) -> int | None:
    """A database id from a query parameter; anything else (words, "²", 30 digits) is None."""
    if value and value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)
    return None


@login_required
def plan_detail(request, pk: int):
    day = today()
    plan = selectors.plan_get_for_user(request.user, pk)
    filters = {
        "unit": _int_or_none(request.GET.get("unit")),
        "state": request.GET.get("state", ""),
        "deadline": request.GET.get("deadline", ""),
        "q": request.GET.get("q", "").strip(),
    }
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
        "budget_rows": budget_rows,
        "total": sum(counts.values()),
    }
    # A filter change from the page's own form swaps only the table body.
    if request.htmx and request.htmx.target == "task-rows":
        return render(request, "plans/_task_rows.html", context)
    return render(request, "plans/plan_detail.html", context)


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


@login_required
def task_detail(request, pk: int):
    day = today()
    task = selectors.task_get_for_user(request.user, pk, today=day)
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
        "can_direct": can(request.user, Action.DIRECT, task),
        "can_answer": can(request.user, Action.ANSWER_DIRECTIVE, task),
        "can_report": can_report and not task.subtasks.exists(),
        "can_review": can(request.user, Action.REVIEW, task),
        "can_confirm": can(request.user, Action.CONFIRM_REPORT, task),
        "periods": report_periods(task, day) if can_report else [],
        "current_period": str(period_of(day, task.plan.reporting_cycle)),
        "evidence_kinds": Evidence.Kind.choices,
    }
    return render(request, "plans/task_detail.html", context)


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


@login_required
@require_POST
def directive_create(request, pk: int):
    task = selectors.task_get_for_user(request.user, pk, today=today(), action=Action.DIRECT)
    try:
        reporting_services.directive_create(
            actor=request.user, task=task, text=request.POST.get("text", "")
        )
    except reporting_services.EmptyText:
        messages.error(request, _("Write the directive before sending it."))
    except reporting_services.ReportingError as exc:  # too long, or not storable
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
    try:
        reporting_services.directive_answer(
            actor=request.user, directive=directive, answer=request.POST.get("answer", "")
        )
    except reporting_services.EmptyText:
        messages.error(request, _("Write the answer before sending it."))
    except reporting_services.ReportingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your answer has been recorded."))
    return redirect(task.get_absolute_url() + "#directives")
