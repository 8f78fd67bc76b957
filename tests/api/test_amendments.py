"""The API of plan amendments: the versions of a plan, and recording an amendment through the
same service as the pages."""

import datetime

from tests.api.helpers import BASE, client_for, post_json
from theodoi.plans import services
from theodoi.plans.models import PlanAmendment, Task


def _task(world):
    return services.task_create(
        actor=world.people.office,
        plan=world.plan_a,
        title="Số hóa hồ sơ",
        code="7",
        lead_units=[world.vhxh],
        deadline_text="30/6/2026",
    )


def _body(task, **extra):
    return {
        "number": "25/KH-UBND",
        "issued_on": "2026-05-20",
        "note": "Lùi hạn",
        "changes": [
            {
                "kind": "changed",
                "task": task.pk,
                "fields": {"deadline_text": {"before": "30/6/2026", "after": "30/9/2026"}},
            },
            {"kind": "added", "row": {"code": "8", "title": "Nhiệm vụ bổ sung"}},
        ],
    } | extra


def test_post_an_amendment_then_read_the_versions(world):
    task = _task(world)
    client = client_for(world.people.office)

    response = post_json(client, f"/plans/{world.plan_a.pk}/amendments", _body(task))

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["version"] == 1
    assert data["changes"][0]["deadline_moved"] is True
    task.refresh_from_db()
    assert task.due_date == datetime.date(2026, 9, 30)
    assert task.original_due_date == datetime.date(2026, 6, 30)
    assert Task.objects.filter(plan=world.plan_a, code="8").exists()

    listing = client.get(f"{BASE}/plans/{world.plan_a.pk}/amendments").json()["items"]
    assert [(item["version"], item["number"]) for item in listing] == [
        (0, world.plan_a.number),
        (1, "25/KH-UBND"),
    ]
    detail = client.get(f"{BASE}/plans/{world.plan_a.pk}/amendments/1").json()
    assert {row["code"] for row in detail["after"]} - {row["code"] for row in detail["before"]} == {
        "8"
    }
    first = client.get(f"{BASE}/plans/{world.plan_a.pk}/amendments/0").json()
    assert "8" not in {row["code"] for row in first["after"]}
    assert client.get(f"{BASE}/plans/{world.plan_a.pk}/amendments/2").status_code == 404


def test_a_stale_before_value_is_409_and_changes_nothing(world):
    task = _task(world)
    body = _body(task)
    body["changes"][0]["fields"]["deadline_text"]["before"] = "Quý I/2026"

    response = post_json(
        client_for(world.people.office), f"/plans/{world.plan_a.pk}/amendments", body
    )

    assert response.status_code == 409
    assert "xem trước điều chỉnh" in response.json()["detail"]
    assert not PlanAmendment.objects.exists()
    assert not Task.objects.filter(code="8").exists()


def test_a_bad_change_is_400_in_vietnamese(world):
    task = _task(world)
    body = _body(task, changes=[{"kind": "withdrawn", "task": 999999}])
    response = post_json(
        client_for(world.people.office), f"/plans/{world.plan_a.pk}/amendments", body
    )
    assert response.status_code == 400
    assert "không thuộc kế hoạch này" in response.json()["detail"]


def test_a_unit_officer_may_read_but_not_amend(world):
    task = _task(world)
    client = client_for(world.people.officer)
    assert client.get(f"{BASE}/plans/{world.plan_a.pk}/amendments").status_code == 200
    response = post_json(client, f"/plans/{world.plan_a.pk}/amendments", _body(task))
    assert response.status_code == 403
    assert not PlanAmendment.objects.exists()
