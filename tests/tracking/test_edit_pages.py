"""The pages that edit a plan: a task (with the deadline read before saving), a new task or
subtask, withdrawing a task or a plan, an indicator and the plan's own fields. Only the
standing office of the ward may; a stale save keeps what was typed."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import SectionFactory
from theodoi.alerts.models import Alert
from theodoi.audit.models import AuditEvent
from theodoi.plans import services as plan_services
from theodoi.plans.models import Indicator, IndicatorMilestone, Plan, Task
from theodoi.reporting import services as reporting


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _task_data(task, **overrides):
    data = {
        "title": task.title,
        "code": task.code,
        "section": task.section_id or "",
        "parent": task.parent_id or "",
        "output": task.output,
        "kpi": task.kpi,
        "responsible": "",
        "accountable": task.accountable,
        "deadline_text": task.deadline_text,
        "reporting_cycle": task.reporting_cycle,
        "start_date": "",
        "weight": "1",
        "note": task.note,
        "updated_at": task.updated_at.isoformat(),
        "action": "save",
    }
    data.update(overrides)
    return data


def test_the_office_edits_every_field_of_a_task(world):
    task = world.task_vhxh
    section = SectionFactory(plan=world.plan_a)
    client = _client(world.people.office)
    page = client.get(reverse("task_edit", args=[task.pk])).content.decode()
    # The form opens with the task as it is: its responsible unit chosen.
    assert f'<option value="{world.vhxh.pk}" selected>' in page
    assert task.updated_at.isoformat() in page

    response = client.post(
        reverse("task_edit", args=[task.pk]),
        _task_data(
            task,
            title="Triển khai chữ ký số cho 100% cán bộ",
            code="1.2",
            section=section.pk,
            output="Danh sách cán bộ có chữ ký số",
            kpi="100% cán bộ",
            responsible=world.police.pk,
            lead_units=[world.vhxh.pk],
            coordinating_units=[world.vhxh.pk],
            accountable="Chủ tịch UBND phường",
            deadline_text="Quý III/2026",
            reporting_cycle="monthly",
            start_date="2026-02-01",
            weight="2,5",
            note="Ưu tiên",
        ),
    )

    assert response.status_code == 302
    task = Task.objects.get(pk=task.pk)
    assert task.title == "Triển khai chữ ký số cho 100% cán bộ"
    assert (task.code, task.section, task.output, task.kpi) == (
        "1.2",
        section,
        "Danh sách cán bộ có chữ ký số",
        "100% cán bộ",
    )
    assert task.due_date == datetime.date(2026, 9, 30)
    assert task.reporting_cycle == "monthly" and task.cycle == "monthly"
    assert task.start_date == datetime.date(2026, 2, 1)
    assert str(task.weight) == "2.50"
    # The responsible unit first, then the other lead units.
    assert plan_services.selectors.lead_unit_ids(task) == [world.police.pk, world.vhxh.pk]
    assert plan_services.selectors.coordinating_unit_ids(task) == [world.vhxh.pk]
    assert AuditEvent.objects.filter(action="task.update", object_id=str(task.pk)).exists()


def test_the_deadline_is_read_before_saving_without_javascript(world):
    task = world.task_vhxh
    client = _client(world.people.office)
    response = client.post(
        reverse("task_edit", args=[task.pk]),
        _task_data(task, deadline_text="Trước 30/6/2026", action="preview"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "30/06/2026" in body
    # Nothing saved yet.
    assert Task.objects.get(pk=task.pk).deadline_text == task.deadline_text


def test_the_deadline_preview_answers_as_the_person_types(world):
    client = _client(world.people.office)
    url = reverse("deadline_preview", args=[world.plan_a.pk])
    body = client.get(url, {"deadline_text": "Quý III/2026"}, HTTP_HX_REQUEST="true").content
    assert "30/09/2026" in body.decode()
    recurring = client.get(url, {"deadline_text": "Thường xuyên"}).content.decode()
    assert "Định kỳ" in recurring and "31/12/2026" in recurring
    assert client.get(url, {"deadline_text": ""}).status_code == 200
    assert _client(world.people.officer).get(url, {"deadline_text": "x"}).status_code == 403


def test_a_stale_edit_keeps_what_was_typed_and_overwrites_nothing(world):
    task = world.task_vhxh
    opened = task.updated_at.isoformat()
    plan_services.task_update(
        actor=world.people.office, task=task, changes={"title": "Bản của người khác"}
    )
    response = _client(world.people.office).post(
        reverse("task_edit", args=[task.pk]),
        _task_data(task, title="Bản tôi vừa gõ", note="Ghi chú của tôi", updated_at=opened),
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Bản tôi vừa gõ" in body and "Ghi chú của tôi" in body
    assert "Tải lại trang" in body or "tải lại trang" in body
    assert Task.objects.get(pk=task.pk).title == "Bản của người khác"


def test_a_task_cannot_be_moved_under_its_own_subtask(world):
    parent = world.task_vhxh
    child = plan_services.task_create(
        actor=world.people.office, plan=world.plan_a, title="Con", parent=parent
    )
    # The form offers no such parent: the choice is refused with the typed text kept.
    response = _client(world.people.office).post(
        reverse("task_edit", args=[parent.pk]),
        _task_data(parent, parent=child.pk, title="Giữ nguyên chữ"),
    )
    assert response.status_code == 400
    assert "Giữ nguyên chữ" in response.content.decode()
    assert Task.objects.get(pk=parent.pk).parent_id is None


def test_the_office_adds_a_task_and_a_subtask(world):
    client = _client(world.people.office)
    assert client.get(reverse("task_add", args=[world.plan_a.pk])).status_code == 200
    response = client.post(
        reverse("task_add", args=[world.plan_a.pk]),
        {"title": "Nhiệm vụ mới", "responsible": world.vhxh.pk, "deadline_text": "Năm 2026"},
    )
    assert response.status_code == 302
    task = Task.objects.get(title="Nhiệm vụ mới")
    assert task.due_date == datetime.date(2026, 12, 31)
    assert plan_services.selectors.lead_unit_ids(task) == [world.vhxh.pk]

    assert client.get(reverse("subtask_add", args=[task.pk])).status_code == 200
    response = client.post(
        reverse("subtask_add", args=[task.pk]),
        {"title": "Việc con", "parent": task.pk, "deadline_text": "Thường xuyên"},
    )
    assert response.status_code == 302
    assert Task.objects.get(title="Việc con").parent == task


def test_a_missing_title_is_refused_with_the_rest_kept(world):
    response = _client(world.people.office).post(
        reverse("task_add", args=[world.plan_a.pk]), {"title": "", "kpi": "KPI đã gõ"}
    )
    assert response.status_code == 400
    assert "KPI đã gõ" in response.content.decode()
    assert not Task.objects.filter(kpi="KPI đã gõ").exists()


@pytest.mark.parametrize("persona", ["officer", "head", "leader", "upper"])
def test_only_the_office_may_open_or_post_the_edit_pages(world, persona):
    client = _client(getattr(world.people, persona))
    task, plan = world.task_vhxh, world.plan_a
    indicator = plan_services.indicator_create(actor=world.people.office, plan=plan, name="Tỷ lệ")
    for url in (
        reverse("task_edit", args=[task.pk]),
        reverse("task_add", args=[plan.pk]),
        reverse("subtask_add", args=[task.pk]),
        reverse("task_withdraw", args=[task.pk]),
        reverse("plan_edit", args=[plan.pk]),
        reverse("plan_withdraw", args=[plan.pk]),
        reverse("indicator_edit", args=[indicator.pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "X", "reason": "X", "name": "X"}).status_code == 403
    assert client.post(reverse("plan_restore", args=[plan.pk])).status_code == 403
    assert Task.objects.get(pk=task.pk).title == task.title
    assert Plan.objects.filter(pk=plan.pk).exists()
    page = client.get(task.get_absolute_url()).content.decode()
    assert reverse("task_edit", args=[task.pk]) not in page


def test_the_other_ward_sees_404(world):
    client = _client(world.people.other_ward)
    assert client.get(reverse("task_edit", args=[world.task_vhxh.pk])).status_code == 404
    assert client.get(reverse("plan_withdraw", args=[world.plan_a.pk])).status_code == 404


def test_the_task_and_plan_pages_link_to_the_edits_for_the_office(world):
    client = _client(world.people.office)
    task_page = client.get(world.task_vhxh.get_absolute_url()).content.decode()
    assert reverse("task_edit", args=[world.task_vhxh.pk]) in task_page
    assert reverse("task_withdraw", args=[world.task_vhxh.pk]) in task_page
    plan_page = client.get(world.plan_a.get_absolute_url()).content.decode()
    for name in ("plan_edit", "task_add", "plan_withdraw"):
        assert reverse(name, args=[world.plan_a.pk]) in plan_page


def test_withdrawing_a_task_asks_for_a_reason_then_shows_a_banner(world):
    task = world.task_vhxh
    Alert.objects.create(
        task=task, organization=world.ward_a, rule="overdue", message="Quá hạn", unit=world.vhxh
    )
    client = _client(world.people.office)
    url = reverse("task_withdraw", args=[task.pk])
    assert "Lý do" in client.get(url).content.decode()

    refused = client.post(url, {"reason": "  ", "updated_at": task.updated_at.isoformat()})
    assert refused.status_code == 400
    assert Task.objects.filter(pk=task.pk).exists()

    done = client.post(
        url, {"reason": "Trùng nhiệm vụ 1.3", "updated_at": task.updated_at.isoformat()}
    )
    assert done.status_code == 302
    assert not Task.objects.filter(pk=task.pk).exists()
    assert not Alert.objects.filter(task=task, closed_at__isnull=True).exists()
    page = client.get(task.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "Nhiệm vụ đã rút khỏi kế hoạch ngày" in body and "Trùng nhiệm vụ 1.3" in body
    assert reverse("report_submit", args=[task.pk]) not in body
    assert reverse("task_edit", args=[task.pk]) not in body
    # The unit's officer opens it too, without a report form.
    officer_page = _client(world.people.officer).get(task.get_absolute_url()).content.decode()
    assert reverse("report_submit", args=[task.pk]) not in officer_page
    plan_page = client.get(world.plan_a.get_absolute_url()).content.decode()
    assert "Trùng nhiệm vụ 1.3" in plan_page


def test_withdrawing_an_unreported_plan_deletes_it(world):
    client = _client(world.people.office)
    url = reverse("plan_withdraw", args=[world.plan_a.pk])
    assert "XÓA" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Nhập nhầm tệp"})
    assert response.status_code == 302
    assert not Plan.objects.filter(pk=world.plan_a.pk).exists()
    event = AuditEvent.objects.get(action="plan.delete")
    assert event.organization == world.ward_a and event.before["reason"] == "Nhập nhầm tệp"


def test_withdrawing_a_reported_plan_archives_it_and_it_can_be_restored(world):
    reporting.report_submit(
        actor=world.people.officer, task=world.task_vhxh, period="2026-Q3", percent=40
    )
    client = _client(world.people.office)
    url = reverse("plan_withdraw", args=[world.plan_a.pk])
    assert "LƯU TRỮ" in client.get(url).content.decode()
    assert client.post(url, {"reason": "Nhập nhầm"}).status_code == 302
    plan = Plan.objects.get(pk=world.plan_a.pk)
    assert plan.is_archived and plan.withdrawn_reason == "Nhập nhầm"

    listing = client.get(reverse("plan_list")).content.decode()
    assert "Kế hoạch đã thu hồi" in listing
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Kế hoạch này đã được thu hồi" in page and world.task_vhxh.title in page
    assert reverse("plan_edit", args=[plan.pk]) not in page
    # Its task still opens, read-only.
    task_page = client.get(world.task_vhxh.get_absolute_url()).content.decode()
    assert reverse("report_submit", args=[world.task_vhxh.pk]) not in task_page

    assert client.post(reverse("plan_restore", args=[plan.pk])).status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.ACTIVE


def test_the_office_edits_the_plan_and_its_reporting_cycle(world):
    plan = world.plan_a
    client = _client(world.people.office)
    assert "Chế độ báo cáo" in client.get(reverse("plan_edit", args=[plan.pk])).content.decode()
    data = {
        "number": "110/KH-UBND",
        "title": "Kế hoạch chuyển đổi số",
        "issuer": "UBND phường An Bình",
        "issuer_kind": "peoples_committee",
        "issued_on": "2026-01-15",
        "period_start": "2026-01-01",
        "period_end": "2030-12-31",
        "reporting_cycle": "monthly",
        "report_due_days": "7",
        "parent_references": "",
        "updated_at": plan.updated_at.isoformat(),
    }
    assert client.post(reverse("plan_edit", args=[plan.pk]), data).status_code == 302
    plan.refresh_from_db()
    assert (plan.number, plan.reporting_cycle, plan.report_due_days) == (
        "110/KH-UBND",
        "monthly",
        7,
    )
    # The same page sent again is stale now.
    stale = client.post(reverse("plan_edit", args=[plan.pk]), data | {"title": "Tiêu đề mới"})
    assert stale.status_code == 409 and "Tiêu đề mới" in stale.content.decode()


def test_the_office_edits_an_indicator_and_its_roadmap(world):
    indicator = plan_services.indicator_create(
        actor=world.people.office,
        plan=world.plan_a,
        name="Tỷ lệ hồ sơ trực tuyến",
        milestones={2026: 50, 2027: 60},
    )
    client = _client(world.people.office)
    url = reverse("indicator_edit", args=[indicator.pk])
    assert client.get(url).status_code == 200
    data = {
        "name": "Tỷ lệ hồ sơ trực tuyến toàn trình",
        "comparator": "<=",
        "unit_of_measure": "%",
        "baseline": "12,5",
        "baseline_year": "2025",
        "target": "80",
        "target_year": "2030",
        "milestone_year": ["2026", "2028", ""],
        "milestone_value": ["55", "70", ""],
        "lead_unit": world.vhxh.pk,
        "updated_at": indicator.updated_at.isoformat(),
    }
    assert client.post(url, data).status_code == 302
    indicator = Indicator.objects.get(pk=indicator.pk)
    assert indicator.comparator == "<=" and str(indicator.baseline) == "12.5000"
    assert indicator.lead_unit == world.vhxh
    assert dict(
        IndicatorMilestone.objects.filter(indicator=indicator).values_list("year", "value")
    ) == {
        2026: 55,
        2028: 70,
    }
    event = AuditEvent.objects.get(action="indicator.update")
    assert event.before["milestones"] == {"2026": "50.0000", "2027": "60.0000"}
    # A wrong year is refused, what was typed stays.
    bad = client.post(
        url,
        data
        | {
            "milestone_year": ["20x6"],
            "milestone_value": ["9"],
            "updated_at": indicator.updated_at.isoformat(),
        },
    )
    assert bad.status_code == 400 and "20x6" in bad.content.decode()
