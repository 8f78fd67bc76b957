"""Read an Excel (.xlsx) workbook into a Document: one Table per worksheet.

Values are rendered as a Vietnamese reader sees them in Excel, in the conventions the plans'
own text uses: decimal comma ("2,5"), percent cells as "85%", dates as DD/MM/YYYY. Numbers get
no thousands separator, so "33298" can never be mistaken for a decimal.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass
from typing import Any, BinaryIO

import openpyxl
from django.utils.translation import gettext
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from theodoi.importer.document import Document, Paragraph, Row, Table
from theodoi.importer.readers import ACCEPTED, UnsupportedDocument, quoted

# The first cell of a data row: "1", "1.2", "II.", "a)", "-", "+", "•".
_CODE = re.compile(r"(\d+(\.\d+)*\.?|[IVXLC]+\.?|[a-zđ][.)]|[-+•*])(\s|$)", re.IGNORECASE)
# A cell of the row that numbers the columns under a header: "1", "(2)", "A", "(4)=(5)+(6)".
_COLUMN_NUMBER = re.compile(r"[(\[]?[0-9A-Z]{1,2}[)\]]?(\s*[=+\-*/x]\s*[(\[]?[0-9A-Z]{1,2}[)\]]?)*")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def read_xlsx(data: bytes | BinaryIO, *, name: str = "") -> Document:
    """Read a .xlsx; raise UnsupportedDocument when the workbook cannot be opened."""
    raw = bytes(data) if isinstance(data, bytes | bytearray) else data.read()
    values = _load(raw, name, data_only=True)
    # A second load knows which empty cells are formulas: their values were never computed.
    formulas = _load(raw, name, data_only=False)
    document = Document(name=name)
    for sheet in values.worksheets:
        _SheetReader(sheet, formulas[sheet.title], document).read()
    return document


def _load(raw: bytes, name: str, *, data_only: bool) -> Any:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (data validation, unknown extensions)
            # that carry no plan content.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(raw), read_only=False, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise UnsupportedDocument(
            gettext(
                "Could not read the Excel file%(name)s: the file is damaged or not in the .xlsx "
                "format. Open the file in Excel, save it as .xlsx and upload it again. "
                "%(accepted)s"
            )
            % {"name": quoted(name), "accepted": ACCEPTED}
        ) from exc


@dataclass
class _Cell:
    text: str = ""
    bold: bool = False
    # A number or date value: a header is made of labels, so such a row is data.
    is_value: bool = False


@dataclass
class _Line:
    number: int
    cells: list[_Cell]

    @property
    def filled(self) -> list[_Cell]:
        return [cell for cell in self.cells if cell.text]


class _SheetReader:
    def __init__(self, sheet: Worksheet, formulas: Worksheet, document: Document) -> None:
        self.sheet = sheet
        self.formulas = formulas
        self.document = document
        self.merges = [CellRange(str(r)) for r in sheet.merged_cells.ranges]

    def read(self) -> None:
        cells = self._cells()
        if not cells:
            return
        rows = sorted({r for r, _ in cells})
        columns = sorted({c for _, c in cells})
        first_col, last_col = columns[0], columns[-1]
        lines = [
            _Line(r, [cells.get((r, c), _Cell()) for c in range(first_col, last_col + 1)])
            for r in range(rows[0], rows[-1] + 1)
        ]
        header = self._header_rows(lines, first_col)
        title = self.sheet.title
        table = Table(source=f"sheet {title}")
        for line in lines:
            table.rows.append(
                Row(
                    [cell.text for cell in line.cells],
                    source=f"sheet {title} row {line.number}",
                    is_header=line.number in header,
                    bold=self._row_bold(line, first_col, last_col),
                )
            )
        self.document.blocks.append(Paragraph(title, f"sheet {title}"))
        self.document.blocks.append(table)

    def _cells(self) -> dict[tuple[int, int], _Cell]:
        """The non-empty cells by (row, column).

        Only cells present in the file are visited: iter_rows would create every empty cell of
        a sheet formatted down to row 1,048,576.
        """
        found: dict[tuple[int, int], _Cell] = {}
        for (row, column), cell in sorted(self.sheet._cells.items()):
            value = cell.value
            if value is None:
                self._check_formula(row, column)
                continue
            text = render(value, cell.number_format)
            if text:
                is_value = isinstance(value, int | float | dt.date | dt.time)
                is_value = is_value and not isinstance(value, bool)
                found[(row, column)] = _Cell(text, bool(cell.font and cell.font.b), is_value)
        return found

    def _check_formula(self, row: int, column: int) -> None:
        formula = self.formulas._cells.get((row, column))
        if formula is not None and formula.data_type == "f":
            self.document.warnings.append(
                gettext(
                    "Sheet “%(sheet)s”, cell %(cell)s: the file stores no result for the "
                    "formula, so the cell was left empty. Excel stores the results when it saves "
                    "a file; other programs may not. Open the file in Excel, save it and upload "
                    "it again."
                )
                % {"sheet": self.sheet.title, "cell": formula.coordinate}
            )

    # Header and bold rows ---------------------------------------------------------------------

    def _header_rows(self, lines: list[_Line], first_col: int) -> set[int]:
        """Row numbers of the header: from the first row of labels until the first data row.

        Title rows above it hold a single cell. A row below the first header row belongs to the
        header only with evidence: a header cell merged down into it, labels under a header cell
        merged across, or the row of column numbers "(1) (2) (3)".
        """
        start = next((i for i, line in enumerate(lines) if len(line.filled) >= 2), None)
        if start is None or _looks_like_data(lines[start]):
            return set()
        header = {lines[start].number}
        for line in lines[start + 1 :]:
            if _numbers_columns(line):
                header.add(line.number)
                break
            if _looks_like_data(line) or not self._under_header(line, header, first_col):
                break
            header.add(line.number)
        return header

    def _under_header(self, line: _Line, header: set[int], first_col: int) -> bool:
        columns = [first_col + i for i, cell in enumerate(line.cells) if cell.text]
        for merge in self.merges:
            if merge.min_row not in header:
                continue
            if merge.min_row < line.number <= merge.max_row:
                return True
            # Only the row right below: further down, text in those columns is data.
            spans_across = merge.max_col > merge.min_col and merge.max_row == line.number - 1
            if spans_across and any(merge.min_col <= c <= merge.max_col for c in columns):
                return True
        return False

    def _row_bold(self, line: _Line, first_col: int, last_col: int) -> bool:
        filled = line.filled
        if not filled:
            return False
        if len(filled) == 1 and last_col > first_col:
            for merge in self.merges:
                if merge.min_row <= line.number <= merge.max_row and (
                    merge.min_col <= first_col and merge.max_col >= last_col
                ):
                    return True
        return all(cell.bold for cell in filled)


def _looks_like_data(line: _Line) -> bool:
    filled = line.filled
    if len(filled) <= 1:
        return True  # a section or note row, never part of a header
    return any(cell.is_value for cell in filled) or bool(_CODE.match(filled[0].text))


def _numbers_columns(line: _Line) -> bool:
    filled = line.filled
    if len(filled) < 3 or not all(_COLUMN_NUMBER.fullmatch(cell.text) for cell in filled):
        return False
    numbers = [int(m.group()) for cell in filled if (m := re.search(r"\d+", cell.text))]
    return all(b > a for a, b in zip(numbers, numbers[1:], strict=False))


# Rendering values -----------------------------------------------------------------------------


def render(value: Any, number_format: str = "General") -> str:
    """A cell value as text, the way Excel shows it to a Vietnamese reader."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float):
        return _render_number(value, number_format or "General")
    text = unicodedata.normalize("NFC", str(value)).replace("\xa0", " ")
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _render_number(value: float, number_format: str) -> str:
    section = _QUOTED.sub("", number_format.split(";")[0])
    percent = "%" in section
    if percent:
        value = value * 100
    places = _decimals(section)
    if places is None:
        text = _plain(value)
    else:
        most, least = places
        text = _plain(round(value, most), least)
    return f"{text}%" if percent else text


def _decimals(section: str) -> tuple[int, int] | None:
    """(most, least) decimal places a number format shows; None for General and the unusual."""
    if not re.search(r"[0#?]", section) or re.search(r"[eE][+-]|/", section):
        return None
    match = re.search(r"\.([0#?]*)", section)
    places = match.group(1) if match else ""
    return len(places), places.count("0")


def _plain(value: float, least: int = 0) -> str:
    """Digits with a decimal comma, no float noise ("0,3" not "0,30000000000000004")."""
    text = f"{round(value, 10):.10f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    if least:
        whole, _, fraction = text.partition(".")
        text = f"{whole}.{fraction.ljust(least, '0')}"
    return text.replace(".", ",")
