"""A report file asked for on the page and made by the background worker."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportExport(models.Model):
    """One file a person asked for on a page (a plan's report as Word, PDF, Excel or the zip
    package; a ward's ranking as Excel): queued, made by ``theodoi worker``, then kept in the
    file storage under its SHA-256 (never overwritten) for that person to download."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Periodic report")
        RANKING = "ranking", _("Unit ranking")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Failure(models.TextChoices):
        # What went wrong, so the page says it in the reader's language with what to do.
        QUEUE = "queue", _("The queue could not be reached")
        PERMISSION = "permission", _("No longer allowed")
        REPORT = "report", _("The report cannot be made")
        STORAGE = "storage", _("The file could not be stored")
        UNEXPECTED = "unexpected", _("Unexpected error")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_exports"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.REPORT)
    # The report's plan; empty for a ranking, which is the ward's (``organization``).
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    organization = models.ForeignKey(
        "org.Organization", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    # What else the file depends on (a ranking's year and quarter, the page's language).
    params = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    period = models.CharField(max_length=20, blank=True)
    format = models.CharField(max_length=8)
    # The office's edits of the text (empty: the report as assembled from the data).
    edits = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    # The day the report was asked for: it describes the data as of then.
    day = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    failure = models.CharField(max_length=12, choices=Failure.choices, blank=True)
    # A message that already says what to do (LibreOffice missing, a period not yet begun).
    detail = models.TextField(blank=True)
    file = models.FileField(max_length=200, blank=True)
    name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The audit trail's last record once the file was made: while nothing but reads has been
    # recorded after it, the data is unchanged and the same request may reuse this file.
    audit_head = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")

    def __str__(self) -> str:
        return f"{self.kind} {self.format} {self.period} ({self.get_status_display()})"

    @property
    def waiting(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
