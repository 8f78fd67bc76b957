"""The amendment page, its preview (which saves nothing), the versions and the compare page."""

import datetime

import pytest
from django.urls import reverse

from theodoi.alerts.services import evaluate_task
from theodoi.plans import services
from theodoi.plans.models import PlanAmendment, Task


@pytest.fixture
def office(client, world):
    client.force_login(world.people.office)
    return client


@pytest.fixture
def tasks(world):
    """Two tasks made through the service, so they have everything a real task has."""
    make = lambda title, code: services.task_create(  # noqa: E731
        actor=world.people.office,
        plan=world.plan_a,
        title=title,
        code=code,
        lead_units=[world.vhxh],
        deadline_text="30/6/2026",
    )
    return make("Triển khai chữ ký số", "10"), make("Tuyên truyền", "11")


def _post(world, tasks, **extra):
    """The form as the page sends it: every task row with its current values."""
    data = {"number": "25/KH-UBND", "issued_on": "2026-05-20", "note": "Lùi hạn", "new_rows": "3"}
    for task in Task.objects.filter(plan=world.plan_a):
        key = f"t{task.pk}"
        lead = task.lead_units.first()
        data |= {
            f"{key}-title": task.title,
            f"{key}-deadline_text": task.deadline_text,
            f"{key}-lead_unit": str(lead.pk) if lead else "",
            f"{key}-reason": "",
        }
    return data | extra


def _url(world):
    return reverse("amendment_create", args=[world.plan_a.pk])


def test_the_page_lists_the_plans_tasks(office, world, tasks):
    page = office.get(_url(world))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Triển khai chữ ký số" in text
    assert f"t{tasks[0].pk}-deadline_text" in text


def test_preview_lists_the_changes_and_saves_nothing(office, world, tasks):
    moved, dropped = tasks
    data = _post(
        world,
        tasks,
        action="preview",
        **{
            f"t{moved.pk}-deadline_text": "30/9/2026",
            f"t{dropped.pk}-withdraw": "on",
            f"t{dropped.pk}-reason": "Trùng nhiệm vụ",
            "n0-title": "Xây dựng hệ thống theo dõi",
            "n0-deadline_text": "Quý IV/2026",
            "n0-lead_unit": str(world.police.pk),
        },
    )

    page = office.post(_url(world), data)

    assert page.status_code == 200
    text = page.content.decode()
    assert "30/6/2026" in text and "30/9/2026" in text
    assert "30/06/2026" in text and "30/09/2026" in text  # due dates before → after
    assert "Xây dựng hệ thống theo dõi" in text
    assert "Trùng nhiệm vụ" in text
    assert 'value="confirm"' in text
    assert not PlanAmendment.objects.exists()
    moved.refresh_from_db()
    assert moved.deadline_text == "30/6/2026"
    assert Task.objects.filter(pk=dropped.pk).exists()
    assert not Task.objects.filter(title="Xây dựng hệ thống theo dõi").exists()


def test_confirm_records_the_amendment(office, world, tasks):
    moved, dropped = tasks
    data = _post(
        world,
        tasks,
        action="confirm",
        **{
            f"t{moved.pk}-deadline_text": "30/9/2026",
            f"t{dropped.pk}-withdraw": "True",
            f"t{dropped.pk}-reason": "Trùng nhiệm vụ",
        },
    )

    response = office.post(_url(world), data)

    amendment = PlanAmendment.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("plan_version", args=[world.plan_a.pk, 1])
    assert amendment.number == "25/KH-UBND"
    assert amendment.issued_on == datetime.date(2026, 5, 20)
    moved.refresh_from_db()
    assert moved.due_date == datetime.date(2026, 9, 30)
    assert moved.original_due_date == datetime.date(2026, 6, 30)
    assert Task.all_objects.get(pk=dropped.pk).is_withdrawn

    task_page = office.get(moved.get_absolute_url()).content.decode()
    assert "30/09/2026" in task_page
    assert "30/06/2026" in task_page
    assert "25/KH-UBND" in task_page


def test_a_refused_form_keeps_what_was_typed(office, world, tasks):
    moved, dropped = tasks
    data = _post(
        world,
        tasks,
        action="preview",
        number="",
        note="Nội dung đã gõ",
        **{
            f"t{moved.pk}-deadline_text": "Quý III/2026 đã gõ",
            f"t{dropped.pk}-withdraw": "on",  # no reason
            "n0-title": "Nhiệm vụ mới đã gõ",
        },
    )

    page = office.post(_url(world), data)

    assert page.status_code == 400
    text = page.content.decode()
    assert "Nội dung đã gõ" in text
    assert "Quý III/2026 đã gõ" in text
    assert "Nhiệm vụ mới đã gõ" in text
    assert "hãy ghi lý do rút khỏi kế hoạch" in text
    assert not PlanAmendment.objects.exists()


def test_nothing_changed_is_said_not_saved(office, world, tasks):
    page = office.post(_url(world), _post(world, tasks, action="confirm"))
    assert page.status_code == 400
    assert not PlanAmendment.objects.exists()


def test_add_a_row_keeps_the_rows_typed(office, world, tasks):
    data = _post(world, tasks, action="add_row", **{"n0-title": "Dòng một"})
    page = office.post(_url(world), data)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Dòng một" in text
    assert 'name="n3-title"' in text
    assert not PlanAmendment.objects.exists()


def test_a_unit_officer_cannot_amend(client, world, tasks):
    client.force_login(world.people.officer)
    assert client.get(_url(world)).status_code == 403
    response = client.post(_url(world), _post(world, tasks, action="confirm"))
    assert response.status_code == 403
    assert not PlanAmendment.objects.exists()


def test_versions_and_compare(office, world, tasks):
    moved, dropped = tasks
    services.amendment_apply(
        actor=world.people.office,
        plan=world.plan_a,
        number="25/KH-UBND",
        issued_on=datetime.date(2026, 5, 20),
        changes=[
            {
                "kind": "changed",
                "task": moved.pk,
                "fields": {"deadline_text": {"after": "30/9/2026"}},
            },
            {"kind": "withdrawn", "task": dropped.pk, "reason": "Trùng"},
            {"kind": "added", "row": {"code": "12", "title": "Nhiệm vụ bổ sung"}},
        ],
    )

    versions = office.get(reverse("plan_versions", args=[world.plan_a.pk])).content.decode()
    assert "25/KH-UBND" in versions
    assert reverse("plan_version", args=[world.plan_a.pk, 0]) in versions
    assert reverse("plan_version", args=[world.plan_a.pk, 1]) in versions

    page = office.get(reverse("plan_version", args=[world.plan_a.pk, 1]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'class="compare-added table-success"' in text
    assert "<del>Tuyên truyền</del>" in text
    assert "compare-changed" in text and "30/09/2026" in text

    first = office.get(reverse("plan_version", args=[world.plan_a.pk, 0])).content.decode()
    assert "Tuyên truyền" in first and "Nhiệm vụ bổ sung" not in first
    assert office.get(reverse("plan_version", args=[world.plan_a.pk, 2])).status_code == 404


def test_another_ward_sees_no_version(client, world):
    client.force_login(world.people.other_ward)
    url = reverse("plan_versions", args=[world.plan_a.pk])
    assert client.get(url).status_code == 404


def test_a_moved_deadline_closes_the_overdue_alert(office, world, tasks, settings):
    """The alerts follow the new deadline in the amendment's own transaction."""
    settings.THEODOI_TODAY = "2026-07-15"
    moved, _dropped = tasks
    evaluate_task(moved)
    assert moved.alerts.filter(rule="overdue", closed_at__isnull=True).exists()

    office.post(
        _url(world),
        _post(world, tasks, action="confirm", **{f"t{moved.pk}-deadline_text": "30/9/2026"}),
    )

    assert PlanAmendment.objects.exists()
    assert not moved.alerts.filter(rule="overdue", closed_at__isnull=True).exists()
