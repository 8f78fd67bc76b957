"""Alerts raised by the tracking rules (DESIGN.md §4); each closes by itself, history stays."""

import datetime
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from theodoi.alerts import rules
from theodoi.core.clock import today as clock_today
from theodoi.org.models import Organization, Unit
from theodoi.plans.models import Indicator, Plan, Task


class Alert(models.Model):
    """The one open alert of a task or indicator (DESIGN.md §4): every rule that holds for it
    is one of its ``reasons``, the most urgent first, and ``rule`` is that most urgent one."""

    # The rules with their labels, as alerts/rules.py registers them (one vocabulary).
    Rule = models.TextChoices(
        "Rule",
        [(rule.name, (rule.value, rules.RULE_LABELS[rule])) for rule in rules.Rule],
        module=__name__,
        qualname="Alert.Rule",
    )

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="alerts")
    rule = models.CharField(_("rule"), max_length=30, choices=Rule.choices)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    # A ward's plan whose periodic report to the level above is late or due soon.
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="upward_alerts"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit that must act"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )
    period = models.CharField(_("period"), max_length=10, blank=True)
    numbers = models.JSONField(_("numbers behind it"), default=dict, blank=True)
    message = models.TextField(_("message"))
    # [{"rule", "keys", "numbers", "message", "short"}], most urgent first (alerts.rules.combine).
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    severity = models.CharField(
        _("severity"),
        max_length=10,
        choices=[(s.value, label) for s, label in rules.SEVERITY_LABELS.items()],
        default=rules.Severity.MEDIUM.value,
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    # When the alert last asked for attention: opened, or a new reason came. The e-mail digest
    # tells a person again of an alert that got worse since it last told them.
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledgement_note = models.TextField(_("note"), blank=True)
    # Hidden from the lists and digests before this day; shown again on it.
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["organization", "closed_at"])]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.message[:60]}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    def is_snoozed(self, today: datetime.date) -> bool:
        return self.snoozed_until is not None and self.snoozed_until > today

    @property
    def reason_rules(self) -> list[str]:
        return [str(reason.get("rule")) for reason in self.reasons or []] or [self.rule]

    @cached_property
    def _shown(self) -> tuple[str, list[str]]:
        return rules.shown(self.reasons or [], self.message, clock_today())

    @property
    def text(self) -> str:
        """The summary as shown today: the days late or left are counted now, not stored (a
        new day would otherwise rewrite every open alert)."""
        return self._shown[0]

    @property
    def reason_texts(self) -> list[str]:
        """Each reason's message as shown today, most urgent first."""
        return self._shown[1]

    @property
    def reason_labels(self) -> list[tuple[str, str, str]]:
        """(rule, its label, the reason's text) of each reason, most urgent first."""
        labels = []
        for reason, text in zip(self.reasons or [], self.reason_texts, strict=False):
            try:
                label = rules.Rule(reason.get("rule")).label
            except ValueError:
                label = str(reason.get("rule"))
            labels.append((str(reason.get("rule")), label, text))
        return labels


class AlertDigest(models.Model):
    """One email that told a person about new alerts; the alerts it listed are never sent to
    that person again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_digests"
    )
    email = models.EmailField(_("sent to"))
    subject = models.CharField(_("subject"), max_length=255)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    alerts = models.ManyToManyField(Alert, related_name="digests")

    class Meta:
        verbose_name = _("alert digest")
        verbose_name_plural = _("alert digests")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["user", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.email} {self.sent_at:%Y-%m-%d %H:%M}: {self.subject}"


class AlertWatch(models.Model):
    """When the findings of one task, indicator or plan (its periodic reports upward) may next
    change without new facts: the incremental scan evaluates it again only from that day on, or
    once the row is gone. Every evaluation writes it; a write to the facts deletes it (the
    signals in ``alerts.apps``), so a change made outside the services is evaluated too."""

    task = models.OneToOneField(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="alert_watch"
    )
    indicator = models.OneToOneField(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="alert_watch"
    )
    plan = models.OneToOneField(
        Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="alert_watch"
    )
    # The day of the evaluation and the first day after it on which the findings may differ
    # (null: not before new facts). Valid for the days [checked_on, next_check).
    checked_on = models.DateField()
    next_check = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert watch")
        verbose_name_plural = _("alert watches")

    def __str__(self) -> str:
        return f"{self.task_id or self.indicator_id or self.plan_id}: {self.next_check}"


class ScanState(models.Model):
    """The scan of one ward, commune or province (its own plans, not those below it): the day
    it last ran and the rules it ran with. Its row is locked while the scan runs, so two scans
    of the same ward at once cannot both open an alert."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="alert_scan_state"
    )
    last_day = models.DateField(null=True, blank=True)
    rules_version = models.CharField(max_length=40, blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert scan state")
        verbose_name_plural = _("alert scan states")

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.last_day}"


class ScanRun(models.Model):
    """A scan split into one background job per ward: the last job to finish sends the
    digests, so nobody is mailed before every ward is scanned."""

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    pending = models.PositiveIntegerField(default=0)
    full = models.BooleanField(default=False)
    send_digests = models.BooleanField(default=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The summed counts of its jobs (ScanResult.as_dict's keys).
    totals = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("alert scan run")
        verbose_name_plural = _("alert scan runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}: {self.pending} pending"
