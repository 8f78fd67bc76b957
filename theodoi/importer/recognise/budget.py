"""Budget tables ("Dự toán kinh phí", million VND) read into budget lines, with the document's own
sums checked. Pure functions over logical tables; no Django.

A budget table has a money column ("Tổng kinh phí", "Dự toán", "(triệu đồng)") and/or year
columns ("Năm 2026"), or a title saying "DỰ TOÁN KINH PHÍ". Its rows are of three kinds:

- the stated total ("Tổng nhu cầu kinh phí", "Tổng cộng"): not a line, but the sums the document
  claims, checked against the lines;
- a group row ("I", "II" or a bold row without a number): with amounts it is a subtotal of the
  lines under it, checked the same way; without amounts it is a heading, kept as a line;
- a line: everything else, kept whatever its amounts, its text verbatim.

Every mismatch, unreadable amount or gap in the numbering becomes a warning in Vietnamese that
names the table, the row and the numbers, so a ward officer can find it in the document.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.translation import gettext

from theodoi.core.numbers import format_number, parse_number
from theodoi.core.text import fold
from theodoi.importer.draft import DraftBudgetLine, where
from theodoi.importer.recognise.tables import LogicalRow, LogicalTable, lowest_label

# Folded header words. "tổng" alone is not enough for a money column: "Mã nhiệm vụ tổng quát".
_MONEY_WORDS = (
    "kinh phi",
    "du toan",
    "trieu dong",
    "nghin dong",
    "ngan dong",
    "ty dong",
    "so tien",
    "thanh tien",
    "nguon von",
    "von dau tu",
    "ngan sach",
)
_TOTAL_LABEL_RE = re.compile(r"^tong\b(?!\s+(quat|hop|ket))")
_YEAR_LABEL_RE = re.compile(r"^(?:nam\s+)?(20\d\d)(?:\s*\(.*\))?$")
# An indicator table has year columns too (milestones 2026–2029): those are not money.
_INDICATOR_WORDS = ("chi tieu", "don vi tinh", "lo trinh", "muc tieu")
# A task table may carry a "Kinh phí" column; it stays the task recogniser's.
_TASK_WORDS = ("chu tri", "phoi hop", "san pham", "ket qua", "kpi", "thoi han", "hoan thanh")
_ITEM_WORDS = (
    "nhiem vu",
    "noi dung",
    "hang muc",
    "ten",
    "chuong trinh",
    "du an",
    "de an",
    "cong viec",
)
_CODE_LABELS = ("tt", "stt", "so tt", "ma", "ma so")
_TITLE_WORDS = ("du toan", "kinh phi", "ngan sach")
_SHEET_RE = re.compile(r"^(bieu|mau|bang)\s+\S+$")

_ARABIC_CODE_RE = re.compile(r"^\d+(\.\d+)*\.?$")
_ROMAN_CODE_RE = re.compile(r"^[IVXLC]+\.?$")
# "Tổng nhu cầu kinh phí", "Tổng cộng", "Cộng": but not "Công nghệ số" or "Tổng kết".
_TOTAL_ROW_RE = re.compile(
    r"^(tong\b(?!\s+(quat|hop|ket|dai))|(tong\s+)?cong(\s+(chung|tat ca))?$)"
)
_AMOUNT_RE = re.compile(r"^[+-]?\d[\d.,\s]*$")
_NO_AMOUNT = {"", "-", "–", "—"}

# Amounts in the document's unit, turned into million VND for the draft.
_UNIT_FACTORS = (
    ("ty dong", Decimal(1000)),
    ("trieu dong", Decimal(1)),
    ("nghin dong", Decimal("0.001")),
    ("ngan dong", Decimal("0.001")),
)


@dataclass(frozen=True)
class BudgetColumns:
    code: int | None = None
    item: int | None = None
    total: int | None = None
    period: int | None = None
    source: int | None = None
    years: dict[int, int] = field(default_factory=dict)  # year → column index
    # Columns with a label but no place in a budget line ("Ghi chú", "Đơn vị thực hiện"):
    # their text becomes a warning rather than vanish.
    other: tuple[int, ...] = ()

    @property
    def has_amounts(self) -> bool:
        return self.total is not None or bool(self.years)


@dataclass
class BudgetTable:
    """One budget table read: its lines, the totals it states and what did not add up."""

    title: str
    lines: list[DraftBudgetLine] = field(default_factory=list)
    # The rows that state sums ("Tổng nhu cầu kinh phí"): not lines. All amounts in million VND;
    # the warnings quote the document's own numbers.
    totals: list[DraftBudgetLine] = field(default_factory=list)
    subtotals: list[DraftBudgetLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _ReadRow:
    kind: str  # "line", "total" or "group"
    line: DraftBudgetLine
    has_amounts: bool
    unreadable: bool


def budget_columns(table: LogicalTable) -> BudgetColumns:
    """Which column holds what, from the table's header labels."""
    folded = [fold(label) for label in table.header]
    years: dict[int, int] = {}
    for index, label in enumerate(folded):
        # "Năm 2026" under a group cell reads "Kinh phí — Năm 2026": the year is its own name.
        match = _YEAR_LABEL_RE.match(lowest_label(label))
        if match and int(match.group(1)) not in years:
            years[int(match.group(1))] = index

    def first(predicate: Callable[[str], bool]) -> int | None:
        taken = set(years.values())
        return next(
            (i for i, label in enumerate(folded) if i not in taken and predicate(label)), None
        )

    code = first(lambda label: label in _CODE_LABELS)
    item = first(lambda label: any(label.startswith(w) or f" {w}" in label for w in _ITEM_WORDS))
    source = first(lambda label: label.startswith("nguon"))
    # "Nguồn vốn" names a money column but holds where the money comes from, not an amount.
    total = first(lambda label: _is_total(label) and _is_money(label))
    if total is None:
        total = first(
            lambda label: (_is_total(label) or _is_money(label)) and not label.startswith("nguon")
        )
    period = first(lambda label: "thoi gian" in label or label.startswith("giai doan"))
    if item is None and code is not None and code + 1 < len(folded):
        item = code + 1
    known = {code, item, total, period, source, *years.values()}
    other = tuple(i for i, label in enumerate(folded) if label and i not in known)
    return BudgetColumns(code, item, total, period, source, years, other)


def _is_total(folded_label: str) -> bool:
    return bool(_TOTAL_LABEL_RE.match(folded_label))


def _is_money(folded_label: str) -> bool:
    return any(word in folded_label for word in _MONEY_WORDS)


def is_budget_table(table: LogicalTable, columns: BudgetColumns | None = None) -> bool:
    """A money column, year columns in a table that is not an indicator table, or a title
    saying "DỰ TOÁN KINH PHÍ"."""
    columns = columns or budget_columns(table)
    folded_header = [fold(label) for label in table.header]
    if any("du toan kinh phi" in fold(text) for text in table.context):
        return True
    task_words = {word for label in folded_header for word in _TASK_WORDS if word in label}
    if len(task_words) >= 2:
        return False
    if columns.total is not None and any(_is_money(label) for label in folded_header):
        return True
    indicator = any(word in label for label in folded_header for word in _INDICATOR_WORDS)
    return bool(columns.years) and not indicator


def table_title(table: LogicalTable) -> str:
    """The paragraph before the table that names it ("DỰ TOÁN KINH PHÍ …"), with the sheet
    number before it ("Biểu 1") when there is one."""
    context = table.context
    index = next(
        (
            i
            for i in range(len(context) - 1, -1, -1)
            if any(word in fold(context[i]) for word in _TITLE_WORDS)
        ),
        None,
    )
    if index is None:
        return (
            context[-1]
            if context
            else gettext("table at %(where)s") % {"where": where(table.source)}
        )
    title = context[index]
    if index > 0 and _SHEET_RE.match(fold(context[index - 1])):
        title = f"{context[index - 1]} — {title}"
    return title


def unit_factor(table: LogicalTable) -> Decimal:
    """Million VND per unit of the table's amounts: the design keeps budgets in million VND,
    and the unit is named in the title or the header ("(Đơn vị tính: nghìn đồng)")."""
    text = fold(" ".join([*table.context, *table.header]))
    for words, factor in _UNIT_FACTORS:
        if words in text:
            return factor
    return Decimal(1)


def format_amount(value: Decimal) -> str:
    """The Vietnamese way, as the document writes it: 3792 → "3.792", 2.5 → "2,5"."""
    return format_number(value)


def _row_name(line: DraftBudgetLine) -> str:
    item = line.item if len(line.item) <= 60 else line.item[:59].rstrip() + "…"
    label = (
        gettext("item %(code)s") % {"code": line.code}
        if line.code
        else gettext("item «%(item)s»") % {"item": item}
    )
    return f"{label} ({where(line.row)})" if line.row else label


def _line_total(line: DraftBudgetLine) -> Decimal | None:
    """The line's total as written, else what its years add up to."""
    if line.total is not None:
        return line.total
    return sum(line.by_year.values(), Decimal(0)) if line.by_year else None


def check_line(title: str, line: DraftBudgetLine) -> list[str]:
    """A line's total against the sum of its years, when both are given."""
    if line.total is None or not line.by_year:
        return []
    years = [line.by_year[year] for year in sorted(line.by_year)]
    added = sum(years, Decimal(0))
    if added == line.total:
        return []
    parts = " + ".join(format_amount(value) for value in years)
    return [
        gettext(
            "Table «%(title)s», %(row)s: the total %(total)s differs from the sum of the "
            "years %(parts)s = %(added)s (off by %(gap)s)"
        )
        % {
            "title": title,
            "row": _row_name(line),
            "total": format_amount(line.total),
            "parts": parts,
            "added": format_amount(added),
            "gap": format_amount(abs(line.total - added)),
        }
    ]


def _column_warning(
    title: str, column: str, stated: DraftBudgetLine, said: Decimal, added: Decimal
) -> str:
    return gettext(
        "Table «%(title)s», column %(column)s: %(row)s states %(said)s, the lines add up "
        "to %(added)s (off by %(gap)s)"
    ) % {
        "title": title,
        "column": column,
        "row": _row_name(stated),
        "said": format_amount(said),
        "added": format_amount(added),
        "gap": format_amount(abs(said - added)),
    }


def check_stated(
    title: str,
    lines: Sequence[DraftBudgetLine],
    stated: DraftBudgetLine,
    years: Sequence[int] = (),
) -> list[str]:
    """The sums a total or subtotal row states against its lines: each year column, and the
    total column (a line without a total counts as the sum of its years)."""
    warnings = check_line(title, stated)
    states_any = stated.total is not None or bool(stated.by_year)
    for year in sorted(set(years) | set(stated.by_year)):
        added = sum((line.by_year.get(year, Decimal(0)) for line in lines), Decimal(0))
        if year in stated.by_year and added != stated.by_year[year]:
            warnings.append(
                _column_warning(
                    title,
                    gettext("Year %(year)s") % {"year": year},
                    stated,
                    stated.by_year[year],
                    added,
                )
            )
        elif year not in stated.by_year and added and states_any:
            warnings.append(
                gettext(
                    "Table «%(title)s», column Year %(year)s: %(row)s is empty, the lines add "
                    "up to %(added)s"
                )
                % {
                    "title": title,
                    "year": year,
                    "row": _row_name(stated),
                    "added": format_amount(added),
                }
            )
    if stated.total is not None:
        totals = [_line_total(line) for line in lines]
        added = sum((total for total in totals if total is not None), Decimal(0))
        if added != stated.total:
            warnings.append(
                _column_warning(title, gettext("total budget"), stated, stated.total, added)
            )
    return warnings


def check_sums(
    title: str,
    lines: Sequence[DraftBudgetLine],
    stated: DraftBudgetLine | None = None,
    years: Sequence[int] = (),
) -> list[str]:
    """Every mismatch between a budget's lines and the sums the document states.

    (a) each line (and the stated row): total = sum of its years; (b) each year column: the
    stated amount = the sum of the lines; (c) the stated total = the sum of the lines' totals.
    Empty cells are not mismatches: a year a line does not spend in is left empty in the source.
    """
    warnings = [warning for line in lines for warning in check_line(title, line)]
    if stated is not None:
        warnings += check_stated(title, lines, stated, years)
    return warnings


def _read_amount(text: str) -> tuple[Decimal | None, bool]:
    """(amount, readable). An empty cell or a dash is no amount, and readable."""
    clean = text.strip()
    if clean in _NO_AMOUNT:
        return None, True
    if not _AMOUNT_RE.match(clean):
        return None, False
    value = parse_number(clean)
    return value, value is not None


def _row_kind(code: str, is_code: bool, item: str, bold: bool) -> str:
    if not _ARABIC_CODE_RE.match(code) and _TOTAL_ROW_RE.match(fold(item)):
        return "total"
    if _ROMAN_CODE_RE.match(code) or (bold and not is_code):
        return "group"
    return "line"


def _read_row(
    row: LogicalRow, columns: BudgetColumns, table: LogicalTable, title: str
) -> tuple[_ReadRow, list[str]]:
    raw_code = row.cell(columns.code).strip()
    is_code = bool(_ARABIC_CODE_RE.match(raw_code) or _ROMAN_CODE_RE.match(raw_code))
    item = row.cell(columns.item).strip()
    if columns.item is None:
        # No column says what the line is: keep every cell's text together.
        item = " | ".join(cell.strip() for cell in row.cells if cell.strip())
    elif not item and not is_code:
        item = raw_code  # "Tổng cộng" written across the merged TT and item cells
    line = DraftBudgetLine(
        item=item,
        code=raw_code.rstrip(".") if is_code else "",
        source=row.cell(columns.source).strip(),
        period_text=row.cell(columns.period).strip(),
        table=title,
        row=row.source,
    )
    warnings: list[str] = []
    unreadable = False
    amount_columns: list[tuple[int | None, int | None]] = [(columns.total, None)]
    amount_columns += [(index, year) for year, index in columns.years.items()]
    for index, year in amount_columns:
        if index is None:
            continue
        value, readable = _read_amount(row.cell(index))
        if not readable:
            unreadable = True
            warnings.append(
                gettext(
                    "Table «%(title)s», %(row)s: could not read the amount «%(cell)s» in column "
                    "«%(column)s»; the line is kept without this amount"
                )
                % {
                    "title": title,
                    "row": _row_name(line),
                    "cell": row.cell(index).strip(),
                    "column": table.header[index],
                }
            )
        elif value is not None and year is None:
            line.total = value
        elif value is not None and year is not None:
            line.by_year[year] = value
    has_amounts = line.total is not None or bool(line.by_year)
    kind = _row_kind(raw_code, is_code, item, row.bold)
    return _ReadRow(kind, line, has_amounts, unreadable), warnings


def _unplaced_columns(
    table: LogicalTable, columns: BudgetColumns, title: str, reads: Sequence[_ReadRow]
) -> list[str]:
    """A column a budget line has no field for ("Ghi chú", "Đơn vị thực hiện"): its text is
    quoted row by row in one warning per column, so nothing is lost."""
    warnings: list[str] = []
    for index in columns.other:
        cells = [
            f"{_row_name(read.line)}: {row.cell(index).strip()}"
            for row, read in zip(table.rows, reads, strict=True)
            if row.cell(index).strip()
        ]
        if cells:
            warnings.append(
                gettext(
                    "Table «%(title)s»: column «%(column)s» has no place in the budget "
                    "estimate; its content: %(cells)s"
                )
                % {"title": title, "column": table.header[index], "cells": "; ".join(cells)}
            )
    return warnings


def _numbering_gaps(title: str, lines: Sequence[DraftBudgetLine]) -> list[str]:
    """A jump in the numbering (5 then 7) may be a row lost in conversion: the sums can still
    agree if the row was deleted with its money, so the officer is asked to look."""
    warnings: list[str] = []
    previous: DraftBudgetLine | None = None
    for line in lines:
        if not line.code.isdigit():
            previous = None if _ROMAN_CODE_RE.match(line.code) else previous
            continue
        if previous is not None and int(line.code) > int(previous.code) + 1:
            missing = ", ".join(str(n) for n in range(int(previous.code) + 1, int(line.code)))
            warnings.append(
                gettext(
                    "Table «%(title)s»: %(previous)s is followed by %(row)s, there is no item "
                    "%(missing)s; check whether the document lacks a line"
                )
                % {
                    "title": title,
                    "previous": _row_name(previous),
                    "row": _row_name(line),
                    "missing": missing,
                }
            )
        previous = line
    return warnings


def _scaled(line: DraftBudgetLine, factor: Decimal) -> DraftBudgetLine:
    if factor == 1:
        return line
    return replace(
        line,
        total=None if line.total is None else line.total * factor,
        by_year={year: value * factor for year, value in line.by_year.items()},
    )


def _subtotal_members(reads: Sequence[_ReadRow]) -> dict[int, list[DraftBudgetLine]]:
    """For each group row with amounts (a subtotal), the lines read after it up to the next
    group or total row; keyed by the group's position."""
    members: dict[int, list[DraftBudgetLine]] = {}
    current: int | None = None
    for index, read in enumerate(reads):
        if read.kind == "line" and current is not None:
            members[current].append(read.line)
        elif read.kind != "line":
            current = index if read.kind == "group" and read.has_amounts else None
            if current is not None:
                members[current] = []
    return members


def read_budget_table(table: LogicalTable) -> BudgetTable:
    """The lines of one budget table and the warnings about it, sums checked."""
    columns = budget_columns(table)
    title = table_title(table)
    years = sorted(columns.years)
    warnings: list[str] = []
    if not columns.has_amounts:
        warnings.append(
            gettext(
                "Table «%(title)s» (%(where)s): no amount column recognised; the lines are "
                "kept without amounts"
            )
            % {"title": title, "where": where(table.source)}
        )
    reads: list[_ReadRow] = []
    for row in table.rows:
        read, row_warnings = _read_row(row, columns, table, title)
        reads.append(read)
        warnings += row_warnings
    warnings += _unplaced_columns(table, columns, title, reads)
    members = _subtotal_members(reads)
    # A subtotal row is not a line (its money is in its lines); a group row without lines
    # under it is one, and so is a heading: kept so no row's text is lost.
    lines = [
        read.line
        for index, read in enumerate(reads)
        if read.kind == "line" or (read.kind == "group" and not members.get(index))
    ]
    for read in reads:
        if (
            read.kind == "line"
            and columns.has_amounts
            and not read.has_amounts
            and not read.unreadable
        ):
            warnings.append(
                gettext("Table «%(title)s», %(row)s: no amount; the line is kept to be completed")
                % {"title": title, "row": _row_name(read.line)}
            )

    warnings += [warning for line in lines for warning in check_line(title, line)]
    for index, group_lines in members.items():
        if group_lines:
            warnings += check_stated(title, group_lines, reads[index].line, years)
    for read in reads:
        if read.kind == "total":
            warnings += check_stated(title, lines, read.line, years)
    warnings += _numbering_gaps(title, [read.line for read in reads if read.kind != "total"])
    factor = unit_factor(table)
    return BudgetTable(
        title=title,
        lines=[_scaled(line, factor) for line in lines],
        totals=[_scaled(read.line, factor) for read in reads if read.kind == "total"],
        subtotals=[_scaled(reads[i].line, factor) for i, found in members.items() if found],
        warnings=warnings,
    )


def budget_from_tables(
    tables: list[LogicalTable],
) -> tuple[list[DraftBudgetLine], list[str], list[LogicalTable]]:
    """(lines, warnings, tables claimed) for every budget table among ``tables``."""
    lines: list[DraftBudgetLine] = []
    warnings: list[str] = []
    claimed: list[LogicalTable] = []
    for table in tables:
        if not is_budget_table(table):
            continue
        read = read_budget_table(table)
        lines += read.lines
        warnings += read.warnings
        claimed.append(table)
    return lines, warnings, claimed
