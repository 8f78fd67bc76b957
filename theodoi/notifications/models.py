"""What a person was told (the in-app inbox), how each wants to be told, and the browsers that
asked for Web Push."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The events a person must act on."""

    EVIDENCE_REJECTED = "file_rejected", _("Evidence rejected")
    REPORT_RETURNED = "report_returned", _("Report returned")
    DIRECTIVE_RECEIVED = "directive_received", _("Directive received")
    DIRECTIVE_ANSWERED = "directive_answered", _("Directive answered")
    TASK_ASSIGNED = "task_assigned", _("Task assigned")
    DEADLINE_CHANGED = "deadline_changed", _("Deadline changed")
    DEADLINE_NEAR = "deadline_near", _("Deadline near")
    # A ward's periodic report reached the province; the province's answer reached the ward.
    UPWARD_REPORT_SENT = "upward_sent", _("Periodic report received from a ward")
    UPWARD_REPORT_ANSWERED = "upward_answered", _("Periodic report answered by the province")


class Delivery(models.TextChoices):
    """How a kind reaches a person besides the inbox, which always holds it."""

    APP = "app", _("In the app only")
    EMAIL = "email", _("In the app and an e-mail at once")
    DIGEST = "digest", _("In the app and in the daily e-mail digest")


# Unless the person chose otherwise: the inbox, and the evening's digest e-mail.
DEFAULT_DELIVERY = Delivery.DIGEST


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    # One event, one notification per person: the event's own key (the review, the report's
    # version, the deadline's threshold), unique with the recipient.
    dedupe_key = models.CharField(max_length=120)
    # The delivery the person had chosen when it was made (people without an address: app).
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.APP
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["delivery", "emailed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=DEFAULT_DELIVERY
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class PushSubscription(models.Model):
    """A browser that agreed to receive Web Push for its person (the Push API's subscription)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.user_agent[:60]}"
