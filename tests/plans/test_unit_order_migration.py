"""The migration that gives a task's units an explicit order gives them the plan's order: where
the task's text as written first names each unit, else the order of the rows' ids.

The old code wrote the rows with ``task.lead_units.set(...)``, which inserts them in the order
of a Python set (for small ids, ascending ids), not the plan's order."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import OrganizationFactory, UnitFactory
from theodoi.org.models import UnitAlias
from theodoi.plans.models import TaskCoordinatingUnit, TaskLeadUnit

BEFORE = [("plans", "0004_texts_as_written")]


def _migrate_back():
    """The schema before the migration, and its historical models: the plans and tasks are
    written with those, since today's models have columns that schema lacks."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    return executor.loader.project_state(BEFORE).apps


def _plan(old, organization):
    return old.get_model("plans", "Plan").objects.create(
        organization_id=organization.pk, number="1/KH-THUNGHIEM", title="Kế hoạch", issuer="UBND"
    )


def _task(old, plan, **fields):
    return old.get_model("plans", "Task").objects.create(
        plan_id=plan.pk, title="Nhiệm vụ", **fields
    )


def _migrate_forward():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_rows_get_the_order_of_their_ids_when_the_text_names_no_unit():
    old = _migrate_back()
    ward = OrganizationFactory()
    plan = _plan(old, ward)
    units = [UnitFactory(organization=ward) for _ in range(4)]
    first, second = _task(old, plan), _task(old, plan)
    old = old.get_model("plans", "Task")
    # Added against the units' ids and interleaved between the two tasks.
    for task, unit in [(first, 3), (second, 1), (first, 0), (second, 2), (first, 2), (second, 0)]:
        old.lead_units.through.objects.create(task_id=task.pk, unit_id=units[unit].pk)
    old.coordinating_units.through.objects.create(task_id=first.pk, unit_id=units[1].pk)
    old.coordinating_units.through.objects.create(task_id=first.pk, unit_id=units[0].pk)

    _migrate_forward()

    def ordered(model, task):
        rows = model.objects.filter(task_id=task.pk).order_by("order")
        return [(row.order, units.index(row.unit)) for row in rows]

    assert ordered(TaskLeadUnit, first) == [(0, 3), (1, 0), (2, 2)]
    assert ordered(TaskLeadUnit, second) == [(0, 1), (1, 2), (2, 0)]
    assert ordered(TaskCoordinatingUnit, first) == [(0, 1), (1, 0)]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_get_the_order_the_plan_names_the_units_in():
    apps = _migrate_back()
    ward = OrganizationFactory(name="Phường Lê Chân")
    plan = _plan(apps, ward)
    # Created (so numbered) in an order the plan's text does not follow.
    economy = UnitFactory(organization=ward, name="Phòng Kinh tế")
    infrastructure = UnitFactory(
        organization=ward, name="Phòng Kinh tế, Hạ tầng và Đô thị", short_name="Phòng KT-HT&ĐT"
    )
    culture = UnitFactory(organization=ward, name="Phòng Văn hóa - Xã hội")
    UnitAlias.objects.create(unit=culture, alias="Phòng VH-XH")
    police = UnitFactory(organization=ward, name="Công an phường Lê Chân")
    office = UnitFactory(
        organization=ward, name="Văn phòng HĐND và UBND", short_name="VP HĐND-UBND"
    )
    task = _task(
        apps,
        plan,
        # Named by alias, by a name inside a longer one, without the ward's name; the office
        # is linked but not named.
        lead_units_raw="Công an phường; Phòng VH-XH (chủ trì), Phòng Kinh tế, Hạ tầng và Đô thị,"
        " Phòng Kinh tế",
        # Named by short name, and without case or diacritics.
        coordinating_units_raw="VP HĐND-UBND; phong kinh te, ha tang va do thi",
    )
    old = apps.get_model("plans", "Task")
    # As ``set()`` wrote them: ascending ids.
    for unit in (economy, infrastructure, culture, police, office):
        old.lead_units.through.objects.create(task_id=task.pk, unit_id=unit.pk)
    for unit in (infrastructure, office):
        old.coordinating_units.through.objects.create(task_id=task.pk, unit_id=unit.pk)

    _migrate_forward()

    def ordered(model):
        return [row.unit for row in model.objects.filter(task_id=task.pk).order_by("order")]

    assert ordered(TaskLeadUnit) == [police, culture, infrastructure, economy, office]
    assert ordered(TaskCoordinatingUnit) == [office, infrastructure]
