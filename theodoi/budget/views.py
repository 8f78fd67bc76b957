"""The plan's budget page and the forms that record allocated, disbursed and the ward's total.
Thin: selectors read, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.budget import selectors, services
from theodoi.core.access import Action, can
from theodoi.plans.selectors import plan_get_for_user


def _budget_url(plan_id: int, anchor: str = "") -> str:
    return reverse("plan_budget", args=[plan_id]) + (f"#{anchor}" if anchor else "")


@login_required
def plan_budget(request, pk: int):
    """The plan's budget lines by year and source, estimate against allocated and disbursed,
    and the share of the ward's budget against the plan's indicator."""
    plan = plan_get_for_user(request.user, pk)
    lines = selectors.budget_lines_for_plan(plan)
    indicator, shares = selectors.share_rows(plan, lines)
    for line in lines:
        line.allocated_input = selectors.input_value(line.allocated)
        line.disbursed_input = selectors.input_value(line.disbursed)
    return render(
        request,
        "budget/plan_budget.html",
        {
            "plan": plan,
            "grid": selectors.budget_grid(lines),
            "year_totals": selectors.year_totals(lines),
            "indicator": indicator,
            "shares": shares,
            "can_record": can(request.user, Action.RECORD_BUDGET, plan),
            "can_record_total": can(request.user, Action.MANAGE_PLAN, plan.organization),
        },
    )


@login_required
@require_POST
def budget_line_record(request, pk: int):
    line = selectors.budget_line_get_for_user(request.user, pk)
    version = request.POST.get("version", "")
    try:
        record = services.budget_line_record(
            actor=request.user,
            line=line,
            allocated=request.POST.get("allocated", ""),
            disbursed=request.POST.get("disbursed", ""),
            version=int(version) if version.isascii() and version.isdigit() else None,
        )
    except services.BudgetError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Allocated and disbursed amounts saved."))
        for warning in record.warnings:
            messages.warning(request, warning)
    return redirect(_budget_url(line.plan_id, f"line-{line.pk}"))


@login_required
@require_POST
def ward_budget_record(request, pk: int):
    plan = plan_get_for_user(request.user, pk)
    try:
        services.ward_budget_record(
            actor=request.user,
            organization=plan.organization,
            year=request.POST.get("year", ""),
            total=request.POST.get("total", ""),
        )
    except services.BudgetError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The ward's total budget has been saved."))
    return redirect(_budget_url(plan.pk, "share"))
