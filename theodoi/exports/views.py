"""The report page: the assembled report in editable fields, and the downloads; the page of an
export made by the background worker (a report's file, the ranking's Excel table).

The standing office edits the text and downloads Word or PDF; the ward's leaders see the same
page read-only and download the report as assembled. Both download the Excel tables and the zip
package. Unit roles get 403, people of another ward 404.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from theodoi.core.access import Action, can
from theodoi.core.clock import today
from theodoi.core.inputs import validate_date_range
from theodoi.plans.models import ReportingCycle
from theodoi.plans.periods import Period, period_of, periods_between
from theodoi.plans.selectors import plan_get_for_user
from theodoi.ranking import selectors as ranking_selectors
from theodoi.ranking.tables import asked_period

from . import pdf, report, selectors, services
from .models import ReportExport

_TEXT = {"rows": 4, "class": "form-control"}
_LINE = {"class": "form-control"}
MAX_TEXT = 20000


class ReportForm(forms.Form):
    """The editable parts of the Word report; one text field per section of the plan."""

    issuing_body = forms.CharField(
        label=_("Issuing body"), max_length=300, widget=forms.Textarea({**_TEXT, "rows": 2})
    )
    parent_body = forms.CharField(
        label=_("Upper body (Party format)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(_LINE),
    )
    # Not stripped: the blank before "/BC-UBND" is where the clerk writes the number.
    number = forms.CharField(
        label=_("Number"), max_length=60, required=False, strip=False, widget=forms.TextInput(_LINE)
    )
    place = forms.CharField(label=_("Place"), max_length=200, widget=forms.TextInput(_LINE))
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput({"type": "date", **_LINE}, format="%Y-%m-%d"),
        validators=[validate_date_range],
    )
    subject = forms.CharField(
        label=_("Title"), max_length=2000, widget=forms.Textarea({**_TEXT, "rows": 2})
    )
    intro = forms.CharField(
        label=_("Opening"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(_TEXT)
    )
    summary = forms.CharField(
        label=_("Overall results"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(_TEXT),
    )
    indicators = forms.CharField(
        label=_("Indicators"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(_TEXT)
    )
    shortcomings = forms.CharField(
        label=_("Overdue tasks and reasons"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea({**_TEXT, "rows": 6}),
    )
    next_steps = forms.CharField(
        label=_("Next period"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(_TEXT)
    )
    proposals = forms.CharField(
        label=_("Proposals"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(_TEXT)
    )
    signer_authority = forms.CharField(
        label=_("Signing on behalf of"), max_length=200, widget=forms.TextInput(_LINE)
    )
    signer_title = forms.CharField(
        label=_("Signer's title"), max_length=200, widget=forms.TextInput(_LINE)
    )
    signer_name = forms.CharField(
        label=_("Signer's name"), max_length=200, required=False, widget=forms.TextInput(_LINE)
    )
    recipients = forms.CharField(
        label=_("Recipients (one a line)"),
        max_length=5000,
        widget=forms.Textarea({**_TEXT, "rows": 5}),
    )
    format = forms.ChoiceField(choices=[("docx", "Word"), ("pdf", "PDF")], initial="docx")

    def __init__(self, *args, sections: list[report.SectionText], disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_names = []
        for index, section in enumerate(sections):
            name = f"section_{index}"
            self.fields[name] = forms.CharField(
                label=section.heading,
                max_length=MAX_TEXT,
                required=False,
                widget=forms.Textarea(_TEXT),
            )
            self.section_names.append(name)
        if disabled:
            for field in self.fields.values():
                field.disabled = True

    @classmethod
    def initial_from(cls, content: report.ReportContent) -> dict:
        initial = {name: getattr(content, name) for name in services.EDITABLE_FIELDS}
        for index, section in enumerate(content.sections):
            initial[f"section_{index}"] = section.text
        return initial

    def section_fields(self):
        return [self[name] for name in self.section_names]

    def edits(self) -> dict:
        data = {name: self.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        data["sections"] = [self.cleaned_data[name] for name in self.section_names]
        # Each text goes back under its own heading even if the sections change before the
        # background worker makes the file.
        data["section_headings"] = [self.fields[name].label for name in self.section_names]
        return data


def _default_period(plan, day) -> Period:
    # A report covers a month at least: a plan reporting weekly is summed up by the month.
    cycle = {"weekly": "monthly"}.get(plan.reporting_cycle, plan.reporting_cycle)
    if cycle not in report.REPORT_CYCLES:
        cycle = "quarterly"
    return period_of(day, cycle)


# How many periods of each cycle the page offers, newest first: two years of months, quarters
# and halves, five years.
_OFFERED = {"monthly": 24, "quarterly": 8, "half_yearly": 4, "yearly": 5}


def _period_choices(plan, day) -> list[tuple[str, list[tuple[str, str]]]]:
    """The periods a report can be made for, grouped by cycle and named in words ("Quý
    IV/2026"): those that have begun, from the plan's start, newest first."""
    start = min(plan.period_start or day, day)
    groups = []
    for cycle in report.REPORT_CYCLES:
        periods = periods_between(start, day, cycle)[::-1][: _OFFERED[cycle]]
        groups.append((str(ReportingCycle(cycle).label), [(str(p), p.label()) for p in periods]))
    return groups


def _period_field(plan, day, period_text: str) -> dict:
    """The period list, and whether the asked period is in it: one asked by its code (a link,
    an older bookmark) and not offered is shown first, so the page keeps it."""
    choices = _period_choices(plan, day)
    listed = any(code == period_text for _cycle, group in choices for code, _label in group)
    return {"period_choices": choices, "period_listed": listed}


def _allowed_plan(request, pk: int):
    plan = plan_get_for_user(request.user, pk)  # 404 outside the ward
    if not can(request.user, Action.DOWNLOAD_REPORT, plan):
        raise PermissionDenied
    return plan


def _download(export: services.ExportFile) -> FileResponse:
    response = FileResponse(
        export.file, as_attachment=True, filename=export.name, content_type=export.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_page(request, pk: int):
    day = today()
    plan = _allowed_plan(request, pk)
    can_edit = can(request.user, Action.COMPILE_REPORTS, plan)
    period_text = request.GET.get("period", "").strip() or str(_default_period(plan, day))
    context = {
        "plan": plan,
        "period_text": period_text,
        **_period_field(plan, day, period_text),
        "can_edit": can_edit,
        "pdf_available": pdf.available(),
        "pdf_unavailable_message": pdf.UNAVAILABLE,
    }
    try:
        period = report.parse_report_period(period_text)
        data = selectors.report_data(request.user, plan, period, today=day)
    except report.ReportError as exc:
        context["period_error"] = str(exc)
        return render(request, "exports/report.html", context, status=400)
    content = report.assemble(data)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = ReportForm(request.POST, sections=content.sections)
        if form.is_valid():
            try:
                queued = services.report_export_request(
                    actor=request.user,
                    plan=plan,
                    period=period,
                    fmt=form.cleaned_data["format"],
                    today=day,
                    edits=form.edits(),
                )
            except pdf.PdfError as exc:
                context["export_error"] = str(exc)
                status = 503
            else:
                return redirect("export_status", pk=queued.pk)
        else:
            status = 400
    else:
        form = ReportForm(
            initial=ReportForm.initial_from(content),
            sections=content.sections,
            disabled=not can_edit,
        )
    context.update(
        {
            "period": period,
            "data": data,
            "content": content,
            "form": form,
            "evidence_count": len(report.cited_evidence(data)),
        }
    )
    return render(request, "exports/report.html", context, status=status)


def _refused(request, plan, period_text: str, day, exc: Exception):
    """The report page again, saying why the asked period or format cannot be made: a period
    error is the person's (400), no PDF converter is the installation's (503)."""
    context = {
        "plan": plan,
        "period_text": period_text,
        **_period_field(plan, day, period_text),
        "can_edit": can(request.user, Action.COMPILE_REPORTS, plan),
        "pdf_available": pdf.available(),
        "pdf_unavailable_message": pdf.UNAVAILABLE,
        "period_error": str(exc),
    }
    status = 400 if isinstance(exc, report.ReportError) else 503
    return render(request, "exports/report.html", context, status=status)


@login_required
@require_GET
def report_file(request, pk: int, fmt: str):
    """A download link of the report as assembled from the data (no edits), for the office and
    the leaders: Word, PDF, the Excel tables, or the zip package with the evidence files. The
    file is made by the background worker and followed on the export's page; one already made
    (the same file asked for today, the data unchanged since) is handed out at once."""
    if fmt not in services.FORMATS:
        raise Http404
    day = today()
    plan = _allowed_plan(request, pk)
    period_text = request.GET.get("period", "").strip() or str(_default_period(plan, day))
    try:
        period = report.parse_report_period(period_text)
        export, again = services.report_export_start(
            actor=request.user, plan=plan, period=period, fmt=fmt, today=day
        )
    except (report.ReportError, pdf.PdfError) as exc:
        return _refused(request, plan, period_text, day, exc)
    return _follow(request, export, again=again)


@login_required
@require_GET
def ranking_file(request, ward_id: int):
    """The ranking shown on the page as an Excel table (the same lines for the same person),
    made by the background worker like the report's files."""
    ward = ranking_selectors.ward_get_for_user(request.user, ward_id)
    if ward is None:  # not reached: with an id, a ward the person may not see is a 404
        raise Http404
    day = today()
    year, quarter = asked_period(request.GET, day)
    export, again = services.ranking_export_start(
        actor=request.user, ward=ward, year=year, quarter=quarter, today=day
    )
    return _follow(request, export, again=again)


def _follow(request, export: ReportExport, *, again: bool):
    """The file when it is already made (the immediate queue of a single-process install, or
    the same file made earlier), else the export's page, which follows it until it is."""
    if export.status != ReportExport.Status.READY or not export.file:
        return redirect("export_status", pk=export.pk)
    response = _stored_download(export)
    if again and response.status_code == 200:
        services.export_served_again(actor=request.user, export=export)
    return response


def _stored_download(export: ReportExport):
    """The stored file; one the storage lost since is marked failed and its page says to ask
    for it again (the next link makes it anew)."""
    try:
        handle = default_storage.open(export.file.name, "rb")
    except OSError:
        services.export_file_lost(export_id=export.pk)
        return redirect("export_status", pk=export.pk)
    return _download(
        services.ExportFile(export.name, export.content_type, handle, export.size or 0)
    )


# --- Word and PDF through the background worker -------------------------------------------------

# What the person reads when an export failed, with what to do (the reasons in models).
FAILURE_MESSAGES = {
    ReportExport.Failure.QUEUE: _(
        "The report could not be handed to the background worker: its queue is not reachable. "
        "Try again in a few minutes; if it keeps failing, tell the administrator."
    ),
    ReportExport.Failure.PERMISSION: _(
        "You may no longer download this report (your role or ward has changed)."
    ),
    ReportExport.Failure.STORAGE: _(
        "The report was made but its file could not be stored. Ask for it again; if it keeps "
        "failing, tell the administrator (file storage)."
    ),
    ReportExport.Failure.UNEXPECTED: _(
        "The report could not be made because of an error in the system. Ask for it again; if "
        "it keeps failing, tell the administrator."
    ),
}
# The same for the ranking's Excel table.
RANKING_FAILURE_MESSAGES = {
    ReportExport.Failure.QUEUE: _(
        "The ranking table could not be handed to the background worker: its queue is not "
        "reachable. Try again in a few minutes; if it keeps failing, tell the administrator."
    ),
    ReportExport.Failure.PERMISSION: _(
        "You may no longer download this ranking (your role or ward has changed)."
    ),
    ReportExport.Failure.STORAGE: _(
        "The ranking table was made but its file could not be stored. Ask for it again; if it "
        "keeps failing, tell the administrator (file storage)."
    ),
    ReportExport.Failure.UNEXPECTED: _(
        "The ranking table could not be made because of an error in the system. Ask for it "
        "again; if it keeps failing, tell the administrator."
    ),
}
# Past this many seconds in the queue the page says the worker may not be running.
SLOW_AFTER_SECONDS = 120


@login_required
@require_POST
def report_prepare(request, pk: int, fmt: str):
    """The Word or PDF report as assembled from the data (no edits), for everyone who may
    download it: queued for the background worker, then followed on the export's page."""
    if fmt not in services.QUEUED_FORMATS:
        raise Http404
    day = today()
    plan = _allowed_plan(request, pk)
    period_text = request.GET.get("period", "").strip() or str(_default_period(plan, day))
    try:
        period = report.parse_report_period(period_text)
        queued = services.report_export_request(
            actor=request.user, plan=plan, period=period, fmt=fmt, today=day
        )
    except (report.ReportError, pdf.PdfError) as exc:
        return _refused(request, plan, period_text, day, exc)
    return redirect("export_status", pk=queued.pk)


def _status_context(export: ReportExport) -> dict:
    waited = (timezone.now() - export.requested_at).total_seconds()
    ranking = export.kind == ReportExport.Kind.RANKING
    message = ""
    if export.status == ReportExport.Status.FAILED:
        messages = RANKING_FAILURE_MESSAGES if ranking else FAILURE_MESSAGES
        message = export.detail or gettext(messages.get(export.failure, messages["unexpected"]))
    context = {
        "export": export,
        "plan": export.plan,
        "ranking": ranking,
        "failure_message": message,
        "slow": export.waiting and waited > SLOW_AFTER_SECONDS,
    }
    if export.status == ReportExport.Status.FAILED and export.failure != "permission":
        context["retry_url"] = _retry_url(export)
    if ranking:
        params = export.params
        query = {"year": params.get("year")}
        if params.get("quarter"):
            query["quarter"] = params["quarter"]
            label = gettext("Quarter %(q)s/%(y)s") % {"q": params["quarter"], "y": params["year"]}
        else:
            label = gettext("Year %(y)s") % {"y": params.get("year")}
        context["ward"] = export.organization
        context["period_text"] = label
        context["back_url"] = (
            reverse("ranking_ward", args=[export.organization_id]) + "?" + urlencode(query)
        )
    return context


def _retry_url(export: ReportExport) -> str:
    """The link that asks for the same file again; none for a report with the office's edits,
    which are typed again on the report page."""
    if export.kind == ReportExport.Kind.RANKING:
        query = {k: export.params[k] for k in ("year", "quarter") if export.params.get(k)}
        return reverse("ranking_export", args=[export.organization_id]) + "?" + urlencode(query)
    if export.edits or export.plan_id is None:
        return ""
    url = reverse("export_report_file", args=[export.plan_id, export.format])
    return f"{url}?{urlencode({'period': export.period})}"


@login_required
@require_GET
def export_status(request, pk: int):
    """The person's own export: "being prepared" (the page asks again every few seconds through
    htmx), the download once made, or what went wrong and what to do."""
    export = selectors.export_get_for_user(request.user, pk)
    context = _status_context(export)
    if request.htmx:
        return render(request, "exports/_export_status.html", context)
    return render(request, "exports/export.html", context)


@login_required
@require_GET
def export_download(request, pk: int):
    """The made file of the person's own export."""
    export = selectors.export_get_for_user(request.user, pk)
    if export.status != ReportExport.Status.READY or not export.file:
        return redirect("export_status", pk=export.pk)
    return _stored_download(export)
