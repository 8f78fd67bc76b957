"""Scoring a set of answers against a framework (issue 8). Pure: the same function scores a
campaign's answers from the database, a file checked with ``theodoi score_assessment`` and the
answers a unit is typing in.

Decisions:

- A criterion answered "not applicable" (only where the framework allows it) scores nothing and
  leaves the maximum: the unit is measured on what applies to it. A criterion whose
  sub-criteria are all not applicable is not applicable itself.
- An unanswered criterion scores 0 of its maximum and is listed, so a half-filled form never
  looks better than it is.
- A criterion filled in from the tracking data (``source``) is not applicable to a unit for
  which the data has nothing to count, even where the framework allows no "not applicable".
- An answer that does not fit its rule (a percentage of 140, a choice that does not exist)
  scores 0 and carries a message in the person's language; nothing is guessed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _  # type: ignore[import-untyped]

from theodoi.assessment.framework import (
    CHOICE,
    COUNT,
    HUNDRED,
    MANUAL,
    PERCENT,
    YES_NO,
    ZERO,
    Criterion,
    Framework,
    _plain,
    number,
)

SCORED = "scored"
NOT_APPLICABLE = "not_applicable"
UNANSWERED = "unanswered"
INVALID = "invalid"

# Vietnamese on purpose: the words people write in an answers file or a form, in either language.
_YES = {"yes", "y", "true", "có", "co", "1", "đạt", "x"}
_NO = {"no", "n", "false", "không", "khong", "0", "chưa", "chua", "không đạt"}
_NA = {"n/a", "na", "không áp dụng", "khong ap dung", "kad", "—"}


@dataclass(frozen=True)
class Answer:
    """What a unit answered for one criterion: ``value`` as written (True/False, a number, a
    choice code or points), or not applicable."""

    value: Any = None
    not_applicable: bool = False
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.not_applicable and (self.value is None or self.value == "")


@dataclass(frozen=True)
class CriterionScore:
    code: str
    name: str
    group: str
    parent: str
    status: str
    points: Decimal
    max_points: Decimal
    answer: Any = None
    message: str = ""

    @property
    def percent(self) -> Decimal | None:
        if self.status == NOT_APPLICABLE or not self.max_points:
            return None
        return self.points * HUNDRED / self.max_points


@dataclass(frozen=True)
class GroupScore:
    code: str
    name: str
    points: Decimal
    max_points: Decimal

    @property
    def percent(self) -> Decimal | None:
        return self.points * HUNDRED / self.max_points if self.max_points else None


@dataclass(frozen=True)
class Result:
    criteria: tuple[CriterionScore, ...]
    groups: tuple[GroupScore, ...]
    points: Decimal
    max_points: Decimal
    # Answers that fit no criterion (an unknown code, a value for a criterion that is scored
    # by its sub-criteria): reported, never silently dropped.
    stray: tuple[str, ...] = ()

    @property
    def percent(self) -> Decimal | None:
        return self.points * HUNDRED / self.max_points if self.max_points else None

    @property
    def unanswered(self) -> list[str]:
        return [c.code for c in self.criteria if c.status == UNANSWERED]

    @property
    def problems(self) -> list[str]:
        mistakes = [f"{c.code}: {c.message}" for c in self.criteria if c.status == INVALID]
        return mistakes + list(self.stray)

    def by_code(self) -> dict[str, CriterionScore]:
        return {c.code: c for c in self.criteria}


# --- Reading answers --------------------------------------------------------------------------


def answer_from(raw: Any) -> Answer:
    """An answer as written in an answers file or a form: a scalar (``yes``, ``32.5``, ``b``,
    ``n/a``) or a mapping ``{value: …, not_applicable: true, note: …}``."""
    if isinstance(raw, Answer):
        return raw
    if isinstance(raw, Mapping):
        na = raw.get("not_applicable", False)
        na = na if isinstance(na, bool) else _word(na) in _YES
        value = raw.get("value", raw.get("points", raw.get("choice")))
        return Answer(value=value, not_applicable=na, note=str(raw.get("note") or "").strip())
    if isinstance(raw, str) and _word(raw) in _NA:
        return Answer(not_applicable=True)
    return Answer(value=raw)


def answers_from(raw: Any) -> dict[str, Answer]:
    """The answers of an answers file: ``{answers: {code: answer, …}}`` or the bare mapping."""
    if isinstance(raw, Mapping) and isinstance(raw.get("answers"), Mapping):
        raw = raw["answers"]
    if not isinstance(raw, Mapping):
        raise ValueError(
            _("The answers file needs an “answers” entry made of “criterion code: answer” pairs.")
        )
    return {str(code).strip(): answer_from(value) for code, value in raw.items()}


def _word(value: Any) -> str:
    # Vietnamese keyboards can type "có" as "co" plus a combining accent (Unicode tổ hợp);
    # NFC makes it the same word as the precomposed one.
    return " ".join(unicodedata.normalize("NFC", str(value)).lower().split())


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _word(value)
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


# --- Scoring ----------------------------------------------------------------------------------


def score_leaf(criterion: Criterion, answer: Answer | None) -> tuple[str, Decimal, str]:
    """(status, points, message) of one answered criterion."""
    rule = criterion.rule
    assert rule is not None
    if answer is None or answer.is_empty:
        return UNANSWERED, ZERO, _("Not answered yet.")
    if answer.not_applicable:
        # A criterion answered from the tracking data is not applicable when the data has
        # nothing to count (no task of the unit due yet): 0 of 0 is neither 100 % nor 0 %.
        if criterion.allow_not_applicable or criterion.source:
            return NOT_APPLICABLE, ZERO, ""
        return INVALID, ZERO, _("This criterion cannot be marked “not applicable”.")
    value = answer.value
    if rule.type == YES_NO:
        yes = _yes_no(value)
        if yes is None:
            return (
                INVALID,
                ZERO,
                _("Answer “yes” or “no”, not “%(value)s”.") % {"value": value},
            )
        points = (
            (rule.yes_points if rule.yes_points is not None else criterion.max_points)
            if yes
            else rule.no_points
        )
        return SCORED, points, ""
    if rule.type in (PERCENT, COUNT):
        amount = number(value)
        if amount is None:
            return INVALID, ZERO, _("Enter a number, not “%(value)s”.") % {"value": value}
        if amount < 0:
            return INVALID, ZERO, _("The value cannot be negative.")
        if rule.type == PERCENT and amount > HUNDRED:
            return INVALID, ZERO, _("The percentage must be from 0 to 100%.")
        if rule.type == COUNT and amount != amount.to_integral_value():
            return INVALID, ZERO, _("The count must be a whole number.")
        return SCORED, rule.band_points(amount), ""
    if rule.type == CHOICE:
        choice = rule.choice(str(value).strip())
        if choice is None:
            codes = ", ".join(c.code for c in rule.choices)
            return (
                INVALID,
                ZERO,
                _("There is no choice “%(value)s”; choose one of: %(codes)s.")
                % {"value": value, "codes": codes},
            )
        return SCORED, choice.points, ""
    if rule.type == MANUAL:
        entered = number(value)
        if entered is None or entered < 0 or entered > criterion.max_points:
            return (
                INVALID,
                ZERO,
                _("The points must be a number from 0 to %(max)s, not “%(value)s”.")
                % {"max": _plain(criterion.max_points), "value": value},
            )
        if entered != entered.quantize(Decimal("0.01")):
            return INVALID, ZERO, _("The points can have at most 2 decimal places.")
        return SCORED, entered, ""
    raise ValueError(rule.type)  # parse() admits no other rule


def score(framework: Framework, answers: Mapping[str, Answer | Any]) -> Result:
    """Points per criterion, per group and in total, with the maxima after not-applicable
    criteria are taken out. Scores are always computed here, never typed in."""
    answers = {code: answer_from(a) for code, a in answers.items()}
    rows: list[CriterionScore] = []
    groups: list[GroupScore] = []
    for group in framework.groups:
        group_points = group_max = ZERO
        for criterion in group.criteria:
            parent_answer = answers.get(criterion.code)
            parent_na = bool(
                parent_answer and parent_answer.not_applicable and criterion.allow_not_applicable
            )
            if criterion.is_leaf:
                status, points, message = score_leaf(criterion, parent_answer)
                maximum = ZERO if status == NOT_APPLICABLE else criterion.max_points
                rows.append(
                    CriterionScore(
                        code=criterion.code,
                        name=criterion.name,
                        group=group.code,
                        parent="",
                        status=status,
                        points=points,
                        max_points=maximum,
                        answer=_shown(parent_answer),
                        message=message,
                    )
                )
            else:
                children = []
                for sub in criterion.criteria:
                    sub_answer = Answer(not_applicable=True) if parent_na else answers.get(sub.code)
                    if parent_na and not sub.allow_not_applicable:
                        # The whole criterion was declared not applicable: so are its parts.
                        sub = _allowing_na(sub)
                    status, points, message = score_leaf(sub, sub_answer)
                    children.append(
                        CriterionScore(
                            code=sub.code,
                            name=sub.name,
                            group=group.code,
                            parent=criterion.code,
                            status=status,
                            points=points,
                            max_points=ZERO if status == NOT_APPLICABLE else sub.max_points,
                            answer=_shown(sub_answer),
                            message=message,
                        )
                    )
                points = sum((c.points for c in children), ZERO)
                maximum = sum((c.max_points for c in children), ZERO)
                all_na = all(c.status == NOT_APPLICABLE for c in children)
                rows.append(
                    CriterionScore(
                        code=criterion.code,
                        name=criterion.name,
                        group=group.code,
                        parent="",
                        status=NOT_APPLICABLE if all_na else SCORED,
                        points=points,
                        max_points=maximum,
                    )
                )
                rows.extend(children)
            group_points += points
            group_max += maximum
        groups.append(
            GroupScore(code=group.code, name=group.name, points=group_points, max_points=group_max)
        )
    return Result(
        criteria=tuple(rows),
        groups=tuple(groups),
        points=sum((g.points for g in groups), ZERO),
        max_points=sum((g.max_points for g in groups), ZERO),
        stray=tuple(_stray(framework, answers)),
    )


def _stray(framework: Framework, answers: Mapping[str, Answer]) -> list[str]:
    problems = []
    for code, answer in answers.items():
        criterion = framework.get(code)
        if criterion is None:
            problems.append(
                _("%(code)s: this code is not in the framework; the answer is not counted.")
                % {"code": code}
            )
        elif not criterion.is_leaf and not answer.is_empty:
            if not answer.not_applicable:
                problems.append(
                    _(
                        "%(code)s: this criterion is scored by its sub-criteria; answer each "
                        "sub-criterion."
                    )
                    % {"code": code}
                )
            elif not criterion.allow_not_applicable:
                problems.append(
                    _("%(code)s: This criterion cannot be marked “not applicable”.")
                    % {"code": code}
                )
    return problems


def _allowing_na(criterion: Criterion) -> Criterion:
    return replace(criterion, allow_not_applicable=True)


def _shown(answer: Answer | None) -> Any:
    if answer is None or answer.is_empty:
        return None
    if answer.not_applicable:
        return "n/a"
    value = answer.value
    if isinstance(value, bool | int | str):
        return value
    amount = number(value)
    return _plain(amount) if amount is not None else str(value)


def _round(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return _plain(value.quantize(Decimal("0.01")))


def result_as_json(framework: Framework, result: Result) -> dict[str, Any]:
    """The shape ``theodoi score_assessment --format json`` prints (docs/assessment.md)."""
    return {
        "framework": {"code": framework.code, "year": framework.year, "version": framework.version},
        "total": _round(result.points),
        "max_points": _round(result.max_points),
        "percent": _round(result.percent),
        "framework_max_points": _round(framework.max_points),
        "groups": [
            {
                "code": g.code,
                "name": g.name,
                "points": _round(g.points),
                "max_points": _round(g.max_points),
            }
            for g in result.groups
        ],
        "criteria": [
            {
                "code": c.code,
                "group": c.group,
                "parent": c.parent or None,
                "name": c.name,
                "status": c.status,
                "answer": c.answer,
                "points": _round(c.points),
                "max_points": _round(c.max_points),
                **({"message": c.message} if c.status == INVALID else {}),
            }
            for c in result.criteria
        ],
        "unanswered": result.unanswered,
        "problems": result.problems,
    }


def yes_no(value: Any) -> bool | None:
    """True/False for the ways a person answers yes or no ("có", "không", yes, 1…)."""
    return _yes_no(value)
