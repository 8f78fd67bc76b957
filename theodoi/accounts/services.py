"""Account writes: password reset requests and resets, admin-issued reset links, password
changes, two-factor sign-in turned on and off. Each is audited; a finished reset also ends any sign-in wait for that user name."""

import hashlib
import logging
from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from theodoi.accounts.otp import confirmed_device
from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record
from theodoi.core.access import SYSTEM, Action, Actor, can_manage_user, require
from theodoi.org import services as org_services
from theodoi.org.bulk import WardSheets
from theodoi.org.models import Organization, Unit, User

log = logging.getLogger(__name__)


class AccountError(Exception):
    """Something a person asked that cannot be done; the message says why, in Vietnamese."""


def site_url(request: HttpRequest) -> str:
    """The address people open theodoi at: THEODOI_SITE_URL, else the one this request used."""
    configured = str(getattr(settings, "THEODOI_SITE_URL", "") or "").rstrip("/")
    return configured or f"{request.scheme}://{request.get_host()}"


def reset_url(request: HttpRequest, user: User) -> str:
    """A one-time link that lets ``user`` choose a new password (Django's token: it stops
    working once the password changes or the person signs in, or after PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return site_url(request) + path


# Reset e-mails are throttled so that nobody can make the server mail a known address without
# end (each also adding an audit record): one e-mail per address per RESET_ADDRESS_SECONDS, and
# RESET_CLIENT_LIMIT requests per client address per RESET_CLIENT_SECONDS. The counters live in
# Django's cache (CACHES): shared by every server with THEODOI_CACHE=redis; with the default
# local-memory cache each server process counts on its own, so N processes allow up to N times
# as much (still a bound, and the setting several servers need anyway).
RESET_ADDRESS_SECONDS = 5 * 60
RESET_CLIENT_LIMIT = 10
RESET_CLIENT_SECONDS = 60 * 60


def password_reset_allowed(*, email: str, client_ip: str | None) -> bool:
    """Whether a reset e-mail may go to ``email`` now, asked from ``client_ip``; counts this
    request. The person asking is told the same either way (no way to learn which addresses
    exist, nor that the limit was reached)."""
    if client_ip:
        key = f"theodoi:reset:ip:{client_ip}"
        cache.add(key, 0, RESET_CLIENT_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, RESET_CLIENT_SECONDS)
            count = 1
        if count > RESET_CLIENT_LIMIT:
            log.warning("Password reset requests from %s over the limit: ignored.", client_ip)
            return False
    digest = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()
    if not cache.add(f"theodoi:reset:email:{digest}", 1, RESET_ADDRESS_SECONDS):
        log.info("Password reset asked again within the wait for the same address: ignored.")
        return False
    return True


@transaction.atomic
def password_reset_requested(*, users: list[User]) -> None:
    """Audit an e-mailed reset request for each account of the address (none: nothing to
    record against, and the person asking is told the same either way)."""
    if not users:
        log.info("Password reset asked for an address without an active account.")
    for user in users:
        # Nobody is signed in: the system records the request it received.
        _audit(user, AuditAction.USER_PASSWORD_RESET_REQUEST, actor=SYSTEM)


@transaction.atomic
def password_reset_done(*, user: User) -> None:
    """After a person set a new password from a reset link: audit, and end any sign-in wait for
    their user name (from every address) so they can sign in at once."""
    axes_reset(username=user.get_username())
    _audit(user, AuditAction.USER_PASSWORD_RESET, actor=user)


@transaction.atomic
def password_changed(*, user: User) -> None:
    """After a signed-in person changed their own password."""
    _audit(user, AuditAction.USER_PASSWORD_CHANGE, actor=user)


@transaction.atomic
def reset_link_issue(*, actor: User, user: User, request: HttpRequest) -> str:
    """A reset link an admin hands over by phone or message to a person without e-mail."""
    if not can_manage_user(actor, user):
        raise PermissionDenied
    if not user.is_active:
        raise AccountError(
            gettext(
                "The account «%(username)s» is deactivated: reactivate it before creating a "
                "password reset link."
            )
            % {"username": user.username}
        )

    link = reset_url(request, user)
    _audit(user, AuditAction.USER_PASSWORD_RESET_LINK, actor=actor)
    return link


def _audit(user: User, action: AuditAction, *, actor: Actor) -> None:
    # The link or password itself is never recorded: only who, whose account, and what.
    audit_record(
        actor=actor, action=action, obj=user, organization=user.organization, summary=user.username
    )


# --- Two-factor sign-in -------------------------------------------------------------------------


def two_factor_pending_device(*, user: User) -> TOTPDevice:
    """The authenticator being enrolled (not yet confirmed), created on first visit."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return pending


@transaction.atomic
def two_factor_enable(*, user: User, device: TOTPDevice, code: str) -> bool:
    """Turn two-factor sign-in on once ``code`` proves the person's app holds the secret of
    ``device``; any other device of theirs is removed. False (nothing changed) for a wrong
    code. Audited, like every change to how a person signs in."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _audit(user, AuditAction.USER_TWO_FACTOR_ENABLE, actor=user)
    return True


@transaction.atomic
def two_factor_disable(*, user: User, code: str) -> bool:
    """Turn two-factor sign-in off after a current code (a stolen open session alone cannot).
    False (nothing changed) for a wrong code or when it was not on. Audited."""
    device = confirmed_device(user)
    if device is None or not device.verify_token(code):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    _audit(user, AuditAction.USER_TWO_FACTOR_DISABLE, actor=user)
    return True


# --- New people: their set-password link ------------------------------------------------------


@dataclass
class PasswordLink:
    """A person's set-password link, shown once to the admin who made the account; ``emailed``
    when it was also sent to the person's address."""

    user: User
    link: str
    emailed: bool


def _mail_link(user: User, link: str, request: HttpRequest) -> None:
    context = {
        "user": user,
        "link": link,
        "site_url": site_url(request),
        "reset_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    body = render_to_string("registration/account_created_email.txt", context)
    subject = gettext("Your theodoi account: choose your password")
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # a mail server down must not undo the accounts: the link is on screen
        log.exception("The set-password e-mail to user %s could not be sent.", user.pk)


@transaction.atomic
def password_link_send(*, actor: User, user: User, request: HttpRequest) -> PasswordLink:
    """A set-password link for a new (or forgotten) account, to hand over; e-mailed as well
    when the person has an address, once the transaction commits (an import undone sends
    nothing). Both are audited; the link itself never is."""
    link = reset_link_issue(actor=actor, user=user, request=request)
    emailed = bool(user.email)
    if emailed:
        _audit(user, AuditAction.USER_PASSWORD_LINK_EMAIL, actor=actor)
        transaction.on_commit(lambda: _mail_link(user, link, request))
    return PasswordLink(user=user, link=link, emailed=emailed)


@transaction.atomic
def ward_import_save(
    *, actor: User, ward: Organization, sheets: WardSheets, request: HttpRequest
) -> list[PasswordLink]:
    """Make every unit and person of a checked workbook in one transaction (all or nothing),
    each through its own audited service, and a set-password link for each person."""
    require(actor, Action.MANAGE_ORG, ward)
    if not sheets.ok:
        raise AccountError(gettext("The workbook has errors: correct them and upload it again."))
    units: dict[int, Unit] = {}
    for index, row in enumerate(sheets.units):
        units[-(index + 1)] = org_services.unit_create_checked(
            actor=actor,
            organization=ward,
            name=row.name,
            short_name=row.short_name,
            aliases=row.aliases,
        )
    existing = {unit.pk: unit for unit in ward.units.all()}
    links = []
    for person in sheets.people:
        ref = person.unit_ref
        unit = None if ref is None else units[ref] if ref < 0 else existing[ref]
        user = org_services.user_create(
            actor=actor,
            username=person.username,
            password=None,
            role=person.role,
            organization=ward,
            unit=unit,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            phone=person.phone,
        )
        links.append(password_link_send(actor=actor, user=user, request=request))
    audit_record(
        actor=actor,
        action=AuditAction.WARD_IMPORT,
        obj=ward,
        organization=ward,
        summary=gettext("%(units)d units, %(people)d people")
        % {"units": len(sheets.units), "people": len(sheets.people)},
    )
    return links
