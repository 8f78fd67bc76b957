"""Deploy checks for the audit trail's key."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

from theodoi.audit.keys import configured_keys

MIN_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def audit_key_check(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    keys = configured_keys()
    if not keys:
        return [
            Warning(
                "THEODOI_AUDIT_KEY is not set: the audit chain is keyed with a key derived from "
                "SECRET_KEY, so changing SECRET_KEY makes the existing records unverifiable.",
                hint="Set THEODOI_AUDIT_KEY (or THEODOI_AUDIT_KEY_FILE) to a long random string, "
                "e.g. `openssl rand -hex 32`, and keep a copy apart from the database backups. "
                "Records signed so far stay verifiable with the derived key as long as SECRET_KEY "
                "is not changed.",
                id="audit.W001",
            )
        ]
    if len(keys[0]) < MIN_KEY_LENGTH:
        return [
            Warning(
                f"THEODOI_AUDIT_KEY is shorter than {MIN_KEY_LENGTH} characters: a short key can "
                "be guessed from the records, and then the audit chain can be rewritten.",
                hint="Use e.g. `openssl rand -hex 32`; keep the old key after the new one "
                "(THEODOI_AUDIT_KEY=new,old) so the records it signed still verify.",
                id="audit.W002",
            )
        ]
    return []
