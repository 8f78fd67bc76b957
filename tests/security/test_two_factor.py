"""Optional TOTP two-factor sign-in for the standing office, leaders and admins."""

import re

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

RIGHT = "correct-horse-battery"


def _code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str(value).zfill(device.digits)


def _fresh(device: TOTPDevice) -> None:
    """Forget the last code used and the throttling after a wrong code (1 s, doubling), so a
    test may give the right code of the same 30 seconds at once."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()


def _enrol(user) -> TOTPDevice:
    client = Client()
    client.force_login(user)
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'id="otp-secret"[^>]*>([A-Z2-7=]+)<', page.content.decode()).group(1)
    assert "otpauth://totp/" in page.content.decode()
    assert client.post("/account/two-factor/", {"code": "000000"}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed, "a wrong code does not turn it on"
    _fresh(device)
    response = client.post("/account/two-factor/", {"code": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed and secret
    _fresh(device)
    return device


def _sign_in(username):
    client = Client()
    response = client.post("/login/", {"username": username, "password": RIGHT})
    assert response.status_code == 302
    return client, response


def test_enrol_then_sign_in_asks_for_the_code(world):
    device = _enrol(world.people.office)
    client, response = _sign_in("olga")
    # Every page sends the person to the code step until the code is given.
    page = client.get("/plans/")
    assert page.status_code == 302 and page["Location"].startswith("/account/two-factor/verify/")
    assert client.get("/api/v1/me").status_code == 401, "the session never opens the API"
    step = client.get(page["Location"])
    assert step.status_code == 200
    done = client.post("/account/two-factor/verify/?next=/plans/", {"code": _code(device)})
    assert done.status_code == 302 and done["Location"] == "/plans/"
    assert client.get("/plans/").status_code == 200


def test_wrong_code_is_refused(world):
    _enrol(world.people.leader)
    client, _ = _sign_in("lan")
    refused = client.post("/account/two-factor/verify/", {"code": "000000"})
    assert refused.status_code == 200
    assert client.get("/plans/").status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_next_is_never_another_site(world):
    device = _enrol(world.people.ward_admin)
    client, _ = _sign_in("quan")
    done = client.post(
        "/account/two-factor/verify/?next=https://evil.example/", {"code": _code(device)}
    )
    assert done.status_code == 302 and done["Location"] == "/"


def test_without_a_device_sign_in_needs_no_code(world):
    client, _ = _sign_in("olga")
    assert client.get("/plans/").status_code == 200


def test_unit_roles_are_never_asked_and_cannot_enrol(world):
    officer = world.people.officer
    # Even a device created behind the scenes does not make a unit officer give a code.
    TOTPDevice.objects.create(user=officer, name="x", confirmed=True)
    client, _ = _sign_in("alice")
    assert client.get("/plans/").status_code == 200
    assert client.get("/account/two-factor/").status_code == 403
    head = Client()
    head.force_login(world.people.head)
    assert head.get("/account/two-factor/").status_code == 403


def test_turning_it_off_needs_a_current_code(world):
    device = _enrol(world.people.office)
    client = Client()
    client.force_login(world.people.office)
    client.post("/account/two-factor/verify/", {"code": _code(device)})
    _fresh(device)
    kept = client.post("/account/two-factor/", {"action": "disable", "code": "000000"})
    assert kept.status_code == 200 and TOTPDevice.objects.filter(user=device.user).exists()
    _fresh(device)
    client.post("/account/two-factor/", {"action": "disable", "code": _code(device)})
    assert not TOTPDevice.objects.filter(user=device.user).exists()
