"""Reporting periods: "2026-W14", "2026-03", "2026-Q1", "2026-H1", "2026". Pure functions.

A plan reports weekly, monthly, quarterly, half-yearly or yearly; each report belongs to one
period of that cycle, and is due a number of days after the period ends.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext

CYCLES = ("weekly", "monthly", "quarterly", "half_yearly", "yearly")

_PATTERNS = {
    "weekly": re.compile(r"^(\d{4})-W(\d{1,2})$"),
    "monthly": re.compile(r"^(\d{4})-(\d{1,2})$"),
    "quarterly": re.compile(r"^(\d{4})-Q([1-4])$"),
    "half_yearly": re.compile(r"^(\d{4})-H([12])$"),
    "yearly": re.compile(r"^(\d{4})$"),
}


@dataclass(frozen=True, order=True)
class Period:
    cycle: str
    year: int
    number: int  # week, month, quarter or half; 1 for a year

    def __str__(self) -> str:
        if self.cycle == "weekly":
            return f"{self.year}-W{self.number:02d}"
        if self.cycle == "monthly":
            return f"{self.year}-{self.number:02d}"
        if self.cycle == "quarterly":
            return f"{self.year}-Q{self.number}"
        if self.cycle == "half_yearly":
            return f"{self.year}-H{self.number}"
        return f"{self.year}"

    @property
    def start(self) -> datetime.date:
        if self.cycle == "weekly":
            return datetime.date.fromisocalendar(self.year, self.number, 1)
        months = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}[self.cycle]
        return datetime.date(self.year, (self.number - 1) * months + 1, 1)

    @property
    def end(self) -> datetime.date:
        return self.next().start - datetime.timedelta(days=1)

    def next(self) -> "Period":
        if self.cycle == "weekly":
            following = self.start + datetime.timedelta(days=7)
            iso = following.isocalendar()
            return Period("weekly", iso.year, iso.week)
        count = {"monthly": 12, "quarterly": 4, "half_yearly": 2, "yearly": 1}[self.cycle]
        if self.number < count:
            return Period(self.cycle, self.year, self.number + 1)
        return Period(self.cycle, self.year + 1, 1)

    def due(self, days_after: int) -> datetime.date:
        """The day the report for this period is due."""
        return self.end + datetime.timedelta(days=days_after)

    def label(self) -> str:
        """The period's name in the interface language ("Quý I/2026" in Vietnamese)."""
        values = {"number": self.number, "year": self.year}
        if self.cycle == "weekly":
            return str(gettext("Week %(number)s/%(year)s") % values)
        if self.cycle == "monthly":
            return str(gettext("Month %(number)s/%(year)s") % values)
        if self.cycle == "quarterly":
            roman = ["I", "II", "III", "IV"][self.number - 1]
            return str(gettext("Quarter %(q)s/%(y)s") % {"q": roman, "y": self.year})
        if self.cycle == "half_yearly":
            if self.number == 1:
                return str(gettext("First half of %(year)s") % values)
            return str(gettext("Second half of %(year)s") % values)
        return str(gettext("Year %(year)s") % values)

    def label_vi(self) -> str:
        """The period's Vietnamese name whatever the interface language: the upward report
        (Vietnamese by law) and the stored alert and audit texts use it."""
        if self.cycle == "weekly":
            return f"Tuần {self.number}/{self.year}"
        if self.cycle == "monthly":
            return f"Tháng {self.number}/{self.year}"
        if self.cycle == "quarterly":
            return f"Quý {['I', 'II', 'III', 'IV'][self.number - 1]}/{self.year}"
        if self.cycle == "half_yearly":
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        return f"Năm {self.year}"


class PeriodError(ValueError):
    """A period written wrongly or of another cycle; the message says how to write it."""


EXAMPLES = {
    "weekly": "2026-W14",
    "monthly": "2026-03",
    "quarterly": "2026-Q1",
    "half_yearly": "2026-H1",
    "yearly": "2026",
}


def parse_period(text: str, cycle: str) -> Period:
    match = _PATTERNS[cycle].match(text.strip().upper())
    if not match:
        raise PeriodError(
            gettext(
                "The period «%(text)s» is not valid: the plan reports by periods like %(example)s."
            )
            % {"text": text, "example": EXAMPLES[cycle]}
        )
    year = int(match.group(1))
    number = int(match.group(2)) if match.lastindex and match.lastindex >= 2 else 1
    if not 1900 <= year <= 2999:
        raise PeriodError(
            gettext("The period «%(text)s»: the year %(year)s is outside a plausible range.")
            % {"text": text, "year": year}
        )
    try:
        period = Period(cycle, year, number)
        period.start  # noqa: B018 - validates week 53 and month 13
        period.end  # noqa: B018
    except ValueError as exc:
        raise PeriodError(
            gettext("The period «%(text)s» does not exist.") % {"text": text}
        ) from exc
    if cycle == "monthly" and not 1 <= number <= 12:
        raise PeriodError(gettext("The period «%(text)s» does not exist.") % {"text": text})
    return period


def written_as(text: str, cycle: str) -> bool:
    """Whether ``text`` is spelled like a period of ``cycle`` ("2026-W99" is, "2026-Q1" is not
    for a weekly cycle): tells a period of the wrong cycle from one that does not exist."""
    return bool(_PATTERNS[cycle].match(text.strip().upper()))


def period_of(day: datetime.date, cycle: str) -> Period:
    if cycle == "weekly":
        iso = day.isocalendar()
        return Period("weekly", iso.year, iso.week)
    if cycle == "monthly":
        return Period("monthly", day.year, day.month)
    if cycle == "quarterly":
        return Period("quarterly", day.year, (day.month - 1) // 3 + 1)
    if cycle == "half_yearly":
        return Period("half_yearly", day.year, 1 if day.month <= 6 else 2)
    return Period("yearly", day.year, 1)


def first_period_end(start: datetime.date, cycle: str) -> datetime.date:
    """The last day of the first reporting period of something starting on ``start``: the
    period of ``cycle`` that contains ``start``. Until then nothing has been reported on it
    yet, so it cannot be judged behind schedule."""
    if cycle not in CYCLES:
        raise ValueError(f"unknown reporting cycle: {cycle!r}")
    return period_of(start, cycle).end


def periods_between(start: datetime.date, end: datetime.date, cycle: str) -> list[Period]:
    """Every period of ``cycle`` that overlaps [start, end], in order."""
    periods: list[Period] = []
    if end < start:
        return periods
    period = period_of(start, cycle)
    while period.start <= end:
        periods.append(period)
        period = period.next()
    return periods


def label_of(text: str) -> str:
    """The name of a period written in any cycle, in the interface language ("2026-Q4" →
    "Quý IV/2026"); the text itself when it is no period."""
    for cycle in CYCLES:
        try:
            return parse_period(text, cycle).label()
        except PeriodError:
            continue
    return text


def label_vi_of(text: str) -> str:
    """The Vietnamese name of a period written in any cycle, whatever the interface language
    ("2026-W48" → "Tuần 48/2026"), for texts that are stored; the text itself when it is no
    period."""
    for cycle in CYCLES:
        try:
            return parse_period(text, cycle).label_vi()
        except PeriodError:
            continue
    return text


# A period's code inside a sentence: not part of a date ("2026-11-24"), a number ("12/2026-Q1")
# or a word.
_CODE_IN_TEXT = re.compile(r"(?<![\w/.-])\d{4}-(?:W\d{1,2}|Q[1-4]|H[12]|\d{2})(?![\w/-])")


def periods_in_words(text: str) -> str:
    """``text`` with each period's code replaced by its name in the interface language
    ("PL.8 2026-W48: 100%" → "PL.8 Tuần 48/2026: 100%"): texts stored before they were
    written in words, such as older audit summaries, read like the rest of the page."""
    return _CODE_IN_TEXT.sub(lambda match: label_of(match.group()), text)
