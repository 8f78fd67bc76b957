"""Until a signed-in person with two-factor sign-in has given their code, every page sends
them to the code step. Decided from the session alone: no query on ordinary requests."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from theodoi.accounts.otp import PENDING_KEY


def two_factor_required(get_response):
    def middleware(request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(PENDING_KEY)
            and not _exempt(request.path)
            and request.user.is_authenticated
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('two_factor_verify')}?{query}")
        return get_response(request)

    return middleware


def _exempt(path: str) -> bool:
    exempt = (
        reverse("two_factor_verify"),
        reverse("logout"),
        "/" + settings.STATIC_URL.lstrip("/"),
        "/i18n/",
        # The API authenticates by bearer token, never by this session.
        "/api/",
    )
    return path.startswith(exempt)
