"""The events a person must act on, turned into notifications for the right people.

Called by ``tracking.services`` inside the transaction of the write (a review, a returned
report, a directive, an edited task), and by the periodic pass for deadlines near. Who is told:
a unit's people are its unit officers and unit heads.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from theodoi.core.access import Actor, upward_receivers, ward_office_people
from theodoi.core.access import unit_people as unit_people_filter
from theodoi.core.clock import today as clock_today
from theodoi.notifications.models import Kind
from theodoi.notifications.services import notify
from theodoi.org.models import Organization, User
from theodoi.plans.models import Task, TaskLeadUnit
from theodoi.plans.periods import label_of
from theodoi.reporting.models import (
    Directive,
    Evidence,
    EvidenceReview,
    ProgressReport,
    UpwardReport,
)

# Days before a deadline at which the lead units are reminded, each once.
DEADLINE_THRESHOLDS = (7, 1)

# A task's state that decides who must hear of a change: its lead units and its due date.
TaskState = tuple[frozenset[int], datetime.date | None]


def unit_people(unit_ids: Iterable[int]) -> list[User]:
    ids = [pk for pk in unit_ids if pk]
    if not ids:
        return []
    return list(User.objects.filter(unit_people_filter(ids)).order_by("id"))


def _lead_unit_ids(task: Task) -> list[int]:
    return list(TaskLeadUnit.objects.filter(task=task).values_list("unit_id", flat=True))


def _short(text: str, size: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _link(obj: object) -> str:
    get_url = getattr(obj, "get_absolute_url", None)
    return get_url() if get_url is not None else ""


def evidence_rejected(*, actor: Actor, evidence: Evidence, review: EvidenceReview) -> None:
    """The uploader and the people of the units leading the file's task (or indicator)."""
    if review.decision != EvidenceReview.Decision.REJECTED:
        return
    subject = evidence.subject
    if evidence.task_id is not None:
        units = _lead_unit_ids(evidence.task)
    else:
        units = [getattr(subject, "lead_unit_id", None) or 0]
    people = unit_people(units)
    if evidence.uploaded_by is not None:
        people.append(evidence.uploaded_by)
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            people,
            kind=Kind.EVIDENCE_REJECTED,
            title=gettext("Evidence rejected: %(name)s") % {"name": _short(evidence.original_name)},
            body=gettext("%(subject)s. Reason: %(reason)s")
            % {"subject": _short(str(subject)), "reason": review.reason},
            link=_link(subject),
            key=f"review:{review.pk}",
            exclude=actor,
        )


def report_returned(*, actor: Actor, report: ProgressReport) -> None:
    """The people of the unit that reported."""
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            unit_people([report.unit_id or 0]),
            kind=Kind.REPORT_RETURNED,
            title=gettext("Report returned: %(task)s (%(period)s)")
            % {"task": _short(str(report.task)), "period": label_of(report.period)},
            body=gettext("Reason: %(reason)s") % {"reason": report.return_reason},
            link=_link(report.task),
            key=f"report:{report.pk}:v{report.version}",
            exclude=actor,
        )


def directive_received(*, actor: Actor, directive: Directive) -> None:
    """The people of the units leading the task."""
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            unit_people(_lead_unit_ids(directive.task)),
            kind=Kind.DIRECTIVE_RECEIVED,
            title=gettext("New directive: %(task)s") % {"task": _short(str(directive.task))},
            body=directive.text,
            link=_link(directive.task),
            key=f"directive:{directive.pk}",
            exclude=actor,
        )


def directive_answered(*, actor: Actor, directive: Directive) -> None:
    """The directive's author."""
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            [directive.author] if directive.author is not None else [],
            kind=Kind.DIRECTIVE_ANSWERED,
            title=gettext("Directive answered: %(task)s") % {"task": _short(str(directive.task))},
            body=directive.answer,
            link=_link(directive.task),
            key=f"directive:{directive.pk}:{directive.answered_at:%Y%m%d%H%M%S%f}",
            exclude=actor,
        )


def task_states(task_ids: Iterable[int]) -> dict[int, TaskState]:
    """The lead units and due date of each task, to compare with after an edit."""
    ids = list(task_ids)
    units: dict[int, set[int]] = defaultdict(set)
    for task_id, unit_id in TaskLeadUnit.objects.filter(task_id__in=ids).values_list(
        "task_id", "unit_id"
    ):
        units[task_id].add(unit_id)
    return {
        pk: (frozenset(units[pk]), due)
        for pk, due in Task.all_objects.filter(pk__in=ids).values_list("pk", "due_date")
    }


def tasks_changed(
    *, actor: Actor, before: Mapping[int, TaskState], task_ids: Iterable[int] | None = None
) -> None:
    """Tell the units newly leading a task that it is theirs, and the lead units of a task whose
    due date moved. ``task_ids`` defaults to the tasks of ``before``; a task not in ``before``
    is new."""
    ids = list(before if task_ids is None else task_ids)
    after = task_states(ids)
    tasks = {t.pk: t for t in Task.objects.filter(pk__in=list(after))}
    with translation.override(settings.LANGUAGE_CODE):
        for pk, (units, due) in after.items():
            task = tasks.get(pk)
            if task is None:  # withdrawn
                continue
            old_units, old_due = before.get(pk, (frozenset(), due))
            new_units = units - old_units
            if new_units:
                notify(
                    unit_people(new_units),
                    kind=Kind.TASK_ASSIGNED,
                    title=gettext("Task assigned to your unit: %(task)s")
                    % {"task": _short(str(task))},
                    body=_due_text(due),
                    link=_link(task),
                    key=f"task:{pk}:units:{','.join(map(str, sorted(units)))}",
                    exclude=actor,
                )
            if due != old_due:
                notify(
                    unit_people(units - new_units),
                    kind=Kind.DEADLINE_CHANGED,
                    title=gettext("Deadline changed: %(task)s") % {"task": _short(str(task))},
                    body=_due_text(due),
                    link=_link(task),
                    key=f"task:{pk}:due:{due}",
                    exclude=actor,
                )


def _due_text(due: datetime.date | None) -> str:
    if due is None:
        return gettext("No due date.")
    return gettext("Due %(date)s.") % {"date": date_format(due, "d/m/Y")}


def deadlines_near(
    *, today: datetime.date | None = None, organization: Organization | None = None
) -> int:
    """Remind the lead units of every task not complete whose due date is 7 days away or less,
    and again at 1 day: once per threshold and due date. ``organization``: only the tasks of
    that ward, or of the wards of that province. Returns the notifications made."""
    today = today or clock_today()
    horizon = today + datetime.timedelta(days=max(DEADLINE_THRESHOLDS))
    candidates = Task.objects.filter(
        completed_on__isnull=True, due_date__gte=today, due_date__lte=horizon
    )
    if organization is not None:
        candidates = candidates.filter(
            Q(plan__organization=organization) | Q(plan__organization__parent=organization)
        )
    tasks = list(candidates.order_by("due_date", "id"))
    units: dict[int, list[int]] = defaultdict(list)
    for task_id, unit_id in TaskLeadUnit.objects.filter(
        task_id__in=[t.pk for t in tasks]
    ).values_list("task_id", "unit_id"):
        units[task_id].append(unit_id)
    people_by_unit: dict[int, list[User]] = defaultdict(list)
    for person in unit_people({u for ids in units.values() for u in ids}):
        people_by_unit[person.unit_id].append(person)
    made = 0
    with translation.override(settings.LANGUAGE_CODE):
        for task in tasks:
            assert task.due_date is not None
            days = (task.due_date - today).days
            threshold = min(t for t in DEADLINE_THRESHOLDS if days <= t)
            people = [p for unit_id in units[task.pk] for p in people_by_unit[unit_id]]
            made += len(
                notify(
                    people,
                    kind=Kind.DEADLINE_NEAR,
                    title=gettext("Deadline in %(days)s day(s): %(task)s")
                    % {"days": days, "task": _short(str(task))},
                    body=_due_text(task.due_date),
                    link=_link(task),
                    key=f"task:{task.pk}:{task.due_date}:{threshold}d",
                )
            )
    return made


# --- The wards' periodic reports -----------------------------------------------------------------


def _upward_link(report: UpwardReport) -> str:
    """The province's page of the report as sent, where it answers."""
    return reverse("upward_received_report", args=[report.pk])


def _ward_upward_link(report: UpwardReport) -> str:
    """The ward's own page of the report, where a returned one is corrected and sent again."""
    return reverse("upward_report", args=[report.plan_id, report.period])


def upward_report_sent(*, report: UpwardReport) -> None:
    """The province's upper level and standing office, who answer the report."""
    province_id = report.organization.parent_id
    if province_id is None:
        return
    people = list(User.objects.filter(upward_receivers(province_id)).order_by("id"))
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            people,
            kind=Kind.UPWARD_REPORT_SENT,
            title=gettext("Periodic report received: %(ward)s, %(period)s")
            % {"ward": report.organization.name, "period": label_of(report.period)},
            body=gettext("%(plan)s, sending %(n)s.")
            % {"plan": _short(report.plan.short_name), "n": report.version},
            link=_upward_link(report),
            key=f"upward:{report.pk}:v{report.version}",
            exclude=report.sent_by,
        )


def upward_report_answered(*, actor: Actor, report: UpwardReport) -> None:
    """The ward's standing office, which sent the report (and corrects a returned one)."""
    people = list(User.objects.filter(ward_office_people(report.organization_id)).order_by("id"))
    values = {"plan": _short(report.plan.short_name), "period": label_of(report.period)}
    with translation.override(settings.LANGUAGE_CODE):
        if report.status == UpwardReport.Status.RETURNED:
            title = gettext("Periodic report returned: %(plan)s, %(period)s") % values
            body = gettext("Reason: %(reason)s") % {"reason": report.return_reason}
        else:
            title = gettext("Periodic report accepted: %(plan)s, %(period)s") % values
            body = ""
        notify(
            people,
            kind=Kind.UPWARD_REPORT_ANSWERED,
            title=title,
            body=body,
            link=_ward_upward_link(report),
            key=f"upward:{report.pk}:v{report.version}:{report.status}",
            exclude=actor,
        )
