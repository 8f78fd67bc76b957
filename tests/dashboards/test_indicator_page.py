"""The indicator page: roadmap, actual values, the projected trend and its verdict."""

from decimal import Decimal

from django.urls import reverse

from tests.dashboards.conftest import make_indicator
from theodoi.plans.models import IndicatorMilestone


def roadmap_indicator(world, values, **fields):
    indicator = make_indicator(
        world.plan_a,
        "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến",
        milestone="40",
        values=values,
        baseline=Decimal(20),
        baseline_year=2025,
        target=Decimal(90),
        target_year=2030,
        **fields,
    )
    IndicatorMilestone.objects.create(indicator=indicator, year=2027, value=Decimal(60))
    return indicator


def get(client, indicator):
    return client.get(reverse("indicator_detail", args=[indicator.pk]))


def test_chart_has_roadmap_values_and_projection(login, world, settings):
    settings.THEODOI_TODAY = "2026-06-15"
    indicator = roadmap_indicator(world, [("2024", "10"), ("2025", "30")])
    response = get(login(world.people.leader), indicator)
    assert response.status_code == 200
    chart = response.context["chart"]
    assert chart["roadmap"] == [
        {"x": 2025, "y": 20.0},
        {"x": 2026, "y": 40.0},
        {"x": 2027, "y": 60.0},
        {"x": 2030, "y": 90.0},
    ]
    assert chart["actual"] == [
        {"x": 2024.0, "y": 10.0, "period": "Năm 2024"},
        {"x": 2025.0, "y": 30.0, "period": "Năm 2025"},
    ]
    # 20 a year from 10 in 2024: 130 in 2030.
    assert chart["projection"] == [{"x": 2024.0, "y": 10.0}, {"x": 2030.0, "y": 130.0}]
    assert response.context["projection"].reaches is True
    content = response.content.decode()
    assert 'data-verdict="met"' in content
    assert '<script id="chart-indicator" type="application/json">' in content


def test_a_slow_trend_will_not_make_it(login, world, settings):
    settings.THEODOI_TODAY = "2026-06-15"
    indicator = roadmap_indicator(world, [("2024", "10"), ("2025", "20")])
    response = get(login(world.people.leader), indicator)
    projection = response.context["projection"]
    assert round(projection.end_y, 6) == 70 and projection.reaches is False
    assert 'data-verdict="not-met"' in response.content.decode()


def test_lower_is_better_falling_rank_makes_it(login, world, settings):
    settings.THEODOI_TODAY = "2026-06-15"
    indicator = make_indicator(
        world.plan_a,
        "Xếp hạng DTI",
        comparator="<=",
        milestone="20",
        values=[("2024", "40"), ("2025", "30")],
        target=Decimal(10),
        target_year=2030,
    )
    projection = get(login(world.people.leader), indicator).context["projection"]
    assert projection.end_y < 10 and projection.reaches is True


def test_one_value_projects_from_the_baseline(login, world, settings):
    settings.THEODOI_TODAY = "2026-06-15"
    indicator = roadmap_indicator(world, [("2026", "40")])
    projection = get(login(world.people.leader), indicator).context["projection"]
    # From 20 at the end of 2025 to 40 at the end of 2026: 120 in 2030.
    assert (projection.start_x, round(projection.end_y, 6)) == (2025.0, 120.0)


def test_no_value_no_projection(login, world, settings):
    settings.THEODOI_TODAY = "2026-06-15"
    indicator = roadmap_indicator(world, [])
    response = get(login(world.people.leader), indicator)
    assert response.context["projection"] is None
    assert response.context["chart"]["projection"] == []
    assert response.context["indicator"].status == "at_risk"


def test_values_table_newest_first(login, world, settings):
    settings.THEODOI_TODAY = "2026-06-15"
    indicator = roadmap_indicator(world, [("2025", "30"), ("2026-Q1", "35"), ("2024", "10")])
    response = get(login(world.people.officer), indicator)
    assert [v.period for v in response.context["values"]] == ["2026-Q1", "2025", "2024"]
    content = response.content.decode()
    assert "Quý I/2026" in content and "Năm 2024" in content
    assert response.context["indicator"].status == "off_track"  # 35 < 40 this year


def test_anyone_of_the_ward_and_above_may_see_it_others_get_404(login, world):
    indicator = roadmap_indicator(world, [("2025", "30")])
    for person in (world.people.officer, world.people.police_officer, world.people.upper):
        assert get(login(person), indicator).status_code == 200
    for person in (world.people.other_ward, world.people.other_upper):
        assert get(login(person), indicator).status_code == 404


def test_the_link_form_is_for_the_standing_office(login, world):
    indicator = roadmap_indicator(world, [])
    assert get(login(world.people.office), indicator).context["can_link"]
    assert not get(login(world.people.leader), indicator).context["can_link"]
    assert not get(login(world.people.upper), indicator).context["can_link"]


def test_a_quarter_sits_between_the_year_ticks_it_belongs_to(login, world, settings):
    settings.THEODOI_TODAY = "2026-06-15"
    indicator = roadmap_indicator(world, [("2026-Q1", "35")])
    (point,) = get(login(world.people.leader), indicator).context["chart"]["actual"]
    # The tooltip names the period in words.
    assert 2025 < point["x"] < 2026 and point["period"] == "Quý I/2026"
