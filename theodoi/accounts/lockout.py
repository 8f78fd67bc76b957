"""django-axes hooks: the client address, and the answer given to a locked-out sign-in."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED_OUT = (
    "Đăng nhập sai quá nhiều lần: tài khoản tạm bị khóa từ địa chỉ này. "
    "Hãy thử lại sau {minutes} phút hoặc liên hệ quản trị viên."
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


def _cool_off_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """JSON 429 for the API, the lockout page (also 429) for the sign-in form."""
    minutes = _cool_off_minutes()
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": LOCKED_OUT.format(minutes=minutes)}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
