from theodoi.core.access import Action, can
from theodoi.core.clock import today


def theodoi(request):
    """Today's date (possibly fixed by THEODOI_TODAY) and what the navigation may offer."""
    user = request.user
    return {
        "today": today(),
        "show_admin": bool(
            user.is_authenticated
            and user.is_staff
            and (user.is_superuser or (user.organization and can(user, Action.MANAGE_ORG, user.organization)))
        ),
    }
