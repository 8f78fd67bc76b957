from django import template

from theodoi.notifications.models import Notification

register = template.Library()

# How many of the newest unread notifications a landing page shows.
PANEL_SIZE = 5


@register.inclusion_tag("notifications/_panel.html", takes_context=True)
def unread_panel(context):
    """The person's newest unread notifications, for the page they land on."""
    user = context["request"].user
    if context.get("unread_notifications") == 0:
        # The bell has just counted none (a cached count is forgotten by every write that
        # changes it): nothing to read.
        return {"unread": [], "total": 0}
    unread = list(
        Notification.objects.filter(recipient=user, read_at__isnull=True).order_by(
            "-created_at", "-id"
        )[:PANEL_SIZE]
    )
    return {"unread": unread, "total": context.get("unread_notifications", len(unread))}
