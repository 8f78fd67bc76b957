"""The history of a task in one list, newest first: what the audit trail recorded about the
task, its reports, evidence, reviews, directives and alerts, and what happened without a
record of its own (an alert the scan opened or closed, work saved before the trail was kept).

A weekly task gathers hundreds of entries in two years: the page reads and shows the newest
few, and the whole history only when asked."""

import datetime
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from theodoi.audit.actions import AuditAction, action_label
from theodoi.audit.models import AuditEvent
from theodoi.org.models import User
from theodoi.plans.periods import label_of
from theodoi.reporting.models import ProgressReport

# Shown on the task page before "show all".
PAGE = 20

_SUBMITTED_BY = ProgressReport.submitted_by.field
_REVIEWED_BY = ProgressReport.reviewed_by.field

# Reading a file or exporting is an access, not something that happened to the task.
_ACCESSES = [AuditAction.EVIDENCE_DOWNLOAD.value, AuditAction.REPORT_EXPORT.value]

_TASK, _REPORT, _EVIDENCE, _REVIEW, _DIRECTIVE, _ALERT = (
    "plans.task",
    "reporting.progressreport",
    "reporting.evidence",
    "reporting.evidencereview",
    "reporting.directive",
    "alerts.alert",
)


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    actor: Any  # the person, or None for the system
    text: str
    detail: str = ""
    tone: str = ""  # "danger" for what asks someone to act again


@dataclass(frozen=True)
class History:
    entries: list[Entry]
    total: int
    # Each report's sendings (``sendings``), read with the history at no extra query.
    sendings: dict[int, "Sending"] = field(default_factory=dict)

    @property
    def more(self) -> int:
        return self.total - len(self.entries)


@dataclass(frozen=True)
class Sending:
    """How a report was sent: first, and its last correction or resending (None: sent once)."""

    first_at: datetime.datetime
    last_at: datetime.datetime | None = None
    resent: bool = False  # the last sending followed a return


def submit_kind(previous_status: str | None) -> str:
    """What a submission was, from the report's status just before it: the first sending, a
    correction while the office had not decided, or a sending again after a return."""
    if previous_status is None:
        return "sent"
    if previous_status == "returned":
        return "resent"
    return "corrected"


def _events(task, reports, evidence, directives, alerts):
    report_ids = [str(r.pk) for r in reports]
    evidence_ids = [str(e.pk) for e in evidence]
    review_ids = [str(review.pk) for e in evidence for review in e.reviews.all()]
    return (
        AuditEvent.objects.filter(
            Q(object_type=_TASK, object_id=str(task.pk))
            | Q(object_type=_REPORT, object_id__in=report_ids)
            | Q(object_type=_EVIDENCE, object_id__in=evidence_ids)
            | Q(object_type=_REVIEW, object_id__in=review_ids)
            | Q(object_type=_DIRECTIVE, object_id__in=[str(d.pk) for d in directives])
            | Q(object_type=_ALERT, object_id__in=[str(a.pk) for a in alerts])
        )
        .exclude(action__in=_ACCESSES)
        .order_by()
    )


def with_sendings(reports: QuerySet) -> QuerySet:
    """``reports`` with their first and last submission read in the same query (a page of a
    task's reports): ``sendings_of`` tells them."""
    submits = AuditEvent.objects.filter(
        object_type=_REPORT,
        object_id=Cast(OuterRef("pk"), CharField()),
        action=AuditAction.REPORT_SUBMIT.value,
    )
    first = submits.order_by("at", "id")
    last = submits.order_by("-at", "-id")
    return reports.annotate(
        first_submit=Subquery(first.values("id")[:1]),
        first_submit_at=Subquery(first.values("at")[:1]),
        last_submit=Subquery(last.values("id")[:1]),
        last_submit_at=Subquery(last.values("at")[:1]),
        last_submit_previous=Subquery(
            last.annotate(previous=KeyTextTransform("status", "before")).values("previous")[:1]
        ),
    )


def sendings_of(reports) -> dict[int, Sending]:
    """Each report's sendings as the audit trail recorded them, from ``with_sendings``."""
    found: dict[int, Sending] = {}
    for report in reports:
        if report.first_submit is None:
            continue
        if report.first_submit == report.last_submit:
            found[report.pk] = Sending(first_at=report.first_submit_at)
        else:
            found[report.pk] = Sending(
                first_at=report.first_submit_at,
                last_at=report.last_submit_at,
                resent=submit_kind(report.last_submit_previous) == "resent",
            )
    return found


def _sendings(rows) -> dict[int, Sending]:
    """Each report's sendings from its submissions in the audit trail (object id, time,
    status before), in the order they were made."""
    found: dict[int, Sending] = {}
    for object_id, at, previous in rows:
        pk = int(object_id)
        if pk not in found:
            found[pk] = Sending(first_at=at)
        else:
            found[pk] = Sending(
                first_at=found[pk].first_at, last_at=at, resent=submit_kind(previous) == "resent"
            )
    return found


def _report_text(kind: str, period: str, percent: Any) -> str:
    values = {"period": label_of(period), "percent": percent}
    if kind == "resent":
        return _("Report for %(period)s sent again after it was returned: %(percent)s%%") % values
    if kind == "corrected":
        return _("Report for %(period)s corrected: %(percent)s%%") % values
    return _("Report for %(period)s sent: %(percent)s%%") % values


def _from_audit(event, reports_by_id: dict[str, Any], actor) -> Entry:
    action = event.action
    report = reports_by_id.get(event.object_id) if event.object_type == _REPORT else None
    if report is not None and action == AuditAction.REPORT_SUBMIT.value:
        text = _report_text(submit_kind(event.previous), report.period, event.percent)
        return Entry(event.at, actor, text)
    if report is not None and action in (
        AuditAction.REPORT_RETURNED.value,
        AuditAction.REPORT_ACCEPTED.value,
        AuditAction.REPORT_CONFIRM.value,
    ):
        returned = action == AuditAction.REPORT_RETURNED.value
        text = f"{action_label(action)}: {label_of(report.period)}"
        return Entry(event.at, actor, text, event.reason or "", "danger" if returned else "")
    tone = "danger" if action == AuditAction.EVIDENCE_REJECTED.value else ""
    return Entry(event.at, actor, action_label(action), event.summary, tone)


def _derived(reports, evidence, directives, alerts, recorded: set[tuple[str, str]]) -> list:
    """What has no audit record: alerts (the scan keeps no record per alert) and work saved
    before the trail kept one, as its own rows tell it.

    Each as (when, how to make its entry): a weekly task has hundreds of them and the page
    shows twenty, so only the entries shown are written out (their texts are translated)."""
    found: list[tuple[datetime.datetime, Any]] = []
    for report in reports:
        if (_REPORT, str(report.pk)) in recorded:
            continue
        if report.submitted_at:
            found.append((report.submitted_at, partial(_report_sent, report)))
        if report.reviewed_at:
            found.append((report.reviewed_at, partial(_report_reviewed, report)))
    for item in evidence:
        if (_EVIDENCE, str(item.pk)) not in recorded and item.uploaded_at:
            found.append((item.uploaded_at, partial(_evidence_uploaded, item)))
        for review in item.reviews.all():
            if (_REVIEW, str(review.pk)) in recorded or not review.reviewed_at:
                continue
            found.append((review.reviewed_at, partial(_evidence_reviewed, item, review)))
    for directive in directives:
        if (_DIRECTIVE, str(directive.pk)) in recorded:
            continue
        found.append((directive.created_at, partial(_directive_created, directive)))
        if directive.answered_at:
            found.append((directive.answered_at, partial(_directive_answered, directive)))
    for alert in alerts:
        if alert.opened_at:
            found.append((alert.opened_at, partial(_alert_opened, alert)))
        if alert.closed_at:
            found.append((alert.closed_at, partial(_alert_closed, alert)))
    return found


def _report_sent(report) -> Entry:
    text = _report_text("sent", report.period, report.percent)
    return Entry(report.submitted_at, report.submitted_by, text)


def _report_reviewed(report) -> Entry:
    text = f"{report.get_status_display()}: {label_of(report.period)}"
    tone = "danger" if report.status == "returned" else ""
    return Entry(report.reviewed_at, report.reviewed_by, text, report.return_reason, tone)


def _evidence_uploaded(item) -> Entry:
    label = action_label(AuditAction.EVIDENCE_UPLOAD.value)
    return Entry(item.uploaded_at, item.uploaded_by, label, item.original_name)


def _evidence_reviewed(item, review) -> Entry:
    tone = "danger" if review.decision == "rejected" else ""
    text = f"{review.get_decision_display()}: {item.original_name}"
    return Entry(review.reviewed_at, review.reviewer, text, review.reason, tone)


def _directive_created(directive) -> Entry:
    label = action_label(AuditAction.DIRECTIVE_CREATE.value)
    return Entry(directive.created_at, directive.author, label, directive.text)


def _directive_answered(directive) -> Entry:
    label = action_label(AuditAction.DIRECTIVE_ANSWER.value)
    return Entry(directive.answered_at, directive.answered_by, label, directive.answer)


def _alert_opened(alert) -> Entry:
    text = _("Alert: %(rule)s") % {"rule": alert.get_rule_display()}
    return Entry(alert.opened_at, None, text, alert.message, "danger")


def _alert_closed(alert) -> Entry:
    text = _("Alert closed: %(rule)s") % {"rule": alert.get_rule_display()}
    return Entry(alert.closed_at, None, text)


def _people(reports, events) -> dict[int, User]:
    """The people the entries name, in one query: the actors of ``events`` and the people who
    sent and reviewed ``reports`` (a handful, each of whom would otherwise be read once per
    report), set on the reports."""
    ids = {event.actor_id for event in events}
    for report in reports:
        ids.update((report.submitted_by_id, report.reviewed_by_id))
    ids.discard(None)
    people = User.objects.in_bulk(ids) if ids else {}
    for report in reports:
        _SUBMITTED_BY.set_cached_value(report, people.get(report.submitted_by_id))
        _REVIEWED_BY.set_cached_value(report, people.get(report.reviewed_by_id))
    return people


def task_history(
    task, *, reports, evidence, directives, alerts, limit: int | None = PAGE
) -> History:
    """The task's history, newest first: the newest ``limit`` entries (all with None) and how
    many there are in all; with the sendings of the task's reports. ``reports`` need only the
    fields of the history (their people are read here)."""
    # Every event of the trail in one query, as plain rows: which records it speaks of, how
    # many entries it holds, the reports' sendings and the newest entries.
    trail = list(
        _events(task, reports, evidence, directives, alerts)
        .annotate(
            previous=KeyTextTransform("status", "before"),
            percent=KeyTextTransform("percent", "after"),
            reason=KeyTextTransform("return_reason", "after"),
        )
        .order_by("at", "id")
        .values_list(
            "at",
            "actor_id",
            "action",
            "object_type",
            "object_id",
            "summary",
            "previous",
            "percent",
            "reason",
            named=True,
        )
    )
    recorded = {(event.object_type, event.object_id) for event in trail}
    found = _sendings(
        (event.object_id, event.at, event.previous)
        for event in trail
        if event.object_type == _REPORT and event.action == AuditAction.REPORT_SUBMIT.value
    )
    derived = _derived(reports, evidence, directives, alerts, recorded)
    # The newest ``limit`` events, newest first.
    newest = (trail if limit is None else trail[max(len(trail) - limit, 0) :])[::-1]
    people = _people(reports, newest)
    reports_by_id = {str(r.pk): r for r in reports}
    entries = [_from_audit(event, reports_by_id, people.get(event.actor_id)) for event in newest]
    # The newest derived entries only: older ones cannot be among the newest ``limit`` of all.
    # A stable sort keeps the order of equal times as the full list had it.
    derived.sort(key=lambda pair: pair[0], reverse=True)
    shown = derived if limit is None else derived[:limit]
    entries = sorted(entries + [make() for _at, make in shown], key=lambda e: e.at, reverse=True)
    return History(
        entries=entries if limit is None else entries[:limit],
        total=len(derived) + len(trail),
        sendings=found,
    )
