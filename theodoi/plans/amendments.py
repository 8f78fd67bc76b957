"""Plan amendments as plain data (DESIGN.md §7): a plan's tasks as snapshot rows, and the list
of changes between two snapshots. Pure: no database, so the amendment page, the re-import of an
amended document, the API and the versions page all compute the same list.

A row is a dict::

    {"id": 12 | None, "code": "1.2", "title": "...", "section": "I", "parent": "1",
     "lead_units": ["Phòng Văn hóa - Xã hội"], "lead_unit_ids": [3],
     "coordinating_units": [...], "coordinating_unit_ids": [...],
     "deadline_text": "Quý II/2026", "due_date": "2026-06-30" | None,
     "output": "...", "kpi": "...", "withdrawn": False, "withdraw_reason": ""}

A change is a dict with ``kind`` one of ``added`` (``row``), ``changed`` (``task`` and
``fields``: name → {"before", "after"}; ``deadline_moved``), ``withdrawn`` (``task``,
``reason``) and ``missing`` (a task the new document no longer lists, kept: shown, not applied).
"""

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from theodoi.core.text import fold, format_date
from theodoi.plans.deadline import DeadlineKind, parse_deadline

Row = dict[str, Any]
Change = dict[str, Any]

ADDED = "added"
CHANGED = "changed"
WITHDRAWN = "withdrawn"
MISSING = "missing"
KINDS = (ADDED, CHANGED, WITHDRAWN, MISSING)

# The fields an amendment compares, in the order the change list shows them.
DIFF_FIELDS = (
    "code",
    "title",
    "section",
    "lead_units",
    "coordinating_units",
    "deadline_text",
    "due_date",
    "output",
    "kpi",
)
# The text fields a change may set on a task directly.
TEXT_FIELDS = ("code", "title", "deadline_text", "output", "kpi")


def due_date_for(
    text: str, *, plan_year: int, plan_end: datetime.date | None
) -> datetime.date | None:
    """The due date a deadline text gives a task of a plan: the parsed day, and for a recurring
    task the end of its last year (else of the plan). The one rule the services store."""
    parsed = parse_deadline(text, plan_year=plan_year)
    if parsed.kind != DeadlineKind.RECURRING:
        return parsed.due_date
    last_year = parsed.last_year
    return (datetime.date(last_year, 12, 31) if last_year else plan_end) or datetime.date(
        plan_year, 12, 31
    )


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def task_row(
    task: Any,
    *,
    lead_units: Sequence[Any] = (),
    coordinating_units: Sequence[Any] = (),
) -> Row:
    """A task as a snapshot row. ``lead_units``/``coordinating_units`` are the task's units in
    the plan's order (objects with ``pk`` and ``name``)."""
    section = getattr(task, "section", None)
    parent = getattr(task, "parent", None)
    return {
        "id": task.pk,
        "code": task.code,
        "title": task.title,
        "section": section.code if section is not None else "",
        "parent": parent.code if parent is not None else "",
        "lead_units": [unit.name for unit in lead_units],
        "lead_unit_ids": [unit.pk for unit in lead_units],
        "coordinating_units": [unit.name for unit in coordinating_units],
        "coordinating_unit_ids": [unit.pk for unit in coordinating_units],
        "deadline_text": task.deadline_text,
        "due_date": _iso(task.due_date),
        "original_due_date": _iso(getattr(task, "original_due_date", None)),
        "output": task.output,
        "kpi": task.kpi,
        "withdrawn": task.withdrawn_at is not None,
        "withdraw_reason": task.withdrawn_reason or "",
    }


def label(row: Mapping[str, Any]) -> str:
    """How a person names a task in a change list: "I.1.2 Title"."""
    code = ".".join(part for part in (row.get("section", ""), row.get("code", "")) if part)
    return f"{code} {row.get('title', '')}".strip()


# --- Matching -------------------------------------------------------------------------------


def _match_key_section_code(row: Mapping[str, Any]) -> tuple[str, str] | None:
    code = (row.get("code") or "").strip()
    return ((row.get("section") or "").strip(), code) if code else None


def _match_key_code(row: Mapping[str, Any]) -> str | None:
    return (row.get("code") or "").strip() or None


def _match_key_title(row: Mapping[str, Any]) -> str | None:
    return fold(row.get("title") or "") or None


_PASSES: tuple[Callable[[Mapping[str, Any]], Any], ...] = (
    _match_key_section_code,
    _match_key_code,
    _match_key_title,
)


def match_rows(
    before: Sequence[Row], after: Sequence[Row]
) -> tuple[list[tuple[Row, Row]], list[Row], list[Row]]:
    """Pair each row of ``after`` with the live row of ``before`` it stands for: by task id;
    rows without one (a re-imported document) by section and code, then by code alone, then by
    title ignoring case and diacritics — each pass only among rows not yet paired, and only
    when the key points at one row. Returns (pairs, added, unmatched before rows)."""
    live = [row for row in before if not row.get("withdrawn")]
    by_id = {row["id"]: row for row in live if row.get("id") is not None}
    used: set[int] = set()  # id() of the before rows paired
    pairs: dict[int, tuple[Row, Row]] = {}  # index in after → pair
    pending: list[int] = []
    for index, row in enumerate(after):
        found = by_id.get(row.get("id")) if row.get("id") is not None else None
        if found is not None and id(found) not in used:
            used.add(id(found))
            pairs[index] = (found, row)
        elif row.get("id") is None:
            pending.append(index)
    for key_of in _PASSES:
        counts: dict[Any, list[Row]] = {}
        for row in live:
            if id(row) not in used and (key := key_of(row)) is not None:
                counts.setdefault(key, []).append(row)
        wanted: dict[Any, list[int]] = {}
        for index in pending:
            if (key := key_of(after[index])) is not None:
                wanted.setdefault(key, []).append(index)
        for key, indexes in wanted.items():
            candidates = counts.get(key, [])
            if len(candidates) == 1 and len(indexes) == 1:
                used.add(id(candidates[0]))
                pairs[indexes[0]] = (candidates[0], after[indexes[0]])
        pending = [index for index in pending if index not in pairs]
    added = [after[index] for index in range(len(after)) if index not in pairs]
    unmatched = [row for row in live if id(row) not in used]
    return [pairs[index] for index in sorted(pairs)], added, unmatched


# --- The change list ------------------------------------------------------------------------


def _value(row: Mapping[str, Any], name: str) -> Any:
    value = row.get(name)
    if name in ("lead_units", "coordinating_units"):
        return list(value or [])
    if name == "due_date":
        return value or None
    return value if value is not None else ""


def _compare(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    fields = {}
    for name in DIFF_FIELDS:
        if name not in after:
            continue  # a row that does not say a field leaves it as it is
        old, new = _value(before, name), _value(after, name)
        if old != new:
            fields[name] = {"before": old, "after": new}
    return fields


def diff(
    before: Sequence[Row], after: Sequence[Row], *, withdraw_missing: bool = False
) -> list[Change]:
    """What turns ``before`` into ``after``: tasks added, changed (each field before → after;
    ``deadline_moved`` when the due date changes), withdrawn (a row of ``after`` marked
    ``withdrawn``) and, for a task ``after`` no longer lists, withdrawn when
    ``withdraw_missing`` else ``missing`` (kept: an amending document may list only what it
    changes). Tasks already withdrawn in ``before`` are left alone."""
    pairs, added, unmatched = match_rows(before, after)
    changes: list[Change] = []
    for old, new in pairs:
        base = {"task": old["id"], "code": old.get("code", ""), "title": old.get("title", "")}
        base["section"] = old.get("section", "")
        if new.get("withdrawn"):
            changes.append(
                base | {"kind": WITHDRAWN, "reason": (new.get("withdraw_reason") or "").strip()}
            )
            continue
        fields = _compare(old, new)
        if not fields:
            continue
        change = base | {"kind": CHANGED, "fields": fields}
        change["deadline_moved"] = "due_date" in fields
        for name in ("lead_unit_ids", "coordinating_unit_ids"):
            units = name.replace("_ids", "s")
            if units in fields and name in new:
                change[name] = list(new[name])
        changes.append(change)
    for row in unmatched:
        changes.append(
            {
                "kind": WITHDRAWN if withdraw_missing else MISSING,
                "task": row["id"],
                "code": row.get("code", ""),
                "title": row.get("title", ""),
                "section": row.get("section", ""),
                "reason": "",
            }
        )
    for row in added:
        if row.get("withdrawn"):
            continue  # a new row ticked as withdrawn is no row at all
        new_row = {key: value for key, value in row.items() if key != "id"}
        changes.append(
            {
                "kind": ADDED,
                "code": row.get("code", ""),
                "title": row.get("title", ""),
                "section": row.get("section", ""),
                "row": new_row,
            }
        )
    return changes


def counts(changes: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """How many changes of each kind, and how many moved a deadline."""
    result = dict.fromkeys(KINDS, 0) | {"deadline_moved": 0}
    for change in changes:
        result[change["kind"]] += 1
        if change.get("deadline_moved"):
            result["deadline_moved"] += 1
    return result


def applicable(changes: Iterable[Mapping[str, Any]]) -> list[Change]:
    """The changes an amendment applies (``missing`` tasks are only shown)."""
    return [dict(change) for change in changes if change.get("kind") in (ADDED, CHANGED, WITHDRAWN)]


def compare(before: Sequence[Row], after: Sequence[Row]) -> list[dict[str, Any]]:
    """One version beside the previous, for people: every task of ``after`` in its order, each
    ``status`` "added", "changed" (with ``fields``), "withdrawn" (withdrawn in this version),
    or "same"; tasks withdrawn earlier are left out."""
    old_by_id = {row["id"]: row for row in before if row.get("id") is not None}
    shown = []
    for row in after:
        old = old_by_id.get(row.get("id"))
        if old is None:
            if not row.get("withdrawn"):
                shown.append({"status": ADDED, "row": row, "fields": {}})
            continue
        if old.get("withdrawn"):
            continue
        if row.get("withdrawn"):
            shown.append({"status": WITHDRAWN, "row": old, "fields": {}})
            continue
        fields = _compare(old, row)
        shown.append({"status": CHANGED if fields else "same", "row": row, "fields": fields})
    return shown


# --- For people to read ---------------------------------------------------------------------

FIELD_LABELS: dict[str, Any] = {
    "code": _("Code"),
    "title": _("Task"),
    "section": _("Section"),
    "lead_units": _("Lead units"),
    "coordinating_units": _("Coordinating units"),
    "deadline_text": _("Deadline"),
    "due_date": _("Due date"),
    "output": _("Output product"),
    "kpi": _("KPI"),
}


def day_text(value: str | None) -> str:
    """An ISO day of a row as people write it ("30/06/2026"); "" for none."""
    return format_date(datetime.date.fromisoformat(value)) if value else ""


def _text(name: str, value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    if name == "due_date" and value:
        return format_date(datetime.date.fromisoformat(value))
    return str(value) if value not in (None, "") else "—"


def for_display(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Changes (or ``compare`` rows) with ``shown_fields``: each changed field's label and its
    values before and after, as text."""
    return [
        dict(item)
        | {
            "shown_fields": [
                {
                    "name": name,
                    "label": FIELD_LABELS.get(name, name),
                    "before": _text(name, values.get("before")),
                    "after": _text(name, values.get("after")),
                }
                for name, values in (item.get("fields") or {}).items()
            ]
        }
        for item in items
    ]
