"""The incremental scan (only what changed or reached a day that changes a finding) gives exactly
the alerts a full scan gives, over random plans, changes and days; and the split scan."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PlanFactory, TaskFactory
from theodoi.alerts import rules, services
from theodoi.alerts.models import Alert, AlertWatch, ScanRun, ScanState
from theodoi.plans.models import Indicator, IndicatorMilestone, IndicatorValue, Plan, Task
from theodoi.reporting.models import ProgressReport, UpwardReport

D = datetime.date
START = D(2026, 1, 1)


def snapshot(organization=None):
    rows = Alert.objects.filter(closed_at__isnull=True)
    if organization is not None:
        rows = rows.filter(organization__path__startswith=organization.path)
    return sorted(
        (
            alert.task_id or 0,
            alert.indicator_id or 0,
            alert.plan_id or 0,
            alert.rule,
            alert.severity,
            repr(alert.reasons),
            repr(alert.numbers),
            alert.message,
            alert.unit_id or 0,
        )
        for alert in rows
    )


def full_scan_changes_nothing(organization):
    """A full scan right after the incremental one opens, updates and closes nothing (rolled
    back, so the incremental scans that follow get no help from it)."""
    before = snapshot(organization)
    with transaction.atomic():
        result = services.scan(organization=organization, full=True)
        after = snapshot(organization)
        transaction.set_rollback(True)
    assert (result.opened, result.updated, result.closed) == (0, 0, 0)
    assert after == before


task_shape = st.tuples(
    st.integers(-30, 200),  # start, days after 1/1/2026
    st.integers(0, 400),  # length in days
    st.sampled_from(["weekly", "monthly", "quarterly", ""]),
    st.integers(0, 100),  # progress
    st.booleans(),  # has a lead unit
)
step = st.tuples(
    st.integers(0, 45),  # days until the next scan
    st.sampled_from(["nothing", "report", "due", "progress", "upward", "value", "close"]),
    st.integers(0, 10),  # which task
    st.integers(0, 100),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tasks=st.lists(task_shape, min_size=1, max_size=5), steps=st.lists(step, max_size=8))
def test_incremental_scan_gives_the_full_scans_alerts(world, settings, tasks, steps):
    with transaction.atomic():
        run_example(world, settings, tasks, steps)
        transaction.set_rollback(True)


def run_example(world, django_settings, shapes, steps):
    ward = world.ward_a
    province_plan = PlanFactory(organization=world.ward_a.parent, upward_report_due_days=10)
    plan = PlanFactory(organization=ward, period_start=START, reporting_cycle="monthly")
    plan.parents.add(province_plan)
    made = []
    for start, length, cycle, progress, led in shapes:
        begin = START + datetime.timedelta(days=start)
        made.append(
            TaskFactory(
                plan=plan,
                start_date=begin,
                due_date=begin + datetime.timedelta(days=length),
                reporting_cycle=cycle,
                progress=progress,
                lead_units=[world.vhxh] if led else [],
            )
        )
    indicator = Indicator.objects.create(plan=plan, name="Tỷ lệ", comparator=">=")
    IndicatorMilestone.objects.create(indicator=indicator, year=2026, value=Decimal(50))
    IndicatorMilestone.objects.create(indicator=indicator, year=2027, value=Decimal(80))
    IndicatorValue.objects.create(indicator=indicator, period="2026-Q1", value=Decimal(60))
    today = D(2026, 2, 1)
    django_settings.THEODOI_TODAY = today.isoformat()
    services.scan(organization=ward)
    for gap, action, which, number in steps:
        task = made[which % len(made)]
        task.refresh_from_db()
        if action == "report":
            cycle = task.cycle
            period = _period_before(today, cycle)
            ProgressReport.objects.update_or_create(
                task=task,
                period=period,
                defaults={"percent": number, "status": ProgressReport.Status.SUBMITTED},
            )
        elif action == "due" and task.due_date is not None:
            task.due_date = task.due_date + datetime.timedelta(days=number - 50)
            task.save()
        elif action == "progress":
            task.progress = number
            task.completed_on = today if number == 100 else None
            task.save()
        elif action == "upward":
            UpwardReport.objects.update_or_create(
                plan=plan,
                period=_period_before(today, "monthly"),
                defaults={
                    "organization": ward,
                    "status": UpwardReport.Status.SENT,
                    "due_on": today,
                },
            )
        elif action == "value":
            IndicatorValue.objects.update_or_create(
                indicator=indicator,
                period=_period_before(today, "quarterly"),
                defaults={"value": Decimal(number)},
            )
        elif action == "close":
            plan.status = Plan.Status.CLOSED if plan.status == Plan.Status.ACTIVE else "active"
            plan.save()
        today += datetime.timedelta(days=gap)
        django_settings.THEODOI_TODAY = today.isoformat()
        services.scan(organization=ward)
        full_scan_changes_nothing(ward)


def _period_before(today, cycle):
    from theodoi.plans.periods import CYCLES, period_of

    cycle = cycle if cycle in CYCLES else "quarterly"
    return str(period_of(today - datetime.timedelta(days=1), cycle))


def test_a_same_day_rescan_evaluates_nothing_and_a_change_only_its_task(world, settings):
    settings.THEODOI_TODAY = "2026-11-24"
    first = services.scan(organization=world.ward_a)
    assert first.full and first.tasks == 2
    again = services.scan(organization=world.ward_a)
    assert not again.full and (again.tasks, again.indicators) == (0, 0)
    assert again.still_open == first.still_open
    task = Task.objects.get(pk=world.task_vhxh.pk)
    task.due_date = D(2026, 10, 1)
    task.save()  # any write of a task's facts makes the next scan evaluate it
    changed = services.scan(organization=world.ward_a)
    assert changed.tasks == 1
    (alert,) = Alert.objects.filter(task=task, closed_at__isnull=True)
    assert alert.rule == "overdue"


def test_a_crossed_date_is_evaluated_and_the_days_late_are_not_stored(world, settings):
    settings.THEODOI_TODAY = "2026-12-20"
    task = Task.objects.get(pk=world.task_vhxh.pk)
    services.scan(organization=world.ward_a)
    watch = AlertWatch.objects.get(task=task)
    assert watch.next_check == D(2027, 1, 1)  # due 31/12: overdue from the day after
    settings.THEODOI_TODAY = "2027-01-02"
    result = services.scan(organization=world.ward_a)
    assert result.tasks == 2
    (alert,) = Alert.objects.filter(task=task, closed_at__isnull=True)
    assert alert.text.startswith("Quá hạn 2 ngày")
    settings.THEODOI_TODAY = "2027-01-03"
    alert = Alert.objects.get(pk=alert.pk)
    assert alert.text.startswith("Quá hạn 3 ngày")  # counted when shown, not rewritten
    later = services.scan(organization=world.ward_a)
    assert later.updated == 0


def test_a_changed_rules_version_makes_the_next_scan_full(world, settings):
    settings.THEODOI_TODAY = "2026-11-24"
    services.scan(organization=world.ward_a)
    ScanState.objects.filter(organization=world.ward_a).update(rules_version="old")
    assert services.scan(organization=world.ward_a).full
    settings.THEODOI_DUE_SOON_DAYS = 40  # the setting is part of what the watches assumed
    assert services.scan(organization=world.ward_a).tasks == 2


def test_old_rows_with_a_stored_count_read_as_today(world, settings):
    settings.THEODOI_TODAY = "2026-10-10"
    alert = Alert(
        organization=world.ward_a,
        task=world.task_vhxh,
        rule="overdue",
        message="Quá hạn 5 ngày (hạn 30/09/2026), tiến độ 40%.",
        reasons=[
            {
                "rule": "overdue",
                "keys": [],
                "numbers": {"due": "2026-09-30", "days_late": 5, "progress": 40},
                "message": "Quá hạn 5 ngày (hạn 30/09/2026), tiến độ 40%.",
                "short": "quá hạn 5 ngày",
            }
        ],
    )
    assert alert.text == "Quá hạn 10 ngày (hạn 30/09/2026), tiến độ 40%."
    assert rules.shown([], "Văn bản cũ", D(2026, 10, 10)) == ("Văn bản cũ", [])


def test_the_split_scan_gives_the_inline_scans_alerts_and_mails_after_the_last_ward(
    world, settings, mailoutbox
):
    settings.THEODOI_TODAY = "2026-11-24"
    world.people.leader.email = "lan@example.vn"
    world.people.leader.save()
    province = world.ward_a.parent
    run = services.scan_queued(organization=province)  # the test queue runs jobs at once
    run.refresh_from_db()
    assert run.pending == 0 and run.finished_at is not None
    assert run.totals["tasks"] == 3
    split = snapshot(province)
    assert split
    # The digest went out once every ward was scanned, and told of them all.
    (mail,) = mailoutbox
    assert mail.to == ["lan@example.vn"] and "cần khoảng 90%" in mail.body
    full_scan_changes_nothing(province)


def test_a_ward_scan_records_its_day_in_its_state_row(world, settings):
    settings.THEODOI_TODAY = "2026-11-24"
    services.scan(organization=world.ward_a)
    state = ScanState.objects.get(organization=world.ward_a)
    assert state.last_day == D(2026, 11, 24)
    assert ScanRun.objects.count() == 0


@pytest.mark.parametrize("full", [True, False])
def test_scan_result_keeps_its_keys(world, settings, full):
    settings.THEODOI_TODAY = "2026-11-24"
    result = services.scan(organization=world.ward_a, full=full).as_dict()
    assert {"tasks", "indicators", "opened", "updated", "closed", "still_open", "seconds"} <= set(
        result
    )


def test_the_command_queues_one_job_per_ward(world, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.THEODOI_TODAY = "2026-11-24"
    out = StringIO()
    call_command("scan_alerts", "--queue", "--no-email", stdout=out)
    assert "Đã xếp hàng quét cảnh báo của 2 phường, xã" in out.getvalue()
    run = ScanRun.objects.get()
    assert run.finished_at is not None and not run.send_digests
    assert Alert.objects.filter(task=world.task_b, closed_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_two_scans_of_a_ward_at_once_open_each_alert_once(world, settings):
    """The second scan waits for the first's lock on the ward's state row, then finds its
    alerts: never two open alerts for one task. Needs a database with row locks."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only")
    settings.THEODOI_TODAY = "2026-11-24"
    start = threading.Barrier(2)
    errors = []

    def one_scan():
        try:
            start.wait()
            services.scan(organization=world.ward_a, full=True)
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for task in (world.task_vhxh, world.task_police):
        assert Alert.objects.filter(task=task, closed_at__isnull=True).count() == 1
    assert Alert.objects.filter(task__plan__organization=world.ward_a).count() == 2
