"""A plan starts on its period's start, else its issue date, else the day it was imported, until
the office sets its date (DESIGN.md §4); its periods, expected progress and alerts follow, and
setting the date on the plan's page moves them at once."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PlanFactory, TaskFactory
from theodoi.alerts import services as alerts
from theodoi.alerts.models import Alert
from theodoi.plans.models import Plan, plan_start
from theodoi.reporting.selectors import period_states
from theodoi.tracking.views import report_periods

D = datetime.date
HCM = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def day(settings):
    def set_day(value: str) -> None:
        settings.THEODOI_TODAY = value

    return set_day


def imported_on(plan: Plan, when: datetime.datetime) -> Plan:
    # ``created_at`` is set on insert; an import made earlier is written back as it was.
    Plan.objects.filter(pk=plan.pk).update(created_at=when)
    plan.refresh_from_db()
    return plan


def test_the_start_is_the_period_start_else_the_issue_date_else_the_import_day():
    created = datetime.datetime(2026, 10, 1, 9, tzinfo=HCM)
    assert plan_start(D(2026, 1, 1), D(2026, 3, 25), created) == D(2026, 1, 1)
    assert plan_start(None, D(2026, 3, 25), created) == D(2026, 3, 25)
    assert plan_start(None, None, created) == D(2026, 10, 1)
    # Imported at 23:30 UTC on 30/9 is 1/10 in the ward (Asia/Ho_Chi_Minh).
    late = datetime.datetime(2026, 9, 30, 23, 30, tzinfo=datetime.UTC)
    assert plan_start(None, None, late) == D(2026, 10, 1)
    # Not saved yet: it is being imported now.
    assert plan_start(None, None, None) == timezone.localdate()


def test_a_task_starts_on_its_own_start_else_its_plans(db):
    plan = imported_on(
        PlanFactory(issued_on=None, period_start=None, period_end=None),
        datetime.datetime(2026, 10, 1, 9, tzinfo=HCM),
    )
    assert plan.start == D(2026, 10, 1)
    task = TaskFactory(plan=plan)
    assert task.start == D(2026, 10, 1)
    task.start_date = D(2026, 11, 2)
    assert task.start == D(2026, 11, 2)


@pytest.fixture
def undated(world, day):
    """Plan A as imported on 1/10/2026 from a document without a date: quarterly reports, a
    task due at the end of the year, nothing reported, seen on 24/11/2026."""
    day("2026-11-24")
    plan = world.plan_a
    Plan.objects.filter(pk=plan.pk).update(issued_on=None, period_start=None, period_end=None)
    imported_on(plan, datetime.datetime(2026, 10, 1, 9, tzinfo=HCM))
    task = world.task_vhxh
    task.due_date = D(2026, 12, 31)
    task.save()
    task.refresh_from_db()
    alerts.evaluate_task(task)
    return plan, task


def reasons(task) -> set[str]:
    alert = Alert.objects.filter(task=task, closed_at__isnull=True).first()
    return set(alert.reason_rules) if alert else set()


def test_an_undated_plan_counts_from_its_import_day(undated):
    plan, task = undated
    # Its first quarter is Q4 2026: not yet over, so nothing is missing and nothing is behind,
    # although 0 % is far below what a plan started on 1/1 would expect.
    assert plan.start == D(2026, 10, 1)
    assert [str(p) for p in report_periods(task, D(2026, 11, 24))] == ["2026-Q4"]
    assert reasons(task) == set()


def office_saves(world, plan, **changes):
    client = Client()
    client.force_login(world.people.office)
    url = reverse("plan_edit", args=[plan.pk])
    form = client.get(url)
    assert form.status_code == 200 and 'name="period_start"' in form.content.decode()
    data = {
        "number": plan.number,
        "title": plan.title,
        "issuer": plan.issuer,
        "issuer_kind": plan.issuer_kind,
        "issued_on": "",
        "period_start": "",
        "period_end": "",
        "reporting_cycle": plan.reporting_cycle,
        "report_due_days": str(plan.report_due_days),
        "parent_references": plan.parent_references,
        "updated_at": plan.updated_at.isoformat(),
    } | changes
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    plan.refresh_from_db()
    return plan


def test_the_office_sets_the_date_and_the_periods_and_alerts_follow_at_once(world, undated):
    plan, task = undated
    plan = office_saves(world, plan, issued_on="2026-01-15")
    assert plan.start == D(2026, 1, 15)
    task.refresh_from_db()
    assert [str(p) for p in report_periods(task, D(2026, 11, 24))] == [
        "2026-Q4",
        "2026-Q3",
        "2026-Q2",
        "2026-Q1",
    ]
    # From 15/1 to 31/12, 0 % on 24/11 is behind, and three quarters' reports are missing.
    assert reasons(task) == {"behind_schedule", "missing_report"}
    missing = Alert.objects.get(task=task, closed_at__isnull=True)
    assert {item["keys"][0] for item in missing.reasons if item["rule"] == "missing_report"} >= {
        "2026-Q1"
    }

    # Its period set apart from the issue date: the period's start wins.
    plan = office_saves(
        world,
        plan,
        issued_on="2026-01-15",
        period_start="2026-07-01",
        updated_at=plan.updated_at.isoformat(),
    )
    assert plan.start == D(2026, 7, 1)
    assert reasons(task) == {"behind_schedule", "missing_report"}
    periods = {
        key
        for item in Alert.objects.get(task=task, closed_at__isnull=True).reasons
        if item["rule"] == "missing_report"
        for key in item["keys"]
    }
    assert periods == {"2026-Q3"}

    # The dates taken away again: back to the import day, and the alert closes by itself.
    office_saves(world, plan, updated_at=plan.updated_at.isoformat())
    assert reasons(task) == set()


def test_a_recurring_task_of_an_undated_plan_has_states_from_the_import_day(undated):
    plan, task = undated
    task.recurrence = "quarterly"
    task.save()
    rows = period_states(task, today=D(2026, 11, 24))
    assert [str(row["period"]) for row in rows] == ["2026-Q4"]


def test_the_plan_page_says_an_undated_plan_counts_from_its_import_day(world, undated):
    plan, _task = undated
    client = Client()
    client.force_login(world.people.office)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Kế hoạch chưa có ngày ban hành: đang được tính từ ngày nhập vào hệ thống" in page
    assert "01/10/2026" in page and reverse("plan_edit", args=[plan.pk]) in page
    form = client.get(reverse("plan_edit", args=[plan.pk])).content.decode()
    assert "để trống thì tính từ ngày ban hành" in form
    office_saves(world, plan, issued_on="2026-01-15")
    assert "chưa có ngày ban hành" not in client.get(plan.get_absolute_url()).content.decode()
