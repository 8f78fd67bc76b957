"""The ways a notification leaves the inbox: each is a ``Channel`` (a name and ``deliver``).

The inbox itself is the row (``InApp`` delivers nothing more); the e-mail at once, Web Push and
the outgoing webhook run in the background worker after the write that caused the event has
committed; the daily digest collects its notifications in the periodic pass
(``services.send_daily_digests``). A province plugs in another medium (Zalo OA, SMS) by
receiving the webhook, or by adding a class here and to ``external_channels``.
"""

import hashlib
import hmac
import json
import logging
import urllib.request
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone
from pywebpush import WebPushException, webpush

from theodoi.notifications.models import Delivery, Notification, PushSubscription

logger = logging.getLogger(__name__)

# Seconds a push service or a webhook receiver may take: the worker moves on after it.
TIMEOUT = 10


class Channel(Protocol):
    name: str

    def deliver(self, notification: Notification) -> None:
        """Send ``notification`` through this channel; raise when it could not."""


def site_url(link: str) -> str:
    """The link as an address to open from outside the app (e-mail, phone, chat)."""
    base = (getattr(settings, "THEODOI_SITE_URL", "") or "").rstrip("/")
    if not link or link.startswith(("http://", "https://")):
        return link
    return f"{base}{link}" if base else link


class InApp:
    """The inbox: the notification's row is the delivery."""

    name = "app"

    def deliver(self, notification: Notification) -> None:
        return None


class EmailNow:
    """One e-mail per notification, for the kinds the person wants at once."""

    name = "email"

    def deliver(self, notification: Notification) -> None:
        person = notification.recipient
        if notification.delivery != Delivery.EMAIL or notification.emailed_at is not None:
            return
        if not person.email:
            return
        lines = [notification.body, "", site_url(notification.link)]
        EmailMessage(
            notification.title,
            "\n".join(line for line in lines if line is not None).strip(),
            to=[person.email],
            connection=get_connection(),
        ).send()
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


class Digest:
    """Nothing at once: ``services.send_daily_digests`` mails the day's notifications together."""

    name = "digest"

    def deliver(self, notification: Notification) -> None:
        return None


def push_payload(notification: Notification) -> dict[str, Any]:
    return {
        "title": notification.title,
        "body": notification.body[:300],
        # Through the inbox, so that opening it from the phone marks it read.
        "url": reverse("notification_open", args=[notification.pk]),
        "tag": f"theodoi-{notification.pk}",
    }


class WebPush:
    """Web Push (RFC 8030, encrypted per RFC 8291, signed with the installation's VAPID key) to
    every browser of the person that subscribed. A subscription the push service says is gone
    (404, 410) is removed."""

    name = "webpush"

    def deliver(self, notification: Notification) -> None:
        data = json.dumps(push_payload(notification), ensure_ascii=False)
        for subscription in PushSubscription.objects.filter(user_id=notification.recipient_id):
            try:
                webpush(
                    subscription_info={
                        "endpoint": subscription.endpoint,
                        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                    },
                    data=data,
                    vapid_private_key=settings.THEODOI_VAPID_PRIVATE_KEY,
                    vapid_claims={"sub": settings.THEODOI_VAPID_SUBJECT},
                    timeout=TIMEOUT,
                )
            except WebPushException as exc:
                status = getattr(exc.response, "status_code", None)
                if status in (404, 410):
                    subscription.delete()
                    continue
                raise


def webhook_body(notification: Notification) -> bytes:
    person = notification.recipient
    return json.dumps(
        {
            "id": notification.pk,
            "kind": notification.kind,
            "title": notification.title,
            "body": notification.body,
            "link": site_url(notification.link),
            "created_at": notification.created_at.isoformat(),
            "recipient": {
                "id": person.pk,
                "username": person.username,
                "name": person.get_full_name(),
                "email": person.email,
                "unit": str(person.unit) if person.unit_id else "",
            },
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode()


def signature(secret: str, body: bytes) -> str:
    """The value of the ``X-Theodoi-Signature`` header: ``sha256=`` and the HMAC of the body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Webhook:
    """POST each notification as JSON to the installation's receiver (a Zalo OA or SMS gateway
    of the province), signed with HMAC-SHA256 of the body under a shared secret."""

    name = "webhook"

    def deliver(self, notification: Notification) -> None:
        body = webhook_body(notification)
        request = urllib.request.Request(
            settings.THEODOI_NOTIFY_WEBHOOK_URL,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-Theodoi-Event": "notification",
                "X-Theodoi-Signature": signature(settings.THEODOI_NOTIFY_WEBHOOK_SECRET, body),
            },
        )
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            response.read()


def push_configured() -> bool:
    return bool(settings.THEODOI_VAPID_PRIVATE_KEY and settings.THEODOI_VAPID_PUBLIC_KEY)


def external_channels() -> list[Channel]:
    """The channels run in the background after the write, as configured."""
    channels: list[Channel] = [EmailNow()]
    if push_configured():
        channels.append(WebPush())
    if settings.THEODOI_NOTIFY_WEBHOOK_URL:
        channels.append(Webhook())
    return channels
