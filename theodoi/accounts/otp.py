"""Who is offered TOTP two-factor sign-in, and whether a sign-in still waits for its code."""

from django_otp.plugins.otp_totp.models import TOTPDevice

# Who is offered the second step is a rule of core.access; this module keeps the devices.
from theodoi.core.access import offers_two_factor

__all__ = ["PENDING_KEY", "confirmed_device", "offers_two_factor"]

# Set in the session at sign-in when a code is still due; cleared by the second step.
PENDING_KEY = "theodoi_otp_pending"


def confirmed_device(user) -> TOTPDevice | None:
    if not offers_two_factor(user):
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
