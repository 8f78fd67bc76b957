"""The person's own account: optional TOTP two-factor sign-in, password reset and change. (Their
API tokens are on a page of the api app, theodoi/api/pages.py.)"""

import base64
from base64 import b32encode

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from theodoi.accounts import services
from theodoi.accounts.forms import CodeForm
from theodoi.accounts.otp import PENDING_KEY, confirmed_device, offers_two_factor
from theodoi.core.inputs import safe_next


def _posted(request) -> tuple[str, str]:
    """The button and the code posted; both empty (never a match) when the form is garbled."""
    form = CodeForm(request.POST)
    if not form.is_valid():
        return "", ""
    return form.cleaned_data["action"], form.cleaned_data["code"]


def _qr_data_uri(text: str) -> str | None:
    """An SVG QR code as a data: URI, when the optional ``qrcode`` package is installed."""
    try:
        import qrcode
        import qrcode.image.svg
    except ImportError:
        return None
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Enrol: show the secret (text and otpauth:// URI), confirm with a first code. Once on,
    the same page turns it off again after a current code."""
    user = request.user
    if not offers_two_factor(user):
        raise PermissionDenied
    device = confirmed_device(user)
    if device is not None:
        action, code = _posted(request) if request.method == "POST" else ("", "")
        if action == "disable":
            if services.two_factor_disable(user=user, code=code):
                messages.success(request, _("Two-factor sign-in is turned off."))
                return redirect("two_factor_setup")
            messages.error(request, _("The code is not correct. Try again."))
        return render(request, "accounts/two_factor_setup.html", {"enabled": True})

    pending = services.two_factor_pending_device(user=user)
    if request.method == "POST":
        if services.two_factor_enable(user=user, device=pending, code=_posted(request)[1]):
            # This session has just proved the code: it does not have to give it again.
            otp_login(request, pending)
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect("two_factor_setup")
        messages.error(request, _("The code is not correct. Try again."))
    secret = b32encode(pending.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "enabled": False,
            "secret": secret,
            "config_url": pending.config_url,
            "qr": _qr_data_uri(pending.config_url),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second sign-in step: a code from the authenticator app."""
    target = safe_next(request, "")
    device = confirmed_device(request.user)
    if not request.session.get(PENDING_KEY) or device is None:
        request.session.pop(PENDING_KEY, None)
        return redirect(target or "home")
    if request.method == "POST":
        if device.verify_token(_posted(request)[1]):
            request.session.pop(PENDING_KEY, None)
            request.session.cycle_key()
            otp_login(request, device)
            return redirect(target or "home")
        messages.error(request, _("The code is not correct. Try again."))
    return render(request, "accounts/two_factor_verify.html", {"next": target})


# --- Passwords ----------------------------------------------------------------------------------


class _ResetForm(auth_forms.PasswordResetForm):
    """Django's form (active accounts with a usable password only, matched case-insensitively),
    with each request audited. The page answers the same whether or not the address is known."""

    def save(self, **kwargs):
        request = kwargs.get("request")
        # The address the sign-in lockout counts by (it follows THEODOI_BEHIND_PROXY).
        client_ip = get_client_ip_address(request) if request is not None else None
        if not services.password_reset_allowed(
            email=self.cleaned_data["email"], client_ip=client_ip
        ):
            return
        users = list(self.get_users(self.cleaned_data["email"]))
        super().save(**kwargs)
        services.password_reset_requested(users=users)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = _ResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = {
            "site_url": services.site_url(self.request),
            # The link's real validity (THEODOI_PASSWORD_RESET_HOURS), not a vague "limited time".
            "reset_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_done(user=form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("api_tokens")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        messages.success(
            self.request,
            _("Your password is changed. Your API tokens no longer work: create new ones."),
        )
        return response
