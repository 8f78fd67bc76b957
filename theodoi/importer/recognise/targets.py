"""Reading an indicator's target as written ("≥ 90", "$\\geq 80\\%$", "đạt từ 70% trở lên",
"trong nhóm 10 đơn vị dẫn đầu") into a comparator, a value and a unit. Pure functions.

A sentence often holds several numbers ("Tỷ lệ … tốc độ trên 1Gbps đạt 100%", "Dân số từ 15 tuổi
trở lên có tài khoản … ≥ 95%"), so the target is chosen among them: a rank phrase first, then the
first percentage, then the first number with a written comparator, then the first bare number.
Numbers that belong to names, dates and references ("5G", "1Gbps", "57-NQ/TW", "16/5/2025",
"ngày 22 tháng 12 năm 2024", "đến năm 2030") are never targets; "2000" or "2.000" alone is a
count, not a year. A range ("40 - 50%", "từ 8 đến 10%") is read as its lower end, the upper end
kept in ``Target.upper``; ``levels`` lists every level a text sets, to say when there are several.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from theodoi.core.numbers import parse_number
from theodoi.plans.deadline import normalize_text

# A number standing on its own: not glued to letters ("5G", "H2"), slashes or dashes (dates,
# "57-NQ/TW", "2026-2030"), so names and references are not read as targets.
_NUMBER_RE = re.compile(r"(?<![\w/.,-])\d+(?:[.,]\d+)*(?![\w/]|-\w|[.,]\d)")
_PERCENT_RE = re.compile(r"\s*%")
# Comparators written just before the number, folded; the word nearest the number decides
# ("tối thiểu trên 70%" is "> 70"). Longer phrases come first so "không dưới" is not "dưới".
_BEFORE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:>=|≥|=>)\s*$"), ">="),
    (re.compile(r"(?:<=|≤|=<)\s*$"), "<="),
    (re.compile(r"(?<!\w)(?:khong duoi|khong it hon|toi thieu|it nhat)\s*$"), ">="),
    (re.compile(r"(?<!\w)(?:khong qua|khong vuot qua|toi da)\s*$"), "<="),
    (re.compile(r"(?:>|(?<!\w)(?:tren|hon|vuot))\s*$"), ">"),
    (re.compile(r"(?:<|(?<!\w)duoi)\s*$"), "<"),
]
# "từ" (from) folds to "tu" like "tử" in "điện tử 100%", so it is matched with its diacritics.
_FROM_RE = re.compile(r"(?<!\w)từ\s*$")
# "từ 60% dân số trở lên": the comparator may follow the number by a few words.
_AFTER: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:\s+[^\s;,.]+){0,3}?\s+tro len"), ">="),
    (re.compile(r"(?:\s+[^\s;,.]+){0,3}?\s+tro xuong"), "<="),
]
_YEAR_CONTEXT_RE = re.compile(
    r"(?:(?<!\w)(?:nam|den|toi|giai doan|nhiem ky|quy [ivx]+)|\d{4}\s*-)\s*$"
)
# A place in a ranking: lower is better whatever the words ("trong nhóm 10 đơn vị dẫn đầu").
_RANK_RE = re.compile(
    r"(?<!\w)(?:trong\s+nhom|trong\s+top|top|thu\s+hang|xep\s+hang|dung\s+thu|thuoc\s+nhom)"
    r"\D{0,40}?(?<![\w/.,-])(\d+)(?![\w/%]|\s*%)"
)


# The number after "ngày" or "tháng" is a day or a month ("ngày 22 tháng 12 năm 2024", "đến
# tháng 6"), never a level; the year is told apart by its own context.
_DATE_PART_RE = re.compile(r"(?<!\w)(?:ngày|tháng)\s+(\d{1,2})(?!\d)", re.IGNORECASE)
# A range: "40 - 50", "16–18%", "từ 8 đến 10%" (folded: "den", "toi"). A year range
# ("2026-2030") and a date ("22-12-2024") are no ranges of levels.
_RANGE_RE = re.compile(
    r"(?<![\w/.,-])(?P<low>\d+(?:[.,]\d+)?)\s*(?P<low_percent>%)?\s*(?:-|–|—|den\s|toi\s)\s*"
    r"(?P<high>\d+(?:[.,]\d+)?)(?:(?P<high_percent>\s*%)|(?![\w/%]|[.,]\d|\s*[-–/]\s*\d))"
)


@dataclass(frozen=True)
class Target:
    comparator: str | None
    value: Decimal | None
    unit: str
    text: str
    # True when ``text`` itself writes the comparator ("≥ 90%", "từ 70% trở lên", a rank);
    # a bare "100%" is read as ">=" but says nothing of the kind.
    written: bool = field(default=False, compare=False)
    # The upper end when the text sets a range ("40 - 50"): the value is its lower end, the
    # level to reach at least; an indicator tracks one level, so the range is said.
    upper: Decimal | None = field(default=None, compare=False)


@dataclass(frozen=True)
class TargetMatch:
    """Where the target sits in ``clean`` (the normalised text), for cutting a name from it."""

    target: Target
    clean: str
    start: int
    end: int
    rank: bool = False
    # True when the comparator is written ("≥", "từ … trở lên", "trên") rather than implied by
    # a bare number.
    explicit: bool = False

    @property
    def measurable(self) -> bool:
        """A rank, a percentage or a written comparator: a bare count may be anything."""
        return self.rank or self.explicit or self.target.unit == "%"


@dataclass(frozen=True)
class _Candidate:
    value: Decimal
    start: int
    end: int
    comparator: str | None
    percent: bool
    upper: Decimal | None = None


def fold_aligned(text: str) -> str:
    """Lower case without diacritics, one character for one, so indices found in the folded
    text cut the readable text at the same place."""
    folded: list[str] = []
    for char in text:
        if char in "đĐ":
            folded.append("d")
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        lower = base.lower()
        folded.append(lower if len(lower) == 1 else char)
    return "".join(folded)


def _is_year(folded: str, match: re.Match[str]) -> bool:
    """ "năm 2030", "đến 2030": a year, where "2000" alone or "2.000" is a count."""
    token = match.group(0)
    if not (len(token) == 4 and token.isdigit() and 1900 <= int(token) <= 2100):
        return False
    return bool(_YEAR_CONTEXT_RE.search(folded[max(0, match.start() - 15) : match.start()]))


def _comparator_before(clean: str, folded: str, start: int) -> tuple[str, int] | None:
    """The comparator written just before position ``start``, and where it begins."""
    window = max(0, start - 30)
    for pattern, comparator in _BEFORE:
        found = pattern.search(folded[window:start])
        if found:
            return comparator, window + found.start()
    found = _FROM_RE.search(clean[window:start].lower())
    return (">=", window + found.start()) if found else None


def _comparator_after(folded: str, end: int) -> tuple[str, int] | None:
    """The comparator a few words after the number ("… dân số trở lên"), and where it ends."""
    for pattern, comparator in _AFTER:
        found = pattern.match(folded, end)
        if found:
            return comparator, found.end()
    return None


def _candidate(clean: str, folded: str, match: re.Match[str]) -> _Candidate | None:
    value = parse_number(match.group(0))
    percent_match = _PERCENT_RE.match(folded, match.end())
    percent = percent_match is not None
    if value is None or (not percent and _is_year(folded, match)):
        return None
    start, end = match.start(), percent_match.end() if percent_match else match.end()
    before = _comparator_before(clean, folded, start)
    after = _comparator_after(folded, end)
    if after:
        end = after[1]  # "từ 60% dân số trở lên": the phrase runs to "trở lên"
    if before:
        return _Candidate(value, before[1], end, before[0], percent)
    return _Candidate(value, start, end, after[0] if after else None, percent)


def _is_year_value(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2100


def _ranges(clean: str, folded: str) -> list[_Candidate]:
    """Ranges of levels ("40 - 50", "từ 8 đến 10%"), read as their lower end."""
    found = []
    for match in _RANGE_RE.finditer(folded):
        low, high = parse_number(match.group("low")), parse_number(match.group("high"))
        if low is None or high is None or high <= low:
            continue  # "2 - 1" is no range; "2026 - 2030" is checked below
        if _is_year_value(match.group("low")) or _is_year_value(match.group("high")):
            continue
        percent = bool(match.group("low_percent") or match.group("high_percent"))
        start = match.start()
        before = _comparator_before(clean, folded, start)
        comparator = before[0] if before else None
        if before:
            start = before[1]
        found.append(_Candidate(low, start, match.end(), comparator, percent, upper=high))
    return found


def _candidates(clean: str, folded: str) -> list[_Candidate]:
    dates = {match.start(1) for match in _DATE_PART_RE.finditer(clean)}
    ranges = _ranges(clean, folded)
    found = (
        _candidate(clean, folded, match)
        for match in _NUMBER_RE.finditer(folded)
        if match.start() not in dates and not any(r.start <= match.start() < r.end for r in ranges)
    )
    singles = [candidate for candidate in found if candidate is not None]
    return sorted(singles + ranges, key=lambda candidate: candidate.start)


def find_target(text: str) -> TargetMatch | None:
    """The target in ``text`` and where it is, or None when the text states no number."""
    clean = normalize_text(text).replace("\n", " ")
    folded = fold_aligned(clean)
    rank = _RANK_RE.search(folded)
    if rank and not (len(rank.group(1)) == 4 and rank.group(1).startswith(("19", "20"))):
        target = Target("<=", parse_number(rank.group(1)), "", text, written=True)
        return TargetMatch(target, clean, rank.start(), rank.end(), rank=True, explicit=True)
    candidates = _candidates(clean, folded)
    chosen = (
        next((c for c in candidates if c.percent), None)
        or next((c for c in candidates if c.comparator), None)
        or next(iter(candidates), None)
    )
    if chosen is None:
        return None
    target = Target(
        chosen.comparator or ">=",
        chosen.value,
        "%" if chosen.percent else "",
        text,
        written=bool(chosen.comparator),
        upper=chosen.upper,
    )
    return TargetMatch(
        target,
        clean,
        chosen.start,
        chosen.end,
        explicit=bool(chosen.comparator) or chosen.upper is not None,
    )


# Counting the levels a text sets: every rank ("nhóm 3 …, nhóm 50 …", "top 10"), every
# percentage, every number with a sign ("≤ 50"), a range being one.
_RANK_ANY_RE = re.compile(r"(?<!\w)(?:nhom|top|thu hang|xep hang|dung thu)\s+(\d+)(?![\w/%]|\s*%)")


def levels(text: str) -> list[str]:
    """The levels ``text`` sets, as written, in order: "Top 3 ASEAN, ≤ 50 thế giới" gives
    "Top 3" and "≤ 50"; "từ 16 - 18%" one range. An indicator tracks one level, so a text with
    more than one (or a range) is said to the person who checks the draft."""
    clean = normalize_text(text).replace("\n", " ")
    folded = fold_aligned(clean)
    spans: list[tuple[int, int]] = []
    for match in _RANK_ANY_RE.finditer(folded):
        if not _is_year_value(match.group(1)):
            spans.append((match.start(), match.end()))
    for candidate in _candidates(clean, folded):
        # A bare number counts with a sign before it ("≤ 50"); with words only it is as often
        # a condition of the name ("dân số từ 15 tuổi trở lên") as a level.
        signed = bool(candidate.comparator) and clean[candidate.start] in "≥≤<>="
        measurable = candidate.percent or signed or candidate.upper is not None
        overlaps = any(start < candidate.end and candidate.start < end for start, end in spans)
        if measurable and not overlaps:
            spans.append((candidate.start, candidate.end))
    return [clean[start:end].strip() for start, end in sorted(spans)]


def parse_target(text: str) -> Target:
    """The comparator, value and unit of a target; a target without a number is qualitative
    (comparator None). A bare number ("100%", "95") is a level to reach: ">="."""
    match = find_target(text)
    return match.target if match else Target(None, None, "", text)
