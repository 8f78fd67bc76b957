"""The channels out of the inbox: e-mail at once, the daily digest, the signed webhook and
Web Push, each to a local receiver standing in for the outside world."""

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django.core.management import call_command

from theodoi.notifications import services
from theodoi.notifications.channels import signature
from theodoi.notifications.models import Delivery, Kind, Notification, PushSubscription
from theodoi.notifications.vapid import b64url, key_pair
from theodoi.tracking import services as tracking


class Receiver:
    """An HTTP server on a free local port that records every POST and answers ``status``."""

    def __init__(self, status: int = 201):
        self.requests: list[tuple[str, Any, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((self.path, self.headers, body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def direct(world, django_capture_on_commit_callbacks, text="Hoàn thành trước 30/11"):
    with django_capture_on_commit_callbacks(execute=True):
        return tracking.directive_create(actor=world.people.leader, task=world.task_vhxh, text=text)


@pytest.fixture
def with_email(world):
    for person in (world.people.officer, world.people.head):
        person.email = f"{person.username}@phuong.gov.vn"
        person.save(update_fields=["email"])
    return world


def test_email_at_once_goes_through_the_queue_after_commit(
    with_email, django_capture_on_commit_callbacks
):
    world = with_email
    services.preferences_save(
        user=world.people.officer, choices={Kind.DIRECTIVE_RECEIVED: Delivery.EMAIL}
    )
    services.preferences_save(
        user=world.people.head, choices={Kind.DIRECTIVE_RECEIVED: Delivery.APP}
    )
    direct(world, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["alice@phuong.gov.vn"]]
    assert "Hoàn thành trước 30/11" in mail.outbox[0].body
    assert Notification.objects.get(recipient=world.people.officer).emailed_at is not None
    assert Notification.objects.get(recipient=world.people.head).emailed_at is None


def test_the_daily_digest_batches_a_persons_notifications_once(
    with_email, django_capture_on_commit_callbacks
):
    world = with_email  # the default: in the app and the daily digest
    direct(world, django_capture_on_commit_callbacks, text="Chỉ đạo một")
    direct(world, django_capture_on_commit_callbacks, text="Chỉ đạo hai")
    assert mail.outbox == []  # nothing at once
    # hanh read one of hers in the app: the digest lists only what she has not seen.
    Notification.objects.filter(recipient=world.people.head, body="Chỉ đạo một").update(
        read_at="2026-11-24T08:00:00+07:00"
    )
    assert services.send_daily_digests(organization=world.ward_b) == 0
    assert services.send_daily_digests(organization=world.province) == 2
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert "Chỉ đạo một" in by_person["alice@phuong.gov.vn"]
    assert "Chỉ đạo hai" in by_person["alice@phuong.gov.vn"]
    assert "Chỉ đạo một" not in by_person["hanh@phuong.gov.vn"]
    assert services.send_daily_digests() == 0
    assert len(mail.outbox) == 2


def test_people_without_an_address_get_the_inbox_only(world, django_capture_on_commit_callbacks):
    services.preferences_save(
        user=world.people.officer, choices={Kind.DIRECTIVE_RECEIVED: Delivery.EMAIL}
    )
    direct(world, django_capture_on_commit_callbacks)
    assert Notification.objects.get(recipient=world.people.officer).delivery == Delivery.APP
    assert services.send_daily_digests() == 0
    assert mail.outbox == []


def test_the_webhook_receives_the_signed_json(world, settings, django_capture_on_commit_callbacks):
    settings.THEODOI_NOTIFY_WEBHOOK_SECRET = "bí-mật-chung"
    settings.THEODOI_SITE_URL = "https://theodoi.phuong.gov.vn"
    with Receiver(status=204) as receiver:
        settings.THEODOI_NOTIFY_WEBHOOK_URL = f"{receiver.url}/zalo"
        direct(world, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 2
    path, headers, body = receiver.requests[0]
    expected = hmac.new("bí-mật-chung".encode(), body, hashlib.sha256).hexdigest()
    assert path == "/zalo"
    assert headers["X-Theodoi-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["kind"] == "directive_received"
    assert payload["body"] == "Hoàn thành trước 30/11"
    assert payload["recipient"]["username"] in {"alice", "hanh"}
    assert payload["link"] == f"https://theodoi.phuong.gov.vn{world.task_vhxh.get_absolute_url()}"


def test_a_failing_channel_is_logged_and_never_undoes_the_write(
    world, settings, django_capture_on_commit_callbacks, caplog
):
    settings.THEODOI_NOTIFY_WEBHOOK_SECRET = "s"
    with Receiver(status=500) as receiver:
        settings.THEODOI_NOTIFY_WEBHOOK_URL = receiver.url
        directive = direct(world, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 2
    assert directive.pk is not None
    assert Notification.objects.count() == 2
    assert "the webhook channel failed" in caplog.text
    result = services.deliver(list(Notification.objects.values_list("pk", flat=True)))
    assert result["webhook_failed"] == 2 and result["email"] == 2


def test_web_push_is_encrypted_for_the_browser_and_signed_with_vapid(
    world, settings, django_capture_on_commit_callbacks
):
    server_keys = key_pair()
    settings.THEODOI_VAPID_PUBLIC_KEY = server_keys.public
    settings.THEODOI_VAPID_PRIVATE_KEY = server_keys.private
    settings.THEODOI_VAPID_SUBJECT = "mailto:vanphong@phuong.gov.vn"
    # The browser's side of the subscription: its ECDH key and auth secret.
    browser_key = ec.generate_private_key(ec.SECP256R1())
    browser_public = browser_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    auth = b"0123456789abcdef"
    with Receiver(status=201) as push_service:
        services.push_subscribe(
            user=world.people.officer,
            endpoint=f"{push_service.url}/wpush/v2/abc",
            p256dh=b64url(browser_public),
            auth=b64url(auth),
            user_agent="Mozilla/5.0 (Android 14) Chrome/131",
        )
        direct(world, django_capture_on_commit_callbacks)
    assert len(push_service.requests) == 1  # only alice's browser subscribed
    path, headers, body = push_service.requests[0]
    assert path == "/wpush/v2/abc"
    assert headers["Content-Encoding"] == "aes128gcm"
    assert headers["Authorization"].startswith("vapid t=")
    assert f"k={server_keys.public}" in headers["Authorization"]
    assert b"Ho\xc3\xa0n th\xc3\xa0nh" not in body  # encrypted, not plain
    payload = json.loads(
        http_ece.decrypt(body, private_key=browser_key, auth_secret=auth, version="aes128gcm")
    )
    notification = Notification.objects.get(recipient=world.people.officer)
    assert payload["body"] == "Hoàn thành trước 30/11"
    assert payload["url"] == f"/notifications/{notification.pk}/open/"
    assert payload["title"] == notification.title


def test_a_subscription_the_push_service_calls_gone_is_removed(
    world, settings, django_capture_on_commit_callbacks
):
    server_keys = key_pair()
    settings.THEODOI_VAPID_PUBLIC_KEY = server_keys.public
    settings.THEODOI_VAPID_PRIVATE_KEY = server_keys.private
    browser = ec.generate_private_key(ec.SECP256R1()).public_key()
    with Receiver(status=410) as push_service:
        services.push_subscribe(
            user=world.people.officer,
            endpoint=f"{push_service.url}/gone",
            p256dh=b64url(
                browser.public_bytes(
                    serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
                )
            ),
            auth=b64url(b"fedcba9876543210"),
        )
        direct(world, django_capture_on_commit_callbacks)
    assert len(push_service.requests) == 1
    assert not PushSubscription.objects.exists()


def test_vapid_keys_prints_a_usable_pair(capsys):
    call_command("vapid_keys", subject="mailto:it@tinh.gov.vn")
    out = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())
    public = base64.urlsafe_b64decode(out["THEODOI_VAPID_PUBLIC_KEY"] + "==")
    private = base64.urlsafe_b64decode(out["THEODOI_VAPID_PRIVATE_KEY"] + "=")
    assert len(public) == 65 and public[0] == 4 and len(private) == 32
    derived = ec.derive_private_key(int.from_bytes(private, "big"), ec.SECP256R1()).public_key()
    assert (
        derived.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        == public
    )
    assert out["THEODOI_VAPID_SUBJECT"] == "mailto:it@tinh.gov.vn"


def test_the_webhook_signature_is_the_hmac_of_the_body():
    # RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    assert signature("Jefe", b"what do ya want for nothing?") == (
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )
