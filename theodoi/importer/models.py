"""A draft being checked: kept between the upload and the save, so a person can take their time."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from theodoi.org.models import Organization, User


class ImportDraft(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Being checked")
        SAVED = "saved", _("Saved")
        DISCARDED = "discarded", _("Discarded")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    source_name = models.CharField(_("file name"), max_length=255)
    source_sha256 = models.CharField(max_length=64)
    data = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the document amends a plan already in the system ("Điều chỉnh, bổ sung kế
    # hoạch"): the draft is then compared with that plan and saved as its next version.
    amends = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("amended plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import draft")
        verbose_name_plural = _("import drafts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.source_name
