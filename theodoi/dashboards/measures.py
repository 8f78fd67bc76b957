"""The dashboards' arithmetic as pure functions over plain data: states on a past day, their
trend, whether an indicator is on track, and the projection of its trend to the target year.

No Django here, so the rules are tested without a database and the same answers serve the
pages, the exports and the API.
"""

import calendar
import datetime
import functools
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum

from theodoi.core.text import fold_key
from theodoi.plans.periods import CYCLES, PeriodError, parse_period
from theodoi.plans.states import TaskState, task_state

# --- Task states over time ----------------------------------------------------------------------


def state_on(
    *, due: datetime.date | None, completed_on: datetime.date | None, day: datetime.date
) -> TaskState:
    """The state a task had at the end of ``day``, by the rule of ``states.task_state``: a
    completion recorded after that day had not happened yet."""
    done = completed_on if completed_on is not None and completed_on <= day else None
    return task_state(due=due, completed_on=done, today=day)


def month_ends(start: datetime.date, end: datetime.date, *, limit: int = 60) -> list[datetime.date]:
    """The last day of every month from ``start`` up to ``end``, then ``end`` itself (today's
    picture), at most ``limit`` days (the most recent ones): a trend of five years stays legible."""
    days: list[datetime.date] = []
    year, month = start.year, start.month
    while True:
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        if last >= end:
            break
        days.append(last)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    days.append(end)
    return days[-limit:]


def state_trend(
    tasks: Iterable[tuple[datetime.date | None, datetime.date | None]],
    days: Sequence[datetime.date],
) -> dict[TaskState, list[int]]:
    """For each state, how many of ``tasks`` (pairs of due date and completion day) were in it
    at the end of each of ``days``.

    The history is rebuilt from today's dates: a completion that was later undone (evidence
    rejected) does not show in the past either, as no earlier value is kept.
    """
    trend = {state: [0] * len(days) for state in TaskState}
    for due, completed_on in tasks:
        for index, day in enumerate(days):
            trend[state_on(due=due, completed_on=completed_on, day=day)][index] += 1
    return trend


# --- Indicators: on track, at risk, off track ------------------------------------------------


class IndicatorStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


# A value that meets this year's milestone by less than this share of the milestone is at risk.
AT_RISK_MARGIN = Decimal("0.10")


# Cached: a ward's indicators share a few period texts, and each parse tries every cycle.
@functools.lru_cache(maxsize=4096)
def period_end(text: str) -> datetime.date | None:
    """The last day of a reporting period written in any cycle ("2026-Q1" → 31/3/2026)."""
    for cycle in CYCLES:
        try:
            return parse_period(text, cycle).end
        except PeriodError:
            continue
    return None


def ordered_values(
    values: Iterable[tuple[str, Decimal]],
) -> list[tuple[datetime.date, str, Decimal]]:
    """(end of period, period, value), oldest first; periods that are no period are left out.

    Ordered by the period's end, not its spelling, so "2026-Q3" and "2026-11" of a plan that
    changed its cycle fall in their true order (the rule ``alerts.rules`` follows as well).
    """
    dated = [(end, text, value) for text, value in values if (end := period_end(text)) is not None]
    return sorted(dated, key=lambda item: (item[0], item[1]))


def latest_value(values: Iterable[tuple[str, Decimal]]) -> tuple[str, Decimal] | None:
    dated = ordered_values(values)
    if not dated:
        return None
    _end, text, value = dated[-1]
    return text, value


def expected_value(
    *,
    milestones: Mapping[int, Decimal],
    target: Decimal | None,
    target_year: int | None,
    year: int,
) -> Decimal | None:
    """What the indicator must reach this year: the year's milestone, else the target in its
    own year (as the plan page and the off-track alert read it)."""
    expected = milestones.get(year)
    if expected is None and target_year == year:
        expected = target
    return expected


def meets(value: Decimal | float, comparator: str, expected: Decimal | float) -> bool:
    if comparator == ">":
        return value > expected
    if comparator == "<=":
        return value <= expected
    if comparator == "<":
        return value < expected
    if comparator == "=":
        return value == expected
    return value >= expected


def indicator_status(
    *,
    comparator: str,
    latest: Decimal | None,
    expected: Decimal | None,
    margin: Decimal = AT_RISK_MARGIN,
) -> IndicatorStatus:
    """Off track when the latest value misses this year's milestone in the indicator's direction
    (the rule of the "indicator off track" alert); at risk when there is no value yet, or when
    the value meets the milestone by less than ``margin`` of it (a milestone of 80 % met with
    85 %); on track otherwise, including a year without a milestone to miss."""
    if latest is None:
        return IndicatorStatus.AT_RISK
    if expected is None:
        return IndicatorStatus.ON_TRACK
    if not meets(latest, comparator, expected):
        return IndicatorStatus.OFF_TRACK
    slack = abs(expected) * margin
    if comparator in (">=", ">") and latest < expected + slack:
        return IndicatorStatus.AT_RISK
    if comparator in ("<=", "<") and latest > expected - slack:
        return IndicatorStatus.AT_RISK
    return IndicatorStatus.ON_TRACK


# --- Projection --------------------------------------------------------------------------------


def year_position(day: datetime.date) -> float:
    """Where ``day`` sits on an axis of years whose tick "2026" is the end of 2026, where the
    2026 milestone is due: 31/12/2026 → 2026.0, 31/3/2026 → about 2025.25."""
    days_in_year = 366 if calendar.isleap(day.year) else 365
    return day.year - 1 + day.timetuple().tm_yday / days_in_year


def least_squares(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """(slope, intercept) of the straight line closest to ``points``; None when fewer than two
    distinct x make a trend."""
    if len({x for x, _y in points}) < 2:
        return None
    count = len(points)
    mean_x = sum(x for x, _y in points) / count
    mean_y = sum(y for _x, y in points) / count
    spread = sum((x - mean_x) ** 2 for x, _y in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return slope, mean_y - slope * mean_x


def will_reach(*, projected: float, target: float, comparator: str, start: float) -> bool:
    """Whether the projected value meets the target. An "=" target (100 % of something) is met
    when the trend reaches it from where it started: a projection is never exact."""
    if comparator == "=":
        comparator = ">=" if start <= target else "<="
    return meets(projected, comparator, target)


# --- The shared indicator catalogue ----------------------------------------------------------


def name_key(name: str) -> str:
    """An indicator's name folded for matching: case, diacritics and punctuation ignored, and
    "tỉ lệ" spelled like "tỷ lệ" (the seeds use both)."""
    words = fold_key(name).split()
    return " ".join("ti" if word == "ty" else word for word in words)


def propose_links(
    indicators: Iterable[tuple[int, str]], entries: Iterable[tuple[int, str]]
) -> dict[int, int]:
    """For each indicator (id, name), the catalogue entry (id, name) proposed for it: the entry
    of the same folded name, else the only entry whose folded name the indicator's contains
    ("Tỷ lệ hồ sơ … xử lý trực tuyến (%)" → "Tỷ lệ hồ sơ … xử lý trực tuyến"). No proposal
    when it would be a guess between several."""
    keyed = [(entry_id, name_key(name)) for entry_id, name in entries]
    by_key: dict[str, list[int]] = {}
    for entry_id, key in keyed:
        by_key.setdefault(key, []).append(entry_id)
    proposals: dict[int, int] = {}
    for indicator_id, name in indicators:
        key = name_key(name)
        exact = by_key.get(key, [])
        if len(exact) == 1:
            proposals[indicator_id] = exact[0]
            continue
        if exact:
            continue
        # Whole words only, and not a word or two: "tỷ lệ" alone is in every other name.
        within = [
            entry_id
            for entry_id, entry_key in keyed
            if len(entry_key.split()) >= 3 and f" {entry_key} " in f" {key} "
        ]
        if len(within) == 1:
            proposals[indicator_id] = within[0]
    return proposals
