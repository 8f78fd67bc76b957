"""The migration that gives a task's units an explicit order keeps the order they had: the
order of the rows' ids, which is the order the plan was imported or the task saved with."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import PlanFactory, TaskFactory, UnitFactory
from theodoi.plans.models import TaskCoordinatingUnit, TaskLeadUnit

BEFORE = [("plans", "0004_texts_as_written")]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_get_the_order_of_their_ids():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("plans", "Task")
    plan = PlanFactory()
    units = [UnitFactory(organization=plan.organization) for _ in range(4)]
    first, second = TaskFactory(plan=plan), TaskFactory(plan=plan)
    # Added against the units' ids and interleaved between the two tasks.
    for task, unit in [(first, 3), (second, 1), (first, 0), (second, 2), (first, 2), (second, 0)]:
        old.lead_units.through.objects.create(task_id=task.pk, unit_id=units[unit].pk)
    old.coordinating_units.through.objects.create(task_id=first.pk, unit_id=units[1].pk)
    old.coordinating_units.through.objects.create(task_id=first.pk, unit_id=units[0].pk)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    def ordered(model, task):
        rows = model.objects.filter(task=task).order_by("order")
        return [(row.order, units.index(row.unit)) for row in rows]

    assert ordered(TaskLeadUnit, first) == [(0, 3), (1, 0), (2, 2)]
    assert ordered(TaskLeadUnit, second) == [(0, 1), (1, 2), (2, 0)]
    assert ordered(TaskCoordinatingUnit, first) == [(0, 1), (1, 0)]
