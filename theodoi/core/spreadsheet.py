"""Cells of the workbooks and CSV files the system writes: a text is always a text.

Text comes from people (task titles, reports, unit and file names). openpyxl stores a string
starting with "=" as a formula and "#DIV/0!" and the like as errors, and a spreadsheet program
runs a CSV field starting with "=", "+", "-", "@", a tab or a carriage return as a formula
(CSV injection: ``=HYPERLINK(...)`` sends a click to any site). Every writer puts its cells
through ``put``/``put_row`` and its CSV rows through ``csv_row``.

In a workbook the text stays exactly as written (a shared string, so it reads back unchanged:
the assessment framework round trip depends on it), and a text that would look like a formula
when typed gets Excel's quote prefix, so editing the cell does not turn it into one either. In a
CSV there is no type: such a field gets a leading apostrophe (OWASP's rule).
"""

from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write ``value`` in the cell and return it; numbers, dates and None keep their type."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        # Control characters other than tab and line breaks cannot be stored in the file at
        # all (openpyxl refuses them); a pasted text may carry one.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def put_row(sheet: Any, row: int, values: Iterable[Any], *, start: int = 1) -> list[Any]:
    return [put(sheet, row, column, value) for column, value in enumerate(values, start=start)]


def csv_field(value: Any) -> Any:
    """A CSV field a spreadsheet program shows as written and never runs."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Sequence[Any]) -> list[Any]:
    return [csv_field(value) for value in values]
