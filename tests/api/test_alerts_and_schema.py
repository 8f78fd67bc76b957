"""Alerts as each person may see them, and the OpenAPI document."""

import datetime

from django.test import Client
from django.utils import timezone

from tests.api.helpers import BASE, client_for
from theodoi.alerts.models import Alert


def _alert(task, unit, *, closed=False, rule=Alert.Rule.OVERDUE) -> Alert:
    return Alert.objects.create(
        organization=task.plan.organization,
        rule=rule,
        task=task,
        unit=unit,
        numbers={"due": "2026-06-30", "days_late": 147},
        message=f"Quá hạn: {task.title}",
        closed_at=timezone.now() if closed else None,
    )


def _ids(person, **query) -> set[int]:
    response = client_for(person).get(BASE + "/alerts", query)
    assert response.status_code == 200
    return {a["id"] for a in response.json()["items"]}


def test_alerts_are_scoped_like_everything_else(world):
    vhxh = _alert(world.task_vhxh, world.vhxh)
    police = _alert(world.task_police, world.police)
    closed = _alert(world.task_vhxh, world.vhxh, closed=True)
    other = _alert(world.task_b, world.unit_b)
    people = world.people
    assert _ids(people.leader) == {vhxh.pk, police.pk}
    assert _ids(people.officer) == {vhxh.pk}  # a unit sees the alerts of its own tasks
    assert _ids(people.other_ward) == {other.pk}
    assert _ids(people.upper) == {vhxh.pk, police.pk, other.pk}
    assert _ids(people.other_upper) == set()
    assert _ids(people.leader, open="false") == {vhxh.pk, police.pk, closed.pk}


def test_alert_fields_and_open_alerts_on_the_task(world):
    alert = _alert(world.task_vhxh, world.vhxh)
    _alert(world.task_vhxh, world.vhxh, closed=True, rule=Alert.Rule.DUE_SOON)
    client = client_for(world.people.officer)
    [item] = client.get(BASE + "/alerts").json()["items"]
    assert item["rule"] == "overdue" and item["task_id"] == world.task_vhxh.pk
    assert item["indicator_id"] is None and item["closed_at"] is None
    assert item["unit"] == {"id": world.vhxh.pk, "name": "Phòng Văn hóa - Xã hội"}
    assert item["numbers"] == {"due": "2026-06-30", "days_late": 147}
    raised = datetime.datetime.fromisoformat(item["raised_at"])
    assert abs(raised - alert.opened_at) < datetime.timedelta(milliseconds=1)  # JSON keeps ms
    [on_task] = client.get(f"{BASE}/tasks/{world.task_vhxh.pk}").json()["alerts"]
    assert on_task["id"] == alert.pk and on_task["message"] == alert.message


def test_an_alert_carries_its_reasons_and_acknowledgement(world, settings):
    from theodoi.alerts import services

    settings.THEODOI_TODAY = "2026-11-24"
    world.task_vhxh.due_date = datetime.date(2026, 9, 30)
    world.task_vhxh.save()
    services.scan(organization=world.ward_a)
    alert = Alert.objects.get(task=world.task_vhxh, closed_at__isnull=True)
    services.alert_snooze(
        actor=world.people.office, alert=alert, until=datetime.date(2026, 12, 1), note="Chờ họp"
    )
    client = client_for(world.people.officer)
    # Listed with its snooze: a program decides what to show.
    [item] = [a for a in client.get(BASE + "/alerts").json()["items"] if a["id"] == alert.pk]
    assert item["severity"] == "high"
    assert [reason["rule"] for reason in item["reasons"]][0] == "overdue"
    assert "missing_report" in [reason["rule"] for reason in item["reasons"]]
    assert item["acknowledged"]["note"] == "Chờ họp"
    assert item["acknowledged"]["snoozed_until"] == "2026-12-01"
    assert item["acknowledged"]["by"]["username"] == world.people.office.username
    [on_task] = client.get(f"{BASE}/tasks/{world.task_vhxh.pk}").json()["alerts"]
    assert on_task["reasons"] == item["reasons"]


def test_a_bad_open_flag_is_a_400(world):
    response = client_for(world.people.leader).get(BASE + "/alerts", {"open": "có lẽ"})
    assert response.status_code == 400 and "«open»" in response.json()["detail"]


def test_the_openapi_document_lists_every_endpoint(db):
    response = Client().get(BASE + "/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "theodoi API" and document["info"]["version"] == "1"
    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    assert operations >= {
        ("/api/v1/auth/token", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/plans", "get"),
        ("/api/v1/plans/{plan_id}/tasks", "get"),
        ("/api/v1/tasks/{task_id}", "get"),
        ("/api/v1/tasks/{task_id}/reports", "post"),
        ("/api/v1/tasks/{task_id}/evidence", "post"),
        ("/api/v1/evidence/{evidence_id}/review", "post"),
        ("/api/v1/indicators/{indicator_id}/values", "post"),
        ("/api/v1/alerts", "get"),
    }
    assert "/api/v1/{rest}" not in document["paths"]
    schemes = document["components"]["securitySchemes"]
    assert [s["scheme"] for s in schemes.values()] == ["bearer"]
    assert Client().get(BASE + "/docs").status_code == 200


def test_the_openapi_document_states_each_operations_error_answers(db):
    document = Client().get(BASE + "/openapi.json").json()
    detail = {"$ref": "#/components/schemas/Detail"}
    assert document["components"]["schemas"]["Detail"]["properties"]["detail"]["type"] == "string"
    declared = {}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            errors = {int(code) for code in responses if int(code) >= 400}
            for code in errors:
                assert responses[str(code)]["content"]["application/json"]["schema"] == detail
            declared[(method, path.removeprefix("/api/v1"))] = errors
    assert declared[("post", "/auth/token")] >= {400, 401, 429}
    assert declared[("post", "/tasks/{task_id}/reports")] == {400, 401, 403, 404, 409, 503}
    assert declared[("post", "/tasks/{task_id}/evidence")] == {400, 401, 403, 404, 413, 503}
    assert declared[("post", "/evidence/{evidence_id}/review")] == {400, 401, 403, 404, 409, 503}
    assert declared[("get", "/tasks/{task_id}")] == {400, 401, 404, 503}
    # Behind a token, every operation may answer 401; with parameters or a body, also 400.
    # Every one writes (if only the token's last use), so may find the embedded database busy.
    for (method, path), errors in declared.items():
        assert 503 in errors, (method, path)
        if path != "/auth/token":
            assert 401 in errors, (method, path)
        if "{" in path or method == "post":
            assert 400 in errors, (method, path)
