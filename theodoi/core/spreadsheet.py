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


# Printing. A spreadsheet program sizes a row to its wrapped text only when it is asked to (and
# never for a merged cell), so rows left to it print with their text over the next row. Rows
# get a height computed here from the text and the column widths instead.
LINE_HEIGHT_POINTS = 15.0  # one line of 11 pt Calibri, the default font
# A column's width counts the widest digit; a line of words holds a little more letters.
CHARACTERS_PER_WIDTH = 1.15
ROW_PADDING_POINTS = 3.0


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide (the unit of a
    column width): words go on a line while they fit, a word longer than the line is cut."""
    room = max(1, int(width * CHARACTERS_PER_WIDTH) - 1)  # less the cell's inner padding
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            if used and used + 1 + len(word) <= room:
                used += 1 + len(word)
                continue
            if used:
                lines += 1
            extra, used = divmod(len(word), room)
            if used:
                lines += extra
            else:  # the word fills its last line exactly
                lines += extra - 1
                used = room
    return lines


def row_height(texts: Sequence[tuple[Any, float]]) -> float:
    """The height in points of a row whose cells hold ``texts`` as (value, width) pairs: the
    tallest cell's lines, at least one. A value that is not a text (a number, a date) takes
    one line."""
    lines = max(
        (wrapped_lines(value, width) for value, width in texts if isinstance(value, str)),
        default=1,
    )
    return lines * LINE_HEIGHT_POINTS + ROW_PADDING_POINTS


def header_footer_text(text: str) -> str:
    """``text`` safe in a page header or footer: "&" starts a code there (page number, font)."""
    return text.replace("&", "&&")


def set_print_layout(
    sheet: Any, *, header: str, title_rows: str | None = None, footer: str = ""
) -> None:
    """A4 landscape, as wide as the page and as many pages down as needed, ``title_rows``
    (``"1:1"``) repeated on each page, ``header`` above each page and ``footer`` (where
    "&P" is the page number and "&N" the number of pages) below it."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # 0: as many pages as the rows need
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.7
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.oddHeader.center.text = header_footer_text(header)
    sheet.oddHeader.center.size = 9
    sheet.oddFooter.center.text = footer
    sheet.oddFooter.center.size = 9
