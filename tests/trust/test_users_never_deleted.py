"""People are deactivated, never deleted: deleting one would blank the actor of their audit records
and break the chain that `theodoi verify_audit` checks."""

import pytest
from django.core.management import call_command
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from tests.api.helpers import client_for
from tests.factories import UserFactory
from theodoi.audit.models import AuditEvent
from theodoi.audit.verify import verify_chain
from theodoi.org.models import Organization, Role, User, UserNotDeletable
from theodoi.plans.services import task_update

RIGHT = "correct-horse-battery"


@pytest.fixture
def acted(world):
    """The office has done something, so the audit trail names them."""
    office = world.people.office
    task_update(actor=office, task=world.task_vhxh, changes={"title": "Tên mới"})
    assert AuditEvent.objects.filter(actor=office).exists()
    return office


def test_deleting_a_user_is_refused_with_a_clear_message(world, acted):
    with pytest.raises(UserNotDeletable, match="Active|Đang hoạt động"):
        acted.delete()
    # Even someone the trail does not name yet: the refusal is the rule, not an accident.
    with pytest.raises(UserNotDeletable):
        world.people.upper.delete()
    assert User.objects.filter(pk__in=[acted.pk, world.people.upper.pk]).count() == 2
    assert verify_chain().ok


def test_a_bulk_delete_of_people_named_in_the_trail_is_refused(world, acted, capsys):
    with pytest.raises(ProtectedError):
        User.objects.filter(pk=acted.pk).delete()
    assert AuditEvent.objects.filter(actor=acted).exists()
    call_command("verify_audit")
    assert "OK" in capsys.readouterr().out


def test_a_place_named_in_the_trail_cannot_be_deleted_either(world, acted):
    with pytest.raises(ProtectedError):
        Organization.objects.filter(pk=world.ward_a.pk).delete()
    assert verify_chain().ok


def _admin(world) -> Client:
    client = Client()
    client.force_login(world.people.ward_admin)
    return client


def test_the_admin_offers_no_deletion_of_users(world, acted):
    client = _admin(world)
    change = client.get(reverse("admin:org_user_change", args=[acted.pk]))
    assert change.status_code == 200
    assert reverse("admin:org_user_delete", args=[acted.pk]) not in change.content.decode()
    assert client.get(reverse("admin:org_user_delete", args=[acted.pk])).status_code == 403
    assert client.post(reverse("admin:org_user_delete", args=[acted.pk])).status_code == 403
    changelist = client.get(reverse("admin:org_user_changelist")).content.decode()
    assert 'value="delete_selected"' not in changelist
    assert 'value="deactivate"' in changelist
    # Not for an installation-wide admin either.
    root = UserFactory(username="root", is_staff=True, is_superuser=True, role=Role.ADMIN)
    root_client = Client()
    root_client.force_login(root)
    assert root_client.get(reverse("admin:org_user_delete", args=[acted.pk])).status_code == 403
    assert User.objects.filter(pk=acted.pk).exists()


def test_deactivating_from_the_admin_locks_the_person_out_and_is_audited(world, acted):
    api = client_for(acted)
    assert api.get("/api/v1/me").status_code == 200
    admin = world.people.ward_admin
    response = _admin(world).post(
        reverse("admin:org_user_changelist"),
        {
            "action": "deactivate",
            "_selected_action": [acted.pk, admin.pk, world.people.other_ward.pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    acted.refresh_from_db()
    admin.refresh_from_db()
    world.people.other_ward.refresh_from_db()
    assert not acted.is_active
    # The admin does not lock themselves out, and another ward's people are out of reach.
    assert admin.is_active and world.people.other_ward.is_active
    event = AuditEvent.objects.get(action="user.deactivate")
    assert event.actor == admin and event.object_id == str(acted.pk)
    assert event.before["is_active"] is True and event.after["is_active"] is False
    assert "password" not in event.after
    # Signed out everywhere: the page sign-in and the API token no longer work.
    assert Client().post("/login/", {"username": "olga", "password": RIGHT}).status_code == 200
    assert api.get("/api/v1/me").status_code == 401
    # Their records keep their name, and the chain holds.
    assert AuditEvent.objects.filter(actor=acted, action="task.update").exists()
    assert verify_chain().ok
