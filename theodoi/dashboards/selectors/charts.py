"""The indicator page: its projection to the target year and the chart's JSON."""

from dataclasses import dataclass

from django.http import Http404

from theodoi.dashboards import measures
from theodoi.dashboards.selectors.indicators import _with_values, indicators_for_user
from theodoi.org.models import User
from theodoi.plans.models import Indicator
from theodoi.plans.periods import label_of

# --- The indicator page ---------------------------------------------------------------------------


def indicator_get_for_user(user: User, pk: int) -> Indicator:
    indicator = (
        _with_values(indicators_for_user(user))
        .select_related("monitoring_unit", "section", "catalogue_link__catalogue")
        .filter(pk=pk)
        .first()
    )
    if indicator is None:
        raise Http404
    return indicator


@dataclass
class Projection:
    slope: float
    intercept: float
    start_x: float
    start_y: float
    end_x: float
    end_y: float
    reaches: bool | None  # None without a numeric target


def indicator_projection(indicator: Indicator) -> Projection | None:
    """The least-squares line through the indicator's actual values, extended to the target
    year. With a single value the baseline is the other point of the line: a trend needs two."""
    points = [
        (measures.year_position(end), float(value))
        for end, _period, value in measures.ordered_values(
            (v.period, v.value) for v in indicator.values.all()
        )
    ]
    has_baseline = indicator.baseline is not None and indicator.baseline_year
    if len(points) == 1 and has_baseline and indicator.baseline_year < points[0][0]:
        points.insert(0, (float(indicator.baseline_year), float(indicator.baseline)))
    fitted = measures.least_squares(points)
    end_year = indicator.target_year or max(
        (m.year for m in indicator.milestones.all()), default=None
    )
    if fitted is None or end_year is None:
        return None
    slope, intercept = fitted
    start_x = points[0][0]
    end_x = float(max(end_year, points[-1][0]))
    end_y = slope * end_x + intercept
    reaches = None
    if indicator.target is not None:
        reaches = measures.will_reach(
            projected=end_y,
            target=float(indicator.target),
            comparator=indicator.comparator,
            start=points[0][1],
        )
    return Projection(slope, intercept, start_x, slope * start_x + intercept, end_x, end_y, reaches)


def indicator_chart(indicator: Indicator, projection: Projection | None) -> dict:
    """The chart's data: the roadmap (baseline → milestones → target), the actual values and the
    projected trend, on an axis of years whose tick "2026" is the end of 2026."""
    roadmap: dict[int, float] = {}
    if indicator.baseline is not None and indicator.baseline_year:
        roadmap[indicator.baseline_year] = float(indicator.baseline)
    for milestone in indicator.milestones.all():
        roadmap[milestone.year] = float(milestone.value)
    if indicator.target is not None and indicator.target_year:
        roadmap[indicator.target_year] = float(indicator.target)
    actual = [
        # The tooltip names the period in words ("Quý III/2026"), as the page's tables do.
        {"x": round(measures.year_position(end), 4), "y": float(value), "period": label_of(period)}
        for end, period, value in measures.ordered_values(
            (v.period, v.value) for v in indicator.values.all()
        )
    ]
    return {
        "kind": "indicator",
        "unit": indicator.unit_of_measure,
        "roadmap": [{"x": year, "y": value} for year, value in sorted(roadmap.items())],
        "actual": actual,
        "projection": (
            [
                {"x": round(projection.start_x, 4), "y": round(projection.start_y, 4)},
                {"x": round(projection.end_x, 4), "y": round(projection.end_y, 4)},
            ]
            if projection
            else []
        ),
    }
