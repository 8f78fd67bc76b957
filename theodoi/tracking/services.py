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
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext

from theodoi.alerts.models import Alert
from theodoi.alerts.services import evaluate_indicator, evaluate_task, evaluate_tasks
from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record, snapshot
from theodoi.core.access import Action, Actor, require
from theodoi.notifications import events as notify
from theodoi.org.models import User
from theodoi.plans import services as plans
from theodoi.plans.models import Indicator, IndicatorValue, Plan, PlanAmendment, Task
from theodoi.plans.services import AssignError  # noqa: F401  (re-exported for the API)
from theodoi.reporting import selectors as reporting_selectors
from theodoi.reporting import services as reporting
from theodoi.reporting.models import Directive, Evidence, EvidenceReview, ProgressReport
from theodoi.reporting.services import (  # noqa: F401  (re-exported for the callers)
    EmptyText,
    FileTooLarge,
    InfectedFile,
    ReportClosed,
    ReportingError,
    ScanUnavailable,
    StaleReview,
    StaleVersion,
    StorageUnavailable,
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


@dataclass(frozen=True)
class EvidenceFile:
    """One file of an upload with what the person said of it: each file its own kind, document
    number and date (a photo is not «signed document» because the minutes sent with it is),
    and the rejected file it replaces, if any."""

    upload: Upload
    kind: str = Evidence.Kind.OTHER
    document_number: str = ""
    document_date: datetime.date | None = None
    description: str = ""
    replaces: Evidence | None = None


def _prepare_all(
    *, actor: User, task: Task, files: Sequence[EvidenceFile], period: str = ""
) -> list[reporting.StoredEvidence]:
    """Check, scan and store every file, outside any transaction; when one is refused, the
    files stored before it are removed again and the refusal is raised. ``period``: the
    report's, when the files come with one (their dates are checked against it)."""
    stored: list[reporting.StoredEvidence] = []
    try:
        for item in files:
            stored.append(
                reporting.evidence_prepare(
                    actor=actor,
                    name=item.upload.name,
                    data=item.upload.data,
                    task=task,
                    kind=item.kind,
                    document_number=item.document_number,
                    document_date=item.document_date,
                    description=item.description,
                    replaces=item.replaces,
                    period=period,
                )
            )
    except BaseException:
        for done in stored:
            reporting.evidence_discard(done)
        raise
    return stored


def evidence_add(
    *, actor: User, task: Task, files: Sequence[EvidenceFile], report: ProgressReport | None = None
) -> list[Evidence]:
    """Evidence for a task at any time, with or without a report (a replacement for a rejected
    file, a document signed after the period's report was accepted), all or nothing: every
    file is stored first, then one transaction records them, their audit records and the
    progress chain; when anything fails, nothing is recorded and the stored files are removed."""
    if not files:
        raise ReportingError(gettext("Choose at least one evidence file."))
    stored = _prepare_all(actor=actor, task=task, files=files)
    with _removed_on_failure(stored), transaction.atomic():
        evidence = _record_all(actor=actor, task=task, stored=stored, report=report)
    return evidence


@contextmanager
def _removed_on_failure(stored):
    """Remove the files stored ahead of the transaction when it fails: no orphan file."""
    try:
        yield
    except BaseException:
        for item in stored:
            reporting.evidence_discard(item)
        raise


def _record_all(*, actor: User, task: Task, stored, report) -> list[Evidence]:
    """Record the stored files (attached to ``report`` if any), then the progress chain."""
    evidence = []
    for item in stored:
        item.evidence.report = report
        evidence.append(reporting.evidence_record(actor=actor, evidence=item.evidence))
    progress_changed(task)
    return evidence


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
    files: Sequence[EvidenceFile] = (),
) -> tuple[ProgressReport, list[Evidence]]:
    """The unit's report for a period with its evidence files, all or nothing.

    Each file is checked, scanned and stored first, outside any transaction (storing takes
    seconds and would hold SQLite's write lock: issue 12). Then one transaction writes the
    report, the evidence rows, their audit records and the progress chain. When a file is
    refused nothing is written; when the transaction fails, the files it stored are removed
    again, so a failure anywhere leaves neither a half report nor an orphan file.

    ``files`` carry each file's own kind, number and date; ``uploads`` (older callers) share
    ``kind``, ``document_number`` and ``document_date``."""
    files = [
        *files,
        *(
            EvidenceFile(
                upload=upload,
                kind=kind,
                document_number=document_number,
                document_date=document_date,
            )
            for upload in uploads
        ),
    ]
    stored = _prepare_all(actor=actor, task=task, files=files, period=period)
    with _removed_on_failure(stored), transaction.atomic():
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
        evidence = _record_all(actor=actor, task=task, stored=stored, report=report)
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
    notify.report_returned(actor=actor, report=report)
    return _decided(report)


def report_confirm(
    *, actor: User, report: ProgressReport, version: int | None = None
) -> ProgressReport:
    """Confirming changes no content, hence no progress: no chain."""
    return reporting.report_confirm(actor=actor, report=report, version=version)


# --- Directives -----------------------------------------------------------------------------


@transaction.atomic
def directive_create(*, actor: User, task: Task, text: str) -> Directive:
    """See ``reporting.services.directive_create``; the lead units are told."""
    directive = reporting.directive_create(actor=actor, task=task, text=text)
    notify.directive_received(actor=actor, directive=directive)
    return directive


@transaction.atomic
def directive_answer(*, actor: User, directive: Directive, answer: str) -> Directive:
    """See ``reporting.services.directive_answer``; the directive's author is told."""
    directive = reporting.directive_answer(actor=actor, directive=directive, answer=answer)
    notify.directive_answered(actor=actor, directive=directive)
    return directive


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
    replaces: Evidence | None = None,
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
        replaces=replaces,
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
    notify.evidence_rejected(actor=actor, evidence=evidence, review=review)
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


# --- Editing a plan -------------------------------------------------------------------------
# The writes of ``plans.services``, followed by the alerts they change: a moved deadline, a new
# lead unit or a withdrawn task changes who must be warned of what.

StaleEdit = plans.StaleEdit


def _close_alerts(*, tasks: Iterable[int] = (), indicators: Iterable[int] = ()) -> None:
    """Close the open alerts of tasks and indicators that left the counts: the alert scan no
    longer sees them, so nothing else would."""
    now = timezone.now()
    Alert.objects.filter(task_id__in=list(tasks), closed_at__isnull=True).update(closed_at=now)
    Alert.objects.filter(indicator_id__in=list(indicators), closed_at__isnull=True).update(
        closed_at=now
    )


@transaction.atomic
def task_create(*, actor: Actor, plan: Plan, **fields: Any) -> Task:
    """See ``plans.services.task_create``; then the new task's alerts (one without a lead unit
    warns the standing office)."""
    task = plans.task_create(actor=actor, plan=plan, **fields)
    if task.parent_id is not None:
        # A parent's progress is its subtasks' mean: a new subtask at 0 % changes it.
        task_refresh(task)
    evaluate_task(task)
    return task


@transaction.atomic
def task_update(*, actor: Actor, task: Task, **kwargs: Any) -> Task:
    """See ``plans.services.task_update``; then the alerts of the task (and of its old and new
    parent, whose progress depends on it)."""
    old_parent_id = task.parent_id
    before = notify.task_states([task.pk])
    task = plans.task_update(actor=actor, task=task, **kwargs)
    notify.tasks_changed(actor=actor, before=before)
    task_refresh(task)
    if old_parent_id is not None and old_parent_id != task.parent_id:
        old_parent = Task.objects.filter(pk=old_parent_id).first()
        if old_parent is not None:
            task_refresh(old_parent)
            evaluate_task(old_parent)
    evaluate_task(task)
    return task


@transaction.atomic
def task_withdraw(*, actor: Actor, task: Task, **kwargs: Any) -> list[Task]:
    """See ``plans.services.task_withdraw``; the withdrawn tasks' alerts close, and the parent
    left behind is recomputed without them."""
    withdrawn = plans.task_withdraw(actor=actor, task=task, **kwargs)
    _close_alerts(tasks=[t.pk for t in withdrawn])
    parent = Task.objects.filter(pk=task.parent_id).first() if task.parent_id else None
    if parent is not None:
        task_refresh(parent)
        evaluate_task(parent)
    # A withdrawn ward task no longer counts in the province task it carried out.
    for upper_id in {t.upper_task_id for t in withdrawn if t.upper_task_id}:
        upper = Task.objects.filter(pk=upper_id).first()
        if upper is not None:
            task_refresh(upper)
    return withdrawn


@transaction.atomic
def indicator_update(**kwargs: Any) -> Indicator:
    """See ``plans.services.indicator_update``; then the indicator's alerts (a new milestone
    or direction may put it on or off track)."""
    indicator = plans.indicator_update(**kwargs)
    evaluate_indicator(indicator)
    return indicator


def plan_was_reported_on(plan: Plan) -> bool:
    """Whether anything was ever reported on the plan: a progress report, an evidence file or
    an indicator value, on any of its tasks and indicators, withdrawn ones included."""
    tasks = Task.all_objects.filter(plan=plan).values("pk")
    indicators = Indicator.all_objects.filter(plan=plan).values("pk")
    return (
        ProgressReport.objects.filter(task__in=tasks).exists()
        or Evidence.objects.filter(task__in=tasks).exists()
        or Evidence.objects.filter(indicator_value__indicator__in=indicators).exists()
        or IndicatorValue.objects.filter(indicator__in=indicators).exists()
    )


@transaction.atomic
def plan_withdraw(
    *,
    actor: Actor,
    plan: Plan,
    reason: str,
    expected_updated_at: datetime.datetime | str | None = None,
) -> str:
    """Take a plan imported by mistake away. Nothing reported on it yet: it is deleted with its
    sections, tasks and indicators (the audit trail keeps its snapshot). Otherwise it is
    archived: out of every list and count, its history kept, restorable. Returns "deleted" or
    "archived"."""
    require(actor, Action.MANAGE_PLAN, plan)
    if expected_updated_at is not None:
        plans.plan_check_version(plan, expected_updated_at)
    reason = reason.strip()
    if not reason:
        raise ValueError(gettext("Give the reason the plan is withdrawn."))
    if plan.is_archived:
        raise ValueError(gettext("This plan has already been withdrawn."))
    ward = plan.organization
    if not plan_was_reported_on(plan):
        before = snapshot(plan) | {
            "reason": reason,
            "tasks": [
                snapshot(t, ["id", "code", "title", "deadline_text"])
                for t in Task.all_objects.filter(plan=plan).order_by("order", "id")
            ],
            "indicators": [
                snapshot(i, ["id", "code", "name"])
                for i in Indicator.all_objects.filter(plan=plan).order_by("order", "id")
            ],
        }
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_DELETE,
            obj=plan,
            organization=ward,
            summary=f"{plan}"[:160] + f" — {reason}"[:40],
            before=before,
        )
        plan.delete()
        return "deleted"
    before = snapshot(plan, ["status", "withdrawn_reason"])
    plan.status = Plan.Status.ARCHIVED
    plan.withdrawn_reason = reason
    plan.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    _close_alerts(
        tasks=Task.all_objects.filter(plan=plan).values_list("pk", flat=True),
        indicators=Indicator.all_objects.filter(plan=plan).values_list("pk", flat=True),
    )
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_WITHDRAW,
        obj=plan,
        organization=ward,
        summary=f"{plan}"[:160] + f" — {reason}"[:40],
        before=before,
        after=snapshot(plan, ["status", "withdrawn_reason"]),
    )
    return "archived"


@transaction.atomic
def plan_restore(*, actor: Actor, plan: Plan) -> Plan:
    """Bring a withdrawn (archived) plan back into the counts, with its alerts."""
    require(actor, Action.MANAGE_PLAN, plan)
    if not plan.is_archived:
        raise ValueError(gettext("Only a withdrawn plan can be restored."))
    before = snapshot(plan, ["status", "withdrawn_reason"])
    plan.status = Plan.Status.ACTIVE
    plan.withdrawn_reason = ""
    plan.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_UPDATE,
        obj=plan,
        organization=plan.organization,
        summary=str(plan)[:200],
        before=before,
        after=snapshot(plan, ["status", "withdrawn_reason"]),
    )
    # Leaves first is not needed: evaluate_task walks up to the parents by itself.
    for task in Task.objects.filter(plan=plan):
        evaluate_task(task)
    for indicator in Indicator.objects.filter(plan=plan):
        evaluate_indicator(indicator)
    return plan


# The plan's fields its tasks' alerts count from: its start (``Plan.start``) sets the expected
# progress and the reporting periods, the cycle and the days to report set the periods and
# when their reports are missing.
_ALERT_FIELDS = ("issued_on", "period_start", "reporting_cycle", "report_due_days")


@transaction.atomic
def plan_update(**kwargs: Any) -> Plan:
    """See ``plans.services.plan_update``; when the plan's dates or reporting rules changed, the
    alerts of its tasks follow at once, in the same transaction (a date set for a plan that
    had none moves its periods and its expected progress)."""
    plan = kwargs["plan"]
    before = {name: getattr(plan, name) for name in _ALERT_FIELDS}
    plan = plans.plan_update(**kwargs)
    if any(getattr(plan, name) != value for name, value in before.items()):
        evaluate_tasks(Task.objects.filter(plan=plan).order_by("id"))
    return plan


# --- Completing the "6 rõ" ------------------------------------------------------------------


@transaction.atomic
def tasks_bulk_assign(**kwargs: Any) -> list[Task]:
    """See ``plans.services.tasks_bulk_assign``; then the tasks' alerts, in the same
    transaction: a task given a lead unit loses its "no lead unit" alert and is judged by the
    other rules from now on, and a new deadline may make it due soon or overdue."""
    kwargs["tasks"] = list(kwargs["tasks"])
    before = notify.task_states(t.pk for t in kwargs["tasks"])
    changed = plans.tasks_bulk_assign(**kwargs)
    notify.tasks_changed(actor=kwargs["actor"], before=before)
    evaluate_tasks(changed)
    return changed


# --- Plan amendments ------------------------------------------------------------------------


@transaction.atomic
def amendment_apply(**kwargs) -> PlanAmendment:
    """See ``plans.services.amendment_apply``; then, in the same transaction, the alerts of the
    tasks it added or changed follow their new deadline (overdue, due soon), and the tasks it
    withdrew leave as ``task_withdraw`` has them leave: their alerts close and the parents left
    behind are recomputed without them."""
    plan_tasks = Task.objects.filter(plan=kwargs["plan"]).values_list("pk", flat=True)
    before = notify.task_states(plan_tasks)
    amendment = plans.amendment_apply(**kwargs)
    notify.tasks_changed(actor=kwargs["actor"], before=before, task_ids=plan_tasks.all())
    touched = {
        change["task"]
        for change in amendment.changes
        if change.get("kind") in ("added", "changed") and change.get("task")
    }
    withdrawn = [
        change["task"] for change in amendment.changes if change.get("kind") == "withdrawn"
    ]
    # Subtasks leave with their parent: every withdrawn task of the plan, not only those named.
    _close_alerts(
        tasks=Task.all_objects.filter(plan=amendment.plan, withdrawn_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    for parent in Task.objects.filter(
        pk__in=Task.all_objects.filter(pk__in=withdrawn).values("parent_id")
    ):
        task_refresh(parent)
        touched.add(parent.pk)
    for task in Task.objects.filter(pk__in=touched):
        evaluate_task(task)
    return amendment
