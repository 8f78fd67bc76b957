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


class WardConnection(models.Model):
    """On the province's installation: the account a ward's own installation sends its periodic
    reports with (the ward's standing office role, no password anyone knows). Its tokens are the
    ward's connection codes; the row marks the account as one used only over the API."""

    ward = models.OneToOneField(
        "org.Organization",
        verbose_name=_("ward or commune"),
        on_delete=models.PROTECT,
        related_name="api_connection",
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ward_connection"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ward connection")
        verbose_name_plural = _("ward connections")

    def __str__(self) -> str:
        return str(self.ward)


class UpstreamLink(models.Model):
    """On a ward's own installation: where its province's installation answers and the token
    the province issued to the ward. The token is kept as given (it must be sent as is); whoever
    reads the database can send reports in the ward's name until the province revokes it."""

    organization = models.OneToOneField(
        "org.Organization",
        verbose_name=_("ward or commune"),
        on_delete=models.CASCADE,
        related_name="upstream_link",
    )
    base_url = models.URLField(_("address of the province's installation"), max_length=300)
    token = models.CharField(_("connection code"), max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("upper-level installation")
        verbose_name_plural = _("upper-level installations")

    def __str__(self) -> str:
        return self.base_url


class UpwardDelivery(models.Model):
    """One version of a ward's periodic report on its way to the province's installation:
    tried until it is delivered, with the province's receipt once it is."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be delivered")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Not delivered")

    report = models.ForeignKey(
        "reporting.UpwardReport", on_delete=models.CASCADE, related_name="deliveries"
    )
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True)
    receipt = models.JSONField(default=dict, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="upward_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.version}"

    @property
    def key(self) -> str:
        """The Idempotency-Key of this sending: the ward, its report and the version."""
        return f"{self.report.organization.code}:{self.report_id}:{self.version}"
