"""A province indicator computed from its wards: the values of the wards' indicators linked to
the same catalogue entry, summed or averaged period by period, with the wards not reported."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import OrganizationFactory, PlanFactory
from theodoi.dashboards.models import IndicatorCatalogue, IndicatorCatalogueLink
from theodoi.dashboards.selectors.indicators import province_rollup
from theodoi.plans.models import Indicator, IndicatorValue, Plan


def _indicator(plan, entry, rollup=""):
    indicator = Indicator.objects.create(
        plan=plan, name="Số điểm Wi-Fi công cộng", unit_of_measure=" điểm", rollup=rollup
    )
    IndicatorCatalogueLink.objects.create(catalogue=entry, indicator=indicator)
    return indicator


@pytest.fixture
def wifi(world):
    entry = IndicatorCatalogue.objects.create(code="WIFI", name="Số điểm Wi-Fi công cộng")
    province_indicator = _indicator(PlanFactory(organization=world.province), entry, "sum")
    ward_a = _indicator(world.plan_a, entry)
    ward_b = _indicator(world.plan_b, entry)
    for indicator, period, value in (
        (ward_a, "2026-Q2", 4),
        (ward_b, "2026-Q2", 6),
        (ward_a, "2026-Q3", 7),
    ):
        IndicatorValue.objects.create(indicator=indicator, period=period, value=Decimal(value))
    return province_indicator


def test_sum_and_the_wards_not_reported(world, wifi):
    rows = {row.period: row for row in province_rollup(wifi)}
    assert list(rows) == ["2026-Q3", "2026-Q2"]
    assert rows["2026-Q2"].result.value == Decimal(10) and rows["2026-Q2"].missing == []
    assert rows["2026-Q3"].result.value == Decimal(7)
    assert [w.name for w in rows["2026-Q3"].missing] == ["Phường Bình Minh"]
    assert rows["2026-Q3"].rule == "Tổng của 1 xã, phường đã báo cáo"


def test_average(world, wifi):
    wifi.rollup = Indicator.Rollup.AVERAGE
    wifi.save()
    rows = {row.period: row for row in province_rollup(wifi)}
    assert rows["2026-Q2"].result.value == Decimal(5)
    assert rows["2026-Q2"].rule == "Bình quân của 2 xã, phường đã báo cáo"


def test_a_withdrawn_plan_and_another_province_do_not_count(world, wifi):
    world.plan_b.status = Plan.Status.ARCHIVED
    world.plan_b.save()
    elsewhere = OrganizationFactory(parent=world.other_province)
    other = _indicator(PlanFactory(organization=elsewhere), wifi.catalogue_link.catalogue)
    IndicatorValue.objects.create(indicator=other, period="2026-Q2", value=Decimal(100))
    rows = {row.period: row for row in province_rollup(wifi)}
    assert rows["2026-Q2"].result.value == Decimal(4)


def test_a_ward_indicator_or_one_measured_directly_has_none(world, wifi):
    assert province_rollup(Indicator.objects.get(plan=world.plan_a)) is None
    wifi.rollup = Indicator.Rollup.NONE
    wifi.save()
    assert province_rollup(wifi) is None


def test_the_province_indicator_page_shows_the_rule(
    client, world, wifi, django_assert_max_num_queries
):
    client.force_login(world.people.upper)
    url = reverse("indicator_detail", args=[wifi.pk])
    page = client.get(url).content.decode()
    assert 'id="indicator-rollup"' in page
    assert "Tổng của 1 xã, phường đã báo cáo" in page and "Phường Bình Minh" in page
    # More wards reporting cost no more queries.
    before = _count(client, url)
    for n in range(5):
        plan = PlanFactory(organization=OrganizationFactory(parent=world.province))
        indicator = _indicator(plan, wifi.catalogue_link.catalogue)
        IndicatorValue.objects.create(indicator=indicator, period="2026-Q3", value=n + 1)
    with django_assert_max_num_queries(before):
        page = client.get(url).content.decode()
    assert "Tổng của 6 xã, phường đã báo cáo" in page


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)
