"""Re-importing an amending document: the draft is compared with the plan it amends, the change
list is shown before anything is saved, and saving records the plan's next version."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from theodoi.importer.models import ImportDraft
from theodoi.plans.models import PlanAmendment, Task

PLAN = """ỦY BAN NHÂN DÂN PHƯỜNG AN BÌNH

Số: {number}

An Bình, ngày 15 tháng 01 năm 2026

KẾ HOẠCH

Chuyển đổi số năm 2026

| STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| I | Nâng cao nhận thức | | | |
{rows}
"""
ORIGINAL = """| 1 | Triển khai chữ ký số cho cán bộ | Phòng Văn hóa - Xã hội | | 30/6/2026 |
| 2 | Số hóa hồ sơ hành chính | Công an phường | | Quý III/2026 |
| 3 | Tuyên truyền chuyển đổi số | Phòng Văn hóa - Xã hội | | Năm 2026 |"""
AMENDED = """| 1 | Triển khai chữ ký số cho cán bộ | Phòng Văn hóa - Xã hội | | 30/9/2026 |
| 2 | Số hóa toàn bộ hồ sơ hành chính | Công an phường | | Quý III/2026 |
| 4 | Xây dựng hệ thống theo dõi nhiệm vụ | Công an phường | | Quý IV/2026 |"""


def _document(number, rows):
    return PLAN.format(number=number, rows=rows).encode()


def _upload(client, data, amends=""):
    return client.post(
        reverse("import_upload"),
        {"document": SimpleUploadedFile("plan.md", data), "amends": amends},
    )


@pytest.fixture
def office(client, world):
    client.force_login(world.people.office)
    return client


@pytest.fixture
def plan(office, world):
    """Plan 77/KH-UBND imported the ordinary way."""
    _upload(office, _document("77/KH-UBND", ORIGINAL))
    stored = ImportDraft.objects.get()
    office.post(reverse("import_review", args=[stored.pk]), {"action": "save"})
    return ImportDraft.objects.get(pk=stored.pk).plan


def _amending_draft(office, plan):
    response = _upload(office, _document("90/KH-UBND", AMENDED), amends=str(plan.pk))
    stored = ImportDraft.objects.get(amends=plan)
    assert response.url == reverse("import_review", args=[stored.pk])
    return stored


def test_the_review_shows_the_change_list_and_saves_nothing(office, plan):
    stored = _amending_draft(office, plan)

    page = office.get(reverse("import_review", args=[stored.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "30/6/2026" in text and "30/9/2026" in text
    assert "Số hóa toàn bộ hồ sơ hành chính" in text
    assert "Xây dựng hệ thống theo dõi nhiệm vụ" in text
    assert "Tuyên truyền chuyển đổi số" in text  # not in the document: shown as kept
    assert 'value="90/KH-UBND"' in text
    changes = page.context["changes"]
    assert sorted(c["kind"] for c in changes) == ["added", "changed", "changed", "missing"]
    assert not PlanAmendment.objects.exists()
    assert Task.objects.get(plan=plan, code="1").deadline_text == "30/6/2026"


def test_saving_records_the_next_version(office, plan):
    stored = _amending_draft(office, plan)

    response = office.post(
        reverse("import_review", args=[stored.pk]),
        {"action": "save", "number": "90/KH-UBND", "issued_on": "2026-05-20", "note": "Điều chỉnh"},
    )

    amendment = PlanAmendment.objects.get()
    assert response.url == reverse("plan_version", args=[plan.pk, 1])
    assert (amendment.plan, amendment.version, amendment.number) == (plan, 1, "90/KH-UBND")
    first = Task.objects.get(plan=plan, code="1")
    assert first.due_date == datetime.date(2026, 9, 30)
    assert first.original_due_date == datetime.date(2026, 6, 30)
    assert Task.objects.filter(plan=plan, code="4").exists()
    assert Task.objects.filter(plan=plan, code="3").exists()  # kept: not ticked
    assert ImportDraft.objects.get(pk=stored.pk).status == ImportDraft.Status.SAVED


def test_withdrawing_the_tasks_no_longer_listed(office, plan):
    stored = _amending_draft(office, plan)
    url = reverse("import_review", args=[stored.pk])
    form = {"number": "90/KH-UBND", "withdraw_missing": "on"}

    preview = office.post(url, form | {"action": "preview"})
    assert [c["kind"] for c in preview.context["changes"]].count("withdrawn") == 1
    assert not PlanAmendment.objects.exists()

    office.post(url, form | {"action": "save"})
    assert Task.all_objects.get(plan=plan, code="3").is_withdrawn


def test_a_refused_save_keeps_what_was_typed(office, plan):
    stored = _amending_draft(office, plan)
    page = office.post(
        reverse("import_review", args=[stored.pk]),
        {"action": "save", "number": "", "note": "Nội dung đã gõ"},
    )
    assert page.status_code == 400
    assert "Nội dung đã gõ" in page.content.decode()
    assert not PlanAmendment.objects.exists()


def test_a_plan_of_another_ward_cannot_be_chosen(office, world):
    response = _upload(office, _document("90/KH-UBND", AMENDED), amends=str(world.plan_b.pk))
    assert response.status_code == 400
    assert not ImportDraft.objects.exists()


def test_the_versions_page_offers_the_amending_import_with_the_plan_chosen(office, plan):
    versions = office.get(reverse("plan_versions", args=[plan.pk])).content.decode()
    link = f"{reverse('import_upload')}?amends={plan.pk}"
    assert link in versions
    upload_page = office.get(link).content.decode()
    assert f'<option value="{plan.pk}" selected>' in upload_page


def test_an_amending_draft_with_two_tasks_of_one_code_is_refused_not_merged(office, plan):
    rows = AMENDED + "\n| 4 | Tập huấn kỹ năng số cho người dân | Phòng Văn hóa - Xã hội | | 2026 |"
    _upload(office, _document("90/KH-UBND", rows), amends=str(plan.pk))
    stored = ImportDraft.objects.get(amends=plan)

    page = office.post(
        reverse("import_review", args=[stored.pk]),
        {"action": "save", "number": "90/KH-UBND", "issued_on": "2026-05-20"},
    )

    assert page.status_code == 400
    assert "Mã nhiệm vụ bị trùng: I.4" in page.content.decode()
    assert not PlanAmendment.objects.exists()
    assert not Task.objects.filter(plan=plan, code="4").exists()
    assert ImportDraft.objects.get(pk=stored.pk).status == ImportDraft.Status.OPEN
