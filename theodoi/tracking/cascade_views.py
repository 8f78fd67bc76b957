"""The chain of plans seen from a ward: on a task's page, the upper-level task it carries out
("cụ thể hóa") and the form that links it; and the upper-level tasks assigned to a ward that
none of its tasks carries out yet. Reads through ``plans.selectors``; links through
``plans.services.plan_link_uppers``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.core.access import Action, can, org_scope
from theodoi.core.clock import today
from theodoi.core.forms import whole_number
from theodoi.core.inputs import safe_next
from theodoi.org.models import Organization, User
from theodoi.plans import cascade, selectors
from theodoi.plans import services as plan_services
from theodoi.plans.models import Plan, Task
from theodoi.tracking.forms import UpperTaskForm


def upper_task_context(user: User, task: Task, *, live: bool) -> dict:
    """What the task page shows of the upper-level task: the task it carries out and, for
    whoever keeps the ward's plan, the tasks it may choose from, grouped by plan."""
    ward = task.plan.organization
    if not ward.is_local:
        return {"upper_block": False}
    manage = live and can(user, Action.MANAGE_PLAN, task)
    groups = selectors.upper_task_groups(ward) if manage else []
    if Task.upper_task.is_cached(task):
        # Read with the task, with its plan and that plan's organisation (task_page_get).
        upper = task.upper_task
    elif task.upper_task_id is not None:
        upper = Task.all_objects.select_related("plan", "plan__organization").get(
            pk=task.upper_task_id
        )
    else:
        upper = None
    return {
        # Shown when there is something to show: a link, or a choice to make.
        "upper_block": bool(upper or groups),
        "upper_task": upper,
        "upper_groups": groups,
        "can_link_upper": manage and bool(groups or upper),
    }


@login_required
@require_POST
def task_link_upper(request, pk: int):
    """Link the task to the upper-level task it carries out, or to none."""
    task = selectors.task_get_for_user(request.user, pk, today=today(), action=Action.MANAGE_PLAN)
    form = UpperTaskForm(request.POST)
    back = safe_next(request, task.get_absolute_url() + "#upper")
    if task.is_withdrawn or task.plan.is_archived:
        raise PermissionDenied
    if not form.is_valid():
        messages.error(request, _("Choose the upper-level task from the list, or choose none."))
        return redirect(back)
    chosen = form.cleaned_data["upper"]
    upper = None
    if chosen is not None:
        upper = selectors.eligible_upper_tasks(task.plan.organization).filter(pk=chosen).first()
        if upper is None:
            messages.error(
                request,
                _(
                    "That upper-level task is no longer one this ward carries out (it was "
                    "withdrawn or reassigned). Reload the page and choose again."
                ),
            )
            return redirect(back)
    try:
        plan_services.plan_link_uppers(actor=request.user, plan=task.plan, links={task: upper})
    except plan_services.ChainError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if upper is None:
        messages.success(request, _("The task no longer carries out an upper-level task."))
    else:
        messages.success(
            request,
            _("Task %(task)s now carries out task %(upper)s of plan %(plan)s.")
            % {
                "task": task.code or task.title[:40],
                "upper": upper.code,
                "plan": upper.plan.short_name,
            },
        )
    return redirect(back)


def _wards_to_choose(user: User) -> list[Organization]:
    """The wards and communes ``user`` reads from above (a province's people): none for a
    ward's own people, who see their own ward."""
    wards = Organization.objects.filter(org_scope(user, field=""), kind__in=["ward", "commune"])
    return [ward for ward in wards if ward.pk != user.organization_id]


def shows_unimplemented_link(user: User) -> bool:
    """Whether the plan list links to the page of upper-level tasks not made concrete yet: for
    a ward that has upper-level plans above it, and for the province above wards."""
    organization = user.organization if user.is_authenticated else None
    if organization is None:
        return bool(_wards_to_choose(user))
    if organization.is_local:
        return selectors.upper_plans(organization).exists()
    return can(user, Action.SEE_PROVINCE, organization)


def _suggestions(ward: Organization, uppers: list[Task]) -> dict[int, Task]:
    """For each upper task, the ward's unlinked task that most likely carries it out."""
    tasks = list(
        Task.objects.filter(plan__organization=ward, upper_task__isnull=True).select_related(
            "plan", "section", "parent"
        )
    )
    texts = [selectors.task_text(task) for task in tasks]
    found = {}
    for upper in uppers:
        upper_text = selectors.task_text(upper)
        best = cascade.propose(upper_text, texts)
        if best is not None:
            found[upper.pk] = tasks[best]
    return found


@login_required
def unimplemented_upper_tasks(request):
    """The upper-level tasks assigned to a ward that none of its tasks carries out yet: the
    ward's own for its people, any ward below for the province (chosen in a list)."""
    user = request.user
    choices = _wards_to_choose(user)
    ward = None
    if choices:
        pk = whole_number(request.GET.get("ward") or "")
        ward = next((w for w in choices if w.pk == pk), None)
    elif user.organization is not None and user.organization.is_local:
        ward = user.organization
    if ward is not None and not can(user, Action.VIEW, ward):
        raise PermissionDenied
    if ward is None and not choices:
        raise PermissionDenied
    uppers = list(selectors.unimplemented_upper_tasks(ward)) if ward else []
    manage = ward is not None and can(user, Action.MANAGE_PLAN, ward)
    suggestions = _suggestions(ward, uppers) if manage and ward is not None else {}
    for upper in uppers:
        upper.suggestion = suggestions.get(upper.pk)
    plans = (
        list(ward.plans.exclude(status=Plan.Status.ARCHIVED).order_by("-issued_on", "-id"))
        if manage and ward is not None
        else []
    )
    return render(
        request,
        "plans/unimplemented_upper_tasks.html",
        {
            "ward": ward,
            "wards": choices,
            "uppers": uppers,
            "assigned": selectors.eligible_upper_tasks(ward).count() if ward else 0,
            "has_upper_plans": bool(ward and selectors.upper_plans(ward).exists()),
            "can_manage": manage,
            "ward_plans": plans,
        },
    )
