"""Loading the demo data through the same services a ward's staff use."""

import datetime

from django.db import transaction

from theodoi.demo import data
from theodoi.org import services as org_services
from theodoi.org.matching import match_units
from theodoi.org.models import Organization, Unit, User
from theodoi.plans import services as plan_services
from theodoi.plans.models import Plan
from theodoi.reporting import services as reporting_services


def _units_catalogue(ward: Organization) -> dict[str, int]:
    catalogue: dict[str, int] = {}
    for unit in ward.units.prefetch_related("aliases"):
        catalogue[unit.name] = unit.pk
        for alias in unit.aliases.all():
            catalogue[alias.alias] = unit.pk
    return catalogue


def _resolve(raw: str, ward: Organization, catalogue: dict[str, int], *, exclude=()) -> list[Unit]:
    match = match_units(raw, catalogue, ward_name=ward.name)
    if match.all_units:
        return [u for u in ward.units.all() if u.pk not in exclude]
    return list(Unit.objects.filter(pk__in=match.unit_ids))


@transaction.atomic
def load_demo() -> tuple[Organization, bool]:
    """Create the demo province, ward, units, users and plan. Returns (ward, created); running
    it again changes nothing."""
    existing = Organization.objects.filter(code=data.WARD["code"]).first()
    if existing is not None:
        return existing, False

    province = Organization.objects.filter(code=data.PROVINCE["code"]).first()
    if province is None:
        province = org_services.organization_create(actor=None, **data.PROVINCE)
    ward = org_services.organization_create(actor=None, parent=province, **data.WARD)
    for name, short_name, aliases in data.UNITS:
        org_services.unit_create(
            actor=None, organization=ward, name=name, short_name=short_name, aliases=aliases
        )
    units = {unit.name: unit for unit in ward.units.all()}

    users: dict[str, User] = {}
    for username, role, unit_name, full_name, position in data.USERS:
        organization = province if role == "upper_level" else ward
        if username == "admin":
            organization = None  # the installation's administrator sees every ward
        *first, last = full_name.split()
        users[username] = org_services.user_create(
            actor=None,
            username=username,
            password=data.PASSWORD,
            role=role,
            organization=organization,
            unit=units.get(unit_name) if unit_name else None,
            first_name=" ".join(first),
            last_name=last,
            position=position,
        )
    users["admin"].is_superuser = True
    users["admin"].save(update_fields=["is_superuser"])

    plan_fields = dict(data.PLAN)
    for key in ("issued_on", "period_start", "period_end"):
        plan_fields[key] = datetime.date.fromisoformat(plan_fields[key])
    plan = plan_services.plan_create(actor=None, organization=ward, **plan_fields)
    section = plan_services.section_create(actor=None, plan=plan, title=data.SECTION)
    catalogue = _units_catalogue(ward)
    tasks = {}
    for code, title, lead_raw, coordinating_raw, deadline in data.TASKS:
        leads = _resolve(lead_raw, ward, catalogue)
        coordinators = _resolve(coordinating_raw, ward, catalogue, exclude={u.pk for u in leads})
        tasks[code] = plan_services.task_create(
            actor=None,
            plan=plan,
            section=section,
            code=code,
            title=title,
            lead_units=leads,
            coordinating_units=coordinators,
            lead_units_raw=lead_raw,
            coordinating_units_raw=coordinating_raw,
            accountable=data.ACCOUNTABLE,
            deadline_text=deadline,
        )
    task_code, text = data.DIRECTIVE
    reporting_services.directive_create(
        actor=users["lanhdao"], task=tasks[str(task_code)], text=text
    )
    return ward, True


def demo_plan(ward: Organization) -> Plan | None:
    return ward.plans.first()
