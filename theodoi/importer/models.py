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


class ImportReading(models.Model):
    """An uploaded scan being read by OCR in the background worker: the upload kept until its
    draft is made, and how many pages are done, for the page that follows it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being read")
        DONE = "done", _("Read")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    source_name = models.CharField(_("file name"), max_length=255)
    source_sha256 = models.CharField(max_length=64)
    # The uploaded bytes, in the same transaction as the queued task: the worker always finds
    # them. Emptied once the draft is made.
    content = models.BinaryField(blank=True)
    amends = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    pages_done = models.PositiveIntegerField(default=0)
    pages_total = models.PositiveIntegerField(default=0)
    # Why it failed, already saying what to do (a missing OCR package, an unreadable scan).
    message = models.TextField(blank=True)
    draft = models.ForeignKey(
        ImportDraft, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the worker took it: a reading still running long past OCR's time limit from here
    # was cut off (a killed worker) and is shown as failed.
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document being read")
        verbose_name_plural = _("documents being read")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.source_name

    @property
    def waiting(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
