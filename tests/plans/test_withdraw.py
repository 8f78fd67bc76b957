"""A withdrawn task leaves every count but keeps its history; a withdrawn plan takes its tasks
and indicators with it."""

import pytest
from django.core.exceptions import PermissionDenied

from theodoi.audit.models import AuditEvent
from theodoi.plans import services
from theodoi.plans.models import Indicator, Plan, Task


def _task(world, title="Số hóa hồ sơ", parent=None):
    return services.task_create(
        actor=world.people.office,
        plan=world.plan_a,
        title=title,
        parent=parent,
        lead_units=[world.vhxh],
        deadline_text="Quý I/2026",
    )


def test_withdrawn_task_and_its_subtasks_leave_the_counts_but_stay_reachable(world):
    parent = _task(world, "Chuyển đổi số")
    child = _task(world, "Số hóa hồ sơ", parent=parent)
    kept = _task(world, "Tuyên truyền")
    counted = world.plan_a.tasks.count()

    withdrawn = services.task_withdraw(
        actor=world.people.office, task=parent, reason="Trùng với Kế hoạch 12"
    )

    assert [t.pk for t in withdrawn] == [parent.pk, child.pk]
    assert world.plan_a.tasks.count() == counted - 2
    assert not Task.objects.filter(pk__in=[parent.pk, child.pk]).exists()
    assert Task.objects.filter(pk=kept.pk).exists()
    stored = Task.all_objects.get(pk=child.pk)
    assert stored.is_withdrawn
    assert stored.withdrawn_reason == "Trùng với Kế hoạch 12"
    events = AuditEvent.objects.filter(action="task.withdraw")
    assert {e.object_id for e in events} == {str(parent.pk), str(child.pk)}
    assert all(e.actor == world.people.office for e in events)
    assert events.get(object_id=str(parent.pk)).before["withdrawn_at"] is None


def test_withdrawing_needs_a_reason_and_the_right_to_edit(world):
    task = _task(world)
    with pytest.raises(ValueError):
        services.task_withdraw(actor=world.people.office, task=task, reason="  ")
    with pytest.raises(PermissionDenied):
        services.task_withdraw(actor=world.people.officer, task=task, reason="Không cần")
    assert Task.objects.filter(pk=task.pk).exists()
    assert not AuditEvent.objects.filter(action="task.withdraw").exists()


def test_an_archived_plan_takes_its_tasks_and_indicators_out_of_the_counts(world):
    task = _task(world)
    indicator = services.indicator_create(
        actor=world.people.office, plan=world.plan_a, name="Tỷ lệ"
    )
    Plan.objects.filter(pk=world.plan_a.pk).update(status=Plan.Status.ARCHIVED)

    assert not Task.objects.filter(pk=task.pk).exists()
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    assert Task.all_objects.filter(pk=task.pk).exists()
    assert Indicator.all_objects.filter(pk=indicator.pk).exists()
