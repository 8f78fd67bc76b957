"""Saving a checked draft into a ward: the one write path of the importer.

Units written in the plan are resolved to the ward's units; names that match no unit are
proposed as new units (never dropped). A plan whose number already exists in the ward is updated
task by task instead of being duplicated: changed tasks are changed, new tasks added, and tasks
missing from the new version are kept and reported, because deleting tracked work silently would
lose its reports and evidence.
"""

import datetime
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import django_tasks
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record
from theodoi.budget import services as budget_services
from theodoi.core import background
from theodoi.core.access import Action, Actor, can_import_plans, require
from theodoi.importer.draft import (
    Draft,
    DraftIndicator,
    DraftTask,
    draft_from_data,
    draft_to_data,
    where,
)
from theodoi.importer.models import ImportDraft, ImportReading
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.readers import UnsupportedDocument, ocr
from theodoi.importer.recognise.coverage import add_left_out_task
from theodoi.importer.recognise.indicator_tables import (
    level_value,
    milestone_values,
    read_target,
)
from theodoi.importer.recognise.issuer import issuer_place, other_issuer_place
from theodoi.importer.recognise.wards import ALL_WARDS, every_department, read_wards, without_wards
from theodoi.importer.unit_names import (
    THROUGH_RE,
    WARD,
    DraftUnits,
    UnitList,
    is_commune,
    resolve_draft_names,
    standard_unit_list,
)
from theodoi.org import services as org_services
from theodoi.org.matching import match_units, unknown_names
from theodoi.org.models import Organization, Unit, User
from theodoi.org.selectors import unit_catalogue
from theodoi.plans import amendments, cascade
from theodoi.plans import selectors as plan_selectors
from theodoi.plans import services as plan_services
from theodoi.plans.models import Indicator, Plan, ReportingCycle, Section, Task
from theodoi.plans.numbering import task_label

_YEAR_RE = re.compile(r"\b(20\d\d)\b")
_COMPARATORS = {c.value for c in Indicator.Comparator}


@dataclass
class UnitResolution:
    units: list[Unit] = field(default_factory=list)
    all_units: bool = False
    unknown: list[str] = field(default_factory=list)


def ward_units(ward: Organization) -> dict[int, Unit]:
    """The ward's units by id, read once for a whole import instead of once per cell."""
    return {unit.pk: unit for unit in ward.units.all()}


def resolve_units(
    raw: str,
    ward: Organization,
    catalogue: Mapping[str, int],
    units_by_id: Mapping[int, Unit] | None = None,
) -> UnitResolution:
    through = THROUGH_RE.match(raw)
    text = through.group("inner") if through else raw
    every = False
    if not ward.is_local:
        # A province's plan names its wards as bodies that carry tasks out, never as its
        # departments; "các sở, ban, ngành" are all of these.
        every, text = every_department(without_wards(text))
    match = match_units(text, catalogue, ward_name=ward.name)
    if units_by_id is None:
        units = list(Unit.objects.filter(pk__in=match.unit_ids))
        units.sort(key=lambda unit: match.unit_ids.index(unit.pk))
    else:
        units = [units_by_id[pk] for pk in match.unit_ids if pk in units_by_id]
    return UnitResolution(
        units=units,
        all_units=match.all_units or every,
        unknown=unknown_names(text, match, ward_name=ward.name),
    )


def resolve_draft_units(draft: Draft, ward: Organization) -> list[str]:
    """Fill each task's canonical lead and coordinating units; return every unknown name once."""
    catalogue = unit_catalogue(ward)
    units_by_id = ward_units(ward)
    unknown: list[str] = []
    for task in draft.tasks:
        lead = resolve_units(task.lead_units_raw, ward, catalogue, units_by_id)
        coordinating = resolve_units(task.coordinating_units_raw, ward, catalogue, units_by_id)
        task.lead_units = ["*"] if lead.all_units else [u.name for u in lead.units]
        task.coordinating_units = (
            ["*"] if coordinating.all_units else [u.name for u in coordinating.units]
        )
        task.unknown_units = lead.unknown + [
            n for n in coordinating.unknown if n not in lead.unknown
        ]
        unknown.extend(name for name in task.unknown_units if name not in unknown)
    if not ward.is_local:
        _read_assigned_wards(draft, ward)
    return unknown


def province_wards(province: Organization) -> dict[int, str]:
    """The wards and communes of ``province``, id → name."""
    return dict(plan_selectors.wards_of(province).values_list("pk", "name"))


def _read_assigned_wards(draft: Draft, province: Organization) -> None:
    """Fill each task of a province's draft with the wards its lead-unit text gives it to."""
    wards = province_wards(province)
    for task in draft.tasks:
        reading = read_wards(task.lead_units_raw, wards)
        task.assigned_wards = (
            ["*"] if reading.assignment == ALL_WARDS else [wards[pk] for pk in reading.ward_ids]
        )
        task.unknown_wards = list(reading.unknown)


def _assign_wards(actor: Actor, plan: Plan, draft: Draft, province: Organization) -> None:
    """Give each task of a province's plan to the wards its lead-unit text names; a ward named
    that is none of the province's is left for a person, with a warning. A task whose text
    names no ward keeps what a person chose for it."""
    wards = province_wards(province)
    saved = {
        (t.section.code if t.section else "", t.code): t
        for t in plan.tasks.select_related("section").prefetch_related("assigned_wards")
    }
    by_pk = {ward.pk: ward for ward in Organization.objects.filter(pk__in=wards)}
    for draft_task in draft.tasks:
        task = saved.get((draft_task.section, draft_task.code))
        if task is None:
            continue
        reading = read_wards(draft_task.lead_units_raw, wards)
        for name in reading.unknown:
            draft.warnings.append(
                gettext(
                    "Task %(code)s names «%(name)s», which is not a ward or commune of "
                    "%(province)s: choose its wards on the task's page."
                )
                % {
                    "code": task_label(draft_task.section, draft_task.code),
                    "name": name,
                    "province": province.name,
                }
            )
        if not reading.assignment:
            continue
        chosen = [by_pk[pk] for pk in reading.ward_ids]
        current = sorted(ward.pk for ward in task.assigned_wards.all())
        if task.ward_assignment == reading.assignment and current == sorted(reading.ward_ids):
            continue
        plan_services.task_assign_wards(
            actor=actor, task=task, assignment=reading.assignment, wards=chosen
        )


def ward_unit_list(ward: Organization) -> UnitList:
    """The ward's active units as a list to resolve a draft's names against."""
    catalogue = unit_catalogue(ward)
    names = dict(Unit.objects.filter(pk__in=set(catalogue.values())).values_list("pk", "name"))
    return UnitList(source=WARD, catalogue=catalogue, names=names)


@dataclass
class DryRunUnits:
    units: DraftUnits
    # With a ward: the names saving would propose as new units (not among the ward's units,
    # whether or not the standard list knows them).
    new_units: list[str] | None = None


def dry_run_units(
    draft: Draft, ward: Organization | None = None, *, commune: bool | None = None
) -> DryRunUnits:
    """Resolve the draft's unit names for a dry run: against the ward's units first when there
    is a ward, then the standard units for the rest. The standard names are a commune's when
    ``commune`` says so, else when the ward is a commune, else when the plan's issuer is one."""
    place = ward.name if ward else (draft.plan.place or issuer_place(draft.plan.issuer))
    if commune is None:
        commune = (
            ward.kind == Organization.Kind.COMMUNE
            if ward
            else is_commune(draft.plan.place or draft.plan.issuer)
        )
    lists = [standard_unit_list(is_ward=not commune)]
    new_units = None
    if ward is not None:
        # What saving would do, read before the task fields are filled for showing.
        new_units = resolve_draft_units(draft, ward)
        lists.insert(0, ward_unit_list(ward))
    units = resolve_draft_names(draft, lists, level="commune" if commune else "ward", place=place)
    return DryRunUnits(units=units, new_units=new_units)


_DATE_RE = re.compile(r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*20\d\d|tháng\s+\d{1,2}\s+năm\s+20\d\d", re.I)


def plan_period(draft: Draft) -> tuple[datetime.date | None, datetime.date | None]:
    """The years the plan covers: the years its title names ("năm 2026", "giai đoạn
    2026-2030") once the dates of the documents it cites ("ngày 22/12/2024") are set aside;
    else the year it was issued."""
    title = _DATE_RE.sub(" ", draft.plan.title)
    years = sorted({int(y) for y in _YEAR_RE.findall(title)})
    if years:
        return datetime.date(years[0], 1, 1), datetime.date(years[-1], 12, 31)
    if draft.plan.issued_on:
        year = draft.plan.issued_on.year
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return None, None


class DraftNotReady(ValueError):
    """The draft cannot be saved as it is; the message says what to correct, translated."""


def check_unique_codes(draft: Draft) -> None:
    """Tasks are matched by section and code when saved, re-imported or amended: two tasks of
    one code would become one, so such a draft is refused until a person tells them apart."""
    counts = Counter((task.section, task.code) for task in draft.tasks)
    duplicates = sorted(task_label(s, c) for (s, c), n in counts.items() if n > 1)
    if duplicates:
        raise DraftNotReady(
            gettext(
                "Duplicate task codes: %(codes)s. Change the codes so that each task in a "
                "section has its own code, then save again."
            )
            % {"codes": ", ".join(duplicates)}
        )


def check_ready(draft: Draft) -> None:
    check_unique_codes(draft)
    for task in draft.tasks:
        if not task.title.strip():
            raise DraftNotReady(
                gettext("Task %(code)s has no title. Enter a title or remove this row.")
                % {"code": task.code}
            )
        if not task.code.strip() or len(task.code) > 30:
            raise DraftNotReady(
                gettext("The task code «%(code)s» must have 1 to 30 characters.")
                % {"code": task.code[:40]}
            )
        if len(task.accountable) > 200:
            raise DraftNotReady(
                gettext("The person accountable for task %(code)s is longer than 200 characters.")
                % {"code": task.code}
            )
    for indicator in draft.indicators:
        if not indicator.name.strip():
            raise DraftNotReady(
                gettext("Indicator %(code)s has no name. Enter its name or remove this row.")
                % {"code": indicator.code or "—"}
            )
    if len(draft.plan.number) > 60:
        raise DraftNotReady(gettext("The plan number is longer than 60 characters."))
    if len(draft.plan.issuer) > 200:
        raise DraftNotReady(gettext("The issuing body's name is longer than 200 characters."))
    for section in draft.sections:
        if len(section.code) > 20:
            raise DraftNotReady(
                gettext("The section code «%(code)s» is longer than 20 characters.")
                % {"code": section.code[:30]}
            )


def other_issuer(draft: Draft, ward: Organization) -> str:
    """The ward or commune that issued the draft's plan when it is not ``ward`` (as the
    document writes it), or "" when the issuer names none or names ``ward``."""
    return other_issuer_place(draft.plan.issuer, ward.name)


def other_issuer_message(draft: Draft, ward: Organization) -> str:
    """Why a plan of another ward is not saved without a confirmation; "" when it is ours."""
    other = other_issuer(draft, ward)
    if not other:
        return ""
    return gettext(
        "This plan was issued by «%(issuer)s» (%(other)s), not by %(ward)s. Check that you "
        "uploaded the right document; to save it into %(ward)s anyway, tick «Save it into this "
        "ward although another ward issued it» and save again."
    ) % {"issuer": draft.plan.issuer, "other": other, "ward": ward.name}


REIMPORT_NOTE = gettext_lazy(
    "The plan is already in the system: this import only updates tasks; indicators and the "
    "budget estimate stay as saved (edit them on the plan if the new document changes them)."
)


@dataclass
class ImportResult:
    plan: Plan
    created: bool
    tasks_added: int = 0
    tasks_changed: int = 0
    tasks_unchanged: int = 0
    tasks_missing: list[str] = field(default_factory=list)
    units_created: list[str] = field(default_factory=list)
    indicators_added: int = 0
    budget_lines_added: int = 0


def existing_plan(ward: Organization, draft: Draft) -> Plan | None:
    number = draft.plan.number.strip()
    if not re.search(r"\d", number):
        return None
    return ward.plans.filter(number=number).first()


@transaction.atomic
def import_draft(
    *,
    actor: Actor,
    draft: Draft,
    ward: Organization,
    unit_choices: Mapping[str, int | None] | None = None,
    create_unknown_units: bool = True,
    source_name: str = "",
    confirm_other_issuer: bool = False,
) -> ImportResult:
    """Save ``draft`` into ``ward``. ``unit_choices`` maps an unknown unit name to an existing
    unit's id (or None to leave it out, kept as written on the task); other unknown names become
    new units when ``create_unknown_units``. A plan whose issuer names another ward is saved
    only with ``confirm_other_issuer``."""
    require(actor, Action.MANAGE_PLAN, ward)
    check_ready(draft)
    if not confirm_other_issuer and (message := other_issuer_message(draft, ward)):
        raise DraftNotReady(message)
    choices = dict(unit_choices or {})
    result_units: list[str] = []
    for name in resolve_draft_units(draft, ward):
        if name in choices or not create_unknown_units:
            continue
        # A unit of that name may exist but be inactive: it is the same unit, not a new one.
        unit = ward.units.filter(name=name[:200]).first()
        if unit is None:
            unit = org_services.unit_create(
                actor=actor, organization=ward, name=name[:200], action=Action.MANAGE_PLAN
            )
            result_units.append(name)
        choices[name] = unit.pk
    catalogue = unit_catalogue(ward)
    plan = existing_plan(ward, draft)
    if plan is None:
        result = ImportResult(plan=_create_plan(actor, draft, ward), created=True)
    else:
        result = ImportResult(plan=plan, created=False)
    result.units_created = result_units
    sections = _sections(actor, result.plan, draft)
    saved = _tasks(actor, result, draft, ward, catalogue, choices, sections)
    _upper_links(actor, result.plan, draft, saved)
    if not ward.is_local:
        _assign_wards(actor, result.plan, draft, ward)
    if result.created:
        result.indicators_added = _indicators(actor, result.plan, draft, ward, catalogue)
        result.budget_lines_added = _budget(actor, result.plan, draft)
    elif draft.indicators or draft.budget:
        draft.warnings.append(str(REIMPORT_NOTE))
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_IMPORT,
        obj=result.plan,
        organization=ward,
        summary=f"{source_name or 'document'}: +{result.tasks_added} tasks, "
        f"{result.tasks_changed} changed, {len(result.tasks_missing)} missing",
        after={
            "source": source_name,
            "created": result.created,
            "tasks_added": result.tasks_added,
            "tasks_changed": result.tasks_changed,
            "tasks_missing": result.tasks_missing,
            "units_created": result.units_created,
            "other_issuer": other_issuer(draft, ward),
            "warnings": draft.warnings,
        },
    )
    return result


def _create_plan(actor: Actor, draft: Draft, ward: Organization) -> Plan:
    start, end = plan_period(draft)
    plan = plan_services.plan_create(
        actor=actor,
        organization=ward,
        number=draft.plan.number,
        title=draft.plan.title or draft.plan.number or "Kế hoạch",
        issuer=draft.plan.issuer or ward.name,
        issuer_kind=draft.plan.issuer_kind or Plan.Issuer.PEOPLES_COMMITTEE,
        issued_on=draft.plan.issued_on,
        period_start=start,
        period_end=end,
        parent_references="\n".join(draft.plan.parent_references),
        parents=_parent_plans(ward, draft),
        reporting_cycle=_cycle(draft.plan.reporting_cycle),
    )
    return plan


def _cycle(value: str) -> str:
    # A draft stored before the choice existed, or sent as JSON, may hold nothing usable.
    return value if value in ReportingCycle.values else ReportingCycle.QUARTERLY


def _parent_plans(ward: Organization, draft: Draft) -> list[Plan]:
    """Plans already in the system that this one names in its "Căn cứ" lines."""
    text = " ".join(draft.plan.parent_references)
    if not text:
        return []
    ancestors = [int(pk) for pk in ward.path.strip("/").split("/") if pk]
    candidates = Plan.objects.filter(organization_id__in=ancestors).exclude(number="")
    return [plan for plan in candidates if re.search(rf"\b{re.escape(plan.number)}\b", text)]


CHOOSE_UPPER_AGAIN = gettext_lazy(
    "The upper-level task chosen for task %(code)s is no longer one this ward carries out "
    "(it was withdrawn or reassigned). Choose again from the list, or choose none."
)


def _upper_links(actor: Actor, plan: Plan, draft: Draft, saved: Mapping[tuple, Task]) -> None:
    """The upper-level tasks the person chose on the draft page, linked to the saved tasks
    (``plan_link_uppers``: each link checked and audited, the upper plans become the plan's
    parents). A task nobody chose for keeps the link it has."""
    chosen = [task for task in draft.tasks if task.upper_chosen]
    if not chosen:
        return
    eligible = {task.pk: task for task in plan_selectors.eligible_upper_tasks(plan.organization)}
    links: dict[Task, Task | None] = {}
    for draft_task in chosen:
        upper = None
        if draft_task.upper_task is not None:
            upper = eligible.get(draft_task.upper_task)
            if upper is None:
                raise DraftNotReady(str(CHOOSE_UPPER_AGAIN) % {"code": draft_task.code})
        links[saved[(draft_task.section, draft_task.code)]] = upper
    try:
        plan_services.plan_link_uppers(actor=actor, plan=plan, links=links)
    except plan_services.ChainError as exc:
        raise DraftNotReady(str(exc)) from exc


@dataclass
class UpperChoices:
    """The draft page's choice of the upper-level task each draft task carries out: the upper
    plans the draft names, their tasks assigned to the ward grouped by plan, and per draft
    task the proposal and the task selected (the person's choice once made)."""

    plans: list[Plan] = field(default_factory=list)
    groups: list[tuple[Plan, list[Task]]] = field(default_factory=list)
    proposed: list[int | None] = field(default_factory=list)
    selected: list[int | None] = field(default_factory=list)

    @property
    def plan_names(self) -> str:
        return ", ".join(plan.short_name for plan in self.plans)


def draft_upper_choices(draft: Draft, ward: Organization) -> UpperChoices:
    """What the draft page offers for linking the draft's tasks to the tasks of the upper plans
    its "Căn cứ/Thực hiện Kế hoạch số …" lines name; nothing when it names none in the system.
    A task of a plan already saved keeps its link unless a proposal is all there is."""
    plans = plan_selectors.referenced_upper_plans(ward, draft.plan.parent_references)
    if not plans:
        return UpperChoices()
    uppers = list(plan_selectors.eligible_upper_tasks(ward, plans))
    groups: dict[int, tuple[Plan, list[Task]]] = {}
    for upper in uppers:
        groups.setdefault(upper.plan_id, (upper.plan, []))[1].append(upper)
    texts = [plan_selectors.task_text(upper) for upper in uppers]
    sections = {section.code: section.title for section in draft.sections}
    titles = {(task.section, task.code): task.title for task in draft.tasks}
    plan = existing_plan(ward, draft)
    linked = (
        {
            (t.section.code if t.section else "", t.code): t.upper_task_id
            for t in plan.tasks.select_related("section")
        }
        if plan
        else {}
    )
    choices = UpperChoices(plans=plans, groups=list(groups.values()))
    for task in draft.tasks:
        headings = (sections.get(task.section, ""), titles.get((task.section, task.parent), ""))
        text = cascade.TaskText(
            code=task.code,
            title=task.title,
            section_code=task.section,
            section_titles=tuple(title for title in headings if title),
        )
        index = cascade.propose(text, texts)
        proposed = uppers[index].pk if index is not None else None
        choices.proposed.append(proposed)
        if task.upper_chosen:
            choices.selected.append(task.upper_task)
        else:
            choices.selected.append(linked.get((task.section, task.code)) or proposed)
    return choices


def _sections(actor: Actor, plan: Plan, draft: Draft) -> dict[str, Section]:
    existing = {section.code: section for section in plan.sections.all()}
    for draft_section in draft.sections:
        if draft_section.code not in existing:
            existing[draft_section.code] = plan_services.section_create(
                actor=actor,
                plan=plan,
                code=draft_section.code,
                title=draft_section.title or f"Mục {draft_section.code}",
            )
    return existing


def _units_for(
    raw: str,
    ward: Organization,
    catalogue: Mapping[str, int],
    choices: Mapping[str, int | None],
    *,
    exclude: set[int] = frozenset(),
    units_by_id: Mapping[int, Unit] | None = None,
) -> list[Unit]:
    """The units ``raw`` names. ``units_by_id`` (the ward's units, ``ward_units``) saves a
    query per cell when a whole draft is saved."""
    resolution = resolve_units(raw, ward, catalogue, units_by_id)
    if resolution.all_units:
        every = (
            ward.units.filter(is_active=True)
            if units_by_id is None
            else [u for u in units_by_id.values() if u.is_active]  # in the model's order
        )
        return [u for u in every if u.pk not in exclude]
    units = list(resolution.units)
    chosen = [choices[name] for name in resolution.unknown if choices.get(name)]
    # After the recognised ones, in the order the document names them: the first unit leads.
    if units_by_id is None:
        picked = list(Unit.objects.filter(pk__in=chosen, organization=ward))
    else:
        picked = [units_by_id[pk] for pk in chosen if pk in units_by_id]
    units.extend(sorted(picked, key=lambda unit: chosen.index(unit.pk)))
    seen: set[int] = set()
    return [u for u in units if not (u.pk in seen or seen.add(u.pk)) and u.pk not in exclude]


TASK_FIELDS = (
    "title",
    "output",
    "kpi",
    "accountable",
    "note",
    "deadline_text",
    "lead_units_raw",
    "coordinating_units_raw",
)


def _task_values(task: DraftTask) -> dict[str, Any]:
    return {name: getattr(task, name) for name in TASK_FIELDS}


def _task_changes(
    current: Task, draft_task: DraftTask, leads: list[Unit], coordinators: list[Unit]
) -> tuple[dict[str, Any], bool]:
    """The fields the draft changes on a saved task, and whether its units stay the same."""
    changes = {
        name: value
        for name, value in _task_values(draft_task).items()
        if getattr(current, name) != value
    }
    # The order counts: the first lead unit is the one alerts and reports go to.
    same_units = plan_selectors.lead_unit_ids(current) == [u.pk for u in leads] and (
        plan_selectors.coordinating_unit_ids(current) == [u.pk for u in coordinators]
    )
    return changes, same_units


def _tasks(actor, result, draft, ward, catalogue, choices, sections) -> dict:
    plan = result.plan
    units_by_id = ward_units(ward)
    existing = {(t.section.code if t.section else "", t.code): t for t in plan.tasks.all()}
    seen: set[tuple[str, str]] = set()
    saved: dict[tuple[str, str], Task] = {}
    for order, draft_task in enumerate(draft.tasks):
        key = (draft_task.section, draft_task.code)
        seen.add(key)
        leads = _units_for(
            draft_task.lead_units_raw, ward, catalogue, choices, units_by_id=units_by_id
        )
        coordinators = _units_for(
            draft_task.coordinating_units_raw,
            ward,
            catalogue,
            choices,
            exclude={u.pk for u in leads},
            units_by_id=units_by_id,
        )
        parent = saved.get((draft_task.section, draft_task.parent)) if draft_task.parent else None
        current = existing.get(key)
        if current is None:
            saved[key] = plan_services.task_create(
                actor=actor,
                plan=plan,
                section=sections.get(draft_task.section),
                parent=parent,
                code=draft_task.code,
                lead_units=leads,
                coordinating_units=coordinators,
                order=order,
                **_task_values(draft_task),
            )
            result.tasks_added += 1
            continue
        changes, same_units = _task_changes(current, draft_task, leads, coordinators)
        if changes or not same_units:
            plan_services.task_update(
                actor=actor,
                task=current,
                changes=changes,
                lead_units=leads,
                coordinating_units=coordinators,
            )
            result.tasks_changed += 1
        else:
            result.tasks_unchanged += 1
        saved[key] = current
    result.tasks_missing = sorted(
        task_label(section, code) for (section, code) in existing if (section, code) not in seen
    )
    return saved


def _first_unit(raw: str, ward, catalogue, units_by_id=None) -> Unit | None:
    resolution = resolve_units(raw, ward, catalogue, units_by_id)
    return resolution.units[0] if resolution.units else None


def _long_unit(unit: str) -> str:
    return f"Đơn vị tính: {unit}" if len(unit) > 100 else ""


def _indicators(actor, plan: Plan, draft: Draft, ward, catalogue) -> int:
    units_by_id = ward_units(ward)
    for item in draft.indicators:
        plan_services.indicator_create(
            actor=actor,
            plan=plan,
            name=item.name,
            code=item.code,
            unit_of_measure=item.unit[:100],
            comparator=item.comparator if item.comparator in _COMPARATORS else ">=",
            baseline=item.baseline,
            baseline_year=item.baseline_year,
            baseline_text=item.baseline_text,
            target=item.target,
            target_year=item.target_year,
            target_text=item.target_text,
            milestones=item.milestones,
            milestone_texts=item.milestone_texts,
            lead_unit=_first_unit(item.lead_unit, ward, catalogue, units_by_id),
            monitoring_unit=_first_unit(item.monitoring_unit, ward, catalogue, units_by_id),
            lead_unit_raw=item.lead_unit,
            monitoring_unit_raw=item.monitoring_unit,
            note="\n".join(p for p in (item.note, _long_unit(item.unit)) if p),
        )
    return len(draft.indicators)


def _budget(actor, plan: Plan, draft: Draft) -> int:
    count = 0
    for line in draft.budget:
        by_year = dict(line.by_year)
        if not by_year and line.total is not None:
            # A line with only a total: booked on the first year of its period, or the plan's.
            years = _YEAR_RE.findall(line.period_text)
            year = int(years[0]) if years else plan.start.year
            by_year = {year: line.total}
        note = "\n".join(
            part
            for part in (
                line.table,
                f"Thời gian thực hiện: {line.period_text}" if line.period_text else "",
                f"Nguồn kinh phí: {line.source}" if line.source else "",
                "" if by_year else "Văn bản không ghi số tiền cho dòng này.",
            )
            if part
        )
        created = budget_services.budget_lines_create(
            actor=actor, plan=plan, content=line.item, code=line.code, by_year=by_year, note=note
        )
        count += len(created)
    return count


@dataclass
class Preview:
    """What saving the draft would do to a plan that already exists."""

    plan: Plan
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unchanged: int = 0


def preview_changes(ward: Organization, draft: Draft) -> Preview | None:
    plan = existing_plan(ward, draft)
    if plan is None:
        return None
    existing = {(t.section.code if t.section else "", t.code): t for t in plan.tasks.all()}
    catalogue = unit_catalogue(ward)
    preview = Preview(plan=plan)
    keys = set()
    for task in draft.tasks:
        key = (task.section, task.code)
        keys.add(key)
        label = task_label(task.section, task.code)
        current = existing.get(key)
        if current is None:
            preview.added.append(label)
            continue
        leads = _units_for(task.lead_units_raw, ward, catalogue, {})
        coordinators = _units_for(
            task.coordinating_units_raw, ward, catalogue, {}, exclude={u.pk for u in leads}
        )
        changes, same_units = _task_changes(current, task, leads, coordinators)
        if changes or not same_units:
            preview.changed.append(label)
        else:
            preview.unchanged += 1
    preview.missing = sorted(task_label(s, c) for (s, c) in existing if (s, c) not in keys)
    return preview


@transaction.atomic
def import_draft_create(
    *,
    actor: User,
    ward: Organization,
    draft: Draft,
    source_name: str,
    sha256: str,
    amends: Plan | None = None,
):
    """Keep a freshly read draft for checking; audited like every write. ``amends`` is the
    plan the document amends, when the person said so."""
    if amends is not None and amends.organization_id != ward.pk:
        raise ValueError(f"plan {amends.pk} is not a plan of ward {ward.pk}")
    stored = ImportDraft.objects.create(
        organization=ward,
        created_by=actor,
        source_name=source_name[:255],
        source_sha256=sha256,
        data=draft_to_data(draft),
        amends=amends,
    )
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT_UPLOAD,
        obj=stored,
        organization=ward,
        # Vietnamese on purpose: the audit summary is stored, in the ward's language.
        summary=f"{source_name}: {len(draft.tasks)} nhiệm vụ, {len(draft.warnings)} điểm cần kiểm tra",
        after={
            "sha256": sha256,
            "tasks": len(draft.tasks),
            "indicators": len(draft.indicators),
            "amends": amends.pk if amends is not None else None,
        },
    )
    return stored


# The audit action of each way a draft ends.
_CLOSE_ACTIONS = {
    ImportDraft.Status.SAVED: AuditAction.IMPORT_SAVED,
    ImportDraft.Status.DISCARDED: AuditAction.IMPORT_DISCARDED,
}


@transaction.atomic
def import_draft_close(*, actor: User, stored, status: str, plan: Plan | None = None) -> None:
    stored.status = status
    stored.plan = plan
    stored.save(update_fields=["status", "plan"])
    audit_record(
        actor=actor,
        action=_CLOSE_ACTIONS[status],
        obj=stored,
        organization=stored.organization,
        summary=stored.source_name,
    )


# --- The review page's corrections, saved in one transaction -----------------------------------

TASK_EDIT_FIELDS = ("code", "title", "lead_units_raw", "coordinating_units_raw", "deadline_text")
INDICATOR_EDIT_FIELDS = (
    "name",
    "unit",
    "comparator",
    "baseline_text",
    "target_text",
    "target_year",
)
PLAN_EDIT_FIELDS = ("number", "title", "issuer")


@dataclass
class DraftEdits:
    """What the person changed on the review page (``importer.forms.DraftReviewForm``): only
    the fields posted are here, so a partial form changes nothing else."""

    plan: dict[str, str] = field(default_factory=dict)
    issued_on: datetime.date | None = None
    issued_on_posted: bool = False
    tasks: dict[int, dict[str, str]] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    # An indicator's corrected cells by its index: the fields above, and "milestones" as
    # {year: text as the person typed it}.
    indicators: dict[int, dict[str, Any]] = field(default_factory=dict)
    deleted_indicators: set[int] = field(default_factory=set)
    shown_units: set[str] = field(default_factory=set)
    unit_choices: dict[str, int | None] = field(default_factory=dict)
    # The person ticked that a plan issued by another ward belongs to this one all the same.
    confirm_other_issuer: bool = False
    # The upper-level task chosen for a task by its index (None: none), where the page asked.
    uppers: dict[int, int | None] = field(default_factory=dict)


def draft_apply_edits(draft: Draft, edits: DraftEdits) -> None:
    """The person's corrections on the draft in memory: the plan's identity, edited cells,
    deleted rows (a kept warning says so). Pure; the caller decides what is stored."""
    for name, value in edits.plan.items():
        setattr(draft.plan, name, value)
    if edits.issued_on_posted:
        draft.plan.issued_on = edits.issued_on
    kept = []
    for index, task in enumerate(draft.tasks):
        if index in edits.deleted:
            # Stored with the draft, in the language of the reviewer who removed the row.
            draft.warnings.append(
                gettext("Row %(row)s (task %(code)s) was removed by the reviewer.")
                % {"row": where(task.row), "code": task.code}
            )
            continue
        for name, value in edits.tasks.get(index, {}).items():
            setattr(task, name, value)
        if index in edits.uppers:
            task.upper_task = edits.uppers[index]
            task.upper_chosen = True
        kept.append(task)
    draft.tasks = kept
    indicators = []
    for index, indicator in enumerate(draft.indicators):
        if index in edits.deleted_indicators:
            draft.warnings.append(
                gettext("Row %(row)s (indicator %(code)s) was removed by the reviewer.")
                % {"row": where(indicator.row), "code": indicator.code or indicator.name[:40]}
            )
            continue
        indicator_apply_edits(indicator, edits.indicators.get(index, {}))
        indicators.append(indicator)
    draft.indicators = indicators


def indicator_apply_edits(indicator: DraftIndicator, cells: Mapping[str, Any]) -> None:
    """An indicator's corrected cells, each read again as the recogniser reads the document's
    (a target "≥ 90%" is 90 with its comparator, "Duy trì" keeps the year before's level).
    Only what differs from the draft changes it, so an untouched row stays exactly as read."""
    for name in ("name", "unit"):
        if name in cells and cells[name] != getattr(indicator, name):
            setattr(indicator, name, cells[name])
    if "baseline_text" in cells and cells["baseline_text"] != indicator.baseline_text:
        indicator.baseline_text = cells["baseline_text"]
        indicator.baseline = level_value(indicator.baseline_text)
    if "target_text" in cells and cells["target_text"] != indicator.target_text:
        target = read_target(cells["target_text"])
        indicator.target_text = cells["target_text"]
        indicator.target = target.value
        indicator.comparator = target.comparator if target.value is not None else None
        indicator.comparator_written = target.written and target.value is not None
    elif "comparator" in cells and (cells["comparator"] or None) != indicator.comparator:
        # Chosen by the person, not written in the document.
        indicator.comparator = cells["comparator"] or None
        indicator.comparator_written = False
    if "target_year" in cells and cells["target_year"] != indicator.target_year:
        indicator.target_year = cells["target_year"]
    typed = cells.get("milestones", {})
    texts = dict(indicator.milestone_texts)
    for year, text in typed.items():
        if text:
            texts[year] = text
        else:
            texts.pop(year, None)
    if texts != indicator.milestone_texts:
        indicator.milestone_texts = dict(sorted(texts.items()))
        indicator.milestones = milestone_values(texts, indicator.baseline)


class DraftNeedsChoices(DraftNotReady):
    """An edit brought unit names nobody has chosen for yet; the edits are kept in the draft."""


def import_draft_update(*, actor: User, stored_pk: int, edits: DraftEdits) -> ImportResult | None:
    """Apply the review page's corrections to the stored draft and save it into the ward, in
    one transaction: the draft row is locked, so a second click (or a second person) finds it
    closed and saves nothing (None).

    When an edit brings unit names that were not on the page, the corrected draft is stored
    (so the page shows them, with the person's edits) and ``DraftNeedsChoices`` is raised;
    any other ``DraftNotReady`` leaves the stored draft as it was. Either exception carries
    the corrected draft as ``draft``, for the page to show what was typed.
    """
    needs_choices: DraftNeedsChoices | None = None
    with transaction.atomic():
        stored = ImportDraft.objects.select_for_update(no_key=True).get(pk=stored_pk)
        if stored.status != ImportDraft.Status.OPEN:
            return None
        require(actor, Action.MANAGE_PLAN, stored.organization)
        draft = draft_from_data(stored.data)
        draft_apply_edits(draft, edits)
        new_names = set(resolve_draft_units(draft, stored.organization)) - edits.shown_units
        if new_names:
            stored.data = draft_to_data(draft)
            stored.save(update_fields=["data"])
            needs_choices = DraftNeedsChoices(
                gettext(
                    "After the edits there are new unit names nobody has chosen for yet: "
                    "%(names)s. Choose for these names, then save again."
                )
                % {"names": ", ".join(sorted(new_names))}
            )
        else:
            try:
                result = import_draft(
                    actor=actor,
                    draft=draft,
                    ward=stored.organization,
                    unit_choices=edits.unit_choices,
                    source_name=stored.source_name,
                    confirm_other_issuer=edits.confirm_other_issuer,
                )
            except DraftNotReady as exc:
                exc.draft = draft  # type: ignore[attr-defined]
                raise
            stored.data = draft_to_data(draft)
            stored.save(update_fields=["data"])
            import_draft_close(actor=actor, stored=stored, status="saved", plan=result.plan)
            return result
    # Raised after the commit: the corrected draft stays stored for the page to show.
    needs_choices.draft = draft  # type: ignore[attr-defined]
    raise needs_choices


@transaction.atomic
def import_draft_add_block(
    *, actor: User, stored_pk: int, edits: DraftEdits, source: str
) -> DraftTask | None:
    """Add a block the import left out (``DraftCoverage.left_out``) to the stored draft as a
    task, its text as the title, after applying the page's other corrections so nothing
    typed is lost; the person then completes its lead unit and deadline. None when the draft
    is closed; ``DraftNotReady`` when no left-out block has that source (already added)."""
    stored = ImportDraft.objects.select_for_update(no_key=True).get(pk=stored_pk)
    if stored.status != ImportDraft.Status.OPEN:
        return None
    require(actor, Action.MANAGE_PLAN, stored.organization)
    draft = draft_from_data(stored.data)
    draft_apply_edits(draft, edits)
    task = add_left_out_task(draft, source)
    if task is None:
        raise DraftNotReady(
            gettext("No left-out block at %(where)s: it may have been added already.")
            % {"where": where(source[:200])}
        )
    stored.data = draft_to_data(draft)
    stored.save(update_fields=["data"])
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT_BLOCK_ADDED,
        obj=stored,
        organization=stored.organization,
        # Vietnamese on purpose: the audit summary is stored, in the ward's language.
        summary=f"{stored.source_name}: {source} → nhiệm vụ {task.code}",
        after={"source": source, "section": task.section, "code": task.code},
    )
    return task


# --- An amending document: the draft compared with the plan it amends -----------------------


def draft_task_rows(draft: Draft, plan: Plan) -> list[dict[str, Any]]:
    """The draft's tasks as ``plans.amendments`` rows, to compare with ``plan``'s. A cell the
    document leaves empty, or units it names that match no unit of the ward, say nothing
    about the task: the task keeps what it has (an amending document often repeats only part
    of the appendix)."""
    ward = plan.organization
    catalogue = unit_catalogue(ward)
    year = plan.start.year
    rows = []
    for task in draft.tasks:
        row: dict[str, Any] = {
            "id": None,
            "code": task.code,
            "title": task.title,
            "section": task.section,
            "parent": task.parent,
            "withdrawn": False,
        }
        for name in ("output", "kpi"):
            if getattr(task, name).strip():
                row[name] = getattr(task, name)
        if task.deadline_text.strip():
            due = amendments.due_date_for(
                task.deadline_text, plan_year=year, plan_end=plan.period_end
            )
            row["deadline_text"] = task.deadline_text
            row["due_date"] = due.isoformat() if due else None
        leads = _units_for(task.lead_units_raw, ward, catalogue, {})
        coordinators = _units_for(
            task.coordinating_units_raw, ward, catalogue, {}, exclude={u.pk for u in leads}
        )
        for name, units in (("lead_units", leads), ("coordinating_units", coordinators)):
            if units:
                row[name] = [unit.name for unit in units]
                row[f"{name[:-1]}_ids"] = [unit.pk for unit in units]
        rows.append(row)
    return rows


def amendment_changes(stored: ImportDraft, *, withdraw_missing: bool = False) -> list[dict]:
    """What saving the amending draft would change in the plan it amends."""
    draft = draft_from_data(stored.data)
    plan = stored.amends
    if plan is None:
        return []
    return amendments.diff(
        plan_selectors.plan_task_rows(plan),
        draft_task_rows(draft, plan),
        withdraw_missing=withdraw_missing,
    )


def import_amendment_save(
    *,
    actor: User,
    stored_pk: int,
    number: str,
    issued_on: datetime.date | None,
    note: str,
    withdraw_missing: bool,
):
    """Save an amending draft as the next version of its plan, in one transaction with the
    draft's closing: a second click finds the draft closed and saves nothing (None). A draft
    with two tasks of one code is refused (``DraftNotReady``), as a new plan's would be."""
    with transaction.atomic():
        stored = ImportDraft.objects.select_for_update(no_key=True).get(pk=stored_pk)
        if stored.status != ImportDraft.Status.OPEN or stored.amends is None:
            return None
        require(actor, Action.MANAGE_PLAN, stored.amends)
        check_unique_codes(draft_from_data(stored.data))
        amendment = plan_services.amendment_apply(
            actor=actor,
            plan=stored.amends,
            number=number,
            issued_on=issued_on,
            note=note,
            changes=amendment_changes(stored, withdraw_missing=withdraw_missing),
        )
        import_draft_close(actor=actor, stored=stored, status="saved", plan=stored.amends)
        return amendment


# --- Scans read in the background: OCR takes seconds a page ---

QUEUE_FAILED = gettext_lazy(
    "The document could not be handed to the background worker. Try again in a moment; if it "
    "happens again, tell the administrator."
)
READING_FAILED = gettext_lazy(
    "Reading the document failed unexpectedly. Try again; if it happens again, upload the "
    "plan's Word file or tell the administrator."
)
READING_NOT_ALLOWED = gettext_lazy(
    "The person who uploaded this document may no longer import plans for this ward, so no "
    "draft was made from it. Someone who may import plans uploads it again."
)
READING_STOPPED = gettext_lazy(
    "Reading the document stopped before it was done (the background worker was stopped or "
    "took too long). Upload the document again; if it happens again, upload the plan's Word "
    "file or tell the administrator."
)
# A reading still "running" this long after its time limit was cut off (a worker killed
# mid-OCR): nothing will finish it.
READING_GRACE_SECONDS = 300


def import_reading_queue(
    *,
    actor: User,
    ward: Organization,
    data: bytes,
    source_name: str,
    sha256: str,
    amends: Plan | None = None,
) -> ImportReading:
    """Keep an uploaded scan and queue its reading for ``theodoi worker``; the draft is made
    there (``import_reading_run``). The upload and its task are written together. Raises
    UnsupportedDocument when OCR is not installed."""
    if amends is not None and amends.organization_id != ward.pk:
        raise ValueError(f"plan {amends.pk} is not a plan of ward {ward.pk}")
    # Said at once, on the upload page, rather than after a wait in the queue.
    ocr.require(source_name)
    with transaction.atomic():
        reading = ImportReading.objects.create(
            organization=ward,
            created_by=actor,
            source_name=source_name[:255],
            source_sha256=sha256,
            content=data,
            amends=amends,
        )
        # The upload is recorded now, as a direct upload is: the draft may come much later or
        # never (a scan that cannot be read).
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT_UPLOAD,
            obj=reading,
            organization=ward,
            # Vietnamese on purpose: the audit summary is stored, in the ward's language.
            summary=f"{source_name}: bản quét, chờ nhận dạng chữ (OCR)",
            after={
                "sha256": sha256,
                "scan": True,
                "amends": amends.pk if amends is not None else None,
            },
        )

        def unqueued(exc: Exception) -> None:
            _reading_failed(reading.pk, str(QUEUE_FAILED))

        background.enqueue(read_import_document, reading_id=reading.pk, on_failure=unqueued)
    reading.refresh_from_db()
    return reading


def _reading_failed(reading_id: int, message: str) -> None:
    # The upload's bytes are not kept once nothing will read them.
    ImportReading.objects.filter(pk=reading_id).update(
        status=ImportReading.Status.FAILED,
        message=message,
        content=b"",
        finished_at=timezone.now(),
    )


def _may_import(actor: User | None, ward: Organization) -> bool:
    # The check the upload page made, made again: the worker may run long after the upload.
    return (
        actor is not None
        and actor.is_active
        and actor.organization_id == ward.pk
        and can_import_plans(actor)
    )


def import_reading_expire(reading: ImportReading) -> bool:
    """Mark ``reading`` failed when it is still "running" well past OCR's time limit (its
    worker was killed); True when it was. ``reading`` is refreshed."""
    if reading.status != ImportReading.Status.RUNNING:
        return False
    started = reading.started_at or reading.created_at
    limit = ocr.time_limit(reading.pages_total or ocr.MAX_PAGES) + READING_GRACE_SECONDS
    if (timezone.now() - started).total_seconds() <= limit:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        message = str(READING_STOPPED)
    expired = ImportReading.objects.filter(
        pk=reading.pk, status=ImportReading.Status.RUNNING
    ).update(
        status=ImportReading.Status.FAILED,
        message=message,
        content=b"",
        finished_at=timezone.now(),
    )
    reading.refresh_from_db(fields=["status", "message", "finished_at"])
    return bool(expired)


def import_reading_run(*, reading_id: int) -> str:
    """Read one queued upload into a draft, recording the pages done as OCR goes; returns the
    reading's status. A reading is done once: a second run of its task leaves it."""
    claimed = ImportReading.objects.filter(
        pk=reading_id, status=ImportReading.Status.QUEUED
    ).update(status=ImportReading.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return "skipped"

    def progress(done: int, total: int) -> None:
        ImportReading.objects.filter(pk=reading_id).update(pages_done=done, pages_total=total)

    # The worker has no request: messages and warnings are in the installation's language.
    # Whatever fails, the reading ends failed with a reason: one left "running" is never
    # claimed again and its page would wait for ever.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            reading = ImportReading.objects.select_related(
                "organization", "created_by", "amends"
            ).get(pk=reading_id)
            if not _may_import(reading.created_by, reading.organization):
                _reading_failed(reading_id, str(READING_NOT_ALLOWED))
                return ImportReading.Status.FAILED
            draft = draft_from_bytes(
                bytes(reading.content), name=reading.source_name, progress=progress
            )
            with transaction.atomic():
                # Asked again after OCR, which may have taken many minutes.
                actor = User.objects.filter(pk=reading.created_by_id).first()
                if not _may_import(actor, reading.organization):
                    _reading_failed(reading_id, str(READING_NOT_ALLOWED))
                    return ImportReading.Status.FAILED
                stored = import_draft_create(
                    actor=actor,
                    ward=reading.organization,
                    draft=draft,
                    source_name=reading.source_name,
                    sha256=reading.source_sha256,
                    amends=reading.amends,
                )
                ImportReading.objects.filter(pk=reading_id).update(
                    status=ImportReading.Status.DONE,
                    draft=stored,
                    content=b"",
                    finished_at=timezone.now(),
                )
        except UnsupportedDocument as exc:
            _reading_failed(reading_id, exc.message)
            return ImportReading.Status.FAILED
        except BaseException:
            # The queue's time-out and a stopped worker too: said, then passed on.
            _reading_failed(reading_id, str(READING_FAILED))
            raise
    return ImportReading.Status.DONE


@django_tasks.task()
def read_import_document(*, reading_id: int) -> str:
    """The background task (``theodoi worker``): one uploaded scan read into a draft."""
    return import_reading_run(reading_id=reading_id)
