"""Making a report file: the one path the pages and the ``export_report`` command share.

It checks who may have the file, gathers the data through the scoped selectors, writes the
format asked for and records the export in the audit trail.
"""

import datetime
import io
import tempfile
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction

from theodoi.audit.actions import AuditAction
from theodoi.audit.anchor import current_anchor
from theodoi.audit.services import audit_record
from theodoi.core.access import Action, Actor, can
from theodoi.plans.models import Plan
from theodoi.plans.periods import Period

from . import bundle, docx, pdf, report, selectors, xlsx

FORMATS: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
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
    """The assembled content with the office's edits; section texts come as a list in the
    sections' order."""
    changes = {key: value for key, value in edits.items() if key in EDITABLE_FIELDS}
    texts = edits.get("sections")
    if texts is not None:
        changes["sections"] = [
            report.SectionText(section.heading, text)
            for section, text in zip(content.sections, texts, strict=False)
        ]
    return replace(content, **changes)


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
                )
            except BaseException:
                handle.close()
                raise
            details.update(
                evidence=[entry.evidence.id for entry in package],
                missing=written.missing,
                changed=written.changed,
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
