"""Writes of the reporting workflow: reports, evidence, reviews, indicator values, directives.

Every service is atomic (an evidence upload stores its file just before its transaction), checks
the actor's right in ``core.access`` and records its audit event in the same transaction.

What follows a change (the task's cached progress and completion, DESIGN.md §4, then its
alerts) is not done here: ``theodoi.tracking.services`` runs that chain after calling these
writes in its own transaction, so this app never imports the alerts above it. ``task_refresh``
(the progress rule) stays here, beside the reports and evidence it reads.
"""

import datetime
import hashlib
import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext

from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record, snapshot
from theodoi.core import storage
from theodoi.core.access import Action, require
from theodoi.core.clock import today
from theodoi.core.inputs import date_problem, text_problem
from theodoi.core.numbers import format_number, parse_number
from theodoi.org.models import User
from theodoi.plans import services as plan_services
from theodoi.plans.models import Indicator, IndicatorValue, ReportingCycle, Task
from theodoi.plans.periods import EXAMPLES, PeriodError, label_vi_of, parse_period, written_as
from theodoi.reporting import checks, files, signatures, subjects, virus
from theodoi.reporting.models import (
    Directive,
    Evidence,
    EvidenceReview,
    ProgressReport,
    evidence_path,
)
from theodoi.reporting.replacement import replacement_refusal

logger = logging.getLogger(__name__)


class ReportingError(ValueError):
    """Bad input a person can correct; the message says how, in the interface language."""


class EmptyText(ReportingError):
    """Raised when a directive or an answer has no text."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or gettext("Enter the content before sending it."))


class StaleVersion(ReportingError):
    """Someone else changed the record since it was opened."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "Someone else has just updated this report. Reload the page to see the new "
                "version, then edit it again."
            )
        )


class ReportClosed(ReportingError):
    """The period's report was accepted by the office: it is closed to changes (evidence is
    still added to the task on its own)."""


class StaleReview(ReportingError):
    """Another reviewer decided on the file after this reviewer opened it."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "Someone else has just reviewed this evidence file. Reload the page to see the new "
                "decision before deciding."
            )
        )


class FileTooLarge(ReportingError):
    """The file is over the evidence size limit."""


class InfectedFile(ReportingError):
    """The virus scanner found something in an uploaded file; nothing was stored."""


class ScanUnavailable(ReportingError):
    """A virus scanner is configured but could not scan the file, so it was refused."""


class StorageUnavailable(ReportingError):
    """The file storage failed (a full or read-only disk, an unreachable S3 service): the
    server's fault, not the person's. Nothing was recorded."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "The evidence file could not be saved in the file storage (a storage server "
                "error). The file has not been recorded; try again in a few minutes or tell the "
                "administrator."
            )
        )


# --- Progress and completion ------------------------------------------------------------------


def _latest_report(task: Task) -> ProgressReport | None:
    reports = task.reports.exclude(status=ProgressReport.Status.RETURNED)
    return reports.order_by("-period", "-submitted_at", "-id").first()


def _accepted_evidence_day(task: Task) -> datetime.date | None:
    """The upload day of the first evidence file whose latest review accepts it, if any."""
    days = []
    reviews = Prefetch(
        "reviews",
        queryset=EvidenceReview.objects.only("id", "evidence_id", "decision", "reviewed_at"),
    )
    files = task.evidence.filter(withdrawn=False).only(
        "id", "task_id", "uploaded_on", "uploaded_at"
    )
    for item in files.prefetch_related(reviews):
        review = item.latest_review
        if review is not None and review.decision == EvidenceReview.Decision.ACCEPTED:
            days.append(item.uploaded_on or item.uploaded_at.date())
    return min(days) if days else None


def task_refresh(task: Task) -> Task:
    """Recompute a task's cached progress and completion day, then its parent's.

    A task is complete when its latest report that was not returned says 100 % and at least one
    evidence file is accepted; it was completed on the later of the day that report was
    submitted and the day the accepted file was uploaded (not the review day: the unit should
    not be late because the office reviewed late). A parent's progress is the weighted mean of
    its subtasks; it is complete when all of them are, on the day the last one was. A province
    task the wards carry out rolls up from their tasks (``plans.rollup``), and a ward task's
    change reaches the province task it implements.
    """
    subtasks = list(task.subtasks.all())
    if subtasks:
        weights = sum((s.weight for s in subtasks), Decimal(0)) or Decimal(1)
        mean = sum((s.weight * s.progress for s in subtasks), Decimal(0)) / weights
        progress = int(mean.to_integral_value())
        done = all(s.completed_on for s in subtasks)
        completed_on = max(s.completed_on for s in subtasks) if done else None
    elif task.ward_assignment:
        # A province task the wards carry out: its progress is theirs, rolled up.
        plan_services.task_rollup_refresh(task)
        progress, completed_on = task.progress, task.completed_on
    else:
        report = _latest_report(task)
        progress = report.percent if report else 0
        accepted = _accepted_evidence_day(task)
        completed_on = None
        if progress == 100 and accepted is not None:
            completed_on = max(report.submitted_on or accepted, accepted)
    if (task.progress, task.completed_on) != (progress, completed_on):
        task.progress, task.completed_on = progress, completed_on
        task.save(update_fields=["progress", "completed_on", "updated_at"])
    if task.parent_id:
        task_refresh(task.parent)
    if task.upper_task_id:
        # A ward task's progress is part of the province task it carries out; its roll-up
        # reads the province from the plan (read with it, not in two more queries).
        if Task.upper_task.is_cached(task):
            upper = task.upper_task
        else:
            upper = Task._base_manager.select_related("plan__organization").get(
                pk=task.upper_task_id
            )
        task_refresh(upper)
    return task


def _typed(value: str | None, label: str) -> str:
    """A text a person typed, stripped; refused when too long or not storable (NUL)."""
    text = (value or "").strip()
    problem = text_problem(text, label=label)
    if problem:
        raise ReportingError(problem)
    return text


# --- Reports ----------------------------------------------------------------------------------


def _percent(value) -> int:
    try:
        percent = int(value)
    except (TypeError, ValueError) as exc:
        raise ReportingError(
            gettext("The percent done must be a whole number from 0 to 100.")
        ) from exc
    if not 0 <= percent <= 100:
        raise ReportingError(gettext("The percent done must be a whole number from 0 to 100."))
    return percent


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
    """Create the unit's report for ``period`` or correct it while the office has not accepted
    it; a returned report comes back to the office as submitted again."""
    require(actor, Action.REPORT, task)
    try:
        parsed = parse_period(period, task.cycle)
    except PeriodError as exc:
        if written_as(period, task.cycle):
            raise ReportingError(str(exc)) from exc
        # A task may report more often than its plan: say which cycle this one follows.
        raise ReportingError(
            gettext(
                "The period «%(text)s» does not fit this task: it is reported %(cycle)s, "
                "by periods like %(example)s."
            )
            % {
                "text": period,
                "cycle": str(ReportingCycle(task.cycle).label).lower(),
                "example": EXAMPLES[task.cycle],
            }
        ) from exc
    if parsed.start > today():
        raise ReportingError(
            gettext("%(period)s has not started yet: only a period that has begun is reported.")
            % {"period": parsed.label()}
        )
    percent = _percent(percent)
    result = _typed(result, gettext("Results achieved"))
    difficulties = _typed(difficulties, gettext("Difficulties"))
    proposals = _typed(proposals, gettext("Proposals"))
    # Only the report's row: the model's ordering joins the task and the plan, and locking
    # those too would deadlock with any transaction whose foreign keys point at them (checked
    # at commit on PostgreSQL) while it holds the audit chain's head. For the same reason the
    # lock is FOR NO KEY UPDATE (as every row lock here): the key never changes, and a plain
    # FOR UPDATE would block the foreign-key check of a transaction adding evidence to this
    # report while that transaction holds the audit head we wait for.
    report = (
        ProgressReport.objects.select_for_update(of=("self",), no_key=True)
        .filter(task=task, period=str(parsed))
        .first()
    )
    before = snapshot(report) if report else None
    if report is None:
        report = ProgressReport(task=task, period=str(parsed))
    else:
        if report.status == ProgressReport.Status.ACCEPTED:
            raise ReportClosed(
                gettext(
                    "The report for %(period)s has been accepted by the standing office, so it "
                    "can no longer be changed."
                )
                % {"period": parsed.label()}
            )
        if version is not None and version != report.version:
            raise StaleVersion
        report.version += 1
    report.unit = actor.unit if actor.unit_id else report.unit
    report.percent = percent
    report.result = result
    report.difficulties = difficulties
    report.proposals = proposals
    report.status = ProgressReport.Status.SUBMITTED
    report.return_reason = ""
    # The day a report arrived decides whether it was on time: correcting it while the office
    # has not acted keeps that day; a new report or one sent back and resubmitted takes today.
    if before is None or before["status"] == ProgressReport.Status.RETURNED:
        report.submitted_on = today()
        report.submitted_at = timezone.now()
    report.submitted_by = actor
    if before is None:
        try:
            with transaction.atomic():  # a savepoint, so the refusal below leaves no broken state
                report.save()
        except IntegrityError as exc:
            # Someone sent this period's report between our read and our write: theirs stays.
            raise StaleVersion from exc
    else:
        report.save()
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_SUBMIT,
        obj=report,
        organization=task.plan.organization,
        summary=f"{task.code} {label_vi_of(report.period)}: {percent}%",
        before=before,
        after=snapshot(report),
    )
    return report


def _lock_report(report: ProgressReport, version: int | None) -> None:
    """Lock the report's row, compare its version with the one the person saw, and reload the
    instance so that what is saved starts from the row as it is now, not as it was read."""
    current = (
        ProgressReport.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk=report.pk)
        .values_list("version", flat=True)
        .first()
    )
    if current is None or (version is not None and version != current):
        raise StaleVersion
    report.refresh_from_db()


# The audit action of each decision the office takes on a report.
_DECISION_ACTIONS = {
    ProgressReport.Status.RETURNED: AuditAction.REPORT_RETURNED,
    ProgressReport.Status.ACCEPTED: AuditAction.REPORT_ACCEPTED,
}


def _office_decision(
    actor: User, report: ProgressReport, status: str, reason: str = "", version: int | None = None
) -> None:
    require(actor, Action.REVIEW, report.task)
    _lock_report(report, version)
    before = snapshot(report)
    report.status = status
    report.return_reason = reason
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.version += 1
    report.save()
    audit_record(
        actor=actor,
        action=_DECISION_ACTIONS[status],
        obj=report,
        organization=report.task.plan.organization,
        summary=f"{report.task.code} {label_vi_of(report.period)}"
        + (f": {reason}" if reason else ""),
        before=before,
        after=snapshot(report),
    )


@transaction.atomic
def report_return(
    *, actor: User, report: ProgressReport, reason: str, version: int | None = None
) -> ProgressReport:
    """The standing office sends a report back for correction; it stops counting.

    ``version`` is the report's version when the office opened it: if the unit corrected the
    report or someone else decided on it since, ``StaleVersion`` is raised and nothing is
    written (the same holds for ``report_accept`` and ``report_confirm``)."""
    reason = _typed(reason, gettext("Reason for return"))
    if not reason:
        raise ReportingError(
            gettext("Write why the report is returned, so that the unit knows what to correct.")
        )
    _office_decision(actor, report, ProgressReport.Status.RETURNED, reason, version)
    return report


@transaction.atomic
def report_accept(
    *, actor: User, report: ProgressReport, version: int | None = None
) -> ProgressReport:
    _office_decision(actor, report, ProgressReport.Status.ACCEPTED, version=version)
    return report


@transaction.atomic
def report_confirm(
    *, actor: User, report: ProgressReport, version: int | None = None
) -> ProgressReport:
    """The unit head confirms the unit's report before the office reviews it. Confirming
    changes no content, so it leaves the version as it is: an office page opened before the
    confirmation may still decide."""
    require(actor, Action.CONFIRM_REPORT, report.task)
    _lock_report(report, version)
    if report.status != ProgressReport.Status.SUBMITTED:
        raise ReportingError(
            gettext("Only a report waiting for the standing office's review can be confirmed.")
        )
    before = snapshot(report)
    report.status = ProgressReport.Status.CONFIRMED
    report.confirmed_by = actor
    report.confirmed_at = timezone.now()
    report.save()
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_CONFIRM,
        obj=report,
        organization=report.task.plan.organization,
        summary=f"{report.task.code} {label_vi_of(report.period)}",
        before=before,
        after=snapshot(report),
    )
    return report


# --- Evidence ---------------------------------------------------------------------------------


def _put(data: bytes, digest: str) -> tuple[str, bool]:
    """Save the bytes under their SHA-256, whole or not at all; a file already under that name
    is verified, and replaced when its bytes differ (e.g. cut short by a crash). Also says
    whether the name was free before (the file is new, so a failed write may remove it)."""
    name = evidence_path(None, "", digest=digest)
    try:
        outcome = storage.store(name, data, sha256=digest)
    except Exception as exc:  # any backend: a full disk, a refused or unreachable S3 service
        logger.exception("evidence storage failed for %s", digest)
        raise StorageUnavailable() from exc
    return name, outcome == "written"


def _store(data: bytes, digest: str) -> str:
    return _put(data, digest)[0]


def _organization_of(subject):
    if isinstance(subject, IndicatorValue):
        subject = subject.indicator
    organization = getattr(subject, "organization", None)
    return organization if organization is not None else subject.plan.organization


def _scan(*, actor: User, name: str, data: bytes, digest: str, subject) -> None:
    """Refuse the file when the configured ClamAV daemon finds something in it, or when it
    cannot be asked (fail closed). Without a configured daemon nothing is scanned.

    Runs outside any transaction of the upload: waiting for the scanner holds no database
    lock, and the audit event of an infected file is committed on its own, so it stays
    although the upload is refused and nothing is stored."""
    address = settings.THEODOI_CLAMAV
    if not address:
        return
    try:
        result = virus.scan(data, address=address)
    except virus.ScanError as exc:
        logger.error("virus scan of %s (%s) failed: %s", name, digest, exc)
        raise ScanUnavailable(
            gettext(
                "The evidence file could not be checked for viruses (the virus scanner did not "
                "answer). The file has not been accepted; try again in a few minutes or tell the "
                "administrator."
            )
        ) from exc
    if not result.infected:
        return
    logger.warning("evidence %s (%s) refused: %s", name, digest, result.signature)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EVIDENCE_INFECTED,
            obj=subject,
            organization=_organization_of(subject),
            summary=f"{name}: {result.signature}",
            after={"name": name, "sha256": digest, "size": len(data), "found": result.signature},
        )
    raise InfectedFile(
        gettext(
            "The file «%(name)s» contains malware (%(signature)s), so it was not accepted. Scan "
            "your computer for viruses and upload a clean copy."
        )
        % {"name": name, "signature": result.signature}
    )


def _evidence_subject(*, actor: User, task, indicator_value, linked_subject):
    """What the file is evidence for, once the actor's right to attach to it is checked."""
    if task is not None:
        require(actor, Action.REPORT, task)
        return task
    if indicator_value is not None:
        require(actor, Action.REPORT, indicator_value.indicator)
        return indicator_value
    if linked_subject is not None:
        kind = subjects.kind_of(linked_subject)
        if kind is None:
            raise TypeError(f"no app registered evidence for {type(linked_subject).__name__}")
        require(actor, kind.attach_action, linked_subject)
        return linked_subject
    raise ReportingError(
        gettext(
            "Evidence must be attached to a task, an indicator value or another record it proves."
        )
    )


def _file_type(name: str, data: bytes) -> files.FileType:
    limit = settings.THEODOI_EVIDENCE_MAX_MB * 1024 * 1024
    if not data:
        raise ReportingError(gettext("The file is empty. Choose the evidence file again."))
    if len(data) > limit:
        raise FileTooLarge(
            gettext("The file is larger than %(mb)s MB. Compress or split it, then upload again.")
            % {"mb": settings.THEODOI_EVIDENCE_MAX_MB}
        )
    file_type = files.sniff(data)
    if file_type is None:
        raise ReportingError(
            gettext(
                "The file «%(name)s» is not a kind accepted as evidence (the system checks the "
                "file's content, not its name). Upload: %(accepted)s."
            )
            % {"name": name, "accepted": files.ALLOWED_LABEL}
        )
    return file_type


def _check_replacement(replaces: Evidence, *, task, indicator_value) -> None:
    """Refuse naming ``replaces`` as the file replaced unless it is a rejected, not withdrawn
    file of the same task (or indicator value)."""
    if task is not None:
        same = replaces.task_id == task.pk
    else:
        same = indicator_value is not None and replaces.indicator_value_id == indicator_value.pk
    latest = (
        EvidenceReview.objects.filter(evidence=replaces)
        .order_by("-reviewed_at", "-id")
        .values_list("decision", flat=True)
        .first()
    )
    refusal = replacement_refusal(
        same_subject=same,
        withdrawn=replaces.withdrawn,
        latest_decision=latest,
        name=replaces.original_name,
    )
    if refusal:
        raise ReportingError(refusal)


def _check_window(
    task: Task | None, indicator_value: IndicatorValue | None, period: str
) -> tuple[datetime.date | None, datetime.date | None]:
    """The days a document proving this should be dated within: the report's period up to the
    day its report is due, else the task's span (start to due day)."""
    plan = task.plan if task is not None else None
    cycle = task.cycle if task is not None else None
    if indicator_value is not None:
        plan = indicator_value.indicator.plan
        cycle, period = plan.reporting_cycle, period or indicator_value.period
    if plan is None or cycle is None:
        return None, None
    if period:
        try:
            parsed = parse_period(period, cycle)
        except PeriodError:
            parsed = None
        if parsed is not None:
            return parsed.start, parsed.due(plan.report_due_days)
    if task is None:
        return None, None
    return (
        task.start,
        task.due_date or plan.period_end,
    )


def evidence_checks(
    *,
    data: bytes,
    content_type: str,
    document_number: str = "",
    document_date: datetime.date | None = None,
    window: tuple[datetime.date | None, datetime.date | None] = (None, None),
    uploaded_on: datetime.date | None = None,
) -> dict:
    """What the checks find in a file (``Evidence.checks``): the document number's form, its
    date against ``window``, a PDF's signatures and a photo's EXIF date and place. Plain data,
    versioned; the reviewer reads it, nothing is refused because of it."""
    result: dict[str, Any] = {"version": checks.VERSION}
    if document_number:
        result["number"] = checks.as_dict(
            checks.check_number(document_number, document_date=document_date)
        )
    if document_date is not None:
        result["date"] = checks.as_dict(
            checks.check_date(
                document_date, start=window[0], end=window[1], uploaded_on=uploaded_on
            )
        )
    if content_type == files.PDF.content_type:
        result["signatures"] = signatures.check_signatures(
            data, trusted_ca_dir=settings.THEODOI_TRUSTED_CA_DIR
        ).as_json()
    elif content_type.startswith("image/"):
        result["photo"] = checks.as_dict(checks.check_photo(data))
    return result


def evidence_checks_refresh(evidence: Evidence) -> Evidence:
    """Compute a recorded file's checks again from its stored bytes (after an upgrade, or when
    the trusted authorities changed). A cached reading of the file like a task's progress, so
    no audit record: no person decided anything. No transaction around the reading and the
    checks; the one UPDATE at the end is atomic by itself."""
    with evidence.file.open("rb") as handle:
        data = handle.read()
    window = _check_window(
        evidence.task,
        evidence.indicator_value,
        evidence.report.period if evidence.report_id else "",
    )
    evidence.checks = evidence_checks(
        data=data,
        content_type=evidence.content_type,
        document_number=evidence.document_number,
        document_date=evidence.document_date,
        window=window,
        uploaded_on=evidence.uploaded_on,
    )
    Evidence.objects.filter(pk=evidence.pk).update(checks=evidence.checks)
    return evidence


@dataclass
class StoredEvidence:
    """An evidence file checked and stored, not yet recorded: ``evidence`` is unsaved."""

    evidence: Evidence
    # The store wrote a new file (none was under its name): if recording it fails, the file
    # is nobody's and may be removed. A file that was already there belongs to other rows.
    written: bool
    # The subject of an app above that the file is to be linked to when recorded.
    linked_subject: Any = None


def evidence_prepare(
    *,
    actor: User,
    name: str,
    data: bytes,
    task: Task | None = None,
    indicator_value: IndicatorValue | None = None,
    report: ProgressReport | None = None,
    linked_subject: Any = None,
    kind: str = Evidence.Kind.OTHER,
    document_number: str = "",
    document_date: datetime.date | None = None,
    description: str = "",
    replaces: Evidence | None = None,
    period: str = "",
) -> StoredEvidence:
    """Check, scan and store the file; ``evidence_record`` then records it. ``period`` is the
    report's period when the file comes with a report not yet written (the date check uses it).

    The right is checked before anything is stored, so nobody without it can fill the disk.
    The file is stored before any transaction opens: writing, syncing and reading back up to
    the size limit would otherwise hold the database's write lock (SQLite takes it when the
    transaction begins) and keep every other writer waiting. The name is derived from the
    content, and if the storage fails no row points to a missing file."""
    subject = _evidence_subject(
        actor=actor, task=task, indicator_value=indicator_value, linked_subject=linked_subject
    )
    if replaces is not None:
        _check_replacement(replaces, task=task, indicator_value=indicator_value)
    file_type = _file_type(name, data)
    if kind not in Evidence.Kind.values:
        raise ReportingError(gettext("The kind of evidence is not valid."))
    problem = date_problem(document_date, label=gettext("Document date"))
    if problem:
        raise ReportingError(problem)
    document_number = _typed(document_number, gettext("Document number"))
    description = _typed(description, gettext("Evidence description"))
    original_name = files.clean_name(name, file_type)
    digest = hashlib.sha256(data).hexdigest()
    _scan(actor=actor, name=original_name, data=data, digest=digest, subject=subject)
    evidence = Evidence(
        task=task,
        indicator_value=indicator_value,
        report=report,
        sha256=digest,
        original_name=original_name,
        content_type=file_type.content_type,
        size=len(data),
        kind=kind,
        document_number=document_number[:60],
        document_date=document_date,
        description=description,
        uploaded_by=actor,
        uploaded_on=today(),
        replaces=replaces,
    )
    # Outside any transaction too: a signature check reads the whole PDF.
    evidence.checks = evidence_checks(
        data=data,
        content_type=file_type.content_type,
        document_number=evidence.document_number,
        document_date=document_date,
        window=_check_window(task, indicator_value, period or (report.period if report else "")),
        uploaded_on=evidence.uploaded_on,
    )
    evidence.file.name, written = _put(data, digest)
    return StoredEvidence(evidence=evidence, written=written, linked_subject=linked_subject)


def evidence_discard(stored: StoredEvidence) -> None:
    """Remove the file of an upload whose recording failed, when the upload wrote it and no
    row refers to it. (An upload of the same bytes that stored them in the meantime and has
    not committed yet would lose its file: ``verify_files`` reports such a row.)"""
    name = stored.evidence.file.name
    if not stored.written:
        return
    try:
        if not Evidence.objects.filter(file=name).exists():
            default_storage.delete(name)
    except Exception:  # the failure being handled matters more than the leftover file
        logger.exception("could not remove the unrecorded evidence file %s", name)


def evidence_upload(
    *,
    actor: User,
    name: str,
    data: bytes,
    task: Task | None = None,
    indicator_value: IndicatorValue | None = None,
    report: ProgressReport | None = None,
    linked_subject: Any = None,
    kind: str = Evidence.Kind.OTHER,
    document_number: str = "",
    document_date: datetime.date | None = None,
    description: str = "",
    replaces: Evidence | None = None,
) -> Evidence:
    """Check, scan and store the file, then record it in a transaction of its own (see
    ``evidence_prepare``); the stored file is removed again when recording it fails.

    A task's progress and alerts are not brought up to date here: uploads for a task go
    through ``theodoi.tracking.services.evidence_upload``."""
    stored = evidence_prepare(
        actor=actor,
        name=name,
        data=data,
        task=task,
        indicator_value=indicator_value,
        report=report,
        linked_subject=linked_subject,
        kind=kind,
        document_number=document_number,
        document_date=document_date,
        description=description,
        replaces=replaces,
    )
    try:
        return evidence_record(
            actor=actor, evidence=stored.evidence, linked_subject=stored.linked_subject
        )
    except BaseException:
        evidence_discard(stored)
        raise


@transaction.atomic
def evidence_record(*, actor: User, evidence: Evidence, linked_subject: Any = None) -> Evidence:
    """Save a prepared evidence row with its audit record, and its link to ``linked_subject``
    (a subject of an app above, see ``reporting.subjects``) before the record names it."""
    if evidence.replaces_id is not None:
        # Checked again under the replaced file's row lock: a reviewer may have changed the
        # decision, or someone withdrawn the file, while this one was being stored.
        replaced = (
            Evidence.objects.select_for_update(of=("self",), no_key=True)
            .filter(pk=evidence.replaces_id)
            .first()
        )
        if replaced is None:
            raise ReportingError(gettext("The file to replace no longer exists."))
        _check_replacement(replaced, task=evidence.task, indicator_value=evidence.indicator_value)
    evidence.save()
    if linked_subject is not None:
        kind = subjects.kind_of(linked_subject)
        if kind is None:
            raise TypeError(f"no app registered evidence for {type(linked_subject).__name__}")
        kind.link(subject=linked_subject, evidence=evidence)
    audit_record(
        actor=actor,
        action=AuditAction.EVIDENCE_UPLOAD,
        obj=evidence,
        organization=evidence.organization,
        summary=f"{evidence.original_name} ({evidence.size} B)"
        + (
            f" ⟲ #{evidence.replaces_id} {evidence.replaces.original_name}"
            if evidence.replaces_id
            else ""
        ),
        after=snapshot(evidence),
    )
    return evidence


# The audit action of each decision on a file.
_REVIEW_ACTIONS = {
    EvidenceReview.Decision.ACCEPTED: AuditAction.EVIDENCE_ACCEPTED,
    EvidenceReview.Decision.REJECTED: AuditAction.EVIDENCE_REJECTED,
}


@transaction.atomic
def evidence_review(
    *,
    actor: User,
    evidence: Evidence,
    decision: str,
    reason: str = "",
    expected_review_id: int | None = None,
) -> EvidenceReview:
    """Accept or reject one file; a rejection needs its reason.

    ``expected_review_id`` is the id of the latest review the reviewer saw (0: none): when a
    newer review exists, ``StaleReview`` is raised and no second decision is recorded."""
    subject = evidence.subject
    require(actor, Action.REVIEW, subject)
    for kind in subjects.registered():
        refusal = kind.review_refusal(evidence)
        if refusal:
            raise ReportingError(refusal)
    if expected_review_id is not None:
        # The file's row lock serializes two reviewers deciding at the same moment.
        Evidence.objects.select_for_update(no_key=True).filter(pk=evidence.pk).first()
        latest = (
            EvidenceReview.objects.filter(evidence=evidence)
            .order_by("-reviewed_at", "-id")
            .values_list("id", flat=True)
            .first()
        )
        if (latest or 0) != expected_review_id:
            raise StaleReview
    decision = {"accept": "accepted", "reject": "rejected"}.get(decision, decision)
    if decision not in EvidenceReview.Decision.values:
        raise ReportingError(gettext("The decision must be «valid» or «not valid»."))
    reason = _typed(reason, gettext("Reason"))
    if decision == EvidenceReview.Decision.REJECTED and not reason:
        raise ReportingError(
            gettext("Write why the evidence is not valid, so that the unit knows what to add.")
        )
    review = EvidenceReview.objects.create(
        evidence=evidence, decision=decision, reason=reason, reviewer=actor, reviewed_on=today()
    )
    audit_record(
        actor=actor,
        action=_REVIEW_ACTIONS[decision],
        obj=review,
        organization=evidence.organization,
        summary=f"{evidence.original_name}" + (f": {reason}" if reason else ""),
        after=snapshot(review),
    )
    return review


# --- Indicator values -------------------------------------------------------------------------


_LIMIT = Decimal("1e12")  # the value columns hold 16 digits, 4 after the point


def _decimal(value, label: str) -> Decimal | None:
    """A number as a ward writes it ("1.200" = 1200, "85,5" = 85.5), within the columns' range."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        number = parse_number(str(value))
        if number is None or not re.fullmatch(r"[\s\d.,+-]+%?", str(value).strip()):
            raise ReportingError(
                gettext("%(label)s must be a number (for example 85 or 85,5).") % {"label": label}
            )
    if not number.is_finite() or abs(number) >= _LIMIT:
        raise ReportingError(gettext("%(label)s is too large or invalid.") % {"label": label})
    return number


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
    """Record an indicator's value for a period, directly or as numerator/denominator (the
    value is then the percentage)."""
    require(actor, Action.REPORT, indicator)
    try:
        parsed = parse_period(period, indicator.plan.reporting_cycle)
    except PeriodError as exc:
        raise ReportingError(str(exc)) from exc
    numerator = _decimal(numerator, gettext("Numerator"))
    denominator = _decimal(denominator, gettext("Denominator"))
    value = _decimal(value, gettext("Value"))
    note = _typed(note, gettext("Note"))
    if numerator is not None or denominator is not None:
        if numerator is None or not denominator:
            raise ReportingError(
                gettext(
                    "Enter both the numerator and the denominator (a denominator other than 0)."
                )
            )
        value = (numerator / denominator * 100).quantize(Decimal("0.0001"))
        if abs(value) >= _LIMIT:
            raise ReportingError(gettext("The numerator/denominator ratio is too large."))
    if value is None:
        raise ReportingError(gettext("Enter a value, or a numerator and a denominator."))
    record, created = IndicatorValue.objects.select_for_update(no_key=True).get_or_create(
        indicator=indicator,
        period=str(parsed),
        defaults={
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "note": note,
            "recorded_by": actor,
        },
    )
    before = None if created else snapshot(record)
    if not created:
        record.value, record.numerator, record.denominator = value, numerator, denominator
        record.note, record.recorded_by = note, actor
        record.save()
    audit_record(
        actor=actor,
        action=AuditAction.INDICATOR_VALUE,
        obj=record,
        organization=indicator.plan.organization,
        summary=f"{indicator.code} {label_vi_of(record.period)}: {format_number(value)}",
        before=before,
        after=snapshot(record),
    )
    return record


# --- Directives -------------------------------------------------------------------------------


@transaction.atomic
def directive_create(*, actor: User, task: Task, text: str) -> Directive:
    require(actor, Action.DIRECT, task)
    text = _typed(text, gettext("Directive"))
    if not text:
        raise EmptyText(gettext("Write the directive before sending it."))
    directive = Directive.objects.create(task=task, author=actor, text=text)
    audit_record(
        actor=actor,
        action=AuditAction.DIRECTIVE_CREATE,
        obj=directive,
        organization=task.plan.organization,
        summary=text[:200],
        after=snapshot(directive),
    )
    return directive


@transaction.atomic
def directive_answer(*, actor: User, directive: Directive, answer: str) -> Directive:
    require(actor, Action.ANSWER_DIRECTIVE, directive.task)
    answer = _typed(answer, gettext("Reply"))
    if not answer:
        raise EmptyText(gettext("Write the reply before sending it."))
    before = snapshot(directive)
    directive.answer = answer
    directive.answered_by = actor
    directive.answered_at = timezone.now()
    directive.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(
        actor=actor,
        action=AuditAction.DIRECTIVE_ANSWER,
        obj=directive,
        organization=directive.task.plan.organization,
        summary=answer[:200],
        before=before,
        after=snapshot(directive),
    )
    return directive
