from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from theodoi.notifications.models import Notification
from theodoi.org.models import User


def inbox(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_get(user: User, pk: int) -> Notification:
    """The person's own notification; anyone else's is a 404."""
    return get_object_or_404(Notification, pk=pk, recipient=user)
