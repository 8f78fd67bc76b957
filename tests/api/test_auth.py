"""Tokens: issued for a password, stored only hashed, refused when wrong, revoked or stale."""

import datetime
import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.api.helpers import BASE, client_for, post_json
from tests.factories import UserFactory
from theodoi.api.models import ApiToken
from theodoi.audit.models import AuditEvent

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


TOKEN_EXPIRED = (
    "Token này đã hết hạn. Hãy tạo token mới bằng POST /api/v1/auth/token "
    "(tên đăng nhập và mật khẩu)."
)


def test_a_token_expires_after_the_configured_days(world, settings):
    settings.THEODOI_API_TOKEN_DAYS = 30
    before = timezone.now()
    response = post_json(
        Client(), "/auth/token", {"username": "alice", "password": "correct-horse-battery"}
    )
    row = ApiToken.objects.get()
    assert before + datetime.timedelta(days=30) <= row.expires_at
    assert row.expires_at <= timezone.now() + datetime.timedelta(days=30)
    assert response.json()["expires_at"] is not None
    client = Client(headers={"authorization": f"Bearer {response.json()['token']}"})
    assert client.get(BASE + "/me").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    expired = client.get(BASE + "/me")
    assert expired.status_code == 401
    assert expired.json() == {"detail": TOKEN_EXPIRED}
    assert 'error="invalid_token"' in expired["WWW-Authenticate"]


def _token_ids(client) -> list[int]:
    response = client.get(BASE + "/auth/tokens")
    assert response.status_code == 200
    return [item["id"] for item in response.json()["items"]]


def test_the_owner_lists_their_tokens_without_the_secret(world):
    mine, raw = ApiToken.create_for(world.people.officer, "báo cáo tự động")
    ApiToken.create_for(world.people.office, "of someone else")
    client = Client(headers={"authorization": f"Bearer {raw}"})
    client.get(BASE + "/me")
    items = client.get(BASE + "/auth/tokens").json()["items"]
    assert len(items) == 1
    item = items[0]
    assert set(item) == {
        "id",
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "expired",
    }
    assert item["id"] == mine.pk and item["name"] == "báo cáo tự động"
    assert item["prefix"] == raw[:8] and raw not in str(items)
    assert item["last_used_at"] is not None and item["expired"] is False


def test_the_owner_revokes_a_token_and_only_their_own(world):
    spare, spare_raw = ApiToken.create_for(world.people.officer, "spare")
    client = client_for(world.people.officer)
    theirs, theirs_raw = ApiToken.create_for(world.people.office, "olga's")
    # Another person's token is not found, and keeps working.
    other = client.delete(f"{BASE}/auth/tokens/{theirs.pk}")
    assert other.status_code == 404
    assert (
        Client(headers={"authorization": f"Bearer {theirs_raw}"}).get(BASE + "/me").status_code
        == 200
    )
    assert client.delete(f"{BASE}/auth/tokens/999999").status_code == 404
    revoked = client.delete(f"{BASE}/auth/tokens/{spare.pk}")
    assert revoked.status_code == 204
    assert (
        Client(headers={"authorization": f"Bearer {spare_raw}"}).get(BASE + "/me").status_code
        == 401
    )
    assert spare.pk not in _token_ids(client)
    assert client.delete(f"{BASE}/auth/tokens/{spare.pk}").status_code == 404
    event = AuditEvent.objects.get(action="api.token.revoke")
    assert event.actor == world.people.officer and event.object_id == str(spare.pk)


def test_a_password_change_by_an_admin_revokes_the_tokens(world):
    client = client_for(world.people.officer)
    other = client_for(world.people.office)
    person = world.people.officer
    person.set_password("mot-mat-khau-moi-2026")
    person.save()
    assert client.get(BASE + "/me").status_code == 401
    assert other.get(BASE + "/me").status_code == 200


def test_the_account_page_lists_and_revokes_tokens(world, client):
    mine, raw = ApiToken.create_for(world.people.officer, "trang tính")
    theirs, _ = ApiToken.create_for(world.people.office, "olga's")
    client.force_login(world.people.officer)
    page = client.get(reverse("api_tokens")).content.decode()
    assert "trang tính" in page and mine.prefix in page and raw not in page
    assert "olga&#x27;s" not in page and "olga's" not in page
    refused = client.post(reverse("api_tokens"), {"token": theirs.pk}, follow=True)
    assert "Token này không tồn tại hoặc đã bị thu hồi." in refused.content.decode()
    assert not ApiToken.objects.get(pk=theirs.pk).revoked
    garbage = client.post(reverse("api_tokens"), {"token": "abc"}, follow=True)
    assert garbage.status_code == 200
    done = client.post(reverse("api_tokens"), {"token": mine.pk}, follow=True)
    assert f"Đã thu hồi token {mine.prefix}…" in done.content.decode()
    assert f"{mine.prefix}…." not in done.content.decode()
    assert ApiToken.objects.get(pk=mine.pk).revoked


def test_the_account_page_asks_before_revoking_and_speaks_to_people_without_programs(world, client):
    mine, _ = ApiToken.create_for(world.people.officer, "trang tính")
    client.force_login(world.people.officer)
    page = client.get(reverse("api_tokens")).content.decode()
    assert "Mã truy cập API" in page
    assert "Nếu không dùng chương trình kết nối, bạn không cần làm gì ở đây." in page
    assert f'data-confirm="Thu hồi token {mine.prefix}…? ' in page
    # The hidden "Revoke" header cell stays inside the scrolling table on a phone.
    assert '<div class="table-responsive position-relative">' in page


def test_the_user_menu_links_to_the_account_page(world, client):
    client.force_login(world.people.officer)
    assert reverse("api_tokens") in client.get(reverse("plan_list")).content.decode()


def _revoke_all_events(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(action="api.token.revoke_all", object_id=str(user.pk))
        .order_by("pk")
        .values_list("summary", flat=True)
    )


def test_deactivating_revokes_the_tokens_so_reactivating_does_not_bring_them_back(world):
    person = world.people.officer
    client = client_for(person)
    other = client_for(world.people.office)
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert not ApiToken.objects.filter(user=person, revoked=False).exists()
    assert _revoke_all_events(person) == ["1 token: tài khoản đã ngừng hoạt động"]
    person.is_active = True
    person.save(update_fields=["is_active"])
    assert client.get(BASE + "/me").status_code == 401
    assert other.get(BASE + "/me").status_code == 200
    # Saving the inactive account again records nothing more: nothing was left to revoke.
    person.is_active = False
    person.save()
    assert len(_revoke_all_events(person)) == 1


def test_an_unusable_password_revokes_the_tokens(world):
    person = world.people.officer
    client = client_for(person)
    person.set_unusable_password()
    person.save()
    assert client.get(BASE + "/me").status_code == 401
    assert _revoke_all_events(person) == ["1 token: mật khẩu không còn dùng được"]


@pytest.mark.django_db(transaction=True)
def test_upgrading_gives_existing_tokens_a_full_lifetime_from_the_upgrade(settings):
    settings.THEODOI_API_TOKEN_DAYS = 30
    person = UserFactory()
    before = [("api", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("api", "ApiToken")
    raw = "a-token-issued-long-before-expiry-existed"
    row = old.objects.create(user_id=person.pk, key_hash=hashlib.sha256(raw.encode()).hexdigest())
    # Issued a year ago: far more than THEODOI_API_TOKEN_DAYS.
    old.objects.filter(pk=row.pk).update(created_at=timezone.now() - datetime.timedelta(days=365))

    upgraded_at = timezone.now()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    expires_at = ApiToken.objects.get(pk=row.pk).expires_at
    lifetime = datetime.timedelta(days=30)
    assert upgraded_at + lifetime <= expires_at <= timezone.now() + lifetime
    client = Client(headers={"authorization": f"Bearer {raw}"})
    assert client.get(BASE + "/me").status_code == 200
