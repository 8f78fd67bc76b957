"""The anchor: the chain's head written down outside the database.

An anchor reads ``COUNT:HASH``: how many records the chain held and the first 32 hex digits of the
last one's hash (``0:`` for an empty chain). It is printed on every exported report and stored in
every backup's manifest; ``theodoi verify_audit --anchor COUNT:HASH`` then proves that the chain
still holds that record at that position and that nothing before it changed, which a database
writer who deletes the last records and moves the head cannot fake.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext

from theodoi.audit.models import AuditEvent, AuditHead

SHOWN_DIGITS = 32
_PATTERN = re.compile(r"(\d+):([0-9a-f]*)")


@dataclass(frozen=True)
class Anchor:
    count: int
    hash_prefix: str

    def __str__(self) -> str:
        return f"{self.count}:{self.hash_prefix}"


class AnchorError(ValueError):
    """An anchor that cannot be read; the message says why, in Vietnamese."""


def format_anchor(count: int, last_hash: str) -> str:
    return str(Anchor(count, last_hash[:SHOWN_DIGITS] if count else ""))


def current_anchor(using: str = "default") -> str:
    """The anchor of the chain as its head row records it now."""
    head = AuditHead.objects.using(using).filter(pk=1).first()
    if head is not None:
        return format_anchor(head.count, head.last_hash)
    last = AuditEvent.objects.using(using).order_by("-id").first()
    return format_anchor(AuditEvent.objects.using(using).count(), last.hash if last else "")


def anchor_of_dump(records: list[dict]) -> str:
    """The anchor of the chain as a backup's data.json holds it (rows in primary-key order)."""
    events = [record for record in records if record.get("model") == "audit.auditevent"]
    last = max(events, key=lambda record: record["pk"], default=None)
    return format_anchor(len(events), last["fields"]["hash"] if last else "")


def parse_anchor(text: str) -> Anchor:
    match = _PATTERN.fullmatch(text.strip().lower())
    if match is None:
        raise AnchorError(
            gettext(
                "The audit anchor «%(text)s» is not written NUMBER:CODE (for example "
                "1234:9f86d081884c7d659a2feaa0c55ad015)."
            )
            % {"text": text}
        )
    count, prefix = int(match[1]), match[2]
    if count and not SHOWN_DIGITS <= len(prefix) <= 64:
        raise AnchorError(
            gettext(
                "The audit anchor «%(text)s» must have %(digits)s to 64 hexadecimal digits after "
                "the colon; copy the whole anchor printed on the report or kept in the backup."
            )
            % {"text": text, "digits": SHOWN_DIGITS}
        )
    if not count and prefix:
        raise AnchorError(
            gettext(
                "The audit anchor «%(text)s»: an empty audit trail has no code after the colon."
            )
            % {"text": text}
        )
    return Anchor(count, prefix)
