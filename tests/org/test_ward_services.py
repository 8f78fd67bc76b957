"""The ward admin's writes: units and people of their own ward, roles no higher than their own,
each change audited; refusals write nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import UserFactory
from theodoi.audit.models import AuditEvent
from theodoi.org import services
from theodoi.org.models import Role, Unit, User


def _person(world, **overrides):
    arguments = {
        "actor": world.people.ward_admin,
        "username": "moi",
        "password": None,
        "role": Role.UNIT_OFFICER,
        "organization": world.ward_a,
        "unit": world.vhxh,
        "phone": "0912 345 678",
    } | overrides
    return services.user_create(**arguments)


def test_a_person_made_without_a_password_keeps_the_phone_and_cannot_sign_in_yet(world):
    person = _person(world)

    assert person.phone == "0912 345 678" and not person.has_usable_password()
    assert AuditEvent.objects.filter(action="user.create", object_id=str(person.pk)).exists()


@pytest.mark.parametrize("role", [Role.UPPER_LEVEL, "superuser"])
def test_a_ward_admin_cannot_grant_a_role_above_a_ward_role(world, role):
    with pytest.raises(PermissionDenied):
        _person(world, role=role, unit=None)
    assert not User.objects.filter(username="moi").exists()


def test_a_ward_admin_cannot_touch_another_ward(world):
    with pytest.raises(PermissionDenied):
        _person(world, organization=world.ward_b, unit=world.unit_b)
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=world.people.ward_admin, user=world.people.other_ward)
    with pytest.raises(PermissionDenied):
        services.unit_update(actor=world.people.ward_admin, unit=world.unit_b, name="Đổi tên")
    world.unit_b.refresh_from_db()
    assert world.unit_b.name == "Phòng Văn hóa - Xã hội"
    assert world.people.other_ward.is_active


def test_a_ward_admin_cannot_change_someone_placed_above_the_ward(world):
    global_admin = UserFactory(username="root", role=Role.ADMIN, is_staff=True)
    boss = UserFactory(
        username="sep", organization=world.ward_a, role=Role.LEADER, is_superuser=True
    )
    for person in (global_admin, boss, world.people.upper):
        with pytest.raises(PermissionDenied):
            services.user_deactivate(actor=world.people.ward_admin, user=person)
    assert User.objects.filter(is_active=False).count() == 0


def test_a_unit_officer_cannot_manage_the_ward(world):
    with pytest.raises(PermissionDenied):
        services.unit_create_checked(
            actor=world.people.officer, organization=world.ward_a, name="Phòng Mới"
        )
    with pytest.raises(PermissionDenied):
        services.user_update(
            actor=world.people.officer,
            user=world.people.police_officer,
            username="bob",
            role=Role.LEADER,
            unit=None,
        )


def test_user_update_changes_role_unit_and_contact_and_audits_before_and_after(world):
    officer = world.people.police_officer
    services.user_update(
        actor=world.people.ward_admin,
        user=officer,
        username="bob.ca",
        role=Role.UNIT_HEAD,
        unit=world.police,
        first_name="Bùi Văn",
        last_name="Bình",
        email="BOB@Example.VN",
        phone="0987654321",
    )

    officer.refresh_from_db()
    assert (officer.username, officer.role, officer.phone) == (
        "bob.ca",
        Role.UNIT_HEAD,
        "0987654321",
    )
    event = AuditEvent.objects.get(action="user.update", object_id=str(officer.pk))
    assert event.before["role"] == Role.UNIT_OFFICER and event.after["role"] == Role.UNIT_HEAD
    assert "password" not in event.after


def test_making_a_ward_admin_gives_the_admin_flag_and_taking_it_back_removes_it(world):
    person = world.people.leader
    update = dict(actor=world.people.ward_admin, user=person, username="lan", unit=None)
    services.user_update(role=Role.ADMIN, **update)
    assert User.objects.get(pk=person.pk).is_staff
    services.user_update(role=Role.LEADER, **update)
    assert not User.objects.get(pk=person.pk).is_staff


def test_an_admin_neither_deactivates_nor_demotes_themselves(world):
    admin = world.people.ward_admin
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=admin, user=admin)
    with pytest.raises(ValidationError):
        services.user_update(actor=admin, user=admin, username="quan", role=Role.LEADER, unit=None)
    admin.refresh_from_db()
    assert admin.is_active and admin.role == Role.ADMIN


def test_deactivation_is_audited_and_the_person_cannot_sign_in(world, client):
    services.user_deactivate(actor=world.people.ward_admin, user=world.people.officer)

    response = client.post("/login/", {"username": "alice", "password": "correct-horse-battery"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="user.deactivate")
    assert event.before["is_active"] is True and event.after["is_active"] is False


def test_a_taken_user_name_is_refused_whatever_its_case(world):
    with pytest.raises(ValidationError) as refused:
        _person(world, username="ALICE")
    assert "đã có người dùng" in str(refused.value)


def test_a_unit_with_the_name_or_alias_of_another_is_refused(world):
    services.unit_update(
        actor=world.people.ward_admin,
        unit=world.vhxh,
        name="Phòng Văn hóa - Xã hội",
        aliases=["VHXH"],
    )
    for name in ("phong van hoa xa hoi", "vhxh", "Công an"):
        with pytest.raises(ValidationError):
            services.unit_create_checked(
                actor=world.people.ward_admin, organization=world.ward_a, name=name
            )
    assert world.ward_a.units.count() == 2


def test_unit_update_replaces_the_aliases_and_records_them(world):
    admin = world.people.ward_admin
    services.unit_update(
        actor=admin, unit=world.vhxh, name="Phòng Văn hóa - Xã hội", aliases=["VHXH", "VH-XH"]
    )
    services.unit_update(
        actor=admin,
        unit=world.vhxh,
        name="Phòng Văn hóa - Xã hội",
        short_name="VHXH",
        aliases=["Phòng VH-XH", "VH-XH"],
    )

    aliases = sorted(world.vhxh.aliases.values_list("alias", flat=True))
    assert aliases == ["Phòng VH-XH", "VH-XH"], "the short name is no alias; VHXH left"
    last = AuditEvent.objects.filter(action="unit.update").order_by("-pk").first()
    assert last.before["aliases"] == ["VH-XH", "VHXH"]
    assert last.after["aliases"] == ["Phòng VH-XH", "VH-XH"]


def test_a_unit_in_use_is_not_deleted_and_one_with_people_not_deactivated(world):
    admin = world.people.ward_admin
    with pytest.raises(ValidationError):
        services.unit_delete(actor=admin, unit=world.police)  # leads a task, has an officer
    with pytest.raises(ValidationError):
        services.unit_deactivate(actor=admin, unit=world.police)
    assert Unit.objects.filter(pk=world.police.pk, is_active=True).exists()


def test_an_unused_unit_is_deleted_and_the_deletion_audited(world):
    unit = services.unit_create_checked(
        actor=world.people.ward_admin, organization=world.ward_a, name="Phòng gõ nhầm"
    )
    services.unit_delete(actor=world.people.ward_admin, unit=unit)

    assert not Unit.objects.filter(name="Phòng gõ nhầm").exists()
    assert AuditEvent.objects.filter(action="unit.delete", summary="Phòng gõ nhầm").exists()
