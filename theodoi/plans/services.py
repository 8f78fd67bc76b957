"""Writes to plans, sections, tasks and indicators. Each service is atomic, checks the actor's
permission (``SYSTEM`` is the system itself: the demo, an import run by an operator) and
records its audit event in the same transaction."""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record, snapshot
from theodoi.core import clock
from theodoi.core.access import Action, Actor, require
from theodoi.org.models import Organization, Unit, User
from theodoi.plans import amendments, selectors
from theodoi.plans.deadline import parse_deadline
from theodoi.plans.models import (
    Indicator,
    IndicatorMilestone,
    Plan,
    PlanAmendment,
    ReportingCycle,
    Section,
    Task,
    TaskCoordinatingUnit,
    TaskLeadUnit,
    WardAssignment,
)


def _deadline_fields(text: str, *, plan: Plan) -> dict[str, Any]:
    year = plan.start.year
    parsed = parse_deadline(text, plan_year=year)
    # A recurring task has one due date per period (states per period come from the
    # reports); as a whole it runs to the end of its last year, or of the plan.
    due_date = amendments.due_date_for(text, plan_year=year, plan_end=plan.period_end)
    return {
        "deadline_text": text,
        "deadline_kind": parsed.kind.value,
        "due_date": due_date,
        "recurrence": parsed.recurrence.value,
        "deadline_first_year": parsed.first_year,
        "deadline_last_year": parsed.last_year,
        "deadline_anchor_month": parsed.anchor_month,
        "deadline_needs_review": parsed.needs_review,
    }


def deadline_reading(text: str, *, plan: Plan) -> dict[str, Any]:
    """What a deadline typed for a task of ``plan`` will be read as, before it is saved: the
    same fields ``task_create`` and ``task_update`` store."""
    return _deadline_fields(text, plan=plan)


@transaction.atomic
def plan_create(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    issuer: str,
    number: str = "",
    issuer_kind: str = Plan.Issuer.PEOPLES_COMMITTEE,
    issued_on: datetime.date | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    reporting_cycle: str = "quarterly",
    report_due_days: int = 5,
    parent_references: str = "",
    parents: Iterable[Plan] = (),
) -> Plan:
    require(actor, Action.MANAGE_PLAN, organization)
    plan = Plan.objects.create(
        organization=organization,
        number=number,
        title=title,
        issuer=issuer,
        issuer_kind=issuer_kind,
        issued_on=issued_on,
        period_start=period_start,
        period_end=period_end,
        reporting_cycle=reporting_cycle,
        report_due_days=report_due_days,
        parent_references=parent_references,
    )
    plan.parents.set(list(parents))
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_CREATE,
        obj=plan,
        organization=organization,
        summary=str(plan),
        after=snapshot(plan),
    )
    return plan


@transaction.atomic
def section_create(
    *, actor: Actor, plan: Plan, title: str, code: str = "", order: int | None = None
) -> Section:
    require(actor, Action.MANAGE_PLAN, plan)
    if order is None:
        order = plan.sections.count()
    section = Section.objects.create(plan=plan, code=code, title=title, order=order)
    audit_record(
        actor=actor,
        action=AuditAction.SECTION_CREATE,
        obj=section,
        organization=plan.organization,
        summary=str(section),
        after=snapshot(section),
    )
    return section


def _check_units(plan: Plan, units: Iterable[Unit]) -> list[Unit]:
    units = list(units)
    for unit in units:
        if unit.organization_id != plan.organization_id:
            raise ValueError(
                gettext("The unit «%(unit)s» belongs to another ward; choose a unit of this ward.")
                % {"unit": unit.name}
            )
    return units


def _unique_ids(units: Iterable[Unit]) -> list[int]:
    return list(dict.fromkeys(unit.pk for unit in units))


def _set_units(
    task: Task,
    *,
    lead_units: list[Unit] | None = None,
    coordinating_units: list[Unit] | None = None,
    new: bool = False,
) -> None:
    """Replace the task's lead and/or coordinating units in the order given: the first lead
    unit is the one alerts and reports treat as responsible. A ``new`` task has no rows yet:
    nothing to read or delete (an import saves hundreds of tasks)."""
    for through, units in (
        (TaskLeadUnit, lead_units),
        (TaskCoordinatingUnit, coordinating_units),
    ):
        if units is None:
            continue
        wanted = _unique_ids(units)
        if not new:
            rows = through.objects.filter(task=task)
            if list(rows.order_by("order", "id").values_list("unit_id", flat=True)) == wanted:
                continue  # unchanged: the rows and their ids stay
            rows.delete()
        if not wanted:
            continue
        through.objects.bulk_create(
            through(task=task, unit_id=unit_id, order=place) for place, unit_id in enumerate(wanted)
        )


def _unit_ids(task: Task) -> dict[str, list[int]]:
    return {
        "lead_units": selectors.lead_unit_ids(task),
        "coordinating_units": selectors.coordinating_unit_ids(task),
    }


@transaction.atomic
def task_create(
    *,
    actor: Actor,
    plan: Plan,
    title: str,
    section: Section | None = None,
    parent: Task | None = None,
    code: str = "",
    output: str = "",
    kpi: str = "",
    lead_units: Iterable[Unit] = (),
    coordinating_units: Iterable[Unit] = (),
    lead_units_raw: str = "",
    coordinating_units_raw: str = "",
    accountable: str = "",
    note: str = "",
    deadline_text: str = "",
    start_date: datetime.date | None = None,
    weight: Decimal | int = 1,
    order: int | None = None,
    reporting_cycle: str = "",
) -> Task:
    require(actor, Action.MANAGE_PLAN, plan)
    _check_placement(plan, task=None, section=section, parent=parent)
    _check_cycle(reporting_cycle)
    leads = _check_units(plan, lead_units)
    coordinators = _check_units(plan, coordinating_units)
    if order is None:
        order = plan.tasks.count()
    task = Task.objects.create(
        plan=plan,
        section=section,
        parent=parent,
        code=code,
        title=title,
        output=output,
        kpi=kpi,
        lead_units_raw=lead_units_raw or ", ".join(u.name for u in leads),
        coordinating_units_raw=coordinating_units_raw or ", ".join(u.name for u in coordinators),
        accountable=accountable,
        note=note,
        start_date=start_date,
        weight=Decimal(weight),
        order=order,
        reporting_cycle=reporting_cycle,
        **_deadline_fields(deadline_text, plan=plan),
    )
    _set_units(task, lead_units=leads, coordinating_units=coordinators, new=True)
    after = snapshot(task) | {
        "lead_units": _unique_ids(leads),
        "coordinating_units": _unique_ids(coordinators),
    }
    audit_record(
        actor=actor,
        action=AuditAction.TASK_CREATE,
        obj=task,
        organization=plan.organization,
        summary=str(task)[:200],
        after=after,
    )
    return task


TASK_EDITABLE_FIELDS = {
    "code",
    "title",
    "output",
    "kpi",
    "accountable",
    "note",
    "deadline_text",
    "start_date",
    "weight",
    "section",
    "parent",
    "order",
    "lead_units_raw",
    "coordinating_units_raw",
    "reporting_cycle",
}


CHOOSE_CYCLE = gettext_lazy(
    "Choose a reporting cycle: weekly, monthly, quarterly, every six months or yearly."
)


def _check_cycle(cycle: str) -> None:
    """ "" follows the plan's cycle; anything else must be one of the cycles."""
    if cycle and cycle not in ReportingCycle.values:
        raise ValueError(CHOOSE_CYCLE)


def _check_placement(
    plan: Plan, *, task: Task | None, section: Section | None, parent: Task | None
) -> None:
    """A task sits in a section of its own plan, under a task of its own plan that is neither
    itself nor one of its subtasks (a loop would hide both from every list)."""
    if section is not None and section.plan_id != plan.pk:
        raise ValueError(gettext("The section belongs to another plan; choose one of this plan."))
    if parent is None:
        return
    if parent.plan_id != plan.pk:
        raise ValueError(
            gettext("The parent task belongs to another plan; choose a task of this plan.")
        )
    if parent.withdrawn_at is not None:
        raise ValueError(gettext("The parent task has been withdrawn; choose another task."))
    if task is not None and (
        parent.pk == task.pk or parent.pk in {t.pk for t in selectors.descendants(task, every=True)}
    ):
        raise ValueError(
            gettext("A task cannot be placed under itself or under one of its own subtasks.")
        )


class StaleEdit(ValueError):
    """Someone else saved the record after it was opened; nothing was overwritten."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or gettext(
                "Someone else has just updated this task. Reload the page to see the new version, "
                "then edit it again."
            )
        )


def _to_millisecond(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _check_version(
    task: models.Model, expected: datetime.datetime | str, message: str = ""
) -> None:
    """Lock the row (a task, an indicator or a plan) and compare its version token, its
    ``updated_at``, with the one the editor saw."""
    if isinstance(expected, str):
        try:
            parsed = datetime.datetime.fromisoformat(expected.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise StaleEdit(message) from exc
    else:
        parsed = expected
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.UTC)
    current = (
        type(task)
        ._base_manager.select_for_update(of=("self",), no_key=True)
        .filter(pk=task.pk)
        .values_list("updated_at", flat=True)
        .first()
    )
    # Compared to the millisecond: JSON answers (DjangoJSONEncoder) carry no finer time.
    if current is None or _to_millisecond(current) != _to_millisecond(parsed):
        raise StaleEdit(message)
    task.refresh_from_db()


@transaction.atomic
def task_update(
    *,
    actor: Actor,
    task: Task,
    changes: Mapping[str, Any],
    lead_units: Iterable[Unit] | None = None,
    coordinating_units: Iterable[Unit] | None = None,
    expected_updated_at: datetime.datetime | str | None = None,
) -> Task:
    """Change the given fields of a task; a new deadline text is parsed again.

    ``expected_updated_at`` is the task's ``updated_at`` when the editor opened it (its version
    token): if someone saved the task since, ``StaleEdit`` is raised and nothing is written."""
    require(actor, Action.MANAGE_PLAN, task)
    if expected_updated_at is not None:
        _check_version(task, expected_updated_at)
    unknown = set(changes) - TASK_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"fields that cannot be edited: {sorted(unknown)}")
    if task.withdrawn_at is not None:
        raise ValueError(
            gettext("This task has been withdrawn from the plan; it cannot be edited.")
        )
    if "title" in changes and not str(changes["title"] or "").strip():
        raise ValueError(gettext("Write the task's title."))
    _check_cycle(changes.get("reporting_cycle", ""))
    _check_placement(
        task.plan,
        task=task,
        section=changes.get("section", task.section),
        parent=changes.get("parent", task.parent),
    )
    if lead_units is not None:
        lead_units = _check_units(task.plan, lead_units)
    if coordinating_units is not None:
        coordinating_units = _check_units(task.plan, coordinating_units)
    before = snapshot(task) | _unit_ids(task)
    for name, value in changes.items():
        setattr(task, name, value)
    if "deadline_text" in changes:
        for name, value in _deadline_fields(changes["deadline_text"], plan=task.plan).items():
            setattr(task, name, value)
    task.save()
    _set_units(
        task,
        lead_units=None if lead_units is None else list(lead_units),
        coordinating_units=None if coordinating_units is None else list(coordinating_units),
    )
    after = snapshot(task) | _unit_ids(task)
    audit_record(
        actor=actor,
        action=AuditAction.TASK_UPDATE,
        obj=task,
        organization=task.plan.organization,
        summary=str(task)[:200],
        before=before,
        after=after,
    )
    return task


@transaction.atomic
def task_withdraw(
    *,
    actor: Actor,
    task: Task,
    reason: str,
    expected_updated_at: datetime.datetime | str | None = None,
) -> list[Task]:
    """Take a task, and its subtasks, out of the plan. Nothing is deleted: reports, evidence,
    directives and the audit trail stay, and ``Task.objects`` leaves the tasks out of every
    count. Returns the tasks withdrawn (the task first)."""
    require(actor, Action.MANAGE_PLAN, task)
    if expected_updated_at is not None:
        _check_version(task, expected_updated_at)
    reason = reason.strip()
    if not reason:
        raise ValueError(gettext("Give the reason the task is withdrawn."))
    if task.withdrawn_at is not None:
        return []
    now = timezone.now()
    withdrawn = [task, *selectors.descendants(task)]
    for item in withdrawn:
        before = snapshot(item, ["withdrawn_at", "withdrawn_reason"])
        item.withdrawn_at = now
        item.withdrawn_reason = reason
        item.save(update_fields=["withdrawn_at", "withdrawn_reason", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.TASK_WITHDRAW,
            obj=item,
            organization=task.plan.organization,
            summary=f"{item}"[:160] + f" — {reason}"[:40],
            before=before,
            after=snapshot(item, ["withdrawn_at", "withdrawn_reason"]),
        )
    return withdrawn


INDICATOR_EDITABLE_FIELDS = {
    "name",
    "code",
    "section",
    "unit_of_measure",
    "comparator",
    "baseline",
    "baseline_year",
    "baseline_text",
    "target",
    "target_year",
    "target_text",
    "lead_unit",
    "monitoring_unit",
    "lead_unit_raw",
    "monitoring_unit_raw",
    "note",
    "is_ratio",
    "numerator_label",
    "denominator_label",
}


def _milestones_of(indicator: Indicator) -> dict[str, str]:
    return {
        str(year): str(value)
        for year, value in IndicatorMilestone.objects.filter(indicator=indicator)
        .order_by("year")
        .values_list("year", "value")
    }


def _replace_milestones(indicator: Indicator, milestones: Mapping[int, Decimal]) -> None:
    """Make the indicator's roadmap exactly ``milestones``; a year whose value is unchanged
    keeps its row and the text the plan wrote for it."""
    current = {m.year: m for m in IndicatorMilestone.objects.filter(indicator=indicator)}
    IndicatorMilestone.objects.filter(indicator=indicator).exclude(
        year__in=list(milestones)
    ).delete()
    for year, value in milestones.items():
        row = current.get(year)
        if row is None:
            IndicatorMilestone.objects.create(indicator=indicator, year=year, value=value)
        elif row.value != value:
            row.value, row.text = value, ""
            row.save(update_fields=["value", "text"])


@transaction.atomic
def indicator_update(
    *,
    actor: Actor,
    indicator: Indicator,
    changes: Mapping[str, Any],
    milestones: Mapping[int, Decimal] | None = None,
    expected_updated_at: datetime.datetime | str | None = None,
) -> Indicator:
    """Change the given fields of an indicator and, with ``milestones`` ({year: value}),
    replace its roadmap. ``expected_updated_at`` is the version token as for ``task_update``."""
    require(actor, Action.MANAGE_PLAN, indicator)
    if expected_updated_at is not None:
        _check_version(
            indicator,
            expected_updated_at,
            gettext(
                "Someone else has just updated this indicator. Reload the page to see the new "
                "version, then edit it again."
            ),
        )
    unknown = set(changes) - INDICATOR_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"fields that cannot be edited: {sorted(unknown)}")
    plan = indicator.plan
    if "name" in changes and not str(changes["name"] or "").strip():
        raise ValueError(gettext("Write the indicator's name."))
    if changes.get("comparator", indicator.comparator) not in Indicator.Comparator.values:
        raise ValueError(gettext("Choose the indicator's direction: ≥, >, ≤, < or =."))
    section = changes.get("section")
    if section is not None and section.plan_id != plan.pk:
        raise ValueError(gettext("The section belongs to another plan; choose one of this plan."))
    _check_units(plan, [u for u in (changes.get("lead_unit"), changes.get("monitoring_unit")) if u])
    for year in milestones or {}:
        if not 2000 <= int(year) <= 2100:
            raise ValueError(
                gettext("A milestone's year must be between 2000 and 2100 (%(year)s).")
                % {"year": year}
            )
    before = snapshot(indicator) | {"milestones": _milestones_of(indicator)}
    for name, value in changes.items():
        setattr(indicator, name, value)
    # Saved even when only the roadmap changed: its version token must move.
    indicator.save()
    if milestones is not None:
        _replace_milestones(indicator, {int(y): Decimal(v) for y, v in milestones.items()})
    after = snapshot(indicator) | {"milestones": _milestones_of(indicator)}
    audit_record(
        actor=actor,
        action=AuditAction.INDICATOR_UPDATE,
        obj=indicator,
        organization=plan.organization,
        summary=indicator.name[:200],
        before=before,
        after=after,
    )
    return indicator


PLAN_EDITABLE_FIELDS = {
    "number",
    "title",
    "issuer",
    "issuer_kind",
    "issued_on",
    "period_start",
    "period_end",
    "reporting_cycle",
    "report_due_days",
    "parent_references",
}


def plan_check_version(plan: Plan, expected: datetime.datetime | str) -> None:
    """Lock the plan and raise ``StaleEdit`` when someone saved it since the editor read
    ``expected`` (its ``updated_at``): every write to the plan's own row asks this."""
    _check_version(
        plan,
        expected,
        gettext(
            "Someone else has just updated this plan. Reload the page to see the new "
            "version, then edit it again."
        ),
    )


@transaction.atomic
def plan_update(
    *,
    actor: Actor,
    plan: Plan,
    changes: Mapping[str, Any],
    expected_updated_at: datetime.datetime | str | None = None,
) -> Plan:
    """Change the plan's own fields (its number, dates, issuer, reporting cycle …)."""
    require(actor, Action.MANAGE_PLAN, plan)
    if expected_updated_at is not None:
        plan_check_version(plan, expected_updated_at)
    unknown = set(changes) - PLAN_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"fields that cannot be edited: {sorted(unknown)}")
    if "title" in changes and not str(changes["title"] or "").strip():
        raise ValueError(gettext("Write the plan's title."))
    if "issuer" in changes and not str(changes["issuer"] or "").strip():
        raise ValueError(gettext("Write the plan's issuing body."))
    if not changes.get("reporting_cycle", plan.reporting_cycle):
        raise ValueError(CHOOSE_CYCLE)  # a plan has a cycle of its own; only a task follows one
    _check_cycle(changes.get("reporting_cycle", ""))
    if changes.get("issuer_kind", plan.issuer_kind) not in Plan.Issuer.values:
        raise ValueError(
            gettext("Choose who issued the plan: the Party committee or the People's Committee.")
        )
    due_days = changes.get("report_due_days", plan.report_due_days)
    if due_days is None or not 0 <= int(due_days) <= 90:
        raise ValueError(gettext("The days to report after a period must be from 0 to 90."))
    start = changes.get("period_start", plan.period_start)
    end = changes.get("period_end", plan.period_end)
    if start and end and start > end:
        raise ValueError(gettext("The plan's period must end after it starts."))
    before = snapshot(plan)
    for name, value in changes.items():
        setattr(plan, name, value)
    plan.save()
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_UPDATE,
        obj=plan,
        organization=plan.organization,
        summary=str(plan)[:200],
        before=before,
        after=snapshot(plan),
    )
    return plan


# --- Plan amendments ------------------------------------------------------------------------


class AmendmentError(ValueError):
    """An amendment that cannot be recorded as given; the message says what to do."""


_UNIT_CHANGES = {"lead_units": "lead_unit_ids", "coordinating_units": "coordinating_unit_ids"}


def _amendment_units(plan: Plan, ids: Any) -> list[Unit]:
    if not isinstance(ids, list) or not all(isinstance(pk, int) for pk in ids):
        raise AmendmentError(gettext("Units must be given as a list of unit ids."))
    found = Unit.objects.in_bulk(ids)
    units = [found[pk] for pk in ids if pk in found]
    if len(units) != len(ids) or any(u.organization_id != plan.organization_id for u in units):
        raise AmendmentError(gettext("A unit named in the amendment is not a unit of this ward."))
    return units


def _amendment_section(actor: Actor, plan: Plan, code: Any) -> Section | None:
    code = str(code or "").strip()[:20]
    if not code:
        return None
    section = plan.sections.filter(code=code).first()
    return section or section_create(actor=actor, plan=plan, code=code, title=code)


def _amendment_task(plan: Plan, change: Mapping[str, Any]) -> Task:
    task = (
        Task.objects.filter(plan=plan, pk=change.get("task")).first()
        if isinstance(change.get("task"), int)
        else None
    )
    if task is None:
        raise AmendmentError(
            gettext("Task %(task)s is not a task of this plan, or it has been withdrawn.")
            % {"task": change.get("code") or change.get("task")}
        )
    return task


def _amendment_text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise AmendmentError(gettext("The field %(name)s must be text.") % {"name": name})
    return value.strip()


def _named(change: Mapping[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """The change as the version keeps it: naming its task (id, section, code, title) and, for
    each changed field, the value it had, whether or not the caller sent them (the API and the
    amendment page may send only the new values)."""
    named = {
        "task": row.get("id"),
        "section": row.get("section", ""),
        "code": row.get("code", ""),
        "title": row.get("title", ""),
    } | dict(change)
    if isinstance(change.get("fields"), Mapping):
        named["fields"] = {
            name: {"before": row.get(name)} | dict(values)
            if isinstance(values, Mapping)
            else values
            for name, values in change["fields"].items()
        }
    return named


def _apply_added(actor: Actor, plan: Plan, change: Mapping[str, Any]) -> Task:
    row = change.get("row")
    if not isinstance(row, Mapping):
        raise AmendmentError(gettext("A task to add must give its row."))
    title = _amendment_text(row.get("title", ""), "title")
    if not title:
        raise AmendmentError(gettext("A task to add has no title. Enter its title."))
    code = _amendment_text(row.get("code", ""), "code")
    section = _amendment_section(actor, plan, row.get("section"))
    parent_code = str(row.get("parent") or "").strip()
    parent = (
        Task.objects.filter(plan=plan, code=parent_code, section=section).first()
        if parent_code
        else None
    )
    return task_create(
        actor=actor,
        plan=plan,
        title=title,
        code=code[:30],
        section=section,
        parent=parent,
        output=_amendment_text(row.get("output", ""), "output"),
        kpi=_amendment_text(row.get("kpi", ""), "kpi"),
        deadline_text=_amendment_text(row.get("deadline_text", ""), "deadline_text"),
        lead_units=_amendment_units(plan, row.get("lead_unit_ids") or []),
        coordinating_units=_amendment_units(plan, row.get("coordinating_unit_ids") or []),
    )


def _apply_changed(
    actor: Actor, plan: Plan, change: Mapping[str, Any], current: Mapping[str, Any]
) -> dict[str, Any]:
    """Apply one ``changed`` entry; return what it did (before → after as the task now is)."""
    task = _amendment_task(plan, change)
    fields = change.get("fields")
    if not isinstance(fields, Mapping) or not fields:
        raise AmendmentError(gettext("A changed task must say which fields change."))
    updates: dict[str, Any] = {}
    units: dict[str, list[Unit]] = {}
    for name, values in fields.items():
        if not isinstance(values, Mapping) or "after" not in values:
            raise AmendmentError(gettext("Each changed field must give its new value."))
        # The value the person saw must still be the task's: else someone changed the task
        # since the change list was made, and applying it would overwrite their work.
        if "before" in values and name in current and values["before"] != current[name]:
            raise StaleEdit(
                gettext(
                    "Task %(task)s has changed since the change list was made. Preview the "
                    "amendment again."
                )
                % {"task": amendments.label(current)}
            )
        if name in amendments.TEXT_FIELDS:
            updates[name] = _amendment_text(values["after"], name)
        elif name == "section":
            updates["section"] = _amendment_section(actor, plan, values["after"])
        elif name in _UNIT_CHANGES:
            ids = change.get(_UNIT_CHANGES[name], values["after"])
            units[name] = _amendment_units(plan, ids)
            updates[f"{name}_raw"] = ", ".join(u.name for u in units[name])
        elif name != "due_date":  # follows from the deadline text
            raise AmendmentError(
                gettext("The field %(name)s cannot be changed by an amendment.") % {"name": name}
            )
    if "title" in updates and not updates["title"]:
        raise AmendmentError(gettext("A task's title cannot be empty."))
    if len(updates.get("code", "")) > 30:
        raise AmendmentError(gettext("A task code has at most 30 characters."))
    old_due, old_text = task.due_date, task.deadline_text
    task_update(
        actor=actor,
        task=task,
        changes=updates,
        lead_units=units.get("lead_units"),
        coordinating_units=units.get("coordinating_units"),
    )
    moved = task.due_date != old_due
    # The first move keeps the deadline the plan was issued with; later moves keep it too.
    if moved and old_due is not None and task.original_due_date is None:
        task.original_due_date = old_due
        task.original_deadline_text = old_text
        task.save(update_fields=["original_due_date", "original_deadline_text", "updated_at"])
    return {"deadline_moved": moved}


@transaction.atomic
def amendment_apply(
    *,
    actor: Actor,
    plan: Plan,
    number: str,
    issued_on: datetime.date | None,
    note: str = "",
    changes: Iterable[Mapping[str, Any]],
) -> PlanAmendment:
    """Record an amendment of ``plan`` ("Điều chỉnh, bổ sung kế hoạch số …") as its next
    version, in one transaction: tasks added, changed (a moved deadline keeps the original the
    first time), withdrawn with the amendment as the reason. Reports, evidence and history stay
    on their tasks. The version keeps the change list and the plan's tasks before and after."""
    require(actor, Action.MANAGE_PLAN, plan)
    # One amendment at a time per plan: the version numbers follow each other.
    Plan.objects.select_for_update(no_key=True).filter(pk=plan.pk).first()
    number, note = number.strip(), note.strip()
    if not number:
        raise AmendmentError(gettext("Enter the number of the amending document."))
    if len(number) > 60:
        raise AmendmentError(gettext("The document number is longer than 60 characters."))
    wanted = amendments.applicable(changes)
    if not wanted:
        raise AmendmentError(
            gettext("The amendment changes nothing. Change, add or withdraw at least one task.")
        )
    before = selectors.plan_task_rows(plan)
    current = {row["id"]: row for row in before}
    when = issued_on.strftime("%d/%m/%Y") if issued_on else ""
    reference = (
        gettext("amendment %(number)s of %(date)s") % {"number": number, "date": when}
        if when
        else gettext("amendment %(number)s") % {"number": number}
    )
    recorded: list[dict[str, Any]] = []
    for change in wanted:
        kind = change["kind"]
        if kind == amendments.ADDED:
            task = _apply_added(actor, plan, change)
            recorded.append(change | {"task": task.pk})
        elif kind == amendments.CHANGED:
            row = current.get(change.get("task"), {})
            recorded.append(_named(change, row) | _apply_changed(actor, plan, change, row))
        else:
            task = _amendment_task(plan, change)
            given = str(change.get("reason") or "").strip()
            reason = f"{reference}: {given}" if given else reference
            task_withdraw(actor=actor, task=task, reason=reason[:2000])
            recorded.append(_named(change, current.get(task.pk, {})) | {"reason": given})
    after = selectors.plan_task_rows(plan)
    added = {row["id"]: row for row in after}
    recorded = [
        _named(change, added[change["task"]]) if change["kind"] == amendments.ADDED else change
        for change in recorded
    ]
    last = plan.amendments.aggregate(last=models.Max("version"))["last"] or 0
    amendment = PlanAmendment.objects.create(
        plan=plan,
        version=last + 1,
        number=number,
        issued_on=issued_on,
        note=note,
        changes=recorded,
        before=before,
        after=after,
        created_by=actor if isinstance(actor, User) else None,
    )
    tally = amendments.counts(recorded)
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_AMEND,
        obj=plan,
        organization=plan.organization,
        summary=f"{number} (v{amendment.version}): +{tally['added']} "
        f"~{tally['changed']} -{tally['withdrawn']}",
        after={"amendment": amendment.pk, "version": amendment.version, "changes": recorded},
    )
    return amendment


@transaction.atomic
def indicator_create(
    *,
    actor: Actor,
    plan: Plan,
    name: str,
    code: str = "",
    section: Section | None = None,
    unit_of_measure: str = "%",
    comparator: str = Indicator.Comparator.GE,
    baseline: Decimal | None = None,
    baseline_year: int | None = None,
    target: Decimal | None = None,
    target_year: int | None = None,
    target_text: str = "",
    milestones: Mapping[int, Decimal] | None = None,
    lead_unit: Unit | None = None,
    monitoring_unit: Unit | None = None,
    is_ratio: bool = False,
    numerator_label: str = "",
    denominator_label: str = "",
    lead_unit_raw: str = "",
    monitoring_unit_raw: str = "",
    baseline_text: str = "",
    milestone_texts: Mapping[int, str] | None = None,
    note: str = "",
) -> Indicator:
    require(actor, Action.MANAGE_PLAN, plan)
    _check_units(plan, [u for u in (lead_unit, monitoring_unit) if u is not None])
    indicator = Indicator.objects.create(
        plan=plan,
        section=section,
        code=code,
        name=name,
        unit_of_measure=unit_of_measure,
        comparator=comparator,
        baseline=baseline,
        baseline_year=baseline_year,
        baseline_text=baseline_text,
        target=target,
        target_year=target_year,
        target_text=target_text,
        lead_unit=lead_unit,
        monitoring_unit=monitoring_unit,
        lead_unit_raw=lead_unit_raw,
        monitoring_unit_raw=monitoring_unit_raw,
        note=note,
        is_ratio=is_ratio,
        numerator_label=numerator_label,
        denominator_label=denominator_label,
        order=plan.indicators.count(),
    )
    texts = milestone_texts or {}
    for year, value in sorted((milestones or {}).items()):
        IndicatorMilestone.objects.create(
            indicator=indicator, year=year, value=value, text=texts.get(year, "")
        )
    audit_record(
        actor=actor,
        action=AuditAction.INDICATOR_CREATE,
        obj=indicator,
        organization=plan.organization,
        summary=name[:200],
        after=snapshot(indicator)
        | {"milestones": {str(y): str(v) for y, v in (milestones or {}).items()}},
    )
    return indicator


# --- Completing the "6 rõ" of many tasks at once ----------------------------------------------


class AssignError(ValueError):
    """A bulk assignment that cannot be made; the message says what to do."""


def _clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


@transaction.atomic
def tasks_bulk_assign(
    *,
    actor: Actor,
    tasks: Iterable[Task],
    lead_units: Iterable[Unit] | None = None,
    coordinating_units: Iterable[Unit] | None = None,
    deadline_text: str | None = None,
    output: str | None = None,
    kpi: str | None = None,
) -> list[Task]:
    """Give many tasks the same lead unit(s), coordinating units, deadline, output or KPI.

    Only what is given changes (None or blank: left as it is). Lead units replace the task's
    lead units; coordinating units are added to the task's own (a unit that leads it is not
    added), since tasks chosen together rarely share all their partners. Each task changes
    through ``task_update``, so each has its own audit record with before and after; all or
    nothing. A deadline must name a day (a date, month, quarter, year…): one that gives no due
    date would leave the tasks as untrackable as before. Returns the tasks."""
    tasks = list(dict.fromkeys(tasks))
    if not tasks:
        raise AssignError(gettext("Choose at least one task."))
    leads = list(lead_units) if lead_units is not None else []
    coordinators = list(coordinating_units) if coordinating_units is not None else []
    changes: dict[str, Any] = {}
    for name, value in (("deadline_text", deadline_text), ("output", output), ("kpi", kpi)):
        cleaned = _clean_text(value)
        if cleaned is not None:
            changes[name] = cleaned
    if not changes and not leads and not coordinators:
        raise AssignError(
            gettext(
                "Nothing to assign: choose a lead unit or coordinating units, or type a "
                "deadline, an output or a KPI."
            )
        )
    if "deadline_text" in changes:
        for plan in {task.plan for task in tasks}:
            if deadline_reading(changes["deadline_text"], plan=plan)["due_date"] is None:
                raise AssignError(
                    gettext(
                        "The deadline «%(text)s» names no day. Write it as a date, a month, a "
                        "quarter or a year, e.g. «30/6/2026», «Tháng 9/2026», «Quý III/2026»."
                    )
                    % {"text": changes["deadline_text"]}
                )
    for task in tasks:
        new_coordinators = None
        if coordinators:
            current = selectors.coordinating_unit_ids(task)
            leading = {unit.pk for unit in leads} if leads else set(selectors.lead_unit_ids(task))
            known = {unit.pk: unit for unit in coordinators}
            added = [pk for pk in known if pk not in current and pk not in leading]
            if added:
                existing = Unit.objects.in_bulk(current)
                new_coordinators = [existing[pk] for pk in current if pk in existing] + [
                    known[pk] for pk in added
                ]
        if not changes and not leads and new_coordinators is None:
            continue  # only coordinating units given, and the task has them all already
        task_update(
            actor=actor,
            task=task,
            changes=changes,
            lead_units=leads or None,
            coordinating_units=new_coordinators,
        )
    return tasks


class ChainError(ValueError):
    """A link between plans' tasks, or a province task's wards, that cannot be made as given;
    the message says what to do."""


def _upper_task_problem(task: Task, upper: Task) -> str:
    """Why ``task`` cannot implement ``upper``, or "" when it can: the upper task belongs to a
    plan of a level above the task's ward (its province), is not withdrawn, and is assigned to
    that ward (to every ward, or to a list naming it)."""
    ward = task.plan.organization
    upper_org = upper.plan.organization
    if upper.pk == task.pk or upper_org.pk == ward.pk or not ward.is_within(upper_org):
        return gettext("A task can only carry out a task of the level above its own ward.")
    if upper.is_withdrawn or upper.plan.is_archived:
        return gettext("That upper-level task has been withdrawn: choose another one.")
    if upper.ward_assignment == WardAssignment.OWN_UNITS:
        return gettext(
            "That upper-level task is carried out by the province's own departments, not by the "
            "wards: choose a task assigned to the wards."
        )
    if (
        upper.ward_assignment == WardAssignment.LISTED_WARDS
        and not upper.assigned_wards.filter(pk=ward.pk).exists()
    ):
        return gettext("That upper-level task is not assigned to this ward or commune.")
    return ""


@transaction.atomic
def task_link_upper(*, actor: Actor, task: Task, upper_task: Task | None) -> Task:
    """Say which task of the level above ``task`` carries out (None: none). Decided by whoever
    keeps the ward's plan; the province follows its task down through these links."""
    require(actor, Action.MANAGE_PLAN, task)
    if upper_task is not None:
        problem = _upper_task_problem(task, upper_task)
        if problem:
            raise ChainError(problem)
    if task.upper_task_id == (upper_task.pk if upper_task else None):
        return task
    before = {"upper_task": task.upper_task_id}
    old_upper = task.upper_task
    task.upper_task = upper_task
    task.save(update_fields=["upper_task", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TASK_UPPER_LINK,
        obj=task,
        organization=task.plan.organization,
        summary=f"{task} → {upper_task}"[:200] if upper_task else str(task)[:200],
        before=before,
        after={"upper_task": task.upper_task_id},
    )
    # The province task the ward task left, and the one it now carries out, roll up anew.
    for upper in (old_upper, upper_task):
        if upper is not None:
            task_rollup_refresh(upper)
    return task


@transaction.atomic
def task_assign_wards(
    *,
    actor: Actor,
    task: Task,
    assignment: str,
    wards: Iterable[Organization] = (),
) -> Task:
    """Say who carries out a province task: its own departments, every ward and commune below
    the province, or the ones listed (which must be wards or communes of that province)."""
    require(actor, Action.MANAGE_PLAN, task)
    province = task.plan.organization
    if province.is_local:
        raise ChainError(gettext("Only a province's task is assigned to wards and communes."))
    if assignment not in WardAssignment.values:
        raise ChainError(gettext("Choose who carries out the task."))
    wards = list(wards) if assignment == WardAssignment.LISTED_WARDS else []
    if assignment == WardAssignment.LISTED_WARDS and not wards:
        raise ChainError(gettext("Choose at least one ward or commune."))
    for ward in wards:
        if not ward.is_local or not ward.is_within(province):
            raise ChainError(
                gettext("%(name)s is not a ward or commune of this province.") % {"name": ward}
            )
    before = {
        "ward_assignment": task.ward_assignment,
        "assigned_wards": sorted(task.assigned_wards.values_list("pk", flat=True)),
    }
    task.ward_assignment = assignment
    task.save(update_fields=["ward_assignment", "updated_at"])
    task.assigned_wards.set(wards)
    audit_record(
        actor=actor,
        action=AuditAction.TASK_UPDATE,
        obj=task,
        organization=province,
        summary=str(task)[:200],
        before=before,
        after={
            "ward_assignment": task.ward_assignment,
            "assigned_wards": sorted(ward.pk for ward in wards),
        },
    )
    task_rollup_refresh(task)
    return task


def task_rollup_refresh(task: Task) -> Task:
    """Recompute the cached progress and completion day of a province task that wards carry
    out, from their implementing tasks (``selectors.task_rollup``), so that the province's lists
    and dashboards sort and count it like any task. A cached result like
    ``reporting.services.task_refresh``'s, written in the caller's transaction and not audited:
    the reports and links it follows from are. A task of the province's own departments keeps
    the progress its own reports give it."""
    rolled = selectors.task_rollup_result(task, today=clock.today())
    if rolled is None:
        return task
    values = (rolled.progress, rolled.completed_on)
    if (task.progress, task.completed_on) != values:
        task.progress, task.completed_on = values
        task.save(update_fields=["progress", "completed_on", "updated_at"])
    return task


@transaction.atomic
def plan_link_uppers(*, actor: Actor, plan: Plan, links: Mapping[Task, Task | None]) -> list[Task]:
    """Link tasks of ``plan`` to the upper-level tasks they carry out (None: none), each through
    ``task_link_upper``, and record the upper plans as plans ``plan`` is based on
    (``Plan.parents``). All or nothing; returns the tasks whose link changed."""
    require(actor, Action.MANAGE_PLAN, plan)
    changed = []
    for task, upper in links.items():
        if task.plan_id != plan.pk:
            raise ChainError(gettext("That task is not a task of this plan."))
        before = task.upper_task_id
        task_link_upper(actor=actor, task=task, upper_task=upper)
        if task.upper_task_id != before:
            changed.append(task)
    known = set(plan.parents.values_list("pk", flat=True))
    added = sorted({upper.plan_id for upper in links.values() if upper} - known)
    if added:
        plan.parents.add(*added)
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_UPDATE,
            obj=plan,
            organization=plan.organization,
            summary=str(plan)[:200],
            before={"parents": sorted(known)},
            after={"parents": sorted(known | set(added))},
        )
    return changed
