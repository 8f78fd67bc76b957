"""The plan's budget page and the forms that record allocated, disbursed and the ward's total.
Thin: selectors read, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from theodoi.budget import forms, selectors, services
from theodoi.core.access import Action, can, require
from theodoi.core.clock import today
from theodoi.core.forms import first_error, typed
from theodoi.plans.selectors import plan_get_for_user


def _budget_url(plan_id: int, anchor: str = "") -> str:
    return reverse("plan_budget", args=[plan_id]) + (f"#{anchor}" if anchor else "")


def _budget_page(request, plan, *, typed=None, status=200):
    """The budget page; ``typed`` maps a line id to the amounts a person typed into a form that
    was refused, so the page shows them again instead of the stored ones."""
    lines = selectors.budget_lines_for_plan(plan)
    indicator, shares = selectors.share_rows(plan, lines)
    typed = typed or {}
    for line in lines:
        line.allocated_input = selectors.input_value(line.allocated)
        line.disbursed_input = selectors.input_value(line.disbursed)
        if line.pk in typed:
            line.allocated_input = typed[line.pk].get("allocated", "")
            line.disbursed_input = typed[line.pk].get("disbursed", "")
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
            "can_edit_lines": can(request.user, Action.EDIT_BUDGET_LINES, plan),
            "lines": selectors.lines_by_year(lines),
            "line_totals": selectors.line_totals(lines),
            "ward_form": typed.get("ward"),
        },
        status=status,
    )


@login_required
def plan_budget(request, pk: int):
    """The plan's budget lines by year and source, estimate against allocated and disbursed,
    and the share of the ward's budget against the plan's indicator."""
    return _budget_page(request, plan_get_for_user(request.user, pk))


def _typed(form, *names) -> dict[str, str]:
    return {name: typed(form, name, limit=200) for name in names}


@login_required
@require_POST
def budget_line_record(request, pk: int):
    line = selectors.budget_line_get_for_user(request.user, pk)
    if not can(request.user, Action.RECORD_BUDGET, line.plan):
        raise PermissionDenied
    form = forms.BudgetLineForm(request.POST)
    try:
        if not form.is_valid():
            raise services.BudgetError(first_error(form))
        record = services.budget_line_record(
            actor=request.user,
            line=line,
            allocated=form.cleaned_data["allocated"],
            disbursed=form.cleaned_data["disbursed"],
            version=form.cleaned_data["version"],
        )
    except services.BudgetError as exc:
        messages.error(request, str(exc))
        typed = {line.pk: _typed(form, "allocated", "disbursed")}
        return _budget_page(request, line.plan, typed=typed, status=400)
    messages.success(request, _("Allocated and disbursed amounts saved."))
    for warning in record.warnings:
        messages.warning(request, warning)
    return redirect(_budget_url(line.plan_id, f"line-{line.pk}"))


@login_required
@require_POST
def ward_budget_record(request, pk: int):
    plan = plan_get_for_user(request.user, pk)
    require(request.user, Action.MANAGE_PLAN, plan.organization)
    form = forms.WardBudgetForm(request.POST)
    try:
        if not form.is_valid():
            raise services.BudgetError(first_error(form))
        services.ward_budget_record(
            actor=request.user,
            organization=plan.organization,
            year=form.cleaned_data["year"],
            total=form.cleaned_data["total"],
        )
    except services.BudgetError as exc:
        messages.error(request, str(exc))
        typed = {"ward": _typed(form, "year", "total")}
        return _budget_page(request, plan, typed=typed, status=400)
    messages.success(request, _("The ward's total budget has been saved."))
    return redirect(_budget_url(plan.pk, "share"))


# --- Lines added, corrected and removed on the web --------------------------------------------


def _line_input(data: dict) -> services.LineInput:
    return services.LineInput(
        content=data["content"],
        year=data["year"],
        estimate=data["estimate"],
        code=data["code"],
        source=data["source"],
        task=data["task"],
        note=data["note"],
    )


def _line_form_page(request, form, *, plan, line=None, status=200):
    return render(
        request,
        "budget/line_form.html",
        {"plan": plan, "line": line, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_add(request, pk: int):
    """The standing office adds a line the imported document did not have."""
    plan = plan_get_for_user(request.user, pk)
    require(request.user, Action.EDIT_BUDGET_LINES, plan)
    if request.method != "POST":
        form = forms.BudgetLineEditForm(plan=plan, initial={"year": today().year})
        return _line_form_page(request, form, plan=plan)
    form = forms.BudgetLineEditForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            line = services.budget_line_add(
                actor=request.user, plan=plan, data=_line_input(form.cleaned_data)
            )
        except services.BudgetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The budget line has been added."))
            return redirect(_budget_url(plan.pk, f"line-{line.pk}"))
    return _line_form_page(request, form, plan=plan, status=400)


def _editable_line(request, pk: int):
    """The line if the person reads its plan (else 404) and may edit its lines (else 403)."""
    line = selectors.budget_line_get_for_user(request.user, pk)
    require(request.user, Action.EDIT_BUDGET_LINES, line.plan)
    return line


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_edit(request, pk: int):
    """Correct a line, whether it came from the document or was added on the web."""
    line = _editable_line(request, pk)
    plan = line.plan
    if request.method != "POST":
        initial = forms.BudgetLineEditForm.initial_for(line)
        form = forms.BudgetLineEditForm(plan=plan, initial=initial)
        return _line_form_page(request, form, plan=plan, line=line)
    form = forms.BudgetLineEditForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            services.budget_line_update(
                actor=request.user,
                line=line,
                data=_line_input(form.cleaned_data),
                version=form.cleaned_data["version"],
            )
        except services.BudgetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The budget line has been corrected."))
            return redirect(_budget_url(plan.pk, f"line-{line.pk}"))
    return _line_form_page(request, form, plan=plan, line=line, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_delete(request, pk: int):
    """Ask, then remove a wrong line; the GET only shows what would be removed."""
    line = _editable_line(request, pk)
    plan = line.plan
    problem, status = "", 200
    if request.method == "POST":
        form = forms.BudgetLineDeleteForm(request.POST)
        form.is_valid()
        try:
            services.budget_line_delete(
                actor=request.user, line=line, version=form.cleaned_data.get("version")
            )
        except services.BudgetError as exc:
            problem, status = str(exc), 400
        else:
            messages.success(request, _("The budget line has been removed."))
            return redirect(_budget_url(plan.pk, "lines"))
    return render(
        request,
        "budget/line_delete.html",
        {"plan": plan, "line": line, "problem": problem},
        status=status,
    )
