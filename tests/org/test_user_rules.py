"""The rules of a person's place hold on every write path: the service and the admin's forms
refuse a unit officer without a unit and a unit of another ward (User.clean), and write
nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from theodoi.audit.models import AuditEvent
from theodoi.org import services
from theodoi.org.models import Role, User


def _create(world, **overrides):
    arguments = {
        "actor": world.people.ward_admin,
        "username": "moi",
        "password": "mat-khau-rat-dai-2026",
        "role": Role.UNIT_OFFICER,
        "organization": world.ward_a,
        "unit": world.vhxh,
    } | overrides
    return services.user_create(**arguments)


def test_the_service_creates_a_unit_officer_in_a_unit_of_the_ward(world):
    user = _create(world)

    assert user.unit == world.vhxh and user.check_password("mat-khau-rat-dai-2026")
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"unit": None}, "phải thuộc một đơn vị"),
        ({"role": Role.UNIT_HEAD, "unit": None}, "phải thuộc một đơn vị"),
        ({"unit": "unit_b"}, "phải thuộc chính phường, xã"),
    ],
)
def test_the_service_refuses_a_place_that_breaks_the_rules(world, overrides, message):
    if overrides.get("unit") == "unit_b":
        overrides["unit"] = world.unit_b
    with pytest.raises(ValidationError) as refused:
        _create(world, **overrides)

    assert message in str(refused.value)
    assert not User.objects.filter(username="moi").exists()
    assert not AuditEvent.objects.filter(action="user.create").exists()


def _add_form(world, **fields):
    return {
        "username": "moi",
        "password1": "mat-khau-rat-dai-2026",
        "password2": "mat-khau-rat-dai-2026",
        "usable_password": "true",
        "role": Role.UNIT_OFFICER,
        "organization": world.ward_a.pk,
        "unit": world.vhxh.pk,
    } | fields


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"unit": ""}, "phải thuộc một đơn vị"),
        ({"unit": "unit_b"}, "phải thuộc chính phường, xã"),
    ],
)
def test_the_admin_refuses_a_new_user_that_breaks_the_rules(admin_client, world, fields, message):
    if fields.get("unit") == "unit_b":
        fields["unit"] = world.unit_b.pk
    response = admin_client.post(reverse("admin:org_user_add"), _add_form(world, **fields))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="moi").exists()


def test_the_admin_creates_a_user_that_keeps_the_rules(admin_client, world):
    response = admin_client.post(reverse("admin:org_user_add"), _add_form(world))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(username="moi").unit == world.vhxh


def test_the_admin_refuses_to_move_an_officer_into_another_wards_unit(admin_client, world):
    officer = world.people.officer
    page = admin_client.get(reverse("admin:org_user_change", args=[officer.pk]))
    form = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    form.update(
        {
            "date_joined_0": officer.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": officer.date_joined.strftime("%H:%M:%S"),
            "organization": world.ward_a.pk,
            "unit": world.unit_b.pk,
            "is_active": "on",
        }
    )
    form.pop("date_joined", None)
    form.pop("password", None)
    form.pop("last_login", None)

    response = admin_client.post(reverse("admin:org_user_change", args=[officer.pk]), form)

    assert response.status_code == 200
    assert "phải thuộc chính phường, xã" in response.content.decode()
    officer.refresh_from_db()
    assert officer.unit == world.vhxh
