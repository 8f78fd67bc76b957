"""Bearer-token authentication of the API, and issuing, listing and revoking tokens.

Only token auth: no session cookie is accepted, so the API needs no CSRF protection.
"""

import datetime

from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from theodoi.api.models import ApiToken, token_hash
from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record
from theodoi.core.access import Actor
from theodoi.org.models import User

# Writing last_used_at on every request would turn each read into a write; a minute is
# precise enough to tell whether a token is still in use.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class TokenExpired(AuthenticationError):
    """A real token past its lifetime: the client is told to get a new one, not just 401."""


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token:
            return None
        row = (
            ApiToken.objects.select_related(
                "user", "user__organization", "user__unit", "user__ward_connection"
            )
            .filter(key_hash=token_hash(token), revoked=False, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        if hasattr(row.user, "ward_connection") and not request.path.startswith(
            reverse("api:upward_reports")
        ):
            # A ward installation's connection code sends and reads periodic reports, nothing
            # else: whoever copies it from the ward's server cannot act as the ward's office.
            return None
        now = timezone.now()
        if row.expires_at <= now:
            raise TokenExpired
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        # Code shared with the pages reads request.user; the API itself uses request.auth.
        request.user = row.user
        return row.user


@transaction.atomic
def token_issue(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue a token for a person who has just given their password: the saved row and the raw
    token (shown once, never stored)."""
    token, raw = ApiToken.create_for(user, name.strip())
    audit_record(
        actor=user,
        action=AuditAction.API_TOKEN_ISSUE,
        obj=token,
        organization=user.organization,
        summary=f"{token.prefix}… {token.name}".strip(),
        after={"expires_at": token.expires_at},
    )
    return token, raw


def tokens_for_user(user: User):
    """A person's own tokens that still exist for them (revoked ones are gone for good)."""
    return ApiToken.objects.filter(user=user, revoked=False).order_by("-created_at", "-id")


@transaction.atomic
def token_revoke(*, actor: User, token_id: int) -> ApiToken:
    """Revoke one of ``actor``'s own tokens; anyone else's, or an unknown id, is a 404."""
    token = tokens_for_user(actor).select_for_update(no_key=True).filter(pk=token_id).first()
    if token is None:
        raise Http404
    token.revoked = True
    token.save(update_fields=["revoked"])
    audit_record(
        actor=actor,
        action=AuditAction.API_TOKEN_REVOKE,
        obj=token,
        organization=actor.organization,
        summary=f"{token.prefix}… {token.name}".strip(),
    )
    return token


@transaction.atomic
def tokens_revoke_all(*, user: User, actor: Actor, reason: str) -> int:
    """Revoke every token of ``user`` (their password changed: whoever had the old one may
    have made tokens with it). Returns how many were revoked."""
    tokens = list(ApiToken.objects.select_for_update(no_key=True).filter(user=user, revoked=False))
    if not tokens:
        return 0
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked=True)
    audit_record(
        actor=actor,
        action=AuditAction.API_TOKEN_REVOKE_ALL,
        obj=user,
        organization=user.organization,
        summary=f"{len(tokens)} token: {reason}",
        after={"revoked": [t.prefix for t in tokens]},
    )
    return len(tokens)
