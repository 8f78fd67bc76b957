"""Alerts raised by the tracking rules (DESIGN.md §4); each closes by itself, history stays."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from theodoi.alerts import rules
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

    @property
    def reason_labels(self) -> list[tuple[str, str, str]]:
        """(rule, its label, the reason's text) of each reason, most urgent first."""
        labels = []
        for reason in self.reasons or []:
            try:
                label = rules.Rule(reason.get("rule")).label
            except ValueError:
                label = str(reason.get("rule"))
            labels.append((str(reason.get("rule")), label, str(reason.get("message", ""))))
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
