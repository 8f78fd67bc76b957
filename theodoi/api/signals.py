"""When a password changes or becomes unusable, or the account is deactivated, by whatever path,
the person's API tokens stop working for good. A periodic report sent by a ward whose province
runs its own installation is queued for delivery there."""

import logging

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from theodoi.api.auth import tokens_revoke_all
from theodoi.api.upstream import delivery_queue
from theodoi.core.access import SYSTEM
from theodoi.reporting.upward import upward_report_sent

logger = logging.getLogger(__name__)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="theodoi.api.revoke")
def _password_changed_revokes_tokens(sender, instance, created, **kwargs):
    if created:
        return
    # A deactivated account's tokens are revoked, not just refused: reactivating it later must
    # not bring back tokens that someone may have copied meanwhile. Same for an account whose
    # password was made unusable (set_unusable_password() leaves _password unset). Revoking is
    # a no-op once no token is left, so repeated saves record nothing more.
    if not instance.is_active:
        tokens_revoke_all(user=instance, actor=SYSTEM, reason="tài khoản đã ngừng hoạt động")
    elif not instance.has_usable_password():
        tokens_revoke_all(user=instance, actor=SYSTEM, reason="mật khẩu không còn dùng được")
    # set_password() keeps the new raw password in _password until the save completes (Django
    # clears it right after post_save); a hash upgrade at sign-in clears it before saving, so
    # only a real change (reset link, the person's own change, the admin's form) gets here.
    elif getattr(instance, "_password", None) is not None:
        tokens_revoke_all(user=instance, actor=SYSTEM, reason="mật khẩu đã thay đổi")


@receiver(upward_report_sent, dispatch_uid="theodoi.api.upward_delivery")
def _sent_report_goes_upstream(sender, report, **kwargs):
    # A ward whose province runs its own installation: each sending is delivered there. The
    # sending is committed already; a failure here must not fail it (``theodoi deliver_upward``
    # makes the missing delivery later).
    try:
        delivery_queue(report)
    except Exception:
        logger.exception("could not queue the delivery of report %s", report.pk)
