"""Raising and closing alerts (DESIGN.md §4), and telling the people who must act.

``evaluate_task`` and ``evaluate_indicator`` run after every report, review and value (called by
``reporting.services``); ``scan`` runs the same rules over whole wards or provinces for the
periodic job (``theodoi scan_alerts``), and ``send_digests`` mails each person what is new.

The rules themselves are pure (``alerts.rules``); this module only gathers their facts in batches,
so that a scan costs a few queries per few hundred tasks rather than several per task, and turns
findings into rows: a new finding opens an alert, a finding that still holds refreshes its
numbers, and an open alert without a finding is closed. Rows are never deleted.
"""

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import django_tasks
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import TaskResultStatus

from theodoi.alerts import rules
from theodoi.alerts.models import Alert, AlertDigest, AlertWatch, ScanRun, ScanState
from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record
from theodoi.core import background
from theodoi.core.access import (
    SYSTEM,
    Action,
    alert_digest_audience,
    alerts_concerning,
    person_of,
    require,
)
from theodoi.core.clock import today as clock_today
from theodoi.notifications.events import deadlines_near
from theodoi.notifications.services import send_daily_digests
from theodoi.org.models import Organization, User
from theodoi.plans.models import (
    Indicator,
    IndicatorMilestone,
    IndicatorValue,
    Plan,
    Task,
    TaskLeadUnit,
    WardAssignment,
)
from theodoi.reporting.models import EvidenceReview, ProgressReport, UpwardReport
from theodoi.reporting.upward import upper_plan, upward_cycle

logger = logging.getLogger(__name__)

# Tasks or indicators evaluated together: few enough to keep every "id IN (...)" list within
# SQLite's parameter limit and each transaction short, many enough to keep queries few.
BATCH_SIZE = 500

_TASK_FIELDS = (
    "id",
    "parent",
    "due_date",
    "start_date",
    "progress",
    "ward_assignment",
    "completed_on",
    "plan__id",
    "plan__status",
    "plan__organization",
    "plan__issued_on",
    "plan__period_start",
    "plan__created_at",
    "reporting_cycle",
    "plan__reporting_cycle",
    "plan__report_due_days",
)


@dataclass
class Counts:
    opened: int = 0
    updated: int = 0
    closed: int = 0

    def add(self, other: "Counts") -> None:
        self.opened += other.opened
        self.updated += other.updated
        self.closed += other.closed


@dataclass
class ScanResult:
    tasks: int = 0
    indicators: int = 0
    opened: int = 0
    updated: int = 0
    closed: int = 0
    still_open: int = 0
    seconds: float = 0.0
    # Whether every subject was evaluated (a full scan) rather than only what changed.
    full: bool = False

    def add(self, other: "ScanResult") -> None:
        self.tasks += other.tasks
        self.indicators += other.indicators
        self.opened += other.opened
        self.updated += other.updated
        self.closed += other.closed
        self.full = self.full and other.full

    def as_dict(self) -> dict[str, Any]:
        return {
            "tasks": self.tasks,
            "indicators": self.indicators,
            "opened": self.opened,
            "updated": self.updated,
            "closed": self.closed,
            "still_open": self.still_open,
            "seconds": round(self.seconds, 3),
            "full": self.full,
        }


@dataclass
class _Subject:
    """What the reconciliation needs of one task or indicator: its findings and who acts."""

    id: int
    organization_id: int
    unit_id: int | None
    findings: list[rules.Finding]
    alerts: list[Alert] = field(default_factory=list)  # open alerts after reconciliation
    # The first day after the evaluation on which the findings may change without new facts.
    next_check: datetime.date | None = None


def _due_soon_days() -> int:
    return int(getattr(settings, "THEODOI_DUE_SOON_DAYS", 14))


def _chunks(items: Sequence[Any], size: int = BATCH_SIZE) -> Iterable[Sequence[Any]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


# --- Facts ------------------------------------------------------------------------------------


def _first_lead_units(task_ids: Sequence[int]) -> dict[int, int]:
    # The order the plan names the units in: the first one leads.
    first: dict[int, int] = {}
    rows = TaskLeadUnit.objects.filter(task_id__in=task_ids).order_by("task_id", "order", "id")
    for task_id, unit_id in rows.values_list("task_id", "unit_id"):
        first.setdefault(task_id, unit_id)
    return first


def _evidence_facts(task_ids: Sequence[int]) -> dict[int, list[rules.EvidenceFacts]]:
    """The reviewed, not withdrawn evidence files of the tasks, each with its latest review."""
    latest: dict[int, tuple[Any, ...]] = {}
    rows = EvidenceReview.objects.filter(
        evidence__task_id__in=task_ids, evidence__withdrawn=False
    ).values_list(
        "evidence_id",
        "evidence__task_id",
        "evidence__original_name",
        "evidence__uploaded_at",
        "id",
        "decision",
        "reason",
        "reviewed_at",
        "reviewed_on",
        "evidence__replaces_id",
    )
    for row in rows:
        current = latest.get(row[0])
        if current is None or (row[7], row[4]) > (current[7], current[4]):
            latest[row[0]] = row
    facts: dict[int, list[rules.EvidenceFacts]] = defaultdict(list)
    for (
        evidence_id,
        task_id,
        name,
        uploaded_at,
        review_id,
        decision,
        reason,
        at,
        on,
        replaces,
    ) in latest.values():
        facts[task_id].append(
            rules.EvidenceFacts(
                id=evidence_id,
                name=name,
                uploaded_at=uploaded_at,
                decision=decision,
                reason=reason,
                reviewed_at=at,
                reviewed_on=on,
                review_id=review_id,
                replaces=replaces,
            )
        )
    return facts


def _task_subjects(tasks: Sequence[Task], *, today: datetime.date) -> list[_Subject]:
    """The findings of each task: five queries for the whole batch."""
    ids = [task.pk for task in tasks]
    leads = _first_lead_units(ids)
    parents = set(Task.objects.filter(parent_id__in=ids).values_list("parent_id", flat=True))
    reported: dict[int, set[str]] = defaultdict(set)
    reports = ProgressReport.objects.filter(task_id__in=ids).exclude(
        status=ProgressReport.Status.RETURNED
    )
    for task_id, period in reports.values_list("task_id", "period"):
        reported[task_id].add(period)
    evidence = _evidence_facts(ids)
    due_soon_days = _due_soon_days()
    subjects = []
    for task in tasks:
        plan = task.plan
        # A province task the wards carry out is led by them, and its progress is rolled up
        # from their tasks (as a parent's from its subtasks): no unit of the province reports.
        by_wards = task.ward_assignment != WardAssignment.OWN_UNITS
        findings: list[rules.Finding] = []
        next_check = None
        # Only active plans are tracked: a draft is still being prepared, a closed plan is over.
        if plan.status == Plan.Status.ACTIVE:
            facts = rules.TaskFacts(
                today=today,
                due=task.due_date,
                start=task.start,
                progress=task.progress,
                completed_on=task.completed_on,
                due_soon_days=due_soon_days,
                reporting_cycle=task.cycle,
                report_due_days=plan.report_due_days,
                reported_periods=frozenset(reported.get(task.pk, ())),
                evidence=tuple(evidence.get(task.pk, ())),
                has_subtasks=task.pk in parents or by_wards,
                has_lead_unit=task.pk in leads or by_wards,
            )
            findings = rules.task_findings(facts)
            next_check = rules.task_next_change(facts)
        subjects.append(
            _Subject(task.pk, plan.organization_id, leads.get(task.pk), findings, [], next_check)
        )
    return subjects


def _indicator_subjects(indicators: Sequence[Indicator], *, today: datetime.date) -> list[_Subject]:
    """The findings of each indicator: two queries for the whole batch."""
    ids = [indicator.pk for indicator in indicators]
    milestones: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, year, value in IndicatorMilestone.objects.filter(
        indicator_id__in=ids
    ).values_list("indicator_id", "year", "value"):
        milestones[indicator_id][year] = value
    values: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for indicator_id, period, value in IndicatorValue.objects.filter(
        indicator_id__in=ids
    ).values_list("indicator_id", "period", "value"):
        values[indicator_id].append((period, value))
    subjects = []
    for indicator in indicators:
        findings: list[rules.Finding] = []
        next_check = None
        if indicator.plan.status == Plan.Status.ACTIVE:
            facts = rules.IndicatorFacts(
                today=today,
                comparator=indicator.comparator,
                values=values.get(indicator.pk, []),
                milestones=milestones.get(indicator.pk, {}),
                target=indicator.target,
                target_year=indicator.target_year,
                unit_of_measure=indicator.unit_of_measure,
            )
            findings = rules.indicator_findings(facts)
            next_check = rules.indicator_next_change(facts)
        subjects.append(
            _Subject(
                indicator.pk,
                indicator.plan.organization_id,
                indicator.lead_unit_id,
                findings,
                [],
                next_check,
            )
        )
    return subjects


def _upward_subjects(plans: Sequence[Plan], *, today: datetime.date) -> list[_Subject]:
    """The periodic reports each ward plan owes the level above: two queries for the batch,
    one per reporting plan for its upper plan's due days.

    A plan owes them once it reports upward: it implements a plan of the level above held
    here, or the office has begun its reports (the province may run its own installation).
    A plan that has neither is not asked, so that a ward not yet linked to its province is
    not told every period of the year is late."""
    ids = [plan.pk for plan in plans]
    sent: dict[int, set[str]] = defaultdict(set)
    reporting: set[int] = set()
    for plan_id, period, status in UpwardReport.objects.filter(plan_id__in=ids).values_list(
        "plan_id", "period", "status"
    ):
        reporting.add(plan_id)
        if status in (UpwardReport.Status.SENT, UpwardReport.Status.ACCEPTED):
            sent[plan_id].add(period)
    links = Plan.parents.through.objects.filter(from_plan_id__in=ids).exclude(
        to_plan__organization=F("from_plan__organization")
    )
    reporting.update(links.values_list("from_plan_id", flat=True))
    due_soon_days = _due_soon_days()
    subjects = []
    for plan in plans:
        findings: list[rules.Finding] = []
        next_check = None
        if (
            plan.status == Plan.Status.ACTIVE
            and plan.organization.is_local
            and plan.pk in reporting
        ):
            facts = rules.UpwardFacts(
                today=today,
                start=plan.start,
                cycle=upward_cycle(plan),
                due_days=(upper_plan(plan) or plan).upward_report_due_days,
                sent_periods=frozenset(sent.get(plan.pk, ())),
                due_soon_days=due_soon_days,
            )
            findings = rules.upward_reports(facts)
            next_check = rules.upward_next_change(facts)
        subjects.append(_Subject(plan.pk, plan.organization_id, None, findings, [], next_check))
    return subjects


def _evaluate_upward(
    plans: Sequence[Plan], *, today: datetime.date, now: datetime.datetime
) -> tuple[list[_Subject], Counts]:
    subjects = _upward_subjects(plans, today=today)
    return subjects, _reconcile(subjects, subject_field="plan_id", now=now, today=today)


def evaluate_upward(plan: Plan) -> list[Alert]:
    """Bring the alert of ``plan``'s periodic reports to the level above up to date (after a
    report is sent, returned or accepted); returns its open alerts."""
    fresh = list(Plan.objects.filter(pk=plan.pk).select_related("organization"))
    subjects, _counts = _evaluate_upward(fresh, today=clock_today(), now=timezone.now())
    return subjects[0].alerts if subjects else []


# --- Reconciliation ---------------------------------------------------------------------------


_CHANGED_FIELDS = (
    "rule",
    "severity",
    "reasons",
    "numbers",
    "message",
    "unit",
    "organization",
    "raised_at",
    "acknowledged_by",
    "acknowledged_at",
    "acknowledgement_note",
    "snoozed_until",
)


def _write_changes(alerts: Sequence[Alert]) -> None:
    """Save the refreshed reasons, message and unit of open alerts in one executemany.

    Every new day changes the day counts of most open alerts (thousands in a province);
    ``bulk_update`` spends seconds building its CASE expressions in Python for that many rows,
    while one prepared UPDATE run for each row takes a fraction of it on SQLite and PostgreSQL.
    """
    meta = Alert._meta
    columns = [meta.get_field(name) for name in _CHANGED_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    rows = [
        [column.get_db_prep_save(getattr(alert, column.attname), connection) for column in columns]
        + [alert.pk]
        for alert in alerts
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _state(alert: Alert) -> tuple[Any, ...]:
    return (
        alert.rule,
        alert.severity,
        alert.reasons,
        alert.numbers,
        alert.message,
        alert.unit_id,
        alert.organization_id,
    )


def _watch(subjects: Sequence[_Subject], *, subject_field: str, today: datetime.date) -> None:
    """Record when each subject's findings may next change (``AlertWatch``): one read, one
    upsert of the watches that differ. A watch still valid today with the same next day is
    kept as it is (no new fact deleted it, so the findings held since its day), which leaves a
    full scan of unchanged subjects writing nothing."""
    field_name = subject_field.removesuffix("_id")
    wanted = {subject.id: subject.next_check for subject in subjects}
    kept = {
        subject_id
        for subject_id, checked_on, next_check in AlertWatch.objects.filter(
            **{f"{subject_field}__in": list(wanted)}
        ).values_list(subject_field, "checked_on", "next_check")
        if checked_on <= today and next_check == wanted[subject_id]
    }
    changed = [subject for subject in subjects if subject.id not in kept]
    if not changed:
        return
    AlertWatch.objects.bulk_create(
        [
            AlertWatch(
                checked_on=today, next_check=subject.next_check, **{subject_field: subject.id}
            )
            for subject in changed
        ],
        update_conflicts=True,
        unique_fields=[field_name],
        update_fields=["checked_on", "next_check"],
    )


def _reconcile(
    subjects: Sequence[_Subject],
    *,
    subject_field: str,
    now: datetime.datetime,
    today: datetime.date | None = None,
) -> Counts:
    """Open, refresh and close the alerts of ``subjects`` (tasks or indicators) so that each
    subject with a finding has exactly one open alert carrying all of them: three writes at
    most for the whole batch.

    An acknowledged or snoozed alert keeps that while its reasons do not get worse; a new
    reason (a rule, a missing period, a rejected file) clears both, so the alert asks for
    attention again."""
    by_id = {subject.id: subject for subject in subjects}
    existing: dict[int, Alert] = {}
    to_close: list[int] = []
    open_alerts = Alert.objects.filter(
        **{f"{subject_field}__in": list(by_id)}, closed_at__isnull=True
    ).order_by("opened_at", "id")
    for alert in open_alerts:
        key = getattr(alert, subject_field)
        if key in existing:
            # Two evaluations raced and both opened one: keep the older.
            to_close.append(alert.pk)
        else:
            existing[key] = alert
    new: list[Alert] = []
    changed: list[Alert] = []
    for subject in subjects:
        combined = rules.combine(subject.findings)
        if combined is None:
            continue
        alert = existing.pop(subject.id, None)
        if alert is None:
            alert = Alert(
                organization_id=subject.organization_id,
                rule=combined.rule.value,
                severity=combined.severity.value,
                reasons=combined.reasons,
                unit_id=subject.unit_id,
                numbers=combined.numbers,
                message=combined.message,
                raised_at=now,
                **{subject_field: subject.id},
            )
            new.append(alert)
        else:
            before = _state(alert)
            worse = rules.got_worse(alert.reasons or [], combined.reasons)
            alert.rule, alert.severity = combined.rule.value, combined.severity.value
            alert.reasons, alert.numbers = combined.reasons, combined.numbers
            alert.message = combined.message
            alert.unit_id, alert.organization_id = subject.unit_id, subject.organization_id
            if worse:
                alert.raised_at = now
                alert.acknowledged_by_id = alert.acknowledged_at = alert.snoozed_until = None
                alert.acknowledgement_note = ""
            if worse or _state(alert) != before:
                changed.append(alert)
        subject.alerts.append(alert)
    to_close.extend(alert.pk for alert in existing.values())
    if new:
        Alert.objects.bulk_create(new)
    if changed:
        _write_changes(changed)
    if to_close:
        Alert.objects.filter(pk__in=to_close).update(closed_at=now)
    if today is not None and subjects:
        _watch(subjects, subject_field=subject_field, today=today)
    return Counts(opened=len(new), updated=len(changed), closed=len(to_close))


def _evaluate_tasks(
    tasks: Sequence[Task], *, today: datetime.date, now: datetime.datetime
) -> tuple[list[_Subject], Counts]:
    subjects = _task_subjects(tasks, today=today)
    return subjects, _reconcile(subjects, subject_field="task_id", now=now, today=today)


def _evaluate_indicators(
    indicators: Sequence[Indicator], *, today: datetime.date, now: datetime.datetime
) -> tuple[list[_Subject], Counts]:
    subjects = _indicator_subjects(indicators, today=today)
    return subjects, _reconcile(subjects, subject_field="indicator_id", now=now, today=today)


def evaluate_task(task: Task) -> list[Alert]:
    """Bring the alerts of ``task`` and of the tasks above it up to date (a subtask's report
    changes its parent's rolled-up progress too). Returns the task's open alerts."""
    ids = [task.pk]
    parent_id = task.parent_id
    while parent_id is not None and parent_id not in ids:
        ids.append(parent_id)
        parent_id = Task.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    # Read again: the caller's instance may predate the refresh of progress and completion.
    fresh = list(Task.objects.filter(pk__in=ids).select_related("plan").only(*_TASK_FIELDS))
    subjects, _counts = _evaluate_tasks(fresh, today=clock_today(), now=timezone.now())
    return next((s.alerts for s in subjects if s.id == task.pk), [])


def evaluate_tasks(tasks: Iterable[Task]) -> Counts:
    """Bring the alerts of several tasks up to date at once (a bulk assignment changes lead
    units and deadlines, not progress, so the tasks above them need nothing)."""
    ids = [task.pk for task in tasks]
    fresh = list(
        Task.objects.filter(pk__in=ids).select_related("plan").only(*_TASK_FIELDS).order_by("id")
    )
    total = Counts()
    today, now = clock_today(), timezone.now()
    for batch in _chunks(fresh):
        total.add(_evaluate_tasks(batch, today=today, now=now)[1])
    return total


def evaluate_indicator(indicator: Indicator) -> list[Alert]:
    """Bring the alerts of ``indicator`` up to date; returns its open alerts."""
    fresh = list(Indicator.objects.filter(pk=indicator.pk).select_related("plan"))
    subjects, _counts = _evaluate_indicators(fresh, today=clock_today(), now=timezone.now())
    return subjects[0].alerts if subjects else []


# --- Acknowledging and snoozing ---------------------------------------------------------------


class AlertError(Exception):
    """An acknowledgement or snooze that cannot be recorded; the message says why."""


NOTE_MAX_LENGTH = 2000


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise AlertError(gettext("The note is too long."))
    return note


def _locked_open(alert: Alert) -> Alert:
    fresh = Alert.objects.select_for_update().filter(pk=alert.pk).first()
    if fresh is None or fresh.closed_at is not None:
        raise AlertError(gettext("This alert has closed: its reasons no longer hold."))
    return fresh


def alert_acknowledge(*, actor: Any, alert: Alert, note: str) -> Alert:
    """The standing office says it has seen the alert and what is being done (``note``). It
    stays acknowledged while its reasons do not get worse (``_reconcile``)."""
    require(actor, Action.MANAGE_ALERT, alert)
    note = _clean_note(note)
    if not note:
        raise AlertError(gettext("Write a note: what is being done about it."))
    with transaction.atomic():
        fresh = _locked_open(alert)
        before = _ack_state(fresh)
        fresh.acknowledged_by = person_of(actor)
        fresh.acknowledged_at = timezone.now()
        fresh.acknowledgement_note = note
        fresh.save(update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement_note"])
        audit_record(
            actor=actor,
            action=AuditAction.ALERT_ACKNOWLEDGE,
            obj=fresh,
            organization=fresh.organization,
            summary=f"Ghi nhận cảnh báo «{fresh.message}»: {note}",
            before=before,
            after=_ack_state(fresh),
        )
    return fresh


def alert_snooze(*, actor: Any, alert: Alert, until: datetime.date, note: str = "") -> Alert:
    """Hide the alert from the lists and digests until ``until`` (it shows again on that day);
    a snooze is an acknowledgement with a day, so it records who and why as well. A new reason
    brings it back before then."""
    require(actor, Action.MANAGE_ALERT, alert)
    note = _clean_note(note)
    today = clock_today()
    if until <= today:
        raise AlertError(gettext("Choose a day after today."))
    if until > today + datetime.timedelta(days=MAX_SNOOZE_DAYS):
        raise AlertError(
            gettext("An alert can be snoozed for %(days)s days at most.")
            % {"days": MAX_SNOOZE_DAYS}
        )
    with transaction.atomic():
        fresh = _locked_open(alert)
        before = _ack_state(fresh)
        fresh.acknowledged_by = person_of(actor)
        fresh.acknowledged_at = timezone.now()
        fresh.acknowledgement_note = note or fresh.acknowledgement_note
        fresh.snoozed_until = until
        fresh.save(
            update_fields=[
                "acknowledged_by",
                "acknowledged_at",
                "acknowledgement_note",
                "snoozed_until",
            ]
        )
        audit_record(
            actor=actor,
            action=AuditAction.ALERT_SNOOZE,
            obj=fresh,
            organization=fresh.organization,
            summary=(
                f"Tạm ẩn cảnh báo «{fresh.message}» đến ngày {until:%d/%m/%Y}"
                + (f": {note}" if note else ".")
            ),
            before=before,
            after=_ack_state(fresh),
        )
    return fresh


# A snooze is a pause, not a way to bury an alert: after three months it asks again.
MAX_SNOOZE_DAYS = 92


def _ack_state(alert: Alert) -> dict[str, Any]:
    return {
        "acknowledged_by": alert.acknowledged_by_id,
        "acknowledged_at": alert.acknowledged_at.isoformat() if alert.acknowledged_at else None,
        "note": alert.acknowledgement_note,
        "snoozed_until": alert.snoozed_until.isoformat() if alert.snoozed_until else None,
    }


# --- Scan -------------------------------------------------------------------------------------


class _Installation:
    """Stands for the whole installation as the object of a scan's audit event when no ward or
    province was named (the audit trail records a model and an id)."""

    class _meta:  # noqa: N801 - mimics a model's options for audit_record
        label_lower = "theodoi.installation"

    pk = "*"


def _scoped(queryset: QuerySet[Any], organization: Organization | None, path: str) -> QuerySet[Any]:
    if organization is None:
        return queryset
    return queryset.filter(**{f"{path}__path__startswith": organization.path})


def rules_version() -> str:
    """What the stored watches were computed with: the rules and the due-soon setting. When it
    changes, the next scan of each ward is a full one."""
    return f"{rules.RULES_VERSION}:{_due_soon_days()}"


def _fresh_watch(field_name: str, today: datetime.date) -> Exists:
    """A watch saying the subject's findings cannot have changed by ``today``."""
    return Exists(
        AlertWatch.objects.filter(**{field_name: OuterRef("pk")}, checked_on__lte=today).filter(
            Q(next_check__isnull=True) | Q(next_check__gt=today)
        )
    )


def _scan_organization(
    organization: Organization, *, today: datetime.date, now: datetime.datetime, full: bool
) -> ScanResult:
    """Scan the active plans of one ward, commune or province (not those below it), in one
    transaction holding its ``ScanState`` row: a second scan of it waits for this one, so the
    two never both open an alert. Incremental unless ``full``, the first scan, or the rules
    changed: only the subjects whose facts changed (their watch is gone) or whose next day of
    change has come are evaluated."""
    result = ScanResult()
    total = Counts()
    version = rules_version()
    ScanState.objects.get_or_create(organization=organization)
    with transaction.atomic():
        state = ScanState.objects.select_for_update().get(organization=organization)
        whole = (
            full
            or state.last_day is None
            or state.rules_version != version
            or today < state.last_day
        )
        active = {"plan__status": Plan.Status.ACTIVE, "plan__organization": organization}
        task_rows = Task.objects.filter(**active)
        indicator_rows = Indicator.objects.filter(**active)
        plan_rows = Plan.objects.filter(status=Plan.Status.ACTIVE, organization=organization)
        if not whole:
            task_rows = task_rows.filter(~_fresh_watch("task", today))
            indicator_rows = indicator_rows.filter(~_fresh_watch("indicator", today))
            plan_rows = plan_rows.filter(~_fresh_watch("plan", today))
        tasks = list(task_rows.select_related("plan").only(*_TASK_FIELDS).order_by("plan_id", "id"))
        for batch in _chunks(tasks):
            total.add(_evaluate_tasks(batch, today=today, now=now)[1])
        indicators = list(
            indicator_rows.select_related("plan")
            .only(
                "id",
                "comparator",
                "target",
                "target_year",
                "unit_of_measure",
                "lead_unit",
                "plan__id",
                "plan__status",
                "plan__organization",
            )
            .order_by("plan_id", "id")
        )
        for batch in _chunks(indicators):
            total.add(_evaluate_indicators(batch, today=today, now=now)[1])
        if organization.kind in (Organization.Kind.WARD, Organization.Kind.COMMUNE):
            plans = list(plan_rows.select_related("organization").order_by("id"))
            for batch in _chunks(plans):
                total.add(_evaluate_upward(batch, today=today, now=now)[1])
        state.last_day, state.rules_version, state.scanned_at = today, version, now
        state.save(update_fields=["last_day", "rules_version", "scanned_at"])
    result.tasks, result.indicators = len(tasks), len(indicators)
    result.opened, result.updated, result.closed = total.opened, total.updated, total.closed
    result.full = whole
    return result


def _organizations(organization: Organization | None) -> list[Organization]:
    """The wards, communes and provinces a scan of ``organization`` covers that have an active
    plan, in a fixed order."""
    rows = Organization.objects.filter(
        Exists(Plan.objects.filter(organization=OuterRef("pk"), status=Plan.Status.ACTIVE))
    )
    if organization is not None:
        rows = rows.filter(path__startswith=organization.path)
    return list(rows.order_by("path", "id"))


def _close_untracked(organization: Organization | None, *, now: datetime.datetime) -> int:
    """A plan that was closed or sent back to draft is no longer tracked: its alerts end."""
    untracked = _scoped(Alert.objects.filter(closed_at__isnull=True), organization, "organization")
    untracked = untracked.filter(
        (Q(task__isnull=False) & ~Q(task__plan__status=Plan.Status.ACTIVE))
        | (Q(indicator__isnull=False) & ~Q(indicator__plan__status=Plan.Status.ACTIVE))
        | (Q(plan__isnull=False) & ~Q(plan__status=Plan.Status.ACTIVE))
    )
    return untracked.update(closed_at=now)


def _record_scan(
    organization: Organization | None, result: ScanResult, *, started: float
) -> ScanResult:
    with transaction.atomic():
        result.still_open = _scoped(
            Alert.objects.filter(closed_at__isnull=True), organization, "organization"
        ).count()
        result.seconds = time.monotonic() - started
        audit_record(
            actor=SYSTEM,
            action=AuditAction.ALERTS_SCAN,
            obj=organization if organization is not None else _Installation(),
            organization=organization,
            summary=(
                f"Quét {result.tasks} nhiệm vụ, {result.indicators} chỉ tiêu: mở {result.opened}, "
                f"đóng {result.closed}, đang mở {result.still_open} cảnh báo."
            ),
            after=result.as_dict(),
        )
    return result


def scan(*, organization: Organization | None = None, full: bool = False) -> ScanResult:
    """Bring the alerts of the active plans of ``organization`` and below (or of the whole
    installation) up to date, close the alerts of plans no longer active, and record one audit
    event with the counts.

    Each ward, commune and province is scanned on its own (``_scan_organization``), and only
    what changed since its last scan or reached a day that changes a finding is evaluated;
    ``full`` evaluates everything (the same alerts, more work). ``tasks`` and ``indicators``
    count those evaluated."""
    started = time.monotonic()
    today, now = clock_today(), timezone.now()
    result = ScanResult(full=True)
    for place in _organizations(organization):
        result.add(_scan_organization(place, today=today, now=now, full=full))
    result.closed += _close_untracked(organization, now=now)
    return _record_scan(organization, result, started=started)


# --- A scan split into one job per ward -------------------------------------------------------


def scan_queued(
    *, organization: Organization | None = None, full: bool = False, send_email: bool = True
) -> ScanRun:
    """Queue one background job per ward, commune or province (``scan_ward_job``), so that
    several workers share a province's scan; the last job to finish closes the alerts of
    plans no longer active and sends the reminders and digests (``finish_scan``)."""
    places = _organizations(organization)
    with transaction.atomic():
        run = ScanRun.objects.create(
            organization=organization, pending=len(places), full=full, send_digests=send_email
        )
        for place in places:
            background.enqueue(scan_ward_job, run_id=run.pk, organization_id=place.pk)
    if not places:
        _finish_run(run.pk)
    return run


def scan_ward(*, run_id: int, organization_id: int) -> dict[str, Any]:
    """One job of a split scan: scan one ward, add its counts to the run, and finish the run
    when it is the last."""
    run = ScanRun.objects.get(pk=run_id)
    place = Organization.objects.get(pk=organization_id)
    counts = _scan_organization(place, today=clock_today(), now=timezone.now(), full=run.full)
    with transaction.atomic():
        run = ScanRun.objects.select_for_update().get(pk=run_id)
        totals = ScanResult(**{k: v for k, v in run.totals.items() if k in _SUMMED})
        totals.full = run.full
        totals.add(counts)
        run.totals = totals.as_dict()
        run.pending = max(run.pending - 1, 0)
        last = run.pending == 0
        run.save(update_fields=["totals", "pending"])
    if last:
        _finish_run(run_id)
    return counts.as_dict()


_SUMMED = ("tasks", "indicators", "opened", "updated", "closed")


def _finish_run(run_id: int) -> None:
    with transaction.atomic():
        run = ScanRun.objects.select_for_update().get(pk=run_id)
        if run.finished_at is not None:
            return
        result = ScanResult(**{k: v for k, v in run.totals.items() if k in _SUMMED})
        result.full = run.full
        result.closed += _close_untracked(run.organization, now=timezone.now())
        result.seconds = (timezone.now() - run.started_at).total_seconds()
        _record_scan(run.organization, result, started=time.monotonic() - result.seconds)
        run.finished_at = timezone.now()
        run.totals = result.as_dict()
        run.save(update_fields=["finished_at", "totals"])
    if run.send_digests:
        after_scan(organization=run.organization)


def after_scan(*, organization: Organization | None = None) -> dict[str, int]:
    """What follows a scan once every ward is done: deadline reminders, the notification
    digests and the alert digests. Returns their counts."""
    return {
        "deadlines": deadlines_near(organization=organization),
        "notification_digests": send_daily_digests(organization=organization),
        "alert_digests": send_digests(organization=organization),
    }


@django_tasks.task()
def scan_ward_job(*, run_id: int, organization_id: int) -> dict[str, Any]:
    """The background task (``theodoi worker``): one ward's part of a split scan."""
    return scan_ward(run_id=run_id, organization_id=organization_id)


# --- Digests ----------------------------------------------------------------------------------


def _link(alert: Alert) -> str:
    if alert.task_id is not None:
        path = reverse("task_detail", args=[alert.task_id])
    elif alert.indicator is not None:
        path = reverse("plan_detail", args=[alert.indicator.plan_id])
    elif alert.plan_id is not None:
        path = reverse("upward_list", args=[alert.plan_id])
    else:
        path = "/"
    # An absolute address needs the site's public URL, which only the operator knows.
    base = str(getattr(settings, "THEODOI_SITE_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def _subject_line(alert: Alert) -> str:
    if alert.task is not None:
        return (
            (
                gettext("Task %(code)s: %(title)s")
                % {"code": alert.task.code, "title": alert.task.title}
            )
            .replace(" :", ":")
            .strip()
        )
    if alert.indicator is not None:
        code = f" {alert.indicator.code}" if alert.indicator.code else ""
        return gettext("Indicator%(code)s: %(name)s") % {"code": code, "name": alert.indicator.name}
    if alert.plan is not None:
        return gettext("Periodic reports of plan %(name)s") % {"name": alert.plan.short_name}
    return ""


def digest_message(user: User, alerts: Sequence[Alert]) -> tuple[str, str]:
    """The subject and body of one person's digest, in the site's language: nobody has a
    language of their own, and the page language of whoever triggered the scan says nothing
    about the reader's."""
    with translation.override(settings.LANGUAGE_CODE):
        return _digest_text(user, alerts)


def _digest_text(user: User, alerts: Sequence[Alert]) -> tuple[str, str]:
    count = len(alerts)
    wards = sorted({alert.organization.name for alert in alerts})
    where = f" – {wards[0]}" if len(wards) == 1 else ""
    subject = gettext("[Resolution 57 tracking] %(count)s new alert(s)%(where)s") % {
        "count": count,
        "where": where,
    }
    name = user.get_full_name() or user.username
    lines = [
        gettext("Dear %(name)s,") % {"name": name},
        "",
        gettext(
            "The Resolution 57-NQ/TW tracking system has %(count)s new alert(s) that need "
            "your attention:"
        )
        % {"count": count},
        "",
    ]
    # Grouped as the alert page groups them: by the unit that must act, then one line per task
    # or indicator with all its reasons, the most urgent first.
    groups: dict[tuple[str, str], list[Alert]] = defaultdict(list)
    for alert in alerts:
        if alert.unit is not None:
            unit = alert.unit.name
        elif alert.plan_id is not None:
            unit = gettext("Standing office")
        else:
            unit = gettext("No lead unit")
        ward = alert.organization.name if len(wards) > 1 else ""
        groups[(ward, unit)].append(alert)
    number = 0
    for (ward, unit), members in sorted(groups.items()):
        heading = f"{ward} – {unit}" if ward else unit
        lines.append(
            gettext("%(unit)s: %(count)s task(s) need action")
            % {"unit": heading, "count": len(members)}
        )
        lines.append("")
        for alert in sorted(members, key=lambda item: (_urgency(item.rule), item.opened_at)):
            number += 1
            with translation.override(settings.LANGUAGE_CODE):  # the digest's language
                label = alert.get_rule_display()
            lines.append(f"{number}. {label} – {_subject_line(alert)}")
            # The days late or left as of the day the digest is written, not stored.
            lines.append(f"   {alert.text}")
            for text in alert.reason_texts:
                lines.append(f"   - {text}")
            lines.append(gettext("   Details: %(link)s") % {"link": _link(alert)})
            lines.append("")
    lines.append(gettext("This message was sent automatically by the system; no need to reply."))
    return subject, "\n".join(lines)


def _urgency(rule: str) -> int:
    order = [item.value for item in rules.URGENCY]
    return order.index(rule) if rule in order else len(order)


def _digest_candidates(
    organization: Organization | None, *, now: datetime.datetime
) -> QuerySet[Alert]:
    """The open alerts a digest may tell of: neither acknowledged (the office is on it) nor
    snoozed."""
    return _scoped(
        Alert.objects.filter(
            closed_at__isnull=True, raised_at__lte=now, acknowledged_at__isnull=True
        ).filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=clock_today())),
        organization,
        "organization",
    )


def _last_told(user_ids: Sequence[int], alert_ids: Any) -> dict[tuple[int, int], Any]:
    """When each person was last mailed each alert."""
    through = AlertDigest.alerts.through
    return {
        (user_id, alert_id): last
        for user_id, alert_id, last in through.objects.filter(
            alertdigest__user_id__in=user_ids, alert_id__in=alert_ids
        )
        .values("alertdigest__user_id", "alert_id")
        .annotate(last=Max("alertdigest__sent_at"))
        .values_list("alertdigest__user_id", "alert_id", "last")
    }


def send_digests(
    *, now: datetime.datetime | None = None, organization: Organization | None = None
) -> int:
    """Mail each person the open alerts that concern them and that no earlier digest told them
    of (or that got a new reason since); returns the number of emails sent or queued. Nobody
    gets an empty email or the same alert twice unless it got worse. Acknowledged and snoozed
    alerts are not mailed. The mails go through the background worker (``send_alert_digest``):
    this decides who receives what, the worker sends.

    Whom an alert concerns is ``core.access``'s rule, the one the alert page uses: the unit
    officers and heads of every unit leading its task (not only the one that must act) or its
    indicator, and the standing office and the leaders of its ward. People without an email
    address are skipped.
    """
    now = now or timezone.now()
    alerts_qs = _digest_candidates(organization, now=now)
    alerts = {
        alert.pk: alert
        for alert in alerts_qs.select_related("task", "indicator", "plan", "unit", "organization")
    }
    if not alerts:
        return 0
    people = list(
        User.objects.filter(alert_digest_audience())
        .exclude(email="")
        .filter(organization_id__in=alerts_qs.values("organization_id"))
        .select_related("organization")
        .order_by("id")
    )
    person_ids = [person.pk for person in people]
    last_sent = dict(
        AlertDigest.objects.filter(user_id__in=person_ids)
        .values("user_id")
        .annotate(last=Max("sent_at"))
        .values_list("user_id", "last")
    )
    told = _last_told(person_ids, alerts_qs.values("id"))
    sent = 0
    for person in people:
        concerning = alerts_concerning(person, alerts_qs).order_by(
            "organization_id", "opened_at", "id"
        )
        candidates = [alerts[pk] for pk in concerning.values_list("pk", flat=True)]
        since = last_sent.get(person.pk)
        fresh = [
            alert
            for alert in candidates
            if _untold(alert, told.get((person.pk, alert.pk)))
            and (since is None or alert.raised_at > since)
        ]
        if not fresh:
            continue
        if _queue_digest(person, fresh, now=now):
            sent += 1
    return sent


def _untold(alert: Alert, last_told: datetime.datetime | None) -> bool:
    """Never mailed to the person, or raised again (a new reason) since they were told."""
    return last_told is None or alert.raised_at > last_told


def _queue_digest(person: User, alerts: Sequence[Alert], *, now: datetime.datetime) -> bool:
    """Hand one person's digest to the background worker; False when it was not queued, or
    (with a worker that runs on the spot) when it was not sent."""
    failed: list[Exception] = []
    result = background.enqueue(
        send_alert_digest,
        on_failure=failed.append,
        user_id=person.pk,
        alert_ids=[alert.pk for alert in alerts],
        sent_at=now.isoformat(),
    )
    if failed:
        return False
    if result is None:  # sent to the queue when the caller's transaction commits
        return True
    if result.status == TaskResultStatus.FAILED:
        return False
    return result.status != TaskResultStatus.SUCCESSFUL or bool(result.return_value)


def deliver_digest(*, user_id: int, alert_ids: Sequence[int], sent_at: datetime.datetime) -> bool:
    """Mail one person the digest of ``alert_ids`` (the background task's work); returns
    whether a mail went out.

    Checked again here, as the queue may hold the digest a while: alerts closed, acknowledged
    or snoozed meanwhile, or already told to this person by another digest, are left out, and
    nothing is sent when none remain. The person's row is locked, so two workers never mail
    the same alerts twice (unless one got worse in between).
    Raises when the mail fails: nothing is recorded then, and the next scan queues it again."""
    with transaction.atomic():
        person = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if person is None or not person.email:
            return False
        through = AlertDigest.alerts.through
        told = _last_told([user_id], alert_ids)
        fresh = [
            alert
            for alert in Alert.objects.filter(
                pk__in=alert_ids, closed_at__isnull=True, acknowledged_at__isnull=True
            )
            .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=clock_today()))
            .select_related("task", "indicator", "plan", "unit", "organization")
            .order_by("organization_id", "opened_at", "id")
            if _untold(alert, told.get((user_id, alert.pk)))
        ]
        if not fresh:
            return False
        subject, body = digest_message(person, fresh)
        try:
            # Recorded first and rolled back if the mail fails, so a failed send is retried
            # by the next run and a sent one is never repeated.
            digest = AlertDigest.objects.create(
                user=person, email=person.email, subject=subject, sent_at=sent_at
            )
            through.objects.bulk_create(
                [through(alertdigest_id=digest.pk, alert_id=alert.pk) for alert in fresh]
            )
            EmailMessage(subject, body, to=[person.email], connection=get_connection()).send()
        except Exception:
            logger.exception("alert digest to %s failed; it will be retried", person.email)
            raise
    return True


@django_tasks.task()
def send_alert_digest(*, user_id: int, alert_ids: list[int], sent_at: str) -> bool:
    """The background task (``theodoi worker``): one person's digest, queued by the scan."""
    return deliver_digest(
        user_id=user_id, alert_ids=alert_ids, sent_at=datetime.datetime.fromisoformat(sent_at)
    )
