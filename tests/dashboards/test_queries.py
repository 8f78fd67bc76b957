"""The pages ask the same number of queries for 10 tasks as for 200, and for 2 wards as for 10:
rows are counted by the database or fetched in batches, never one query per row."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboards.conftest import make_indicator
from tests.factories import OrganizationFactory, PlanFactory, TaskFactory, UnitFactory
from theodoi.alerts.models import Alert
from theodoi.dashboards.models import IndicatorCatalogue, IndicatorCatalogueLink
from theodoi.reporting.models import Directive

D = datetime.date

# What the pages ask today; a change that adds a query per row breaks the equality tests
# first, these bounds only keep the constant honest.
DASHBOARD_QUERIES = 25
PROVINCE_QUERIES = 12
TASK_LIST_QUERIES = 12


def add_tasks(ward, plan, count, start=0):
    """``count`` tasks of every kind: done, late, overdue, behind, shared between units, each
    with an alert, a directive and, every fifth, an indicator with values."""
    units = [UnitFactory(organization=ward) for _ in range(3)]
    for number in range(start, start + count):
        kind = number % 4
        task = TaskFactory(
            plan=plan,
            due_date=[D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31), D(2026, 12, 31)][kind],
            completed_on=[D(2026, 3, 1), D(2026, 5, 5), None, None][kind],
            progress=[100, 100, 20, 0][kind],
            lead_units=[units[number % 3]],
            coordinating_units=[units[(number + 1) % 3]],
        )
        Alert.objects.create(
            organization=ward, rule=Alert.Rule.OVERDUE, task=task, unit=units[0], message="x"
        )
        Directive.objects.create(task=task, text="Chỉ đạo", answer="Đã làm")
        if number % 5 == 0:
            make_indicator(
                plan, f"Chỉ tiêu {number}", values=[("2026-Q1", "10"), ("2026-Q2", str(number))]
            )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def test_ward_dashboard_queries_do_not_grow_with_tasks(
    login, world, settings, django_assert_max_num_queries
):
    settings.THEODOI_TODAY = "2026-06-15"
    client = login(world.people.leader)
    url = reverse("dashboard")
    add_tasks(world.ward_a, world.plan_a, 8)
    small = count_queries(client, url)
    add_tasks(world.ward_a, world.plan_a, 190, start=8)
    large = count_queries(client, url)
    assert small == large
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(url)
    assert response.context["board"].total == 200


def test_dashboard_with_several_plans_does_not_grow_either(login, world, settings):
    settings.THEODOI_TODAY = "2026-06-15"
    second = PlanFactory(organization=world.ward_a)
    client = login(world.people.upper)
    url = reverse("dashboard_ward", args=[world.ward_a.pk])
    add_tasks(world.ward_a, second, 10)
    small = count_queries(client, url)
    add_tasks(world.ward_a, second, 190, start=10)
    assert count_queries(client, url) == small


def test_ward_task_list_queries_do_not_grow_with_tasks(
    login, world, settings, django_assert_max_num_queries
):
    settings.THEODOI_TODAY = "2026-06-15"
    client = login(world.people.leader)
    url = reverse("dashboard_ward_tasks", args=[world.ward_a.pk])
    add_tasks(world.ward_a, world.plan_a, 8)
    small = count_queries(client, url)
    add_tasks(world.ward_a, world.plan_a, 190, start=8)
    assert count_queries(client, url) == small
    with django_assert_max_num_queries(TASK_LIST_QUERIES):
        client.get(url)


def add_wards(world, count):
    for _ in range(count):
        ward = OrganizationFactory(parent=world.province)
        plan = PlanFactory(organization=ward)
        add_tasks(ward, plan, 5)
        indicator = make_indicator(plan, "Tỷ lệ hồ sơ trực tuyến", values=[("2026-Q1", "55")])
        IndicatorCatalogueLink.objects.create(
            catalogue=IndicatorCatalogue.objects.get(code="DVC"), indicator=indicator
        )


def test_province_queries_do_not_grow_with_wards(
    login, world, settings, django_assert_max_num_queries
):
    """2 wards, then 10: the same queries for the ward table and for the comparison."""
    settings.THEODOI_TODAY = "2026-06-15"
    entry = IndicatorCatalogue.objects.create(code="DVC", name="Tỷ lệ hồ sơ trực tuyến")
    client = login(world.people.upper)
    table, compare = reverse("province_dashboard"), reverse("catalogue_compare", args=[entry.pk])
    for ward, plan in ((world.ward_a, world.plan_a), (world.ward_b, world.plan_b)):
        indicator = make_indicator(plan, "Tỷ lệ hồ sơ trực tuyến", values=[("2026-Q1", "60")])
        IndicatorCatalogueLink.objects.create(catalogue=entry, indicator=indicator)
        add_tasks(ward, plan, 5)
    small = (count_queries(client, table), count_queries(client, compare))
    add_wards(world, 8)
    large = (count_queries(client, table), count_queries(client, compare))
    assert small == large
    with django_assert_max_num_queries(PROVINCE_QUERIES):
        response = client.get(table)
    assert len(response.context["rows"]) == 10
    with django_assert_max_num_queries(PROVINCE_QUERIES):
        response = client.get(compare)
    assert len(response.context["rows"]) == 10
    assert all(row.indicator.latest for row in response.context["rows"])
    assert Decimal(60) in {row.indicator.latest[1] for row in response.context["rows"]}
