"""Writing the audit trail. Every service calls ``audit_record`` inside its own transaction.

Each record's hash is an HMAC-SHA256, keyed with a secret outside the database (``keys.py``), of
its content and the previous record's hash: whoever can only write to the database can neither
forge a record nor recompute the chain after one. Records written before the chain was keyed
keep their plain SHA-256 (``key_id`` empty); the first keyed record seals them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from theodoi.audit.actions import AuditAction
from theodoi.audit.keys import Keyring, keyring
from theodoi.audit.models import AuditEvent, AuditHead
from theodoi.core.access import Actor, person_of

if TYPE_CHECKING:
    # org writes audit records, so audit may name its models only as types.
    from theodoi.org.models import Organization


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``instance`` as JSON-ready data (for before/after)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in ("search_text",):
            continue
        value = field.value_from_object(instance)
        # A stored file is recorded by its storage name, not its content.
        data[field.attname] = value.name if isinstance(value, FieldFile) else value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def payload_digest(payload: dict[str, Any], key_id: str, ring: Keyring) -> str:
    """The hash of a record's payload: plain SHA-256 for a record from before the chain was
    keyed (``key_id`` empty), else HMAC-SHA256 with the key ``key_id`` names, which the payload
    covers too. Raises KeyError when that key is not configured."""
    if key_id:
        payload = {**payload, "key": key_id}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    if not key_id:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
    return hmac.new(ring.keys[key_id], text.encode("utf-8"), hashlib.sha256).hexdigest()


def event_payload(event: AuditEvent) -> dict[str, Any]:
    """What an event's hash covers, rebuilt from the stored row (used by verify_audit)."""
    return {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "organization": event.organization_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "before": event.before,
        "after": event.after,
        "prev": event.prev_hash,
    }


def event_digest(event: AuditEvent, ring: Keyring | None = None) -> str:
    return payload_digest(event_payload(event), event.key_id, ring or keyring())


def _lock_head() -> AuditHead:
    """The chain's head row, locked until the caller's transaction ends."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # Only after a flush of the tables: rebuild the head from the rows that are left.
        last = AuditEvent.objects.order_by("-id").first()
        AuditHead.objects.get_or_create(
            pk=1,
            defaults={
                "last_hash": last.hash if last else "",
                "count": AuditEvent.objects.count(),
            },
        )
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def audit_record(
    *,
    actor: Actor,
    action: AuditAction,
    obj: models.Model,
    organization: Organization | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chained audit trail. Call inside the caller's transaction: the
    head row stays locked until it commits, which serializes concurrent writers.

    ``actor`` SYSTEM (a command, the demo, the alert scan) is recorded as no person, as system
    writes always were: the record's hash covers an empty actor. ``None`` is a TypeError.
    ``action`` must be a member of ``AuditAction``: a free string would be an action nobody
    registered, with no label on the pages that show the trail."""
    person = person_of(actor)
    if not isinstance(action, AuditAction):
        raise ValueError(f"{action!r} is not an AuditAction; add it to theodoi/audit/actions.py")
    with transaction.atomic(savepoint=False):
        return _append(
            actor=person if person is not None and person.pk else None,
            # The stored value, as a plain string: what the record's hash covers.
            action=action.value,
            obj=obj,
            organization=organization,
            summary=summary,
            before=before,
            after=after,
        )


def _append(*, actor, action, obj, organization, summary, before, after) -> AuditEvent:
    head = _lock_head()
    ring = keyring()
    event = AuditEvent(
        at=timezone.now(),
        actor=actor,
        organization=organization,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary,
        # Stored values are JSON: hash them as they will read back.
        before=json.loads(json.dumps(before, cls=DjangoJSONEncoder)),
        after=json.loads(json.dumps(after, cls=DjangoJSONEncoder)),
        prev_hash=head.last_hash,
        key_id=ring.current_id,
    )
    event.hash = event_digest(event, ring)
    event.save(force_insert=True)
    head.last_hash = event.hash
    head.count += 1
    head.save(update_fields=["last_hash", "count"])
    return event


def seal_legacy_chain(
    event_model=AuditEvent, head_model=AuditHead, using: str = DEFAULT_DB_ALIAS
) -> bool:
    """When the chain ends with records from before it was keyed, append one keyed record after
    them: its HMAC covers their head, so they can no longer be rewritten, and a chain that ends
    unkeyed can only be a forgery. Takes the models so the migration can pass its own."""
    events = event_model.objects.using(using)
    with transaction.atomic(using=using):
        head = head_model.objects.using(using).select_for_update().filter(pk=1).first()
        last = events.order_by("-id").first()
        if last is None or last.key_id:
            return False
        count = events.count()
        ring = keyring()
        event = event_model(
            at=timezone.now(),
            action=AuditAction.AUDIT_KEYED,
            object_type="audit.audithead",
            object_id="1",
            summary=f"Nhật ký được khóa bằng khóa {ring.current_id} từ bản ghi này.",
            after={"unkeyed_records": count},
            prev_hash=last.hash,
            key_id=ring.current_id,
        )
        event.hash = event_digest(event, ring)
        event.save(force_insert=True, using=using)
        if head is None:
            head = head_model(pk=1)
        head.last_hash, head.count = event.hash, count + 1
        head.save(using=using)
    return True
