"""The draft page's filters: where in the document a row was read, in the reader's words, and
how a deadline will be read."""

from django import template

from theodoi.importer.draft import where
from theodoi.plans.deadline import ParsedDeadline, parse_deadline

register = template.Library()


@register.filter
def source_words(value) -> str:
    """ "table 3 row 7" → "bảng 3, hàng 7" (see ``importer.draft.where``)."""
    return where(str(value or ""))


@register.filter
def deadline_read(text, issued_on) -> ParsedDeadline | None:
    """How a draft task's deadline text will be read once saved, the plan's year filling in a
    date that names none; None for an empty text."""
    if not str(text or "").strip():
        return None
    return parse_deadline(str(text), plan_year=issued_on.year if issued_on else None)


@register.filter
def at(items, index):
    """``items[index]`` in a template (a row's value from a list kept beside the rows)."""
    try:
        return items[int(index)]
    except (IndexError, TypeError, ValueError):
        return None
