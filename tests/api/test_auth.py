"""Tokens: issued for a password, stored only hashed, refused when wrong, revoked or stale."""

import datetime
import hashlib

from django.test import Client
from django.utils import timezone

from tests.api.helpers import BASE, client_for, post_json
from theodoi.api.models import ApiToken

NEED_TOKEN = "Cần đăng nhập: gửi Authorization: Bearer <token>."


def test_token_for_the_right_password_opens_the_api_and_is_stored_hashed(world):
    response = post_json(
        Client(), "/auth/token", {"username": "alice", "password": "correct-horse-battery"}
    )
    assert response.status_code == 200
    raw = response.json()["token"]
    row = ApiToken.objects.get(user=world.people.officer)
    assert row.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert row.prefix == raw[:8] and raw not in (row.key_hash, row.prefix)
    me = Client().get(BASE + "/me", headers={"authorization": f"Bearer {raw}"})
    assert me.status_code == 200 and me.json()["username"] == "alice"


def test_wrong_password_or_inactive_user_gets_401(world):
    wrong = post_json(Client(), "/auth/token", {"username": "alice", "password": "nope"})
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "Tên đăng nhập hoặc mật khẩu không đúng."}
    world.people.head.is_active = False
    world.people.head.save()
    inactive = post_json(
        Client(), "/auth/token", {"username": "hanh", "password": "correct-horse-battery"}
    )
    assert inactive.status_code == 401
    assert not ApiToken.objects.exists()


def test_missing_bad_or_revoked_token_gets_401(world):
    assert Client().get(BASE + "/plans").json() == {"detail": NEED_TOKEN}
    assert Client().get(BASE + "/plans").status_code == 401
    bad = Client(headers={"authorization": "Bearer not-a-token"}).get(BASE + "/plans")
    assert bad.status_code == 401 and bad.json() == {"detail": NEED_TOKEN}
    assert bad["WWW-Authenticate"].startswith("Bearer")
    client = client_for(world.people.officer)
    assert client.get(BASE + "/plans").status_code == 200
    ApiToken.objects.update(revoked=True)
    assert client.get(BASE + "/plans").status_code == 401


def test_token_of_a_deactivated_user_stops_working(world):
    client = client_for(world.people.officer)
    world.people.officer.is_active = False
    world.people.officer.save()
    assert client.get(BASE + "/me").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(world):
    client = client_for(world.people.officer)
    client.get(BASE + "/me")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get(BASE + "/me")
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=timezone.now() - datetime.timedelta(minutes=2))
    client.get(BASE + "/me")
    assert ApiToken.objects.get().last_used_at > first


def test_session_login_does_not_open_the_api(world, client):
    # Token auth only: a browser session must not reach the API (no CSRF exposure).
    client.force_login(world.people.officer)
    assert client.get(BASE + "/me").status_code == 401


def test_me_describes_the_person(world):
    body = client_for(world.people.officer).get(BASE + "/me").json()
    assert body["role"] == "unit_officer"
    assert body["unit"] == {"id": world.vhxh.pk, "name": "Phòng Văn hóa - Xã hội"}
    assert body["ward"] == {
        "id": world.ward_a.pk,
        "name": "Phường An Bình",
        "code": world.ward_a.code,
    }
    upper = client_for(world.people.upper).get(BASE + "/me").json()
    assert upper["unit"] is None and upper["ward"] is None
    assert upper["organization"]["id"] == world.province.pk
    assert upper["organization"]["kind"] == "province"
