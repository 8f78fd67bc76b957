"""Progress reports, evidence files with their reviews, and leaders' directives."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from theodoi.org.models import Organization, Unit, User
from theodoi.plans.models import IndicatorValue, Plan, Task
from theodoi.reporting import subjects


class ProgressReport(models.Model):
    """A unit's report on one task for one period of the plan's reporting cycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CONFIRMED = "confirmed", _("Confirmed by unit head")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, null=True, on_delete=models.SET_NULL, related_name="reports")
    period = models.CharField(
        _("period"), max_length=10, help_text="2026-W14, 2026-03, 2026-Q1, 2026"
    )
    percent = models.PositiveSmallIntegerField(_("percent done"))
    result = models.TextField(_("result"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The day by the system's clock (THEODOI_TODAY in demos and tests): decides on time or late.
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period"], name="report_unique_period"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="report_percent_max"),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} {self.period}: {self.percent}%"


def evidence_path(instance: "Evidence | None", filename: str, *, digest: str = "") -> str:
    # Content-addressed: the same bytes always land at the same name and no name is reused
    # for different bytes, so a file is never overwritten.
    digest = digest or instance.sha256
    return f"evidence/{digest[:2]}/{digest}"


class Evidence(models.Model):
    """An evidence file (minh chứng) for a task or an indicator value."""

    class Kind(models.TextChoices):
        SIGNED_DOCUMENT = "signed_document", _("Signed document")
        PHOTO = "photo", _("Photo")
        OTHER = "other", _("Other")

    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    indicator_value = models.ForeignKey(
        IndicatorValue, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_on = models.DateField(_("uploaded on"), null=True, blank=True)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    # A file sent to replace one the office rejected: the reviewer sees the chain, and the
    # rejection is resolved when a replacement is accepted.
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacements",
    )
    # What the system found when the file came in (same bytes sent before, a PDF signature's
    # verdict, the document number's form, a photo's EXIF date and place): aids for the
    # reviewer, never a reason to refuse the file.
    checks = models.JSONField(_("automatic checks"), default=dict, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        # No check that a file has a subject: a subject of an app above this one is linked by
        # that app's own row (reporting.subjects), which a check on this table cannot see.
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def subject(self):
        """What the file proves: its task, its indicator, or the subject an app above this one
        linked it to (reporting.subjects)."""
        if self.task_id is not None:
            return self.task
        if self.indicator_value_id is not None:
            return self.indicator_value.indicator
        for kind in subjects.registered():
            subject = kind.subject_of(self)
            if subject is not None:
                return subject
        return None

    @property
    def organization(self):
        subject = self.subject
        return (
            subject.organization if hasattr(subject, "organization") else subject.plan.organization
        )

    @property
    def latest_review(self) -> "EvidenceReview | None":
        # Sorted in Python so that a prefetched list of reviews costs no extra query.
        return max(self.reviews.all(), key=lambda r: (r.reviewed_at, r.pk), default=None)


class EvidenceReview(models.Model):
    """The standing office's decision on one evidence file; a rejection carries its reason."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    reviewer = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)
    reviewed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("evidence review")
        verbose_name_plural = _("evidence reviews")
        ordering = ["-reviewed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="rejected") | ~models.Q(reason=""),
                name="review_rejection_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.evidence}: {self.get_decision_display()}"


class Directive(models.Model):
    """A leader's instruction on a task (ý kiến chỉ đạo) and the lead unit's answer."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="directives")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("directive"))
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:80]


class UpwardReport(models.Model):
    """A ward's periodic report on one of its plans for one month or quarter, sent to the
    level above (the province's installation, or this one), which accepts it or returns it
    with a reason.

    The office prepares it (``text``: its edits of the prose assembled from the units'
    reports), signs off and sends it; each sending is a new ``version`` with the JSON form as
    sent in ``payload`` (the versioned schema of the API) and the package (the report and only
    accepted evidence) stored under its SHA-256, never overwritten. Every step is audited."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SENT = "sent", _("Sent, awaiting the answer")
        RETURNED = "returned", _("Returned for correction")
        ACCEPTED = "accepted", _("Accepted by the level above")

    class Source(models.TextChoices):
        LOCAL = "local", _("This installation")
        REMOTE = "remote", _("The ward's own installation, over the API")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("ward or commune"),
        on_delete=models.PROTECT,
        related_name="upward_reports",
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="upward_reports"
    )
    period = models.CharField(_("period"), max_length=10, help_text="2026-03, 2026-Q1")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Period end + the upper plan's ``upward_report_due_days`` (the plan's own without one).
    due_on = models.DateField(_("due on"))
    text = models.JSONField(_("text as edited"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("times sent"), default=0)
    payload = models.JSONField(_("as sent"), default=dict, blank=True)
    package = models.FileField(_("package"), max_length=200, blank=True)
    package_sha256 = models.CharField(max_length=64, blank=True)
    sent_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The day by the system's clock: decides on time or late.
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    source = models.CharField(
        _("received from"), max_length=10, choices=Source.choices, default=Source.LOCAL
    )
    # A report received over the API: the sending installation's key for it, so that a
    # retried delivery updates the same row instead of making a second one.
    remote_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        ordering = ["organization", "-period", "plan"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="upward_report_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.plan.short_name} {self.period}"

    @property
    def is_answered(self) -> bool:
        return self.status in (self.Status.RETURNED, self.Status.ACCEPTED)
