"""The progress chain and the writes of the task pages that need it.

A report, a review or an evidence file changes what a task has achieved: its cached progress
and completion day (``reporting.services.task_refresh``, DESIGN.md §4) follow, and then its
alerts (``alerts.services.evaluate_task``). This module is the one place that runs that chain,
inside the transaction of the write, for the pages, the API and the demo alike; reporting stays
below alerts and never calls up to them.

The functions keep the names and keyword arguments of the reporting services they wrap, and
raise the same exceptions (re-exported here, so callers need import only this module).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.http import FileResponse, Http404

from theodoi.alerts.services import evaluate_indicator, evaluate_task
from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record
from theodoi.org.models import User
from theodoi.plans import services as plan_services
from theodoi.plans.models import Indicator, IndicatorValue, PlanAmendment, Task
from theodoi.reporting import selectors as reporting_selectors
from theodoi.reporting import services as reporting
from theodoi.reporting.models import Evidence, EvidenceReview, ProgressReport
from theodoi.reporting.services import (  # noqa: F401  (re-exported for the callers)
    EmptyText,
    FileTooLarge,
    InfectedFile,
    ReportingError,
    ScanUnavailable,
    StaleReview,
    StaleVersion,
    StorageUnavailable,
    directive_answer,
    directive_create,
    task_refresh,
)

# --- The chain ------------------------------------------------------------------------------


def progress_changed(task: Task) -> None:
    """A report or an evidence file of ``task`` changed: recompute its progress (and its
    parents'), then its alerts. Call it inside the write's transaction."""
    task_refresh(task)
    evaluate_task(task)


def indicator_changed(indicator: Indicator) -> None:
    evaluate_indicator(indicator)


# --- Reports --------------------------------------------------------------------------------


@transaction.atomic
def report_submit(
    *,
    actor: User,
    task: Task,
    period: str,
    percent,
    result: str = "",
    difficulties: str = "",
    proposals: str = "",
    version: int | None = None,
) -> ProgressReport:
    """See ``reporting.services.report_submit``; then the progress chain."""
    report = reporting.report_submit(
        actor=actor,
        task=task,
        period=period,
        percent=percent,
        result=result,
        difficulties=difficulties,
        proposals=proposals,
        version=version,
    )
    progress_changed(task)
    return report


@dataclass(frozen=True)
class Upload:
    """A file as sent: its name and (up to one byte over the size limit of) its bytes."""

    name: str
    data: bytes


def report_submit_with_files(
    *,
    actor: User,
    task: Task,
    period: str,
    percent,
    result: str = "",
    difficulties: str = "",
    proposals: str = "",
    version: int | None = None,
    uploads: Sequence[Upload] = (),
    kind: str = Evidence.Kind.OTHER,
    document_number: str = "",
    document_date: datetime.date | None = None,
) -> tuple[ProgressReport, list[Evidence]]:
    """The unit's report for a period with its evidence files, all or nothing.

    Each file is checked, scanned and stored first, outside any transaction (storing takes
    seconds and would hold SQLite's write lock: issue 12). Then one transaction writes the
    report, the evidence rows, their audit records and the progress chain. When a file is
    refused nothing is written; when the transaction fails, the files it stored are removed
    again, so a failure anywhere leaves neither a half report nor an orphan file."""
    stored: list[reporting.StoredEvidence] = []
    try:
        for upload in uploads:
            stored.append(
                reporting.evidence_prepare(
                    actor=actor,
                    name=upload.name,
                    data=upload.data,
                    task=task,
                    kind=kind,
                    document_number=document_number,
                    document_date=document_date,
                )
            )
        with transaction.atomic():
            report = reporting.report_submit(
                actor=actor,
                task=task,
                period=period,
                percent=percent,
                result=result,
                difficulties=difficulties,
                proposals=proposals,
                version=version,
            )
            evidence = []
            for item in stored:
                item.evidence.report = report
                evidence.append(reporting.evidence_record(actor=actor, evidence=item.evidence))
            progress_changed(task)
    except BaseException:
        for item in stored:
            reporting.evidence_discard(item)
        raise
    return report, evidence


def _decided(report: ProgressReport) -> ProgressReport:
    progress_changed(report.task)
    return report


@transaction.atomic
def report_accept(
    *, actor: User, report: ProgressReport, version: int | None = None
) -> ProgressReport:
    reporting.report_accept(actor=actor, report=report, version=version)
    return _decided(report)


@transaction.atomic
def report_return(
    *, actor: User, report: ProgressReport, reason: str, version: int | None = None
) -> ProgressReport:
    reporting.report_return(actor=actor, report=report, reason=reason, version=version)
    return _decided(report)


def report_confirm(
    *, actor: User, report: ProgressReport, version: int | None = None
) -> ProgressReport:
    """Confirming changes no content, hence no progress: no chain."""
    return reporting.report_confirm(actor=actor, report=report, version=version)


# --- Evidence -------------------------------------------------------------------------------


def evidence_upload(
    *,
    actor: User,
    name: str,
    data: bytes,
    task: Task | None = None,
    indicator_value: IndicatorValue | None = None,
    report: ProgressReport | None = None,
    kind: str = Evidence.Kind.OTHER,
    document_number: str = "",
    document_date: datetime.date | None = None,
    description: str = "",
) -> Evidence:
    """One evidence file: stored first, then recorded with the progress chain of its task in
    one transaction; the stored file is removed again when that transaction fails."""
    stored = reporting.evidence_prepare(
        actor=actor,
        name=name,
        data=data,
        task=task,
        indicator_value=indicator_value,
        report=report,
        kind=kind,
        document_number=document_number,
        document_date=document_date,
        description=description,
    )
    try:
        with transaction.atomic():
            evidence = reporting.evidence_record(actor=actor, evidence=stored.evidence)
            if evidence.task is not None:
                progress_changed(evidence.task)
    except BaseException:
        reporting.evidence_discard(stored)
        raise
    return evidence


@transaction.atomic
def evidence_review(
    *,
    actor: User,
    evidence: Evidence,
    decision: str,
    reason: str = "",
    expected_review_id: int | None = None,
) -> EvidenceReview:
    review = reporting.evidence_review(
        actor=actor,
        evidence=evidence,
        decision=decision,
        reason=reason,
        expected_review_id=expected_review_id,
    )
    if evidence.task is not None:
        progress_changed(evidence.task)
    return review


# The headers every evidence file is served with, whichever door it is asked through: the
# browser must not guess another type, and even shown inline the file may run nothing and
# reach nothing.
EVIDENCE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    ),
    "X-Frame-Options": "SAMEORIGIN",
}


@transaction.atomic
def evidence_open(*, actor: User, evidence_id: int, inline: bool = False) -> FileResponse:
    """Serve an evidence file to someone who may see its subject (404 otherwise), and record
    the access. A download, except PDF and images asked ``inline`` (the review page shows
    them, sandboxed). Used by the page and the API, so both answer with the same headers."""
    evidence = reporting_selectors.evidence_get_for_user(actor, evidence_id)
    inline = inline and evidence.content_type.startswith(("application/pdf", "image/"))
    try:
        handle = evidence.file.open("rb")
    except OSError as exc:  # FileNotFoundError included
        raise Http404 from exc
    audit_record(
        actor=actor,
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
    for header, value in EVIDENCE_HEADERS.items():
        response[header] = value
    return response


# --- Indicator values -----------------------------------------------------------------------


@transaction.atomic
def indicator_value_record(
    *,
    actor: User,
    indicator: Indicator,
    period: str,
    value=None,
    numerator=None,
    denominator=None,
    note: str = "",
) -> IndicatorValue:
    record = reporting.indicator_value_record(
        actor=actor,
        indicator=indicator,
        period=period,
        value=value,
        numerator=numerator,
        denominator=denominator,
        note=note,
    )
    indicator_changed(indicator)
    return record


# --- Plan amendments ------------------------------------------------------------------------


@transaction.atomic
def amendment_apply(**kwargs) -> PlanAmendment:
    """See ``plans.services.amendment_apply``; then the alerts of the tasks it added or changed
    follow their new deadline (overdue, due soon) in the same transaction."""
    amendment = plan_services.amendment_apply(**kwargs)
    touched = {
        change["task"]
        for change in amendment.changes
        if change.get("kind") in ("added", "changed") and change.get("task")
    }
    for task in Task.objects.filter(pk__in=touched):
        evaluate_task(task)
    return amendment
