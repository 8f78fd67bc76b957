"""Punctuation that ends a cell, not its content: "Trong Quý IV/2025." is the deadline
"Trong Quý IV/2025", "Các cơ quan, đơn vị," the units "Các cơ quan, đơn vị". Pure functions.

Only short, one-phrase cells are tidied (deadlines, units, people): a cell of several sentences
("- Sổ tay … quý I/2026. - Hồ sơ … năm 2026.") keeps its stops so that it reads as written, and
prose (titles, outputs, KPIs) is never touched.
"""

import re

from theodoi.importer.draft import Draft

# A full stop, semicolon, comma or colon at the end, and the "./." that closes a document.
_TRAILING_RE = re.compile(r"(?:\s*(?:\./\.|[.;,:]))+\s*$")
# A stop inside the text ends a sentence: the cell has several, so it stays as written.
_INNER_STOP_RE = re.compile(r"[.;](?:\s|$)")
# An ellipsis is part of the text ("Các đơn vị…", "v.v.").
_KEEP_RE = re.compile(r"(?:\.\.\.|…|\bv\.v\.)\s*$")

TASK_CELLS = ("deadline_text", "lead_units_raw", "coordinating_units_raw", "accountable")
INDICATOR_CELLS = ("unit", "lead_unit", "monitoring_unit")


def strip_trailing_punctuation(text: str) -> str:
    """``text`` without the punctuation that ends it, when it is one phrase; else as it is."""
    if _KEEP_RE.search(text):
        return text
    stripped = _TRAILING_RE.sub("", text)
    if stripped == text.rstrip() or not stripped or _INNER_STOP_RE.search(stripped):
        return text
    return stripped


def tidy_cells(draft: Draft) -> None:
    """The draft's deadline, unit and person cells without their closing punctuation; what the
    document had stays in each task's ``row_text``."""
    for task in draft.tasks:
        for name in TASK_CELLS:
            setattr(task, name, strip_trailing_punctuation(getattr(task, name)))
    for indicator in draft.indicators:
        for name in INDICATOR_CELLS:
            setattr(indicator, name, strip_trailing_punctuation(getattr(indicator, name)))
