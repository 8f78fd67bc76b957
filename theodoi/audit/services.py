"""Writing the audit trail. Every service calls ``audit_record`` inside its own transaction."""

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from theodoi.audit.models import AuditEvent
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
    """Append one event to the chained audit trail. Call inside the caller's transaction."""
    previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
    at = timezone.now()
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
    return AuditEvent.objects.create(
        at=at,
        actor=actor if actor and actor.pk else None,
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
