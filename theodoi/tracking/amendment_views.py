"""Amending a plan ("Điều chỉnh, bổ sung kế hoạch"), and its versions.

The amendment page shows the plan's tasks in a table the office edits; "Preview" shows the
change list and saves nothing; "Record the amendment" writes it through
``plans.services.amendment_apply``. Every step re-shows what was typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from theodoi.core.access import Action, can
from theodoi.core.forms import first_error
from theodoi.plans import amendments, selectors, services
from theodoi.plans.models import Plan
from theodoi.tracking import services as tracking_services
from theodoi.tracking.amendment_forms import AmendmentForm


def _amendable(request, pk: int) -> Plan:
    plan = selectors.plan_get_for_user(request.user, pk, action=Action.MANAGE_PLAN)
    if plan.is_archived:
        raise Http404
    return plan


def _choices(plan: Plan, rows=None) -> dict:
    """What the amendment form is built from: the plan's tasks, units and sections."""
    return {
        "rows": rows if rows is not None else selectors.plan_task_rows(plan),
        "units": list(plan.organization.units.filter(is_active=True).order_by("order", "name")),
        "sections": [code for code in plan.sections.values_list("code", flat=True) if code],
    }


def _edit_page(request, plan, form, *, error: str = "", status: int = 200):
    return render(
        request,
        "plans/amendment_form.html",
        {"plan": plan, "form": form, "error": error},
        status=status,
    )


@login_required
def amendment_create(request, pk: int):
    plan = _amendable(request, pk)
    if request.method != "POST":
        return _edit_page(request, plan, AmendmentForm(**_choices(plan)))
    rows = selectors.plan_task_rows(plan)
    form = AmendmentForm(request.POST, **_choices(plan, rows))
    action = form.data.get("action") if isinstance(form.data.get("action"), str) else ""
    if action in ("add_row", "edit"):
        return _edit_page(request, plan, form)
    if not form.is_valid():
        return _edit_page(request, plan, form, error=first_error(form), status=400)
    changes = amendments.diff(rows, form.after_rows(plan=plan))
    if not amendments.applicable(changes):
        error = _("The amendment changes nothing. Change, add or withdraw at least one task.")
        return _edit_page(request, plan, form, error=error, status=400)
    if form.cleaned_data["action"] != "confirm":
        return render(
            request,
            "plans/amendment_preview.html",
            {
                "plan": plan,
                "form": form,
                "changes": amendments.for_display(changes),
                "counts": amendments.counts(changes),
            },
        )
    try:
        amendment = tracking_services.amendment_apply(
            actor=request.user,
            plan=plan,
            number=form.cleaned_data["number"],
            issued_on=form.cleaned_data["issued_on"],
            note=form.cleaned_data["note"],
            changes=changes,
        )
    except (services.AmendmentError, services.StaleEdit) as exc:
        return _edit_page(request, plan, form, error=str(exc), status=400)
    counts = amendments.counts(amendment.changes)
    messages.success(
        request,
        _(
            "Amendment %(number)s is recorded as version %(version)s: %(added)s tasks added, "
            "%(changed)s changed, %(withdrawn)s withdrawn."
        )
        % {
            "number": amendment.number,
            "version": amendment.version,
            "added": counts["added"],
            "changed": counts["changed"],
            "withdrawn": counts["withdrawn"],
        },
    )
    return redirect("plan_version", pk=plan.pk, version=amendment.version)


def _versions(plan: Plan) -> list[dict]:
    """Version 0 (the plan as issued or imported), then each amendment."""
    items = list(selectors.plan_amendments(plan))
    first_rows = items[0].before if items else selectors.plan_task_rows(plan)
    versions = [
        {
            "version": 0,
            "number": plan.number,
            "issued_on": plan.issued_on,
            "note": _("The plan as issued"),
            "amendment": None,
            "tasks": sum(not row.get("withdrawn") for row in first_rows),
            "counts": None,
        }
    ]
    for item in items:
        versions.append(
            {
                "version": item.version,
                "number": item.number,
                "issued_on": item.issued_on,
                "note": item.note,
                "amendment": item,
                "tasks": sum(not row.get("withdrawn") for row in item.after),
                "counts": amendments.counts(item.changes),
            }
        )
    return versions


@login_required
def plan_versions(request, pk: int):
    plan = selectors.plan_get_for_user(request.user, pk)
    return render(
        request,
        "plans/plan_versions.html",
        {
            "plan": plan,
            "versions": _versions(plan),
            "can_amend": can(request.user, Action.MANAGE_PLAN, plan) and not plan.is_archived,
        },
    )


@login_required
def plan_version(request, pk: int, version: int):
    """One version beside the one before it: added in green, withdrawn struck through,
    changed fields before → after."""
    plan = selectors.plan_get_for_user(request.user, pk)
    if version == 0:
        first = plan.amendments.order_by("version").first()
        rows = first.before if first else selectors.plan_task_rows(plan)
        amendment = None
        shown = amendments.compare(rows, rows)
    else:
        amendment = get_object_or_404(plan.amendments.select_related("created_by"), version=version)
        shown = amendments.compare(amendment.before, amendment.after)
    return render(
        request,
        "plans/plan_version.html",
        {
            "plan": plan,
            "version": version,
            "amendment": amendment,
            "shown": amendments.for_display(shown),
            "changes": amendments.for_display(amendment.changes) if amendment else [],
            "task_count": sum(item["status"] != amendments.WITHDRAWN for item in shown),
            "counts": amendments.counts(amendment.changes) if amendment else None,
        },
    )
