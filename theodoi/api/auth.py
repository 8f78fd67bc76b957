"""Bearer-token authentication of the API, and issuing tokens.

Only token auth: no session cookie is accepted, so the API needs no CSRF protection.
"""

import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from theodoi.api.models import ApiToken, token_hash
from theodoi.audit.services import audit_record
from theodoi.org.models import User

# Writing last_used_at on every request would turn each read into a write; a minute is
# precise enough to tell whether a token is still in use.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token:
            return None
        row = (
            ApiToken.objects.select_related("user", "user__organization", "user__unit")
            .filter(key_hash=token_hash(token), revoked=False, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        # Code shared with the pages reads request.user; the API itself uses request.auth.
        request.user = row.user
        return row.user


@transaction.atomic
def token_issue(*, user: User, name: str = "") -> str:
    """Issue a token for a person who has just given their password; return the raw token."""
    token, raw = ApiToken.create_for(user, name.strip())
    audit_record(
        actor=user,
        action="api.token.issue",
        obj=token,
        organization=user.organization,
        summary=f"{token.prefix}… {token.name}".strip(),
    )
    return raw
