"""The actions that moved into core/access.py, each proven by role both ways, the helpers for
"limited to own unit" and the alert audience, and the system actor that replaced ``None``."""

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.core.test_access import EVERYONE
from tests.factories import OrganizationFactory, UnitFactory, UserFactory
from theodoi.audit.actions import AuditAction
from theodoi.audit.models import AuditEvent
from theodoi.audit.services import audit_record
from theodoi.audit.verify import verify_chain
from theodoi.core.access import (
    SYSTEM,
    Action,
    alert_digest_audience,
    can,
    can_edit_catalogue,
    limited_to_own_unit,
    offers_two_factor,
    person_of,
    require,
)
from theodoi.org.models import Role, Unit, User
from theodoi.plans.models import Indicator


def _who(world, allowed):
    return {name for name in EVERYONE if allowed(getattr(world.people, name))}


def _who_can(world, action, obj):
    return _who(world, lambda person: can(person, action, obj))


@pytest.fixture
def global_admin(db):
    return UserFactory(username="root_admin", organization=None, role=Role.ADMIN, is_staff=True)


def test_the_office_the_leaders_and_the_upper_level_download_the_report(world):
    assert _who_can(world, Action.DOWNLOAD_REPORT, world.plan_a) == {"office", "leader", "upper"}


def test_the_office_and_the_ward_admin_edit_the_ranking_scale(world, global_admin):
    assert _who_can(world, Action.EDIT_SCALE, world.ward_a) == {"office", "ward_admin"}
    assert can(global_admin, Action.EDIT_SCALE, world.ward_a)


def test_admins_export_the_audit_trail(world, global_admin):
    assert _who_can(world, Action.EXPORT_AUDIT, None) == {"ward_admin"}
    assert can(global_admin, Action.EXPORT_AUDIT, None)


def test_the_office_links_an_indicator_to_the_catalogue(world, global_admin):
    indicator = Indicator.objects.create(plan=world.plan_a, name="Tỷ lệ hồ sơ trực tuyến")
    assert _who_can(world, Action.LINK_CATALOGUE, indicator) == {"office"}
    assert can(global_admin, Action.LINK_CATALOGUE, indicator)


def test_the_upper_level_keeps_the_shared_catalogue(world, global_admin):
    assert _who(world, can_edit_catalogue) == {"upper", "other_upper"}
    assert can_edit_catalogue(global_admin)


def test_only_the_office_records_budget_until_a_unit_is_granted_it(world):
    assert _who_can(world, Action.RECORD_BUDGET, world.plan_a) == {"office"}
    world.vhxh.records_budget = True
    world.vhxh.save()
    for name in ("officer", "head"):
        getattr(world.people, name).unit.refresh_from_db()
    assert _who_can(world, Action.RECORD_BUDGET, world.plan_a) == {"officer", "head", "office"}
    # The grant is the ward's: it opens nothing in another ward's plan.
    assert not can(world.people.officer, Action.RECORD_BUDGET, world.plan_b)


def test_a_unit_named_economy_records_nothing_without_the_grant(world):
    economy = UnitFactory(organization=world.ward_a, name="Phòng Kinh tế, Hạ tầng và Đô thị")
    officer = UserFactory(username="kinhte", unit=economy, role=Role.UNIT_OFFICER)
    assert not can(officer, Action.RECORD_BUDGET, world.plan_a)


def test_unit_roles_are_limited_to_their_own_unit(world):
    assert _who(world, limited_to_own_unit) == {"officer", "head", "police_officer"}
    root = world.people.officer
    root.is_superuser = True
    assert not limited_to_own_unit(root)


def test_the_second_sign_in_step_is_offered_to_the_office_leaders_and_admins(world):
    assert _who(world, offers_two_factor) == {"office", "leader", "ward_admin", "other_ward"}
    assert not offers_two_factor(SYSTEM)


def test_the_digest_audience_is_the_unit_roles_the_office_and_the_leaders(world):
    mailed = set(User.objects.filter(alert_digest_audience()).values_list("username", flat=True))
    people = world.people
    names = {getattr(people, name).username: name for name in EVERYONE}
    assert {names[username] for username in mailed if username in names} == {
        "officer",
        "head",
        "police_officer",
        "office",
        "leader",
        "other_ward",
    }


# --- The system actor -------------------------------------------------------------------------


def test_the_system_may_do_everything_and_none_is_an_error(world):
    assert all(can(SYSTEM, action, world.task_b) for action in Action)
    assert can_edit_catalogue(SYSTEM)
    with pytest.raises(TypeError):
        can(None, Action.VIEW, world.task_b)
    with pytest.raises(TypeError):
        require(None, Action.MANAGE_PLAN, world.plan_a)
    with pytest.raises(TypeError):
        person_of(None)


def test_a_service_refuses_none_instead_of_skipping_its_check(world):
    from theodoi.plans import services

    with pytest.raises(TypeError):
        services.section_create(actor=None, plan=world.plan_a, title="I")
    with pytest.raises(TypeError), transaction.atomic():
        audit_record(actor=None, action="test.none", obj=world.ward_a)
    assert not world.plan_a.sections.exists()


def test_the_system_is_recorded_as_no_person_and_the_chain_verifies(world):
    with transaction.atomic():
        event = audit_record(actor=SYSTEM, action=AuditAction.ALERTS_SCAN, obj=world.ward_a)
    assert AuditEvent.objects.get(pk=event.pk).actor_id is None
    assert verify_chain().ok


# --- The migration that turned the name rule into a grant --------------------------------------

BEFORE = [("org", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_units_whose_name_says_economy_keep_recording_budget_after_the_migration():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_unit = executor.loader.project_state(BEFORE).apps.get_model("org", "Unit")
    ward = OrganizationFactory()
    economy = old_unit.objects.create(organization_id=ward.pk, name="Phòng KINH TẾ, Hạ tầng")
    culture = old_unit.objects.create(organization_id=ward.pk, name="Phòng Văn hóa - Xã hội")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Unit.objects.get(pk=economy.pk).records_budget
    assert not Unit.objects.get(pk=culture.pk).records_budget
