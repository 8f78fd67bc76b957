"""Reading an indicator's target as written ("≥ 90", "$\\geq 80\\%$", "đạt từ 70% trở lên",
"trong nhóm 10 đơn vị dẫn đầu") into a comparator, a value and a unit. Pure functions.

A sentence often holds several numbers ("Tỷ lệ … tốc độ trên 1Gbps đạt 100%", "Dân số từ 15 tuổi
trở lên có tài khoản … ≥ 95%"), so the target is chosen among them: a rank phrase first, then the
first percentage, then the first number with a written comparator, then the first bare number.
Numbers that belong to names, dates and references ("5G", "1Gbps", "57-NQ/TW", "16/5/2025",
"đến năm 2030") are never targets; "2000" or "2.000" alone is a count, not a year.
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


@dataclass(frozen=True)
class Target:
    comparator: str | None
    value: Decimal | None
    unit: str
    text: str
    # True when ``text`` itself writes the comparator ("≥ 90%", "từ 70% trở lên", a rank);
    # a bare "100%" is read as ">=" but says nothing of the kind.
    written: bool = field(default=False, compare=False)


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


def _candidates(clean: str, folded: str) -> list[_Candidate]:
    found = (_candidate(clean, folded, match) for match in _NUMBER_RE.finditer(folded))
    return [candidate for candidate in found if candidate is not None]


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
    )
    return TargetMatch(target, clean, chosen.start, chosen.end, explicit=bool(chosen.comparator))


def parse_target(text: str) -> Target:
    """The comparator, value and unit of a target; a target without a number is qualitative
    (comparator None). A bare number ("100%", "95") is a level to reach: ">="."""
    match = find_target(text)
    return match.target if match else Target(None, None, "", text)
