"""The secret that keys the audit chain, kept outside the database.

``THEODOI_AUDIT_KEY`` (or ``THEODOI_AUDIT_KEY_FILE``) holds one key, or several separated by commas
or new lines, newest first: the first signs new records, the others are retired keys still
accepted when verifying the records they signed. Without it the key is derived from
``SECRET_KEY`` (with its own salt, so it is not the session-signing key): still a secret outside
the database, but changing ``SECRET_KEY`` then changes the audit key, so production sets its own
(a deploy check warns). The derived key always stays in the keyring as the oldest one: it is a raw
digest nobody can write into the setting, and the records of an installation that ran before the
setting was set are signed with it. Keys only ever get newer along the chain (``verify.py``), so a
retired key, leaked or derived, cannot sign a record after one signed by a newer key.

Each record stores the id of the key that signed it: a fingerprint that names the key without
revealing it.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings

_DERIVATION_SALT = b"theodoi.audit.chain-key"
_ID_LABEL = b"theodoi.audit.key-id"


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, bytes]  # by key id, newest first

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]


def key_id(key: bytes) -> str:
    return hmac.new(key, _ID_LABEL, hashlib.sha256).hexdigest()[:12]


def derived_key() -> bytes:
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), _DERIVATION_SALT, "sha256").digest()


def configured_keys() -> list[bytes]:
    """The keys named by the setting, current first (empty when none is set)."""
    text = getattr(settings, "THEODOI_AUDIT_KEY", "") or ""
    return [part.encode("utf-8") for part in re.split(r"[,\s]+", text) if part]


def keyring() -> Keyring:
    """The accepted keys, newest first: the setting's, then the derived key."""
    keys: dict[str, bytes] = {}
    for key in [*configured_keys(), derived_key()]:
        keys.setdefault(key_id(key), key)
    return Keyring(current_id=next(iter(keys)), keys=keys)
