"""The start page: each person lands where their work is. It names the pages of several apps,
so it lives above them rather than in core."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from theodoi.core.access import Action, can, has_unit_role


@login_required
def home(request):
    """Unit roles start at their own tasks; everyone else at the plans."""
    user = request.user
    if has_unit_role(user) and user.unit_id:
        return redirect("my_tasks")
    # Leaders and the standing office start at the picture of their ward; the upper level at
    # its province.
    if (
        user.organization_id
        and user.organization.is_local
        and can(user, Action.SEE_WARD_DASHBOARD, user.organization)
    ):
        return redirect("dashboard")
    if can(user, Action.SEE_PROVINCE, None):
        return redirect("province_dashboard")
    return redirect("plan_list")
