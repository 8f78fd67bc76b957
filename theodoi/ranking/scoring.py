"""Unit scores for emulation (DESIGN.md §4): pure functions over plain facts.

A unit earns the points of the band its on-time percentage falls in (the ward's scale, or the
default of issue 5: 100 % → 10, 90–<100 % → 8, 80–<90 % → 6, 70–<80 % → 4, below 70 % → 0) and
loses a penalty for each day one of its reports was late. Evidence acceptance needs no term of
its own: a task only counts as done once an evidence file of it is accepted. Every score comes
with its formula in Vietnamese, so nobody has to trust a black box.

Two decisions:

- A score never goes below 0. The ward's scale is a range of points (0 to its top band); a
  negative score would mean nothing on it, and one badly late unit would dwarf everything
  else. The formula still shows the raw total ("8 − 12 = −4 → 0"), and units on the same
  score are ordered by on-time %, then fewer late days, so lateness still tells.
- A unit with no task due yet is not rated: 0 of 0 is neither 100 % nor 0 %. It is listed
  after the rated units with its breakdown.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

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
    late_days: int = 0  # sum of the days reports were (or still are) late
    evidence_reviewed: int = 0
    evidence_accepted: int = 0


@dataclass(frozen=True)
class UnitScore:
    facts: UnitFacts
    on_time_percent: Decimal | None  # exact; None without a task due
    band: Band | None
    penalty: Decimal
    raw: Decimal | None  # band points − penalty, possibly negative
    score: Decimal | None  # never below 0; None when not rated
    formula: str

    @property
    def rated(self) -> bool:
        return self.score is not None

    @property
    def score_shown(self) -> str:
        return format_decimal(self.score) if self.score is not None else "—"

    @property
    def on_time_percent_shown(self) -> str:
        return _pct(self.on_time_percent) if self.on_time_percent is not None else "—"

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


def score_unit(facts: UnitFacts, scale: Scale) -> UnitScore:
    """The unit's score on ``scale`` with its formula."""
    penalty = scale.late_report_penalty * facts.late_days
    late_text = (
        ngettext(
            "%(days)s day of late reporting × %(penalty)s = %(total)s",
            "%(days)s days of late reporting × %(penalty)s = %(total)s",
            facts.late_days,
        )
        % {
            "days": facts.late_days,
            "penalty": format_decimal(scale.late_report_penalty),
            "total": _minus(-penalty),
        }
        if facts.late_days
        else gettext("no days of late reporting")
    )
    if facts.tasks_due == 0:
        late_days = (
            ngettext(
                "%(days)s day of late reporting",
                "%(days)s days of late reporting",
                facts.late_days,
            )
            % {"days": facts.late_days}
            if facts.late_days
            else gettext("no days of late reporting")
        )
        return UnitScore(
            facts=facts,
            on_time_percent=None,
            band=None,
            penalty=penalty,
            raw=None,
            score=None,
            formula=gettext("No task due yet → not scored yet; %(late)s") % {"late": late_days},
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
    score = max(raw, Decimal(0))
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
    if raw >= 0:
        total = gettext("total %(raw)s") % {"raw": format_decimal(raw)}
    else:
        total = gettext("total %(points)s − %(penalty)s = %(raw)s → 0 (no negative scores)") % {
            "points": format_decimal(points),
            "penalty": format_decimal(penalty),
            "raw": _minus(raw),
        }

    return UnitScore(
        facts=facts,
        on_time_percent=percent,
        band=band,
        penalty=penalty,
        raw=raw,
        score=score,
        formula=f"{band_text}; {late_text}; {total}",
    )


def _minus(value: Decimal) -> str:
    if value == 0:
        return "0"
    return f"−{format_decimal(-value)}" if value < 0 else format_decimal(value)


SortKey = tuple[bool, Decimal, Decimal, int, Decimal, int]


def _sort_key(item: UnitScore) -> SortKey:
    facts = item.facts
    accepted = item.evidence_accepted_percent
    return (
        not item.rated,
        -(item.score or ZERO),
        -(item.on_time_percent or ZERO),
        facts.late_days,
        -(accepted if accepted is not None else ZERO),
        facts.overdue_days,
    )


def rank(scores: Sequence[UnitScore]) -> list[tuple[int | None, UnitScore]]:
    """Rated units by score, then on-time %, fewer late report days, evidence acceptance and
    fewer overdue days; equal on all of these share a rank ("1, 2, 2, 4"). Units not rated
    follow, without a rank, by name."""
    ordered = sorted(scores, key=lambda s: (_sort_key(s), s.facts.unit_name, s.facts.unit_id))
    ranked: list[tuple[int | None, UnitScore]] = []
    previous: SortKey | None = None
    current = 0
    for position, item in enumerate(ordered, start=1):
        if not item.rated:
            ranked.append((None, item))
            continue
        key = _sort_key(item)
        if key != previous:
            current, previous = position, key
        ranked.append((current, item))
    return ranked


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
