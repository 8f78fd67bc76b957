"""At sign-in, remember in the session whether the second step (a TOTP code) is still due; when
a password changes, by whatever path, the person's API tokens stop working."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from theodoi.accounts.otp import PENDING_KEY, confirmed_device


@receiver(user_logged_in, dispatch_uid="theodoi.accounts.two_factor_pending")
def _two_factor_pending(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if confirmed_device(user) is not None:
        request.session[PENDING_KEY] = True
    else:
        request.session.pop(PENDING_KEY, None)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="theodoi.accounts.revoke")
def _password_changed_revokes_tokens(sender, instance, created, **kwargs):
    # set_password() keeps the new raw password in _password until the save completes (Django
    # clears it right after post_save); a hash upgrade at sign-in clears it before saving, so
    # only a real change (reset link, the person's own change, the admin's form) gets here.
    if created or getattr(instance, "_password", None) is None:
        return
    from theodoi.api.auth import tokens_revoke_all

    tokens_revoke_all(user=instance, actor=None, reason="mật khẩu đã thay đổi")
