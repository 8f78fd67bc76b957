"""Who carries out a province's task, chosen on its edit page: the province's departments,
every ward and commune, or the ones listed; a ward's task has no such choice."""

import pytest
from django.urls import reverse

from tests.factories import TaskFactory
from theodoi.audit.models import AuditEvent
from theodoi.plans.models import Plan, WardAssignment
from theodoi.tracking.province import WardAssignmentForm


@pytest.fixture
def city_task(province):
    plan = Plan.objects.create(
        organization=province.city, number="49/KH-UBND", title="Kế hoạch", issuer="UBND TP"
    )
    return TaskFactory(plan=plan, lead_units=[province.departments["Sở Nội vụ"]])


def test_the_form_lists_only_the_provinces_wards_and_communes(province, city_task):
    form = WardAssignmentForm.for_task(city_task)
    # By name, for a person to find one in a long list.
    assert list(form.fields["wards"].queryset) == [
        province.le_chan,
        province.thanh_dong,
        province.an_binh,
    ]
    assert province.elsewhere not in form.fields["wards"].queryset
    assert form.initial["assignment"] == WardAssignment.OWN_UNITS


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"assignment": "listed_wards"}, "wards", "Hãy chọn ít nhất một xã, phường."),
        ({"assignment": "some_wards"}, "assignment", "Hãy chọn ai thực hiện nhiệm vụ."),
        (
            {"assignment": "listed_wards", "wards": ["999999"]},
            "wards",
            "Hãy chọn xã, phường trong danh sách: có một đơn vị không thuộc tỉnh này.",
        ),
        (
            {"assignment": "listed_wards", "wards": ["abc"]},
            "wards",
            "Hãy chọn xã, phường trong danh sách: có một đơn vị không thuộc tỉnh này.",
        ),
    ],
)
def test_the_form_says_in_vietnamese_what_to_correct(province, city_task, data, field, message):
    form = WardAssignmentForm(data, task=city_task)
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_ward_of_another_province_is_refused(province, city_task):
    form = WardAssignmentForm(
        {"assignment": "listed_wards", "wards": [province.elsewhere.pk]}, task=city_task
    )
    assert not form.is_valid()
    assert "wards" in form.errors


@pytest.mark.parametrize("who", ["office", "upper"])
def test_the_edit_page_saves_the_choice_and_the_task_page_shows_it(
    client, province, city_task, who
):
    client.force_login(getattr(province.people, who))
    page = client.get(reverse("task_edit", args=[city_task.pk]))
    assert page.context["wards_form"] is not None
    assert "Đơn vị thực hiện" in page.content.decode()
    url = reverse("task_assign_wards", args=[city_task.pk])
    response = client.post(
        url,
        {"assignment": "listed_wards", "wards": [province.le_chan.pk, province.an_binh.pk]},
    )
    assert response.status_code == 302
    city_task.refresh_from_db()
    assert city_task.ward_assignment == WardAssignment.LISTED_WARDS
    assert set(city_task.assigned_wards.all()) == {province.le_chan, province.an_binh}
    assert AuditEvent.objects.filter(action="task.update", object_id=str(city_task.pk)).exists()
    shown = client.get(city_task.get_absolute_url()).content.decode()
    assert "Phường Lê Chân; Xã An Bình" in shown or "Xã An Bình; Phường Lê Chân" in shown
    client.post(url, {"assignment": "all_wards", "wards": [province.le_chan.pk]})
    city_task.refresh_from_db()
    assert city_task.ward_assignment == WardAssignment.ALL_WARDS
    # The wards listed before are dropped: every ward carries it out.
    assert not city_task.assigned_wards.exists()
    assert "Tất cả các xã, phường" in client.get(city_task.get_absolute_url()).content.decode()


def test_a_refused_choice_shows_the_page_again_with_the_message(client, province, city_task):
    client.force_login(province.people.office)
    response = client.post(
        reverse("task_assign_wards", args=[city_task.pk]), {"assignment": "listed_wards"}
    )
    assert response.status_code == 400
    assert "Hãy chọn ít nhất một xã, phường." in response.content.decode()
    city_task.refresh_from_db()
    assert city_task.ward_assignment == WardAssignment.OWN_UNITS


def test_a_ward_task_has_no_such_choice(client, province):
    client.force_login(province.people.ward_office)
    page = client.get(reverse("task_edit", args=[province.ward_task.pk]))
    assert page.status_code == 200
    assert page.context["wards_form"] is None
    assert "task_assign_wards" not in page.content.decode()
    assert 'id="ward-assignment"' not in page.content.decode()
    detail = client.get(province.ward_task.get_absolute_url()).content.decode()
    assert 'id="ward-assignment"' not in detail
    response = client.post(
        reverse("task_assign_wards", args=[province.ward_task.pk]), {"assignment": "all_wards"}
    )
    assert response.status_code == 400
    assert "Chỉ nhiệm vụ của tỉnh mới giao cho các xã, phường." in response.content.decode()
    province.ward_task.refresh_from_db()
    assert province.ward_task.ward_assignment == WardAssignment.OWN_UNITS


def test_someone_who_may_not_keep_the_plan_cannot_post(client, province, city_task):
    client.force_login(province.people.other_upper)
    response = client.post(
        reverse("task_assign_wards", args=[city_task.pk]), {"assignment": "all_wards"}
    )
    assert response.status_code == 404
    # The ward reads its province's task, and may not change it.
    client.force_login(province.people.ward_office)
    response = client.post(
        reverse("task_assign_wards", args=[city_task.pk]), {"assignment": "all_wards"}
    )
    assert response.status_code == 403
    city_task.refresh_from_db()
    assert city_task.ward_assignment == WardAssignment.OWN_UNITS


def test_the_ward_box_has_its_own_name_comes_first_and_is_guarded(client, province, city_task):
    client.force_login(province.people.office)
    page = client.get(reverse("task_edit", args=[city_task.pk])).content.decode()
    assert "Giao cho xã, phường" in page and "Lưu việc giao cho xã, phường" in page
    assert "Lưu đơn vị thực hiện" not in page
    # Above the task's form, each form asking before the page is left with its typing unsaved.
    wards_at = page.index('id="ward-assignment"')
    assert wards_at < page.index('class="task-form"')
    ward_form_tag = page[page.rindex("<form", 0, wards_at) : page.index(">", wards_at)]
    assert "data-unsaved-warning" in ward_form_tag
    assert "được lưu riêng" in page


def test_opening_the_wards_address_leads_to_the_edit_page(client, province, city_task):
    client.force_login(province.people.office)
    response = client.get(reverse("task_assign_wards", args=[city_task.pk]))
    assert response.status_code == 302
    assert response.url == reverse("task_edit", args=[city_task.pk])
