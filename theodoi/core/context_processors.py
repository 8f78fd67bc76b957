from theodoi.core.access import (
    Action,
    can,
    can_use_admin,
    offers_two_factor,
    offers_ward_admin,
    upward_province,
)
from theodoi.core.clock import today


def theodoi(request):
    """Today's date (possibly fixed by THEODOI_TODAY) and what the navigation may offer."""
    user = request.user
    return {
        "today": today(),
        "show_review": bool(
            user.is_authenticated
            and user.organization_id
            and can(user, Action.REVIEW, user.organization)
        ),
        "show_admin": can_use_admin(user),
        "show_ward_admin": offers_ward_admin(user),
        "show_dashboard": bool(
            user.is_authenticated
            and user.organization_id
            and user.organization.is_local
            and can(user, Action.SEE_WARD_DASHBOARD, user.organization)
        ),
        "show_province": can(user, Action.SEE_PROVINCE, None),
        # The province receives its wards' periodic reports.
        "show_upward": upward_province(user) is not None,
        # The person's menu links to the two-step sign-in set-up where it is offered.
        "offers_two_factor": offers_two_factor(user),
    }
