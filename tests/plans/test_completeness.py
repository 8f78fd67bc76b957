"""The "6 rõ" of a plan's tasks: which lack a lead unit, a deadline, an output or a KPI, how many
cannot be tracked yet, and the bulk assignment that completes them (one audited change each)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import PlanFactory, TaskFactory
from theodoi.audit.models import AuditEvent
from theodoi.plans import selectors
from theodoi.plans import services as plans
from theodoi.plans.models import Plan, Task
from theodoi.plans.selectors import Gap


def bare_task(plan, **fields):
    """A task as an import leaves it: no lead unit, no deadline, no output, no KPI."""
    values = {"deadline_text": "", "deadline_kind": "unknown", "due_date": None} | fields
    return TaskFactory(plan=plan, **values)


@pytest.fixture
def bare(world):
    return [bare_task(world.plan_a, title=f"Nhiệm vụ trống {n}") for n in range(3)]


def test_counts_each_gap_and_the_tasks_not_yet_trackable(world, bare):
    # The two fixture tasks have a lead unit and a deadline, but no output and no KPI.
    TaskFactory(plan=world.plan_a, lead_units=[world.vhxh], output="Báo cáo", kpi="100%")
    bare_task(world.plan_a, due_date=datetime.date(2026, 9, 30), output="Quyết định")
    counts = selectors.plan_completeness(world.plan_a)
    assert counts.total == 7
    assert counts.not_trackable == 4  # the three bare tasks and the one without a lead unit
    assert counts.gaps == {Gap.LEAD_UNIT: 4, Gap.DEADLINE: 3, Gap.OUTPUT: 5, Gap.KPI: 6}
    assert counts.incomplete == 6
    assert counts.complete == 1


def test_withdrawn_tasks_and_other_plans_do_not_count(world, bare):
    plans.task_withdraw(actor=world.people.office, task=bare[0], reason="Trùng")
    bare_task(world.plan_b)
    assert selectors.plan_completeness(world.plan_a).not_trackable == 2


def test_tasks_with_gaps_filters_by_gap_and_names_each_tasks_gaps(world, bare):
    dated = bare_task(world.plan_a, due_date=datetime.date(2026, 9, 30), kpi="Đạt 100%")
    tasks = Task.objects.filter(plan=world.plan_a)
    assert set(selectors.tasks_with_gaps(tasks, gap="deadline")) == set(bare)
    assert set(selectors.tasks_with_gaps(tasks, gap="not_trackable")) == {*bare, dated}
    assert len(selectors.tasks_with_gaps(tasks, gap="output")) == 6
    row = selectors.tasks_with_gaps(tasks, gap="lead_unit").get(pk=dated.pk)
    assert selectors.task_gaps(row) == [Gap.LEAD_UNIT, Gap.OUTPUT]


def test_ward_completeness_counts_each_plan_in_one_query(world, bare, django_assert_num_queries):
    other = PlanFactory(organization=world.ward_a)
    bare_task(other)
    with django_assert_num_queries(1):
        rows = selectors.ward_completeness([world.plan_a, other])
    assert [(plan, counts.not_trackable) for plan, counts in rows] == [
        (world.plan_a, 3),
        (other, 1),
    ]


def test_bulk_assign_changes_only_the_given_fields_with_one_audit_record_per_task(world, bare):
    bare[0].output = "Kế hoạch đã có"
    bare[0].save()
    plans.tasks_bulk_assign(
        actor=world.people.office,
        tasks=bare,
        lead_units=[world.police],
        deadline_text="Quý III/2026",
        kpi="100% cán bộ",
    )
    for task in bare:
        task.refresh_from_db()
        assert selectors.lead_unit_ids(task) == [world.police.pk]
        assert task.due_date == datetime.date(2026, 9, 30)
        assert task.deadline_text == "Quý III/2026"
        assert task.kpi == "100% cán bộ"
    assert bare[0].output == "Kế hoạch đã có"  # not given: kept
    events = AuditEvent.objects.filter(action="task.update").order_by("id")
    assert [event.object_id for event in events] == [str(task.pk) for task in bare]
    assert events[0].before["lead_units"] == [] and events[0].after["lead_units"] == [
        world.police.pk
    ]
    assert events[0].before["due_date"] is None
    assert selectors.plan_completeness(world.plan_a).not_trackable == 0


def test_coordinating_units_are_added_to_the_tasks_own(world):
    task = TaskFactory(
        plan=world.plan_a, lead_units=[world.vhxh], coordinating_units=[world.police]
    )
    other = TaskFactory(plan=world.plan_a, lead_units=[world.police])
    economy = world.ward_a.units.create(name="Phòng Kinh tế")
    plans.tasks_bulk_assign(
        actor=world.people.office, tasks=[task, other], coordinating_units=[economy, world.vhxh]
    )
    assert selectors.coordinating_unit_ids(task) == [world.police.pk, economy.pk]  # vhxh leads
    assert selectors.coordinating_unit_ids(other) == [economy.pk, world.vhxh.pk]


def test_a_deadline_naming_no_day_is_refused_and_nothing_changes(world, bare):
    with pytest.raises(plans.AssignError, match="chưa cho biết ngày nào"):
        plans.tasks_bulk_assign(
            actor=world.people.office,
            tasks=bare,
            lead_units=[world.vhxh],
            deadline_text="Khi có yêu cầu",
        )
    assert selectors.plan_completeness(world.plan_a).gaps[Gap.LEAD_UNIT] == 3
    assert not AuditEvent.objects.filter(action="task.update").exists()


def test_nothing_given_or_no_task_is_refused(world, bare):
    with pytest.raises(plans.AssignError):
        plans.tasks_bulk_assign(actor=world.people.office, tasks=bare, output="  ")
    with pytest.raises(plans.AssignError):
        plans.tasks_bulk_assign(actor=world.people.office, tasks=[], output="Báo cáo")


def test_a_unit_officer_may_not_assign_and_nothing_is_half_done(world, bare):
    with pytest.raises(PermissionDenied):
        plans.tasks_bulk_assign(actor=world.people.officer, tasks=bare, lead_units=[world.vhxh])
    assert not AuditEvent.objects.filter(action="task.update").exists()


def test_archived_plans_leave_the_counts(world, bare):
    Plan.objects.filter(pk=world.plan_a.pk).update(status=Plan.Status.ARCHIVED)
    assert selectors.plan_completeness(world.plan_a).total == 0
