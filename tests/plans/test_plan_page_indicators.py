"""The plan page reads its indicators as plain rows (``indicators_shown``): each one's newest
value and milestones are those ``indicators_for_plan`` gives from the model objects."""

from decimal import Decimal

from django.urls import reverse

from theodoi.plans.models import Indicator, IndicatorMilestone, IndicatorValue
from theodoi.plans.selectors import indicators_for_plan, indicators_shown


def _indicator(plan, name, values=(), milestones=(), **fields):
    indicator = Indicator.objects.create(
        plan=plan, name=name, comparator=">=", unit_of_measure="%", **fields
    )
    for period, value in values:
        IndicatorValue.objects.create(indicator=indicator, period=period, value=Decimal(value))
    for year, value in milestones:
        IndicatorMilestone.objects.create(indicator=indicator, year=year, value=Decimal(value))
    return indicator


def test_the_same_newest_value_and_milestones(world, client):
    plan = world.plan_a
    _indicator(
        plan,
        "Tỷ lệ hồ sơ trực tuyến",
        values=[("2026-Q1", "40"), ("2026-Q3", "55.5"), ("2026-Q2", "48")],
        milestones=[(2027, "80"), (2026, "50")],
    )
    _indicator(plan, "Tỷ lệ chữ ký số", target=Decimal("90"), target_year=2026)
    _indicator(plan, "Chưa có số liệu")
    full = indicators_for_plan(plan, year=2026)
    shown = indicators_shown(plan, year=2026)
    assert [i.pk for i in shown] == [i.pk for i in full]
    for light, heavy in zip(shown, full, strict=True):
        if heavy.latest is None:
            assert light.latest is None
        else:
            assert (light.latest.period, light.latest.value) == (
                heavy.latest.period,
                heavy.latest.value,
            )
        assert light.milestone == heavy.milestone
        assert light.milestone_list == [(m.year, m.value) for m in heavy.milestones.all()]
    assert shown[0].latest.period == "2026-Q3"
    assert shown[0].milestone_list == [(2026, Decimal("50")), (2027, Decimal("80"))]
    assert shown[1].milestone == Decimal("90")
    client.force_login(world.people.office)
    content = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "2026: 50% · 2027: 80%" in content or "2026: 50 · 2027: 80" in content
