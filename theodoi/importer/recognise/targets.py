"""Reading an indicator's target as written ("≥ 90", "$\\geq 80\\%$", "đạt từ 70% trở lên",
"trong nhóm 10 đơn vị dẫn đầu") into a comparator, a value and a unit. Pure functions."""

import re
from dataclasses import dataclass
from decimal import Decimal

from theodoi.core.text import fold
from theodoi.importer.numbers import parse_number
from theodoi.plans.deadline import normalize_text

_NUMBER = r"\d[\d.,]*"
# Folded phrases, checked in order; the first that matches decides the comparator.
_RANK_RE = re.compile(rf"(trong\s+nhom|top|thu\s+hang|xep\s+hang|dung\s+thu|thuoc\s+nhom)\D{{0,40}}?({_NUMBER})")
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"(>=|≥|=>)\s*({_NUMBER})"), ">="),
    (re.compile(rf"(<=|≤|=<)\s*({_NUMBER})"), "<="),
    (re.compile(rf"(tu|toi thieu|it nhat|khong duoi|khong it hon)\s+({_NUMBER})"), ">="),
    (re.compile(rf"({_NUMBER})\s*%?[^\d]{{0,30}}tro len"), ">="),
    (re.compile(rf"(khong qua|toi da|khong vuot qua)\s+({_NUMBER})"), "<="),
    (re.compile(rf"(>|tren|hon)\s*({_NUMBER})"), ">"),
    (re.compile(rf"(<|duoi)\s*({_NUMBER})"), "<"),
]
_UNIT_AFTER_RE = re.compile(rf"{_NUMBER}\s*(%|[a-zA-ZÀ-ỹđĐ/]+(?:\s*/\s*[a-zA-ZÀ-ỹđĐ]+(?:\s+[a-zA-ZÀ-ỹđĐ]+)?)?)")


@dataclass(frozen=True)
class Target:
    comparator: str | None
    value: Decimal | None
    unit: str
    text: str


def _unit_after_number(text: str) -> str:
    match = _UNIT_AFTER_RE.search(text)
    if not match:
        return ""
    unit = match.group(1).strip()
    return "%" if unit.startswith("%") else ""


def parse_target(text: str) -> Target:
    """The comparator, value and unit of a target; a target without a number is qualitative
    (comparator None). A bare number ("100%", "95") is a level to reach: ">="."""
    clean = normalize_text(text)
    folded = fold(clean).replace(",", ",")
    rank = _RANK_RE.search(folded)
    if rank:
        return Target("<=", parse_number(rank.group(2)), "", text)
    for pattern, comparator in _PATTERNS:
        match = pattern.search(folded)
        if match:
            number = match.group(2) if match.lastindex and match.lastindex >= 2 else match.group(1)
            value = parse_number(number)
            if value is not None:
                return Target(comparator, value, _unit_after_number(clean[match.start():]), text)
    value = parse_number(folded)
    if value is None:
        return Target(None, None, "", text)
    return Target(">=", value, _unit_after_number(clean), text)
