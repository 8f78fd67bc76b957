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

from theodoi.core.text import fold
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
        # The cells merged across, by the rows they cover: a long sheet has many merges.
        self.across: dict[int, list[CellRange]] = {}
        for merge in self.merges:
            if merge.max_col > merge.min_col:
                for row in range(merge.min_row, merge.max_row + 1):
                    self.across.setdefault(row, []).append(merge)

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
        # The plan's identity above the table ("Số: 45/KH-UBND", "…, ngày 10 tháng 3 năm
        # 2026", "KẾ HOẠCH") and the signature block under it are the page's text, not rows:
        # they reach the recognisers as paragraphs, in reading order.
        start = _table_start(lines)
        end = _table_end(lines, start)
        self._paragraphs(lines[:start], first_col)
        body = lines[start:end]
        header = self._header_rows(body, first_col)
        title = self.sheet.title
        table = Table(source=f"sheet {title}")
        for line in body:
            table.rows.append(
                Row(
                    [cell.text for cell in line.cells],
                    source=f"sheet {title} row {line.number}",
                    is_header=line.number in header,
                    bold=self._row_bold(line, first_col, last_col),
                    spans=self._spans(line, first_col),
                )
            )
        if not start:
            # The sheet's name stands for its title only when the sheet writes none: "Kế
            # hoạch" between a plan's title and its table would be read as part of the title.
            self.document.blocks.append(Paragraph(title, f"sheet {title}"))
        self.document.blocks.append(table)
        self._paragraphs(lines[end:], first_col)

    def _paragraphs(self, lines: list[_Line], first_col: int) -> None:
        """The filled cells of ``lines`` as paragraphs. Above a plan's title the page has two
        columns (the issuing body, its number on the left; the national motto, place and date
        on the right), read as a person reads them: the left column down, then the right."""
        band: list[tuple[int, list[tuple[int, _Cell]]]] = []  # the two-column rows

        def split() -> int | None:
            # The right column starts where the second cell of a two-cell row starts.
            return min((cells[1][0] for _, cells in band if len(cells) > 1), default=None)

        def flush() -> None:
            right_from = split()
            items = [(row, column, cell) for row, cells in band for column, cell in cells]
            left = [item for item in items if right_from is None or item[1] < right_from]
            right = [item for item in items if right_from is not None and item[1] >= right_from]
            for row, _, cell in left + right:
                self._paragraph(cell, row)
            band.clear()

        for line in lines:
            filled = [(first_col + i, cell) for i, cell in enumerate(line.cells) if cell.text]
            if not filled:
                continue
            column, cell = filled[0]
            right_from = split()
            # A cell across the page ("KẾ HOẠCH", the title), or alone on the left after the
            # two columns, comes after both of them.
            if len(filled) == 1 and (
                self._spans_width(line.number, column, first_col, len(line.cells))
                or (right_from is not None and column < right_from)
            ):
                flush()
                self._paragraph(cell, line.number)
                continue
            band.append((line.number, filled))
        flush()

    def _paragraph(self, cell: _Cell, row: int) -> None:
        source = f"sheet {self.sheet.title} row {row}"
        for text in cell.text.split("\n"):
            if text.strip():
                self.document.blocks.append(Paragraph(text.strip(), source, bold=cell.bold))

    def _spans_width(self, row: int, column: int, first_col: int, width: int) -> bool:
        """True for a cell merged across the whole width ("KẾ HOẠCH", the plan's title)."""
        last_col = first_col + width - 1
        return width == 1 or any(
            merge.min_row <= row <= merge.max_row
            and merge.min_col == column
            and merge.min_col <= first_col
            and merge.max_col >= last_col
            for merge in self.merges
        )

    def _spans(self, line: _Line, first_col: int) -> list[int]:
        spans = [1] * len(line.cells)
        for merge in self.across.get(line.number, []):
            for column in range(merge.min_col, merge.max_col + 1):
                index = column - first_col
                if 0 <= index < len(spans):
                    first = column == merge.min_col and line.number == merge.min_row
                    spans[index] = merge.max_col - merge.min_col + 1 if first else 0
        return spans

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
            if self._under_groups(line, header, first_col):
                # Years or names under a group cell ("Mục tiêu" over "2026 … 2030"): labels,
                # even when they are numbers.
                header.add(line.number)
                continue
            if _looks_like_data(line) or not self._under_header(line, header, first_col):
                break
            header.add(line.number)
        return header

    def _under_groups(self, line: _Line, header: set[int], first_col: int) -> bool:
        """True when every filled cell of ``line`` sits right under a header cell merged across
        (its column names), and at least one does."""
        columns = [first_col + i for i, cell in enumerate(line.cells) if cell.text]
        groups = [
            merge
            for merge in self.merges
            if merge.min_row in header
            and merge.max_row == line.number - 1
            and merge.max_col > merge.min_col
        ]
        return bool(columns) and all(
            any(merge.min_col <= column <= merge.max_col for merge in groups) for column in columns
        )

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


# The first words of a signature block under the table: "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN".
_SIGNATURE_RE = re.compile(r"^(noi nhan|(tm|kt|t/m|q)\.?\s)")


def _table_start(lines: list[_Line]) -> int:
    """Where the table starts: the first row of three or more cells (a header, or data). The
    rows above hold a cell or two each: titles, the plan's number and date. A sheet without
    such a row is all table, as before."""
    return next((i for i, line in enumerate(lines) if len(line.filled) >= 3), 0)


def _table_end(lines: list[_Line], start: int) -> int:
    """Where the table ends: before the signature block ("Nơi nhận:" beside "TM. ỦY BAN NHÂN
    DÂN"); the end of the sheet otherwise."""
    for index in range(start + 1, len(lines)):
        filled = lines[index].filled
        if 0 < len(filled) <= 2 and _SIGNATURE_RE.match(fold(filled[0].text)):
            return index
    return len(lines)


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
