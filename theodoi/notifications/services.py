"""Telling people what they must act on (the inbox, e-mail, Web Push, the webhook).

``notify`` writes one inbox row per person and event, in the transaction of the write that
caused it, so the event and its notification commit together. The external channels run in the
background worker once that transaction has committed: a mail server, push service or webhook
that fails is logged and never undoes the write. The events themselves (a rejected file, a
returned report, …) are emitted by ``tracking.services`` through ``events``.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence

import django_tasks
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record
from theodoi.core import background
from theodoi.core.access import Actor
from theodoi.notifications import selectors
from theodoi.notifications.channels import external_channels, site_url
from theodoi.notifications.models import (
    DEFAULT_DELIVERY,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
    PushSubscription,
)
from theodoi.org.models import Organization, User

logger = logging.getLogger(__name__)


def preferences(user: User) -> dict[str, str]:
    """Each kind's delivery for ``user``: what they chose, else the default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY) for kind in Kind.values}


def _deliveries(people: Sequence[User], kind: str) -> dict[int, str]:
    chosen = dict(
        NotificationPreference.objects.filter(
            user_id__in=[p.pk for p in people], kind=kind
        ).values_list("user_id", "delivery")
    )
    # Without an address there is only the inbox.
    return {p.pk: (chosen.get(p.pk, DEFAULT_DELIVERY) if p.email else Delivery.APP) for p in people}


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    key: str,
    exclude: Actor | None = None,
) -> list[Notification]:
    """One notification of ``kind`` for each active recipient (not ``exclude``, the person who
    acted) that has not had the event ``key`` yet. The external channels follow after commit."""
    people = {
        p.pk: p
        for p in recipients
        if p is not None and p.is_active and (exclude is None or p.pk != exclude.pk)
    }
    if not people:
        return []
    dedupe_key = f"{kind}:{key}"[:120]
    already = set(
        Notification.objects.filter(
            recipient_id__in=list(people), dedupe_key=dedupe_key
        ).values_list("recipient_id", flat=True)
    )
    fresh = [p for pk, p in people.items() if pk not in already]
    deliveries = _deliveries(fresh, kind)
    created = [
        Notification.objects.create(
            recipient=person,
            kind=kind,
            title=title[:255],
            body=body,
            link=link[:500],
            dedupe_key=dedupe_key,
            delivery=deliveries[person.pk],
        )
        for person in sorted(fresh, key=lambda p: p.pk)
    ]
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _queue_delivery(ids))
        forget_unread(user_ids=[n.recipient_id for n in created])
    return created


def forget_unread(*, user_ids: Iterable[int]) -> None:
    """Drop the cached unread counts of these people once the write that changed them commits
    (before, another request would cache the old count again)."""
    keys = [selectors.unread_key(user_id) for user_id in set(user_ids)]
    if keys and settings.THEODOI_CACHE_SHARED:
        transaction.on_commit(lambda: cache.delete_many(keys))


def _queue_delivery(ids: list[int]) -> None:
    background.enqueue(deliver_notifications, notification_ids=ids)


def deliver(notification_ids: Sequence[int]) -> dict[str, int]:
    """Run the external channels for each notification (the background task's work); returns
    how many each channel delivered. A channel that fails is logged and the others go on."""
    counts: dict[str, int] = defaultdict(int)
    channels = external_channels()
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related(
        "recipient", "recipient__unit"
    ):
        for channel in channels:
            try:
                channel.deliver(notification)
            except Exception:
                logger.exception(
                    "notification %s: the %s channel failed", notification.pk, channel.name
                )
                counts[f"{channel.name}_failed"] += 1
            else:
                counts[channel.name] += 1
    return dict(counts)


@django_tasks.task()
def deliver_notifications(*, notification_ids: list[int]) -> dict[str, int]:
    """The background task (``theodoi worker``): the external channels of new notifications."""
    return deliver(notification_ids)


# --- The daily digest -----------------------------------------------------------------------


def digest_message(person: User, notifications: Sequence[Notification]) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("theodoi: %(count)s new notification(s)") % {"count": len(notifications)}
        lines = [
            gettext("Hello %(name)s,") % {"name": person.get_full_name() or person.username},
            "",
            gettext("Since the last digest you have these notifications:"),
            "",
        ]
        for n, notification in enumerate(notifications, start=1):
            lines.append(f"{n}. {notification.title}")
            if notification.body:
                lines.append(f"   {notification.body}")
            if notification.link:
                lines.append(f"   {site_url(notification.link)}")
            lines.append("")
        lines.append(
            gettext("This message was sent automatically by the system; no need to reply.")
        )
    return subject, "\n".join(lines)


def send_daily_digests(
    *, now: datetime.datetime | None = None, organization: Organization | None = None
) -> int:
    """Queue one e-mail per person listing their unread digest notifications not e-mailed yet;
    returns how many were queued. Run daily with the alert scan; ``organization``: only the
    people of that ward or province, or of the wards under that province."""
    now = now or timezone.now()
    people = Notification.objects.all()
    if organization is not None:
        people = people.filter(
            Q(recipient__organization=organization)
            | Q(recipient__organization__parent=organization)
        )
    pending = (
        people.filter(
            delivery=Delivery.DIGEST,
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__lte=now,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .order_by("recipient_id", "created_at", "id")
        .values_list("recipient_id", "id")
    )
    by_person: dict[int, list[int]] = defaultdict(list)
    for person_id, notification_id in pending:
        by_person[person_id].append(notification_id)
    for person_id, ids in by_person.items():
        background.enqueue(send_notification_digest, user_id=person_id, notification_ids=ids)
    return len(by_person)


def deliver_digest(*, user_id: int, notification_ids: Sequence[int]) -> bool:
    """Mail one person their digest; the notifications it lists are marked e-mailed in the same
    transaction, so a failed mail is retried by the next pass and a sent one never repeats."""
    with transaction.atomic():
        person = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if person is None or not person.email:
            return False
        fresh = list(
            Notification.objects.filter(
                pk__in=notification_ids, recipient=person, emailed_at__isnull=True
            ).order_by("created_at", "id")
        )
        if not fresh:
            return False
        Notification.objects.filter(pk__in=[n.pk for n in fresh]).update(emailed_at=timezone.now())
        subject, body = digest_message(person, fresh)
        EmailMessage(subject, body, to=[person.email], connection=get_connection()).send()
    return True


@django_tasks.task()
def send_notification_digest(*, user_id: int, notification_ids: list[int]) -> bool:
    """The background task: one person's daily digest of notifications."""
    return deliver_digest(user_id=user_id, notification_ids=notification_ids)


# --- The inbox's own writes -----------------------------------------------------------------


def mark_read(*, user: User, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionError
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        forget_unread(user_ids=[user.pk])
    return notification


def mark_all_read(*, user: User) -> int:
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget_unread(user_ids=[user.pk])
    return count


@transaction.atomic
def preferences_save(*, user: User, choices: dict[str, str]) -> None:
    """A person's own choices (only their own: the views pass the signed-in person)."""
    before = preferences(user)
    for kind, delivery in choices.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            raise ValueError(f"unknown kind or delivery: {kind}={delivery}")
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
    after = preferences(user)
    if after != before:
        audit_record(
            actor=user,
            action=AuditAction.USER_NOTIFICATION_SETTINGS,
            obj=user,
            organization=user.organization,
            summary=str(user)[:200],
            before=before,
            after=after,
        )


@transaction.atomic
def push_subscribe(
    *, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Store (or move to ``user``) a browser's push subscription."""
    subscription, created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:300]},
    )
    if created:
        audit_record(
            actor=user,
            action=AuditAction.USER_PUSH_SUBSCRIBE,
            obj=subscription,
            organization=user.organization,
            summary=user_agent[:200],
        )
    return subscription
