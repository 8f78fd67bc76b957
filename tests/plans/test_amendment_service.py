"""Recording an amendment of a plan: one transaction, a numbered version, nothing lost."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from theodoi.audit.models import AuditEvent
from theodoi.plans import selectors, services
from theodoi.plans.models import PlanAmendment, Task
from theodoi.reporting.models import ProgressReport


def _task(world, title, deadline="30/6/2026", code=""):
    return services.task_create(
        actor=world.people.office,
        plan=world.plan_a,
        title=title,
        code=code,
        lead_units=[world.vhxh],
        deadline_text=deadline,
    )


def _move(task, text, before=None):
    fields = {"deadline_text": {"after": text}}
    if before is not None:
        fields["deadline_text"]["before"] = before
    return {"kind": "changed", "task": task.pk, "fields": fields}


def _apply(world, changes, number="15/KH-UBND", **kwargs):
    return services.amendment_apply(
        actor=world.people.office,
        plan=world.plan_a,
        number=number,
        issued_on=kwargs.pop("issued_on", datetime.date(2026, 5, 20)),
        note=kwargs.pop("note", "Điều chỉnh tiến độ"),
        changes=changes,
    )


def test_an_amendment_adds_changes_and_withdraws_in_one_version(world):
    moved = _task(world, "Triển khai chữ ký số", code="1")
    dropped = _task(world, "Tuyên truyền", code="2")

    amendment = _apply(
        world,
        [
            _move(moved, "30/9/2026", before="30/6/2026"),
            {"kind": "withdrawn", "task": dropped.pk, "reason": "Trùng nhiệm vụ"},
            {
                "kind": "added",
                "row": {
                    "code": "3",
                    "title": "Xây dựng hệ thống theo dõi",
                    "deadline_text": "Quý IV/2026",
                    "lead_unit_ids": [world.police.pk],
                },
            },
        ],
    )

    assert amendment.version == 1
    moved.refresh_from_db()
    assert moved.deadline_text == "30/9/2026"
    assert moved.due_date == datetime.date(2026, 9, 30)
    assert moved.original_due_date == datetime.date(2026, 6, 30)
    assert moved.original_deadline_text == "30/6/2026"
    assert moved.deadline_moved
    withdrawn = Task.all_objects.get(pk=dropped.pk)
    assert withdrawn.is_withdrawn
    assert "15/KH-UBND" in withdrawn.withdrawn_reason
    assert "Trùng nhiệm vụ" in withdrawn.withdrawn_reason
    added = Task.objects.get(plan=world.plan_a, code="3")
    assert selectors.lead_unit_ids(added) == [world.police.pk]
    assert [c["kind"] for c in amendment.changes] == ["changed", "withdrawn", "added"]
    assert amendment.changes[0]["deadline_moved"] is True
    assert amendment.changes[2]["task"] == added.pk
    before_ids = {row["id"] for row in amendment.before}
    assert added.pk not in before_ids
    assert {row["id"]: row["withdrawn"] for row in amendment.after}[dropped.pk] is True
    event = AuditEvent.objects.get(action="plan.amend")
    assert event.actor == world.people.office
    assert event.after["version"] == 1


def test_the_original_deadline_is_kept_from_the_first_move_only(world):
    task = _task(world, "Số hóa hồ sơ")
    _apply(world, [_move(task, "30/9/2026")])
    second = _apply(world, [_move(task, "31/12/2026")], number="20/KH-UBND")

    task.refresh_from_db()
    assert second.version == 2
    assert task.due_date == datetime.date(2026, 12, 31)
    assert task.original_due_date == datetime.date(2026, 6, 30)
    assert task.original_deadline_text == "30/6/2026"


def test_a_changed_title_is_not_a_moved_deadline(world):
    task = _task(world, "Số hóa hồ sơ")
    amendment = _apply(
        world, [{"kind": "changed", "task": task.pk, "fields": {"title": {"after": "Số hóa"}}}]
    )
    task.refresh_from_db()
    assert task.title == "Số hóa"
    assert task.original_due_date is None
    assert amendment.changes[0]["deadline_moved"] is False


def test_reports_stay_on_changed_and_withdrawn_tasks(world):
    changed = _task(world, "Số hóa hồ sơ")
    dropped = _task(world, "Tuyên truyền")
    for task in (changed, dropped):
        ProgressReport.objects.create(task=task, unit=world.vhxh, period="2026-Q1", percent=40)

    _apply(
        world,
        [
            _move(changed, "30/9/2026"),
            {"kind": "withdrawn", "task": dropped.pk, "reason": "Không còn phù hợp"},
        ],
    )

    assert ProgressReport.objects.filter(task=changed).count() == 1
    assert ProgressReport.objects.filter(task_id=dropped.pk).count() == 1


def test_a_stale_change_list_changes_nothing(world):
    task = _task(world, "Số hóa hồ sơ")
    with pytest.raises(services.StaleEdit):
        _apply(world, [_move(task, "30/9/2026", before="Quý I/2026")])
    task.refresh_from_db()
    assert task.deadline_text == "30/6/2026"
    assert not PlanAmendment.objects.exists()


def test_a_failing_change_rolls_back_the_others(world):
    task = _task(world, "Số hóa hồ sơ")
    with pytest.raises(services.AmendmentError):
        _apply(world, [_move(task, "30/9/2026"), {"kind": "withdrawn", "task": 999999}])
    task.refresh_from_db()
    assert task.deadline_text == "30/6/2026"
    assert not PlanAmendment.objects.exists()
    assert not AuditEvent.objects.filter(action="plan.amend").exists()


@pytest.mark.parametrize(
    ("number", "changes"),
    [("", "move"), ("15/KH", []), ("15/KH", [{"kind": "missing", "task": 1}])],
)
def test_an_amendment_needs_a_number_and_a_change(world, number, changes):
    task = _task(world, "Số hóa hồ sơ")
    if changes == "move":
        changes = [_move(task, "30/9/2026")]
    with pytest.raises(services.AmendmentError):
        _apply(world, changes, number=number)


def test_units_of_another_ward_are_refused(world):
    task = _task(world, "Số hóa hồ sơ")
    change = {
        "kind": "changed",
        "task": task.pk,
        "fields": {"lead_units": {"after": ["x"]}},
        "lead_unit_ids": [world.unit_b.pk],
    }
    with pytest.raises(services.AmendmentError):
        _apply(world, [change])


def test_a_task_of_another_plan_is_refused(world):
    with pytest.raises(services.AmendmentError):
        _apply(world, [_move(world.task_b, "30/9/2026")])


def test_only_the_office_may_amend(world):
    task = _task(world, "Số hóa hồ sơ")
    with pytest.raises(PermissionDenied):
        services.amendment_apply(
            actor=world.people.officer,
            plan=world.plan_a,
            number="15/KH",
            issued_on=None,
            changes=[_move(task, "30/9/2026")],
        )


def test_a_version_names_its_tasks_and_their_old_values_when_the_caller_sends_only_ids(world):
    """The API and scripts may send a task's id and the new value alone; the version still
    says which task changed and from what, so its compare page reads without them."""
    moved = _task(world, "Triển khai chữ ký số", code="1")
    dropped = _task(world, "Tuyên truyền", code="2")
    amendment = _apply(
        world,
        [
            _move(moved, "Quý IV/2026"),
            {"kind": "added", "row": {"title": "Số hóa hồ sơ", "code": "3"}},
            {"kind": "withdrawn", "task": dropped.pk, "reason": "Trùng"},
        ],
    )
    by_kind = {change["kind"]: change for change in amendment.changes}
    assert (by_kind["changed"]["code"], by_kind["changed"]["title"]) == ("1", moved.title)
    assert by_kind["changed"]["fields"]["deadline_text"] == {
        "before": "30/6/2026",
        "after": "Quý IV/2026",
    }
    assert (by_kind["added"]["code"], by_kind["added"]["title"]) == ("3", "Số hóa hồ sơ")
    assert by_kind["added"]["task"] == Task.objects.get(plan=world.plan_a, code="3").pk
    assert (by_kind["withdrawn"]["code"], by_kind["withdrawn"]["title"]) == ("2", "Tuyên truyền")
