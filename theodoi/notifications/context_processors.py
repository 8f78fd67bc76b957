from theodoi.notifications import selectors


def unread(request):
    """The bell's count: one indexed COUNT (or a cache read), none for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": selectors.unread_count(user)}
