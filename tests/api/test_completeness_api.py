"""The API's "6 rõ": a plan's completeness (GET) and the bulk assignment (POST), through the same
selectors and services as the page; 403 for those who may not, a Vietnamese 400 for bad input."""

import datetime

import pytest

from tests.api.helpers import BASE, client_for, post_json
from theodoi.audit.models import AuditEvent
from theodoi.plans import selectors


@pytest.fixture
def bare(bare_tasks):
    return bare_tasks(2)


def assign(world, user, body):
    return post_json(client_for(user), f"/plans/{world.plan_a.pk}/tasks/assign", body)


def test_completeness_counts_and_lists_the_gaps(world, bare):
    data = (
        client_for(world.people.officer).get(f"{BASE}/plans/{world.plan_a.pk}/completeness").json()
    )
    assert data["total"] == 4 and data["not_trackable"] == 2 and data["incomplete"] == 4
    assert data["gaps"] == {"lead_unit": 2, "deadline": 2, "output": 4, "kpi": 4}
    missing = {task["id"]: task["missing"] for task in data["tasks"]}
    assert missing[bare[0].pk] == ["lead_unit", "deadline", "output", "kpi"]
    assert missing[world.task_vhxh.pk] == ["output", "kpi"]


def test_the_office_assigns_and_gets_the_new_completeness(world, bare):
    response = assign(
        world,
        world.people.office,
        {
            "task_ids": [task.pk for task in bare],
            "lead_unit_id": world.vhxh.pk,
            "coordinating_unit_ids": [world.police.pk],
            "deadline_text": "Tháng 12/2026",
        },
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["assigned"] == 2
    assert data["completeness"]["not_trackable"] == 0
    bare[1].refresh_from_db()
    assert bare[1].due_date == datetime.date(2026, 12, 31)
    assert selectors.coordinating_unit_ids(bare[1]) == [world.police.pk]
    assert AuditEvent.objects.filter(action="task.update").count() == 2


def test_a_unit_officer_gets_403_and_nothing_changes(world, bare):
    response = assign(
        world, world.people.officer, {"task_ids": [bare[0].pk], "lead_unit_id": world.vhxh.pk}
    )
    assert response.status_code == 403
    assert selectors.lead_unit_ids(bare[0]) == []


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"task_ids": [], "output": "x"}, "task_ids"),
        ({"output": "x"}, "task_ids"),
        ({"task_ids": ["a"], "output": "x"}, "task_ids"),
        ({"task_ids": "TASK"}, "Chưa có gì để giao"),
        ({"task_ids": "TASK", "deadline_text": "Khi có yêu cầu"}, "chưa cho biết ngày nào"),
        ({"task_ids": [999999], "output": "x"}, "không thuộc kế hoạch này: 999999"),
        ({"task_ids": "TASK", "lead_unit_id": "UNIT_B"}, "không phải đơn vị của phường"),
    ],
)
def test_bad_input_is_a_400_with_a_vietnamese_message(world, bare, body, words):
    if body.get("task_ids") == "TASK":
        body = {**body, "task_ids": [bare[0].pk]}
    if body.get("lead_unit_id") == "UNIT_B":
        body = {**body, "lead_unit_id": world.unit_b.pk}
    response = assign(world, world.people.office, body)
    assert response.status_code == 400
    assert words in response.json()["detail"]
    assert not AuditEvent.objects.filter(action="task.update").exists()
