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

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_POINTS_LIMIT = Decimal(10000)

YES_NO = "yes_no"
PERCENT = "percent"
COUNT = "count"
CHOICE = "choice"
MANUAL = "manual"
RULE_TYPES = (YES_NO, PERCENT, COUNT, CHOICE, MANUAL)
RULE_LABELS = {
    YES_NO: "Có/Không",
    PERCENT: "Tỷ lệ % theo mức",
    COUNT: "Số lượng theo mức",
    CHOICE: "Chọn một phương án",
    MANUAL: "Người chấm nhập điểm",
}

# Criteria the toolkit can answer from the tracking data itself; the values are computed by
# ``theodoi.assessment.sources`` for the unit and the campaign's year.
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
    """A framework written wrongly. ``problems`` lists every mistake found, each in Vietnamese
    and naming where it is, so a person can correct them all at once."""

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
        problems.add(where, f"thiếu {label} (ví dụ 2 hoặc 0,5).")
        return None
    result = number(value)
    if result is None:
        problems.add(where, f"{label} phải là một số (ví dụ 2 hoặc 0,5), không phải «{value}».")
        return None
    if result < 0 or result > _POINTS_LIMIT:
        problems.add(where, f"{label} phải từ 0 đến {_POINTS_LIMIT}.")
        return None
    if result != result.quantize(Decimal("0.01")):
        problems.add(where, f"{label} chỉ được có tối đa 2 chữ số thập phân.")
        return None
    return result


def _bands(raw: Any, rule_type: str, where: str, problems: _Problems) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        problems.add(where, "quy tắc theo mức cần danh sách «bands» (mỗi mức có min và points).")
        return ()
    bands = []
    for index, item in enumerate(raw, start=1):
        at = f"{where}, mức {index}"
        if not isinstance(item, Mapping):
            problems.add(at, "mỗi mức phải có «min» và «points».")
            continue
        low = number(item.get("min"))
        if low is None:
            problems.add(at, f"«min» phải là một số, không phải «{item.get('min')}».")
            continue
        if low < 0 or (rule_type == PERCENT and low > HUNDRED):
            limit = "từ 0 đến 100" if rule_type == PERCENT else "không âm"
            problems.add(at, f"«min» phải {limit}.")
            continue
        points = _points(item.get("points"), at, "«points»", problems)
        if points is not None:
            bands.append(Band(min=low, points=points))
    mins = [b.min for b in bands]
    if len(set(mins)) != len(mins):
        problems.add(where, "hai mức có cùng «min»; mỗi mức phải bắt đầu ở một giá trị khác.")
    return tuple(sorted(bands, key=lambda b: b.min, reverse=True))


def _choices(raw: Any, where: str, problems: _Problems) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        problems.add(where, "quy tắc «choice» cần ít nhất hai phương án trong «choices».")
        return ()
    choices = []
    for index, item in enumerate(raw, start=1):
        at = f"{where}, phương án {index}"
        if not isinstance(item, Mapping):
            problems.add(at, "mỗi phương án phải có «code», «label» và «points».")
            continue
        code, label = _text(item.get("code")), _text(item.get("label"))
        if not code or not label:
            problems.add(at, "phương án cần «code» và «label».")
            continue
        points = _points(item.get("points"), at, "«points»", problems)
        if points is not None:
            choices.append(Choice(code=code, label=label, points=points))
    codes = [c.code for c in choices]
    if len(set(codes)) != len(codes):
        problems.add(where, "hai phương án có cùng «code».")
    return tuple(choices)


def _rule(raw: Any, max_points: Decimal, where: str, problems: _Problems) -> Rule | None:
    if isinstance(raw, str):
        raw = {"type": raw}
    if not isinstance(raw, Mapping) or _text(raw.get("type")) not in RULE_TYPES:
        kind = raw.get("type") if isinstance(raw, Mapping) else raw
        problems.add(
            where,
            f"quy tắc chấm «{kind}» không có; dùng một trong: {', '.join(RULE_TYPES)}.",
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
        yes_points = max_points if yes is None else _points(yes, where, "«yes_points»", problems)
        no = raw.get("no_points")
        no_points = ZERO if no is None else _points(no, where, "«no_points»", problems)
        rule = Rule(type=kind, yes_points=yes_points, no_points=no_points or ZERO)
        top = [p for p in (yes_points, no_points) if p is not None]
    else:
        rule = Rule(type=kind)
        top = []
    if any(points > max_points for points in top):
        problems.add(where, f"một mức điểm lớn hơn điểm tối đa ({_plain(max_points)}).")
    return rule


def _criterion(raw: Any, where: str, problems: _Problems, *, nested: bool) -> Criterion | None:
    if not isinstance(raw, Mapping):
        problems.add(where, "mỗi tiêu chí phải có ít nhất «code», «name» và «max_points».")
        return None
    code, name = _text(raw.get("code")), _text(raw.get("name"))
    where = f"Tiêu chí {code}" if code else where
    if not code:
        problems.add(where, "thiếu mã tiêu chí («code»).")
    elif len(code) > MAX_CRITERION_CODE:
        problems.add(where, f"mã tiêu chí dài quá {MAX_CRITERION_CODE} ký tự.")
    if not name:
        problems.add(where, "thiếu tên tiêu chí («name»).")
    children_raw = raw.get("criteria") or []
    children: list[Criterion] = []
    if children_raw:
        if nested:
            problems.add(where, "tiêu chí thành phần không được có tiêu chí con nữa.")
        elif not isinstance(children_raw, list):
            problems.add(where, "«criteria» phải là một danh sách tiêu chí thành phần.")
        else:
            for index, item in enumerate(children_raw, start=1):
                child = _criterion(
                    item, f"{where}, tiêu chí thành phần {index}", problems, nested=True
                )
                if child is not None:
                    children.append(child)
    declared = raw.get("max_points")
    max_points: Decimal | None
    if children:
        total = sum((c.max_points for c in children), ZERO)
        max_points = total
        if declared is not None:
            stated = _points(declared, where, "«max_points»", problems)
            if stated is not None and stated != total:
                problems.add(
                    where,
                    f"điểm tối đa ghi {_plain(stated)} nhưng các tiêu chí thành phần cộng lại "
                    f"{_plain(total)}.",
                )
        if raw.get("rule") is not None:
            problems.add(
                where,
                "tiêu chí có tiêu chí thành phần được chấm bằng tổng của chúng, "
                "không có «rule» riêng.",
            )
        rule = None
    else:
        max_points = _points(declared, where, "«max_points»", problems)
        if max_points is None:
            return None
        if raw.get("rule") is None:
            problems.add(where, "thiếu quy tắc chấm («rule»).")
            return None
        rule = _rule(raw.get("rule"), max_points, where, problems)
        if rule is None:
            return None
    source = _text(raw.get("source"))
    if source:
        if source not in SOURCES:
            problems.add(
                where, f"nguồn dữ liệu «{source}» không có; dùng một trong: {', '.join(SOURCES)}."
            )
        elif rule is None or rule.type != SOURCE_RULES[source]:
            expected = RULE_LABELS[SOURCE_RULES[source]]
            problems.add(where, f"nguồn «{source}» chỉ dùng cho quy tắc «{expected}».")
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


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "có", "x", "1")
    return bool(value)


def parse(raw: Any) -> Framework:
    """A framework from its documented mapping; ``FrameworkError`` lists every mistake."""
    problems = _Problems()
    if not isinstance(raw, Mapping):
        raise FrameworkError(
            ["Tệp không chứa một bộ tiêu chí (cần các mục code, name, year, groups)."]
        )
    code, name = _text(raw.get("code")), _text(raw.get("name"))
    if not code:
        problems.add("", "Thiếu mã bộ tiêu chí («code»).")
    if not name:
        problems.add("", "Thiếu tên bộ tiêu chí («name»).")
    year = _whole(raw.get("year"))
    if raw.get("year") is None or _text(raw.get("year")) == "":
        problems.add("", "Thiếu năm áp dụng («year»), ví dụ 2026.")
    elif year is None or not 2000 <= year <= 2100:
        problems.add(
            "", f"Năm áp dụng («year») phải là một năm như 2026, không phải «{raw.get('year')}»."
        )
    version = _whole(raw.get("version", 1))
    if version is None or not 1 <= version <= MAX_VERSION:
        problems.add("", f"Phiên bản («version») phải là số nguyên từ 1 đến {MAX_VERSION}.")
    if len(code) > MAX_FRAMEWORK_CODE:
        problems.add("", f"Mã bộ tiêu chí dài quá {MAX_FRAMEWORK_CODE} ký tự.")
    groups: list[Group] = []
    raw_groups = raw.get("groups")
    if not isinstance(raw_groups, list) or not raw_groups:
        problems.add("", "Bộ tiêu chí cần ít nhất một nhóm («groups»).")
        raw_groups = []
    elif len(raw_groups) > MAX_GROUPS or _count_criteria(raw_groups) > MAX_CRITERIA:
        # A file built to be huge (YAML aliases repeat one part thousands of times).
        raise FrameworkError(
            [
                f"Bộ tiêu chí quá lớn: tối đa {MAX_GROUPS} nhóm và {MAX_CRITERIA} tiêu chí. "
                "Hãy kiểm tra lại tệp."
            ]
        )
    for index, item in enumerate(raw_groups, start=1):
        where = f"Nhóm {index}"
        if not isinstance(item, Mapping):
            problems.add(where, "mỗi nhóm phải có «code», «name» và «criteria».")
            continue
        group_code, group_name = _text(item.get("code")), _text(item.get("name"))
        where = f"Nhóm {group_code}" if group_code else where
        if not group_code or not group_name:
            problems.add(where, "nhóm cần mã («code») và tên («name»).")
        raw_criteria = item.get("criteria")
        if not isinstance(raw_criteria, list) or not raw_criteria:
            problems.add(where, "nhóm cần ít nhất một tiêu chí («criteria»).")
            raw_criteria = []
        criteria = [
            c
            for position, entry in enumerate(raw_criteria, start=1)
            if (c := _criterion(entry, f"{where}, tiêu chí {position}", problems, nested=False))
        ]
        group = Group(code=group_code, name=group_name, criteria=tuple(criteria))
        declared = item.get("max_points")
        if declared is not None and criteria:
            stated = number(declared)
            if stated != group.max_points:
                problems.add(
                    where,
                    f"điểm tối đa của nhóm ghi «{declared}» nhưng các tiêu chí cộng lại "
                    f"{_plain(group.max_points)}.",
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
            f"Tổng điểm tối đa ghi «{declared_total}» nhưng các nhóm cộng lại "
            f"{_plain(framework.max_points)}.",
        )
    if problems.items:
        raise FrameworkError(problems.items)
    return framework


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
            problems.add(
                "", f"Mã «{group.code}» dùng cho hai nhóm hoặc tiêu chí; mỗi mã phải riêng."
            )
        seen.add(group.code)
    for _group, criterion, _parent in framework.criteria():
        if criterion.code and criterion.code in seen:
            problems.add(
                "", f"Mã «{criterion.code}» dùng cho hai nhóm hoặc tiêu chí; mỗi mã phải riêng."
            )
        seen.add(criterion.code)


def load_yaml(text: str | bytes) -> Framework:
    return parse(read_yaml(text))


def read_yaml(text: str | bytes) -> Any:
    """The mapping of a YAML file a person wrote; a syntax error becomes a FrameworkError that
    says on which line."""
    try:
        return yaml.safe_load(text)
    except RecursionError as exc:  # nesting thousands deep: no framework looks like that
        raise FrameworkError(
            ["Tệp YAML lồng nhau quá sâu; đây không phải một bộ tiêu chí."]
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1}, cột {mark.column + 1})" if mark else ""
        raise FrameworkError(
            [f"Tệp YAML viết sai cú pháp{where}. Hãy kiểm tra thụt lề và dấu «:»."]
        ) from exc


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
