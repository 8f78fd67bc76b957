from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from theodoi.dashboards.selectors import can_see_province, can_see_ward_dashboard
from theodoi.org.models import Role


@login_required
def home(request):
    """Unit roles start at their own tasks; everyone else at the plans."""
    user = request.user
    if user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD) and user.unit_id:
        return redirect("my_tasks")
    # Leaders and the standing office start at the picture of their ward; the upper level at
    # its province.
    if (
        user.organization_id
        and user.organization.is_local
        and can_see_ward_dashboard(user, user.organization)
    ):
        return redirect("dashboard")
    if can_see_province(user):
        return redirect("province_dashboard")
    return redirect("plan_list")


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    return render(request, "500.html", status=500)
