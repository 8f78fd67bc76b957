"""Saving drafts into a ward: units resolved or proposed, tasks with parents, re-import updates."""

import pytest

from theodoi.audit.models import AuditEvent
from theodoi.core.access import SYSTEM
from theodoi.importer.draft import Draft, DraftPlan, DraftSection, DraftTask
from theodoi.importer.services import (
    import_draft,
    plan_period,
    preview_changes,
    resolve_draft_units,
)
from theodoi.org.models import Unit
from theodoi.plans.models import Task
from theodoi.plans.selectors import lead_unit_ids


def make_draft(**changes):
    tasks = [
        DraftTask(
            code="1",
            title="Triển khai chữ ký số",
            section="I",
            lead_units_raw="Phòng Văn hóa - Xã hội",
            coordinating_units_raw="Công an phường",
            deadline_text="Quý I/2026",
        ),
        DraftTask(
            code="1.1",
            parent="1",
            title="Cấp chữ ký số cho cán bộ",
            section="I",
            lead_units_raw="Phòng Văn hóa - Xã hội",
            deadline_text="Tháng 02/2026",
        ),
        DraftTask(
            code="2",
            title="Lắp camera",
            section="I",
            lead_units_raw="UBND phường (Phòng Văn hóa, Xã hội; Trạm Y tế)",
            coordinating_units_raw="Các cơ quan, đơn vị",
            deadline_text="Năm 2026",
        ),
    ]
    draft = Draft(
        plan=DraftPlan(
            number="12/KH-UBND",
            title="Kế hoạch chuyển đổi số năm 2026",
            issuer="UBND phường",
            issuer_kind="peoples_committee",
        ),
        sections=[DraftSection(code="I", title="Nâng cao nhận thức")],
        tasks=tasks,
    )
    for key, value in changes.items():
        setattr(draft, key, value)
    return draft


def test_units_resolved_and_unknown_names_proposed(world):
    draft = make_draft()
    unknown = resolve_draft_units(draft, world.ward_a)
    assert draft.tasks[0].lead_units == ["Phòng Văn hóa - Xã hội"]
    assert draft.tasks[0].coordinating_units == ["Công an phường"]
    # "UBND phường (X; Y)": the units in brackets lead; an unknown one is proposed.
    assert draft.tasks[2].lead_units == ["Phòng Văn hóa - Xã hội"]
    assert unknown == ["Trạm Y tế"]
    assert draft.tasks[2].coordinating_units == ["*"]


def test_import_creates_plan_tasks_subtasks_and_new_units(world):
    result = import_draft(actor=world.people.office, draft=make_draft(), ward=world.ward_a)
    plan = result.plan
    assert result.created and result.tasks_added == 3
    assert result.units_created == ["Trạm Y tế"]
    clinic = Unit.objects.get(organization=world.ward_a, name="Trạm Y tế")
    task_two = plan.tasks.get(code="2")
    assert set(task_two.lead_units.all()) == {world.vhxh, clinic}
    # "Các cơ quan, đơn vị" coordinates: every other unit of the ward.
    assert set(task_two.coordinating_units.all()) == {world.police}
    sub = plan.tasks.get(code="1.1")
    assert sub.parent == plan.tasks.get(code="1")
    assert sub.section.code == "I"
    assert sub.due_date.isoformat() == "2026-02-28"
    assert AuditEvent.objects.filter(action="plan.import", object_id=str(plan.pk)).exists()


def test_unknown_unit_mapped_to_an_existing_unit(world):
    result = import_draft(
        actor=SYSTEM,
        draft=make_draft(),
        ward=world.ward_a,
        unit_choices={"Trạm Y tế": world.police.pk},
    )
    assert set(result.plan.tasks.get(code="2").lead_units.all()) == {world.vhxh, world.police}
    assert not Unit.objects.filter(name="Trạm Y tế").exists()


def test_unknown_unit_left_out_keeps_the_text(world):
    result = import_draft(
        actor=SYSTEM, draft=make_draft(), ward=world.ward_a, unit_choices={"Trạm Y tế": None}
    )
    task = result.plan.tasks.get(code="2")
    assert list(task.lead_units.all()) == [world.vhxh]
    assert "Trạm Y tế" in task.lead_units_raw


def test_reimport_updates_instead_of_duplicating(world):
    first = import_draft(actor=SYSTEM, draft=make_draft(), ward=world.ward_a)
    newer = make_draft()
    newer.tasks[0].deadline_text = "Quý II/2026"
    newer.tasks = [newer.tasks[0], newer.tasks[1]] + [
        DraftTask(code="3", title="Nhiệm vụ mới", section="I", deadline_text="Năm 2026")
    ]
    preview = preview_changes(world.ward_a, newer)
    assert (preview.added, preview.changed, preview.missing, preview.unchanged) == (
        ["I.3"],
        ["I.1"],
        ["I.2"],
        1,
    )
    second = import_draft(actor=SYSTEM, draft=newer, ward=world.ward_a)
    assert second.plan == first.plan and not second.created
    assert (second.tasks_added, second.tasks_changed, second.tasks_missing) == (1, 1, ["I.2"])
    assert Task.objects.filter(plan=first.plan).count() == 4  # task 2 is kept, not deleted
    assert first.plan.tasks.get(code="1").due_date.isoformat() == "2026-06-30"


def test_plan_period_from_the_title():
    assert [d.isoformat() for d in plan_period(make_draft())] == ["2026-01-01", "2026-12-31"]
    draft = make_draft()
    draft.plan.title = "Kế hoạch giai đoạn 2026-2030 thực hiện Nghị quyết ngày 22/12/2024"
    assert [d.year for d in plan_period(draft)] == [2026, 2030]


def test_office_of_another_ward_cannot_import_here(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_draft(actor=world.people.other_ward, draft=make_draft(), ward=world.ward_a)
    assert not world.ward_a.plans.filter(number="12/KH-UBND").exists()


def test_lead_units_keep_the_documents_order_and_a_new_order_is_a_change(world):
    """The first unit a plan names leads (alerts go to it): not the first by id or by name."""
    assert world.police.pk > world.vhxh.pk
    draft = make_draft()
    draft.tasks[0].lead_units_raw = "Công an phường; Phòng Văn hóa - Xã hội"
    draft.tasks[0].coordinating_units_raw = ""
    plan = import_draft(actor=SYSTEM, draft=draft, ward=world.ward_a).plan
    task = plan.tasks.get(code="1")
    assert lead_unit_ids(task) == [world.police.pk, world.vhxh.pk]

    draft = make_draft()
    draft.tasks[0].lead_units_raw = "Phòng Văn hóa - Xã hội; Công an phường"
    draft.tasks[0].coordinating_units_raw = ""
    result = import_draft(actor=SYSTEM, draft=draft, ward=world.ward_a)
    assert result.plan == plan and not result.created
    assert result.tasks_changed >= 1
    assert lead_unit_ids(task) == [world.vhxh.pk, world.police.pk]
