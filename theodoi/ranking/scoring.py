"""Unit scores for emulation (DESIGN.md §4): pure functions over plain facts.

A unit earns the points of the band its on-time percentage falls in (the ward's scale, or the
default of issue 5: 100 % → 10, 90–<100 % → 8, 80–<90 % → 6, 70–<80 % → 4, below 70 % → 0) and
loses a penalty for the days its reports were late. Evidence acceptance needs no term of its
own: a task only counts as done once an evidence file of it is accepted. Every score comes with
its formula in Vietnamese, so nobody has to trust a black box.

The rules are the ones a ward has to say aloud in its emulation meeting:

- Only a unit with a task due in the period is ranked; the score is a share of its tasks due,
  and 0 of 0 is neither 100 % nor 0 %. The others are listed apart with the reason.
- A report counts at most one reporting period late (7 days for a weekly report, a quarter
  for a quarterly one): past that, the next period's report is late too and counts on its
  own, so one forgotten weekly task cannot pile up thousands of days.
- The penalty is at most the top of the scale: lateness can take a unit from the top band to
  0, never further. A score never goes below 0, the floor of the scale; the formula shows the
  raw figure ("0 − 10 = −10 → 0 (mức sàn)").
- Equal scores share a rank (1, 2, 2, 4), listed by name. The one tie-break is at the floor:
  of two units at 0, the higher raw figure ranks first, so a unit ten points under the floor
  is not level with one that merely scored nothing.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import NamedTuple

from django.utils.translation import gettext, ngettext

from theodoi.core.numbers import parse_typed_number

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_LIMIT = Decimal(1000)


@dataclass(frozen=True)
class Band:
    """``points`` for an on-time percentage of at least ``min``."""

    min: Decimal
    points: Decimal


@dataclass(frozen=True)
class Scale:
    bands: tuple[Band, ...]  # highest ``min`` first
    late_report_penalty: Decimal  # points taken off per day a report is late

    def as_json(self) -> list[dict[str, int | float]]:
        return [{"min": _json(b.min), "points": _json(b.points)} for b in self.bands]

    @property
    def top(self) -> Decimal:
        """The most points a unit can earn; also the most the late-report penalty can take."""
        return max(band.points for band in self.bands)


DEFAULT_BANDS: list[dict[str, int | float]] = [
    {"min": 100, "points": 10},
    {"min": 90, "points": 8},
    {"min": 80, "points": 6},
    {"min": 70, "points": 4},
    {"min": 0, "points": 0},
]
DEFAULT_LATE_REPORT_PENALTY = Decimal(1)


class ScaleError(ValueError):
    """A scale a person wrote wrongly; the message says what to correct, translated."""


def _number(value: object, label: str) -> Decimal:
    if isinstance(value, bool):
        raise ScaleError(gettext("%(label)s must be a number.") % {"label": label})
    text = str(value).strip() if value is not None else ""
    if not text:
        raise ScaleError(gettext("Enter %(label)s.") % {"label": label.lower()})
    # The one reader of typed numbers ("7,5", "1.200"); "1e999", "NaN" and "²" are not numbers.
    number = Decimal(text) if isinstance(value, int | float | Decimal) else parse_typed_number(text)
    if number is None:
        raise ScaleError(
            gettext("%(label)s must be a number (for example 8 or 7,5), not «%(value)s».")
            % {"label": label, "value": text[:40]}
        )
    if not number.is_finite() or abs(number) >= _LIMIT * 10:
        raise ScaleError(gettext("%(label)s must be a number.") % {"label": label})
    if number != number.quantize(Decimal("0.01"), rounding=ROUND_DOWN):
        raise ScaleError(gettext("%(label)s may have at most 2 decimal places.") % {"label": label})
    return number


def _json(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def scale_from(bands: Iterable[Mapping[str, object]], late_report_penalty: object) -> Scale:
    """A checked scale from bands written as ``{"min": 90, "points": 8}``; ScaleError says,
    in Vietnamese, what is wrong."""
    parsed: list[Band] = []
    for index, band in enumerate(bands, start=1):
        low = _number(band.get("min"), gettext("Band %(index)s: minimum rate") % {"index": index})
        points = _number(band.get("points"), gettext("Band %(index)s: points") % {"index": index})
        if not 0 <= low <= HUNDRED:
            raise ScaleError(
                gettext("Band %(index)s: the minimum rate must be between 0 and 100%%.")
                % {"index": index}
            )
        if not 0 <= points < _LIMIT:
            raise ScaleError(
                gettext("Band %(index)s: the points must be from 0 to below 1.000.")
                % {"index": index}
            )
        parsed.append(Band(low, points))
    if not parsed:
        raise ScaleError(gettext("The scale needs at least one band."))
    parsed.sort(key=lambda b: b.min, reverse=True)
    lows = [b.min for b in parsed]
    if len(set(lows)) != len(lows):
        raise ScaleError(gettext("Two bands must not have the same minimum rate."))
    if lows[-1] != 0:
        raise ScaleError(
            gettext("The scale must have a band starting at 0%% so that every rate scores.")
        )
    for higher, lower in zip(parsed, parsed[1:], strict=False):
        if higher.points < lower.points:
            raise ScaleError(
                gettext(
                    "The band from %(higher)s must not score fewer points than the band from %(lower)s."
                )
                % {"higher": _pct(higher.min), "lower": _pct(lower.min)}
            )
    penalty = _number(late_report_penalty, gettext("Points deducted per day of late reporting"))
    if not 0 <= penalty < _LIMIT:
        raise ScaleError(
            gettext("Points deducted per day of late reporting must be from 0 to below 1.000.")
        )
    return Scale(tuple(parsed), penalty)


DEFAULT_SCALE = scale_from(DEFAULT_BANDS, DEFAULT_LATE_REPORT_PENALTY)


@dataclass(frozen=True)
class UnitFacts:
    """What a unit did in the chosen period, gathered by ``selectors.unit_facts``.

    Tasks count when their due day lies in the period and has passed; reports count when their
    period ends in the chosen period and their due day has passed (a missing report is late
    until today); evidence files count when uploaded in the period and reviewed.
    """

    unit_id: int
    unit_name: str
    tasks_due: int = 0
    done_on_time: int = 0
    done_late: int = 0
    # Of ``done_on_time``: on time against a deadline an amendment moved, late against the
    # original one (DESIGN.md §7); shown in the formula, not scored.
    done_late_against_original: int = 0
    open_overdue: int = 0
    overdue_days: int = 0  # sum over open overdue tasks of the days since their due day
    reports_due: int = 0
    reports_on_time: int = 0
    reports_late: int = 0  # submitted after the due day
    reports_missing: int = 0  # not submitted (or returned and not resubmitted)
    # Sum over reports of the days each was (or still is) late, each capped at the length of
    # its reporting period (``report_late_days``): what the penalty counts.
    late_days: int = 0
    # The same sum uncapped, shown beside it when larger; None when no report was capped.
    late_days_actual: int | None = None
    evidence_reviewed: int = 0
    evidence_accepted: int = 0


@dataclass(frozen=True)
class UnitScore:
    facts: UnitFacts
    on_time_percent: Decimal | None  # exact; None without a task due
    band: Band | None
    penalty: Decimal  # what is taken off: at most the top of the scale
    penalty_uncapped: Decimal  # days counted × points per day
    raw: Decimal | None  # band points − penalty, possibly negative
    score: Decimal | None  # never below 0; None when not rated
    formula: str

    @property
    def rated(self) -> bool:
        return self.score is not None

    @property
    def floored(self) -> bool:
        """The raw total fell below 0 and the score stopped at the floor."""
        return self.raw is not None and self.raw < 0

    @property
    def penalty_capped(self) -> bool:
        return self.penalty < self.penalty_uncapped

    @property
    def score_shown(self) -> str:
        return format_decimal(self.score) if self.score is not None else "—"

    @property
    def raw_shown(self) -> str:
        return _minus(self.raw) if self.raw is not None else "—"

    @property
    def on_time_percent_shown(self) -> str:
        return _pct(self.on_time_percent) if self.on_time_percent is not None else "—"

    @property
    def late_days_actual(self) -> int:
        actual = self.facts.late_days_actual
        return self.facts.late_days if actual is None else actual

    @property
    def late_days_shown(self) -> str:
        return _days(self.facts.late_days)

    @property
    def late_days_actual_shown(self) -> str:
        return _days(self.late_days_actual)

    @property
    def reports_on_time_percent(self) -> Decimal | None:
        return _ratio(self.facts.reports_on_time, self.facts.reports_due)

    @property
    def evidence_accepted_percent(self) -> Decimal | None:
        return _ratio(self.facts.evidence_accepted, self.facts.evidence_reviewed)


def _ratio(part: int, whole: int) -> Decimal | None:
    return Decimal(part) * HUNDRED / Decimal(whole) if whole else None


def format_number(value: Decimal) -> str:
    """Vietnamese style, at most one decimal, cut rather than rounded so that 89,99 % never
    shows as 90 % beside the points of the band below: "99,9", "1.200", "8"."""
    number = value.quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
        text = f"{number:,}"
    else:
        text = f"{number:,.1f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_decimal(value: Decimal) -> str:
    """Points as written on a scale: up to two decimals, Vietnamese style ("7,5", "10")."""
    number = value.normalize()
    text = f"{number:,f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _pct(value: Decimal) -> str:
    return f"{format_number(value)}%"


def report_late_days(
    *,
    due: datetime.date,
    submitted: datetime.date | None,
    today: datetime.date,
    period_days: int,
) -> tuple[int, int]:
    """The days one report was late (a report never sent is late until ``today``), and the days
    counted: at most ``period_days``, the length of its reporting period, as past that the next
    period's report is late too and counts on its own."""
    actual = max(((submitted or today) - due).days, 0)
    return actual, min(actual, max(period_days, 0))


def late_penalty(late_days: int, scale: Scale) -> tuple[Decimal, Decimal]:
    """The points taken off for ``late_days`` days counted, and the same uncapped: at most the
    top of the scale, so that lateness alone takes a unit from the top band to 0, no further."""
    uncapped = scale.late_report_penalty * max(late_days, 0)
    return min(uncapped, scale.top), uncapped


def unrated_reason(facts: UnitFacts) -> str:
    """Why a unit without a task due is not ranked, with what it did have due."""
    if not facts.reports_due:
        return str(gettext("no task or reporting period due in the ranking period"))
    return str(
        ngettext(
            "no task due in the ranking period (the score is the share of tasks due done on time); "
            "%(reports)s report due, %(late)s",
            "no task due in the ranking period (the score is the share of tasks due done on time); "
            "%(reports)s reports due, %(late)s",
            facts.reports_due,
        )
        % {"reports": facts.reports_due, "late": _late_days_text(facts)}
    )


def _days(value: int) -> str:
    return format_decimal(Decimal(value))


def _late_days_text(facts: UnitFacts) -> str:
    if not facts.late_days:
        return str(gettext("no days of late reporting"))
    actual = facts.late_days_actual
    if actual is not None and actual > facts.late_days:
        return str(
            ngettext(
                "%(days)s day of late reporting counted (actually %(actual)s; a report counts at "
                "most one reporting period late)",
                "%(days)s days of late reporting counted (actually %(actual)s; a report counts at "
                "most one reporting period late)",
                facts.late_days,
            )
            % {"days": _days(facts.late_days), "actual": _days(actual)}
        )
    return str(
        ngettext(
            "%(days)s day of late reporting",
            "%(days)s days of late reporting",
            facts.late_days,
        )
        % {"days": _days(facts.late_days)}
    )


def score_unit(facts: UnitFacts, scale: Scale) -> UnitScore:
    """The unit's score on ``scale`` with its formula."""
    penalty, uncapped = late_penalty(facts.late_days, scale)
    if facts.tasks_due == 0:
        return UnitScore(
            facts=facts,
            on_time_percent=None,
            band=None,
            penalty=penalty,
            penalty_uncapped=uncapped,
            raw=None,
            score=None,
            formula=unrated_reason(facts),
        )
    # Compared exactly (done × 100 ≥ min × due) so 99,9 % never reaches the 100 % band.
    percent = Decimal(facts.done_on_time) * HUNDRED / Decimal(facts.tasks_due)
    band = next(
        (
            b
            for b in scale.bands
            if Decimal(facts.done_on_time) * HUNDRED >= b.min * facts.tasks_due
        ),
        None,
    )
    points = band.points if band else Decimal(0)
    raw = points - penalty
    score = max(raw, ZERO)
    band_text = gettext("%(done)s/%(due)s tasks on time = %(percent)s → %(points)s points") % {
        "done": facts.done_on_time,
        "due": facts.tasks_due,
        "percent": _pct(percent),
        "points": format_decimal(points),
    }
    if facts.done_late_against_original:
        note = ngettext(
            "of which %(count)s done on time against the amended deadline; late against the "
            "original deadline",
            "of which %(count)s done on time against the amended deadline; late against the "
            "original deadline",
            facts.done_late_against_original,
        ) % {"count": facts.done_late_against_original}
        band_text = f"{band_text} ({note})"
    late_text = _late_days_text(facts)
    if facts.late_days:
        values = {
            "late": late_text,
            "per_day": format_decimal(scale.late_report_penalty),
            "uncapped": _minus(-uncapped),
            "penalty": _minus(-penalty),
            "cap": _minus(-scale.top),
        }
        if penalty < uncapped:
            late_text = (
                gettext(
                    "%(late)s × %(per_day)s = %(uncapped)s → %(penalty)s points (at most %(cap)s)"
                )
                % values
            )
        else:
            late_text = (
                gettext("%(late)s × %(per_day)s = %(penalty)s points (at most %(cap)s)") % values
            )
    if raw >= 0:
        total = gettext("total %(raw)s") % {"raw": format_decimal(raw)}
    else:
        total = gettext("total %(points)s − %(penalty)s = %(raw)s → 0 points (the floor)") % {
            "points": format_decimal(points),
            "penalty": format_decimal(penalty),
            "raw": _minus(raw),
        }

    return UnitScore(
        facts=facts,
        on_time_percent=percent,
        band=band,
        penalty=penalty,
        penalty_uncapped=uncapped,
        raw=raw,
        score=score,
        formula=f"{band_text}; {late_text}; {total}",
    )


def _minus(value: Decimal) -> str:
    if value == 0:
        return "0"
    return f"−{format_decimal(-value)}" if value < 0 else format_decimal(value)


class Ranked(NamedTuple):
    position: int | None  # None: not ranked
    item: UnitScore
    tied: bool  # another ranked unit shares the position


def _standing(item: UnitScore) -> tuple[Decimal, Decimal]:
    """What a rank compares: the score, then the raw figure, which differs only at the floor."""
    return item.score or ZERO, item.raw or ZERO


def rank(scores: Sequence[UnitScore]) -> list[Ranked]:
    """Rated units by score, highest first. Equal scores are told apart by one stated rule:
    at the floor, the higher raw figure first (a unit 10 points under the floor is not level
    with a unit at 0 without a late report). Units still equal share a rank (standard
    competition ranking: 1, 2, 2, 4), listed by name. Units not rated follow, without a rank,
    by name."""

    def by_name(item: UnitScore) -> tuple[str, int]:
        return item.facts.unit_name, item.facts.unit_id

    rated = sorted(
        (s for s in scores if s.score is not None),
        key=lambda s: (-_standing(s)[0], -_standing(s)[1], *by_name(s)),
    )
    counts = Counter(_standing(s) for s in rated)
    ranked: list[Ranked] = []
    position = 0
    for index, item in enumerate(rated, start=1):
        if index == 1 or _standing(item) != _standing(rated[index - 2]):
            position = index
        ranked.append(Ranked(position, item, counts[_standing(item)] > 1))
    ranked.extend(
        Ranked(None, item, False)
        for item in sorted((s for s in scores if not s.rated), key=by_name)
    )
    return ranked


def rules(scale: Scale) -> list[str]:
    """The rules of the score and the ranking in words, shown above every ranking."""
    return [
        gettext(
            "Score = the points of the band reached by the share of tasks due done on time, "
            "minus the penalty for the days reports were late. A task counts once its due day "
            "in the period has passed, and is done only when an evidence file of it is accepted."
        ),
        gettext(
            "A report counts at most one reporting period late (a weekly report at most 7 days, "
            "a quarterly one at most a quarter): past that, the next period's report is late "
            "too and counts on its own. A report never sent is late until today. The penalty "
            "is at most %(cap)s points, the top of the scale."
        )
        % {"cap": format_decimal(scale.top)},
        gettext(
            "A score never goes below 0, the floor of the scale; when the raw figure is below 0 "
            "it is shown beside the score."
        ),
        gettext(
            "Only units with a task due in the period are ranked. Equal scores share a rank "
            "(1, 2, 2, 4), listed by name; the one tie-break is at the floor: of two units at "
            "0, the one with the higher raw figure ranks first."
        ),
    ]


def quarter_window(year: int, quarter: int | None) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a year or of one of its quarters."""
    if quarter is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    start = datetime.date(year, 3 * (quarter - 1) + 1, 1)
    end = (
        datetime.date(year, 12, 31)
        if quarter == 4
        else datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)
    )
    return start, end
