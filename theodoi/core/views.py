from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from theodoi.org.models import Role


@login_required
def home(request):
    """Unit roles start at their own tasks; everyone else at the plans."""
    if request.user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD) and request.user.unit_id:
        return redirect("my_tasks")
    return redirect("plan_list")


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    return render(request, "500.html", status=500)
