"""A plan's number as a person should read it: pure functions.

Draft plans are often saved before the clerk numbers them, and the document then keeps the
blank: "Số -KH/ĐU" (the number left out before the symbol), "Số KH/ĐU", "Kế hoạch số /KH-UBND".
Such a blank is real and shown as the document has it, with a label that says the plan is not
numbered yet, instead of "-KH/ĐU" standing alone as if it were a number; a plan with no number
line at all says so.
"""

import re

from django.utils.translation import gettext


def is_numbered(number: str) -> bool:
    """Whether the number holds one ("110/KH-UBND"), not only the symbol ("-KH/ĐU")."""
    return bool(re.search(r"\d", number))


def number_text(number: str) -> str:
    """The number for a column headed "Number": "110/KH-UBND", "(not yet numbered) -KH/ĐU",
    or "no number"."""
    number = number.strip()
    if is_numbered(number):
        return number
    if number:
        return gettext("(not yet numbered) %(symbol)s") % {"symbol": number}
    return gettext("no number")


def number_label(number: str) -> str:
    """The number with its label, as a plan's header line reads: "No. 110/KH-UBND", "No.
    (not yet numbered) -KH/ĐU", or "Plan without a number"."""
    number = number.strip()
    if is_numbered(number):
        return gettext("No. %(number)s") % {"number": number}
    if number:
        return gettext("No. (not yet numbered) %(symbol)s") % {"symbol": number}
    return gettext("Plan without a number")


def plan_name(number: str, title: str, *, limit: int = 40) -> str:
    """A short name for a link or a breadcrumb: the number once it is one, else the title."""
    number = number.strip()
    if is_numbered(number):
        return number
    title = " ".join(title.split())
    return title if len(title) <= limit else f"{title[: limit - 1].rstrip()}…"


def task_label(section: str, code: str) -> str:
    """How a person names a task: «PL.2» for task 2 of section PL, «1.1» (not «1.1.1») when the
    code already starts with its section's number, the code alone outside sections."""
    if not section or not code or code == section or code.startswith(f"{section}."):
        return code or section
    return f"{section}.{code}"
