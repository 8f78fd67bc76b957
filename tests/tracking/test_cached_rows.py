"""The task lists keep their rows in the cache (``core.fragments``): a row is read again only
while nothing it shows has changed, and it shows each person what is theirs to see."""

import re
from unittest import mock

import pytest
from django.urls import reverse

from tests.factories import TaskFactory
from theodoi.core import fragments
from theodoi.org.services import unit_update
from theodoi.plans.services import task_update
from theodoi.tracking import services

OVERDUE = "Chưa hoàn thành quá hạn"


def _get(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, task) -> str:
    """The text of the table row linking to ``task``, tags removed."""
    link = reverse("task_detail", args=[task.pk])
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html, re.S)
    (row,) = [row for row in rows if f'href="{link}"' in row]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


@pytest.fixture
def plan_page(world):
    return reverse("plan_detail", args=[world.plan_a.pk])


def test_a_report_sent_shows_at_once_on_my_tasks(client, world, settings):
    settings.THEODOI_TODAY = "2026-05-20"
    officer, task = world.people.officer, world.task_vhxh
    assert "0%" in _row(_get(client, officer, reverse("my_tasks")), task)
    # The row now sits in the cache; a report changes what it shows.
    response = client.post(
        reverse("report_submit", args=[task.pk]),
        {"period": "2026-Q2", "percent": "70", "result": "Đã cấp chữ ký số cho 70% cán bộ"},
    )
    assert response.status_code == 302
    assert "70%" in _row(_get(client, officer, reverse("my_tasks")), task)
    assert "70%" in _row(
        _get(client, world.people.office, reverse("plan_detail", args=[task.plan_id])), task
    )
    page = _get(client, officer, reverse("task_detail", args=[task.pk]))
    assert "Đã cấp chữ ký số cho 70% cán bộ" in page


def test_a_report_written_elsewhere_shows_at_once(client, world, plan_page, settings):
    """Another process (here: the service, outside any page) changes the task: the row's key
    changes with it, nothing has to be told to forget the old row."""
    settings.THEODOI_TODAY = "2026-05-20"
    office, task = world.people.office, world.task_vhxh
    assert "0%" in _row(_get(client, office, plan_page), task)
    services.report_submit(actor=world.people.officer, task=task, period="2026-Q2", percent=35)
    assert "35%" in _row(_get(client, office, plan_page), task)


def test_an_edited_title_and_a_renamed_unit_show_at_once(client, world, plan_page):
    office, task = world.people.office, world.task_vhxh
    before = _row(_get(client, office, plan_page), task)
    assert "Triển khai chữ ký số cho cán bộ" in before and "Phòng Văn hóa - Xã hội" in before
    task_update(actor=world.people.ward_admin, task=task, changes={"title": "Cấp chữ ký số"})
    unit_update(actor=world.people.ward_admin, unit=world.vhxh, name="Phòng Văn hóa và Xã hội")
    after = _row(_get(client, office, plan_page), task)
    assert "Cấp chữ ký số" in after and "Triển khai" not in after
    assert "Phòng Văn hóa và Xã hội" in after


def test_a_task_becomes_overdue_with_the_day_not_with_a_write(client, world, plan_page, settings):
    office, task = world.people.office, world.task_vhxh  # due 31/12/2026
    settings.THEODOI_TODAY = "2026-12-30"
    before = _row(_get(client, office, plan_page), task)
    settings.THEODOI_TODAY = "2027-01-04"
    after = _row(_get(client, office, plan_page), task)
    assert OVERDUE in after and OVERDUE not in before


def test_the_same_task_reads_lead_for_one_unit_and_coordinating_for_another(client, world):
    shared = TaskFactory(
        plan=world.plan_a,
        title="Tuyên truyền chuyển đổi số",
        lead_units=[world.vhxh],
        coordinating_units=[world.police],
    )
    assert "Chủ trì" in _row(_get(client, world.people.officer, reverse("my_tasks")), shared)
    assert "Phối hợp" in _row(
        _get(client, world.people.police_officer, reverse("my_tasks")), shared
    )


def test_rows_follow_the_language_of_the_page(client, world):
    task = world.task_vhxh
    assert "Chủ trì" in _row(_get(client, world.people.officer, reverse("my_tasks")), task)
    client.cookies["django_language"] = "en"
    english = _row(_get(client, world.people.officer, reverse("my_tasks")), task)
    assert "Lead" in english and "Chủ trì" not in english


def test_a_row_unchanged_is_read_from_the_cache_not_rendered_again(client, world, plan_page):
    rendered = []
    real = fragments.get_template

    def counting(name):
        template = real(name)
        render = template.render

        def counted(context=None, request=None):
            rendered.append(context["task"].pk)
            return render(context, request)

        template.render = counted
        return template

    with mock.patch.object(fragments, "get_template", counting):
        first = _get(client, world.people.office, plan_page)
        assert sorted(rendered) == sorted([world.task_vhxh.pk, world.task_police.pk])
        rendered.clear()
        services.report_submit(
            actor=world.people.officer, task=world.task_vhxh, period="2026-Q4", percent=20
        )
        second = _get(client, world.people.office, plan_page)
    # Only the row whose task changed was rendered again; the other one is the same text.
    assert rendered == [world.task_vhxh.pk]
    assert _row(second, world.task_police) == _row(first, world.task_police)
