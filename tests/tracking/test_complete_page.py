"""The "Hoàn thiện 6 rõ" page of a plan: the standing office ticks tasks and gives them a lead
unit, coordinating units, a deadline, an output and a KPI at once; the list shrinks, errors keep
what was typed, and only those who may manage the plan get the page. The plan page and the ward
board count the tasks that cannot be tracked yet."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from theodoi.audit.models import AuditEvent
from theodoi.plans import selectors


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def bare(bare_tasks):
    return bare_tasks(3)


def url(world, **query):
    path = reverse("plan_complete", args=[world.plan_a.pk])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_lists_the_tasks_not_yet_trackable_with_what_each_lacks(world, bare):
    page = client_of(world.people.office).get(url(world))
    html = page.content.decode()
    assert page.status_code == 200
    for task in bare:
        assert f'name="tasks" value="{task.pk}"' in html
    # The fixture's two tasks have a lead unit and a deadline: not listed by default.
    assert f'name="tasks" value="{world.task_vhxh.pk}"' not in html
    assert html.count('data-missing="lead_unit"') == 3
    assert html.count('data-missing="deadline"') == 3
    assert "Chưa giao đơn vị chủ trì" in html and "Chọn tất cả" in html


def test_the_output_filter_lists_every_task_lacking_one(world, bare):
    html = client_of(world.people.office).get(url(world, gap="output")).content.decode()
    assert f'name="tasks" value="{world.task_vhxh.pk}"' in html
    assert html.count('name="tasks"') == 5


def test_bulk_assign_then_the_list_shrinks(world, bare):
    client = client_of(world.people.office)
    response = client.post(
        url(world),
        {
            "tasks": [bare[0].pk, bare[1].pk],
            "lead_unit": world.police.pk,
            "coordinating_units": [world.vhxh.pk],
            "deadline_text": "Quý III/2026",
            "output": "Báo cáo kết quả",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Đã giao 2 nhiệm vụ." in html
    assert f'name="tasks" value="{bare[0].pk}"' not in html
    assert f'name="tasks" value="{bare[2].pk}"' in html
    bare[0].refresh_from_db()
    assert bare[0].due_date == datetime.date(2026, 9, 30)
    assert bare[0].output == "Báo cáo kết quả"
    assert selectors.lead_unit_ids(bare[0]) == [world.police.pk]
    assert selectors.coordinating_unit_ids(bare[0]) == [world.vhxh.pk]
    assert AuditEvent.objects.filter(action="task.update").count() == 2


def test_a_refused_form_keeps_what_was_typed_and_ticked(world, bare):
    response = client_of(world.people.office).post(
        url(world),
        {
            "tasks": [bare[0].pk, bare[2].pk],
            "lead_unit": world.police.pk,
            "deadline_text": "Khi có yêu cầu",
            "kpi": "100% cán bộ được tập huấn",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "chưa cho biết ngày nào" in html
    assert 'value="Khi có yêu cầu"' in html
    assert "100% cán bộ được tập huấn</textarea>" in html
    assert f'id="task-{bare[0].pk}" data-section="" checked' in html
    assert f'id="task-{bare[1].pk}" data-section="">' in html
    assert f'<option value="{world.police.pk}" selected>' in html
    assert not AuditEvent.objects.filter(action="task.update").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"lead_unit": "1"}, "Hãy chọn ít nhất một nhiệm vụ"),
        ({"tasks": ["x"]}, "không còn trong kế hoạch"),
        ({"tasks": ["²"], "output": "x"}, "không còn trong kế hoạch"),
        ({"tasks": [10**30], "output": "x"}, "không còn trong kế hoạch"),
        ({"lead_unit": 10**30}, "Hãy chọn một đơn vị của phường"),
        ({}, "Chưa có gì để giao"),
    ],
)
def test_bad_input_answers_with_a_message(world, bare, data, message):
    if "tasks" not in data and data.get("lead_unit") != "1":
        data = {"tasks": [bare[0].pk], **data}
    response = client_of(world.people.office).post(url(world), data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_unit_of_another_ward_or_a_task_of_another_plan_is_refused(world, bare):
    client = client_of(world.people.office)
    other_unit = client.post(url(world), {"tasks": [bare[0].pk], "lead_unit": world.unit_b.pk})
    other_task = client.post(url(world), {"tasks": [world.task_b.pk], "output": "x"})
    assert other_unit.status_code == other_task.status_code == 400
    assert selectors.lead_unit_ids(world.task_b) == [world.unit_b.pk]


def test_a_unit_officer_is_refused(world, bare):
    client = client_of(world.people.officer)
    assert client.get(url(world)).status_code == 403
    response = client.post(url(world), {"tasks": [bare[0].pk], "lead_unit": world.vhxh.pk})
    assert response.status_code == 403
    assert selectors.lead_unit_ids(bare[0]) == []


def test_the_deadline_is_read_back_before_saving(world, bare):
    client = client_of(world.people.office)
    path = reverse("deadline_preview", args=[world.plan_a.pk])
    assert "30/09/2026" in client.get(path, {"deadline_text": "Quý III/2026"}).content.decode()
    assert "chưa có hạn cụ thể" in (
        client.get(path, {"deadline_text": "Khi có yêu cầu"}).content.decode()
    )
    assert client_of(world.people.officer).get(path).status_code == 403


def test_an_empty_state_when_everything_is_complete(world):
    for task in (world.task_vhxh, world.task_police):
        task.output, task.kpi = "Báo cáo", "100%"
        task.save()
    html = client_of(world.people.office).get(url(world, gap="any")).content.decode()
    assert 'data-testid="all-complete"' in html
    assert 'name="tasks"' not in html


def test_the_plan_page_counts_and_links_for_the_office_only(world, bare):
    path = reverse("plan_detail", args=[world.plan_a.pk])
    link = reverse("plan_complete", args=[world.plan_a.pk])
    office = client_of(world.people.office).get(path).content.decode()
    officer = client_of(world.people.officer).get(path).content.decode()
    assert "<strong>3</strong> nhiệm vụ chưa thể theo dõi" in office and link in office
    assert "<strong>3</strong> nhiệm vụ chưa thể theo dõi" in officer and link not in officer


def test_the_ward_board_counts_and_links_for_the_office_only(world, bare):
    link = reverse("plan_complete", args=[world.plan_a.pk])
    office = client_of(world.people.office).get(reverse("dashboard")).content.decode()
    leader = client_of(world.people.leader).get(reverse("dashboard")).content.decode()
    for html in (office, leader):
        assert 'data-testid="not-trackable"' in html
        assert "<strong>3</strong> nhiệm vụ chưa thể theo dõi" in html
    assert link in office and link not in leader


def test_the_ward_board_says_nothing_when_every_task_is_trackable(world):
    html = client_of(world.people.leader).get(reverse("dashboard")).content.decode()
    assert 'data-testid="not-trackable"' not in html
