"""Django admin: the admin role manages its own ward only, and changes are audited."""

from django.urls import reverse

from tests.factories import UserFactory
from theodoi.audit.models import AuditEvent
from theodoi.org.models import Role, Unit


def test_ward_admin_sees_only_own_ward_units(client, world):
    world.people.ward_admin.is_staff = True
    world.people.ward_admin.save()
    client.force_login(world.people.ward_admin)
    content = client.get(reverse("admin:org_unit_changelist")).content.decode()
    assert "Công an phường" in content
    assert client.get(reverse("admin:org_unit_change", args=[world.unit_b.pk])).status_code in (
        302,
        404,
    )


def test_ward_admin_change_is_audited(client, world):
    client.force_login(world.people.ward_admin)
    url = reverse("admin:org_unit_change", args=[world.police.pk])
    response = client.post(
        url,
        {
            "organization": world.ward_a.pk,
            "name": "Công an phường An Bình",
            "short_name": "CA",
            "order": 0,
            "is_active": "on",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Unit.objects.get(pk=world.police.pk).name == "Công an phường An Bình"
    event = AuditEvent.objects.get(action="unit.update")
    assert event.actor == world.people.ward_admin
    assert event.before["name"] == "Công an phường"


def test_staff_flag_without_admin_role_gives_no_admin(client, world):
    office = world.people.office
    office.is_staff = True
    office.save()
    client.force_login(office)
    assert client.get(reverse("admin:org_unit_changelist")).status_code == 403


def test_ward_admin_cannot_create_a_user_without_an_organisation(client, world):
    client.force_login(world.people.ward_admin)
    response = client.post(
        reverse("admin:org_user_add"),
        {
            "username": "moi",
            "password1": "mat-khau-rat-dai-2026",
            "password2": "mat-khau-rat-dai-2026",
            "role": "admin",
            "organization": "",
            "unit": "",
        },
    )
    assert response.status_code == 200
    assert "Hãy chọn phường, xã" in response.content.decode()
    assert not world.people.ward_admin.__class__.objects.filter(username="moi").exists()


def test_ward_admin_does_not_see_superusers_or_reshape_the_tree(client, world):
    root = world.people.leader
    root.is_superuser = True
    root.save()
    client.force_login(world.people.ward_admin)
    assert client.get(reverse("admin:org_user_change", args=[root.pk])).status_code == 302
    assert client.get(reverse("admin:org_organization_add")).status_code == 403
    assert client.get(reverse("admin:org_organization_changelist")).status_code == 200


def test_ward_admin_manages_unit_aliases(client, world):
    client.force_login(world.people.ward_admin)
    page = client.get(reverse("admin:org_unit_change", args=[world.police.pk]))
    assert "aliases-TOTAL_FORMS" in page.content.decode()


def test_a_ward_admin_meets_no_other_organisation_in_the_filters(client, world):
    client.force_login(world.people.ward_admin)
    for name in ("admin:org_unit_changelist", "admin:org_user_changelist"):
        content = client.get(reverse(name)).content.decode()
        for hidden in (world.ward_b, world.province, world.other_province):
            assert f"organization__id__exact={hidden.pk}" not in content
            assert hidden.name not in content


def test_a_province_admin_filters_by_the_provinces_organisations_only(client, world):
    admin = UserFactory(username="tinh-admin", organization=world.province, role=Role.ADMIN)
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    for name in ("admin:org_unit_changelist", "admin:org_user_changelist"):
        content = client.get(reverse(name)).content.decode()
        for shown in (world.province, world.ward_a, world.ward_b):
            assert f"organization__id__exact={shown.pk}" in content
        assert f"organization__id__exact={world.other_province.pk}" not in content
        assert world.other_province.name not in content


def test_an_installation_admin_filters_by_every_organisation(admin_client, world):
    content = admin_client.get(reverse("admin:org_unit_changelist")).content.decode()
    for organization in (world.ward_a, world.ward_b, world.province, world.other_province):
        assert f"organization__id__exact={organization.pk}" in content
