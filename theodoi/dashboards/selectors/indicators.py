"""The indicators a person may see, with their status this year (latest value against the
milestone): shared by the ward board, the indicator page and the province table."""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from theodoi.core.access import org_scope
from theodoi.dashboards import measures
from theodoi.org.models import User
from theodoi.plans.models import Indicator, IndicatorValue

# --- Indicators ---------------------------------------------------------------------------------


def set_status(
    indicator: Indicator,
    values: Iterable[tuple[str, Decimal]],
    milestones: dict[int, Decimal],
    *,
    year: int,
) -> None:
    indicator.latest = measures.latest_value(values)
    indicator.expected = measures.expected_value(
        milestones=milestones,
        target=indicator.target,
        target_year=indicator.target_year,
        year=year,
    )
    indicator.status = measures.indicator_status(
        comparator=indicator.comparator,
        latest=indicator.latest[1] if indicator.latest else None,
        expected=indicator.expected,
    ).value


def with_status(indicators: list[Indicator], *, year: int) -> list[Indicator]:
    """Set ``latest`` (period, value), ``expected`` (this year's milestone) and ``status`` on
    each indicator, from its prefetched values and milestones."""
    for indicator in indicators:
        set_status(
            indicator,
            ((value.period, value.value) for value in indicator.values.all()),
            {m.year: m.value for m in indicator.milestones.all()},
            year=year,
        )
    return indicators


def indicators_for_user(user: User) -> QuerySet[Indicator]:
    return Indicator.objects.filter(org_scope(user, "plan__organization")).select_related(
        "plan", "plan__organization", "lead_unit"
    )


def _with_values(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    return indicators.prefetch_related(
        "milestones", Prefetch("values", queryset=IndicatorValue.objects.order_by("period"))
    )
