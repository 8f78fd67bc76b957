"""The indicators a person may see, with their status this year (latest value against the
milestone): shared by the ward board, the indicator page and the province table."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from theodoi.core.access import org_scope
from theodoi.dashboards import measures
from theodoi.org.models import Organization, User
from theodoi.plans import rollup as rollup_rule
from theodoi.plans.models import Indicator, IndicatorValue, Plan

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


# --- A province indicator computed from its wards ----------------------------------------------


@dataclass
class RollupPeriod:
    """One period of a province indicator computed from its wards: the value, the rule in
    words and the wards that have not reported it."""

    period: str
    result: rollup_rule.IndicatorRollup
    rule: str
    missing: list[Organization]


def province_rollup(indicator: Indicator) -> list[RollupPeriod] | None:
    """A province indicator with a roll-up rule (sum or average), linked to a catalogue entry:
    for each period any ward reported, the rule applied to the values of the wards' indicators
    linked to the same entry, newest period first. None when the indicator is not one of these.
    Three queries whatever the number of wards."""
    link = getattr(indicator, "catalogue_link", None)
    province = indicator.plan.organization
    if not indicator.rollup or link is None or province.is_local:
        return None
    wards = list(
        Organization.objects.filter(
            path__startswith=province.path,
            kind__in=[Organization.Kind.WARD, Organization.Kind.COMMUNE],
        ).order_by("name", "pk")
    )
    # A ward with the entry in more than one plan: its newest indicator's value counts.
    values: dict[str, dict[int, Decimal]] = {}
    rows = (
        IndicatorValue.objects.filter(
            indicator__catalogue_link__catalogue_id=link.catalogue_id,
            indicator__plan__organization__in=wards,
        )
        .exclude(indicator__plan__status=Plan.Status.ARCHIVED)
        .order_by("indicator_id")
        .values_list("period", "indicator__plan__organization_id", "value")
    )
    for period, ward_id, value in rows:
        values.setdefault(period, {})[ward_id] = value
    periods = sorted(
        values, key=lambda p: measures.period_end(p) or datetime.date.min, reverse=True
    )
    found = []
    for period in periods:
        given = values[period]
        result = rollup_rule.indicator_rollup(
            indicator.rollup, [given.get(ward.pk) for ward in wards], wards=len(wards)
        )
        found.append(
            RollupPeriod(
                period=period,
                result=result,
                rule=rollup_rule.indicator_rule_text(indicator.rollup, result.reported),
                missing=[ward for ward in wards if ward.pk not in given],
            )
        )
    return found
