"""The self-assessment toolkit's records (issue 8). A framework is stored as its documented
mapping (``framework.to_dict``) and read back through the pure parser, so the database, YAML and
Excel hold the same thing; campaigns pin a framework version, so editing a framework never
changes a campaign under way. Scores are never stored: they are computed from the answers."""

from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _

from theodoi.assessment import framework as frameworks
from theodoi.org.models import Organization, Unit, User
from theodoi.reporting.models import Evidence


class Framework(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("ward or commune"),
        on_delete=models.CASCADE,
        related_name="assessment_frameworks",
    )
    code = models.CharField(_("code"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=300)
    definition = models.JSONField(_("definition"))
    source_name = models.CharField(_("imported from"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment framework")
        verbose_name_plural = _("assessment frameworks")
        ordering = ["-year", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code", "year", "version"], name="framework_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year}, v{self.version})"

    @cached_property
    def parsed(self) -> frameworks.Framework:
        return frameworks.parse(self.definition)


class Campaign(models.Model):
    """An assessment the standing office opens for a year and a set of units."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("ward or commune"),
        on_delete=models.CASCADE,
        related_name="assessment_campaigns",
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField(_("name"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("deadline for answers"), null=True, blank=True)
    # A criterion where a unit earns less than this share of its maximum is "weak": it is
    # listed among the ward's weakest and may become an improvement task.
    weak_percent = models.PositiveSmallIntegerField(
        _("weak below (percent of the maximum)"), default=50
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assessment campaign")
        verbose_name_plural = _("assessment campaigns")
        ordering = ["-year", "-opened_at"]

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """One unit's answers in a campaign."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted by the office")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    # Bumped by every write: a form carries the version it was opened at, so two people saving
    # the same answers at once cannot overwrite each other silently.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("assessment submission")
        verbose_name_plural = _("assessment submissions")
        ordering = ["campaign", "unit__order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="submission_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.unit}"

    @property
    def organization(self) -> Organization:
        return self.campaign.organization


class Answer(models.Model):
    """A unit's answer to one criterion, and the standing office's adjustment of it."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    code = models.CharField(_("criterion"), max_length=40)
    # As the unit wrote it: true/false, a number, a choice code or points (see scoring.Answer).
    value = models.JSONField(_("answer"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    note = models.TextField(_("explanation"), blank=True)
    # Filled in from the tracking data (framework.SOURCES), with how it was computed.
    source = models.CharField(_("filled in from"), max_length=40, blank=True)
    source_detail = models.CharField(_("how it was computed"), max_length=300, blank=True)
    adjusted = models.BooleanField(_("adjusted by the office"), default=False)
    adjusted_value = models.JSONField(null=True, blank=True)
    adjusted_not_applicable = models.BooleanField(default=False)
    adjust_reason = models.TextField(_("reason for the adjustment"), blank=True)
    adjusted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adjusted_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Stored, served and reviewed by reporting like a task's files; linked here (AnswerEvidence)
    # because reporting sits below this app and never refers to it.
    evidence = models.ManyToManyField(
        Evidence, through="AnswerEvidence", related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("assessment answer")
        verbose_name_plural = _("assessment answers")
        ordering = ["submission", "id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "code"], name="answer_once_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.submission} · {self.code}"

    @property
    def organization(self) -> Organization:
        return self.submission.campaign.organization

    @property
    def unit_id(self) -> int:
        return self.submission.unit_id


class AnswerEvidence(models.Model):
    """The link of one evidence file to the answer it proves (a file proves one answer)."""

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="evidence_links")
    evidence = models.OneToOneField(Evidence, on_delete=models.CASCADE, related_name="answer_link")

    class Meta:
        verbose_name = _("evidence of an answer")
        verbose_name_plural = _("evidence of answers")

    def __str__(self) -> str:
        return f"{self.answer} · {self.evidence}"
