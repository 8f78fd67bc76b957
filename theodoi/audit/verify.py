"""Checking the audit trail's hash chain from the first record to the last."""

from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext, ngettext

from theodoi.audit.anchor import Anchor
from theodoi.audit.keys import keyring
from theodoi.audit.models import AuditEvent, AuditHead
from theodoi.audit.services import event_digest


@dataclass
class ChainReport:
    ok: bool
    count: int
    message: str
    event_id: int | None = None


def verify_chain(anchor: Anchor | None = None) -> ChainReport:
    """Recompute every hash in order, with the configured keys. The first problem found is
    reported, in the interface language: a record whose content changed, a record missing or moved (its
    predecessor's hash does not match), an unkeyed record where only keyed ones may stand, or
    records cut off at the end (the head, or the ``anchor`` written down earlier, no longer
    matches), a record signed with an older key than a record before it, or an empty trail in an
    installation that has data."""
    ring = keyring()
    # Lower is newer. Rotation only ever moves to a newer key, so once a newer key has signed,
    # an older one may not sign again: a leaked retired key cannot sign after that point.
    age = {kid: position for position, kid in enumerate(ring.keys)}
    newest = ""
    previous = ""
    count = 0
    keyed = False
    events = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    for event in events:
        where = f"#{event.pk} ({event.at:%d/%m/%Y %H:%M})"
        if event.prev_hash != previous:
            return ChainReport(
                False,
                count,
                gettext(
                    "The audit trail is broken before record %(where)s: a record was deleted, "
                    "inserted or moved."
                )
                % {"where": where},
                event.pk,
            )
        if keyed and not event.key_id:
            return ChainReport(
                False,
                count,
                gettext(
                    "Audit record %(where)s is not signed with the secret key although it follows "
                    "a signed record: the audit trail has been rewritten."
                )
                % {"where": where},
                event.pk,
            )
        if event.key_id and event.key_id not in ring.keys:
            return ChainReport(
                False,
                count,
                gettext(
                    "Audit record %(where)s is signed with the key «%(key)s», which is not in "
                    "THEODOI_AUDIT_KEY. If the key was changed, write the old key after the new "
                    "one (separated by a comma); if the record was signed before THEODOI_AUDIT_KEY "
                    "was set, its key was derived from SECRET_KEY: use the SECRET_KEY of that time "
                    "again; otherwise, the record is forged."
                )
                % {"where": where, "key": event.key_id},
                event.pk,
            )
        if event.key_id and newest and age[event.key_id] > age[newest]:
            return ChainReport(
                False,
                count,
                gettext(
                    "Audit record %(where)s is signed with the old key «%(key)s» although it "
                    "follows a record signed with the newer key «%(newest)s»: a replaced key no "
                    "longer signs new records, so this record is forged (the old key may have "
                    "leaked)."
                )
                % {"where": where, "key": event.key_id, "newest": newest},
                event.pk,
            )
        if event_digest(event, ring) != event.hash:
            return ChainReport(
                False,
                count,
                gettext(
                    "Audit record %(where)s has been altered: its content does not match its hash."
                )
                % {"where": where},
                event.pk,
            )
        keyed = keyed or bool(event.key_id)
        if event.key_id and (not newest or age[event.key_id] < age[newest]):
            newest = event.key_id
        previous = event.hash
        count += 1
        if (
            anchor is not None
            and count == anchor.count
            and not previous.startswith(anchor.hash_prefix)
        ):
            return ChainReport(
                False,
                count,
                gettext(
                    "Record number %(count)s (%(where)s) does not match the anchor %(anchor)s: the "
                    "audit trail up to the time of the anchor has been rewritten (records altered, "
                    "deleted or inserted)."
                )
                % {"count": count, "where": where, "anchor": anchor},
                event.pk,
            )
    if count and not keyed:
        return ChainReport(
            False,
            count,
            gettext(
                "No record of the audit trail is signed with the secret key: the audit trail has "
                "been rewritten (every installation signed its old audit trail when upgrading)."
            ),
        )
    if not count and _has_audited_data():
        return ChainReport(
            False,
            count,
            gettext(
                "The audit trail is empty but the installation has data (organisations, plans, "
                "reports or evidence): every change is logged, so the audit records have been "
                "deleted. Restore from a backup and check with verify_audit --anchor-from-backup."
            ),
        )
    if anchor is not None and count < anchor.count:
        return ChainReport(
            False,
            count,
            ngettext(
                "The audit trail has only %(count)s record left but the anchor %(anchor)s records "
                "%(expected)s: the last records have been deleted.",
                "The audit trail has only %(count)s records left but the anchor %(anchor)s records "
                "%(expected)s: the last records have been deleted.",
                count,
            )
            % {"count": count, "anchor": anchor, "expected": anchor.count},
        )
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != previous or head.count != count):
        return ChainReport(
            False,
            count,
            gettext(
                "Records are missing from the audit trail: its head records %(expected)s records "
                "but only %(count)s remain (the last records were deleted or replaced)."
            )
            % {"expected": head.count, "count": count},
        )
    if anchor is not None:
        return ChainReport(True, count, f"OK, {count} records; anchor {anchor} holds")
    return ChainReport(True, count, f"OK, {count} records")


# Rows that are only ever created through audited writes (services, admin, the demo data): where
# one exists, the trail cannot be empty. People are not counted: createsuperuser writes none.
_AUDITED_MODELS = (
    ("org", "Organization"),
    ("plans", "Plan"),
    ("reporting", "ProgressReport"),
    ("reporting", "Evidence"),
)


def _has_audited_data() -> bool:
    return any(apps.get_model(*name)._base_manager.exists() for name in _AUDITED_MODELS)
