"""At sign-in, remember in the session whether the second step (a TOTP code) is still due. (When
a password changes, the API tokens are revoked by theodoi/api/signals.py.)"""

from django.contrib.auth.signals import user_logged_in
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
