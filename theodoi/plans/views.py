"""Pages for plans and tasks. Thin: reads through selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.audit.models import AuditEvent
from theodoi.core.access import Action, can
from theodoi.core.clock import today
from theodoi.plans import selectors
from theodoi.plans.states import TaskState, expected_progress
from theodoi.reporting import services as reporting_services
from theodoi.reporting.models import Directive


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
    ward = request.user.organization
    can_import = bool(ward and ward.is_local and can(request.user, Action.MANAGE_PLAN, ward))
    return render(request, "plans/plan_list.html", {"plans": plans, "can_import": can_import})


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
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
    tasks = selectors.filter_tasks(all_tasks, today=day, **filters).order_by("order", "id")
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
        "indicators": selectors.indicators_for_plan(plan),
        "budget_years": budget_years,
        "budget_rows": budget_rows,
        "total": sum(counts.values()),
    }
    # A filter change from the page's own form swaps only the table body.
    if request.htmx and request.htmx.target == "task-rows":
        return render(request, "plans/_task_rows.html", context)
    return render(request, "plans/plan_detail.html", context)


@login_required
def task_detail(request, pk: int):
    day = today()
    task = selectors.task_get_for_user(request.user, pk, today=day)
    directives = task.directives.select_related("author", "answered_by")
    history = (
        AuditEvent.objects.filter(
            Q(object_type="plans.task", object_id=str(task.pk))
            | Q(object_type="reporting.directive", object_id__in=[str(d.pk) for d in directives])
        )
        .select_related("actor")
        .order_by("-id")[:50]
    )
    start = task.start_date or task.plan.period_start or task.plan.issued_on
    context = {
        "task": task,
        "subtasks": selectors.tasks_for_user(request.user, today=day).filter(parent=task),
        "reports": task.reports.select_related("submitted_by", "unit"),
        "evidence": task.evidence.filter(withdrawn=False).prefetch_related("reviews"),
        "directives": directives,
        "history": history,
        "expected": expected_progress(start=start, due=task.due_date, on=day),
        "can_direct": can(request.user, Action.DIRECT, task),
        "can_answer": can(request.user, Action.ANSWER_DIRECTIVE, task),
        "can_report": can(request.user, Action.REPORT, task),
    }
    return render(request, "plans/task_detail.html", context)


@login_required
def my_tasks(request):
    day = today()
    tasks = selectors.my_unit_tasks(request.user, today=day)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    return render(request, "plans/my_tasks.html", {"page": page, "unit": request.user.unit})


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
    else:
        messages.success(request, _("Your answer has been recorded."))
    return redirect(task.get_absolute_url() + "#directives")
