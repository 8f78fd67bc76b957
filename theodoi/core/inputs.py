"""Limits on what a person may type or send, shared by the pages, the API and the services.

One definition each: the range of a plausible date, the longest text kept, characters no
database stores, and where a ``next`` parameter may send the browser. The helpers return a
Vietnamese message (or a safe value) and leave raising to the caller, whose error type its
views already turn into an answer.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# Plans of Resolution 57-NQ/TW run from 2024; anything outside this century is a typing slip
# ("0001-01-01", a "0" read as 1970, a year of 20266) that would skew deadlines and reports.
DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)

# A report, a reason or a directive longer than this is a paste gone wrong, not a text anyone
# reads; refusing it keeps pages, exports and the audit trail small.
TEXT_MAX = 10_000

# Half of a UTF-16 pair with no other half: valid in a JSON "\ud800" escape, but no UTF-8 text
# (hence no database, file or page) can hold it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _vn_date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


DATE_RANGE_TEXT = f"trong khoảng {_vn_date(DATE_MIN)} đến {_vn_date(DATE_MAX)}"


def date_problem(value: datetime.date | None, *, label: str) -> str | None:
    """Why ``value`` is not a date a person meant (a Vietnamese sentence), or None."""
    if value is None or DATE_MIN <= value <= DATE_MAX:
        return None
    return f"{label} phải nằm {DATE_RANGE_TEXT}. Hãy kiểm tra lại ngày, tháng, năm."


def parse_date(text: str | None, *, label: str) -> datetime.date | None:
    """A date typed as YYYY-MM-DD (what a date input sends); blank is None.

    Raises ValueError with a Vietnamese message for anything else, out-of-range years included.
    """
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = datetime.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        value = None
    if value is None:
        raise ValueError(f"{label} phải là một ngày hợp lệ (ngày/tháng/năm).")
    problem = date_problem(value, label=label)
    if problem:
        raise ValueError(problem)
    return value


def validate_date_range(value: datetime.date) -> None:
    """The date range as a Django validator, for form and model fields."""
    problem = date_problem(value, label="Ngày")
    if problem:
        raise ValidationError(problem, code="date_range")


def _count(number: int) -> str:
    """A count in Vietnamese notation: 10.000."""
    return f"{number:,}".replace(",", ".")


def has_lone_surrogate(text: str) -> bool:
    return _LONE_SURROGATE.search(text) is not None


def strip_lone_surrogates(text: str) -> str:
    """``text`` without halves of UTF-16 pairs, so it can be shown back on a page."""
    return _LONE_SURROGATE.sub("", text)


def text_problem(value: str | None, *, label: str, limit: int = TEXT_MAX) -> str | None:
    """Why a typed text cannot be kept (a Vietnamese sentence), or None."""
    text = value or ""
    if len(text) > limit:
        return (
            f"{label} dài {_count(len(text))} ký tự, quá giới hạn {_count(limit)} ký tự. "
            "Hãy rút gọn, hoặc đính kèm phần chi tiết thành tệp minh chứng."
        )
    if "\x00" in text or has_lone_surrogate(text):
        return (
            f"{label} chứa ký tự không hợp lệ (ký tự điều khiển). Hãy gõ lại hoặc dán lại nội dung."
        )
    return None


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The ``next`` address the form sent when it stays on this site, else ``fallback``.

    A ``javascript:`` address or another site's would turn a trusted page into a way out (an
    open redirect); such a value is ignored, not an error, since the action itself succeeded.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
