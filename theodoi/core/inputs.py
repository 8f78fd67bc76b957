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
from django.utils.functional import lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

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


DATE_RANGE_TEXT = lazy(
    lambda: (
        gettext("between %(start)s and %(end)s")
        % {"start": _vn_date(DATE_MIN), "end": _vn_date(DATE_MAX)}
    ),
    str,
)()


def date_problem(value: datetime.date | None, *, label: str) -> str | None:
    """Why ``value`` is not a date a person meant (a translated sentence), or None."""
    if value is None or DATE_MIN <= value <= DATE_MAX:
        return None
    return gettext("%(label)s must be %(range)s. Check the day, month and year.") % {
        "label": label,
        "range": DATE_RANGE_TEXT,
    }


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
        raise ValueError(
            gettext("%(label)s must be a valid date (day/month/year).") % {"label": label}
        )
    problem = date_problem(value, label=label)
    if problem:
        raise ValueError(problem)
    return value


def validate_date_range(value: datetime.date) -> None:
    """The date range as a Django validator, for form and model fields."""
    problem = date_problem(value, label=gettext("Date"))
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
        return gettext(
            "%(label)s is %(length)s characters long, over the limit of %(limit)s characters. "
            "Shorten it, or attach the details as an evidence file."
        ) % {"label": label, "length": _count(len(text)), "limit": _count(limit)}
    if "\x00" in text or has_lone_surrogate(text):
        return gettext(
            "%(label)s contains invalid characters (control characters). Type or paste the "
            "content again."
        ) % {"label": label}

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
