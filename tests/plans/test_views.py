"""The pages: who sees what, filters, search without diacritics, and the HTMX partial."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import SectionFactory, TaskFactory, UnitFactory
from theodoi.core.access import SYSTEM
from theodoi.reporting.models import Directive


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def test_pages_require_sign_in(client, world):
    for url in [reverse("plan_list"), reverse("my_tasks"), world.plan_a.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_sign_in_page_is_vietnamese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_sign_in_with_wrong_password_says_what_to_do(client, world):
    response = client.post(reverse("login"), {"username": "alice", "password": "sai"})
    assert response.status_code == 200
    assert "không đúng" in response.content.decode()


def test_plan_list_shows_only_own_ward(login, world):
    content = login(world.people.officer).get(reverse("plan_list")).content.decode()
    assert world.plan_a.number in content
    assert world.plan_b.number not in content


def test_upper_level_lists_every_ward_below(login, world):
    content = login(world.people.upper).get(reverse("plan_list")).content.decode()
    assert world.plan_a.number in content and world.plan_b.number in content


def test_other_wards_plan_and_task_are_404(login, world):
    client = login(world.people.other_ward)
    assert client.get(world.plan_a.get_absolute_url()).status_code == 404
    assert client.get(world.task_vhxh.get_absolute_url()).status_code == 404


def test_plan_page_lists_tasks_with_sections(login, world):
    section = SectionFactory(plan=world.plan_a, code="II", title="Hoàn thiện thể chế")
    TaskFactory(plan=world.plan_a, section=section, title="Ban hành quy chế dữ liệu")
    content = login(world.people.leader).get(world.plan_a.get_absolute_url()).content.decode()
    assert "II. Hoàn thiện thể chế" in content
    assert "Ban hành quy chế dữ liệu" in content
    assert "Bảo đảm an ninh mạng" in content


def test_search_ignores_diacritics(login, world):
    client = login(world.people.office)
    response = client.get(world.plan_a.get_absolute_url(), {"q": "chu ky so"})
    content = response.content.decode()
    assert "Triển khai chữ ký số cho cán bộ" in content
    assert "Bảo đảm an ninh mạng" not in content


def test_filter_by_unit(login, world):
    response = login(world.people.office).get(
        world.plan_a.get_absolute_url(), {"unit": world.police.pk}
    )
    content = response.content.decode()
    assert "Bảo đảm an ninh mạng" in content
    assert "Triển khai chữ ký số" not in content


def test_filter_by_unit_lists_each_task_once_with_all_its_lead_units(login, world):
    """A task the unit both leads and coordinates, or leads with other units, is one row; a task
    it only coordinates is there too; every lead unit shows, in the plan's order (the lead first)."""
    extra = UnitFactory(organization=world.ward_a, name="Ban Kinh tế")
    TaskFactory(
        plan=world.plan_a,
        title="Việc của ba đơn vị",
        lead_units=[world.police, extra],
        coordinating_units=[world.police, world.vhxh],
    )
    TaskFactory(plan=world.plan_a, title="Việc công an phối hợp", coordinating_units=[world.police])
    response = login(world.people.office).get(
        world.plan_a.get_absolute_url(), {"unit": world.police.pk}
    )
    titles = [task.title for task in response.context["tasks"]]
    assert sorted(titles) == ["Bảo đảm an ninh mạng", "Việc công an phối hợp", "Việc của ba đơn vị"]
    content = response.content.decode()
    assert content.count("Việc của ba đơn vị") == 1
    assert "Công an phường; Ban Kinh tế" in content


def test_filter_by_state_and_deadline(login, world, settings):
    settings.THEODOI_TODAY = "2026-11-24"
    TaskFactory(plan=world.plan_a, title="Việc đã quá hạn", due_date=datetime.date(2026, 6, 30))
    TaskFactory(plan=world.plan_a, title="Việc đã xong", completed_on=datetime.date(2026, 3, 1))
    client = login(world.people.office)
    overdue = client.get(
        world.plan_a.get_absolute_url(), {"state": "open_overdue"}
    ).content.decode()
    assert "Việc đã quá hạn" in overdue and "Việc đã xong" not in overdue
    assert "Triển khai chữ ký số" not in overdue
    done = client.get(world.plan_a.get_absolute_url(), {"state": "done_on_time"}).content.decode()
    assert "Việc đã xong" in done and "Việc đã quá hạn" not in done
    quarter = client.get(
        world.plan_a.get_absolute_url(), {"deadline": "this_quarter"}
    ).content.decode()
    assert "Triển khai chữ ký số" in quarter and "Việc đã quá hạn" not in quarter


def test_empty_filter_result_says_so(login, world):
    content = (
        login(world.people.office)
        .get(world.plan_a.get_absolute_url(), {"q": "khong co viec nay"})
        .content.decode()
    )
    assert "Không có nhiệm vụ nào phù hợp" in content


def test_htmx_filter_returns_only_the_rows(login, world):
    response = login(world.people.office).get(
        world.plan_a.get_absolute_url(),
        {"q": "an ninh"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="task-rows",
    )
    content = response.content.decode()
    assert "<html" not in content
    assert "Bảo đảm an ninh mạng" in content


def test_bad_filter_values_do_not_fail(login, world):
    response = login(world.people.office).get(
        world.plan_a.get_absolute_url(), {"unit": "abc", "state": "nonsense", "deadline": "x"}
    )
    assert response.status_code == 200


def test_task_page_shows_details_and_empty_sections(login, world):
    content = login(world.people.officer).get(world.task_vhxh.get_absolute_url()).content.decode()
    assert "Triển khai chữ ký số cho cán bộ" in content
    assert "Quý IV/2026" in content
    assert "Chưa có báo cáo tiến độ" in content
    assert "Chưa có minh chứng" in content


def test_my_tasks_lists_own_unit_soonest_first(login, world):
    TaskFactory(
        plan=world.plan_a,
        title="Việc sớm nhất",
        due_date=datetime.date(2026, 2, 1),
        lead_units=[world.vhxh],
    )
    TaskFactory(
        plan=world.plan_a,
        title="Việc phối hợp",
        due_date=datetime.date(2026, 5, 1),
        coordinating_units=[world.vhxh],
    )
    content = login(world.people.officer).get(reverse("my_tasks")).content.decode()
    assert content.index("Việc sớm nhất") < content.index("Việc phối hợp")
    assert content.index("Việc phối hợp") < content.index("Triển khai chữ ký số")
    assert "Bảo đảm an ninh mạng" not in content


def test_my_tasks_lists_a_task_once_and_says_the_units_role(login, world):
    TaskFactory(
        plan=world.plan_a,
        title="Việc chủ trì và phối hợp",
        due_date=datetime.date(2026, 2, 1),
        lead_units=[world.vhxh, world.police],
        coordinating_units=[world.vhxh, world.police],
    )
    TaskFactory(
        plan=world.plan_a,
        title="Việc chỉ phối hợp",
        due_date=datetime.date(2026, 3, 1),
        coordinating_units=[world.vhxh, world.police],
    )
    response = login(world.people.officer).get(reverse("my_tasks"))
    titles = [task.title for task in response.context["page"].object_list]
    assert titles == [
        "Việc chủ trì và phối hợp",
        "Việc chỉ phối hợp",
        "Triển khai chữ ký số cho cán bộ",
    ]
    assert response.context["page"].paginator.count == 3
    content = response.content.decode()
    assert content.count("Chủ trì") == 2 and content.count("Phối hợp") == 1


def test_leader_gives_a_directive_and_the_lead_unit_answers(login, world):
    url = reverse("directive_create", args=[world.task_vhxh.pk])
    response = login(world.people.leader).post(url, {"text": "Khẩn trương hoàn thành"})
    assert response.status_code == 302
    directive = Directive.objects.get(task=world.task_vhxh)
    answer_url = reverse("directive_answer", args=[world.task_vhxh.pk, directive.pk])
    login(world.people.officer).post(answer_url, {"answer": "Đã triển khai 80%"})
    directive.refresh_from_db()
    assert directive.answer == "Đã triển khai 80%"
    assert directive.answered_by == world.people.officer


def test_directive_refused_for_other_roles_and_wards(login, world):
    url = reverse("directive_create", args=[world.task_vhxh.pk])
    assert login(world.people.officer).post(url, {"text": "x"}).status_code == 403
    assert login(world.people.other_ward).post(url, {"text": "x"}).status_code == 404
    assert not Directive.objects.exists()


def test_police_cannot_answer_a_directive_on_a_vhxh_task(login, world):
    directive = Directive.objects.create(task=world.task_vhxh, author=world.people.leader, text="x")
    url = reverse("directive_answer", args=[world.task_vhxh.pk, directive.pk])
    assert login(world.people.police_officer).post(url, {"answer": "y"}).status_code == 403
    directive.refresh_from_db()
    assert directive.answer == ""


def test_empty_directive_gets_a_message_not_an_error(login, world):
    url = reverse("directive_create", args=[world.task_vhxh.pk])
    response = login(world.people.leader).post(url, {"text": "   "}, follow=True)
    assert response.status_code == 200
    assert "Hãy viết ý kiến chỉ đạo" in response.content.decode()
    assert not Directive.objects.exists()


def test_plan_page_shows_the_budget_by_year(login, world):
    from decimal import Decimal

    from theodoi.budget.services import budget_lines_create

    budget_lines_create(
        actor=SYSTEM,
        plan=world.plan_a,
        content="Mua sắm máy tính",
        code="1",
        by_year={2026: Decimal("300"), 2027: Decimal("1200.5")},
        note="Dự toán 2026-2030",
    )
    response = login(world.people.leader).get(world.plan_a.get_absolute_url())
    assert response.context["budget_years"] == [2026, 2027]
    row = response.context["budget_rows"][0]
    assert row["cells"] == [Decimal("300"), Decimal("1200.5")]
    assert row["total"] == Decimal("1500.5")
    assert "Mua sắm máy tính" in response.content.decode()


def test_indicator_shows_latest_value_against_this_years_milestone(login, world, settings):
    from decimal import Decimal

    from theodoi.plans.services import indicator_create
    from theodoi.reporting.services import indicator_value_record

    settings.THEODOI_TODAY = "2026-11-24"
    indicator = indicator_create(
        actor=SYSTEM,
        plan=world.plan_a,
        name="Tỷ lệ hồ sơ trực tuyến",
        lead_unit=world.vhxh,
        target=Decimal(95),
        target_year=2030,
        milestones={2026: Decimal(80)},
    )
    indicator_value_record(
        actor=world.people.officer, indicator=indicator, period="2026-Q3", value=70
    )
    indicator_value_record(
        actor=world.people.officer, indicator=indicator, period="2026-Q4", value="78,5"
    )
    response = login(world.people.leader).get(world.plan_a.get_absolute_url())
    shown = response.context["indicators"][0]
    assert shown.latest.value == Decimal("78.5") and shown.milestone == Decimal(80)
    assert "Quý IV/2026" in response.content.decode()


def test_indicator_targets_read_with_thousands_and_a_space_before_the_unit(login, world):
    from decimal import Decimal

    from theodoi.plans.services import indicator_create

    for name, unit, target in (("Người dùng định danh", "người", 20000), ("Tỷ lệ", "%", 95)):
        indicator_create(
            actor=SYSTEM,
            plan=world.plan_a,
            name=name,
            unit_of_measure=unit,
            comparator=">=",
            lead_unit=world.vhxh,
            target=Decimal(target),
        )
    text = login(world.people.leader).get(world.plan_a.get_absolute_url()).content.decode()
    assert "≥ 20.000\u00a0người" in text and "20000người" not in text
    assert "≥ 95%" in text


def test_the_task_details_labels_keep_a_gap_when_they_wrap(login, world):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    content = login(world.people.officer).get(world.task_vhxh.get_absolute_url()).content.decode()
    details = content[content.index('id="h-details"') :]
    assert '<dl class="row mb-0 details-list">' in details[: details.index("<dt")]
    css = Path(finders.find("theodoi/theodoi.css")).read_text()
    assert ".details-list > dt { margin-bottom: .5rem; }" in css
