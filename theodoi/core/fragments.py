"""Rows of a long list rendered once and kept in the cache, keyed by what they show.

A list page (a plan's 150 tasks, a unit's tasks) spends most of its time in the template engine,
rendering rows that have not changed since the last request. Each row is rendered by its own
template and kept under a key made of everything the row shows (the caller names it: the task's
``updated_at``, its state, its units' names, …), the template's own text and the language. A
change anywhere, in any process, gives a new key: nothing is ever invalidated, an old row is only
left to expire. A row must show the same thing to everyone who may see it; what depends on the
viewer belongs in its key.
"""

import hashlib
import logging
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# A row unread for a day leaves the cache; one read again is rendered again, at no other cost.
ROW_SECONDS = 24 * 3600

T = TypeVar("T")
logger = logging.getLogger(__name__)

_template_marks: dict[str, str] = {}


def _digest(value: str) -> str:
    return hashlib.blake2b(value.encode(), digest_size=16).hexdigest()


def _template_mark(name: str):
    """The template and a mark of its text: a deployment that changes the row's markup never
    serves rows rendered by the old one from a shared cache."""
    template = get_template(name)
    mark = _template_marks.get(name)
    if mark is None:
        mark = _template_marks[name] = _digest(template.template.source)[:12]
    return template, mark


def cached_rows(
    template_name: str,
    items: Iterable[T],
    *,
    key: Callable[[T], Hashable],
    name: str = "item",
    context: dict[str, Any] | None = None,
    seconds: int = ROW_SECONDS,
) -> list[tuple[T, SafeString]]:
    """Each item with its row's HTML: read from the cache in one call, the missing ones rendered
    with ``context`` and the item as ``name`` (no request: a row needs no context processor)."""
    template, mark = _template_mark(template_name)
    prefix = f"row:{template_name}:{mark}:{get_language()}:"
    keyed = [(prefix + _digest(repr(key(item))), item) for item in items]
    try:
        found = cache.get_many([k for k, _item in keyed])
    except Exception:  # a shared cache out of reach: render the rows, the page still answers
        logger.warning("cache unreachable, rows rendered without it", exc_info=True)
        found = {}
    missing: dict[str, str] = {}
    rows = []
    for cache_key, item in keyed:
        html = found.get(cache_key)
        if html is None:
            html = missing[cache_key] = template.render({**(context or {}), name: item})
        rows.append((item, mark_safe(html)))  # noqa: S308 - rendered by our own template
    if missing:
        try:
            cache.set_many(missing, seconds)
        except Exception:
            logger.warning("cache unreachable, rows not kept", exc_info=True)
    return rows


def cached_fragment(
    template_name: str, context: dict[str, Any], *, key: Hashable, seconds: int = ROW_SECONDS
) -> SafeString:
    """One part of a page, from the cache while ``key`` (what it shows) is the same."""
    ((_item, html),) = cached_rows(
        template_name, [context], key=lambda _context: key, name="_fragment", context=context
    )
    return html
