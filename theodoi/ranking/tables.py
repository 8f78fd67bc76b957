"""The ward's ranking for a period as one person may see it: what the page shows and the Excel
table is made of (by the page, or by the background worker for the download)."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from theodoi.core.access import limited_to_own_unit
from theodoi.core.forms import whole_number
from theodoi.org.models import Organization, User
from theodoi.ranking import exports, scoring, selectors
from theodoi.ranking.models import ScoreScale


def asked_period(query: Mapping[str, str], day: datetime.date) -> tuple[int, int | None]:
    """The year and quarter asked for; the current year, whole, when missing or not a number."""
    year = whole_number(query.get("year")) or day.year
    if not 2000 <= year <= 2100:
        year = day.year
    raw_quarter = query.get("quarter", "")
    quarter = int(raw_quarter) if raw_quarter in {"1", "2", "3", "4"} else None
    return year, quarter


@dataclass
class Ranking:
    ward: Organization
    year: int
    quarter: int | None
    start: datetime.date
    end: datetime.date
    scale: scoring.Scale
    record: ScoreScale | None
    rows: list[scoring.Ranked]  # ranked units, best first
    unranked: list[scoring.UnitScore]
    own_only: bool

    def period(self, day: datetime.date) -> str:
        if self.quarter:
            name = _("Quarter %(q)s/%(y)s") % {"q": self.quarter, "y": self.year}
        else:
            name = _("Year %(y)s") % {"y": self.year}
        return f"{name} ({self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}) · {_('as of')} {day:%d/%m/%Y}"

    def scale_text(self) -> str:
        name = _("The ward's point scale") if self.record else _("Default point scale")
        bands = " · ".join(
            f"≥ {scoring.format_decimal(b.min)}% → {scoring.format_decimal(b.points)}"
            for b in self.scale.bands
        )
        penalty = scoring.format_decimal(self.scale.late_report_penalty)
        return f"{name}: {bands}; −{penalty} {_('per day a report is late')}."


def ranking_for(
    user: User, ward: Organization, *, day: datetime.date, year: int, quarter: int | None
) -> Ranking:
    """The ward's ranking for the year (or its quarter), as ``user`` may see it: unit officers
    and heads only their own unit's line, with its rank among all."""
    start, end = scoring.quarter_window(year, quarter)
    scale, record = selectors.scale_for_ward(ward)
    ranked = selectors.ward_ranking(user, ward, today=day, start=start, end=end, scale=scale)
    own_only = limited_to_own_unit(user)
    if own_only:
        ranked = [row for row in ranked if row.item.facts.unit_id == user.unit_id]
    return Ranking(
        ward=ward,
        year=year,
        quarter=quarter,
        start=start,
        end=end,
        scale=scale,
        record=record,
        rows=[row for row in ranked if row.position is not None],
        unranked=[row.item for row in ranked if row.position is None],
        own_only=own_only,
    )


def ranking_workbook(
    user: User, ward: Organization, *, day: datetime.date, year: int, quarter: int | None
) -> tuple[str, bytes]:
    """The Excel table of the ranking the page shows ``user``: its file name and bytes."""
    data = ranking_for(user, ward, day=day, year=year, quarter=quarter)
    content = exports.ranking_xlsx(
        title=f"{_('Unit ranking')} — {ward.name}",
        period=data.period(day),
        scale=data.scale_text(),
        rules=scoring.rules(data.scale),
        rows=data.rows,
        unranked=data.unranked,
    )
    name = f"xep-hang-{ward.code or ward.pk}-{year}" + (f"-q{quarter}" if quarter else "")
    return f"{name}.xlsx", content
