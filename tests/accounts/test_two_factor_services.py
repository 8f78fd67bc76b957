"""Turning two-factor sign-in on or off goes through the account services, which write the
audit record in the same transaction; a wrong code changes nothing and records nothing."""

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.probes import ODD_VALUES, post_raw
from tests.security.test_two_factor import _code, _fresh
from theodoi.accounts import services
from theodoi.audit.models import AuditEvent


def _actions(user):
    return list(
        AuditEvent.objects.filter(object_id=str(user.pk), action__startswith="user.two_factor")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_enabling_and_disabling_through_the_page_is_audited(world):
    office = world.people.office
    client = Client()
    client.force_login(office)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=office, confirmed=False)

    assert client.post(reverse("two_factor_setup"), {"code": _code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    _fresh(device)
    off = client.post(reverse("two_factor_setup"), {"action": "disable", "code": _code(device)})

    assert off.status_code == 302
    assert not TOTPDevice.objects.filter(user=office).exists()
    assert _actions(office) == ["user.two_factor.enable", "user.two_factor.disable"]
    event = AuditEvent.objects.get(action="user.two_factor.enable")
    assert event.actor == office and event.organization == office.organization


def test_a_wrong_code_changes_nothing_and_records_nothing(world):
    leader = world.people.leader
    device = services.two_factor_pending_device(user=leader)

    assert not services.two_factor_enable(user=leader, device=device, code="000000")
    device.refresh_from_db()
    assert not device.confirmed
    _fresh(device)
    assert services.two_factor_enable(user=leader, device=device, code=_code(device))
    _fresh(device)
    assert not services.two_factor_disable(user=leader, code="000000")
    assert TOTPDevice.objects.filter(user=leader, confirmed=True).exists()
    assert _actions(leader) == ["user.two_factor.enable"]


def test_a_device_of_someone_else_is_never_confirmed(world):
    device = services.two_factor_pending_device(user=world.people.leader)

    assert not services.two_factor_enable(
        user=world.people.office, device=device, code=_code(device)
    )
    device.refresh_from_db()
    assert not device.confirmed
    assert _actions(world.people.office) == []


def test_garbled_codes_are_refused_without_error(world):
    """Odd input on the page (a lone surrogate, "²", a long paste) is a wrong code, not a 500."""
    office = world.people.office
    client = Client()
    client.force_login(office)
    for code in ODD_VALUES:
        response = post_raw(client, reverse("two_factor_setup"), {"code": code})
        assert response.status_code == 200, code
        response = post_raw(client, reverse("api_tokens"), {"token": code})
        assert response.status_code == 302, code
    assert not TOTPDevice.objects.filter(user=office, confirmed=True).exists()
