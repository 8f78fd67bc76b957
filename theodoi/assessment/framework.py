"""Assessment frameworks as data (issue 8): groups → criteria → sub-criteria, each scored by a
rule. Pure: parsing and checking a framework written by a person (YAML, Excel or the database's
JSON all come through ``parse``), and writing it back out without loss.

The documented shape (docs/assessment.md)::

    code: ward-dx            # stays the same from year to year
    name: Bộ tiêu chí …
    year: 2026
    version: 1
    description: …
    groups:
      - code: "1"
        name: Nhận thức số
        criteria:
          - code: "1.1"
            name: …
            max_points: 4
            rule: {type: yes_no}
            evidence: …        # what proves the answer
            guidance: …        # how to answer
            allow_not_applicable: false
            source: tasks_on_time   # filled in from the tracking data
          - code: "3.3"
            name: …
            criteria: [ … sub-criteria, each with its own rule … ]

Rules: ``yes_no`` (``yes_points`` defaults to the maximum, ``no_points`` to 0), ``percent`` and
``count`` with ``bands`` (``[{min: 30, points: 1}, {min: 25, points: 0.5}, …]``: the points of the
highest minimum the value reaches, 0 below them all), ``choice`` with ``choices``
(``[{code: a, label: …, points: 2}, …]``) and ``manual`` (the assessor enters 0 to the maximum).
A criterion with sub-criteria has no rule: it scores the sum of its sub-criteria.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.utils.translation import gettext as _  # type: ignore[import-untyped]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_POINTS_LIMIT = Decimal(10000)

YES_NO = "yes_no"
PERCENT = "percent"
COUNT = "count"
CHOICE = "choice"
MANUAL = "manual"
RULE_TYPES = (YES_NO, PERCENT, COUNT, CHOICE, MANUAL)
# Vietnamese on purpose: the words of the framework workbook (excel.py), which its reader matches
# when a person sends the file back, whatever the language of the page it came from.
RULE_LABELS = {
    YES_NO: "Có/Không",
    PERCENT: "Tỷ lệ % theo mức",
    COUNT: "Số lượng theo mức",
    CHOICE: "Chọn một phương án",
    MANUAL: "Người chấm nhập điểm",
}

# Criteria the toolkit can answer from the tracking data itself; the values are computed by
# ``theodoi.assessment.sources`` for the unit and the campaign's year.
# Vietnamese on purpose: as RULE_LABELS, the words of the framework workbook.
SOURCES = {
    "tasks_on_time": "Tỷ lệ nhiệm vụ đến hạn của đơn vị đã hoàn thành đúng hạn",
    "reports_on_time": "Tỷ lệ báo cáo tiến độ của đơn vị gửi đúng hạn",
    "tasks_done": "Số nhiệm vụ đến hạn trong năm của đơn vị đã hoàn thành",
}
SOURCE_RULES = {"tasks_on_time": PERCENT, "reports_on_time": PERCENT, "tasks_done": COUNT}


# What the database holds (codes, a small version number) and what a real framework needs: the
# largest known province index has 47 sub-indicators.
MAX_VERSION = 32767
MAX_FRAMEWORK_CODE = 60
MAX_CRITERION_CODE = 40
MAX_GROUPS = 100
MAX_CRITERIA = 2000


def _count_criteria(raw_groups: list[Any]) -> int:
    total = 0
    for group in raw_groups:
        criteria = group.get("criteria") if isinstance(group, Mapping) else None
        for criterion in criteria if isinstance(criteria, list) else []:
            total += 1
            children = criterion.get("criteria") if isinstance(criterion, Mapping) else None
            total += len(children) if isinstance(children, list) else 0
            if total > MAX_CRITERIA:
                return total
    return total


class FrameworkError(ValueError):
    """A framework written wrongly. ``problems`` lists every mistake found, each in the
    person's language and naming where it is, so a person can correct them all at once."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Band:
    min: Decimal
    points: Decimal


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    points: Decimal


@dataclass(frozen=True)
class Rule:
    type: str
    bands: tuple[Band, ...] = ()  # highest minimum first
    choices: tuple[Choice, ...] = ()
    yes_points: Decimal | None = None
    no_points: Decimal = ZERO

    def band_points(self, value: Decimal) -> Decimal:
        for band in self.bands:
            if value >= band.min:
                return band.points
        return ZERO

    def choice(self, code: str) -> Choice | None:
        return next((c for c in self.choices if c.code == code), None)


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    max_points: Decimal
    rule: Rule | None = None  # None: scored by its sub-criteria
    criteria: tuple[Criterion, ...] = ()
    evidence: str = ""
    guidance: str = ""
    allow_not_applicable: bool = False
    source: str = ""

    @property
    def is_leaf(self) -> bool:
        return self.rule is not None


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    criteria: tuple[Criterion, ...]

    @property
    def max_points(self) -> Decimal:
        return sum((c.max_points for c in self.criteria), ZERO)


@dataclass(frozen=True)
class Framework:
    code: str
    name: str
    year: int
    groups: tuple[Group, ...]
    version: int = 1
    description: str = ""
    _index: dict[str, Criterion] = field(default_factory=dict, compare=False, repr=False)

    @property
    def max_points(self) -> Decimal:
        return sum((g.max_points for g in self.groups), ZERO)

    def criteria(self) -> Iterator[tuple[Group, Criterion, Criterion | None]]:
        """Every criterion and sub-criterion in reading order, with its group and parent."""
        for group in self.groups:
            for criterion in group.criteria:
                yield group, criterion, None
                for sub in criterion.criteria:
                    yield group, sub, criterion

    def leaves(self) -> Iterator[Criterion]:
        """The criteria that are answered (those with a rule)."""
        for _group, criterion, _parent in self.criteria():
            if criterion.is_leaf:
                yield criterion

    def get(self, code: str) -> Criterion | None:
        if not self._index:
            self._index.update({c.code: c for _g, c, _p in self.criteria()})
        return self._index.get(code)


# --- Reading ----------------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}" if where else message)


def _quoted(word: str) -> str:
    """A key of the YAML file as a message names it: «code» in Vietnamese, “code” in English."""
    return str(_("“%(word)s”") % {"word": word})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def number(value: Any) -> Decimal | None:
    """A number a person wrote: 7, 7.5, "7,5", "30%". None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    text = str(value).strip().replace(" ", "").rstrip("%").replace(",", ".")
    if not text:
        return None
    try:
        result = Decimal(text)
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def _points(value: Any, where: str, label: str, problems: _Problems) -> Decimal | None:
    if value is None or _text(value) == "":
        problems.add(where, _("%(label)s is missing (for example 2 or 0.5).") % {"label": label})
        return None
    result = number(value)
    if result is None:
        problems.add(
            where,
            _("%(label)s must be a number (for example 2 or 0.5), not “%(value)s”.")
            % {"label": label, "value": value},
        )
        return None
    if result < 0 or result > _POINTS_LIMIT:
        problems.add(
            where,
            _("%(label)s must be from 0 to %(limit)s.") % {"label": label, "limit": _POINTS_LIMIT},
        )
        return None
    if result != result.quantize(Decimal("0.01")):
        problems.add(where, _("%(label)s can have at most 2 decimal places.") % {"label": label})
        return None
    return result


def _bands(raw: Any, rule_type: str, where: str, problems: _Problems) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        problems.add(
            where,
            _("a banded rule needs %(bands)s.")
            % {"bands": _("a “bands” list (each band with min and points)")},
        )
        return ()
    bands = []
    for index, item in enumerate(raw, start=1):
        at = _("%(where)s, band %(index)s") % {"where": where, "index": index}
        if not isinstance(item, Mapping):
            problems.add(at, _("each band needs “min” and “points”."))
            continue
        low = number(item.get("min"))
        if low is None:
            problems.add(
                at, _("“min” must be a number, not “%(value)s”.") % {"value": item.get("min")}
            )
            continue
        if low < 0 or (rule_type == PERCENT and low > HUNDRED):
            percent = rule_type == PERCENT
            limit = _("“min” must be from 0 to 100.") if percent else _("“min” cannot be negative.")
            problems.add(at, limit)
            continue
        points = _points(item.get("points"), at, _quoted("points"), problems)
        if points is not None:
            bands.append(Band(min=low, points=points))
    mins = [b.min for b in bands]
    if len(set(mins)) != len(mins):
        problems.add(
            where, _("two bands have the same “min”; each band must start at a different value.")
        )
    return tuple(sorted(bands, key=lambda b: b.min, reverse=True))


def _choices(raw: Any, where: str, problems: _Problems) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        problems.add(
            where,
            _("a “choice” rule needs at least two choices %(choices)s.")
            % {"choices": _("in “choices”")},
        )
        return ()
    choices = []
    for index, item in enumerate(raw, start=1):
        at = _("%(where)s, choice %(index)s") % {"where": where, "index": index}
        if not isinstance(item, Mapping):
            problems.add(at, _("each choice needs “code”, “label” and “points”."))
            continue
        code, label = _text(item.get("code")), _text(item.get("label"))
        if not code or not label:
            problems.add(at, _("a choice needs “code” and “label”."))
            continue
        points = _points(item.get("points"), at, _quoted("points"), problems)
        if points is not None:
            choices.append(Choice(code=code, label=label, points=points))
    codes = [c.code for c in choices]
    if len(set(codes)) != len(codes):
        problems.add(where, _("two choices have the same “code”."))
    return tuple(choices)


def _rule(raw: Any, max_points: Decimal, where: str, problems: _Problems) -> Rule | None:
    if isinstance(raw, str):
        raw = {"type": raw}
    if not isinstance(raw, Mapping) or _text(raw.get("type")) not in RULE_TYPES:
        kind = raw.get("type") if isinstance(raw, Mapping) else raw
        problems.add(
            where,
            _("there is no scoring rule “%(kind)s”; use one of: %(rules)s.")
            % {"kind": kind, "rules": ", ".join(RULE_TYPES)},
        )
        return None
    kind = _text(raw["type"])
    if kind in (PERCENT, COUNT):
        rule = Rule(type=kind, bands=_bands(raw.get("bands"), kind, where, problems))
        top = [b.points for b in rule.bands]
    elif kind == CHOICE:
        rule = Rule(type=kind, choices=_choices(raw.get("choices"), where, problems))
        top = [c.points for c in rule.choices]
    elif kind == YES_NO:
        yes = raw.get("yes_points")
        yes_points = (
            max_points if yes is None else _points(yes, where, _quoted("yes_points"), problems)
        )
        no = raw.get("no_points")
        no_points = ZERO if no is None else _points(no, where, _quoted("no_points"), problems)
        rule = Rule(type=kind, yes_points=yes_points, no_points=no_points or ZERO)
        top = [p for p in (yes_points, no_points) if p is not None]
    else:
        rule = Rule(type=kind)
        top = []
    if any(points > max_points for points in top):
        problems.add(
            where,
            _("a band's points are above the maximum (%(max)s).") % {"max": _plain(max_points)},
        )
    return rule


def _criterion(raw: Any, where: str, problems: _Problems, *, nested: bool) -> Criterion | None:
    if not isinstance(raw, Mapping):
        problems.add(where, _("each criterion needs at least “code”, “name” and “max_points”."))
        return None
    code, name = _text(raw.get("code")), _text(raw.get("name"))
    where = _("Criterion %(code)s") % {"code": code} if code else where
    if not code:
        problems.add(where, _("the criterion code (“code”) is missing."))
    elif len(code) > MAX_CRITERION_CODE:
        problems.add(
            where,
            _("the criterion code is longer than %(max)s characters.")
            % {"max": MAX_CRITERION_CODE},
        )
    if not name:
        problems.add(where, _("the criterion name (“name”) is missing."))
    children_raw = raw.get("criteria") or []
    children: list[Criterion] = []
    if children_raw:
        if nested:
            problems.add(where, _("a sub-criterion cannot have sub-criteria of its own."))
        elif not isinstance(children_raw, list):
            problems.add(where, _("“criteria” must be a list of sub-criteria."))
        else:
            for index, item in enumerate(children_raw, start=1):
                at = _("%(where)s, sub-criterion %(index)s") % {"where": where, "index": index}
                child = _criterion(item, at, problems, nested=True)
                if child is not None:
                    children.append(child)
    declared = raw.get("max_points")
    max_points: Decimal | None
    if children:
        total = sum((c.max_points for c in children), ZERO)
        max_points = total
        if declared is not None:
            stated = _points(declared, where, _quoted("max_points"), problems)
            if stated is not None and stated != total:
                problems.add(
                    where,
                    _("the maximum says %(stated)s but the sub-criteria add up to %(total)s.")
                    % {"stated": _plain(stated), "total": _plain(total)},
                )
        if raw.get("rule") is not None:
            problems.add(
                where,
                _(
                    "a criterion with sub-criteria is scored by their sum and has no “rule” of "
                    "its own."
                ),
            )
        rule = None
    else:
        max_points = _points(declared, where, _quoted("max_points"), problems)
        if max_points is None:
            return None
        if raw.get("rule") is None:
            problems.add(where, _("the scoring rule (“rule”) is missing."))
            return None
        rule = _rule(raw.get("rule"), max_points, where, problems)
        if rule is None:
            return None
    source = _text(raw.get("source"))
    if source:
        if source not in SOURCES:
            problems.add(
                where,
                _("there is no data source “%(source)s”; use one of: %(sources)s.")
                % {"source": source, "sources": ", ".join(SOURCES)},
            )
        elif rule is None or rule.type != SOURCE_RULES[source]:
            expected = RULE_LABELS[SOURCE_RULES[source]]
            problems.add(
                where,
                _("the source “%(source)s” is only for the rule “%(rule)s”.")
                % {"source": source, "rule": expected},
            )
    return Criterion(
        code=code,
        name=name,
        max_points=max_points,
        rule=rule,
        criteria=tuple(children),
        evidence=_text(raw.get("evidence")),
        guidance=_text(raw.get("guidance")),
        allow_not_applicable=_flag(raw.get("allow_not_applicable")),
        source=source,
    )


# Vietnamese on purpose: "có" is a word people write in the file for "yes".
def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "có", "x", "1")
    return bool(value)


def parse(raw: Any) -> Framework:
    """A framework from its documented mapping; ``FrameworkError`` lists every mistake."""
    problems = _Problems()
    if not isinstance(raw, Mapping):
        raise FrameworkError(
            [
                _(
                    "The file does not hold a framework (it needs the entries code, name, year, "
                    "groups)."
                )
            ]
        )
    code, name = _text(raw.get("code")), _text(raw.get("name"))
    if not code:
        problems.add("", _("The framework code is missing (“code”)."))
    if not name:
        problems.add("", _("The framework name is missing (“name”)."))
    year = _whole(raw.get("year"))
    if raw.get("year") is None or _text(raw.get("year")) == "":
        problems.add("", _("The year it applies to is missing (“year”), for example 2026."))
    elif year is None or not 2000 <= year <= 2100:
        problems.add(
            "",
            _("The year it applies to (“year”) must be a year such as 2026, not “%(value)s”.")
            % {"value": raw.get("year")},
        )
    version = _whole(raw.get("version", 1))
    if version is None or not 1 <= version <= MAX_VERSION:
        problems.add(
            "",
            _("The version (“version”) must be a whole number from 1 to %(max)s.")
            % {"max": MAX_VERSION},
        )
    if len(code) > MAX_FRAMEWORK_CODE:
        problems.add(
            "",
            _("The framework code is longer than %(max)s characters.")
            % {"max": MAX_FRAMEWORK_CODE},
        )
    groups: list[Group] = []
    raw_groups = raw.get("groups")
    if not isinstance(raw_groups, list) or not raw_groups:
        problems.add("", _("A framework needs at least one group (“groups”)."))
        raw_groups = []
    elif len(raw_groups) > MAX_GROUPS or _count_criteria(raw_groups) > MAX_CRITERIA:
        # A file built to be huge (YAML aliases repeat one part thousands of times).
        raise FrameworkError(
            [
                _(
                    "The framework is too large: at most %(groups)s groups and %(criteria)s "
                    "criteria. Check the file."
                )
                % {"groups": MAX_GROUPS, "criteria": MAX_CRITERIA}
            ]
        )
    for index, item in enumerate(raw_groups, start=1):
        where = _("Group %(code)s") % {"code": index}
        if not isinstance(item, Mapping):
            problems.add(where, _("each group needs “code”, “name” and “criteria”."))
            continue
        group_code, group_name = _text(item.get("code")), _text(item.get("name"))
        where = _("Group %(code)s") % {"code": group_code} if group_code else where
        if not group_code or not group_name:
            problems.add(where, _("a group needs a code (“code”) and a name (“name”)."))
        raw_criteria = item.get("criteria")
        if not isinstance(raw_criteria, list) or not raw_criteria:
            problems.add(where, _("a group needs at least one criterion (“criteria”)."))
            raw_criteria = []
        criteria = [
            c
            for position, entry in enumerate(raw_criteria, start=1)
            if (c := _criterion(entry, _at(where, position), problems, nested=False))
        ]
        group = Group(code=group_code, name=group_name, criteria=tuple(criteria))
        declared = item.get("max_points")
        if declared is not None and criteria:
            stated = number(declared)
            if stated != group.max_points:
                problems.add(
                    where,
                    _(
                        "the group's maximum says “%(declared)s” but the criteria add up to "
                        "%(total)s."
                    )
                    % {"declared": declared, "total": _plain(group.max_points)},
                )
        groups.append(group)
    framework = Framework(
        code=code,
        name=name,
        year=year or 0,
        version=version or 1,
        description=_text(raw.get("description")),
        groups=tuple(groups),
    )
    _check_codes(framework, problems)
    declared_total = raw.get("max_points")
    if declared_total is not None and number(declared_total) != framework.max_points:
        problems.add(
            "",
            _("%(subject)s “%(declared)s” but the groups add up to %(total)s.")
            % {
                "subject": _("The total maximum says"),
                "declared": declared_total,
                "total": _plain(framework.max_points),
            },
        )
    if problems.items:
        raise FrameworkError(problems.items)
    return framework


def _at(where: str, position: int) -> str:
    """Where parse() names the criterion at ``position`` of a group without a code."""
    return str(_("%(where)s, criterion %(index)s") % {"where": where, "index": position})


def _whole(value: Any) -> int | None:
    result = number(value)
    if result is None or result != result.to_integral_value():
        return None
    return int(result)


def _check_codes(framework: Framework, problems: _Problems) -> None:
    seen: set[str] = set()
    for group in framework.groups:
        # A group without a code is reported as such; two of them are not a duplicate.
        if group.code and group.code in seen:
            problems.add("", _duplicate(group.code))
        seen.add(group.code)
    for _group, criterion, _parent in framework.criteria():
        if criterion.code and criterion.code in seen:
            problems.add("", _duplicate(criterion.code))
        seen.add(criterion.code)


def _duplicate(code: str) -> str:
    return str(
        _("The code “%(code)s” is used for two groups or criteria; each code must be unique.")
        % {"code": code}
    )


def load_yaml(text: str | bytes) -> Framework:
    return parse(read_yaml(text))


def read_yaml(text: str | bytes) -> Any:
    """The mapping of a YAML file a person wrote; a syntax error becomes a FrameworkError that
    says on which line."""
    try:
        return yaml.safe_load(text)
    except RecursionError as exc:  # nesting thousands deep: no framework looks like that
        raise FrameworkError(
            [_("The YAML file is nested too deep; it is not a framework.")]
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        message = (
            _(
                "The YAML file has a syntax error (line %(line)s, column %(column)s). Check the "
                "indentation and the “:” signs."
            )
            % {"line": mark.line + 1, "column": mark.column + 1}
            if mark
            else _("The YAML file has a syntax error. Check the indentation and the “:” signs.")
        )
        raise FrameworkError([message]) from exc


# --- Writing ----------------------------------------------------------------------------------


def _plain(value: Decimal) -> int | float:
    """A number as YAML/JSON shows it best: 4 rather than 4.00, 0.5 rather than 0.50."""
    return int(value) if value == value.to_integral_value() else float(value)


def _rule_dict(rule: Rule, max_points: Decimal) -> dict[str, Any]:
    result: dict[str, Any] = {"type": rule.type}
    if rule.type in (PERCENT, COUNT):
        result["bands"] = [{"min": _plain(b.min), "points": _plain(b.points)} for b in rule.bands]
    elif rule.type == CHOICE:
        result["choices"] = [
            {"code": c.code, "label": c.label, "points": _plain(c.points)} for c in rule.choices
        ]
    elif rule.type == YES_NO:
        if rule.yes_points is not None and rule.yes_points != max_points:
            result["yes_points"] = _plain(rule.yes_points)
        if rule.no_points:
            result["no_points"] = _plain(rule.no_points)
    return result


def _criterion_dict(criterion: Criterion) -> dict[str, Any]:
    result: dict[str, Any] = {
        "code": criterion.code,
        "name": criterion.name,
        "max_points": _plain(criterion.max_points),
    }
    if criterion.rule is not None:
        result["rule"] = _rule_dict(criterion.rule, criterion.max_points)
    for key in ("evidence", "guidance", "source"):
        if getattr(criterion, key):
            result[key] = getattr(criterion, key)
    if criterion.allow_not_applicable:
        result["allow_not_applicable"] = True
    if criterion.criteria:
        result["criteria"] = [_criterion_dict(c) for c in criterion.criteria]
    return result


def to_dict(framework: Framework) -> dict[str, Any]:
    """The documented mapping; ``parse(to_dict(f)) == f`` for every framework."""
    result: dict[str, Any] = {
        "code": framework.code,
        "name": framework.name,
        "year": framework.year,
        "version": framework.version,
    }
    if framework.description:
        result["description"] = framework.description
    result["max_points"] = _plain(framework.max_points)
    result["groups"] = [
        {
            "code": group.code,
            "name": group.name,
            "max_points": _plain(group.max_points),
            "criteria": [_criterion_dict(c) for c in group.criteria],
        }
        for group in framework.groups
    ]
    return result


def dump_yaml(framework: Framework) -> str:
    text: str = yaml.safe_dump(
        to_dict(framework), allow_unicode=True, sort_keys=False, width=100, indent=2
    )
    return text
