"""Assessment frameworks in Excel (issue 8): the same data as the YAML file, laid out so an
office can read and edit it, and read back without loss.

Sheet "Bộ tiêu chí": a few rows of identity (label in column A, value in column B), then a table
with one row per group, criterion, sub-criterion and choice::

    Cấp | Mã | Tên | Điểm tối đa | Quy tắc chấm | Mức điểm | Cho phép không áp dụng | Nguồn dữ liệu
        | Minh chứng | Hướng dẫn

- ``Mức điểm`` of a percent or count criterion holds its bands, one a line: ``≥ 30%: 1``; of a
  yes/no criterion the points when they are not the default (``Có: 2`` / ``Không: 0,5``).
- A choice criterion is followed by one ``Phương án`` row per choice: code in ``Mã``, label in
  ``Tên``, points in ``Mức điểm``. Rows rather than one cell, so a label can hold any text (";",
  "=", ")", line breaks) and still come back as written.

Reading only turns cells into the documented mapping; ``framework.parse`` checks it, so every
rule and message lives in one place. Its messages are then given the row they come from and
the column names a person sees instead of the YAML keys.

The workbook's own words (sheet names, column titles, levels, rule labels, the help sheet) are
Vietnamese whatever the language of the page: the file goes to and comes back from the ward's
offices, and the reader recognises it by those words. The messages about it are translated.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from theodoi.assessment.framework import (
    CHOICE,
    COUNT,
    MANUAL,
    PERCENT,
    RULE_LABELS,
    RULE_TYPES,
    SOURCES,
    YES_NO,
    Criterion,
    Framework,
    FrameworkError,
    Rule,
    _quoted,
    parse,
)
from theodoi.core.spreadsheet import put

# Vietnamese on purpose: the words of the workbook (see the module's docstring), here and in the
# next paragraphs of constants.
SHEET = "Bộ tiêu chí"
HELP_SHEET = "Cách ghi"

# Vietnamese on purpose: the levels of the workbook's rows.
GROUP = "Nhóm"
CRITERION = "Tiêu chí"
SUB_CRITERION = "Tiêu chí thành phần"
OPTION = "Phương án"
LEVELS = (GROUP, CRITERION, SUB_CRITERION, OPTION)

# (mapping key, label in column A): the identity rows above the table. Vietnamese on purpose:
# the labels are the workbook's words.
IDENTITY: tuple[tuple[str, str], ...] = (
    ("code", "Mã bộ tiêu chí"),
    ("name", "Tên bộ tiêu chí"),
    ("year", "Năm áp dụng"),
    ("version", "Phiên bản"),
    ("description", "Mô tả"),
    ("max_points", "Tổng điểm tối đa"),
)

# Vietnamese on purpose: the titles of the workbook's columns.
LEVEL_COL = "Cấp"
CODE_COL = "Mã"
NAME_COL = "Tên"
MAX_COL = "Điểm tối đa"
RULE_COL = "Quy tắc chấm"
POINTS_COL = "Mức điểm"
NA_COL = "Cho phép không áp dụng"
SOURCE_COL = "Nguồn dữ liệu"
EVIDENCE_COL = "Minh chứng"
GUIDANCE_COL = "Hướng dẫn"
COLUMNS: tuple[tuple[str, float], ...] = (
    (LEVEL_COL, 12),
    (CODE_COL, 9),
    (NAME_COL, 60),
    (MAX_COL, 10),
    (RULE_COL, 18),
    (POINTS_COL, 16),
    (NA_COL, 13),
    (SOURCE_COL, 16),
    (EVIDENCE_COL, 36),
    (GUIDANCE_COL, 44),
)
REQUIRED = (LEVEL_COL, CODE_COL, NAME_COL, MAX_COL, RULE_COL, POINTS_COL)
# Header spellings a person may use for the same column.
ALIASES = {"quy tắc": RULE_COL, "không áp dụng": NA_COL, "nguồn": SOURCE_COL}

# A workbook of a framework has tens of rows; this bounds the work an odd file can cause.
MAX_ROWS = 5000

# Vietnamese on purpose: the words people write in the workbook.
_YES_WORDS = {"có", "yes", "đạt"}
_NO_WORDS = {"không", "no", "không đạt"}
YES_WORD, NO_WORD = "Có", "Không"

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
_LABEL_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


# --- Writing ----------------------------------------------------------------------------------


def framework_to_xlsx(framework: Framework) -> bytes:
    """The workbook of a framework; ``framework_from_xlsx`` reads it back equal."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    identity = {
        "code": framework.code,
        "name": framework.name,
        "year": framework.year,
        "version": framework.version,
        "description": framework.description,
        "max_points": _cell_number(framework.max_points),
    }
    last = get_column_letter(len(COLUMNS))
    for row, (key, label) in enumerate(IDENTITY, start=1):
        head = put(sheet, row, 1, label)
        head.font = Font(bold=True)
        head.fill = _LABEL_FILL
        value = put(sheet, row, 2, identity[key])
        value.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if key in ("code", "name", "description"):
            value.number_format = "@"
        # The value spans the table's width, so a long name or description stays readable.
        sheet.merge_cells(f"B{row}:{last}{row}")
        if key == "description" and framework.description:
            sheet.row_dimensions[row].height = 15 * (1 + len(framework.description) // 160)
    header = len(IDENTITY) + 2
    for column, (title, width) in enumerate(COLUMNS, start=1):
        cell = put(sheet, header, column, title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"C{header + 1}"
    row = header + 1
    for group in framework.groups:
        _write_row(sheet, row, [GROUP, group.code, group.name, _cell_number(group.max_points)])
        for column in range(1, len(COLUMNS) + 1):
            cell = sheet.cell(row=row, column=column)
            cell.font = Font(bold=True)
            cell.fill = _GROUP_FILL
        row += 1
        for criterion in group.criteria:
            row = _write_criterion(sheet, row, criterion, CRITERION)
            for sub in criterion.criteria:
                row = _write_criterion(sheet, row, sub, SUB_CRITERION)
    _help_sheet(workbook.create_sheet(HELP_SHEET))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_criterion(sheet: Any, row: int, criterion: Criterion, level: str) -> int:
    rule = criterion.rule
    _write_row(
        sheet,
        row,
        [
            level,
            criterion.code,
            criterion.name,
            _cell_number(criterion.max_points),
            RULE_LABELS[rule.type] if rule else None,
            _points_text(rule, criterion.max_points) if rule else None,
            "x" if criterion.allow_not_applicable else None,
            criterion.source or None,
            criterion.evidence or None,
            criterion.guidance or None,
        ],
    )
    if level == SUB_CRITERION:
        sheet.cell(row=row, column=3).alignment = Alignment(
            wrap_text=True, vertical="top", indent=2
        )
    row += 1
    if rule is not None and rule.type == CHOICE:
        for choice in rule.choices:
            _write_row(sheet, row, [OPTION, choice.code, choice.label])
            # Under the criterion's points column the choice's points would read as a maximum.
            put(sheet, row, 6, _cell_number(choice.points))
            sheet.cell(row=row, column=3).alignment = Alignment(
                wrap_text=True, vertical="top", indent=4 if level == SUB_CRITERION else 2
            )
            for column in (1, 2, 3):
                sheet.cell(row=row, column=column).font = Font(italic=True)
            row += 1
    return row


def _write_row(sheet: Any, row: int, values: list[Any]) -> None:
    values = values + [None] * (len(COLUMNS) - len(values))
    for column, value in enumerate(values, start=1):
        cell = put(sheet, row, column, value)
        cell.border = _BORDER
        cell.alignment = _WRAP
    # Typed in by a person, "1.10" would otherwise become the number 1.1 or a date.
    sheet.cell(row=row, column=2).number_format = "@"


# Vietnamese on purpose: "Có: 2" is how the workbook writes a yes/no criterion's points.
def _points_text(rule: Rule, max_points: Decimal) -> str | None:
    if rule.type in (PERCENT, COUNT):
        unit = "%" if rule.type == PERCENT else ""
        return "\n".join(f"≥ {_shown(b.min)}{unit}: {_shown(b.points)}" for b in rule.bands)
    if rule.type == YES_NO:
        lines = []
        if rule.yes_points is not None and rule.yes_points != max_points:
            lines.append(f"Có: {_shown(rule.yes_points)}")
        if rule.no_points:
            lines.append(f"Không: {_shown(rule.no_points)}")
        return "\n".join(lines) or None
    return None


def _shown(value: Decimal) -> str:
    """A number as a Vietnamese reader writes it: 0,5 rather than 0.50."""
    text = format(value.normalize(), "f") if value else "0"
    return text.replace(".", ",")


def _cell_number(value: Decimal) -> int | float:
    # Points have at most two decimals, so a float holds them exactly enough to read back equal.
    return int(value) if value == value.to_integral_value() else float(value)


# Vietnamese on purpose: the help sheet travels with the workbook and explains its words.
def _help_sheet(sheet: Any) -> None:
    lines = [
        "Cách ghi bộ tiêu chí trong tệp này (xem thêm docs/assessment.md)",
        "",
        "• Mỗi dòng của bảng ở trang «Bộ tiêu chí» là một Nhóm, một Tiêu chí, một Tiêu chí "
        "thành phần hoặc một Phương án; cột «Cấp» cho biết là loại nào.",
        "• Tiêu chí có tiêu chí thành phần thì không ghi quy tắc chấm: điểm của nó là tổng điểm "
        "các tiêu chí thành phần ngay bên dưới.",
        f"• Quy tắc chấm: {', '.join(RULE_LABELS.values())}.",
        "• Mức điểm của quy tắc theo tỷ lệ hoặc số lượng: mỗi mức một dòng trong ô, dạng "
        "«≥ 30%: 1» (đạt từ 30% trở lên được 1 điểm). Dưới mức thấp nhất được 0 điểm.",
        "• Quy tắc Có/Không: để trống ô Mức điểm nếu «Có» được điểm tối đa và «Không» được 0; "
        "nếu khác, ghi «Có: 2» và/hoặc «Không: 0,5».",
        "• Quy tắc Chọn một phương án: thêm ngay bên dưới tiêu chí một dòng «Phương án» cho "
        "mỗi phương án (mã ở cột Mã, nội dung ở cột Tên, điểm ở cột Mức điểm).",
        "• Cho phép không áp dụng: ghi «x» nếu đơn vị được đánh dấu tiêu chí không áp dụng; "
        "khi đó điểm tối đa của đơn vị được trừ đi điểm của tiêu chí.",
        f"• Nguồn dữ liệu (hệ thống tự điền): {', '.join(SOURCES)}.",
        "• Giữ nguyên tên các cột và các dòng thông tin ở đầu trang.",
    ]
    for row, text in enumerate(lines, start=1):
        cell = put(sheet, row, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 120


# --- Reading ----------------------------------------------------------------------------------


def framework_from_xlsx(data: bytes) -> Framework:
    """A framework from a workbook written by ``framework_to_xlsx`` and perhaps edited by a
    person; every mistake becomes a ``FrameworkError`` naming the row and what to do."""
    rows = _rows(data)
    reader = _Reader()
    reader.read(rows)
    mapping = reader.mapping()
    try:
        framework = parse(mapping)
    except FrameworkError as exc:
        # A row the reader already complained about (a band it could not read) would only be
        # reported again, less clearly, by parse().
        told = reader.told
        located = [reader.locate(p) for p in exc.problems]
        more = [text for row, text in located if row is None or row not in told]
        raise FrameworkError(reader.problems + more) from exc
    if reader.problems:
        raise FrameworkError(reader.problems)
    return framework


def _rows(data: bytes) -> list[tuple[int, tuple[Any, ...]]]:
    unreadable = FrameworkError(
        [
            _(
                "The Excel file cannot be read: it is damaged or not in the .xlsx format. Open "
                "it in Excel, choose “Save As” with the type “Excel Workbook (.xlsx)”, then "
                "import it again."
            )
        ]
    )
    if not isinstance(data, bytes | bytearray) or not zipfile.is_zipfile(io.BytesIO(data)):
        raise unreadable
    try:
        with warnings.catch_warnings():
            # openpyxl warns about what it drops (data validation, extensions): nothing of ours.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a zip that is not a workbook
        raise unreadable from exc
    try:
        names = workbook.sheetnames
        sheet = workbook[SHEET] if SHEET in names else workbook.worksheets[0]
        rows: list[tuple[int, tuple[Any, ...]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise FrameworkError(
                    [
                        _(
                            "The sheet “%(sheet)s” has more than %(max)s rows; a framework needs "
                            "only a few dozen. Delete the extra rows at the end of the sheet, "
                            "then import it again."
                        )
                        % {"sheet": sheet.title, "max": MAX_ROWS}
                    ]
                )
            rows.append((number, tuple(values)))
    except FrameworkError:
        raise
    except Exception as exc:
        raise unreadable from exc
    finally:
        workbook.close()
    return rows


def _key(value: Any) -> str:
    """A label as typed, made comparable: NFC, lower case, single spaces, no trailing colon."""
    text = unicodedata.normalize("NFC", _cell_text(value)).lower()
    return " ".join(text.split()).rstrip(":").strip()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_LEVEL_KEYS = {_key(level): level for level in LEVELS}
_RULE_KEYS = {_key(label): kind for kind, label in RULE_LABELS.items()} | {
    kind: kind for kind in RULE_TYPES
}
_SOURCE_KEYS = {_key(text): code for code, text in SOURCES.items()} | {c: c for c in SOURCES}
_IDENTITY_KEYS = {_key(label): key for key, label in IDENTITY}
_COLUMN_KEYS = {_key(title): title for title, _width in COLUMNS} | ALIASES


def _words_in_table() -> dict[str, str]:
    """What parse() calls a value, and what the person sees in the workbook instead, in the
    language of the messages (so built on each call, never at import)."""
    return {
        _quoted("code"): _quoted(CODE_COL),
        _quoted("name"): _quoted(NAME_COL),
        _quoted("label"): _quoted(NAME_COL),
        _quoted("max_points"): _quoted(MAX_COL),
        _quoted("rule"): _quoted(RULE_COL),
        _quoted("points"): _quoted(POINTS_COL),
        _quoted("yes_points"): _("“%(word)s: …” in the %(column)s column")
        % {"word": YES_WORD, "column": POINTS_COL},
        _quoted("no_points"): _("“%(word)s: …” in the %(column)s column")
        % {"word": NO_WORD, "column": POINTS_COL},
        _quoted("min"): _("the band's start (the number after ≥)"),
        _("a “bands” list (each band with min and points)"): _(
            "the “%(column)s” column, one band a line such as “≥ 30: 1”"
        )
        % {"column": POINTS_COL},
        _("in “choices”"): _("(one “%(level)s” row per choice just below the criterion)")
        % {"level": OPTION},
        _quoted("criteria"): _("the “%(level)s” rows below") % {"level": CRITERION},
        ", ".join(RULE_TYPES): ", ".join(RULE_LABELS.values()),
    }


def _words_on_top() -> dict[str, str]:
    words = {
        f"({_quoted(key)})": _("(the “%(label)s” cell at the top of the sheet)") % {"label": label}
        for key, label in IDENTITY
        if key != "max_points"
    }
    words[f"({_quoted('groups')})"] = _("(a “%(level)s” row)") % {"level": GROUP}
    words[_("The total maximum says")] = _("The “%(label)s” cell says") % {"label": IDENTITY[-1][1]}
    return words


@dataclass
class _Reader:
    problems: list[str] = field(default_factory=list)
    identity: dict[str, Any] = field(default_factory=dict)
    groups: list[dict[str, Any]] = field(default_factory=list)
    # Where parse() names a group or criterion ("Nhóm 2", "Tiêu chí 1.3", "Tiêu chí 3.2,
    # phương án 1"), and the row it came from.
    places: dict[str, int] = field(default_factory=dict)
    columns: dict[str, int] = field(default_factory=dict)
    # The rows a problem of the reader's own names.
    told: set[int] = field(default_factory=set)

    def _tell(self, number: int, problem: str) -> None:
        self.problems.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": problem})
        self.told.add(number)

    def read(self, rows: list[tuple[int, tuple[Any, ...]]]) -> None:
        header_at = None
        for number, values in rows:
            if header_at is None:
                if self._is_header(values):
                    header_at = number
                    self._columns(number, values)
                    if self.problems:
                        return
                elif values and _key(values[0]) in _IDENTITY_KEYS:
                    self.identity[_IDENTITY_KEYS[_key(values[0])]] = (
                        values[1] if len(values) > 1 else None
                    )
                continue
            self._row(number, values)
        if header_at is None:
            self.problems.append(
                _(
                    "The table's header row was not found (the row with the columns "
                    "“%(level)s”, “%(code)s”, “%(name)s”, …). Keep the header row as it is in "
                    "the file exported from theodoi."
                )
                % {"level": LEVEL_COL, "code": CODE_COL, "name": NAME_COL}
            )

    def mapping(self) -> dict[str, Any]:
        result = {key: value for key, value in self.identity.items() if value not in (None, "")}
        result["groups"] = self.groups
        return result

    def locate(self, problem: str) -> tuple[int | None, str]:
        """A problem of parse() in the workbook's words, with its row when it names one."""
        best = ""
        for place in self.places:
            if problem.startswith((f"{place}:", f"{place},")) and len(place) > len(best):
                best = place
        words = _words_in_table() if best else _words_on_top()
        for old, new in words.items():
            problem = problem.replace(old, new)
        if not best:
            return None, problem
        row = self.places[best]
        return row, _("Row %(row)s — %(problem)s") % {"row": row, "problem": problem}

    # -- the table

    def _is_header(self, values: tuple[Any, ...]) -> bool:
        keys = {_key(v) for v in values}
        return _key(LEVEL_COL) in keys and _key(CODE_COL) in keys

    def _columns(self, number: int, values: tuple[Any, ...]) -> None:
        for index, value in enumerate(values):
            title = _COLUMN_KEYS.get(_key(value))
            if title and title not in self.columns:
                self.columns[title] = index
        missing = [title for title in REQUIRED if title not in self.columns]
        if missing:
            names = ", ".join(_quoted(title) for title in missing)
            self.problems.append(
                ngettext(
                    "Row %(row)s (table header): the column %(names)s is missing. Add it back "
                    "with exactly that name, as in the file exported from theodoi.",
                    "Row %(row)s (table header): the columns %(names)s are missing. Add them "
                    "back with exactly those names, as in the file exported from theodoi.",
                    len(missing),
                )
                % {"row": number, "names": names}
            )

    def _get(self, values: tuple[Any, ...], title: str) -> Any:
        index = self.columns.get(title)
        if index is None or index >= len(values):
            return None
        value = values[index]
        return value.strip() if isinstance(value, str) else value

    def _row(self, number: int, values: tuple[Any, ...]) -> None:
        if all(_cell_text(v) == "" for v in values):
            return  # a blank line a person left between groups
        level_text = self._get(values, LEVEL_COL)
        level = _LEVEL_KEYS.get(_key(level_text))
        if level is None:
            shown = _cell_text(level_text)
            self._tell(
                number,
                _("the “%(column)s” column says “%(value)s”; write one of: %(levels)s.")
                % {"column": LEVEL_COL, "value": shown, "levels": ", ".join(LEVELS)},
            )
            return
        code = self._get(values, CODE_COL)
        if isinstance(code, dt.datetime | dt.date | dt.time):
            self._tell(
                number,
                _(
                    "Excel turned the code into a date (%(value)s). Format the “%(column)s” "
                    "column as Text, then type the code again, for example 1.1."
                )
                % {"value": code, "column": CODE_COL},
            )
            code = ""
        code = _cell_text(code)
        if level == GROUP:
            self._group(number, values, code)
        elif level == OPTION:
            self._option(number, values, code)
        else:
            self._criterion(number, values, code, level)

    def _group(self, number: int, values: tuple[Any, ...], code: str) -> None:
        extra = [
            title
            for title in (RULE_COL, POINTS_COL, NA_COL, SOURCE_COL, EVIDENCE_COL, GUIDANCE_COL)
            if _cell_text(self._get(values, title))
        ]
        if extra:
            self._tell(
                number,
                _(
                    "a “%(group)s” row holds only %(code)s, %(name)s and %(max)s; the columns "
                    "%(columns)s belong to the “%(criterion)s” rows."
                )
                % {
                    "group": GROUP,
                    "code": CODE_COL,
                    "name": NAME_COL,
                    "max": MAX_COL,
                    "columns": ", ".join(_quoted(t) for t in extra),
                    "criterion": CRITERION,
                },
            )
        group: dict[str, Any] = {
            "code": code,
            "name": self._get(values, NAME_COL),
            "criteria": [],
        }
        maximum = self._get(values, MAX_COL)
        if maximum not in (None, ""):
            group["max_points"] = maximum
        self.groups.append(group)
        self._place(_("Group %(code)s") % {"code": code or len(self.groups)}, number)

    def _criterion(self, number: int, values: tuple[Any, ...], code: str, level: str) -> None:
        if not self.groups:
            self._tell(
                number,
                _("the criterion comes before any group; add a “%(group)s” row above it.")
                % {"group": GROUP},
            )
            return
        group = self.groups[-1]
        siblings: list[dict[str, Any]]
        if level == SUB_CRITERION:
            if not group["criteria"]:
                self._tell(
                    number,
                    _(
                        "a sub-criterion must come right below a “%(criterion)s” row of the "
                        "same group."
                    )
                    % {"criterion": CRITERION},
                )
                return
            parent = group["criteria"][-1]
            siblings = parent.setdefault("criteria", [])
            outer = parent["_where"]
            where = (
                _("Criterion %(code)s") % {"code": code}
                if code
                else _("%(where)s, sub-criterion %(index)s")
                % {"where": outer, "index": len(siblings) + 1}
            )
        else:
            siblings = group["criteria"]
            outer = _("Group %(code)s") % {"code": group["code"] or len(self.groups)}
            where = (
                _("Criterion %(code)s") % {"code": code}
                if code
                else _("%(where)s, criterion %(index)s")
                % {"where": outer, "index": len(siblings) + 1}
            )
        item: dict[str, Any] = {"code": code, "name": self._get(values, NAME_COL), "_where": where}
        maximum = self._get(values, MAX_COL)
        if maximum not in (None, ""):
            item["max_points"] = maximum
        for key, title in (("evidence", EVIDENCE_COL), ("guidance", GUIDANCE_COL)):
            item[key] = self._get(values, title)
        item["allow_not_applicable"] = self._get(values, NA_COL) or False
        source = _cell_text(self._get(values, SOURCE_COL))
        item["source"] = _SOURCE_KEYS.get(_key(source), source)
        rule_text = _cell_text(self._get(values, RULE_COL))
        points_text = _cell_text(self._get(values, POINTS_COL))
        if rule_text:
            kind = _RULE_KEYS.get(_key(rule_text))
            # An unknown rule goes to parse() as written, which lists the rules there are.
            item["rule"] = {"type": kind or rule_text}
            if kind is not None:
                self._rule_points(number, item["rule"], points_text)
        elif points_text:
            self._tell(
                number,
                _(
                    "the “%(points)s” cell is filled in but “%(rule)s” is not; leave both cells "
                    "empty for a criterion with sub-criteria."
                )
                % {"points": POINTS_COL, "rule": RULE_COL},
            )
        siblings.append(item)
        self._place(where, number)

    def _rule_points(self, number: int, rule: dict[str, Any], text: str) -> None:
        kind = rule["type"]
        if kind in (PERCENT, COUNT):
            rule["bands"] = [band for item in _items(text) if (band := self._band(number, item))]
        elif kind == YES_NO:
            for item in _items(text):
                word, _colon, value = item.partition(":")
                if _key(word) in _YES_WORDS and _colon:
                    rule["yes_points"] = value.strip()
                elif _key(word) in _NO_WORDS and _colon:
                    rule["no_points"] = value.strip()
                else:
                    self._tell(
                        number,
                        _(
                            "the rule “%(rule)s” takes only “Có: points” and/or “Không: points” "
                            "in the “%(column)s” column, not “%(value)s”."
                        )
                        % {"rule": RULE_LABELS[YES_NO], "column": POINTS_COL, "value": item},
                    )
        elif kind == CHOICE:
            rule["choices"] = []
            if text:
                self._tell(
                    number,
                    _(
                        "the rule “%(rule)s” takes its choices in the “%(option)s” rows right "
                        "below, not in the “%(column)s” column; leave this cell empty."
                    )
                    % {"rule": RULE_LABELS[CHOICE], "option": OPTION, "column": POINTS_COL},
                )
        elif kind == MANUAL and text:
            self._tell(
                number,
                _(
                    "the rule “%(rule)s” has no bands; the assessor enters points from 0 to the "
                    "maximum. Leave the “%(column)s” cell empty."
                )
                % {"rule": RULE_LABELS[MANUAL], "column": POINTS_COL},
            )

    def _band(self, number: int, text: str) -> dict[str, str] | None:
        # Vietnamese on purpose: "từ 30: 1" ("from 30") is how people write a band.
        match = re.fullmatch(r"(?:≥|>=|=>|>|từ)?\s*([^:]*?)\s*:\s*(.*)", text, re.IGNORECASE)
        if match is None or not match.group(1) or not match.group(2):
            self._tell(
                number,
                _(
                    "the band “%(value)s” in the “%(column)s” column cannot be understood; "
                    "write one band a line such as “≥ 30: 1” (30 or more gets 1 point)."
                )
                % {"value": text, "column": POINTS_COL},
            )
            return None
        return {"min": match.group(1), "points": match.group(2)}

    def _option(self, number: int, values: tuple[Any, ...], code: str) -> None:
        owner = self._last_criterion()
        rule = owner.get("rule") if owner else None
        if rule is None or rule.get("type") != CHOICE:
            self._tell(
                number,
                _("a “%(option)s” row must come right below a criterion with the rule “%(rule)s”.")
                % {"option": OPTION, "rule": RULE_LABELS[CHOICE]},
            )
            return
        assert owner is not None
        rule["choices"].append(
            {
                "code": code,
                "label": self._get(values, NAME_COL),
                "points": self._get(values, POINTS_COL),
            }
        )
        where = _("%(where)s, choice %(index)s")
        self._place(where % {"where": owner["_where"], "index": len(rule["choices"])}, number)

    def _last_criterion(self) -> dict[str, Any] | None:
        if not self.groups or not self.groups[-1]["criteria"]:
            return None
        last: dict[str, Any] = self.groups[-1]["criteria"][-1]
        children = last.get("criteria")
        return children[-1] if children else last

    def _place(self, where: str, number: int) -> None:
        self.places.setdefault(where, number)


def _items(text: str) -> list[str]:
    """The entries of a "Mức điểm" cell: one a line, or separated by ";"."""
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]
