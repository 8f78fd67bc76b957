"""Pages of the reporting workflow: the unit's report with evidence, the office's review queue,
and evidence files served only to those who may see them."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record
from theodoi.core.access import Action, can
from theodoi.core.clock import today
from theodoi.core.inputs import parse_date, safe_next
from theodoi.plans import selectors as plan_selectors
from theodoi.plans.periods import label_of, period_of, periods_between
from theodoi.reporting import selectors, services
from theodoi.reporting.models import Evidence


def report_periods(task, day: datetime.date) -> list:
    """The periods a unit may report for: from the task's start to the current one, newest
    first (a late report for an earlier period is still welcome)."""
    plan = task.plan
    start = task.start_date or plan.period_start or plan.issued_on or day.replace(month=1, day=1)
    current = period_of(day, plan.reporting_cycle)
    periods = periods_between(min(start, current.start), current.end, plan.reporting_cycle)
    return list(reversed(periods))[:24]


def _date(value: str) -> datetime.date | None:
    try:
        return parse_date(value, label="Ngày văn bản")
    except ValueError as exc:
        raise services.ReportingError(str(exc)) from exc


def _version(value: str | None) -> int | None:
    """A version token from a hidden form field; absent (an older page) means no check."""
    value = (value or "").strip()
    # isdigit() also holds for "²" and other digits int() refuses: ASCII only.
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _report_version(post, period: str) -> int | None:
    """The version of the chosen period's report as the task page showed it.

    The page lists the versions of all its reports in one hidden field ("2026-Q3=2;2026-Q4=1"),
    since the period is chosen on the form: a period missing from the list had no report yet
    (0), so a report someone else created meanwhile is not silently overwritten."""
    if "versions" not in post:
        return _version(post.get("version"))
    seen = dict(item.strip().split("=", 1) for item in post["versions"].split(";") if "=" in item)
    return _version(seen.get(period.strip(), "0"))


@login_required
@require_POST
def report_submit(request, pk: int):
    """The unit's report for a period, with any evidence files chosen or dropped on the form."""
    task = plan_selectors.task_get_for_user(request.user, pk, today=today(), action=Action.REPORT)
    post = request.POST
    uploads = request.FILES.getlist("evidence")
    report = None
    try:
        # Read before anything is saved, so that a wrong date leaves no half-done submission.
        document_date = _date(post.get("document_date", "")) if uploads else None
        report = services.report_submit(
            actor=request.user,
            task=task,
            period=post.get("period", ""),
            percent=post.get("percent"),
            result=post.get("result", ""),
            difficulties=post.get("difficulties", ""),
            proposals=post.get("proposals", ""),
            version=_report_version(post, post.get("period", "")),
        )
        uploaded = 0
        for upload in uploads:
            services.evidence_upload(
                actor=request.user,
                name=upload.name,
                data=upload.read(),
                task=task,
                report=report,
                kind=post.get("kind", Evidence.Kind.OTHER),
                document_number=post.get("document_number", ""),
                document_date=document_date,
            )
            uploaded += 1
    except services.StorageUnavailable as exc:
        # The server's fault: what was typed is kept (the report is saved before its files),
        # and the person is told so, so only the file has to be sent again.
        messages.error(
            request,
            f"{exc} "
            + _("Your report for %(period)s has been saved; only the file needs attaching again.")
            % {"period": label_of(report.period)},
        )
    except services.ReportingError as exc:
        # The report and any file before the failing one are saved (each in its own
        # transaction); the message says what to correct, and that a refused file does not
        # mean typing the report again.
        text = str(exc)
        if report is not None:
            text += " " + _(
                "Your report for %(period)s has been saved; only the file needs attaching again."
            ) % {"period": label_of(report.period)}
        messages.error(request, text)
    else:
        messages.success(
            request,
            _("Report for %(period)s saved (%(percent)s%%), %(files)s evidence file(s) attached.")
            % {"period": label_of(report.period), "percent": report.percent, "files": uploaded},
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
    action = request.POST.get("action")
    needed = Action.CONFIRM_REPORT if action == "confirm" else Action.REVIEW
    report = selectors.report_get_for_user(request.user, pk, action=needed)
    # The version the page showed: a report corrected or decided on since is not decided on
    # again unseen (the service says so, and the page shows the report as it is now).
    version = _version(request.POST.get("version"))
    try:
        if action == "accept":
            services.report_accept(actor=request.user, report=report, version=version)
            messages.success(request, _("The report has been accepted."))
        elif action == "return":
            services.report_return(
                actor=request.user,
                report=report,
                reason=request.POST.get("reason", ""),
                version=version,
            )
            messages.success(request, _("The report has been returned to the unit."))
        elif action == "confirm":
            services.report_confirm(actor=request.user, report=report, version=version)
            messages.success(request, _("The report has been confirmed."))
        else:
            messages.error(request, _("Choose what to do with the report."))
    except services.ReportingError as exc:
        messages.error(request, str(exc))
    return redirect(safe_next(request, report.task.get_absolute_url() + "#reports"))


@login_required
@require_POST
def evidence_review(request, pk: int):
    evidence = selectors.evidence_get_for_user(request.user, pk, action=Action.REVIEW)
    decision = request.POST.get("decision", "")
    try:
        services.evidence_review(
            actor=request.user,
            evidence=evidence,
            decision=decision,
            reason=request.POST.get("reason", ""),
            # The id of the latest review the page showed (0: none yet).
            expected_review_id=_version(request.POST.get("version")),
        )
    except services.ReportingError as exc:
        messages.error(request, str(exc))
    else:
        if decision == "accept":
            messages.success(request, _("%(name)s: accepted.") % {"name": evidence.original_name})
        else:
            messages.success(request, _("%(name)s: rejected.") % {"name": evidence.original_name})
    return redirect(safe_next(request, reverse("review_queue")))


@login_required
def review_queue(request):
    ward = request.user.organization
    if ward is None or not can(request.user, Action.REVIEW, ward):
        raise PermissionDenied
    evidence, reports = selectors.review_queue(request.user)
    return render(
        request, "reporting/review_queue.html", {"evidence": evidence, "reports": reports}
    )


@login_required
def evidence_file(request, pk: int):
    """Serve an evidence file to someone who may see its task, and record the access. Files are
    downloads, except PDF and images that the review page shows inline, sandboxed."""
    evidence = selectors.evidence_get_for_user(request.user, pk)
    inline = request.GET.get("inline") == "1" and evidence.content_type.startswith(
        ("application/pdf", "image/")
    )
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    audit_record(
        actor=request.user,
        action=AuditAction.EVIDENCE_DOWNLOAD,
        obj=evidence,
        organization=evidence.organization,
        summary=evidence.original_name,
    )
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even shown inline, the file may run nothing and reach nothing.
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response
