"""A task's own reporting cycle governs its report form, the periods it accepts, its states by
period, its missing-report alerts and its units' on-time figures, whatever its plan's cycle."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import TaskFactory, UnitFactory, UserFactory
from theodoi.alerts import services as alert_services
from theodoi.org.models import Role
from theodoi.ranking import selectors as ranking
from theodoi.reporting.selectors import period_states
from theodoi.tracking import services as reporting
from theodoi.tracking.views import report_periods

D = datetime.date


@pytest.fixture
def day(settings):
    def set_day(value: str) -> None:
        settings.THEODOI_TODAY = value

    return set_day


@pytest.fixture
def weekly(world):
    """Phòng VH-XH's task reports weekly in ward A's quarterly plan, from Monday 16/3/2026."""
    assert world.plan_a.reporting_cycle == "quarterly"
    task = world.task_vhxh
    task.reporting_cycle = "weekly"
    task.start_date = D(2026, 3, 16)
    task.save()
    return task


def open_missing(task):
    """The periods of the task's missing-report reason with their report due days (the task
    has one open alert, carrying all its reasons)."""
    alert = task.alerts.filter(closed_at__isnull=True).first()
    for reason in alert.reasons if alert else []:
        if reason["rule"] == "missing_report":
            return dict(zip(reason["keys"], reason["numbers"]["report_due"], strict=True))
    return {}


def open_alert_message(task) -> str:
    return task.alerts.get(closed_at__isnull=True).message


def test_the_report_form_offers_the_weeks_of_a_weekly_task_in_a_quarterly_plan(
    client, world, weekly, day
):
    day("2026-04-08")  # Wednesday of week 15
    client.force_login(world.people.officer)
    page = client.get(reverse("task_detail", args=[weekly.pk])).content.decode()
    assert 'value="2026-W15" selected' in page
    assert 'value="2026-W14"' in page
    assert "Tuần 14/2026 (30/3–5/4)" in page
    assert 'value="2026-Q2"' not in page
    assert 'value="2026-Q1"' not in page
    assert "Báo cáo hằng tuần" in page
    assert "kế hoạch báo cáo hằng quý" in page


def test_a_task_that_follows_its_plan_is_offered_quarters(client, world, day):
    day("2026-04-08")
    client.force_login(world.people.officer)
    page = client.get(reverse("task_detail", args=[world.task_vhxh.pk])).content.decode()
    assert 'value="2026-Q2" selected' in page
    assert 'value="2026-W14"' not in page
    assert "Báo cáo hằng quý" in page
    assert "kế hoạch báo cáo" not in page  # nothing to point out when they agree


def test_report_periods_are_the_tasks_weeks_newest_first(world, weekly):
    periods = [str(p) for p in report_periods(weekly, D(2026, 4, 8))]
    assert periods == ["2026-W15", "2026-W14", "2026-W13", "2026-W12"]


def test_a_weekly_report_is_accepted_for_a_week(world, weekly, day):
    day("2026-04-08")
    made = reporting.report_submit(
        actor=world.people.officer, task=weekly, period="2026-W14", percent=40
    )
    assert made.period == "2026-W14"


def test_a_quarter_is_refused_for_a_weekly_task_with_a_vietnamese_message(world, weekly, day):
    day("2026-04-08")
    with translation.override("vi"), pytest.raises(reporting.ReportingError) as refused:
        reporting.report_submit(
            actor=world.people.officer, task=weekly, period="2026-Q1", percent=40
        )
    assert str(refused.value) == (
        "Kỳ báo cáo «2026-Q1» không đúng với nhiệm vụ này: nhiệm vụ báo cáo hằng tuần, "
        "theo kỳ dạng 2026-W14. Hãy chọn lại kỳ báo cáo."
    )
    assert not weekly.reports.exists()


def test_a_week_that_does_not_exist_keeps_its_own_message(world, weekly, day):
    day("2026-04-08")
    with translation.override("vi"), pytest.raises(reporting.ReportingError, match="không tồn tại"):
        reporting.report_submit(
            actor=world.people.officer, task=weekly, period="2026-W60", percent=40
        )


def test_the_refused_quarter_is_shown_on_the_page_with_what_was_typed(client, world, weekly, day):
    day("2026-04-08")
    client.force_login(world.people.officer)
    response = client.post(
        reverse("report_submit", args=[weekly.pk]),
        {"period": "2026-Q1", "percent": "40", "result": "Đã tập huấn 30 cán bộ"},
    )
    page = response.content.decode()
    assert "nhiệm vụ báo cáo hằng tuần" in page
    assert "Đã tập huấn 30 cán bộ" in page
    assert not weekly.reports.exists()


def test_missing_report_alerts_come_per_week_after_the_plans_due_days(world, weekly, day):
    plan = world.plan_a
    plan.report_due_days = 2
    plan.save()
    day("2026-04-01")
    reporting.report_submit(actor=world.people.officer, task=weekly, period="2026-W13", percent=20)
    day("2026-04-08")
    alert_services.evaluate_task(weekly)
    missing = open_missing(weekly)
    # Week 12 (due 24/3) and week 14 (due 7/4); week 13 was reported; week 15 is running.
    assert set(missing) == {"2026-W12", "2026-W14"}
    assert "Thiếu báo cáo 2 kỳ (Tuần 12, Tuần 14/2026)" in open_alert_message(weekly)
    assert missing["2026-W14"] == "2026-04-07"

    plan.report_due_days = 5  # week 14 is then due on 10/4: not missing yet
    plan.save()
    weekly.refresh_from_db()
    alert_services.evaluate_task(weekly)
    assert set(open_missing(weekly)) == {"2026-W12"}


def test_a_weekly_report_closes_its_weeks_alert(world, weekly, day):
    day("2026-04-08")
    alert_services.evaluate_task(weekly)
    assert "2026-W12" in open_missing(weekly)
    reporting.report_submit(actor=world.people.officer, task=weekly, period="2026-W12", percent=10)
    assert "2026-W12" not in open_missing(weekly)


def test_the_scan_asks_the_plans_other_tasks_for_quarters(world, weekly, day):
    day("2026-04-08")
    alert_services.evaluate_task(world.task_police)
    assert set(open_missing(world.task_police)) == {"2026-Q1"}


def test_states_by_period_of_a_recurring_weekly_task_are_weekly(world, weekly, day):
    weekly.recurrence = "continuous"
    weekly.save()
    day("2026-04-01")
    reporting.report_submit(actor=world.people.officer, task=weekly, period="2026-W13", percent=50)
    rows = period_states(weekly, today=D(2026, 4, 8))
    assert [row["period"] for row in rows] == ["2026-W12", "2026-W13", "2026-W14", "2026-W15"]
    assert rows[1]["percent"] == 50
    assert rows[1]["due"] == D(2026, 4, 3)  # Sunday 29/3 plus the plan's 5 days


def test_the_on_time_figure_counts_each_week_of_a_weekly_task(world, day):
    clinic = UnitFactory(organization=world.ward_a, name="Trạm Y tế")
    nurse = UserFactory(username="yen", unit=clinic, role=Role.UNIT_OFFICER)
    task = TaskFactory(
        plan=world.plan_a,
        reporting_cycle="weekly",
        start_date=D(2026, 6, 1),  # Monday of week 23
        lead_units=[clinic],
    )
    day("2026-06-08")
    reporting.report_submit(actor=nurse, task=task, period="2026-W23", percent=10)  # due 12/6
    day("2026-06-25")
    reporting.report_submit(actor=nurse, task=task, period="2026-W24", percent=20)  # due 19/6
    [facts] = [
        f
        for f in ranking.unit_facts(
            world.people.leader,
            world.ward_a,
            today=D(2026, 7, 20),
            start=D(2026, 1, 1),
            end=D(2026, 12, 31),
        )
        if f.unit_name == "Trạm Y tế"
    ]
    # Weeks 23–28 were due by 20/7 (week 28's report on 17/7); week 29's is due on 24/7.
    assert facts.reports_due == 6
    assert (facts.reports_on_time, facts.reports_late, facts.reports_missing) == (1, 1, 4)
    # 6 days late for week 24; weeks 25–28 missing since their due days 26/6, 3/7, 10/7, 17/7.
    assert facts.late_days_actual == 6 + 24 + 17 + 10 + 3
    # The penalty counts each weekly report at most one week late.
    assert facts.late_days == 6 + 7 + 7 + 7 + 3
