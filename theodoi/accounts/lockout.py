"""django-axes hooks: the client address, a growing delay after failed sign-ins, and the answer
given while a sign-in has to wait.

Failures are counted per user name and client address (AXES_LOCKOUT_PARAMETERS). From the
AXES_FAILURE_LIMIT-th failure on, each failure makes that pair wait: the first time
THEODOI_LOCKOUT_FIRST_DELAY, then twice as long after each further failure, up to
AXES_LOCKOUT_MAX_DELAY. Attempts made while waiting are refused without counting, so nobody
(a colleague behind the same office address included) can lengthen a wait by hammering; the
count is forgotten after AXES_COOLOFF_TIME without a failure, on a successful sign-in and on a
password reset.
"""

import datetime
import math

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

LOCKED_OUT = gettext_lazy(
    "Too many failed sign-ins: the account is locked from this address for now. Try again in "
    "%(minutes)s minutes, or use «Forgot your password?» on the sign-in page to reset the "
    "password (that unlocks it at once)."
)


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind a trusted reverse proxy the address it appended last to
    X-Forwarded-For (earlier entries come from the client and can be forged)."""
    if getattr(settings, "AXES_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        parts = [part.strip() for part in forwarded.split(",") if part.strip()]
        if parts:
            return parts[-1]
    return request.META.get("REMOTE_ADDR")


def delay_after(failures: int) -> datetime.timedelta:
    """How long a pair waits after its ``failures``-th failure (zero below the limit)."""
    limit = settings.AXES_FAILURE_LIMIT
    if failures < limit:
        return datetime.timedelta(0)
    first = settings.THEODOI_LOCKOUT_FIRST_DELAY
    longest = settings.THEODOI_LOCKOUT_MAX_DELAY
    # Capped exponent: 2**64 would overflow timedelta long before it mattered.
    return min(first * 2 ** min(failures - limit, 32), longest)


class GrowingDelayHandler(AxesDatabaseHandler):
    """The database handler, but "locked" means "still inside the wait of the last failure"
    instead of "AXES_FAILURE_LIMIT failures within AXES_COOLOFF_TIME"."""

    def remaining_wait(self, request, credentials=None) -> datetime.timedelta:
        attempts = self.get_user_attempts(request, credentials)
        longest = datetime.timedelta(0)
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        for rows in attempts:
            summary = rows.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            if not summary["failures"]:
                continue
            ends = summary["last"] + delay_after(summary["failures"])
            longest = max(longest, ends - now)
        return longest

    def is_locked(self, request, credentials=None) -> bool:
        return self.remaining_wait(request, credentials) > datetime.timedelta(0)


def _wait(request: HttpRequest, credentials) -> datetime.timedelta:
    from axes.handlers.proxy import AxesProxyHandler

    handler = AxesProxyHandler.get_implementation()
    if isinstance(handler, GrowingDelayHandler):
        wait = handler.remaining_wait(request, credentials)
        if wait > datetime.timedelta(0):
            return wait
    return settings.THEODOI_LOCKOUT_FIRST_DELAY


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """JSON 429 for the API, the lockout page (also 429) for the sign-in form; both say how long
    to wait, and Retry-After says it to programs."""
    seconds = max(1, math.ceil(_wait(request, credentials).total_seconds()))
    minutes = math.ceil(seconds / 60)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": LOCKED_OUT % {"minutes": minutes}}, status=429)

    else:
        response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(seconds)
    return response
