"""Alerts raised by the tracking rules (DESIGN.md §4); each closes by itself, history stays."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from theodoi.alerts import rules
from theodoi.org.models import Organization, Unit
from theodoi.plans.models import Indicator, Task


class Alert(models.Model):
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
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

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
