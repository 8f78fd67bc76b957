"""The API edits a plan through the same services as the pages: PATCH a task, an indicator or
the plan, add a task, withdraw a task or a plan. A stale version answers 409, a person who may
not 403, bad input 400 with a Vietnamese message; never 500."""

import json

from tests.api.helpers import BASE, client_for
from tests.factories import SectionFactory
from theodoi.plans import services as plan_services
from theodoi.plans.models import IndicatorMilestone, Plan, Task
from theodoi.reporting import services as reporting


def _send(client, method, path, data):
    return getattr(client, method)(BASE + path, json.dumps(data), content_type="application/json")


def test_patch_a_task_changes_only_what_is_sent(world):
    task = world.task_vhxh
    section = SectionFactory(plan=world.plan_a)
    api = client_for(world.people.office)
    response = _send(
        api,
        "patch",
        f"/tasks/{task.pk}",
        {
            "title": "Chữ ký số cho toàn bộ cán bộ",
            "deadline_text": "Quý III/2026",
            "lead_unit_ids": [world.police.pk, world.vhxh.pk],
            "section_id": section.pk,
            "reporting_cycle": "monthly",
            "weight": "2.5",
            "updated_at": task.updated_at.isoformat(),
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["deadline"]["due"] == "2026-09-30"
    assert [u["id"] for u in body["lead_units"]] == [world.police.pk, world.vhxh.pk]
    assert body["reporting_cycle"] == "monthly" and body["weight"] == 2.5
    stored = Task.objects.get(pk=task.pk)
    assert stored.kpi == task.kpi and stored.section == section


def test_a_stale_task_patch_answers_409_and_changes_nothing(world):
    task = world.task_vhxh
    seen = task.updated_at.isoformat()
    plan_services.task_update(actor=world.people.office, task=task, changes={"title": "Mới hơn"})
    response = _send(
        client_for(world.people.office),
        "patch",
        f"/tasks/{task.pk}",
        {"title": "Cũ", "updated_at": seen},
    )
    assert response.status_code == 409
    assert "tải lại trang" in response.json()["detail"].lower()
    assert Task.objects.get(pk=task.pk).title == "Mới hơn"


def test_a_unit_officer_may_not_edit_through_the_api(world):
    api = client_for(world.people.officer)
    task, plan = world.task_vhxh, world.plan_a
    indicator = plan_services.indicator_create(actor=world.people.office, plan=plan, name="Tỷ lệ")
    for method, path, data in (
        ("patch", f"/tasks/{task.pk}", {"title": "X"}),
        ("post", f"/plans/{plan.pk}/tasks", {"title": "X"}),
        ("post", f"/tasks/{task.pk}/withdraw", {"reason": "X"}),
        ("patch", f"/indicators/{indicator.pk}", {"name": "X"}),
        ("patch", f"/plans/{plan.pk}", {"title": "X"}),
        ("post", f"/plans/{plan.pk}/withdraw", {"reason": "X"}),
    ):
        response = _send(api, method, path, data)
        assert response.status_code == 403, (path, response.content)
        assert response.json()["detail"]
    assert Task.objects.get(pk=task.pk).title == task.title
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.ACTIVE


def test_bad_edits_answer_400_with_a_message(world):
    task = world.task_vhxh
    child = plan_services.task_create(
        actor=world.people.office, plan=world.plan_a, title="Con", parent=task
    )
    api = client_for(world.people.office)
    cases = [
        {"parent_id": child.pk},  # under its own subtask
        {"parent_id": task.pk},  # under itself
        {"parent_id": world.task_b.pk},  # another ward's task
        {"lead_unit_ids": [world.unit_b.pk]},  # another ward's unit
        {"section_id": 999999},
        {"reporting_cycle": "daily"},
        {"title": ""},
        {"start_date": "1900-01-01"},
        {"weight": -1},
    ]
    for data in cases:
        response = _send(api, "patch", f"/tasks/{task.pk}", data)
        assert response.status_code in (400, 422), (data, response.content)
        assert response.json()["detail"], data
    assert Task.objects.get(pk=task.pk).parent_id is None


def test_add_a_task_and_withdraw_it(world):
    api = client_for(world.people.office)
    created = _send(
        api,
        "post",
        f"/plans/{world.plan_a.pk}/tasks",
        {
            "title": "Số hóa hồ sơ",
            "deadline_text": "Thường xuyên",
            "lead_unit_ids": [world.vhxh.pk],
        },
    )
    assert created.status_code == 201, created.content
    task_id = created.json()["id"]
    assert created.json()["deadline"]["kind"] == "recurring"
    refused = _send(api, "post", f"/tasks/{task_id}/withdraw", {"reason": ""})
    assert refused.status_code in (400, 422)
    withdrawn = _send(
        api,
        "post",
        f"/tasks/{task_id}/withdraw",
        {"reason": "Trùng", "updated_at": created.json()["updated_at"]},
    )
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["withdrawn_reason"] == "Trùng"
    assert not Task.objects.filter(pk=task_id).exists()
    assert Task.all_objects.filter(pk=task_id).exists()


def test_patch_an_indicator_replaces_its_roadmap(world):
    indicator = plan_services.indicator_create(
        actor=world.people.office, plan=world.plan_a, name="Tỷ lệ", milestones={2026: 50}
    )
    api = client_for(world.people.office)
    response = _send(
        api,
        "patch",
        f"/indicators/{indicator.pk}",
        {
            "baseline": "12,5",
            "comparator": "<=",
            "milestones": {"2027": 60, "2028": "70,5"},
            "lead_unit_id": world.vhxh.pk,
            "updated_at": indicator.updated_at.isoformat(),
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["baseline"] == 12.5 and body["comparator"] == "<="
    assert body["milestones"] == [{"year": 2027, "value": 60.0}, {"year": 2028, "value": 70.5}]
    assert not IndicatorMilestone.objects.filter(indicator=indicator, year=2026).exists()
    stale = _send(
        api,
        "patch",
        f"/indicators/{indicator.pk}",
        {"name": "Cũ", "updated_at": indicator.updated_at.isoformat()},
    )
    assert stale.status_code == 409
    bad = _send(api, "patch", f"/indicators/{indicator.pk}", {"baseline": "nhiều"})
    assert bad.status_code == 400 and "baseline" in bad.json()["detail"]


def test_patch_the_plan_and_withdraw_it(world):
    plan = world.plan_a
    api = client_for(world.people.office)
    response = _send(
        api,
        "patch",
        f"/plans/{plan.pk}",
        {
            "reporting_cycle": "weekly",
            "number": "12/KH-UBND",
            "updated_at": plan.updated_at.isoformat(),
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["reporting_cycle"] == "weekly"
    bad = _send(
        api,
        "patch",
        f"/plans/{plan.pk}",
        {"period_start": "2027-01-01", "period_end": "2026-01-01"},
    )
    assert bad.status_code == 400
    stale = _send(
        api, "patch", f"/plans/{plan.pk}", {"title": "X", "updated_at": plan.updated_at.isoformat()}
    )
    assert stale.status_code == 409

    reporting.report_submit(
        actor=world.people.officer, task=world.task_vhxh, period="2026-Q3", percent=10
    )
    archived = _send(api, "post", f"/plans/{plan.pk}/withdraw", {"reason": "Nhập nhầm"})
    assert archived.status_code == 200, archived.content
    assert archived.json()["outcome"] == "archived"
    assert archived.json()["plan"]["status"] == "archived"
    listed = api.get(BASE + "/plans").json()["items"]
    assert plan.pk not in [p["id"] for p in listed]


def test_an_unreported_plan_is_deleted_through_the_api(world):
    api = client_for(world.people.office)
    response = _send(api, "post", f"/plans/{world.plan_a.pk}/withdraw", {"reason": "Nhập nhầm"})
    assert response.status_code == 200
    assert response.json() == {"outcome": "deleted", "plan": None}
    assert not Plan.objects.filter(pk=world.plan_a.pk).exists()
    assert world.ward_a.__class__.objects.filter(pk=world.ward_a.pk).exists()
