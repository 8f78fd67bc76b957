"""The unit ranking page and the ward's point scale. Thin: selectors read, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from theodoi.core.access import Action, can, limited_to_own_unit
from theodoi.core.clock import today
from theodoi.core.forms import first_error, typed, whole_number
from theodoi.ranking import scoring, selectors, services
from theodoi.ranking.forms import ScaleForm

QUARTERS = [(1, "I"), (2, "II"), (3, "III"), (4, "IV")]


def _filters(request, day) -> tuple[int, int | None]:
    """The year and quarter asked for; the current year, whole, when missing or not a number."""
    year = whole_number(request.GET.get("year")) or day.year
    if not 2000 <= year <= 2100:
        year = day.year
    raw_quarter = request.GET.get("quarter", "")
    quarter = int(raw_quarter) if raw_quarter in {"1", "2", "3", "4"} else None
    return year, quarter


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
    year, quarter = _filters(request, day)
    start, end = scoring.quarter_window(year, quarter)
    scale, record = selectors.scale_for_ward(ward)
    ranked = selectors.ward_ranking(user, ward, today=day, start=start, end=end, scale=scale)
    own_only = limited_to_own_unit(user)
    if own_only:
        ranked = [row for row in ranked if row[1].facts.unit_id == user.unit_id]
    years = sorted({day.year - offset for offset in range(5)} | {day.year + 1, year})
    return render(
        request,
        "ranking/ranking.html",
        {
            "ward": ward,
            "wards": wards if wards.count() > 1 else None,
            "rows": ranked,
            "own_only": own_only,
            "scale_bands": [
                (scoring.format_decimal(b.min), scoring.format_decimal(b.points))
                for b in scale.bands
            ],
            "penalty": scoring.format_decimal(scale.late_report_penalty),
            "scale_record": record,
            "can_edit_scale": can(user, Action.EDIT_SCALE, ward),
            "year": year,
            "quarter": quarter,
            "years": years,
            "quarters": QUARTERS,
            "start": start,
            "end": end,
        },
    )


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
