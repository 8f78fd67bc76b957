"""Self-service password reset by e-mail, and changing one's own password: the whole flow
through the pages, the same answer for unknown addresses, audited, and it ends a sign-in wait."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.api.helpers import BASE, client_for
from theodoi.accounts import services
from theodoi.api.models import ApiToken
from theodoi.audit.models import AuditEvent

NEW = "mot-mat-khau-moi-2026"


@pytest.fixture
def alice(world):
    alice = world.people.officer
    alice.email = "alice@phuong.gov.vn"
    alice.save(update_fields=["email"])
    return alice


def _link_in(message) -> str:
    match = re.search(r"(https?://\S+/reset/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def _ask(client: Client, email: str):
    return client.post(reverse("password_reset"), {"email": email})


def test_the_sign_in_page_offers_the_reset(db):
    page = Client().get(reverse("login")).content.decode()
    assert "Quên mật khẩu?" in page and reverse("password_reset") in page


def test_reset_by_e_mail_end_to_end(alice, settings):
    settings.THEODOI_SITE_URL = "https://theodoi.phuong.gov.vn/"
    client = Client()
    sent = _ask(client, "ALICE@phuong.gov.vn")  # letter case does not matter
    assert sent.status_code == 302 and sent["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@phuong.gov.vn"]
    assert message.subject == "theodoi: chọn mật khẩu mới"
    assert "Có người (mong là chính bạn) đã yêu cầu đặt lại mật khẩu" in message.body
    assert "«alice»" in message.body
    link = _link_in(message)
    assert link.startswith("https://theodoi.phuong.gov.vn/reset/")

    path = link.removeprefix("https://theodoi.phuong.gov.vn")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert "Chọn mật khẩu mới" in form_page.content.decode()
    form_url = form_page.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert "Mật khẩu mới đã được lưu" in client.get(done["Location"]).content.decode()

    assert (
        Client().post(reverse("login"), {"username": "alice", "password": NEW}).status_code == 302
    )
    # The link worked once.
    again = Client().get(path, follow=True).content.decode()
    assert "Liên kết này không còn dùng được" in again
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["user.password_reset.request", "user.password_reset"]


def test_the_link_uses_the_request_address_without_a_site_url(alice, settings):
    settings.THEODOI_SITE_URL = ""
    _ask(Client(), "alice@phuong.gov.vn")
    assert _link_in(mail.outbox[0]).startswith("http://testserver/reset/")


def test_unknown_and_known_addresses_get_the_same_answer(alice):
    known = _ask(Client(), "alice@phuong.gov.vn")
    unknown = _ask(Client(), "nobody@phuong.gov.vn")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    page = Client().get(known["Location"]).content.decode()
    assert "Nếu địa chỉ này thuộc một tài khoản đang hoạt động" in page


def test_an_inactive_person_gets_nothing(alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    response = _ask(Client(), "alice@phuong.gov.vn")
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="user.password_reset.request").exists()


def test_a_bad_address_is_refused_in_vietnamese(db):
    response = _ask(Client(), "not an address")
    assert response.status_code == 200
    assert "Hãy nhập địa chỉ thư điện tử hợp lệ" in response.content.decode()
    assert mail.outbox == []


def test_the_new_password_must_pass_the_validators_in_vietnamese(alice):
    client = Client()
    _ask(client, "alice@phuong.gov.vn")
    form_url = client.get(_link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    weak = client.post(form_url, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200
    page = weak.content.decode()
    assert "Mật khẩu này quá ngắn: cần ít nhất 8 ký tự." in page
    assert "Mật khẩu này hoàn toàn là số" in page
    different = client.post(form_url, {"new_password1": NEW, "new_password2": NEW + "x"})
    assert "Hai trường mật khẩu không giống nhau" in different.content.decode()
    assert not AuditEvent.objects.filter(action="user.password_reset").exists()


def test_a_reset_ends_the_sign_in_wait_and_revokes_the_api_tokens(alice):
    api = client_for(alice)
    assert api.get(BASE + "/me").status_code == 200
    for _ in range(5):
        Client().post(reverse("login"), {"username": "alice", "password": "wrong"})
    locked = Client().post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert locked.status_code == 429
    client = Client()
    _ask(client, "alice@phuong.gov.vn")
    form_url = client.get(_link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert not AccessAttempt.objects.filter(username="alice").exists()
    assert (
        Client().post(reverse("login"), {"username": "alice", "password": NEW}).status_code == 302
    )
    assert api.get(BASE + "/me").status_code == 401
    assert ApiToken.objects.get().revoked


def test_changing_ones_password_revokes_the_tokens_and_is_audited(alice):
    api = client_for(alice)
    client = Client()
    client.force_login(alice)
    wrong_old = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong_old.status_code == 200
    assert api.get(BASE + "/me").status_code == 200
    changed = client.post(
        reverse("password_change"),
        {"old_password": "correct-horse-battery", "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert "Các token API của bạn không còn dùng được" in changed.content.decode()
    assert api.get(BASE + "/me").status_code == 401
    # The person stays signed in on this page after their own change.
    assert client.get(reverse("api_tokens")).status_code == 200
    assert AuditEvent.objects.filter(action="user.password_change", actor=alice).exists()
    revoked = AuditEvent.objects.get(action="api.token.revoke_all")
    assert revoked.object_id == str(alice.pk)


def test_a_hash_upgrade_at_sign_in_is_not_a_password_change(alice, settings):
    # Signing in with a hash of an older algorithm re-hashes the password: tokens stay valid.
    api = client_for(alice)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    old_hash = alice.password
    Client().post(reverse("login"), {"username": "alice", "password": "correct-horse-battery"})
    alice.refresh_from_db()
    assert alice.password != old_hash and alice.password.startswith("pbkdf2")
    assert api.get(BASE + "/me").status_code == 200


def test_reset_e_mails_to_one_address_are_throttled_with_the_same_answer(alice):
    first = _ask(Client(), "alice@phuong.gov.vn")
    # Another client, the same address, moments later: no second e-mail, same answer.
    again = _ask(Client(REMOTE_ADDR="10.0.0.2"), "ALICE@phuong.gov.vn")
    unknown = _ask(Client(REMOTE_ADDR="10.0.0.3"), "nobody@phuong.gov.vn")
    for response in (first, again, unknown):
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="user.password_reset.request").count() == 1


def test_reset_requests_from_one_client_are_limited(world, settings):
    people = [world.people.officer, world.people.office, world.people.leader]
    for number, person in enumerate(people):
        person.email = f"nguoi{number}@phuong.gov.vn"
        person.save(update_fields=["email"])
    client = Client(REMOTE_ADDR="10.0.0.9")
    for number in range(services.RESET_CLIENT_LIMIT - 1):
        assert _ask(client, f"khong-co-{number}@phuong.gov.vn").status_code == 302
    # The last request within the limit still sends; past it nothing goes out, same answer.
    assert _ask(client, "nguoi0@phuong.gov.vn").status_code == 302
    refused = _ask(client, "nguoi1@phuong.gov.vn")
    assert refused.status_code == 302 and refused["Location"] == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [["nguoi0@phuong.gov.vn"]]
    # Another client is not held back by this one.
    assert _ask(Client(REMOTE_ADDR="10.0.0.10"), "nguoi2@phuong.gov.vn").status_code == 302
    assert [m.to for m in mail.outbox][-1] == ["nguoi2@phuong.gov.vn"]


def test_the_e_mail_states_how_long_the_link_works(alice, settings):
    settings.PASSWORD_RESET_TIMEOUT = 24 * 3600
    _ask(Client(), "alice@phuong.gov.vn")
    assert "Liên kết chỉ dùng được một lần, trong 24 giờ." in mail.outbox[0].body
    assert "thời gian có hạn" not in mail.outbox[0].body
    settings.PASSWORD_RESET_TIMEOUT = 2 * 3600
    cache.clear()  # the throttle would hold back a second e-mail to the same address
    _ask(Client(), "alice@phuong.gov.vn")
    assert "Liên kết chỉ dùng được một lần, trong 2 giờ." in mail.outbox[1].body


def test_password_change_messages_read_as_sentences(alice):
    client = Client()
    client.force_login(alice)
    wrong_old = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": NEW, "new_password2": NEW},
    )
    assert "Mật khẩu cũ không chính xác. Hãy nhập lại lần nữa." in wrong_old.content.decode()
    similar = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "alice2026",
            "new_password2": "alice2026",
        },
    )
    assert "Mật khẩu quá giống với tên đăng nhập." in similar.content.decode()
