"""Reads: plans and tasks scoped to the person's ward (or the wards below the upper level)."""

import datetime

from tests.api.helpers import BASE, client_for
from tests.factories import SectionFactory, TaskFactory
from theodoi.plans.models import Task

NOT_FOUND = "Không tìm thấy, hoặc thuộc phường, xã bạn không được xem."


def _plan_ids(user) -> set[int]:
    return {p["id"] for p in client_for(user).get(BASE + "/plans").json()["items"]}


def test_plans_are_scoped_to_the_ward_and_the_upper_level_sees_both(world):
    people = world.people
    assert _plan_ids(people.officer) == {world.plan_a.pk}
    assert _plan_ids(people.other_ward) == {world.plan_b.pk}
    assert _plan_ids(people.upper) == {world.plan_a.pk, world.plan_b.pk}
    assert _plan_ids(people.other_upper) == set()


def test_plan_fields(world):
    [plan] = client_for(world.people.leader).get(BASE + "/plans").json()["items"]
    assert plan["number"] == world.plan_a.number
    assert plan["issued_on"] == "2026-01-15"
    assert plan["ward"] == {
        "id": world.ward_a.pk,
        "name": "Phường An Bình",
        "code": world.ward_a.code,
    }
    assert plan["task_count"] == 2


def test_tasks_of_a_plan_with_state_and_expected_progress(world):
    section = SectionFactory(plan=world.plan_a, code="II", title="Hạ tầng số")
    Task.objects.filter(pk=world.task_police.pk).update(
        section=section, due_date=datetime.date(2026, 6, 30), deadline_text="Quý II/2026"
    )
    response = client_for(world.people.officer).get(f"{BASE}/plans/{world.plan_a.pk}/tasks")
    assert response.status_code == 200
    items = {t["id"]: t for t in response.json()["items"]}
    assert set(items) == {world.task_vhxh.pk, world.task_police.pk}
    vhxh = items[world.task_vhxh.pk]
    assert vhxh["lead_units"] == [{"id": world.vhxh.pk, "name": "Phòng Văn hóa - Xã hội"}]
    assert vhxh["deadline"] == {
        "text": "Quý IV/2026",
        "kind": "quarter",
        "due": "2026-12-31",
        "recurrence": None,
    }
    assert vhxh["state"] == "open_not_due"
    assert vhxh["section"] is None and vhxh["parent_id"] is None
    # From the plan's start (1 Jan) to the due day, on the fixed today of 24 Nov 2026.
    assert vhxh["expected_progress"] == 100 * 327 / 364
    police = items[world.task_police.pk]
    assert police["state"] == "open_overdue" and police["expected_progress"] == 100.0
    assert police["section"] == {"id": section.pk, "code": "II", "title": "Hạ tầng số"}


def test_task_filters_by_unit_state_and_search_without_diacritics(world):
    Task.objects.filter(pk=world.task_police.pk).update(due_date=datetime.date(2026, 6, 30))
    sub = TaskFactory(
        plan=world.plan_a,
        parent=world.task_vhxh,
        title="Tập huấn",
        coordinating_units=[world.police],
    )
    client = client_for(world.people.leader)
    url = f"{BASE}/plans/{world.plan_a.pk}/tasks"

    def ids(**query) -> set[int]:
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        return {t["id"] for t in response.json()["items"]}

    assert ids(unit=world.police.pk) == {world.task_police.pk, sub.pk}
    assert ids(state="open_overdue") == {world.task_police.pk}
    assert ids(q="chu ky so") == {world.task_vhxh.pk}
    assert ids(q="CHỮ KÝ", unit=world.police.pk) == set()
    [child] = [t for t in client.get(url).json()["items"] if t["id"] == sub.pk]
    assert child["parent_id"] == world.task_vhxh.pk


def test_an_unknown_state_is_a_400_that_names_the_field(world):
    response = client_for(world.people.leader).get(
        f"{BASE}/plans/{world.plan_a.pk}/tasks", {"state": "late"}
    )
    assert response.status_code == 400
    assert "«state»" in response.json()["detail"]
    assert "open_overdue" in response.json()["detail"]


def test_another_wards_plan_and_task_are_404(world):
    client = client_for(world.people.other_ward)
    for path in (f"/plans/{world.plan_a.pk}/tasks", f"/tasks/{world.task_vhxh.pk}"):
        response = client.get(BASE + path)
        assert response.status_code == 404
        assert response.json() == {"detail": NOT_FOUND}
    assert client.get(f"{BASE}/tasks/{world.task_b.pk}").status_code == 200


def test_the_upper_level_reads_tasks_of_both_wards_but_not_another_province(world):
    upper = client_for(world.people.upper)
    for task in (world.task_vhxh, world.task_b):
        assert upper.get(f"{BASE}/tasks/{task.pk}").json()["id"] == task.pk
    other = client_for(world.people.other_upper)
    assert other.get(f"{BASE}/tasks/{world.task_b.pk}").status_code == 404


def test_task_detail_has_the_six_clear_columns_and_empty_lists(world):
    Task.objects.filter(pk=world.task_vhxh.pk).update(output="Quyết định", kpi="100% cán bộ")
    world.task_vhxh.coordinating_units.set([world.police])
    body = client_for(world.people.officer).get(f"{BASE}/tasks/{world.task_vhxh.pk}").json()
    assert body["output"] == "Quyết định" and body["kpi"] == "100% cán bộ"
    assert body["coordinating_units"] == [{"id": world.police.pk, "name": "Công an phường"}]
    assert body["reports"] == [] and body["evidence"] == [] and body["alerts"] == []
    assert body["state"] == "open_not_due" and body["progress"] == 0


def test_a_path_id_that_is_not_a_number_is_400_and_an_unknown_path_is_json_404(world):
    client = client_for(world.people.officer)
    response = client.get(BASE + "/tasks/abc")
    assert response.status_code == 400 and "«task_id»" in response.json()["detail"]
    unknown = client.get(BASE + "/no-such-thing")
    assert unknown.status_code == 404 and unknown.json() == {"detail": NOT_FOUND}


def test_a_tasks_units_come_in_the_plans_order_the_lead_first(world):
    assert world.police.pk > world.vhxh.pk
    task = TaskFactory(
        plan=world.plan_a,
        lead_units=[world.police, world.vhxh],
        coordinating_units=[world.police, world.vhxh],
    )
    body = client_for(world.people.office).get(f"{BASE}/tasks/{task.pk}").json()
    assert [u["id"] for u in body["lead_units"]] == [world.police.pk, world.vhxh.pk]
    assert [u["id"] for u in body["coordinating_units"]] == [world.police.pk, world.vhxh.pk]
