"""The audit trail: one row per change or file access that matters, chained by hash."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The trail names people and organisations by model, not by import: org writes its own audit
# records, so audit sits below it (pyproject.toml, [tool.importlinter]).


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        # The hash of each record covers its actor and organisation: emptying them would break
        # the chain, so a person or place named in the trail cannot be deleted (people are
        # deactivated instead).
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "org.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("kind of record"), max_length=60)
    object_id = models.CharField(_("record number"), max_length=40)
    summary = models.TextField(_("summary"), blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # Each row's hash covers its content and the previous row's hash, so a changed or deleted
    # row breaks the chain (`theodoi verify_audit`).
    prev_hash = models.CharField(_("previous record's hash"), max_length=64, blank=True)
    # Which secret key signed this record (HMAC-SHA256, see keys.py); empty for the records
    # written before the chain was keyed, which have a plain SHA-256 and may only come first.
    key_id = models.CharField(_("signing key"), max_length=16, blank=True, default="")
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class AuditHead(models.Model):
    """The end of the chain in one row (id=1). Writers lock it with SELECT … FOR UPDATE, so
    appends are serialized and two concurrent writers can never fork the chain."""

    last_hash = models.CharField(max_length=64, blank=True)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.count} {self.last_hash[:12]}"
