from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from theodoi.notifications.models import Notification
from theodoi.org.models import User


def inbox(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_get(user: User, pk: int) -> Notification:
    """The person's own notification; anyone else's is a 404."""
    return get_object_or_404(Notification, pk=pk, recipient=user)


# The bell's count is on every page. With a cache shared by every process (THEODOI_CACHE=redis)
# it is kept there and forgotten by each write that changes it (services.forget_unread), so a
# notification read on one server is counted so on the next page whichever server serves it.
# A per-process cache could not be told of a write made in another process: then it is counted
# each time. The timeout bounds a count cached by a read racing a write.
UNREAD_SECONDS = 120


def unread_key(user_id: int) -> str:
    return f"theodoi:unread:{user_id}"


def unread_count(user: User) -> int:
    if not settings.THEODOI_CACHE_SHARED:
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count
