"""Until a signed-in person with two-factor sign-in has given their code, every page sends
them to the code step. Decided from the session alone: no query on ordinary requests."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
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


# Sessions opened before the sign-in backend became theodoi's name Django's own: Django keeps
# a session only while the backend it names is listed, so each is moved to the new name once
# (the session is saved with it) instead of signing everyone out when the change is deployed.
PREVIOUS_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "theodoi.accounts.backends.UserBackend",
}


def previous_backend_renamed(get_response):
    def middleware(request):
        session = getattr(request, "session", None)
        if session is not None:
            renamed = PREVIOUS_BACKENDS.get(session.get(BACKEND_SESSION_KEY))
            if renamed is not None:
                session[BACKEND_SESSION_KEY] = renamed
        return get_response(request)

    return middleware
