"""The province receives its wards' periodic reports: the table of the period, one report as
sent with its package and history, and the answer (accept, or return with a reason). Thin:
reads through ``dashboards.selectors.upward``, writes through ``dashboards.services``."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.audit.actions import AuditAction
from theodoi.core.access import Action, can, is_global, upward_province
from theodoi.core.clock import today
from theodoi.core.forms import first_error, whole_number
from theodoi.dashboards import services
from theodoi.dashboards.forms import UpwardAnswerForm, UpwardPeriodForm
from theodoi.dashboards.selectors import upward as selectors
from theodoi.org.models import Organization
from theodoi.plans.periods import label_of
from theodoi.reporting.models import UpwardReport
from theodoi.reporting.upward import UPWARD_PROSE_CODES


def _province_for(request) -> Organization:
    """The person's province; an installation-wide admin chooses one (``?province=``)."""
    province = upward_province(request.user)
    if province is not None:
        return province
    if not is_global(request.user):
        raise PermissionDenied
    provinces = Organization.objects.filter(kind=Organization.Kind.PROVINCE).order_by("name")
    chosen = whole_number(request.GET.get("province"))
    province = provinces.filter(pk=chosen).first() if chosen else provinces.first()
    if province is None:
        raise Http404
    return province


@login_required
def upward_received(request):
    province = _province_for(request)
    day = today()
    form = UpwardPeriodForm(request.GET)
    period = form.cleaned_data["period"] if form.is_valid() else None
    if form.errors:
        messages.error(request, first_error(form))
    period = period or selectors.last_ended_quarter(day)
    table = selectors.received_table(province, period, today=day)
    state = request.GET.get("state", "")
    sort = request.GET.get("sort", "ward")
    q = request.GET.get("q", "").strip()[:200]
    rows = selectors.filter_and_sort(table.rows, state=state, q=q, sort=sort)
    query = request.GET.copy()
    query.pop("sort", None)
    return render(
        request,
        "dashboards/upward_received.html",
        {
            "table": table,
            "rows": rows,
            "period": period,
            "period_key": str(period),
            "choices": _choices(period, day),
            "states": selectors.State,
            "state": state,
            "sort": sort,
            "q": q,
            # The filters the sort links keep, ready for their ``sort=``: nothing without any.
            "sort_query": f"{query.urlencode()}&" if query else "",
            "provinces": (
                Organization.objects.filter(kind=Organization.Kind.PROVINCE).order_by("name")
                if upward_province(request.user) is None
                else None
            ),
        },
    )


def _choices(period, day) -> list[tuple[str, str]]:
    periods = selectors.period_choices(day)
    if period not in periods:
        periods.insert(0, period)  # an older period asked for stays chosen
    return [(str(p), p.label()) for p in periods]


def _iso_date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _shown_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as the page prints it: a section number only for the plan's own sections
    (the report's prose carries the schema's names as codes), due dates as dates."""
    shown = dict(payload)
    shown["sections"] = [
        {
            **section,
            "code": "" if section.get("code") in UPWARD_PROSE_CODES else section.get("code"),
        }
        for section in payload.get("sections") or []
    ]
    shown["tasks"] = [
        {**task, "due": _iso_date(task.get("due_date"))} for task in payload.get("tasks") or []
    ]
    return shown


def _render_report(request, report: UpwardReport, *, return_form=None, status=200):
    history = selectors.upward_report_history(report)
    labels = dict(AuditAction.choices)
    payload = _shown_payload(report.payload) if report.payload else {}
    return render(
        request,
        "dashboards/upward_report.html",
        {
            "report": report,
            "payload": payload,
            "period_label": label_of(report.period),
            "history": [(event, labels.get(event.action, event.action)) for event in history],
            "can_answer": can(request.user, Action.ANSWER_UPWARD, report)
            and report.status == UpwardReport.Status.SENT,
            "from_province": can(request.user, Action.ANSWER_UPWARD, report),
            "return_form": return_form or UpwardAnswerForm(),
            "table_url": f"{reverse('upward_received')}?period={report.period}",
        },
        status=status,
    )


@login_required
def upward_report(request, pk: int):
    report = selectors.upward_report_get_for_user(request.user, pk)
    return _render_report(request, report)


@login_required
@require_POST
def upward_report_answer(request, pk: int):
    report = selectors.upward_report_get_for_user(request.user, pk)
    if not can(request.user, Action.ANSWER_UPWARD, report):
        raise PermissionDenied  # before the form: a refused person learns nothing of it
    form = UpwardAnswerForm(request.POST)
    if not form.is_valid():
        # The reason typed so far stays in the box beside the message.
        messages.error(request, first_error(form))
        return _render_report(request, report, return_form=form, status=400)
    accept = form.cleaned_data["action"] == "accept"
    try:
        services.upward_report_answer(
            actor=request.user,
            report=report,
            accept=accept,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except services.AnswerError as error:
        messages.error(request, str(error))
        report = selectors.upward_report_get_for_user(request.user, pk)
        return _render_report(request, report, return_form=form, status=409)
    values = {"ward": report.organization.name, "period": label_of(report.period)}
    if accept:
        messages.success(request, _("The report of %(ward)s for %(period)s is accepted.") % values)
    else:
        messages.success(
            request, _("The report of %(ward)s for %(period)s is returned to the ward.") % values
        )
    return redirect(f"{reverse('upward_received')}?period={report.period}")


@login_required
def upward_report_package(request, pk: int):
    """The package as the ward sent it (the report and its accepted evidence)."""
    report = selectors.upward_report_get_for_user(request.user, pk)
    if not report.package:
        raise Http404
    try:
        handle = report.package.open("rb")
    except OSError as error:
        raise Http404 from error
    name = f"bao-cao-{report.organization.code}-{report.period}-lan-{report.version}.zip"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")
