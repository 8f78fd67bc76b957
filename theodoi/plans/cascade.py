"""Which upper-level task a ward's task carries out ("cụ thể hóa"): pure functions.

A ward's plan repeats the province's tasks in its own words, often with the same code or under
a section of the same name. A ward task is proposed the upper task whose wording it shares most
(tokens of the text folded without diacritics), a shared code or section counting a little on
top; below ``THRESHOLD`` nothing is proposed, and a person confirms every proposal.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from theodoi.core.text import fold, fold_key

# Words of Vietnamese plan documents that say nothing about which task is meant: they stay
# Vietnamese whatever the interface language.
_STOP_WORDS = frozenset(
    [
        "va",
        "cac",
        "cua",
        "cho",
        "trong",
        "tren",
        "theo",
        "voi",
        "tai",
        "ve",
        "de",
        "la",
        "co",
        "duoc",
        "nhung",
        "mot",
        "nay",
        "do",
        "tu",
        "den",
        "khi",
    ]
)
# Below this score a task proposes nothing: about a third of the words shared.
THRESHOLD = 0.3
# How much a shared code, or a section of the same code or name, adds to the wording's score.
CODE_WEIGHT = 0.2
SECTION_WEIGHT = 0.1


@dataclass(frozen=True)
class TaskText:
    """What is compared of a task: its code, its title, and the code and titles of the section
    (or heading task) it stands under."""

    code: str
    title: str
    section_code: str = ""
    section_titles: tuple[str, ...] = ()


def words(text: str) -> list[str]:
    """The words of ``text`` folded (lower case, no diacritics, no punctuation), without the
    words every task uses; all of them when nothing else is left."""
    every = fold_key(text).split()
    content = [word for word in every if word not in _STOP_WORDS]
    return content or every


def _pairs(items: list[str]) -> set[tuple[str, str]]:
    return set(zip(items, items[1:], strict=False))


def _dice(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def wording(a: str, b: str) -> float:
    """How much two texts share, from 0 to 1: the overlap of their words and of their pairs of
    neighbouring words (a Vietnamese word is often two syllables). 1 for the same words."""
    first, second = words(a), words(b)
    if not first or not second:
        return 0.0
    if first == second:
        return 1.0
    single = _dice(set(first), set(second))
    pairs_a, pairs_b = _pairs(first), _pairs(second)
    if not pairs_a or not pairs_b:
        return single
    return (single + _dice(pairs_a, pairs_b)) / 2


def _code(code: str) -> str:
    return code.strip().strip(".").lower()


def _same_section(lower: TaskText, upper: TaskText) -> bool:
    if _code(lower.section_code) and _code(lower.section_code) == _code(upper.section_code):
        return True
    return any(
        wording(mine, theirs) >= 0.5
        for mine in lower.section_titles
        for theirs in upper.section_titles
        if mine.strip() and theirs.strip()
    )


def score(lower: TaskText, upper: TaskText) -> float:
    """How well ``upper`` fits as the task ``lower`` carries out: the wording they share,
    raised by a shared code and a shared section. 0 when they share no word, whatever the
    code says: a code alone names different work in different plans."""
    shared = wording(lower.title, upper.title)
    if shared == 0:
        return 0.0
    bonus = 0.0
    if _code(lower.code) and _code(lower.code) == _code(upper.code):
        bonus += CODE_WEIGHT
    if _same_section(lower, upper):
        bonus += SECTION_WEIGHT
    return shared * (1 + bonus)


def propose(lower: TaskText, uppers: Sequence[TaskText]) -> int | None:
    """The index in ``uppers`` of the task ``lower`` most likely carries out, or None when no
    score reaches ``THRESHOLD``. Ties go to the first, so the answer is the same every time."""
    best: int | None = None
    best_score = THRESHOLD
    for index, upper in enumerate(uppers):
        value = score(lower, upper)
        if value > best_score or (value == best_score and best is None):
            best, best_score = index, value
    return best


_SPACED = re.compile(r"\s*([/-])\s*")


def _number_key(text: str) -> str:
    return _SPACED.sub(r"\1", " ".join(text.lower().split()))


def names_plan(text: str, number: str) -> bool:
    """Whether ``text`` (a "Căn cứ/Thực hiện Kế hoạch số …" line) names the plan numbered
    ``number``, whatever the case, the diacritics and the spaces around "/" and "-"."""
    wanted = _number_key(fold(number))
    if not re.search(r"\d", wanted):
        return False
    return bool(re.search(rf"(?<![\w/-]){re.escape(wanted)}(?![\w/-])", _number_key(fold(text))))
