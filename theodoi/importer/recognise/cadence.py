"""How often a plan asks its units to report, read from the plan's own sentences. Pure.

Plans state it in the body, in words rather than a table: "Yêu cầu các đơn vị phải thực hiện
báo cáo tiến độ hàng tuần, tháng, Quý trên hệ thống", "định kỳ hàng Quý … báo cáo kết quả thực
hiện", "Định kỳ hàng năm trước ngày 30/11 … báo cáo UBND phường … kết quả triển khai". The
reading only proposes: the person checking the draft confirms or changes it.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from theodoi.core.text import fold

# From the finest to the coarsest: a plan asking for weekly, monthly and quarterly reports
# needs its units to report every week; the monthly and quarterly ones are compiled from them.
_ORDER = ("weekly", "monthly", "quarterly", "half_yearly", "yearly")
_WORDS = {"tuan": "weekly", "thang": "monthly", "quy": "quarterly", "nam": "yearly"}

_WORD = r"(?:tuan|thang|quy|nam)"
# "hằng/hàng tuần, tháng, Quý", "định kỳ tháng và quý": a cadence word and the list after it;
# "hằng năm 2026" is a year, not a cadence.
_EVERY_RE = re.compile(
    rf"\b(?:hang|dinh ky)\s+(?P<words>{_WORD}(?:\s*(?:,|va|hoac|/)\s*{_WORD})*)\b(?!\s*\d)"
)
# "báo cáo tháng, quý", "báo cáo định kỳ quý" (not "báo cáo năm 2025", a year's report).
_NOUN_RE = re.compile(
    r"\bbao cao\s+(?:dinh ky\s+)?(?P<words>(?:tuan|thang|quy)(?:\s*(?:,|va|hoac|/)\s*"
    rf"{_WORD})*)\b(?!\s*\d)"
)
_HALF_RE = re.compile(
    r"\b(?:(?:hang|moi|dinh ky)\s+(?:6|sau)\s+thang|(?:6|sau)\s+thang\s*/\s*lan)\b"
)
# A sentence about the units' reports on the plan, not about "cảnh báo" (alerts) or about a
# task whose product is a report.
_REPORT_RE = re.compile(r"\bbao cao\b")
_SUBJECT_RE = re.compile(r"\b(?:ket qua|tien do|tinh hinh)\b")
_SENTENCE_END_RE = re.compile(r"(?<=[.;!?])\s+")
_SHOWN = 400  # characters of the sentence shown beside the choice
_MARKUP_RE = re.compile(r"[*_#`]+|<[^>]{1,20}>")


@dataclass(frozen=True)
class CadenceHint:
    cycle: str = ""  # one of plans.periods.CYCLES, or "" when the text states none
    sentence: str = ""  # the sentence it was read from, as written


def reporting_cycle_of(paragraphs: Iterable[str]) -> CadenceHint:
    """The finest reporting cycle the plan's sentences ask of its units, with the sentence
    that says so."""
    best: CadenceHint | None = None
    for sentence in _sentences(paragraphs):
        folded = fold(sentence)
        if not _REPORT_RE.search(folded) or not _SUBJECT_RE.search(folded):
            continue
        cycles = _cycles_in(folded)
        if not cycles:
            continue
        finest = min(cycles, key=_ORDER.index)
        if best is None or _ORDER.index(finest) < _ORDER.index(best.cycle):
            best = CadenceHint(finest, sentence.strip(" -")[:_SHOWN])
    return best or CadenceHint()


def _sentences(paragraphs: Iterable[str]) -> list[str]:
    """Sentences, with a paragraph that goes on in lower case joined to the one before: a
    sentence broken across lines (as PDF text often is) is read whole."""
    blocks: list[str] = []
    for paragraph in paragraphs:
        text = " ".join(_MARKUP_RE.sub(" ", paragraph).split())
        if not text:
            continue
        if blocks and text[0].islower():
            blocks[-1] += " " + text
        else:
            blocks.append(text)
    return [sentence for block in blocks for sentence in _SENTENCE_END_RE.split(block)]


def _cycles_in(folded: str) -> set[str]:
    cycles = set()
    for pattern in (_EVERY_RE, _NOUN_RE):
        for match in pattern.finditer(folded):
            cycles.update(_WORDS[word] for word in re.findall(_WORD, match.group("words")))
    if _HALF_RE.search(folded):
        cycles.add("half_yearly")
    return cycles
