"""The draft page's filters: where in the document a row was read, in the reader's words."""

from django import template

from theodoi.importer.draft import where

register = template.Library()


@register.filter
def source_words(value) -> str:
    """ "table 3 row 7" → "bảng 3, hàng 7" (see ``importer.draft.where``)."""
    return where(str(value or ""))
