"""Django admin: the admin role manages its own ward only, and changes are audited."""

from django.urls import reverse

from theodoi.audit.models import AuditEvent
from theodoi.org.models import Unit


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
