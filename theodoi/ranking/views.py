"""The unit ranking page and the ward's point scale. Thin: selectors read, services write."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from theodoi.core.access import Action, can, limited_to_own_unit
from theodoi.core.clock import today
from theodoi.core.forms import first_error, typed, whole_number
from theodoi.org.models import Organization
from theodoi.ranking import exports, scoring, selectors, services
from theodoi.ranking.forms import ScaleForm
from theodoi.ranking.models import ScoreScale

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

QUARTERS = [(1, "I"), (2, "II"), (3, "III"), (4, "IV")]


def _filters(request, day) -> tuple[int, int | None]:
    """The year and quarter asked for; the current year, whole, when missing or not a number."""
    year = whole_number(request.GET.get("year")) or day.year
    if not 2000 <= year <= 2100:
        year = day.year
    raw_quarter = request.GET.get("quarter", "")
    quarter = int(raw_quarter) if raw_quarter in {"1", "2", "3", "4"} else None
    return year, quarter


@dataclass
class _Ranking:
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


def _ranking(request, ward: Organization, day: datetime.date) -> _Ranking:
    """The ward's ranking for the period asked for, as the person may see it: unit officers
    and heads only their own unit's line, with its rank among all."""
    user = request.user
    year, quarter = _filters(request, day)
    start, end = scoring.quarter_window(year, quarter)
    scale, record = selectors.scale_for_ward(ward)
    ranked = selectors.ward_ranking(user, ward, today=day, start=start, end=end, scale=scale)
    own_only = limited_to_own_unit(user)
    if own_only:
        ranked = [row for row in ranked if row.item.facts.unit_id == user.unit_id]
    return _Ranking(
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


@login_required
def ranking(request, ward_id: int | None = None):
    """Units of a ward ranked by score with the breakdown beside each score. Unit officers and
    heads see only their own unit's line (with its rank); someone above the wards picks one."""
    user = request.user
    ward = selectors.ward_get_for_user(user, ward_id)
    wards = selectors.wards_for_user(user)
    if ward is None:
        return render(request, "ranking/ward_picker.html", {"wards": wards})
    day = today()
    data = _ranking(request, ward, day)
    rows = data.rows
    # Every ranked unit on one score: said in words, so that "Đồng hạng 1" at 0 points is read
    # as "nobody scored", not as a win.
    all_tied = len(rows) > 1 and rows[-1].position == 1
    years = sorted({day.year - offset for offset in range(5)} | {day.year + 1, data.year})
    return render(
        request,
        "ranking/ranking.html",
        {
            "ward": ward,
            "wards": wards if wards.count() > 1 else None,
            "rows": rows,
            "all_tied": all_tied,
            "unranked": data.unranked,
            "rules": scoring.rules(data.scale),
            "own_only": data.own_only,
            "scale_bands": [
                (scoring.format_decimal(b.min), scoring.format_decimal(b.points))
                for b in data.scale.bands
            ],
            "penalty": scoring.format_decimal(data.scale.late_report_penalty),
            "scale_record": data.record,
            "can_edit_scale": can(user, Action.EDIT_SCALE, ward),
            "year": data.year,
            "quarter": data.quarter,
            "years": years,
            "quarters": QUARTERS,
            "start": data.start,
            "end": data.end,
            "export_query": urlencode(
                {"year": data.year, **({"quarter": data.quarter} if data.quarter else {})}
            ),
        },
    )


@login_required
def ranking_export(request, ward_id: int):
    """The ranking shown on the page, as an Excel table (the same lines for the same person)."""
    ward = selectors.ward_get_for_user(request.user, ward_id)
    if ward is None:  # not reached: with an id, a ward the person may not see is a 404
        raise Http404
    day = today()
    data = _ranking(request, ward, day)
    content = exports.ranking_xlsx(
        title=f"{_('Unit ranking')} — {ward.name}",
        period=data.period(day),
        scale=data.scale_text(),
        rules=scoring.rules(data.scale),
        rows=data.rows,
        unranked=data.unranked,
    )
    name = f"xep-hang-{ward.code or ward.pk}-{data.year}" + (
        f"-q{data.quarter}" if data.quarter else ""
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def scale_edit(request, ward_id: int):
    """The ward's point scale: bands of the on-time percentage and the late-report penalty."""
    ward = selectors.ward_get_for_user(request.user, ward_id)
    if not can(request.user, Action.EDIT_SCALE, ward):
        raise PermissionDenied
    scale, record = selectors.scale_for_ward(ward)
    bands = [
        {"min": scoring.format_decimal(b.min), "points": scoring.format_decimal(b.points)}
        for b in scale.bands
    ]
    penalty = scoring.format_decimal(scale.late_report_penalty)
    if request.method == "POST":
        form = ScaleForm(request.POST)
        bands = form.typed_rows()
        penalty = typed(form, "late_report_penalty", limit=40)
        try:
            if not form.is_valid():
                raise services.ScaleError(first_error(form))
            services.score_scale_update(
                actor=request.user,
                organization=ward,
                bands=form.bands(),
                late_report_penalty=form.cleaned_data["late_report_penalty"],
            )
        except services.ScaleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The point scale has been saved."))
            return redirect(reverse("ranking_ward", args=[ward.pk]))
    # Two empty rows so a ward can add bands without a script.
    rows = bands + [{"min": "", "points": ""}] * 2
    return render(
        request,
        "ranking/scale.html",
        {
            "ward": ward,
            "rows": rows,
            "penalty": penalty,
            "record": record,
        },
    )
