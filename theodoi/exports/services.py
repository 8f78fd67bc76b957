"""Making a report file: the one path the pages and the ``export_report`` command share.

It checks who may have the file, gathers the data through the scoped selectors, writes the
format asked for and records the export in the audit trail.
"""

import datetime
import hashlib
import io
import logging
import tempfile
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from theodoi.audit.actions import AuditAction
from theodoi.audit.anchor import current_anchor
from theodoi.audit.models import AuditEvent
from theodoi.audit.services import audit_record
from theodoi.core import background, storage
from theodoi.core.access import Action, Actor, can
from theodoi.org.models import Organization, User
from theodoi.plans.models import Plan
from theodoi.plans.periods import Period
from theodoi.ranking import selectors as ranking_selectors
from theodoi.ranking import tables as ranking_tables

from . import bundle, docx, pdf, report, selectors, xlsx
from .models import ReportExport

logger = logging.getLogger(__name__)

FORMATS: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
# The formats the page makes through the background worker: every one (LibreOffice may take
# minutes; the Word, Excel and zip files take a second or two of CPU each, which would hold a
# web worker through the quarter-end burst).
QUEUED_FORMATS = tuple(FORMATS)
XLSX = FORMATS["xlsx"]
# Audit records that change nothing a file is made of: a file made before them is still the
# same file after them.
READ_ACTIONS = (
    AuditAction.REPORT_EXPORT,
    AuditAction.EVIDENCE_DOWNLOAD,
    AuditAction.AUDIT_EXPORT,
)
# The fields of the Word report the office may rewrite before download.
EDITABLE_FIELDS = (
    "parent_body",
    "issuing_body",
    "number",
    "place",
    "date",
    "subject",
    "intro",
    "summary",
    "indicators",
    "shortcomings",
    "next_steps",
    "proposals",
    "signer_authority",
    "signer_title",
    "signer_name",
    "recipients",
)


@dataclass
class ExportFile:
    name: str
    content_type: str
    file: BinaryIO  # positioned at the start; the caller closes it
    size: int


def apply_edits(content: report.ReportContent, edits: dict[str, Any]) -> report.ReportContent:
    """The assembled content with the office's edits. Section texts come as a list in the
    sections' order, with ``section_headings`` the headings they were typed under: then each
    text goes back to its own section even when the sections changed meanwhile (a section whose
    tasks all left the report keeps the office's text under its heading, at the end). Nothing
    the office typed is dropped."""
    changes = {key: value for key, value in edits.items() if key in EDITABLE_FIELDS}
    texts = edits.get("sections")
    if texts is not None:
        changes["sections"] = edited_sections(
            content.sections, list(texts), edits.get("section_headings")
        )
    return replace(content, **changes)


def edited_sections(
    sections: list[report.SectionText], texts: list[str], headings: list[str] | None
) -> list[report.SectionText]:
    """The sections with the office's texts: matched by heading when the headings were kept,
    by order otherwise; a text with no section left is kept as a section of its own."""
    if headings is None or len(headings) != len(texts) or len(set(headings)) != len(headings):
        matched = [replace(s, text=t) for s, t in zip(sections, texts, strict=False)]
        matched += sections[len(texts) :]
        matched += [report.SectionText("", t) for t in texts[len(sections) :] if t.strip()]
        return matched
    typed = dict(zip(headings, texts, strict=True))
    result = [
        replace(section, text=typed.pop(section.heading)) if section.heading in typed else section
        for section in sections
    ]
    result += [report.SectionText(h, t) for h, t in typed.items() if t.strip()]
    return result


def report_export(
    *,
    actor: Actor,
    plan: Plan,
    period: Period,
    fmt: str,
    today: datetime.date,
    edits: dict[str, Any] | None = None,
) -> ExportFile:
    """The report of ``plan`` for ``period`` as ``fmt`` (docx, pdf, xlsx or zip).

    ``actor`` SYSTEM is a scheduled job: it reads every ward and the audit trail names no one.
    Raises PermissionDenied, ``report.ReportError`` for a period not yet begun, and
    ``pdf.PdfError`` when no PDF can be made.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if not can(actor, Action.DOWNLOAD_REPORT, plan):
        raise PermissionDenied
    if edits and not can(actor, Action.COMPILE_REPORTS, plan):
        raise PermissionDenied
    data = selectors.report_data(actor, plan, period, today=today)
    stem = report.file_stem(data.plan, period)
    package = bundle.entries(data) if fmt in ("xlsx", "zip") else []
    details: dict[str, Any] = {"format": fmt, "period": str(period), "tasks": len(data.tasks)}
    # The audit chain's head, printed on the file so it is kept outside the database.
    anchor = current_anchor()
    if fmt in ("docx", "pdf"):
        content = report.assemble(data)
        if edits:
            content = apply_edits(content, edits)
        blob = docx.write_docx(content, audit_anchor=anchor)
        if fmt == "pdf":
            blob = pdf.docx_to_pdf(blob)
        handle: BinaryIO = io.BytesIO(blob)
        details["edited"] = bool(edits)
    else:
        blob = xlsx.write_xlsx(
            data, evidence_names=bundle.evidence_names(package), audit_anchor=anchor
        )
        handle = io.BytesIO(blob)
        if fmt == "zip":
            # On disk: evidence may run to hundreds of megabytes. The caller closes it.
            handle = tempfile.TemporaryFile()  # noqa: SIM115
            try:
                written = bundle.write_bundle(
                    handle,
                    xlsx_name=f"{stem}.xlsx",
                    xlsx=blob,
                    package=package,
                    open_file=lambda name: default_storage.open(name, "rb"),
                    left_out=report.evidence_left_out(data),
                )
            except BaseException:
                handle.close()
                raise
            details.update(
                evidence=[entry.evidence.id for entry in package],
                missing=written.missing,
                changed=written.changed,
                left_out={
                    "not_reviewed": written.left_out.not_reviewed,
                    "rejected": written.left_out.rejected,
                },
            )
    size = handle.seek(0, io.SEEK_END)
    handle.seek(0)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_EXPORT,
            obj=plan,
            organization=plan.organization,
            summary=f"{fmt.upper()} {period.label_vi()}",
            after=details,
        )
    return ExportFile(f"{stem}.{fmt}", FORMATS[fmt], handle, size)


# --- Through the background worker ------------------------------------------------------------


def report_export_request(
    *,
    actor: User,
    plan: Plan,
    period: Period,
    fmt: str,
    today: datetime.date,
    edits: dict[str, Any] | None = None,
) -> ReportExport:
    """Ask the background worker for the report of ``plan`` for ``period`` as ``fmt``; the
    person follows it on the export's page and downloads it from there once made.

    Raises PermissionDenied, ``report.ReportError`` for a period not yet begun, and
    ``pdf.PdfError`` at once when no PDF can be made here."""
    if fmt not in QUEUED_FORMATS:
        raise ValueError(f"format {fmt!r} is not made in the background")
    if not can(actor, Action.DOWNLOAD_REPORT, plan):
        raise PermissionDenied
    if edits and not can(actor, Action.COMPILE_REPORTS, plan):
        raise PermissionDenied
    if fmt == "pdf" and not pdf.available():
        raise pdf.PdfError(pdf.UNAVAILABLE)
    report.as_of_day(period, today)  # a period not yet begun is refused on the page, at once
    return _queue(
        ReportExport(
            requested_by=actor,
            kind=ReportExport.Kind.REPORT,
            plan=plan,
            organization=plan.organization,
            period=str(period),
            format=fmt,
            edits=edits or {},
            day=today,
        )
    )


def ranking_export_request(
    *, actor: User, ward: Organization, year: int, quarter: int | None, today: datetime.date
) -> ReportExport:
    """Ask the background worker for the Excel table of the ward's ranking the page shows the
    person (in the page's language). Raises PermissionDenied."""
    if not ranking_selectors.wards_for_user(actor).filter(pk=ward.pk).exists():
        raise PermissionDenied
    return _queue(
        ReportExport(
            requested_by=actor,
            kind=ReportExport.Kind.RANKING,
            organization=ward,
            period=f"{year}-Q{quarter}" if quarter else str(year),
            params=_ranking_params(year, quarter),
            format="xlsx",
            day=today,
        )
    )


def _ranking_params(year: int, quarter: int | None) -> dict[str, Any]:
    return {
        "year": year,
        "quarter": quarter,
        "language": translation.get_language() or settings.LANGUAGE_CODE,
    }


def _queue(export: ReportExport) -> ReportExport:
    with transaction.atomic():
        export.save()

        def unqueued(exc: Exception) -> None:
            _finish(export.pk, failure=ReportExport.Failure.QUEUE)

        background.enqueue(build_report_export, export_id=export.pk, on_failure=unqueued)
    export.refresh_from_db()
    return export


# --- The same file asked for again --------------------------------------------------------------


def _audit_head() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _unchanged_since(export: ReportExport) -> bool:
    """Nothing but reads recorded in the audit trail since the file's data was read: every
    write goes through a service that records it, so the same request gives the same data."""
    if export.audit_head is None:
        return False
    later = AuditEvent.objects.filter(pk__gt=export.audit_head)
    return not later.exclude(action__in=READ_ACTIONS).exists()


def identical_export(
    *,
    actor: User,
    kind: str,
    fmt: str,
    today: datetime.date,
    period: str,
    plan: Plan | None = None,
    organization: Organization | None = None,
    params: dict[str, Any] | None = None,
) -> ReportExport | None:
    """The person's own export of the same file asked for today, without edits: one still being
    made (a second click follows it rather than making it twice), or one made from data that
    has not changed since (served again). None when it must be made anew."""
    subject = {"plan": plan} if plan is not None else {"organization": organization}
    found = ReportExport.objects.filter(
        requested_by=actor,
        kind=kind,
        format=fmt,
        day=today,
        period=period,
        **subject,
        edits={},
        status__in=(
            ReportExport.Status.QUEUED,
            ReportExport.Status.RUNNING,
            ReportExport.Status.READY,
        ),
    ).select_related("plan__organization", "organization")
    if params is not None:
        found = found.filter(params=params)
    for export in found[:3]:  # newest first
        if export.waiting or _unchanged_since(export):
            return export
    return None


def report_export_start(
    *, actor: User, plan: Plan, period: Period, fmt: str, today: datetime.date
) -> tuple[ReportExport, bool]:
    """The report as assembled (no edits) for a download link: the same one already asked for
    today while it still holds (True), else a new one queued (False). Raises as
    ``report_export_request``."""
    if not can(actor, Action.DOWNLOAD_REPORT, plan):
        raise PermissionDenied
    found = identical_export(
        actor=actor,
        kind=ReportExport.Kind.REPORT,
        fmt=fmt,
        today=today,
        period=str(period),
        plan=plan,
    )
    if found is not None:
        return found, True
    made = report_export_request(actor=actor, plan=plan, period=period, fmt=fmt, today=today)
    return made, False


def ranking_export_start(
    *, actor: User, ward: Organization, year: int, quarter: int | None, today: datetime.date
) -> tuple[ReportExport, bool]:
    """The ranking's Excel table for a download link, as ``report_export_start``."""
    if not ranking_selectors.wards_for_user(actor).filter(pk=ward.pk).exists():
        raise PermissionDenied
    found = identical_export(
        actor=actor,
        kind=ReportExport.Kind.RANKING,
        fmt="xlsx",
        today=today,
        period=f"{year}-Q{quarter}" if quarter else str(year),
        organization=ward,
        params=_ranking_params(year, quarter),
    )
    if found is not None:
        return found, True
    made = ranking_export_request(actor=actor, ward=ward, year=year, quarter=quarter, today=today)
    return made, False


def export_served_again(*, actor: User, export: ReportExport) -> None:
    """A made report handed out again is recorded like the first time it was made."""
    if export.kind != ReportExport.Kind.REPORT or export.plan is None:
        return
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_EXPORT,
            obj=export.plan,
            organization=export.plan.organization,
            summary=f"{export.format.upper()} {report.parse_report_period(export.period).label_vi()}",
            after={"format": export.format, "period": export.period, "served_again": export.pk},
        )


def _finish(export_id: int, *, failure: str, detail: str = "") -> None:
    ReportExport.objects.filter(pk=export_id).update(
        status=ReportExport.Status.FAILED,
        failure=failure,
        detail=detail,
        finished_at=timezone.now(),
    )


def export_file_lost(*, export_id: int) -> None:
    """A made file the storage no longer has: the export says to ask for it again."""
    logger.error("report export %s: its stored file is missing", export_id)
    _finish(export_id, failure=ReportExport.Failure.STORAGE)


def exports_prune(*, before: datetime.datetime) -> tuple[int, int]:
    """Remove the exports asked for before ``before``, and their stored files unless a later
    export has the same bytes (files are kept under their SHA-256, so two may share one).
    Returns how many exports and files were removed."""
    old = ReportExport.objects.filter(requested_at__lt=before)
    names = set(old.exclude(file="").values_list("file", flat=True))
    count, _ = old.delete()
    shared = set(ReportExport.objects.filter(file__in=names).values_list("file", flat=True))
    removed = 0
    for name in sorted(names - shared):
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("made export file %s could not be removed", name)
        else:
            removed += 1
    return count, removed


def _stored_edits(edits: dict[str, Any]) -> dict[str, Any] | None:
    """The edits as the form gave them: the date comes back from JSON as text."""
    if not edits:
        return None
    edits = dict(edits)
    if isinstance(edits.get("date"), str):
        edits["date"] = datetime.date.fromisoformat(edits["date"])
    return edits


def report_export_build(*, export_id: int) -> str:
    """Make the file of one queued export (a report, a ranking) and store it; returns the
    export's status.

    Run by the worker (``build_report_export``). An export is made once: a second run of the
    same task (a worker restarted mid-way) finds it no longer queued and leaves it. Failures
    the person can act on are recorded with what to do; any other error is recorded too, then
    raised so the queue keeps its traceback."""
    claimed = ReportExport.objects.filter(pk=export_id, status=ReportExport.Status.QUEUED).update(
        status=ReportExport.Status.RUNNING
    )
    if not claimed:
        return "skipped"
    export = ReportExport.objects.select_related(
        "plan__organization", "organization", "requested_by"
    ).get(pk=export_id)
    # Read before the data: a change made while the file is being made keeps it from reuse.
    head = _audit_head()
    try:
        made = _make(export)
        with made.file:
            data = made.file.read()
    except PermissionDenied:
        _finish(export_id, failure=ReportExport.Failure.PERMISSION)
        return ReportExport.Status.FAILED
    except (report.ReportError, pdf.PdfError) as exc:
        _finish(export_id, failure=ReportExport.Failure.REPORT, detail=str(exc))
        return ReportExport.Status.FAILED
    except Exception:
        _finish(export_id, failure=ReportExport.Failure.UNEXPECTED)
        raise
    digest = hashlib.sha256(data).hexdigest()
    # Under its SHA-256, like evidence: the same bytes twice are one file, and a stored file is
    # never overwritten by other bytes.
    name = f"exports/{digest[:2]}/{digest}"
    try:
        storage.store(name, data, sha256=digest)
    except Exception:
        logger.exception("report export %s could not be stored", export_id)
        _finish(export_id, failure=ReportExport.Failure.STORAGE)
        return ReportExport.Status.FAILED
    ReportExport.objects.filter(pk=export_id).update(
        status=ReportExport.Status.READY,
        file=name,
        name=made.name,
        content_type=made.content_type,
        size=len(data),
        sha256=digest,
        finished_at=timezone.now(),
        audit_head=head,
    )
    return ReportExport.Status.READY


def _make(export: ReportExport) -> ExportFile:
    """The file of one export, made as the person who asked for it may see the data now."""
    if export.kind == ReportExport.Kind.RANKING:
        return _ranking_file(export)
    if export.plan is None:
        raise ValueError(f"export {export.pk} has no plan")
    return report_export(
        actor=export.requested_by,
        plan=export.plan,
        period=report.parse_report_period(export.period),
        fmt=export.format,
        today=export.day,
        edits=_stored_edits(export.edits),
    )


def _ranking_file(export: ReportExport) -> ExportFile:
    ward = export.organization
    actor = export.requested_by
    if ward is None or not ranking_selectors.wards_for_user(actor).filter(pk=ward.pk).exists():
        raise PermissionDenied
    params = export.params
    # The table is in the language of the page it was asked from, as the page was.
    with translation.override(params.get("language") or settings.LANGUAGE_CODE):
        name, content = ranking_tables.ranking_workbook(
            actor, ward, day=export.day, year=params["year"], quarter=params.get("quarter")
        )
    return ExportFile(name, XLSX, io.BytesIO(content), len(content))


@task()
def build_report_export(*, export_id: int) -> str:
    """The background task (``theodoi worker``): one file asked for on a page."""
    return report_export_build(export_id=export_id)
