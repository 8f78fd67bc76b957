"""Indicators from appendix tables (DESIGN §1, §4, §6): pure functions.

An indicator table has a "Chỉ tiêu" column and at least one column that holds a level to reach:
a target ("Kết quả", "Mục tiêu", "Chỉ tiêu đến năm 2030", "Đích"), a baseline ("Cơ sở") or
year columns ("2026" … "2030"). Two shapes arrive:

- real tables (tab, pipe, Word, Excel), already joined across pages by ``logical_tables``;
- tables that a PDF export flattened into one paragraph per line: one cell per line, cells
  wrapped over several lines, several cells sometimes on one line, the header repeated after
  every page break. ``paragraph_tables`` rebuilds them into ``LogicalTable`` objects by rules
  (see there), so both shapes go through the same row reader.

Nothing is dropped: a line that cannot be placed, a column that has no place in a
``DraftIndicator`` (coordinating units, notes) and a group heading's title all become warnings
that quote the text and name its source line.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext

from theodoi.core.numbers import parse_number
from theodoi.core.text import fold
from theodoi.importer.document import Block, Document, Paragraph
from theodoi.importer.draft import DraftIndicator, where
from theodoi.importer.recognise.tables import (
    LogicalRow,
    LogicalTable,
    lowest_label,
)
from theodoi.importer.recognise.targets import Target, levels, parse_target

_YEAR_RE = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_YEAR_ONLY_RE = re.compile(r"^(nam\s+)?20\d\d$")
# Section codes: Roman numerals, or capital letters in plans that group by A, B, C.
_SECTION_CODE_RE = re.compile(r"^(?:[IVXLC]+|[A-Z])$")
_ITEM_CODE_RE = re.compile(r"^\d{1,3}(?:\.\d{1,3})*$")
_CODE_IN_NAME_RE = re.compile(
    r"^\s*(?P<code>\d{1,3}(?:\.\d{1,3})*|[IVXLC]+)\s*[.)]\s*(?P<name>\S.*)$"
)
# A section row that only says which year its indicators aim at ("Đến năm 2030"), folded.
_YEAR_SECTION_RE = re.compile(
    r"^(chi tieu\s+)?(den|toi|trong)?\s*(het\s+)?(nam|giai doan)?\s*(20\d\d\s*[-–]\s*)?20\d\d$"
)
_RANK_UNITS = ("thu bac", "thu hang", "xep hang", "hang")
# "Đích" (the goal) and not "dịch vụ" (service), folded.
_TARGET_WORD_RE = re.compile(r"(?<![a-z])dich(?![a-z])(?!\s+vu)")


# --- Columns -------------------------------------------------------------------------------


@dataclass
class IndicatorColumns:
    """Where each field of an indicator sits in a table's header."""

    name: int
    code: int | None = None
    unit: int | None = None
    target: int | None = None
    target_year: int | None = None
    baseline: int | None = None
    baseline_year: int | None = None
    milestones: dict[int, int] = field(default_factory=dict)  # year → column
    lead: int | None = None
    monitoring: int | None = None
    person: int | None = None  # "Cá nhân/Cơ quan thực hiện"
    # Columns a DraftIndicator has no field for ("Đơn vị phối hợp", "Ghi chú", unknown ones):
    # their text goes to a warning so that nothing is dropped.
    other: list[int] = field(default_factory=list)

    @property
    def monitoring_or_person(self) -> int | None:
        # DraftIndicator has lead_unit and monitoring_unit only: the person or body that carries
        # the indicator out is the nearest thing to "who follows it" when no column says so.
        return self.monitoring if self.monitoring is not None else self.person

    def unplaced(self) -> list[int]:
        extra = [self.person] if self.monitoring is not None and self.person is not None else []
        return extra + self.other


def _has(folded: str, *words: str) -> bool:
    return any(re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", folded) for word in words)


def indicator_columns(header: list[str]) -> IndicatorColumns | None:
    """The columns of an indicator table, or None when ``header`` is not one: it needs a
    "Chỉ tiêu" column and a column with a level to reach, and no "Nhiệm vụ" column (a task
    table's "Kết quả" is an output, not a target)."""
    found: dict[str, int] = {}
    years: dict[str, int | None] = {}
    milestones: dict[int, int] = {}
    other: list[int] = []
    for index, label in enumerate(header):
        folded = fold(label)
        if not folded:
            continue
        label_years = [int(year) for year in _YEAR_RE.findall(folded)]
        kind = _column_kind(folded, bool(label_years))
        own = fold(lowest_label(label))
        if own != folded and _YEAR_ONLY_RE.match(own):
            # A year under a group cell ("Mục tiêu — 2026", "Lộ trình thực hiện — 2027"): a
            # milestone, the last year being the target (below); under "Năm cơ sở", the baseline.
            group = folded[: -len(own)]
            kind = "baseline" if _column_kind(group, False) == "baseline" else "milestone"
            label_years = [int(year) for year in _YEAR_RE.findall(own)]
        if kind == "task":
            return None
        if kind == "milestone" and label_years:
            milestones.setdefault(label_years[0], index)
        elif kind and kind not in found:
            found[kind] = index
            if kind == "baseline":
                years[kind] = label_years[0] if label_years else None
            elif kind == "target":
                years[kind] = label_years[-1] if label_years else None
        else:
            other.append(index)
    if "name" not in found or not ({"target", "baseline"} & found.keys() or milestones):
        return None
    columns = IndicatorColumns(
        name=found["name"],
        code=found.get("code"),
        unit=found.get("unit"),
        target=found.get("target"),
        target_year=years.get("target"),
        baseline=found.get("baseline"),
        baseline_year=years.get("baseline"),
        milestones=milestones,
        lead=found.get("lead"),
        monitoring=found.get("monitoring"),
        person=found.get("person"),
        other=other,
    )
    if columns.target is None and milestones:
        # Year columns without a target column: the last year is the target.
        last = max(milestones)
        columns.target, columns.target_year = milestones.pop(last), last
    return columns


def _column_kind(folded: str, has_year: bool) -> str:
    if folded in ("stt", "tt", "so tt", "so thu tu", "ma", "ma so", "ma chi tieu"):
        return "code"
    if _has(folded, "nhiem vu", "noi dung cong viec") and not _has(folded, "chi tieu"):
        return "task"
    if _has(folded, "co so", "hien trang", "nam goc"):
        return "baseline"
    if _TARGET_WORD_RE.search(folded) or _has(folded, "ket qua", "muc tieu"):
        return "target"
    if _has(folded, "chi tieu"):
        return "target" if has_year else "name"
    if _has(folded, "don vi tinh", "dvt"):
        return "unit"
    if _has(folded, "theo doi", "danh gia", "giam sat"):
        return "monitoring"
    if _has(folded, "chu tri"):
        return "lead"
    if _has(folded, "phoi hop", "ghi chu"):
        return ""
    if _has(folded, "ca nhan", "thuc hien"):
        return "person"
    if has_year and len(folded) <= 20:
        return "milestone"
    return ""


# --- Entry point ---------------------------------------------------------------------------


def indicators_from_tables(
    document: Document, tables: list[LogicalTable]
) -> tuple[list[DraftIndicator], list[str], list[LogicalTable]]:
    """Indicators of every indicator table among ``tables`` and of every table the document
    holds as one paragraph per line. Returns the indicators, the warnings and the tables used:
    the given ones that were indicator tables, plus the rebuilt paragraph tables (their rows'
    sources name the paragraphs they were rebuilt from)."""
    indicators: list[DraftIndicator] = []
    warnings: list[str] = []
    used: list[LogicalTable] = []
    for table in tables:
        columns = indicator_columns(table.header)
        if columns is None:
            continue
        found, found_warnings = read_indicator_table(table, columns)
        indicators.extend(found)
        warnings.extend(found_warnings)
        used.append(table)
    for table, rebuild_warnings in paragraph_tables(document):
        columns = indicator_columns(table.header)
        if columns is None:
            continue
        found, found_warnings = read_indicator_table(table, columns)
        indicators.extend(found)
        warnings.extend(rebuild_warnings + found_warnings)
        used.append(table)
    return indicators, warnings, used


# --- Rows to indicators --------------------------------------------------------------------


@dataclass
class _Section:
    code: str
    title: str
    year: int | None  # the year a "Đến năm 2030" section aims at
    source: str

    @property
    def is_year_group(self) -> bool:
        return self.year is not None and bool(_YEAR_SECTION_RE.match(fold(self.title)))


@dataclass
class _Read:
    indicator: DraftIndicator
    raw_code: str
    section: _Section | None
    parent: str  # the raw code of the group heading it belongs to, if any
    unplaced: str = ""  # text of the columns a DraftIndicator has no field for


def read_indicator_table(
    table: LogicalTable, columns: IndicatorColumns
) -> tuple[list[DraftIndicator], list[str]]:
    """Indicators of one indicator table. Section rows ("I Đến năm 2030", "II Phát triển hạ
    tầng") set the section and, when they name a year, the target year; an item with no level
    of its own whose code has children ("3" over "3.1"…) is a group heading, not an indicator."""
    warnings: list[str] = []
    default_year = columns.target_year or _context_year(table.context)
    codes = [_code_and_name(row, columns)[0] for row in table.rows]
    section: _Section | None = None
    groups: dict[str, tuple[str, str]] = {}  # raw code → (title, source)
    read: list[_Read] = []
    for row in table.rows:
        code, name = _code_and_name(row, columns)
        has_level = _has_level(row, columns)
        if _is_section_row(row, code, has_level):
            section = _Section(code, name, _last_year(name), row.source)
            continue
        children = any(other.startswith(f"{code}.") for other in codes)
        if not has_level and _ITEM_CODE_RE.match(code) and children:
            groups[code] = (name, row.source)
            continue
        if not name:
            place = where(_span(row.sources), capital=True)
            warnings.append(
                gettext(
                    "%(where)s: the row has no indicator name, so it was not imported: “%(row)s”."
                )
                % {"where": place, "row": _row_text(row)}
            )
            continue
        if not has_level:
            place = where(_span(row.sources), capital=True)
            warnings.append(
                gettext("%(where)s: indicator “%(name)s” states no level to reach.")
                % {"where": place, "name": name}
            )
        year = (section.year if section else None) or default_year
        indicator = build_indicator(row, columns, code=code, name=name, target_year=year)
        warnings.extend(levels_warnings(indicator, where(_span(row.sources), capital=True)))
        parent = _parent_code(code)
        parent = parent if parent in groups else ""
        read.append(_Read(indicator, code, section, parent, _unplaced_cells(row, table, columns)))
    _assign_codes(read)
    if groups:
        warnings.append(_groups_warning(table, groups))
    for item in read:
        # Columns an indicator has no field for ("Đơn vị phối hợp") are kept in its note.
        item.indicator.note = item.unplaced
    return [item.indicator for item in read], warnings


def _code_and_name(row: LogicalRow, columns: IndicatorColumns) -> tuple[str, str]:
    code = row.cell(columns.code).strip().rstrip(".").strip()
    name = " ".join(row.cell(columns.name).split())
    if not code:
        match = _CODE_IN_NAME_RE.match(name)
        if match:
            code, name = match.group("code"), match.group("name").strip()
    return code, name


def _level_columns(columns: IndicatorColumns) -> list[int]:
    indexes = [columns.target, columns.baseline, columns.unit, *columns.milestones.values()]
    return [index for index in indexes if index is not None]


def _has_level(row: LogicalRow, columns: IndicatorColumns) -> bool:
    return any(row.cell(index).strip() for index in _level_columns(columns))


def _is_section_row(row: LogicalRow, code: str, has_level: bool) -> bool:
    if has_level:
        return False
    if _SECTION_CODE_RE.match(code):
        return True
    return row.bold and not code


def _last_year(text: str) -> int | None:
    years = _YEAR_RE.findall(text)
    return int(years[-1]) if years else None


def _context_year(context: list[str]) -> int | None:
    for text in reversed(context):
        match = re.search(r"den nam (20\d\d)", fold(text))
        if match:
            return int(match.group(1))
    return None


def _parent_code(code: str) -> str:
    return code.rsplit(".", 1)[0] if "." in code else ""


def _row_text(row: LogicalRow) -> str:
    return " | ".join(cell.strip() for cell in row.cells if cell.strip())


def _unplaced_cells(row: LogicalRow, table: LogicalTable, columns: IndicatorColumns) -> str:
    parts = []
    for index in columns.unplaced():
        text = " ".join(row.cell(index).split())
        if text:
            label = table.header[index] or gettext("column %(number)s") % {"number": index + 1}
            parts.append(f"{label}: {text}")
    return "\n".join(parts)


def _groups_warning(table: LogicalTable, groups: dict[str, tuple[str, str]]) -> str:
    listed = "; ".join(
        f"{code} “{title}” ({where(source)})" for code, (title, source) in groups.items()
    )
    return gettext(
        "Indicator table at %(where)s: the following rows are group headings, not "
        "indicators; the indicators under them carry the group's code in the group field — "
        "%(listed)s."
    ) % {"where": where(table.source), "listed": listed}


def _assign_codes(read: list[_Read]) -> None:
    """Codes stay as the table writes them. When numbering restarts in each section, an item
    of a thematic section is cited with its section ("II.3") so codes stay unique; items under
    a year row ("Đến năm 2045") keep their numbers unless a number repeats."""
    restarts = any(count > 1 for count in Counter(item.raw_code for item in read).values())
    seen: set[str] = set()
    for item in read:
        section = item.section
        qualify = False
        if restarts and section and section.code:
            qualify = not section.is_year_group or item.raw_code in seen
        seen.add(item.raw_code)
        prefix = f"{section.code}." if qualify and section else ""
        item.indicator.code = f"{prefix}{item.raw_code}" if item.raw_code else ""
        if item.parent:
            item.indicator.group = f"{prefix}{item.parent}"
        else:
            item.indicator.group = section.code if section else ""


def build_indicator(
    row: LogicalRow,
    columns: IndicatorColumns,
    *,
    code: str,
    name: str,
    target_year: int | None,
) -> DraftIndicator:
    """One indicator from one row: the texts as written, and the numbers read from them."""
    target_text = _cell(row, columns.target)
    baseline_text = _cell(row, columns.baseline)
    milestone_texts = {
        year: text
        for year, index in sorted(columns.milestones.items())
        if (text := _cell(row, index))
    }
    target = read_target(target_text)
    comparator = target.comparator if target.value is not None else None
    value = target.value
    unit = _cell(row, columns.unit) or target.unit
    if not unit and any(
        "%" in text for text in (target_text, baseline_text, *milestone_texts.values())
    ):
        unit = "%"
    if value is not None and fold(unit) in _RANK_UNITS:
        # A rank: lower is better, so the target is a ceiling (DESIGN §4).
        comparator = "<="
    milestones = milestone_values(milestone_texts, level_value(baseline_text))
    return DraftIndicator(
        name=name,
        code=code,
        unit=unit,
        comparator=comparator,
        comparator_written=target.written and value is not None,
        target=value,
        target_text=target_text,
        target_year=target_year,
        baseline=level_value(baseline_text),
        baseline_year=columns.baseline_year if baseline_text else None,
        baseline_text=baseline_text,
        milestones=milestones,
        milestone_texts=milestone_texts,
        lead_unit=_cell(row, columns.lead),
        monitoring_unit=_cell(row, columns.monitoring_or_person),
        row=_span(row.sources),
    )


def milestone_values(texts: dict[int, str], baseline: Decimal | None) -> dict[int, Decimal]:
    """The level of each year; a cell that only says "Duy trì" (keep it up) keeps the level of
    the year before it, or the baseline's."""
    values: dict[int, Decimal] = {}
    previous = baseline
    for year, text in sorted(texts.items()):
        number = level_value(text)
        if number is None and fold(text) == "duy tri":
            number = previous
        if number is not None:
            values[year] = number
        previous = number
    return values


def _cell(row: LogicalRow, index: int | None) -> str:
    return " ".join(row.cell(index).split())


# A parenthesis holding words is a remark ("(Đã đạt)", "(Chưa có chỉ tiêu 2025)"), not a level;
# one holding only a number is the level itself ("(3%)").
_REMARK_RE = re.compile(r"\([^()]*[^\W\d_][^()]*\)?")
_YEAR_MENTION_RE = re.compile(r"\b(?:năm|nam)\s+20\d\d\b", re.IGNORECASE)


def _without_remarks(text: str) -> str:
    return " ".join(_YEAR_MENTION_RE.sub(" ", _REMARK_RE.sub(" ", text)).split())


_LONE_LEVEL_RE = re.compile(r"^(?P<sign>[≥≤<>]=?)?\s*(?P<number>\d[\d.,]*)\s*(?P<percent>%)?$")
_SIGNS = {"≥": ">=", ">=": ">=", "≤": "<=", "<=": "<=", ">": ">", "<": "<"}


def read_target(text: str) -> Target:
    """The target of a target cell. ``parse_target`` takes any value from 1900 to 2100 for a
    year; alone in a target cell ("2.000", "≥ 2000") it is the level itself, so such a cell is
    read here."""
    clean = _without_remarks(text)
    target = parse_target(clean)
    lone = _LONE_LEVEL_RE.match(clean)
    if target.value is None and lone:
        sign = _SIGNS.get(lone.group("sign") or "", ">=")
        return Target(
            sign,
            parse_number(lone.group("number")),
            lone.group("percent") or "",
            text,
            written=bool(lone.group("sign")),
        )
    return Target(
        target.comparator,
        target.value,
        target.unit,
        text,
        written=target.written,
        upper=target.upper,
    )


def levels_warnings(indicator: DraftIndicator, place: str) -> list[str]:
    """What a person must know when a target text sets more than the one level an indicator
    tracks: a range ("40 - 50"), or a second target ("Top 3 ASEAN, ≤ 50 thế giới"). The text
    stays whole in the target text; the warning says which level the draft tracks."""
    text = indicator.target_text
    if not text or indicator.target is None:
        return []
    found = levels(text)
    tracked = f"{_SIGN_TEXT.get(indicator.comparator or '', '')} {indicator.target}".strip()
    if indicator.unit == "%":
        tracked += "%"
    target = read_target(text)
    if target.upper is not None and len(found) <= 1:
        return [
            gettext(
                "%(where)s: the target of indicator “%(name)s” is a range, «%(text)s»; one level "
                "can be tracked, so the draft tracks its lower end (%(tracked)s) and keeps the "
                "whole text as the target text. Change the level if the range means another."
            )
            % {"where": place, "name": indicator.name[:80], "text": text, "tracked": tracked}
        ]
    if len(found) > 1:
        return [
            gettext(
                "%(where)s: the target of indicator “%(name)s” sets %(count)s levels (%(levels)s); "
                "one level can be tracked, so the draft tracks %(tracked)s and keeps the whole "
                "text as the target text. Split it into several indicators if each is to be "
                "tracked."
            )
            % {
                "where": place,
                "name": indicator.name[:80],
                "count": len(found),
                "levels": "; ".join(found),
                "tracked": tracked,
            }
        ]
    return []


_SIGN_TEXT = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def level_value(text: str) -> Decimal | None:
    """The level a baseline or milestone cell states: "Duy trì 100%" → 100, "(3%)" → 3,
    "(Chưa có chỉ tiêu 2025)" → None, "Duy trì" → None."""
    return parse_number(_without_remarks(text))


def _span(sources: list[str]) -> str:
    """A row rebuilt from many lines as one span: "line 550, …, line 589" → "line 550–589"."""
    numbers = [int(s[5:]) for s in sources if re.fullmatch(r"line \d+", s)]
    if len(sources) > 1 and len(numbers) == len(sources):
        return f"line {min(numbers)}–{max(numbers)}"
    return ", ".join(sources)


# --- Tables flattened to one paragraph per line --------------------------------------------
#
# The rules, for a PDF export where every cell is on lines of its own:
# 1. A paragraph "Stt Chỉ tiêu …" starts a header block; the block runs to the first section row
#    or item number. Its lines give the columns: "Stt", the name column, one value column per
#    year (a line "2026 2027 2028 2029" is four columns; "Mức / năm / 2025 / (Cơ sở)" is one),
#    then the unit columns, one per line that starts with a capital.
# 2. The same header block later (after a page break) is skipped.
# 3. A section row is the next Roman numeral followed by a title ("II Phát triển nguồn lực");
#    an item starts at a line holding only the next item number.
# 4. An item's lines are: the name (wrapped), exactly one cell per value column in order
#    (baseline, years…, target), then the unit columns. Wrapped lines continue a cell when they
#    start in lower case, follow an open parenthesis or a trailing "&", ",", ";"; a short
#    "Duy trì"/"Đạt" takes the number on the next line; a line of several numbers is several
#    cells. A unit cell starts at a line beginning with a unit's head word ("Phòng", "Văn
#    phòng", "Công chức", …). Where the name ends is chosen so that the counts come out
#    right, preferring the split that reads most value cells as numbers.
# 5. Whatever does not fit becomes a warning naming its source lines.

# A unit-of-measure column of a flattened header, folded; and the same label ending the first
# header line ("TT Chỉ tiêu Đơn vị tính").
_MEASURE_LABEL_RE = re.compile(r"^(?:don vi tinh|dvt|don vi do)$")
_MEASURE_TAIL_RE = re.compile(r"\s+(Đơn vị tính|ĐVT|Đơn vị đo)\s*$", re.IGNORECASE)
_HEADER_START_RE = re.compile(r"^(?P<code>stt|tt|so tt)\s+(?P<rest>.*chi tieu.*)$")
_ITEM_NUMBER_RE = re.compile(r"^(\d{1,3})\.?$")
_SECTION_LINE_RE = re.compile(r"^(?P<code>[IVXLC]+)\s*[.\-–)]?\s+(?P<title>\S.*)$")
_YEARS_LINE_RE = re.compile(r"^(?:20\d\d\s*){2,}$")
_VALUE_TOKEN_RE = re.compile(r"(?:[≥≤<>]=?\s*)?\(?\d[\d.,]*\s*%?\)?(?=\s|$)")
_NUMERIC_START_RE = re.compile(r"^(?:[≥≤<>]=?\s*)?\(?\d")
_ABBREVIATION_RE = re.compile(r"^[A-ZĐ]{1,5}$")
_CONTINUING_START = tuple("&),;-–")
_CONNECTOR_END = ("&", ",", ";", "-", "–", "/", "+")
_END_OF_TABLE = ("phu luc", "ghi chu", "noi nhan", "tm ", "tm.", "kt ", "kt.")
_ROMANS = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
]  # fmt: skip
# Head words of the ward's units and people, as a unit cell begins (DESIGN §1); words of the
# Vietnamese plan documents recognised, so they stay Vietnamese whatever the interface language.

_UNIT_HEADS = (
    "Phòng", "Văn phòng", "Trung tâm", "Công an", "Công chức", "Cán bộ", "Ban", "Ủy ban",
    "Uỷ ban", "UBMTTQ", "MTTQ", "Mặt trận", "Đảng ủy", "Đảng uỷ", "Chi bộ", "Trạm", "Tổ",
    "Các", "Cá nhân", "Doanh nghiệp", "Trường", "Hội", "Đoàn", "Bộ phận", "Chủ tịch",
    "Phó Chủ tịch", "Lãnh đạo", "Người đứng đầu", "Thường trực", "Hợp tác xã", "Bưu điện",
    "Ngân hàng", "Kho bạc", "Chi cục", "Viettel", "VNPT", "Cơ quan", "Đơn vị", "Tất cả",
)  # fmt: skip
_UNIT_HEAD_RE = re.compile(
    r"^(?:" + "|".join(re.escape(head) for head in _UNIT_HEADS) + r")(?![^\W\d_])"
)


@dataclass
class _Line:
    text: str
    source: str


@dataclass
class _Piece:
    """Part of a line: a whole line, or one of several cells written on one line."""

    text: str
    source: str
    starts_cell: bool = False  # the layout itself says a new cell starts here


@dataclass
class _Cell:
    pieces: list[_Piece]

    @property
    def text(self) -> str:
        return joined(piece.text for piece in self.pieces)

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(piece.source for piece in self.pieces))


@dataclass
class _Item:
    number: str
    source: str
    lines: list[_Line] = field(default_factory=list)


@dataclass
class _Header:
    labels: list[str]
    values: int  # how many value columns (baseline, years, target)
    units: int  # how many columns after them
    lines: list[str]
    # A unit-of-measure column ("Đơn vị tính", "ĐVT") between the name and the values.
    measure: bool = False


def paragraph_tables(document: Document) -> list[tuple[LogicalTable, list[str]]]:
    """Indicator tables that the document holds as one paragraph per line, rebuilt."""
    result: list[tuple[LogicalTable, list[str]]] = []
    blocks = document.blocks
    context: list[str] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if isinstance(block, Paragraph) and _HEADER_START_RE.match(fold(block.text)):
            rebuilt = _rebuild(blocks, index, context)
            if rebuilt is not None:
                table, warnings, index = rebuilt
                result.append((table, warnings))
                context = []
                continue
        if isinstance(block, Paragraph):
            context = (context + [block.text])[-4:]
        index += 1
    return result


def _paragraph_lines(blocks: list[Block], start: int) -> Iterable[tuple[int, Paragraph]]:
    for index in range(start, len(blocks)):
        block = blocks[index]
        if not isinstance(block, Paragraph):
            return
        yield index, block


def _rebuild(
    blocks: list[Block], start: int, context: list[str]
) -> tuple[LogicalTable, list[str], int] | None:
    header_lines: list[Paragraph] = []
    body_start = None
    for index, paragraph in _paragraph_lines(blocks, start):
        if header_lines and _starts_body(paragraph.text):
            body_start = index
            break
        header_lines.append(paragraph)
        if len(header_lines) > 40:
            return None
    if body_start is None:
        return None
    header = _parse_header([paragraph.text for paragraph in header_lines])
    if header is None or indicator_columns(header.labels) is None:
        return None
    rows, warnings, end = _read_body(blocks, body_start, header)
    table = LogicalTable(
        header=header.labels,
        rows=rows,
        source=header_lines[0].source,
        context=context,
    )
    return table, warnings, end


def _starts_body(text: str) -> bool:
    stripped = text.strip()
    section = _SECTION_LINE_RE.match(stripped)
    return bool(section and section.group("code") == "I") or stripped in ("1", "1.")


def _parse_header(lines: list[str]) -> _Header | None:
    """Column labels from the header block's lines (rule 1)."""
    first = re.match(r"^\s*(\S+)\s+(.*\S)\s*$", lines[0])
    if first is None:
        return None
    values: list[str] = []
    units: list[str] = []
    rest = [line.strip() for line in lines[1:] if line.strip()]
    name, measure = first.group(2), ""
    tail = _MEASURE_TAIL_RE.search(name)
    if tail:
        # "TT Chỉ tiêu Đơn vị tính" on one line.
        name, measure = name[: tail.start()].strip(), tail.group(1)
    elif rest and _MEASURE_LABEL_RE.match(fold(rest[0])):
        measure = rest.pop(0)
    elif len(rest) > 1 and _MEASURE_LABEL_RE.match(fold(f"{rest[0]} {rest[1]}")):
        measure = f"{rest.pop(0)} {rest.pop(0)}"  # "Đơn vị" / "tính"
    last_year_line = max((i for i, line in enumerate(rest) if _YEAR_RE.search(line)), default=-1)
    current: list[str] = []

    def flush() -> None:
        if current:
            label = " ".join(current)
            (values if _YEAR_RE.search(label) else units).append(label)
            current.clear()

    for index, line in enumerate(rest):
        has_year = bool(_YEAR_RE.search(" ".join(current)))
        in_values = index <= last_year_line or (has_year and line.startswith("("))
        if in_values:
            if _YEARS_LINE_RE.match(line):
                if has_year:
                    flush()
                # A lone group label over the year columns ("Lộ trình") is not a column.
                current.clear()
                values.extend(line.split())
                continue
            if has_year and not line.startswith("("):
                flush()
            current.append(line)
            continue
        if current and (has_year or _starts_upper(line)):
            flush()
        current.append(line)
    flush()
    if not values:
        return None
    labels = [first.group(1), name, *([measure] if measure else []), *values, *units]
    return _Header(
        labels=labels, values=len(values), units=len(units), lines=lines, measure=bool(measure)
    )


def _starts_upper(text: str) -> bool:
    return bool(text) and text[0].isupper()


def _read_body(
    blocks: list[Block], start: int, header: _Header
) -> tuple[list[LogicalRow], list[str], int]:
    """Section rows and items of the table (rules 2, 3), then each item split into cells."""
    header_keys = [fold(line) for line in header.lines]
    rows: list[LogicalRow] = []
    warnings: list[str] = []
    section: LogicalRow | None = None
    item: _Item | None = None
    items_in_section = 0
    last_number = 0
    next_roman = 0
    width = len(header.labels)
    end = len(blocks)
    index = start
    while index < len(blocks):
        block = blocks[index]
        if not isinstance(block, Paragraph) or block.heading or _ends_table(block.text):
            end = index
            break
        text = block.text.strip()
        folded = fold(text)
        if folded == header_keys[0]:
            index = _skip_header(blocks, index, header_keys)
            continue
        section_match = _SECTION_LINE_RE.match(text)
        number = _ITEM_NUMBER_RE.fullmatch(text)
        expected_roman = _ROMANS[next_roman] if next_roman < len(_ROMANS) else ""
        if section_match and section_match.group("code") == expected_roman:
            _close_item(item, rows, warnings, header)
            item = None
            next_roman += 1
            section = LogicalRow(
                cells=[section_match.group("code"), section_match.group("title").strip()]
                + [""] * (width - 2),
                sources=[block.source],
                bold=True,
            )
            rows.append(section)
            items_in_section = 0
        elif number and _is_next_item(int(number.group(1)), last_number, items_in_section):
            _close_item(item, rows, warnings, header)
            last_number = int(number.group(1))
            items_in_section += 1
            item = _Item(number.group(1), block.source)
        elif item is not None:
            item.lines.append(_Line(text, block.source))
        elif section is not None:
            # A section title wrapped onto a second line.
            section.cells[1] = f"{section.cells[1]} {text}"
            section.sources.append(block.source)
        else:
            warnings.append(
                gettext(
                    "%(where)s: the line “%(text)s” lies between the heading and the first row "
                    "of the indicator table and could not be placed in any cell."
                )
                % {"where": where(block.source, capital=True), "text": text}
            )
        index += 1
    _close_item(item, rows, warnings, header)
    return rows, warnings, end


def _is_next_item(number: int, last_number: int, items_in_section: int) -> bool:
    """Numbers run on, or restart at 1 in a new section: a lone "3" inside a wrapped cell is
    not taken for an item unless it is the number expected next."""
    return number == last_number + 1 or (number == 1 and items_in_section == 0)


def _ends_table(text: str) -> bool:
    folded = fold(text)
    return folded.startswith(_END_OF_TABLE)


def _skip_header(blocks: list[Block], index: int, header_keys: list[str]) -> int:
    """Past a repeated header block (rule 2): its lines, in any order, at most as many."""
    keys = set(header_keys)
    end = min(len(blocks), index + len(header_keys))
    for position in range(index, end):
        block = blocks[position]
        if not isinstance(block, Paragraph) or fold(block.text) not in keys:
            return position
    return end


def _close_item(
    item: _Item | None, rows: list[LogicalRow], warnings: list[str], header: _Header
) -> None:
    if item is None:
        return
    sources = [item.source] + [line.source for line in item.lines]
    cells, item_warnings = split_item(
        item.lines, header.values, header.units, source=_span(sources), measure=header.measure
    )
    rows.append(LogicalRow(cells=[item.number, *cells], sources=sources))
    warnings.extend(item_warnings)


def split_item(
    lines: list[_Line], values: int, units: int, *, source: str = "", measure: bool = False
) -> tuple[list[str], list[str]]:
    """An item's lines as cells: name, the unit of measure when ``measure`` (the line right
    after the name: "%", "Người/vạn dân"), ``values`` value cells, ``units`` unit cells (rule
    4). Every possible end of the name is tried; the split whose counts come out right and
    which reads most value cells as numbers wins."""
    if not lines:
        return [""] * (1 + int(measure) + values + units), []
    best: tuple[tuple[bool, bool, bool, int, int], str, list[_Cell], list[_Cell], int] | None
    best = None
    for end in range(1, len(lines) + 1):
        if end < len(lines) and not _may_start_cell(lines[:end], lines[end].text):
            continue
        pieces = [piece for line in lines[end:] for piece in _split_line(line)]
        measure_text, pieces = _measure_cell(pieces) if measure else ("", pieces)
        value_cells, used = _value_cells(pieces, values)
        unit_cells = _unit_cells(pieces[used:], units)
        units_ok = len(unit_cells) == units and not any(
            _NUMERIC_START_RE.match(cell.text) for cell in unit_cells
        )
        numeric = sum(1 for cell in value_cells if level_value(cell.text) is not None)
        measure_ok = bool(measure_text) or not measure
        score = (measure_ok, len(value_cells) == values, units_ok, numeric, -end)
        if best is None or score > best[0]:
            best = (score, measure_text, value_cells, unit_cells, end)
    assert best is not None
    (_, values_ok, units_ok, _, _), measure_text, value_cells, unit_cells, end = best
    name = joined(line.text for line in lines[:end])
    warnings: list[str] = []
    span = where(source or _span([line.source for line in lines]))
    if not values_ok:
        warnings.append(
            gettext(
                "%(where)s: only %(read)s/%(values)s figure cells of indicator “%(name)s” could "
                "be read; the missing cells are left empty, compare with the original."
            )
            % {
                "where": f"{span[:1].upper()}{span[1:]}",
                "read": len(value_cells),
                "values": values,
                "name": name,
            }
        )
    if not units_ok:
        warnings.append(
            gettext(
                "%(where)s: could not reliably split the %(units)s unit columns of indicator "
                "“%(name)s” (read: %(cells)s)."
            )
            % {
                "where": f"{span[:1].upper()}{span[1:]}",
                "units": units,
                "name": name,
                "cells": " | ".join(cell.text for cell in unit_cells) or gettext("none"),
            }
        )
    unit_texts = [cell.text for cell in unit_cells]
    if len(unit_texts) > units:
        # Extra text after the last unit column is kept in that column, and warned above.
        unit_texts = unit_texts[: units - 1] + ["; ".join(unit_texts[units - 1 :])]
    value_texts = [cell.text for cell in value_cells]
    return (
        [
            name,
            *([measure_text] if measure else []),
            *_padded(value_texts, values),
            *_padded(unit_texts, units),
        ],
        warnings,
    )


def _measure_cell(pieces: list[_Piece]) -> tuple[str, list[_Piece]]:
    """The unit of measure at the head of ``pieces`` ("%", "Điểm", "Người/vạn" + "dân"), and
    the pieces after it; none when the first piece is a level."""
    if not pieces or _NUMERIC_START_RE.match(pieces[0].text):
        return "", pieces
    taken = 1
    while taken < len(pieces) and pieces[taken].text[:1].islower():
        taken += 1  # a unit wrapped onto the next line
    return joined(piece.text for piece in pieces[:taken]), pieces[taken:]


def joined(texts: Iterable[str]) -> str:
    """Wrapped lines as one text; a word cut at its own hyphen ("TT-" / "BGDĐT") is rejoined."""
    result = ""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        glue = "" if re.search(r"\w-$", result) or not result else " "
        result = f"{result}{glue}{text}"
    return result


def _padded(texts: list[str], count: int) -> list[str]:
    return (texts + [""] * count)[:count] if count else []


def _open_paren(text: str) -> bool:
    return text.count("(") > text.count(")")


def _may_start_cell(before: list[_Line], text: str) -> bool:
    previous = " ".join(line.text for line in before)
    if _open_paren(previous) or previous.rstrip().endswith(_CONNECTOR_END):
        return False
    return bool(text) and not text.startswith(_CONTINUING_START) and not text[0].islower()


def _repeated(text: str) -> list[str]:
    """The same cell in several columns: "Duy trì Duy trì Duy trì" → three cells."""
    words = text.split()
    for size in range(1, len(words) // 2 + 1):
        if len(words) % size == 0 and words == words[:size] * (len(words) // size):
            return [" ".join(words[:size])] * (len(words) // size)
    return [text]


def _split_line(line: _Line) -> list[_Piece]:
    """A line as pieces: "≥ 60% 70% 80%" is three cells, "100% Trung tâm HCC Trung tâm HCC"
    a value then two units; "100% &" and "97% CB" stay whole."""
    rest = line.text.strip()
    tokens: list[str] = []
    while match := _VALUE_TOKEN_RE.match(rest):
        tokens.append(match.group(0).strip())
        rest = rest[match.end() :].strip()
    tail: list[str] = []
    if not tokens:
        tail = _repeated(rest)
    elif rest and (rest.startswith(_CONTINUING_START) or rest[0].islower() or _is_suffix(rest)):
        tokens[-1] = f"{tokens[-1]} {rest}"
    elif rest:
        tail = _repeated(rest)
    texts = tokens + tail
    return [
        _Piece(text, line.source, starts_cell=position > 0) for position, text in enumerate(texts)
    ]


def _is_suffix(text: str) -> bool:
    """An abbreviation after a number says what is counted ("97% CB", "98% VB")."""
    return bool(_ABBREVIATION_RE.match(text)) and not _UNIT_HEAD_RE.match(text)


def _segment(pieces: list[_Piece], joins: Callable[[_Cell, _Piece], bool]) -> list[_Cell]:
    cells: list[_Cell] = []
    for piece in pieces:
        if cells and not piece.starts_cell and joins(cells[-1], piece):
            cells[-1].pieces.append(piece)
        else:
            cells.append(_Cell([piece]))
    return cells


def _continues(cell: _Cell, text: str) -> bool:
    previous = cell.text.rstrip()
    return (
        _open_paren(previous)
        or previous.endswith(_CONNECTOR_END)
        or text.startswith(_CONTINUING_START)
        or text[0].islower()
    )


def _is_remark(text: str) -> bool:
    """A parenthesis holding words ("(Đã đạt)"): a note on a level, never a level itself."""
    stripped = text.strip()
    return stripped.startswith("(") and bool(_REMARK_RE.fullmatch(stripped))


def _joins_value(cell: _Cell, piece: _Piece) -> bool:
    text = piece.text
    if _continues(cell, text):
        return True
    has_digit = bool(re.search(r"\d", _without_remarks(cell.text)))
    if _is_remark(text) and has_digit:
        # "100%" over "(Đã đạt)": the note stays with the level it was written under.
        return True
    if _NUMERIC_START_RE.match(text):
        # "Duy trì" / "Đạt" over "100%": a short word on one line that the number completes.
        return (
            not has_digit
            and len(cell.pieces) == 1
            and len(cell.text.split()) <= 3
            and not cell.text.startswith("(")
        )
    return has_digit and _is_suffix(text)


def _value_cells(pieces: list[_Piece], count: int) -> tuple[list[_Cell], int]:
    """The first ``count`` value cells, and the index of the first piece after them.

    A short word takes the number on the next line ("Duy trì" / "100%") only while the pieces
    left can still fill the remaining cells: with four "Duy trì" and five numbers for six
    cells, one "Duy trì" stands alone rather than a cell going missing at the end."""
    cells: list[_Cell] = []
    end = next(
        (i for i, piece in enumerate(pieces) if _UNIT_HEAD_RE.match(piece.text)), len(pieces)
    )
    for index, piece in enumerate(pieces):
        joins = bool(cells) and not piece.starts_cell and _joins_value(cells[-1], piece)
        if joins and (
            not _takes_number(cells[-1], piece)
            or _can_fill(pieces[index + 1 : end], count - len(cells))
        ):
            cells[-1].pieces.append(piece)
            continue
        if len(cells) == count or _UNIT_HEAD_RE.match(piece.text):
            return cells, index
        cells.append(_Cell([piece]))
    return cells, len(pieces)


def _takes_number(cell: _Cell, piece: _Piece) -> bool:
    """A word cell ("Duy trì") completed by the number that follows: the one join that is a
    choice, since the word could be a cell of its own."""
    return bool(_NUMERIC_START_RE.match(piece.text)) and not re.search(r"\d", cell.text)


def _can_fill(rest: list[_Piece], cells: int) -> bool:
    """Whether ``rest`` holds at least ``cells`` pieces that may start a cell (a remark or a
    continuation never does)."""
    starts = sum(
        1
        for piece in rest
        if not _is_remark(piece.text)
        and not (piece.text[:1].islower() or piece.text.startswith(_CONTINUING_START))
    )
    return starts >= cells


def _joins_unit(cell: _Cell, piece: _Piece) -> bool:
    return _continues(cell, piece.text) or not _UNIT_HEAD_RE.match(piece.text)


def _unit_cells(pieces: list[_Piece], count: int) -> list[_Cell]:
    """Unit cells: a cell starts at a unit's head word; when that gives too few cells, a cell
    holding two units side by side ("Trung tâm PVHCC Văn phòng HĐND") is split between them."""
    cells = _segment(pieces, _joins_unit)
    while len(cells) < count:
        for position, cell in enumerate(cells):
            parts = _split_units(cell)
            if parts is not None:
                cells[position : position + 1] = list(parts)
                break
        else:
            break
    return cells


_NO_SPLIT_AFTER = ("va", "cua", "voi", "thuoc", "tai")


def _split_units(cell: _Cell) -> tuple[_Cell, _Cell] | None:
    text = cell.text
    for match in re.finditer(r"\s+", text):
        before, after = text[: match.start()], text[match.end() :]
        previous_word = before.split()[-1] if before.split() else ""
        if (
            _UNIT_HEAD_RE.match(after)
            and not previous_word.endswith(_CONNECTOR_END)
            and fold(previous_word) not in _NO_SPLIT_AFTER
        ):
            source = cell.pieces[0].source
            return _Cell([_Piece(before, source)]), _Cell([_Piece(after, cell.pieces[-1].source)])
    return None
