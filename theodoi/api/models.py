"""API tokens: a person's key for the HTTP API, stored only as its SHA-256 hash."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token. The raw token is shown once when issued; a database leak reveals only
    hashes, and the prefix lets a person tell their tokens apart."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @classmethod
    def create_for(cls, user, name: str = "") -> tuple["ApiToken", str]:
        """A new token for ``user``, valid THEODOI_API_TOKEN_DAYS: the saved row and the raw
        token (never stored)."""
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=token_hash(raw),
            prefix=raw[:8],
            expires_at=timezone.now() + lifetime(),
        )
        return token, raw


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.THEODOI_API_TOKEN_DAYS)
