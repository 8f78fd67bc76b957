"""The API token endpoint asks for the TOTP code of a person who turned two-factor sign-in on, and
counts a wrong or missing code towards the sign-in lockout like a wrong password."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.api.helpers import post_json
from tests.security.test_two_factor import RIGHT, _code, _fresh
from theodoi.api.models import ApiToken

LIMIT = 5


@pytest.fixture(autouse=True)
def _axes_limits(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


@pytest.fixture
def device(world):
    return TOTPDevice.objects.create(user=world.people.office, name="app", confirmed=True)


def _wrong(device: TOTPDevice) -> str:
    """A six-digit code that is none of those accepted now (the device allows one step of
    clock drift either way)."""
    valid = {
        str(totp(device.bin_key, step=device.step, t0=device.t0, digits=6, drift=d)).zfill(6)
        for d in (-1, 0, 1)
    }
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def _token(client, password=RIGHT, **extra):
    return post_json(client, "/auth/token", {"username": "olga", "password": password, **extra})


def test_the_password_alone_is_not_enough(world, device):
    response = _token(Client())
    assert response.status_code == 401
    assert "xác thực hai bước" in response.json()["detail"]
    assert "otp_code" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_a_wrong_code_is_refused_and_the_right_one_gives_a_token(world, device):
    wrong = _token(Client(), otp_code=_wrong(device))
    assert wrong.status_code == 401
    assert wrong.json()["detail"] == "Mã xác thực hai bước không đúng hoặc đã hết hạn."
    assert not ApiToken.objects.exists()
    _fresh(device)
    code = _code(device)
    # Spaces as the app shows them ("123 456") are fine.
    right = _token(Client(), otp_code=f"{code[:3]} {code[3:]}")
    assert right.status_code == 200 and right.json()["token"]
    assert ApiToken.objects.filter(user=world.people.office).count() == 1


def test_a_used_code_cannot_be_replayed(world, device):
    code = _code(device)
    assert _token(Client(), otp_code=code).status_code == 200
    assert _token(Client(), otp_code=code).status_code == 401


def test_missing_and_wrong_codes_count_towards_the_lockout(world, device):
    client = Client()
    for attempt in range(LIMIT - 1):
        extra = {} if attempt % 2 else {"otp_code": _wrong(device)}
        assert _token(client, **extra).status_code == 401, attempt
    locked = _token(client, otp_code=_wrong(device))
    assert locked.status_code == 429
    assert "thử lại sau 1 phút" in locked.json()["detail"]  # the first of growing waits
    # Locked out: even the right password with the right code is refused.
    _fresh(device)
    assert _token(client, otp_code=_code(device)).status_code == 429
    assert not ApiToken.objects.exists()


def test_the_right_password_with_a_wrong_code_does_not_clear_earlier_failures(world, device):
    client = Client()
    for _ in range(LIMIT - 1):
        assert _token(client, password="wrong").status_code == 401
    assert _token(client, otp_code=_wrong(device)).status_code == 429


def test_people_without_a_confirmed_device_need_no_code(world):
    # An unconfirmed enrolment does not count, and unit roles are never asked.
    TOTPDevice.objects.create(user=world.people.office, name="app", confirmed=False)
    TOTPDevice.objects.create(user=world.people.officer, name="x", confirmed=True)
    assert _token(Client()).status_code == 200
    response = post_json(Client(), "/auth/token", {"username": "alice", "password": RIGHT})
    assert response.status_code == 200
