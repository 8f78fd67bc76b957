"""A province imports and keeps its own plan through the ward's importer and pages; its tasks
are given to its departments, to every ward and commune, or to the wards listed."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from theodoi.audit.models import AuditEvent
from theodoi.core.access import SYSTEM, can_import_plans
from theodoi.importer.models import ImportDraft
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.services import import_draft
from theodoi.org.models import Unit
from theodoi.plans import services as plan_services
from theodoi.plans.models import Plan, WardAssignment
from theodoi.tracking import services as tracking_services

ALL_WARDS_TASKS = {"1.1", "1.2", "2.1", "3.1", "3.2", "4.1", "4.2", "5.1"}


def _import(client, province):
    """Upload the province's plan and save its draft as the page sends it."""
    data = province.document.read_bytes()
    response = client.post(
        reverse("import_upload"), {"document": SimpleUploadedFile(province.document.name, data)}
    )
    assert response.status_code == 302
    stored = ImportDraft.objects.get(organization=province.city)
    page = client.get(reverse("import_review", args=[stored.pk]))
    assert page.status_code == 200
    assert not page.context["unknown"]  # no ward is proposed as a department
    response = client.post(reverse("import_review", args=[stored.pk]), {"action": "save"})
    assert response.status_code == 302
    return page, Plan.objects.get(organization=province.city)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.parametrize("who", ["office", "upper"])
def test_the_province_imports_its_plan_and_its_tasks_go_to_the_wards_it_names(
    client, province, who
):
    person = getattr(province.people, who)
    assert can_import_plans(person)
    client.force_login(person)
    units_before = Unit.objects.count()
    page, plan = _import(client, province)
    text = _text(page)
    assert text.count("Giao cho: tất cả xã, phường") == len(ALL_WARDS_TASKS)
    assert "Giao cho: Phường Lê Chân; Phường Thành Đông" in text
    # No ward became a department of the province.
    assert Unit.objects.count() == units_before
    tasks = {task.code: task for task in plan.tasks.all()}
    for code in ALL_WARDS_TASKS:
        assert tasks[code].ward_assignment == WardAssignment.ALL_WARDS
        assert not tasks[code].lead_units.exists()
    assert tasks["3.3"].ward_assignment == WardAssignment.LISTED_WARDS
    assert set(tasks["3.3"].assigned_wards.all()) == {province.le_chan, province.thanh_dong}
    for code in ("1.3", "2.2", "4.3", "5.2"):
        assert tasks[code].ward_assignment == WardAssignment.OWN_UNITS
        assert tasks[code].lead_units.get().organization == province.city
    assert [u.name for u in tasks["1.3"].lead_units.all()] == ["Sở Nội vụ"]
    # "Các sở, ban, ngành" coordinate: every other department of the province.
    assert tasks["2.2"].coordinating_units.count() == len(province.departments) - 1
    assert AuditEvent.objects.filter(action="task.update", actor=person).count() == 9


def test_a_named_ward_that_is_not_of_the_province_is_warned_and_left_to_a_person(province):
    text = province.document.read_text().replace("UBND phường Thành Đông", "UBND phường Hồng Bàng")
    draft = draft_from_bytes(text.encode(), name="plan.md")
    result = import_draft(actor=province.people.office, draft=draft, ward=province.city)
    task = result.plan.tasks.get(code="3.3")
    assert task.ward_assignment == WardAssignment.LISTED_WARDS
    assert list(task.assigned_wards.all()) == [province.le_chan]
    assert any("Hồng Bàng" in warning and "3.3" in warning for warning in draft.warnings)
    event = AuditEvent.objects.get(action="plan.import")
    assert any("Hồng Bàng" in warning for warning in event.after["warnings"])


def test_a_ward_plan_is_read_as_before_its_wards_words_are_units(world):
    text = "| STT | Nội dung | Đơn vị chủ trì | Thời gian |\n|---|---|---|---|\n"
    text += "| 1 | Tuyên truyền chuyển đổi số | UBND phường | Quý II/2026 |\n"
    draft = draft_from_bytes(
        ("KẾ HOẠCH\n\nSố: 7/KH-UBND\n\nNHIỆM VỤ\n\n" + text).encode(), name="plan.md"
    )
    result = import_draft(actor=SYSTEM, draft=draft, ward=world.ward_a)
    task = result.plan.tasks.get()
    assert task.ward_assignment == WardAssignment.OWN_UNITS
    assert not task.assigned_wards.exists()


@pytest.fixture
def city_plan(province):
    draft = draft_from_bytes(province.document.read_bytes(), name=province.document.name)
    return import_draft(actor=province.people.office, draft=draft, ward=province.city).plan


@pytest.mark.parametrize("who", ["office", "upper"])
def test_the_province_edits_its_own_plan_and_tasks(province, city_plan, who):
    person = getattr(province.people, who)
    plan_services.plan_update(actor=person, plan=city_plan, changes={"reporting_cycle": "monthly"})
    task = city_plan.tasks.get(code="1.3")
    tracking_services.task_update(actor=person, task=task, changes={"deadline_text": "Quý IV/2026"})
    task.refresh_from_db()
    assert task.deadline_text == "Quý IV/2026"
    plan_services.task_assign_wards(
        actor=person, task=task, assignment="listed_wards", wards=[province.an_binh]
    )
    assert list(task.assigned_wards.all()) == [province.an_binh]


@pytest.mark.parametrize("who", ["office", "upper"])
def test_the_province_cannot_edit_a_ward_plan(province, who):
    person = getattr(province.people, who)
    with pytest.raises(PermissionDenied):
        plan_services.plan_update(
            actor=person, plan=province.ward_plan, changes={"reporting_cycle": "monthly"}
        )
    with pytest.raises(PermissionDenied):
        tracking_services.task_update(
            actor=person, task=province.ward_task, changes={"deadline_text": "Quý IV/2026"}
        )


def test_a_ward_office_and_another_province_cannot_edit_the_province_plan(
    client, province, city_plan
):
    task = city_plan.tasks.get(code="1.3")
    for person in (province.people.ward_office, province.people.other_upper):
        with pytest.raises(PermissionDenied):
            plan_services.plan_update(
                actor=person, plan=city_plan, changes={"reporting_cycle": "monthly"}
            )
        with pytest.raises(PermissionDenied):
            plan_services.task_assign_wards(actor=person, task=task, assignment="all_wards")
        client.force_login(person)
        # The ward reads the plan of its province (it carries it out) but edits nothing of
        # it; another province does not even see it.
        hidden = 403 if person == province.people.ward_office else 404
        assert client.get(reverse("plan_edit", args=[city_plan.pk])).status_code == hidden
        assert client.get(reverse("task_edit", args=[task.pk])).status_code == hidden


@pytest.mark.parametrize("who", ["office", "upper"])
def test_the_province_pages_of_its_own_plan_and_of_a_ward_plan(client, province, city_plan, who):
    client.force_login(getattr(province.people, who))
    listing = client.get(reverse("plan_list"))
    assert [p.pk for p in listing.context["own_plans"]] == [city_plan.pk]
    assert [p.pk for p in listing.context["plans"]] == [province.ward_plan.pk]
    text = _text(listing)
    assert text.index("Kế hoạch của Thành phố Hải Phòng") < text.index(
        "Kế hoạch của các xã, phường"
    )
    task = city_plan.tasks.get(code="3.3")
    for url in (
        reverse("plan_detail", args=[city_plan.pk]),
        reverse("plan_edit", args=[city_plan.pk]),
        reverse("plan_complete", args=[city_plan.pk]),
        reverse("task_edit", args=[task.pk]),
        reverse("task_detail", args=[task.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("plan_detail", args=[city_plan.pk])).context["can_manage"]
    # The wards' plans stay read-only to the province.
    assert not client.get(reverse("plan_detail", args=[province.ward_plan.pk])).context[
        "can_manage"
    ]
    assert client.get(reverse("plan_edit", args=[province.ward_plan.pk])).status_code == 403
    assert client.get(reverse("task_edit", args=[province.ward_task.pk])).status_code == 403


def test_a_ward_user_sees_no_province_section(client, province):
    client.force_login(province.people.ward_office)
    listing = client.get(reverse("plan_list"))
    assert listing.context["own_organization"] is None
    assert "Kế hoạch của các xã, phường" not in _text(listing)


def test_the_command_imports_a_province_plan(province):
    call_command("import_plan", str(province.document), "--ward", province.city.code)
    plan = Plan.objects.get(organization=province.city)
    assert plan.tasks.get(code="3.1").ward_assignment == WardAssignment.ALL_WARDS
    assert not province.city.units.filter(name__icontains="xã").exists()
