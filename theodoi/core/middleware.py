"""Request middleware of theodoi."""

import logging

from django.db import OperationalError
from django.http import HttpResponse, JsonResponse

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
BUSY_MESSAGE = (
    "Hệ thống đang bận vì nhiều người cùng lưu dữ liệu. Hãy thử lại sau ít giây. Nếu bạn vừa gửi "
    "biểu mẫu, có thể một phần đã được lưu: hãy mở lại trang để kiểm tra trước khi gửi lại."
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
                '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
                "<title>Hệ thống đang bận</title></head><body><h1>Hệ thống đang bận</h1>"
                f'<p>{BUSY_MESSAGE}</p><p><a href="/">Về trang chủ</a></p></body></html>'
            )
            response = HttpResponse(page, status=503)
        response["Retry-After"] = "5"
        return response
