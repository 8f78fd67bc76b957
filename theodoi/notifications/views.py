"""The inbox, its settings and the Web Push subscription: thin, writes through ``services``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.notifications import selectors, services
from theodoi.notifications.channels import push_configured
from theodoi.notifications.forms import PreferencesForm, PushSubscriptionForm


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "vapid_public_key": settings.THEODOI_VAPID_PUBLIC_KEY if push_configured() else "",
        },
    )


@login_required
def open_notification(request, pk: int):
    """Follow a notification's link, marking it read on the way."""
    notification = selectors.notification_get(request.user, pk)
    services.mark_read(user=request.user, notification=notification)
    link = notification.link
    if not link or not url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notifications")
    return redirect(link)


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications")


@login_required
def preferences(request):
    has_email = bool(request.user.email)
    if request.method == "POST":
        form = PreferencesForm(request.POST, has_email=has_email)
        if form.is_valid():
            services.preferences_save(user=request.user, choices=form.cleaned_data)
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notification_preferences")
    else:
        form = PreferencesForm(initial=services.preferences(request.user), has_email=has_email)
        if not has_email:
            form.initial = {kind: "app" for kind in form.fields}
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "has_email": has_email,
            "vapid_public_key": settings.THEODOI_VAPID_PUBLIC_KEY if push_configured() else "",
        },
    )


@login_required
@require_POST
def push_subscribe(request):
    if not push_configured():
        return JsonResponse({"error": _("Web Push is not set up here.")}, status=404)
    form = PushSubscriptionForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    services.push_subscribe(
        user=request.user,
        endpoint=form.cleaned_data["endpoint"],
        p256dh=form.cleaned_data["p256dh"],
        auth=form.cleaned_data["auth"],
        user_agent=request.headers.get("User-Agent", ""),
    )
    return JsonResponse({"ok": True}, status=201)
