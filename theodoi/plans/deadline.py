"""Parse the deadline cells of Vietnamese plans ("Thời hạn", "Thời gian hoàn thành") into dates.

Pure functions over plain data (DESIGN §3): the importer, the models, the alert scan and the API
all read deadlines through `parse_deadline`, so one cell always means the same thing everywhere.
The original text is kept verbatim; the parsed form only adds to it.

How a cell is read:

1. `normalize_text` removes what the conversion from Word/PDF left behind (HTML tags, LaTeX,
   Markdown emphasis, odd spaces and dashes).
2. The text is folded (lower case, no diacritics, "đ" -> "d") so that "Quý I/2026", "quy 1/2026"
   and "QUÝ I NĂM 2026" look alike.
3. References to other documents ("Kế hoạch số 92/KH-UBND", "66.7/2025/NQ-CP ngày 15/11/2025",
   "204-QĐ/TW") are blanked out, because their numbers and dates are not this task's deadline.
4. Dated mentions are found in priority order (day > quarter > month > year range > year), each
   consuming its span so that "Quý 1/2026" is never also read as "1/2026" or "2026".
5. A cell whose clauses carry two or more dated mentions holds several deadlines: each becomes a
   part, and the cell as a whole takes the earliest one and is flagged for review.
"""

from __future__ import annotations

import calendar
import html
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

__all__ = [
    "DeadlineKind",
    "ParsedDeadline",
    "Recurrence",
    "normalize_text",
    "occurrences",
    "parse_deadline",
]


class DeadlineKind(StrEnum):
    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    RANGE = "range"
    RECURRING = "recurring"
    EVENT = "event"
    UNKNOWN = "unknown"


class Recurrence(StrEnum):
    NONE = ""
    CONTINUOUS = "continuous"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"


@dataclass(frozen=True)
class ParsedDeadline:
    """A deadline cell and what it means.

    `due_date` is the day the task is due: the day itself, the last day of a month, quarter or
    year, the end of the last year of a closed range, and for recurring deadlines (and open-ended
    ranges) the first due date when a year is known. `anchor_month`/`anchor_day` place a yearly
    deadline inside the year ("Quý I hàng năm" -> month 3; "trước ngày 05/12 hàng năm" -> 5/12);
    `anchor_day` also places monthly and quarterly ones ("trước ngày 15 của tháng cuối quý").
    """

    text: str
    kind: DeadlineKind
    due_date: date | None
    recurrence: Recurrence
    first_year: int | None
    last_year: int | None
    anchor_month: int | None
    needs_review: bool
    parts: tuple[ParsedDeadline, ...] = ()
    anchor_day: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "kind": self.kind.value,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "recurrence": self.recurrence.value,
            "first_year": self.first_year,
            "last_year": self.last_year,
            "anchor_month": self.anchor_month,
            "anchor_day": self.anchor_day,
            "needs_review": self.needs_review,
            "parts": [part.to_dict() for part in self.parts],
        }


# --- Normalisation -----------------------------------------------------------------------------

# Tags that end a line in the source document; their boundaries can separate two deadlines
# ("<li>- Quý I/2026</li><li>- Năm 2026</li>"), so they become line breaks, not nothing.
_BLOCK_TAG_RE = re.compile(r"</?(?:br|p|li|ul|ol|div|tr|td|th|table)\b[^<>]*>", re.IGNORECASE)
# Only real tags: "< 5%" or "> 1 Gbps" in a cell are comparators, not markup.
_INLINE_TAG_RE = re.compile(r"</?[a-zA-Z][^<>]*>")
_LATEX_MATH_RE = re.compile(r"\$([^$]*)\$")
_LATEX_COMMAND_RE = re.compile(r"\\([a-zA-Z]+|%)")
_LATEX_SYMBOLS = {
    "geq": "≥",
    "ge": "≥",
    "leq": "≤",
    "le": "≤",
    "neq": "≠",
    "ne": "≠",
    "gt": ">",
    "lt": "<",
    "times": "×",
    "approx": "≈",
    "pm": "±",
    "%": "%",
}
_EMPHASIS_RE = re.compile(r"\*+")
_DASHES = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"}
)
_INVISIBLE_RE = re.compile(r"[\u200b\u200c\u200d\ufeff]")
_SPACES_RE = re.compile(r"[^\S\n]+")


def _latex_command(match: re.Match[str]) -> str:
    return _LATEX_SYMBOLS.get(match.group(1), "")


def _latex_math(match: re.Match[str]) -> str:
    inner = _LATEX_COMMAND_RE.sub(_latex_command, match.group(1))
    return inner.replace("{", "").replace("}", "")


def normalize_text(text: str, *, keep_dashes: bool = False) -> str:
    """Return the text without conversion remnants, for parsing only (the original is kept).

    Line breaks survive (collapsed to one) because they separate list items; every other run
    of whitespace becomes one space. Dashes of every width become "-" for parsing, unless
    ``keep_dashes`` (text shown to people keeps the document's own "–").
    """
    result = unicodedata.normalize("NFC", html.unescape(text))
    result = _BLOCK_TAG_RE.sub("\n", result)
    result = _INLINE_TAG_RE.sub("", result)
    result = _LATEX_MATH_RE.sub(_latex_math, result)
    # Outside $...$ only known symbols are replaced: a stray backslash may be real text.
    result = _LATEX_COMMAND_RE.sub(lambda m: _LATEX_SYMBOLS.get(m.group(1), m.group(0)), result)
    result = _EMPHASIS_RE.sub("", result)
    result = _INVISIBLE_RE.sub("", result)
    if not keep_dashes:
        result = result.translate(_DASHES)
    lines = (_SPACES_RE.sub(" ", line).strip() for line in result.splitlines())
    return "\n".join(line for line in lines if line)


def _fold(text: str) -> str:
    """Lower-case and strip diacritics character by character, keeping every index in place.

    Index alignment lets a clause found in the folded text be cut from the readable text.
    """
    folded: list[str] = []
    for char in text:
        if char in "đĐðÐ":
            folded.append("d")
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        ).lower()
        folded.append(base if len(base) == 1 else char)
    return "".join(folded)


# --- References to other documents --------------------------------------------------------------

_YEAR = r"(20\d\d|2100)"  # years are plausible only in 2000-2100
_REF_DATE = (
    r"(?:\s*,?\s*(?:ban hanh\s*)?ngay\s*"
    r"(?:\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{1,2}\s*thang\s*\d{1,2}\s*nam\s*\d{4}))?"
)
# "92/KH-UBND", "66.7/2025/NQ-CP", "204-QĐ/TW", "57/2024/QH15", with the issue date if it follows.
_DOC_NUMBER_RE = re.compile(
    r"(?:\bso\s*:?\s*)?\b\d+(?:[.,]\d+)*(?:/\d{4})?[/-][a-z][a-z0-9]{0,9}"
    r"(?:\s*[-/]\s*[a-z][a-z0-9]{0,9})*\b" + _REF_DATE
)
# "Kế hoạch số 92 ngày 15/11/2025": a document named by type and bare number.
_DOC_BY_TYPE_RE = re.compile(
    r"\b(?:ke hoach|kh|nghi quyet|nq|quyet dinh|qd|cong van|thong bao|chi thi|van ban|"
    r"nghi dinh|thong tu|luat|chuong trinh|de an)\s*(?:so\s*:?\s*)?\d+(?:[.,]\d+)*\b" + _REF_DATE
)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _mask_references(folded: str) -> str:
    """Blank out document numbers and their issue dates (same length, so indexes still align)."""
    return _DOC_BY_TYPE_RE.sub(_blank, _DOC_NUMBER_RE.sub(_blank, folded))


# --- Dated mentions ------------------------------------------------------------------------------

_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = r"(iv|iii|ii|i|[1-4])(?![a-z0-9])"
_FULL_DATE_RE = re.compile(
    r"(?<![\d.,/])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*" + _YEAR + r"(?!\d)"
)
_WORD_DATE_RE = re.compile(
    r"\bngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:,\s*)?nam\s*" + _YEAR + r"(?!\d)"
)
# "6 tháng đầu năm 2026" is the first half-year, due at the end of June.
_HALF_YEAR_RE = re.compile(r"\b6\s*thang\s*(dau|cuoi)\s*(?:cua\s*)?(?:nam\s*)?" + _YEAR + r"(?!\d)")
_QUARTER_RE = re.compile(
    r"\b(?:quy|q\.?)\s*" + _QUARTER + r"\s*(?:[/-]|,)?\s*(?:nam\s*)?" + _YEAR + r"(?!\d)"
)
_MONTH_RE = re.compile(r"\bthang\s*(\d{1,2})\s*[/-]?\s*(?:nam\s*)?" + _YEAR + r"(?!\d)")
_BARE_MONTH_RE = re.compile(r"(?<![\d.,/])(\d{1,2})\s*/\s*" + _YEAR + r"(?!\d)")
_RANGE_RE = re.compile(
    r"(?<![\w.,/])(?:nam\s*)?"
    + _YEAR
    + r"\s*(?:-|den|toi)\s*(?:het\s*)?(?:nam\s*)?"
    + _YEAR
    + r"(?!\d)"
)
# "đến (hết) năm 2030": a year that closes a recurring deadline, or simply the due year.
_UNTIL_YEAR_RE = re.compile(r"\b(?:den|toi)\s*(?:het\s*)?(?:nam\s*)?" + _YEAR + r"(?![\w%]|[.,]\d)")
_YEAR_RE = re.compile(r"(?<![\w.,/])(?:nam\s*)?" + _YEAR + r"(?![\w%]|[.,/]\d)")
# Without a year these only anchor a recurring deadline or take the plan's year.
_YEARLESS_QUARTER_RE = re.compile(r"\bquy\s*" + _QUARTER + r"(?!\s*/)")
_YEARLESS_WORD_DATE_RE = re.compile(r"\bngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\b")
_YEARLESS_DATE_RE = re.compile(r"(?<![\d.,/])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])")
_YEARLESS_MONTH_RE = re.compile(r"\bthang\s*(\d{1,2})(?![\d/])")
_DAY_ONLY_RE = re.compile(r"\bngay\s*(\d{1,2})(?![\d/.-])")


@dataclass(frozen=True)
class _Mention:
    kind: DeadlineKind
    start: int
    year: int | None  # None: no year written
    month: int | None  # the month the deadline falls in (quarter 2 -> 6, a year -> 12)
    day: int | None = None  # None: the last day of the month
    last_year: int | None = None  # ranges only
    until: bool = False  # "đến năm 2030"

    def due(self, year: int | None = None) -> date | None:
        year = self.year if year is None else year
        if year is None or self.month is None:
            return None
        if self.kind is DeadlineKind.RANGE and self.last_year is not None:
            year = self.last_year
        return _day_in_month(year, self.month, self.day)


def _day_in_month(year: int, month: int, day: int | None) -> date:
    """The given day of the month, or its last day; a day past the month's end is clipped."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, last if day is None else min(day, last))


def _valid_day(day: int, month: int, year: int | None) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    return day <= calendar.monthrange(year if year is not None else 2000, month)[1]


_Builder = Callable[[re.Match[str]], "_Mention | None"]


def _find_mentions(folded: str) -> list[_Mention]:
    """Every date-like mention in the (folded, masked) text, in reading order."""
    text = folded
    found: list[_Mention] = []

    def scan(pattern: re.Pattern[str], build: _Builder) -> None:
        nonlocal text
        for match in pattern.finditer(text):
            mention = build(match)
            if mention is not None:
                found.append(mention)
                # Consumed: a weaker pattern must not read "Quý 1/2026" again as "1/2026".
                text = (
                    text[: match.start()]
                    + " " * (match.end() - match.start())
                    + text[match.end() :]
                )

    scan(_FULL_DATE_RE, lambda m: _date_mention(m.start(), int(m[1]), int(m[3]), int(m[4])))
    scan(_WORD_DATE_RE, lambda m: _date_mention(m.start(), int(m[1]), int(m[2]), int(m[3])))
    scan(
        _HALF_YEAR_RE,
        lambda m: _Mention(DeadlineKind.MONTH, m.start(), int(m[2]), 6 if m[1] == "dau" else 12),
    )
    scan(
        _QUARTER_RE,
        lambda m: _Mention(DeadlineKind.QUARTER, m.start(), int(m[2]), _ROMAN_QUARTERS[m[1]] * 3),
    )
    scan(_MONTH_RE, lambda m: _month_mention(m.start(), int(m[1]), int(m[2])))
    scan(_BARE_MONTH_RE, lambda m: _month_mention(m.start(), int(m[1]), int(m[2])))
    scan(_RANGE_RE, lambda m: _range_mention(m.start(), int(m[1]), int(m[2])))
    scan(
        _UNTIL_YEAR_RE, lambda m: _Mention(DeadlineKind.YEAR, m.start(), int(m[1]), 12, until=True)
    )
    scan(_YEAR_RE, lambda m: _Mention(DeadlineKind.YEAR, m.start(), int(m[1]), 12))
    scan(
        _YEARLESS_QUARTER_RE,
        lambda m: _Mention(DeadlineKind.QUARTER, m.start(), None, _ROMAN_QUARTERS[m[1]] * 3),
    )
    scan(_YEARLESS_WORD_DATE_RE, lambda m: _date_mention(m.start(), int(m[1]), int(m[2]), None))
    scan(_YEARLESS_DATE_RE, lambda m: _date_mention(m.start(), int(m[1]), int(m[2]), None))
    scan(_YEARLESS_MONTH_RE, lambda m: _month_mention(m.start(), int(m[1]), None))
    scan(
        _DAY_ONLY_RE,
        lambda m: (
            _Mention(DeadlineKind.DATE, m.start(), None, None, int(m[1]))
            if 1 <= int(m[1]) <= 31
            else None
        ),
    )
    return sorted(found, key=lambda mention: mention.start)


def _date_mention(start: int, day: int, month: int, year: int | None) -> _Mention | None:
    if not _valid_day(day, month, year):
        return None
    return _Mention(DeadlineKind.DATE, start, year, month, day)


def _month_mention(start: int, month: int, year: int | None) -> _Mention | None:
    return _Mention(DeadlineKind.MONTH, start, year, month) if 1 <= month <= 12 else None


def _range_mention(start: int, first: int, last: int) -> _Mention | None:
    if first > last:
        return None  # not a range; the two years are read one by one
    if first == last:
        return _Mention(DeadlineKind.YEAR, start, first, 12)
    return _Mention(DeadlineKind.RANGE, start, first, 12, last_year=last)


# --- Recurrence, open-ended ranges and events ----------------------------------------------------

_UNIT_MONTHS = {"thang": 1, "quy": 3, "nam": 12}
_PERIOD_BY_MONTHS = {
    1: Recurrence.MONTHLY,
    3: Recurrence.QUARTERLY,
    6: Recurrence.HALF_YEARLY,
    12: Recurrence.YEARLY,
}
# "6 tháng/lần", "quý/lần", "1 năm một lần", "mỗi 6 tháng".
_TIMES_RE = re.compile(r"(?:\b(\d{1,2})\s*)?\b(tuan|thang|quy|nam)\s*(?:/|mot|1)\s*lan\b")
_EVERY_N_RE = re.compile(r"\bmoi\s*(\d{1,2})\s*(tuan|thang|quy|nam)\b")
# "Hàng năm", "hằng quý", "mỗi tháng".
_EVERY_RE = re.compile(r"\b(?:hang|moi)\s*(ngay|tuan|thang|quy|nam)\b")
_HALF_YEARLY_RE = re.compile(r"\b(?:hang|moi)?\s*nua\s*nam\b(?!\s*(?:dau|cuoi))")
_CONTINUOUS_RE = re.compile(r"\b(?:thuong xuyen|lien tuc|dinh ky)\b")
_OPEN_ENDED_RE = re.compile(
    r"\b(?:cac|nhung)\s*nam\s*(?:tiep\s*theo|tiep|sau(?:\s*do)?|ke\s*tiep)\b|\btro\s*di\b"
)
# The deadline waits for something else to happen or to be decided elsewhere. "tiếp theo"
# ("following") is not a reference to guidance.
_EVENT_RE = re.compile(
    r"\bsau khi\b|\bngay sau\b|\bkhi\b|(?<!tiep )\btheo\b|\bdot xuat\b|\bkip thoi\b"
)


def _period(count: int, unit: str) -> Recurrence:
    if unit == "ngay":
        return Recurrence.CONTINUOUS  # daily work is continuous for tracking purposes
    if unit == "tuan":
        return Recurrence.WEEKLY if count == 1 else Recurrence.NONE
    return _PERIOD_BY_MONTHS.get(count * _UNIT_MONTHS[unit], Recurrence.NONE)


def _find_recurrence(folded: str) -> Recurrence:
    """The period a cell repeats on; an explicit period wins over "thường xuyên"."""
    periods: list[tuple[int, Recurrence]] = []
    for match in _TIMES_RE.finditer(folded):
        periods.append((match.start(), _period(int(match[1] or 1), match[2])))
    for match in _EVERY_N_RE.finditer(folded):
        periods.append((match.start(), _period(int(match[1]), match[2])))
    for match in _EVERY_RE.finditer(folded):
        periods.append((match.start(), _period(1, match[1])))
    for match in _HALF_YEARLY_RE.finditer(folded):
        periods.append((match.start(), Recurrence.HALF_YEARLY))
    explicit = [p for p in sorted(periods) if p[1] not in (Recurrence.NONE, Recurrence.CONTINUOUS)]
    if explicit:
        return explicit[0][1]
    if _CONTINUOUS_RE.search(folded) or any(p[1] is Recurrence.CONTINUOUS for p in periods):
        return Recurrence.CONTINUOUS
    return Recurrence.NONE


# --- Parsing -------------------------------------------------------------------------------------


def parse_deadline(text: str, *, plan_year: int | None = None) -> ParsedDeadline:
    """Read one deadline cell; `plan_year` supplies the year when the cell names none."""
    readable = normalize_text(text)
    folded = _mask_references(_fold(readable))
    found: list[ParsedDeadline] = []
    for start, end in _deadline_groups(folded):
        label = readable[start:end].strip(" \n-•+.,;:")
        found.extend(_parse_region(label, folded[start:end], plan_year))
    unique: list[ParsedDeadline] = []
    for candidate in found:
        if all(_meaning(candidate) != _meaning(seen) for seen in unique):
            unique.append(candidate)
    if len(unique) == 1:
        return replace(unique[0], text=text)
    return _combine(text, unique)


def _meaning(parsed: ParsedDeadline) -> tuple[object, ...]:
    return (
        parsed.kind,
        parsed.due_date,
        parsed.recurrence,
        parsed.first_year,
        parsed.last_year,
        parsed.anchor_month,
        parsed.anchor_day,
    )


def _clauses(folded: str) -> list[tuple[int, int]]:
    """Spans between top-level separators (, ; line break, and a full stop before a space).

    Separators inside brackets do not count: "(Theo KH số 92/KH-UBND, ngày ...)" is one note.
    """
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for index, char in enumerate(folded):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif depth == 0 and (char in ",;\n" or char == "." and _ends_sentence(folded, index)):
            spans.append((start, index))
            start = index + 1
    spans.append((start, len(folded)))
    return spans


def _ends_sentence(text: str, index: int) -> bool:
    """A full stop followed by a space or the end; "66.7" or "1.200" are numbers, not ends."""
    return index + 1 == len(text) or text[index + 1].isspace()


def _deadline_groups(folded: str) -> list[tuple[int, int]]:
    """Split the cell into one span per deadline it states.

    A cell is split only when at least two clauses each carry a dated mention ("- Sổ tay ... quý
    I/2026. - Hồ sơ ... năm 2026."). Otherwise the whole cell is read at once, so that qualifiers
    in other clauses ("Quý I, hàng năm"; "..., theo hướng dẫn của tỉnh") still apply. Clauses
    without a date join the deadline they follow (or the first one), so no text is lost.
    """
    clauses = _clauses(folded)
    dated = [any(m.year is not None for m in _find_mentions(folded[s:e])) for s, e in clauses]
    if sum(dated) < 2:
        return [(0, len(folded))]
    groups: list[list[int]] = []  # [start, end, has_date]
    for (start, end), has_date in zip(clauses, dated, strict=True):
        if not groups or (has_date and groups[-1][2]):
            groups.append([start, end, int(has_date)])
        else:
            groups[-1][1] = end
            groups[-1][2] |= int(has_date)
    return [(group[0], group[1]) for group in groups]


_SPECIFIC_KINDS = (DeadlineKind.DATE, DeadlineKind.MONTH, DeadlineKind.QUARTER)


def _parse_region(label: str, folded: str, plan_year: int | None) -> list[ParsedDeadline]:
    """Read one deadline; several dated mentions in it give several results."""
    mentions = _find_mentions(folded)
    dated = [m for m in mentions if m.year is not None]
    recurrence = _find_recurrence(folded)
    if recurrence is Recurrence.YEARLY:
        return [_recurring(label, recurrence, mentions, plan_year)]
    if recurrence is not Recurrence.NONE:
        # A dated day, month or quarter can anchor a yearly deadline ("Quý I/2026 hàng năm")
        # but not a shorter period: "Thường xuyên, hoàn thành trước Quý IV/2026" is ongoing
        # work plus a fixed deadline, so both are kept.
        specific = [m for m in dated if m.kind in _SPECIFIC_KINDS]
        rest = [m for m in mentions if m not in specific]
        return [_recurring(label, recurrence, rest, plan_year)] + [
            _fixed(label, mention) for mention in specific
        ]
    if dated and _OPEN_ENDED_RE.search(folded):
        return [_open_ended(label, dated[0])]
    if dated:
        return [_fixed(label, mention) for mention in dated]
    # A bare day ("ngày 15") only ever anchors a recurring deadline.
    yearless = [m for m in mentions if m.month is not None]
    if yearless and plan_year is not None:
        return [_fixed(label, replace(mention, year=plan_year)) for mention in yearless]
    if yearless:
        first = yearless[0]
        return [_undated(label, first.kind, anchor_month=first.month, anchor_day=first.day)]
    kind = DeadlineKind.EVENT if _EVENT_RE.search(folded) else DeadlineKind.UNKNOWN
    return [_undated(label, kind)]


def _undated(
    label: str,
    kind: DeadlineKind,
    *,
    anchor_month: int | None = None,
    anchor_day: int | None = None,
) -> ParsedDeadline:
    """A deadline without a due date: an officer has to set one, so it is flagged for review."""
    return ParsedDeadline(
        text=label,
        kind=kind,
        due_date=None,
        recurrence=Recurrence.NONE,
        first_year=None,
        last_year=None,
        anchor_month=anchor_month,
        needs_review=True,
        anchor_day=anchor_day,
    )


def _fixed(label: str, mention: _Mention) -> ParsedDeadline:
    return ParsedDeadline(
        label,
        mention.kind,
        mention.due(),
        Recurrence.NONE,
        mention.year,
        mention.last_year if mention.last_year is not None else mention.year,
        None,
        False,
    )


def _open_ended(label: str, mention: _Mention) -> ParsedDeadline:
    """ "Năm 2025 và những năm tiếp theo": due at the end of the first year, then every year."""
    anchored = mention.kind in _SPECIFIC_KINDS
    return ParsedDeadline(
        label,
        DeadlineKind.RANGE,
        replace(mention, kind=DeadlineKind.YEAR).due(),
        Recurrence.YEARLY,
        mention.year,
        None,
        mention.month if anchored else None,
        False,
        anchor_day=mention.day if anchored else None,
    )


def _recurring(
    label: str, recurrence: Recurrence, mentions: list[_Mention], plan_year: int | None
) -> ParsedDeadline:
    """A repeating deadline; dated mentions give its first (and last) year and its anchor."""
    # A month, quarter or day named in the text places the deadline inside each period:
    # "Quý I hàng năm" is due at the end of March every year.
    anchors = [m for m in mentions if m.kind not in (DeadlineKind.YEAR, DeadlineKind.RANGE)]
    anchor_month = next((m.month for m in anchors if m.month is not None), None)
    anchor_day = next((m.day for m in anchors if m.day is not None), None)
    if recurrence is not Recurrence.YEARLY:
        anchor_month = None  # a month means nothing inside a month, quarter or half-year
    if recurrence in (Recurrence.CONTINUOUS, Recurrence.WEEKLY):
        anchor_day = None
    starts = [m.year for m in mentions if m.year is not None and not m.until]
    ends = [
        m.last_year if m.last_year is not None else m.year
        for m in mentions
        if m.kind is DeadlineKind.RANGE or m.until
    ]
    first_year = min(starts) if starts else plan_year
    last_year = max(year for year in ends if year is not None) if ends else None
    if first_year is not None and last_year is not None and last_year < first_year:
        last_year = None
    parsed = ParsedDeadline(
        label,
        DeadlineKind.RECURRING,
        None,
        recurrence,
        first_year,
        last_year,
        anchor_month,
        False,
        anchor_day=anchor_day,
    )
    if first_year is None:
        return parsed
    first_due = occurrences(parsed, start=date(first_year, 1, 1), end=date(first_year, 12, 31))
    return replace(parsed, due_date=first_due[0] if first_due else None)


def _combine(text: str, parts: list[ParsedDeadline]) -> ParsedDeadline:
    """Several deadlines in one cell: keep them all and let the earliest stand for the cell.

    The earliest is the one that can be missed first, so alerts fire in time; the review flag
    asks an officer to split the task into subtasks (DESIGN §3). For a cell like "Quý I/2026
    hoàn thành xây dựng Đề án, triển khai nhiệm vụ theo phân kỳ năm 2026" this is also what the
    cell means: the task's output (the Đề án) is due in Q1; the rest is follow-up work in 2026.
    """
    ordered = sorted(
        enumerate(parts),
        key=lambda item: (item[1].due_date is None, item[1].due_date or date.max, item[0]),
    )
    earliest = ordered[0][1]
    first_years = [p.first_year for p in parts if p.first_year is not None]
    open_ended = any(p.recurrence is not Recurrence.NONE and p.last_year is None for p in parts)
    last_years = [p.last_year for p in parts if p.last_year is not None]
    return replace(
        earliest,
        text=text,
        needs_review=True,
        parts=tuple(parts),
        first_year=min(first_years) if first_years else None,
        last_year=None if open_ended or not last_years else max(last_years),
    )


# --- Occurrences ---------------------------------------------------------------------------------

_PERIOD_END_MONTHS = {
    Recurrence.MONTHLY: tuple(range(1, 13)),
    Recurrence.QUARTERLY: (3, 6, 9, 12),
    Recurrence.HALF_YEARLY: (6, 12),
}


def occurrences(
    parsed: ParsedDeadline, *, start: date, end: date, cycle: Recurrence = Recurrence.QUARTERLY
) -> list[date]:
    """Every due date of the deadline in [start, end], in order.

    A fixed deadline is due once; a recurring one at the end of each period (or on its anchor
    day) within its first and last year. "Thường xuyên" has no period of its own, so it is due
    on the plan's reporting `cycle` (quarter ends unless told otherwise). Events and unknown
    deadlines have no due date until an officer sets one.
    """
    if end < start:
        return []
    if parsed.parts:
        found = {
            d for part in parsed.parts for d in occurrences(part, start=start, end=end, cycle=cycle)
        }
        return sorted(found)
    if parsed.recurrence is Recurrence.NONE:
        due = parsed.due_date
        return [due] if due is not None and start <= due <= end else []
    low = start if parsed.first_year is None else max(start, date(parsed.first_year, 1, 1))
    high = end if parsed.last_year is None else min(end, date(parsed.last_year, 12, 31))
    if high < low:
        return []
    recurrence = parsed.recurrence
    if recurrence is Recurrence.CONTINUOUS:
        recurrence = (
            cycle
            if cycle not in (Recurrence.NONE, Recurrence.CONTINUOUS)
            else (Recurrence.QUARTERLY)
        )
    return [
        due
        for due in _period_ends(
            recurrence, low.year, high.year, parsed.anchor_month, parsed.anchor_day
        )
        if low <= due <= high
    ]


def _period_ends(
    recurrence: Recurrence,
    first_year: int,
    last_year: int,
    anchor_month: int | None,
    anchor_day: int | None,
) -> Iterator[date]:
    if recurrence is Recurrence.WEEKLY:
        # A week ends on Sunday (ISO 8601).
        day = date(first_year, 1, 1)
        day += timedelta(days=6 - day.weekday())
        while day.year <= last_year:
            yield day
            day += timedelta(days=7)
        return
    months = _PERIOD_END_MONTHS.get(recurrence, (anchor_month or 12,))
    for year in range(first_year, last_year + 1):
        for month in months:
            yield _day_in_month(year, month, anchor_day)
