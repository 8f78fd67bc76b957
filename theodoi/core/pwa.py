"""The installable web app: its manifest, its service worker and the small pieces the offline
report drafts need (a fresh CSRF token, the page shown when a page was never opened online).

The service worker is served from the site's root, not from /static/, because a worker only
controls the pages under the folder it is served from."""

import hashlib
import json
import re

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

THEME_COLOUR = "#0d6efd"  # Bootstrap's primary blue: the navigation bar's colour
ICON_SIZES = (192, 512)

# What a phone needs to show a page and write a report without the network: the styles, the
# scripts and the icons. Pages themselves are cached only as the officer opens them (below).
SHELL_FILES = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "theodoi/theodoi.css",
    "theodoi/app.js",
    "theodoi/pwa.js",
    "theodoi/drafts.js",
    "theodoi/evidence-input.js",
    "theodoi/icons/icon-192.png",
    "theodoi/icons/icon-512.png",
)
# The worker keeps these pages as they were last opened, so an officer who opened a task
# online can still read it and write its report offline; nothing else private is kept.
OFFLINE_PAGES = ("task_detail", "my_tasks")
_PLACEHOLDER = 987654321


def _page_pattern(name: str) -> str:
    """A JavaScript regular expression matching the paths of one named page."""
    try:
        path = reverse(name, args=[_PLACEHOLDER])
    except NoReverseMatch:  # a page without an id in its path
        path = reverse(name)
    return "^" + re.escape(path).replace(str(_PLACEHOLDER), r"\d+").replace("/", r"\/") + "$"


@require_GET
def manifest(request):
    """The web app manifest: what a phone needs to install theodoi on its home screen."""
    data = {
        "name": "theodoi",
        "short_name": _("Track plans"),
        "description": _("Tracking the plans of Resolution 57-NQ/TW: tasks, reports, evidence."),
        "lang": get_language() or "vi",
        "start_url": reverse("home"),
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {
                "src": static(f"theodoi/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in ICON_SIZES
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def service_worker(request):
    """The service worker, at the root so that its scope is the whole site."""
    shell = [static(name) for name in SHELL_FILES]
    shell += [reverse("offline"), reverse("manifest")]
    push = static("theodoi/sw-push.js")
    # A new list of files (hashed names in production) is a new cache; the old one is dropped.
    version = hashlib.sha256("\n".join([*shell, push]).encode()).hexdigest()[:12]
    response = render(
        request,
        "pwa/sw.js",
        {
            "push_url": json.dumps(push),
            # JSON is JavaScript: the worker reads its settings from one literal.
            "config": json.dumps(
                {
                    "version": version,
                    "shell": shell,
                    "staticPrefix": static(""),
                    "offlineUrl": reverse("offline"),
                    "pagePatterns": [_page_pattern(name) for name in OFFLINE_PAGES],
                }
            ),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    # The browser checks the worker for an update on every visit; no copy may stand in for it.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request):
    """What a phone shows for a page it never opened while online. It names no one: the worker
    keeps it for everyone who uses the device."""
    return render(request, "pwa/offline.html")


@never_cache
@require_GET
def csrf_token(request):
    """A fresh CSRF token for a report kept on the device while offline: the one in the page
    may be stale by the time the network returns (another sign-in meanwhile)."""
    return JsonResponse({"token": get_token(request), "signed_in": request.user.is_authenticated})
