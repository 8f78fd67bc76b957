"""The ward's periodic reports sent upward: the list of a plan's months or quarters with the
state of each report, and one report's page where the standing office checks and edits the
text, signs it off and sends it (again, once returned). Leaders read the same pages; unit
roles get 403, people of another ward 404.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from theodoi.core.access import Action, can
from theodoi.core.clock import today
from theodoi.plans.models import Plan
from theodoi.plans.periods import Period, PeriodError, parse_period
from theodoi.reporting.models import UpwardReport
from theodoi.reporting.services import ReportingError
from theodoi.reporting.upward import (
    UPWARD_PROSE_CODES,
    upward_cycle,
    upward_due_on,
    upward_report_prepare,
)

from . import report, selectors, upward
from .views import ReportForm, _allowed_plan


class UpwardForm(ReportForm):
    """The report's editable text (as on the report page), the office's sign-off and the
    number of times it was sent as the page showed it."""

    signed = forms.BooleanField(label=_("I have checked and signed off the report"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Given by the button pressed ("save" or "send"); not rendered as a field.
    action = forms.ChoiceField(
        choices=[("save", "save"), ("send", "send")], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["format"]


@dataclass
class PeriodRow:
    period: Period
    report: UpwardReport | None
    due_on: datetime.date
    late: bool  # not sent by its due day, or sent after it

    @property
    def state(self) -> str:
        return self.report.status if self.report is not None else "none"


def _row(plan: Plan, period: Period, found: UpwardReport | None, day: datetime.date) -> PeriodRow:
    due_on = found.due_on if found is not None else upward_due_on(plan, period)
    if found is not None and found.sent_on is not None:
        late = found.sent_on > due_on
    else:
        late = day > due_on
    return PeriodRow(period, found, due_on, late)


def _local_plan(request, pk: int) -> Plan:
    plan = _allowed_plan(request, pk)
    if not plan.organization.is_local:
        raise Http404
    return plan


@login_required
def upward_list(request, pk: int):
    """Each month or quarter of the plan's cycle from its start to now, newest first."""
    day = today()
    plan = _local_plan(request, pk)
    found = {item.period: item for item in UpwardReport.objects.filter(plan=plan)}
    rows = [_row(plan, p, found.get(str(p)), day) for p in upward.plan_periods(plan, day)]
    return render(
        request,
        "exports/upward_list.html",
        {"plan": plan, "rows": rows, "cycle": upward_cycle(plan), "today": day},
    )


def _period(plan: Plan, text: str, day: datetime.date) -> Period:
    try:
        period = parse_period(text, upward_cycle(plan))
    except PeriodError:
        raise Http404 from None
    if period.start > day:
        raise Http404
    return period


@login_required
def upward_page(request, pk: int, period: str):
    """One periodic report: its text as assembled from the data with the office's edits, which
    the office saves, signs off and sends; read-only once sent, and to the leaders."""
    day = today()
    plan = _local_plan(request, pk)
    parsed = _period(plan, period, day)
    found = UpwardReport.objects.filter(plan=plan, period=str(parsed)).first()
    can_edit = can(request.user, Action.COMPILE_REPORTS, plan)
    editable = can_edit and (
        found is None or found.status in (UpwardReport.Status.DRAFT, UpwardReport.Status.RETURNED)
    )
    data = selectors.report_data(request.user, plan, parsed, today=day)
    if found is not None and found.status in (
        UpwardReport.Status.SENT,
        UpwardReport.Status.ACCEPTED,
    ):
        # What was sent is what the page shows, not today's data.
        content = None
    else:
        content = upward.content_of(found, data) if found is not None else report.assemble(data)
    status = 200
    error = ""
    form = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if not editable or content is None:
            error = gettext("The report has already been sent and is waiting for the answer.")
            status = 400
        else:
            form = UpwardForm(request.POST, sections=content.sections)
            if not form.is_valid():
                error = gettext("Some fields need correcting; see the messages beside them.")
                status = 400
            elif form.cleaned_data["action"] == "send" and not form.cleaned_data["signed"]:
                error = gettext(
                    "Tick «I have checked and signed off the report» before sending it."
                )
                form.add_error("signed", error)
                status = 400
            else:
                version = form.cleaned_data["version"]
                try:
                    draft = found or upward_report_prepare(
                        actor=request.user, plan=plan, period=parsed
                    )
                    if form.cleaned_data["action"] == "send":
                        upward.upward_send(
                            actor=request.user, upward=draft, edits=form.edits(), version=version
                        )
                        messages.success(request, gettext("The report has been sent."))
                    else:
                        upward.upward_save(
                            actor=request.user, upward=draft, edits=form.edits(), version=version
                        )
                        messages.success(request, gettext("The report has been saved."))
                except ReportingError as exc:
                    # The page again with what was typed: nothing is lost.
                    error = str(exc)
                    status = 400
                else:
                    return redirect("upward_report", pk=plan.pk, period=str(parsed))
    if form is None and content is not None:
        initial = UpwardForm.initial_from(content)
        initial["version"] = found.version if found is not None else 0
        form = UpwardForm(initial=initial, sections=content.sections, disabled=not editable)
        if not editable:
            form.fields["signed"].disabled = True
    accepted = upward.accepted_entries(data) if content is not None else []
    context = {
        "plan": plan,
        "period": parsed,
        "upward": found,
        "row": _row(plan, parsed, found, day),
        "data": data,
        "content": content,
        "form": form,
        "can_edit": can_edit,
        "editable": editable,
        "error": error,
        "accepted_evidence": accepted,
        "cited_count": len(report.cited_evidence(data)),
        # A section number only for the plan's own sections, not the prose's schema names.
        "sent_sections": [
            {
                **section,
                "code": "" if section.get("code") in UPWARD_PROSE_CODES else section.get("code"),
            }
            for section in ((found.payload or {}).get("sections") or [] if found else [])
        ],
        "sent_evidence": (found.payload or {}).get("evidence", []) if found else [],
    }
    return render(request, "exports/upward_report.html", context, status=status)
