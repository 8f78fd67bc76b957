"""Writing plans and tasks: parsed deadlines, permissions and the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from theodoi.audit.models import AuditEvent
from theodoi.core.access import SYSTEM
from theodoi.plans import services
from theodoi.plans.models import Plan


def test_task_create_parses_the_deadline_and_keeps_its_text(world):
    task = services.task_create(
        actor=world.people.office,
        plan=world.plan_a,
        title="Số hóa hồ sơ",
        lead_units=[world.vhxh],
        deadline_text="Quý I/2026",
    )
    task.refresh_from_db()
    assert task.deadline_text == "Quý I/2026"
    assert task.deadline_kind == "quarter"
    assert task.due_date == datetime.date(2026, 3, 31)
    assert list(task.lead_units.all()) == [world.vhxh]


def test_recurring_task_runs_to_the_end_of_the_plan(world):
    task = services.task_create(
        actor=SYSTEM, plan=world.plan_a, title="Tuyên truyền", deadline_text="Thường xuyên"
    )
    assert task.deadline_kind == "recurring"
    assert task.recurrence == "continuous"
    assert task.due_date == world.plan_a.period_end


def test_task_create_writes_an_audit_event_with_the_actor(world):
    task = services.task_create(
        actor=world.people.office,
        plan=world.plan_a,
        title="Số hóa hồ sơ",
        lead_units=[world.vhxh],
        deadline_text="Năm 2026",
    )
    event = AuditEvent.objects.get(action="task.create", object_id=str(task.pk))
    assert event.actor == world.people.office
    assert event.organization == world.ward_a
    assert event.after["lead_units"] == [world.vhxh.pk]
    assert len(event.hash) == 64


def test_audit_events_are_chained(world):
    services.section_create(actor=SYSTEM, plan=world.plan_a, title="I")
    services.section_create(actor=SYSTEM, plan=world.plan_a, title="II")
    first, second = AuditEvent.objects.order_by("id")[:2]
    assert second.prev_hash == first.hash
    assert first.hash != second.hash


def test_unit_officer_may_not_create_tasks(world):
    with pytest.raises(PermissionDenied):
        services.task_create(actor=world.people.officer, plan=world.plan_a, title="x")
    assert not AuditEvent.objects.filter(action="task.create").exists()


def test_a_unit_of_another_ward_cannot_lead_a_task(world):
    with pytest.raises(ValueError):
        services.task_create(actor=SYSTEM, plan=world.plan_a, title="x", lead_units=[world.unit_b])


def test_task_update_reparses_deadline_and_records_before_and_after(world):
    task = world.task_vhxh
    services.task_update(
        actor=world.people.office,
        task=task,
        changes={"deadline_text": "30/9/2026"},
        lead_units=[world.vhxh, world.police],
    )
    task.refresh_from_db()
    assert task.due_date == datetime.date(2026, 9, 30)
    event = AuditEvent.objects.get(action="task.update")
    assert event.before["deadline_text"] == "Quý IV/2026"
    assert event.after["deadline_text"] == "30/9/2026"
    assert event.after["lead_units"] == sorted([world.vhxh.pk, world.police.pk])


def test_task_update_refuses_cached_state_fields(world):
    with pytest.raises(ValueError):
        services.task_update(actor=SYSTEM, task=world.task_vhxh, changes={"progress": 100})


def test_plan_create_by_the_standing_office(world):
    plan = services.plan_create(
        actor=world.people.office,
        organization=world.ward_a,
        title="Kế hoạch năm 2027",
        issuer="UBND phường",
        number="12/KH-UBND",
        parents=[world.plan_a],
    )
    assert Plan.objects.get(pk=plan.pk).parents.get() == world.plan_a
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=world.people.leader, organization=world.ward_a, title="x", issuer="y"
        )


def test_indicator_with_milestones(world):
    from decimal import Decimal

    indicator = services.indicator_create(
        actor=SYSTEM,
        plan=world.plan_a,
        name="Tỷ lệ hồ sơ xử lý trực tuyến",
        target=Decimal(95),
        target_year=2030,
        milestones={2026: Decimal(80), 2027: Decimal("85.5")},
        lead_unit=world.vhxh,
    )
    assert [(m.year, m.value) for m in indicator.milestones.all()] == [
        (2026, Decimal(80)),
        (2027, Decimal("85.5")),
    ]
