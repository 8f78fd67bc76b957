"""Budget lines added, corrected and removed on the web by the standing office (or the ward's
admin): permission through core.access, the audit trail in the same transaction, a stale form
refused, the origin of each line shown, and the pages that do it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from theodoi.audit.models import AuditEvent
from theodoi.budget import services
from theodoi.budget.models import BudgetLine
from theodoi.core.access import Action, can

D = Decimal
EVERYONE = [
    "officer", "head", "police_officer", "office", "leader",
    "ward_admin", "upper", "other_upper", "other_ward",
]  # fmt: skip


@pytest.fixture
def imported(world):
    """A line as the import leaves it."""
    (line,) = services.budget_lines_create(
        actor=world.people.office,
        plan=world.plan_a,
        code="1",
        content="Mua sắm máy tính",
        by_year={2026: D("120")},
    )
    return line


def _data(world, **changes):
    values = {
        "content": "Thuê đường truyền cho Wi-Fi công cộng",
        "year": 2026,
        "estimate": D("1200000"),
        "code": "5",
        "source": BudgetLine.Source.WARD,
        "task": world.task_vhxh,
        "note": "",
    }
    values.update(changes)
    return services.LineInput(**values)


# --- Who may --------------------------------------------------------------------------------


def test_the_office_and_the_wards_admin_edit_budget_lines_as_they_edit_the_plan(world):
    allowed = {
        name
        for name in EVERYONE
        if can(getattr(world.people, name), Action.EDIT_BUDGET_LINES, world.plan_a)
    }
    assert allowed == {"office", "ward_admin"}
    assert allowed == {
        name
        for name in EVERYONE
        if can(getattr(world.people, name), Action.MANAGE_PLAN, world.plan_a)
    }
    assert not can(world.people.other_ward, Action.EDIT_BUDGET_LINES, world.plan_a)


# --- Services -------------------------------------------------------------------------------


def test_the_office_adds_a_line_marked_as_added_on_the_web_with_audit(world):
    office = world.people.office
    line = services.budget_line_add(actor=office, plan=world.plan_a, data=_data(world))

    line.refresh_from_db()
    assert (line.origin, line.created_by, line.estimate) == ("web", office, D("1200000"))
    assert line.created_at is not None
    assert (line.task, line.section) == (world.task_vhxh, world.task_vhxh.section)
    event = AuditEvent.objects.get(action="budget.create", object_id=str(line.pk))
    assert event.actor == office
    assert event.after["origin"] == "web"
    assert event.after["estimate"] == "1200000.000"


def test_an_imported_line_says_so(world, imported):
    assert imported.origin == BudgetLine.Origin.IMPORT


@pytest.mark.parametrize("person", ["officer", "head", "leader", "upper", "other_ward"])
def test_others_may_not_add_correct_or_remove(world, imported, person):
    actor = getattr(world.people, person)
    with pytest.raises(PermissionDenied):
        services.budget_line_add(actor=actor, plan=world.plan_a, data=_data(world))
    with pytest.raises(PermissionDenied):
        services.budget_line_update(actor=actor, line=imported, data=_data(world))
    with pytest.raises(PermissionDenied):
        services.budget_line_delete(actor=actor, line=imported)
    assert BudgetLine.objects.count() == 1
    assert not AuditEvent.objects.filter(action__in=["budget.update", "budget.delete"]).exists()


def test_correcting_an_imported_line_keeps_its_origin_and_audits_before_and_after(world, imported):
    admin = world.people.ward_admin
    data = _data(world, content="Mua sắm máy tính (sửa)", estimate=D("150"), task=None)
    line = services.budget_line_update(actor=admin, line=imported, data=data, version=1)

    line.refresh_from_db()
    assert (line.origin, line.content, line.estimate, line.version) == (
        "import",
        "Mua sắm máy tính (sửa)",
        D("150"),
        2,
    )
    assert (line.edited_by, line.edited_at is not None) == (admin, True)
    event = AuditEvent.objects.get(action="budget.update")
    assert (event.before["estimate"], event.after["estimate"]) == ("120.000", "150.000")
    assert event.before["content"] == "Mua sắm máy tính"


def test_a_stale_correction_is_refused_and_nothing_changes(world, imported):
    office = world.people.office
    services.budget_line_record(actor=office, line=imported, allocated="100", disbursed="")

    with pytest.raises(services.StaleBudgetLine):
        services.budget_line_update(actor=office, line=imported, data=_data(world), version=1)
    with pytest.raises(services.StaleBudgetLine):
        services.budget_line_delete(actor=office, line=imported, version=1)
    imported.refresh_from_db()
    assert imported.content == "Mua sắm máy tính"
    assert not AuditEvent.objects.filter(action__in=["budget.update", "budget.delete"]).exists()


def test_removing_a_line_keeps_what_it_held_in_the_audit_trail(world, imported):
    services.budget_line_delete(actor=world.people.office, line=imported, version=1)

    assert not BudgetLine.objects.exists()
    event = AuditEvent.objects.get(action="budget.delete")
    assert event.before["content"] == "Mua sắm máy tính"
    assert event.before["estimate"] == "120.000"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"content": "  "}, "Hãy ghi dòng kinh phí chi cho việc gì"),
        ({"year": None}, "Hãy nhập năm của số dự toán"),
        ({"year": 1999}, "từ 2000 đến 2100"),
        ({"estimate": "mười"}, "phải là số triệu đồng"),
        ({"estimate": D("-1")}, "không được âm"),
        ({"source": "bank"}, "nguồn kinh phí"),
    ],
)
def test_refusals_say_what_to_correct_and_write_nothing(world, changes, message):
    with pytest.raises(services.BudgetError, match=message):
        services.budget_line_add(
            actor=world.people.office, plan=world.plan_a, data=_data(world, **changes)
        )
    assert not BudgetLine.objects.exists()
    assert not AuditEvent.objects.filter(action="budget.create").exists()


def test_a_task_of_another_plan_is_refused(world):
    with pytest.raises(services.BudgetError, match="nhiệm vụ của kế hoạch này"):
        services.budget_line_add(
            actor=world.people.office, plan=world.plan_a, data=_data(world, task=world.task_b)
        )


def test_a_line_without_an_estimate_may_have_no_year(world):
    line = services.budget_line_add(
        actor=world.people.office,
        plan=world.plan_a,
        data=_data(world, year=None, estimate=None),
    )
    assert (line.year, line.estimate) == (None, None)


# --- Pages ----------------------------------------------------------------------------------


def _add_url(world):
    return reverse("budget_line_add", args=[world.plan_a.pk])


def _form(world, **changes):
    values = {
        "content": "Thuê đường truyền",
        "code": "5",
        "year": "2026",
        "source": "ward",
        "estimate": "1.200.000",
        "task": str(world.task_vhxh.pk),
        "note": "",
    }
    values.update(changes)
    return values


def test_the_office_adds_a_line_on_the_page_and_sees_totals_and_origin(client, world, imported):
    office = world.people.office
    client.force_login(office)
    page = client.get(reverse("plan_budget", args=[world.plan_a.pk])).content.decode()
    assert "Thêm dòng kinh phí" in page
    assert "nhập từ văn bản" in page

    response = client.post(_add_url(world), _form(world))

    assert response.status_code == 302
    line = BudgetLine.objects.get(origin="web")
    assert line.estimate == D("1200000")
    page = client.get(response.url.split("#")[0]).content.decode()
    assert f"thêm trên web bởi {office} ngày " in page
    assert "1.200.120" in page  # the estimate's total: the imported 120 and the new line
    assert reverse("budget_line_edit", args=[line.pk]) in page
    assert reverse("budget_line_delete", args=[line.pk]) in page


def test_a_refused_form_comes_back_with_what_was_typed(client, world):
    client.force_login(world.people.office)

    response = client.post(
        _add_url(world), _form(world, estimate="một tỷ rưỡi", content="Camera giao thông")
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "ghi số tiền bằng triệu đồng, ví dụ 1.200.000 hoặc 12,5" in page
    assert 'value="một tỷ rưỡi"' in page
    assert "Camera giao thông" in page
    assert not BudgetLine.objects.exists()


def test_the_edit_page_corrects_an_imported_line(client, world, imported):
    client.force_login(world.people.office)
    url = reverse("budget_line_edit", args=[imported.pk])
    page = client.get(url).content.decode()
    assert 'value="120"' in page
    assert 'name="version" value="1"' in page

    response = client.post(url, _form(world, estimate="1,5 tỷ", version="1"))

    assert response.status_code == 302
    imported.refresh_from_db()
    assert (imported.estimate, imported.origin) == (D("1500"), "import")


def test_a_stale_edit_comes_back_with_a_message_and_the_typed_text(client, world, imported):
    client.force_login(world.people.office)
    services.budget_line_record(
        actor=world.people.office, line=imported, allocated="1", disbursed=""
    )

    response = client.post(
        reverse("budget_line_edit", args=[imported.pk]),
        _form(world, content="Nội dung mới", version="1"),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Dòng kinh phí vừa được người khác cập nhật" in page
    assert "Nội dung mới" in page


def test_removal_asks_first_and_the_get_writes_nothing(client, world, imported):
    client.force_login(world.people.office)
    url = reverse("budget_line_delete", args=[imported.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "Xóa dòng kinh phí này?" in page.content.decode()
    assert BudgetLine.objects.filter(pk=imported.pk).exists()

    response = client.post(url, {"version": "1"})
    assert response.status_code == 302
    assert not BudgetLine.objects.filter(pk=imported.pk).exists()


@pytest.mark.parametrize("name", ["budget_line_edit", "budget_line_delete"])
def test_a_unit_officer_is_forbidden(client, world, imported, name):
    client.force_login(world.people.officer)
    url = reverse(name, args=[imported.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _form(world, version="1")).status_code == 403
    imported.refresh_from_db()
    assert imported.content == "Mua sắm máy tính"


def test_a_unit_officer_may_not_add_and_sees_no_button(client, world):
    client.force_login(world.people.officer)
    assert client.post(_add_url(world), _form(world)).status_code == 403
    page = client.get(reverse("plan_budget", args=[world.plan_a.pk])).content.decode()
    assert _add_url(world) not in page
    assert not BudgetLine.objects.exists()


def test_the_empty_page_says_what_to_do(client, world):
    client.force_login(world.people.office)
    page = client.get(reverse("plan_budget", args=[world.plan_a.pk])).content.decode()
    assert "Kế hoạch này chưa có dòng kinh phí nào." in page
    assert "Thêm dòng kinh phí" in page
    client.force_login(world.people.officer)
    page = client.get(reverse("plan_budget", args=[world.plan_a.pk])).content.decode()
    assert "Cơ quan thường trực của phường" in page
