"""Request middleware of theodoi."""

import logging

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import get_language, gettext, gettext_lazy

logger = logging.getLogger(__name__)


def vietnamese_unless_chosen(get_response):
    """Speak Vietnamese unless the person picked another language with the switcher.

    Many ward computers run an English browser; its Accept-Language header must not turn the
    interface English. The language cookie set by the switcher still wins.
    """

    def middleware(request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware


# A form may save in several steps (a report, then each of its files, each in its own
# transaction): the step that waited too long saved nothing, but those before it are kept.
BUSY_MESSAGE = gettext_lazy(
    "The system is busy because many people are saving data at once. Try again in a few "
    "seconds. If you have just sent a form, part of it may have been saved: open the page "
    "again to check before sending it again."
)


class DatabaseBusy:
    """Answer 503 with a message to try again, not 500, when the embedded database stayed locked
    longer than its busy timeout (a long import or a backup holding the write lock). The step
    that waited was rolled back; steps of the request committed before it stay saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, OperationalError) and "locked" in str(exception)):
            return None
        logger.warning(
            "database busy (%s): %s %s answered 503", exception, request.method, request.path
        )
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": BUSY_MESSAGE}, status=503)
        else:
            page = (
                f'<!doctype html><html lang="{get_language()}"><head><meta charset="utf-8">'
                f"<title>{gettext('The system is busy')}</title></head><body>"
                f"<h1>{gettext('The system is busy')}</h1><p>{BUSY_MESSAGE}</p>"
                f'<p><a href="/">{gettext("Back to the start page")}</a></p></body></html>'
            )
            response = HttpResponse(page, status=503)
        response["Retry-After"] = "5"
        return response


def node_name(get_response):
    """Name the application process that answered (THEODOI_NODE_NAME) in an X-Theodoi-Node
    header: behind a proxy balancing several servers, which one served a request is otherwise
    invisible to the operator reading a browser's network panel, and to the tests."""
    name = settings.THEODOI_NODE_NAME

    def middleware(request):
        response = get_response(request)
        response["X-Theodoi-Node"] = name
        return response

    return middleware
