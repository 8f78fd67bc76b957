"""Who is offered TOTP two-factor sign-in, and whether a sign-in still waits for its code."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from theodoi.org.models import Role

# DESIGN.md §5: the standing office, leaders and admins; unit roles are never asked.
TWO_FACTOR_ROLES = frozenset({Role.STANDING_OFFICE, Role.LEADER, Role.ADMIN})
# Set in the session at sign-in when a code is still due; cleared by the second step.
PENDING_KEY = "theodoi_otp_pending"


def offers_two_factor(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in TWO_FACTOR_ROLES))


def confirmed_device(user) -> TOTPDevice | None:
    if not offers_two_factor(user):
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
