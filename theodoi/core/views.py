from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import translation


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


# Used only if even the plain template cannot be rendered (e.g. a broken installation).
# Vietnamese on purpose: the last resort depends on nothing, the translation catalogue
# included, so it is written once in the site's language.
_BARE_500 = (
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Đã xảy ra lỗi</title>'
    "</head><body><h1>Đã xảy ra lỗi</h1><p>Lỗi đã được ghi nhận. Vui lòng thử lại sau ít phút; "
    "nếu lỗi vẫn tiếp diễn, hãy báo cho quản trị viên của phường.</p>"
    '<p><a href="/">Về trang chủ</a></p>'
    "</body></html>"
)


def error_500(request):
    """The error page, rendered without the request: no context processor runs, so nothing
    touches the database, the session or the user, which may be what just failed (a dropped
    database connection would otherwise fail this page too, and the server would answer with
    its bare error)."""
    # The language of this request when LocaleMiddleware got to choose it, else the site's:
    # never whatever an earlier request left active in this thread.
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    try:
        with translation.override(language):
            html = loader.render_to_string("500.html")
    except Exception:  # the error page itself must never fail
        html = _BARE_500
    return HttpResponseServerError(html)
