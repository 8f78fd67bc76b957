"""Writing the audit trail. Every service calls ``audit_record`` inside its own transaction."""

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from theodoi.audit.models import AuditEvent, AuditHead
from theodoi.org.models import Organization, User


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


def _digest(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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


def event_digest(event: AuditEvent) -> str:
    return _digest(event_payload(event))


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
    actor: User | None,
    action: str,
    obj: models.Model,
    organization: Organization | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chained audit trail. Call inside the caller's transaction: the
    head row stays locked until it commits, which serializes concurrent writers."""
    with transaction.atomic(savepoint=False):
        return _append(
            actor=actor if actor is not None and actor.pk else None,
            action=action,
            obj=obj,
            organization=organization,
            summary=summary,
            before=before,
            after=after,
        )


def _append(*, actor, action, obj, organization, summary, before, after) -> AuditEvent:
    head = _lock_head()
    previous = head.last_hash
    at = timezone.now()
    # Stored values are JSON: hash them as they will read back.
    before = json.loads(json.dumps(before, cls=DjangoJSONEncoder))
    after = json.loads(json.dumps(after, cls=DjangoJSONEncoder))
    payload = {
        "at": at.isoformat(),
        "actor": actor.pk if actor else None,
        "organization": organization.pk if organization else None,
        "action": action,
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "summary": summary,
        "before": before,
        "after": after,
        "prev": previous,
    }
    event = AuditEvent.objects.create(
        at=at,
        actor=actor,
        organization=organization,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary,
        before=before,
        after=after,
        prev_hash=previous,
        hash=_digest(payload),
    )
    head.last_hash = event.hash
    head.count += 1
    head.save(update_fields=["last_hash", "count"])
    return event
