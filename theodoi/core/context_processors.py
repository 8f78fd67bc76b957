from theodoi.core.clock import today
from theodoi.org.models import Role


def theodoi(request):
    """Today's date (possibly fixed by THEODOI_TODAY) and what the navigation may offer."""
    user = request.user
    return {
        "today": today(),
        # The same test the admin site applies (org.admin.ScopedAdmin), so the link never
        # leads to a refusal.
        "show_admin": bool(
            user.is_authenticated
            and user.is_active
            and user.is_staff
            and (user.is_superuser or user.role == Role.ADMIN)
        ),
    }
