"""Editing a plan through the services: a task's cycle and place, an indicator with its
roadmap, the plan's own fields, each with a version check and an audit record; withdrawing a
plan deletes it when nothing was reported on it, archives it otherwise."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import SectionFactory
from theodoi.alerts.models import Alert
from theodoi.audit.models import AuditEvent
from theodoi.plans import services
from theodoi.plans.models import Indicator, IndicatorMilestone, IndicatorValue, Plan, Task
from theodoi.reporting import services as reporting
from theodoi.tracking import services as tracking


def test_a_task_takes_its_own_reporting_cycle_or_follows_the_plan(world):
    task = services.task_update(
        actor=world.people.office, task=world.task_vhxh, changes={"reporting_cycle": "weekly"}
    )
    assert task.cycle == "weekly"
    task = services.task_update(
        actor=world.people.office, task=task, changes={"reporting_cycle": ""}
    )
    assert task.cycle == world.plan_a.reporting_cycle
    with pytest.raises(ValueError, match="chế độ báo cáo"):
        services.task_update(
            actor=world.people.office, task=task, changes={"reporting_cycle": "daily"}
        )


def test_a_task_moves_only_within_its_plan_and_never_under_itself(world):
    parent = world.task_vhxh
    child = services.task_create(
        actor=world.people.office, plan=world.plan_a, title="Con", parent=parent
    )
    grandchild = services.task_create(
        actor=world.people.office, plan=world.plan_a, title="Cháu", parent=child
    )
    office = world.people.office
    for changes in (
        {"parent": parent},
        {"parent": grandchild},
        {"parent": world.task_b},
        {"section": SectionFactory(plan=world.plan_b)},
    ):
        with pytest.raises(ValueError) as refused:
            services.task_update(actor=office, task=parent, changes=changes)
        assert str(refused.value) and not str(refused.value).startswith("fields")
    moved = services.task_update(
        actor=office, task=grandchild, changes={"parent": world.task_police, "order": 3}
    )
    assert (moved.parent, moved.order) == (world.task_police, 3)
    with pytest.raises(ValueError, match="phường/xã khác"):
        services.task_update(actor=office, task=parent, changes={}, lead_units=[world.unit_b])


def test_a_stale_task_update_writes_nothing(world):
    task = world.task_vhxh
    seen = task.updated_at
    services.task_update(actor=world.people.office, task=task, changes={"title": "Mới"})
    with pytest.raises(services.StaleEdit):
        services.task_update(
            actor=world.people.office,
            task=Task.objects.get(pk=task.pk),
            changes={"title": "Cũ"},
            expected_updated_at=seen,
        )
    assert Task.objects.get(pk=task.pk).title == "Mới"


def test_indicator_update_replaces_the_roadmap_and_records_it(world):
    indicator = services.indicator_create(
        actor=world.people.office,
        plan=world.plan_a,
        name="Tỷ lệ hồ sơ trực tuyến",
        milestones={2026: Decimal(50), 2027: Decimal(60)},
        milestone_texts={2026: "≥ 50%"},
    )
    seen = indicator.updated_at
    updated = services.indicator_update(
        actor=world.people.office,
        indicator=indicator,
        changes={"comparator": "<=", "baseline": Decimal("12.5"), "lead_unit": world.vhxh},
        milestones={2026: Decimal(50), 2028: Decimal(70)},
        expected_updated_at=seen,
    )
    assert updated.lower_is_better and updated.lead_unit == world.vhxh
    rows = {m.year: m for m in IndicatorMilestone.objects.filter(indicator=indicator)}
    assert set(rows) == {2026, 2028}
    assert rows[2026].text == "≥ 50%"  # unchanged value keeps what the plan wrote
    event = AuditEvent.objects.get(action="indicator.update")
    assert event.before["milestones"] == {"2026": "50.0000", "2027": "60.0000"}
    assert event.after["milestones"] == {"2026": "50.0000", "2028": "70.0000"}
    assert event.before["comparator"] == ">=" and event.after["comparator"] == "<="
    # The version moved, even for a change of the roadmap alone.
    assert updated.updated_at != seen
    with pytest.raises(services.StaleEdit):
        services.indicator_update(
            actor=world.people.office, indicator=indicator, changes={}, expected_updated_at=seen
        )
    with pytest.raises(PermissionDenied):
        services.indicator_update(actor=world.people.officer, indicator=indicator, changes={})
    with pytest.raises(ValueError):
        services.indicator_update(
            actor=world.people.office, indicator=indicator, changes={"lead_unit": world.unit_b}
        )


def test_plan_update_checks_its_fields_and_version(world):
    plan = world.plan_a
    seen = plan.updated_at
    services.plan_update(
        actor=world.people.office,
        plan=plan,
        changes={"reporting_cycle": "monthly", "issued_on": datetime.date(2026, 1, 15)},
        expected_updated_at=seen,
    )
    plan.refresh_from_db()
    assert plan.reporting_cycle == "monthly"
    event = AuditEvent.objects.get(action="plan.update")
    assert event.after["reporting_cycle"] == "monthly"
    with pytest.raises(services.StaleEdit):
        services.plan_update(
            actor=world.people.office, plan=plan, changes={"title": "X"}, expected_updated_at=seen
        )
    for changes in (
        {"reporting_cycle": ""},
        {"title": " "},
        {"report_due_days": 400},
        {"period_start": datetime.date(2027, 1, 1), "period_end": datetime.date(2026, 1, 1)},
    ):
        with pytest.raises(ValueError):
            services.plan_update(actor=world.people.office, plan=plan, changes=changes)
    with pytest.raises(PermissionDenied):
        services.plan_update(actor=world.people.leader, plan=plan, changes={"title": "X"})


def test_an_unreported_plan_is_deleted_with_its_snapshot_on_the_ward(world):
    plan = world.plan_a
    services.task_withdraw(actor=world.people.office, task=world.task_police, reason="Trùng")
    outcome = tracking.plan_withdraw(actor=world.people.office, plan=plan, reason="Nhập nhầm")
    assert outcome == "deleted"
    assert not Plan.objects.filter(pk=plan.pk).exists()
    assert not Task.all_objects.filter(plan_id=plan.pk).exists()
    event = AuditEvent.objects.get(action="plan.delete")
    assert event.organization == world.ward_a and event.actor == world.people.office
    assert {t["title"] for t in event.before["tasks"]} == {
        world.task_vhxh.title,
        world.task_police.title,
    }


@pytest.mark.parametrize("what", ["report", "report_on_withdrawn_task", "indicator_value"])
def test_a_plan_reported_on_is_archived_not_deleted(world, what):
    plan = world.plan_a
    if what == "indicator_value":
        indicator = services.indicator_create(actor=world.people.office, plan=plan, name="Tỷ lệ")
        IndicatorValue.objects.create(indicator=indicator, period="2026", value=Decimal(5))
    else:
        reporting.report_submit(
            actor=world.people.officer, task=world.task_vhxh, period="2026-Q3", percent=20
        )
        if what == "report_on_withdrawn_task":
            services.task_withdraw(actor=world.people.office, task=world.task_vhxh, reason="Trùng")
    Alert.objects.create(task=world.task_police, organization=world.ward_a, rule="overdue")
    assert tracking.plan_was_reported_on(plan)

    outcome = tracking.plan_withdraw(actor=world.people.office, plan=plan, reason="Nhập nhầm")

    assert outcome == "archived"
    plan.refresh_from_db()
    assert plan.is_archived and plan.withdrawn_reason == "Nhập nhầm"
    assert not Task.objects.filter(plan=plan).exists()
    assert not Alert.objects.filter(task__plan=plan, closed_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="plan.withdraw", object_id=str(plan.pk)).exists()
    with pytest.raises(ValueError):
        tracking.plan_withdraw(actor=world.people.office, plan=plan, reason="Lần nữa")

    tracking.plan_restore(actor=world.people.office, plan=plan)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE and plan.withdrawn_reason == ""
    assert Task.objects.filter(pk=world.task_police.pk).exists()


def test_withdrawing_a_plan_needs_a_reason_and_the_office(world):
    with pytest.raises(ValueError):
        tracking.plan_withdraw(actor=world.people.office, plan=world.plan_a, reason=" ")
    with pytest.raises(PermissionDenied):
        tracking.plan_withdraw(actor=world.people.officer, plan=world.plan_a, reason="X")
    with pytest.raises(PermissionDenied):
        tracking.plan_restore(actor=world.people.upper, plan=world.plan_a)
    assert Plan.objects.get(pk=world.plan_a.pk).status == Plan.Status.ACTIVE
    assert Indicator.objects.count() == 0
