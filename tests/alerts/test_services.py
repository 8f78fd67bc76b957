"""Alerts raised and closed by the reporting services and by the scan (DESIGN.md §4): each
carries its rule, numbers, task or indicator and the unit that must act; it closes by itself
when its condition stops holding, and its row stays."""

import datetime
from decimal import Decimal

import pytest

from tests.factories import TaskFactory
from theodoi.alerts import rules, services
from theodoi.alerts.models import Alert
from theodoi.audit.models import AuditEvent
from theodoi.core.access import SYSTEM
from theodoi.core.clock import today as clock_today
from theodoi.plans import services as plans
from theodoi.plans.models import Indicator, IndicatorMilestone, Plan
from theodoi.reporting.models import Evidence
from theodoi.tracking import services as reporting

D = datetime.date


def pdf(label: str) -> bytes:
    # Different bytes for each file: evidence is stored by content.
    return b"%PDF-1.4\n%test\n" + label.encode() + b"\n%%EOF\n"


@pytest.fixture
def day(settings):
    def set_day(value: str) -> None:
        settings.THEODOI_TODAY = value

    return set_day


def open_alerts(subject, rule=None):
    """The subject's open alerts (one at most), or those carrying a reason for ``rule``."""
    alerts = list(subject.alerts.filter(closed_at__isnull=True))
    assert len(alerts) <= 1, "one open alert per task or indicator"
    return [alert for alert in alerts if rule is None or rule in alert.reason_rules]


def reason(alert, rule):
    """The reason for ``rule`` as shown today: day counts are worked out, not stored."""
    (index,) = [i for i, item in enumerate(alert.reasons) if item["rule"] == rule]
    found = alert.reasons[index]
    numbers = rules.shown_numbers(rule, found["numbers"], clock_today())
    return {**found, "numbers": numbers, "message": alert.reason_texts[index]}


def numbers(alert):
    return rules.shown_numbers(alert.rule, alert.numbers, clock_today())


def submit(world, percent, period, task=None):
    return reporting.report_submit(
        actor=world.people.officer, task=task or world.task_vhxh, period=period, percent=percent
    )


def test_behind_schedule_when_20_percent_done_and_60_expected(world, day):
    day("2026-03-02")  # day 60 of a 100-day task, past its first (monthly) period
    task = world.task_vhxh
    task.start_date, task.due_date = D(2026, 1, 1), D(2026, 4, 11)
    task.reporting_cycle = "monthly"
    task.save()
    submit(world, 20, "2026-01")
    (alert,) = open_alerts(task, "behind_schedule")
    assert reason(alert, "behind_schedule")["numbers"]["progress"] == 20
    assert reason(alert, "behind_schedule")["numbers"]["expected"] == 60.0
    assert alert.unit == world.vhxh
    assert alert.organization == world.ward_a
    assert alert.task == task


def test_an_alert_closes_by_itself_and_its_row_stays(world, day):
    day("2026-03-02")
    task = world.task_vhxh
    task.start_date, task.due_date = D(2026, 1, 1), D(2026, 4, 11)
    task.reporting_cycle = "monthly"
    task.save()
    submit(world, 20, "2026-01")
    (alert,) = open_alerts(task, "behind_schedule")
    submit(world, 45, "2026-02")
    alert.refresh_from_db()
    assert alert.closed_at is not None
    assert open_alerts(task, "behind_schedule") == []
    assert Alert.objects.filter(pk=alert.pk).exists()


def test_a_still_open_alert_gets_fresh_numbers(world, day):
    day("2026-10-05")
    world.task_vhxh.due_date = D(2026, 9, 30)
    world.task_vhxh.save()
    submit(world, 40, "2026-Q4")
    (alert,) = open_alerts(world.task_vhxh, "overdue")
    assert numbers(alert)["days_late"] == 5
    day("2026-10-06")
    submit(world, 50, "2026-Q4")
    (same,) = open_alerts(world.task_vhxh)
    assert same.pk == alert.pk
    assert same.rule == "overdue"  # the most urgent reason names the alert
    assert reason(same, "overdue")["numbers"] == {
        "due": "2026-09-30",
        "days_late": 6,
        "progress": 50,
    }
    assert reason(same, "overdue")["message"] == "Quá hạn 6 ngày (hạn 30/09/2026), tiến độ 50%."
    assert same.text.startswith("Quá hạn 6 ngày")


def test_past_due_open_task_is_overdue(world, day):
    day("2026-11-24")
    world.task_police.due_date = D(2026, 9, 30)
    world.task_police.save()
    services.evaluate_task(world.task_police)
    (alert,) = open_alerts(world.task_police, "overdue")
    assert alert.unit == world.police
    assert numbers(alert)["days_late"] == 55


def test_the_alert_goes_to_the_first_lead_unit_the_plan_names(world, day):
    """Not the first by id or by the units' catalogue order; a new order moves the alert."""
    day("2026-11-24")
    assert world.police.pk > world.vhxh.pk
    task = TaskFactory(
        plan=world.plan_a, due_date=D(2026, 9, 30), lead_units=[world.police, world.vhxh]
    )
    services.evaluate_task(task)
    (alert,) = open_alerts(task, "overdue")
    assert alert.unit == world.police
    plans.task_update(actor=SYSTEM, task=task, changes={}, lead_units=[world.vhxh, world.police])
    services.evaluate_task(task)
    (alert,) = open_alerts(task, "overdue")
    assert alert.unit == world.vhxh


def test_missing_monthly_reports_are_one_reason_and_the_last_report_closes_the_alert(world, day):
    plan = world.plan_a
    plan.reporting_cycle, plan.report_due_days = "monthly", 5
    plan.save()
    day("2026-03-10")
    services.evaluate_task(world.task_vhxh)
    (alert,) = open_alerts(world.task_vhxh, "missing_report")
    missing = reason(alert, "missing_report")
    assert missing["keys"] == ["2026-01", "2026-02"]
    assert missing["message"] == "Thiếu báo cáo 2 kỳ (Tháng 1, Tháng 2/2026)."
    submit(world, 30, "2026-02")
    (same,) = open_alerts(world.task_vhxh, "missing_report")
    assert same.pk == alert.pk
    assert reason(same, "missing_report")["keys"] == ["2026-01"]
    assert "Tháng 1/2026" in same.message
    submit(world, 30, "2026-01")
    assert open_alerts(world.task_vhxh) == []
    alert.refresh_from_db()
    assert alert.closed_at is not None


def test_a_returned_report_does_not_count(world, day):
    plan = world.plan_a
    plan.reporting_cycle = "monthly"
    plan.save()
    day("2026-02-10")
    report = submit(world, 30, "2026-01")
    assert open_alerts(world.task_vhxh, "missing_report") == []
    reporting.report_return(actor=world.people.office, report=report, reason="Thiếu số liệu")
    (alert,) = open_alerts(world.task_vhxh, "missing_report")
    assert reason(alert, "missing_report")["keys"] == ["2026-01"]


def test_rejection_raises_an_alert_and_an_accepted_replacement_clears_it(world, day):
    day("2026-11-24")
    task = world.task_vhxh
    submit(world, 100, "2026-Q4")
    first = reporting.evidence_upload(
        actor=world.people.officer, name="bien-ban.pdf", data=pdf("one"), task=task
    )
    reporting.evidence_review(
        actor=world.people.office, evidence=first, decision="reject", reason="Thiếu chữ ký"
    )
    (alert,) = open_alerts(task, "evidence_rejected")
    assert reason(alert, "evidence_rejected")["numbers"]["files"][0]["reason"] == "Thiếu chữ ký"
    assert alert.unit == world.vhxh
    second = reporting.evidence_upload(
        actor=world.people.officer, name="bien-ban-ky.pdf", data=pdf("two"), task=task
    )
    # Uploaded as the replacement of the rejected file (the upload form names it).
    Evidence.objects.filter(pk=second.pk).update(replaces=first)
    assert open_alerts(task, "evidence_rejected") != []  # still waiting for the review
    reporting.evidence_review(actor=world.people.office, evidence=second, decision="accept")
    assert open_alerts(task, "evidence_rejected") == []
    alert.refresh_from_db()
    assert alert.closed_at is not None
    task.refresh_from_db()
    assert task.completed_on is not None
    assert open_alerts(task) == []  # complete: nothing left to urge


def test_due_soon_follows_the_setting(world, day, settings):
    day("2026-11-24")
    world.task_vhxh.due_date = D(2026, 12, 20)  # 26 days left
    world.task_vhxh.save()
    settings.THEODOI_DUE_SOON_DAYS = 14
    services.evaluate_task(world.task_vhxh)
    assert open_alerts(world.task_vhxh, "due_soon") == []
    settings.THEODOI_DUE_SOON_DAYS = 30
    services.evaluate_task(world.task_vhxh)
    (alert,) = open_alerts(world.task_vhxh, "due_soon")
    due_soon = reason(alert, "due_soon")
    assert due_soon["numbers"]["days_left"] == 26
    assert due_soon["message"] == "Sắp đến hạn: còn 26 ngày đến hạn (20/12/2026), tiến độ 0%."
    # Missing reports are more urgent: they name the alert, due soon comes after them.
    assert alert.reason_rules == ["missing_report", "behind_schedule", "due_soon"]
    assert alert.text.endswith("· còn 26 ngày đến hạn")


def test_evaluate_task_returns_the_open_alerts_of_the_task(world, day):
    day("2026-11-24")
    world.task_vhxh.due_date = D(2026, 10, 31)
    world.task_vhxh.save()
    returned = services.evaluate_task(world.task_vhxh)
    assert {a.pk for a in returned} == {a.pk for a in open_alerts(world.task_vhxh)}
    assert "overdue" in {a.rule for a in returned}


def test_a_parent_is_evaluated_when_its_subtask_reports(world, day):
    day("2026-11-24")
    parent = TaskFactory(plan=world.plan_a, due_date=D(2026, 10, 31), lead_units=[world.vhxh])
    child = TaskFactory(
        plan=world.plan_a, parent=parent, due_date=D(2026, 10, 31), lead_units=[world.vhxh]
    )
    submit(world, 40, "2026-Q4", task=child)
    (alert,) = open_alerts(parent, "overdue")
    assert alert.numbers["progress"] == 40
    # The parent's own reports count for nothing, so it is never asked for one.
    assert open_alerts(parent, "missing_report") == []
    assert "missing_report" not in open_alerts(parent)[0].reason_rules


def test_evaluate_task_asks_few_queries(world, day, django_assert_max_num_queries):
    day("2026-11-24")
    world.task_vhxh.due_date = D(2026, 9, 30)
    world.task_vhxh.save()
    with django_assert_max_num_queries(10):
        services.evaluate_task(world.task_vhxh)
    with django_assert_max_num_queries(8):
        services.evaluate_task(world.task_vhxh)  # nothing to open: reads and one update


def make_indicator(world, comparator, milestone, unit="%"):
    indicator = Indicator.objects.create(
        plan=world.plan_a,
        code="CT1",
        name="Tỷ lệ hồ sơ trực tuyến toàn trình",
        unit_of_measure=unit,
        comparator=comparator,
        lead_unit=world.vhxh,
    )
    IndicatorMilestone.objects.create(indicator=indicator, year=2026, value=Decimal(milestone))
    return indicator


def record(world, indicator, period, value):
    return reporting.indicator_value_record(
        actor=world.people.office, indicator=indicator, period=period, value=value
    )


def test_indicator_below_its_milestone_is_off_track(world, day):
    day("2026-11-24")
    indicator = make_indicator(world, ">=", 80)
    record(world, indicator, "2026-Q3", "70")
    (alert,) = open_alerts(indicator, "indicator_off_track")
    assert alert.unit == world.vhxh
    assert alert.task is None
    assert alert.numbers["value"] == 70 and alert.numbers["expected"] == 80
    assert alert.message == "Chưa đạt lộ trình năm 2026: Quý III/2026 đạt 70%, yêu cầu ≥ 80%."
    record(world, indicator, "2026-Q4", "82,5")
    assert open_alerts(indicator) == []


def test_lower_is_better_indicator_above_its_milestone_is_off_track(world, day):
    day("2026-11-24")
    indicator = make_indicator(world, "<=", 5, unit="ngày")
    record(world, indicator, "2026-Q3", "7")
    (alert,) = open_alerts(indicator, "indicator_off_track")
    assert "yêu cầu ≤ 5 ngày" in alert.message
    record(world, indicator, "2026-Q4", "4")
    assert open_alerts(indicator) == []
    alert.refresh_from_db()
    assert alert.closed_at is not None


def test_scan_counts_and_records_one_audit_event(world, day):
    day("2026-11-24")
    world.task_vhxh.due_date = D(2026, 9, 30)
    world.task_vhxh.save()
    before = AuditEvent.objects.count()
    result = services.scan(organization=world.ward_a)
    assert result.tasks == 2
    assert result.opened == Alert.objects.filter(organization=world.ward_a).count() > 0
    assert result.still_open == result.opened
    assert not Alert.objects.filter(organization=world.ward_b).exists()
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "alerts.scan"
    assert event.after["opened"] == result.opened
    again = services.scan(organization=world.ward_a)
    assert (again.opened, again.closed, again.still_open) == (0, 0, result.still_open)


def test_scan_of_everything_covers_every_ward(world, day):
    day("2026-11-24")
    result = services.scan()
    assert result.tasks == 3
    assert Alert.objects.filter(organization=world.ward_b).exists()
    assert AuditEvent.objects.order_by("-id").first().action == "alerts.scan"


def test_closing_a_plan_closes_its_alerts(world, day):
    day("2026-11-24")
    world.task_vhxh.due_date = D(2026, 9, 30)
    world.task_vhxh.save()
    services.scan(organization=world.ward_a)
    assert open_alerts(world.task_vhxh)
    Plan.objects.filter(pk=world.plan_a.pk).update(status=Plan.Status.CLOSED)
    result = services.scan(organization=world.ward_a)
    assert open_alerts(world.task_vhxh) == []
    assert result.closed > 0 and result.still_open == 0


def test_scan_queries_do_not_grow_with_the_number_of_tasks(
    world, day, django_assert_max_num_queries
):
    day("2026-11-24")
    for number in range(300):
        TaskFactory(
            plan=world.plan_a,
            due_date=D(2026, 9, 30) if number % 2 else D(2026, 12, 31),
            lead_units=[world.vhxh if number % 3 else world.police],
        )
    # A few more for the ward's scan state and the tasks' watches, none per task.
    with django_assert_max_num_queries(40):
        result = services.scan(organization=world.ward_a, full=True)
    assert result.tasks == 302
    assert result.opened > 300


def test_one_open_alert_per_task_carries_all_its_reasons(world, day):
    """Overdue, behind and three quarters without a report: one row, most urgent first."""
    day("2026-11-24")
    task = world.task_vhxh
    task.start_date, task.due_date = D(2026, 1, 1), D(2026, 10, 31)
    task.save()
    services.evaluate_task(task)
    (alert,) = open_alerts(task)
    assert alert.reason_rules == ["overdue", "missing_report", "behind_schedule"]
    assert alert.rule == "overdue" and alert.severity == "high"
    assert alert.text == "Quá hạn 24 ngày · thiếu báo cáo 3 kỳ · chậm tiến độ"
    assert reason(alert, "missing_report")["message"] == (
        "Thiếu báo cáo 3 kỳ (Quý I, Quý II, Quý III/2026)."
    )
    submit(world, 20, "2026-Q1")
    (same,) = open_alerts(task)
    assert same.pk == alert.pk
    assert reason(same, "missing_report")["keys"] == ["2026-Q2", "2026-Q3"]
    assert Alert.objects.filter(task=task).count() == 1


def test_an_unrelated_accepted_file_does_not_clear_a_rejection(world, day):
    day("2026-11-24")
    task = world.task_vhxh
    first = reporting.evidence_upload(
        actor=world.people.officer, name="a.pdf", data=pdf("a"), task=task
    )
    reporting.evidence_review(
        actor=world.people.office, evidence=first, decision="reject", reason="Mờ"
    )
    other = reporting.evidence_upload(
        actor=world.people.officer, name="b.pdf", data=pdf("b"), task=task
    )
    reporting.evidence_review(actor=world.people.office, evidence=other, decision="accept")
    (alert,) = open_alerts(task, "evidence_rejected")
    assert [f["file"] for f in reason(alert, "evidence_rejected")["numbers"]["files"]] == ["a.pdf"]
    # Withdrawing the rejected file answers it too.
    Evidence.objects.filter(pk=first.pk).update(withdrawn=True)
    services.evaluate_task(task)
    assert open_alerts(task, "evidence_rejected") == []
