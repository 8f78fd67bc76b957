"""Loading the demo: wards, units and people created, and the seed plans imported from their
documents through the same services a ward's staff use."""

import datetime
from pathlib import Path

from django.db import transaction

from theodoi.alerts.services import scan, send_digests
from theodoi.assessment import framework as frameworks
from theodoi.assessment import scoring
from theodoi.assessment import services as assessment_services
from theodoi.core.access import SYSTEM
from theodoi.core.clock import today
from theodoi.core.samplepdf import tiny_pdf
from theodoi.demo import alerts as demo_alerts
from theodoi.demo import data
from theodoi.demo.budget import add_budget_lines
from theodoi.demo.cascade import link_ward_tasks
from theodoi.demo.checks import load_checks_demo
from theodoi.demo.evidence import evidence_replacements
from theodoi.demo.history import returned_and_sent_again
from theodoi.demo.imports import upload_narrative_plan
from theodoi.demo.notifications import show_notifications
from theodoi.demo.province import load_province_plan
from theodoi.demo.report_words import units_write_their_difficulties
from theodoi.demo.upward import periodic_reports
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.services import import_draft
from theodoi.org import services as org_services
from theodoi.org.models import Organization, User
from theodoi.plans.periods import period_of
from theodoi.tracking import services as tracking_services

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"


def _units(ward: Organization) -> None:
    for name, short_name, aliases in data.UNITS:
        org_services.unit_create(
            actor=SYSTEM,
            organization=ward,
            name=name,
            short_name=short_name,
            aliases=aliases,
            records_budget=name == data.BUDGET_UNIT,
        )


def _users(province: Organization, ward: Organization) -> dict[str, User]:
    units = {unit.name: unit for unit in ward.units.all()}
    users: dict[str, User] = {}
    for username, role, unit_name, full_name, position in data.USERS:
        organization = province if role == "upper_level" else ward
        if username == "admin":
            organization = None  # the installation's administrator sees every ward
        *first, last = full_name.split()
        users[username] = org_services.user_create(
            actor=SYSTEM,
            username=username,
            password=data.PASSWORD,
            role=role,
            organization=organization,
            unit=units.get(unit_name) if unit_name else None,
            first_name=" ".join(first),
            last_name=last,
            position=position,
            # A reserved domain: the alert digests go nowhere outside the demo's console.
            email=f"{username}@theodoi.example",
        )
    users["admin"].is_superuser = True
    users["admin"].save(update_fields=["is_superuser"])
    return users


@transaction.atomic
def load_demo() -> tuple[Organization, bool]:
    """Create the demo provinces, wards, units, users and plans. Returns (the users' ward,
    created); running it again changes nothing."""
    existing = Organization.objects.filter(code=data.WARD["code"]).first()
    if existing is not None:
        return existing, False
    provinces = {
        item["code"]: org_services.organization_create(actor=SYSTEM, **item)
        for item in data.PROVINCES
    }
    wards = {}
    for item in data.WARDS:
        ward = org_services.organization_create(
            actor=SYSTEM,
            name=item["name"],
            code=item["code"],
            kind="ward",
            parent=provinces[item["province"]],
        )
        _units(ward)
        wards[item["code"]] = ward
    users = _users(provinces[data.PROVINCE["code"]], wards[data.WARD["code"]])
    # Before the wards' plans, which name it as the plan they carry out.
    load_province_plan(provinces[data.PROVINCE["code"]], data.PASSWORD)
    for item in data.WARDS:
        for seed in item["seeds"]:
            draft = draft_from_bytes((SEEDS_DIR / seed).read_bytes(), name=seed)
            import_draft(actor=SYSTEM, draft=draft, ward=wards[item["code"]], source_name=seed)
    link_ward_tasks(users)
    ward = wards[data.WARD["code"]]
    _complete(ward, users)
    _amend(ward, users)
    section, code, text = data.DIRECTIVE
    task = ward.plans.get().tasks.get(section__code=section, code=code)
    tracking_services.directive_create(actor=users["lanhdao"], task=task, text=text)
    _activity(ward, users)
    units_write_their_difficulties(ward, users)
    evidence_replacements(ward, users)
    returned_and_sent_again(ward, users)
    _assessment(ward, users)
    load_checks_demo(ward, users)
    add_budget_lines(ward, users["vanphong"])
    upload_narrative_plan(ward, users["vanphong"])
    show_notifications(ward, users)
    periodic_reports(ward, users)
    scan(organization=provinces[data.PROVINCE["code"]])
    demo_alerts.acknowledge_and_snooze(ward, users["vanphong"])
    # Queued for the background worker (`make demo` runs one): the first digests of the alerts.
    send_digests(organization=provinces[data.PROVINCE["code"]])
    return ward, True


def _complete(ward: Organization, users: dict[str, User]) -> None:
    """The standing office gives every task of the plan its lead unit and deadline the way a
    person does on the completeness page: a bulk assignment per group of tasks, each task's
    change audited under the office's name."""
    plan = ward.plans.get()
    units = {unit.name: unit for unit in ward.units.all()}
    for lead, coordinating, deadline, refs in data.COMPLETION:
        tasks = [plan.tasks.get(section__code=section, code=code) for section, code in refs]
        tracking_services.tasks_bulk_assign(
            actor=users["vanphong"],
            tasks=tasks,
            lead_units=[units[lead]],
            coordinating_units=[units[name] for name in coordinating],
            deadline_text=deadline,
        )


def _amend(ward: Organization, users: dict[str, User]) -> None:
    """Later in the year the ward amends its plan (a numbered version), and the office has one
    task reported weekly."""
    plan = ward.plans.get()
    units = {unit.name: unit for unit in ward.units.all()}
    office = users["vanphong"]
    section, code = data.WEEKLY_TASK
    tracking_services.task_update(
        actor=office,
        task=plan.tasks.get(section__code=section, code=code),
        changes={"reporting_cycle": "weekly"},
    )
    amendment = data.AMENDMENT
    (moved_section, moved_code), moved_to = amendment["moved"]
    (gone_section, gone_code), reason = amendment["withdrawn"]
    added = amendment["added"]
    tracking_services.amendment_apply(
        actor=office,
        plan=plan,
        number=amendment["number"],
        issued_on=datetime.date(*amendment["issued_on"]),
        note=amendment["note"],
        changes=[
            {
                "kind": "changed",
                "task": plan.tasks.get(section__code=moved_section, code=moved_code).pk,
                "fields": {"deadline_text": {"after": moved_to}},
            },
            {
                "kind": "added",
                "row": {
                    "section": added["section"],
                    "code": added["code"],
                    "title": added["title"],
                    "deadline_text": added["deadline_text"],
                    "lead_unit_ids": [units[added["lead"]].pk],
                    "coordinating_unit_ids": [units[name].pk for name in added["coordinating"]],
                },
            },
            {
                "kind": "withdrawn",
                "task": plan.tasks.get(section__code=gone_section, code=gone_code).pk,
                "reason": reason,
            },
        ],
    )


def _activity(ward: Organization, users: dict[str, User]) -> None:
    """A few weeks of work on the Lê Chân plan, through the same services the pages use, so the
    dashboard, the review queue and the alerts have something to show."""
    plan = ward.plans.get()
    for section, code, username, percent, result, review in data.ACTIVITY:
        task = plan.tasks.get(section__code=section, code=code)
        period = str(period_of(today(), task.cycle))
        report = tracking_services.report_submit(
            actor=users[username], task=task, period=period, percent=percent, result=result
        )
        if review is None:
            continue
        evidence = tracking_services.evidence_upload(
            actor=users[username],
            name=f"bao-cao-{section}-{code}.pdf",
            data=tiny_pdf(result),
            task=task,
            report=report,
            kind="signed_document",
        )
        if review:
            tracking_services.evidence_review(
                actor=users["vanphong"], evidence=evidence, decision=review[0], reason=review[1]
            )


def _demo_answer(criterion: frameworks.Criterion, seed: int) -> scoring.Answer:
    """A plausible answer that differs from unit to unit and year to year."""
    rule = criterion.rule
    if criterion.allow_not_applicable and seed % 7 == 0:
        return scoring.Answer(not_applicable=True)
    if rule.type == frameworks.YES_NO:
        return scoring.Answer(value="yes" if seed % 3 else "no")
    if rule.type == frameworks.PERCENT:
        return scoring.Answer(value=str(30 + seed * 37 % 71))
    if rule.type == frameworks.COUNT:
        return scoring.Answer(value=str(seed % 8))
    if rule.type == frameworks.CHOICE:
        return scoring.Answer(value=rule.choices[seed % len(rule.choices)].code)
    return scoring.Answer(value=str(seed % int(criterion.max_points + 1)))


def _assessment(ward: Organization, users: dict[str, User]) -> None:
    """Last year's self-assessment, closed, and this year's, open: some units accepted, one sent,
    the culture unit still filling in, so every page of the toolkit has something to show."""
    office = users["vanphong"]
    year = today().year
    units = list(ward.units.order_by("order", "name"))
    for offset, accepted in ((1, len(units)), (0, 4)):
        framework = assessment_services.framework_adopt_default(
            actor=office, ward=ward, year=year - offset
        )
        campaign = assessment_services.campaign_open(
            actor=office,
            framework=framework,
            units=units,
            name=f"Tự đánh giá mức độ chuyển đổi số năm {year - offset}",
        )
        definition = framework.parsed
        submissions = list(campaign.submissions.select_related("unit").order_by("unit__order"))
        for index, submission in enumerate(submissions):
            if submission.unit.name == "Phòng Văn hóa - Xã hội" and not offset:
                continue  # left for the demo user canbo_vhxh to fill in
            answers = {
                c.code: _demo_answer(c, index * 5 + position + offset * 2)
                for position, c in enumerate(definition.leaves())
                if not c.source
            }
            assessment_services.answers_save(actor=office, submission=submission, answers=answers)
            if index > accepted:
                continue
            assessment_services.submission_submit(actor=office, submission=submission)
            if index < accepted:
                assessment_services.submission_decide(
                    actor=office, submission=submission, accept=True
                )
        if offset:
            assessment_services.campaign_close(actor=office, campaign=campaign)
