"""The upload and review pages: only the standing office of the ward, nothing saved before the
person confirms, and bad files get a clear answer."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.importer.seeds import seed_path
from tests.importer.test_narrative import BODY_AND_TABLE
from theodoi.audit.models import AuditEvent
from theodoi.importer.models import ImportDraft
from theodoi.plans.models import Plan


def upload(client, path, name=None):
    data = path.read_bytes() if hasattr(path, "read_bytes") else path
    return client.post(
        reverse("import_upload"),
        {"document": SimpleUploadedFile(name or getattr(path, "name", "plan.txt"), data)},
    )


def save_form(client, stored, **fields):
    """The review form as the page sends it: every unknown unit name with its choice
    ("new" unless given), the seeds' other ward confirmed, plus ``fields``."""
    context = client.get(reverse("import_review", args=[stored.pk])).context
    unknown = context["unknown"]
    form = {"action": "save"}
    if context["other_issuer"]:
        # The seeds are other wards' plans, imported into the test ward on purpose.
        form["confirm_other_issuer"] = "1"
    for index, name in enumerate(unknown):
        form[f"unit-name-{index}"] = name
        form[f"unit-{index}"] = "new"
    form.update(fields)
    return form


@pytest.fixture
def office(client, world):
    client.force_login(world.people.office)
    return client


def test_only_the_standing_office_and_the_ward_admin_may_import(client, world):
    for name in ["officer", "leader"]:
        client.force_login(getattr(world.people, name))
        assert client.get(reverse("import_upload")).status_code == 403, name
    # The upper level imports its province's own plans, never a ward's.
    client.force_login(world.people.upper)
    assert client.get(reverse("import_upload")).context["ward"] == world.province


def test_upload_makes_a_draft_and_saves_nothing(office, world):
    response = upload(office, seed_path("004"))
    stored = ImportDraft.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("import_review", args=[stored.pk])
    assert not Plan.objects.filter(number="110/KH-UBND").exists()
    page = office.get(response.url).content.decode()
    assert "110/KH-UBND" in page
    assert "Đưa vào khai thác hiệu quả các cơ sở dữ liệu quốc gia" in page
    # The source row is shown beside the task, in words; the draft keeps it parsable.
    assert "dòng 166" in page
    assert "line 166" not in page
    assert any(task["row"] == "line 166" for task in stored.data["tasks"])
    # The trail says it in the ward's words too.
    summary = AuditEvent.objects.get(object_id=str(stored.pk), action="import.upload").summary
    assert re.fullmatch(r".+: \d+ nhiệm vụ, \d+ điểm cần kiểm tra", summary), summary


def test_review_then_save_with_a_removed_row_and_unit_choices(office, world):
    upload(office, seed_path("004"))
    stored = ImportDraft.objects.get()
    page = office.get(reverse("import_review", args=[stored.pk]))
    unknown = page.context["unknown"]
    draft = page.context["draft"]
    removed = next(i for i, t in enumerate(draft.tasks) if t.section == "PL" and t.code == "6")
    form = {"action": "save", f"task-{removed}-delete": "1", "confirm_other_issuer": "1"}
    for index, name in enumerate(unknown):
        form[f"unit-name-{index}"] = name
        form[f"unit-{index}"] = str(world.vhxh.pk) if "Văn phòng" in name else ""
    response = office.post(reverse("import_review", args=[stored.pk]), form)
    plan = Plan.objects.get(number="110/KH-UBND")
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    assert plan.tasks.count() == 41
    assert not plan.tasks.filter(section__code="PL", code="6").exists()
    stored.refresh_from_db()
    assert stored.status == "saved" and stored.plan == plan
    assert any("bỏ đi" in w for w in stored.data["warnings"])


def test_discard_saves_nothing(office, world):
    upload(office, seed_path("004"))
    stored = ImportDraft.objects.get()
    office.post(reverse("import_review", args=[stored.pk]), {"action": "discard"})
    stored.refresh_from_db()
    assert stored.status == "discarded"
    assert not Plan.objects.filter(number="110/KH-UBND").exists()


def test_other_ward_cannot_see_the_draft(client, office, world):
    upload(office, seed_path("004"))
    stored = ImportDraft.objects.get()
    client.force_login(world.people.other_ward)
    assert client.get(reverse("import_review", args=[stored.pk])).status_code == 404


def test_unreadable_file_gets_a_vietnamese_answer(office, world):
    response = upload(office, b"\x00\x01\x02 not a document", name="ke-hoach.doc")
    assert response.status_code == 400
    assert "Không đọc được tệp" in response.content.decode()
    assert not ImportDraft.objects.exists()


def test_missing_file_gets_a_message(office, world):
    response = office.post(reverse("import_upload"), {})
    assert response.status_code == 400
    assert "Hãy chọn" in response.content.decode()


def test_an_empty_file_is_said_empty_with_what_to_do(office, world):
    response = office.post(
        reverse("import_upload"), {"document": SimpleUploadedFile("ke-hoach.docx", b"")}
    )
    assert response.status_code == 400
    assert "Tệp đã chọn trống (0 byte)" in response.content.decode()
    assert not ImportDraft.objects.exists()


def test_the_plan_identity_can_be_corrected_before_saving(office, world):
    upload(office, seed_path("000"))
    stored = ImportDraft.objects.get()
    form = save_form(
        office,
        stored,
        **{
            "plan-number": "25-KH/ĐU",
            "plan-issued_on": "2026-02-20",
            "plan-issuer": "Ban Thường vụ Đảng ủy phường",
            "plan-title": "Kế hoạch năm 2026",
        },
    )
    response = office.post(reverse("import_review", args=[stored.pk]), form)
    plan = Plan.objects.get(number="25-KH/ĐU")
    assert response.url == plan.get_absolute_url()
    assert plan.issued_on.isoformat() == "2026-02-20" and plan.title == "Kế hoạch năm 2026"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Ngày ban hành phải là một ngày hợp lệ"),
        ("0001-01-01", "Ngày ban hành phải nằm trong khoảng 01/01/2000 đến 31/12/2100"),
    ],
)
def test_an_issue_date_that_is_no_plausible_date_is_refused(office, world, typed, message):
    upload(office, seed_path("000"))
    stored = ImportDraft.objects.get()
    form = save_form(office, stored, **{"plan-issued_on": typed})
    response = office.post(reverse("import_review", args=[stored.pk]), form, follow=True)
    assert message in response.content.decode()
    assert Plan.objects.filter(organization=world.ward_a).count() == 1  # only plan_a


def test_a_second_save_of_the_same_draft_saves_nothing(office, world):
    upload(office, seed_path("000"))
    stored = ImportDraft.objects.get()
    form = save_form(office, stored)
    office.post(reverse("import_review", args=[stored.pk]), form)
    office.post(reverse("import_review", args=[stored.pk]), form)
    assert Plan.objects.filter(organization=world.ward_a).count() == 2  # plan_a and this one


def test_duplicate_codes_block_the_save_with_a_message(office, world):
    upload(office, seed_path("004"))
    stored = ImportDraft.objects.get()
    draft = office.get(reverse("import_review", args=[stored.pk])).context["draft"]
    second = next(i for i, t in enumerate(draft.tasks) if t.section == "PL" and t.code == "2")
    form = save_form(office, stored, **{f"task-{second}-code": "1"})
    response = office.post(reverse("import_review", args=[stored.pk]), form)
    assert response.status_code == 400
    assert "Mã nhiệm vụ bị trùng: PL.1" in response.content.decode()
    assert not Plan.objects.filter(number="110/KH-UBND").exists()


def test_other_roles_cannot_post_to_the_review(client, office, world):
    upload(office, seed_path("004"))
    stored = ImportDraft.objects.get()
    for name in ["officer", "leader"]:
        client.force_login(getattr(world.people, name))
        response = client.post(reverse("import_review", args=[stored.pk]), {"action": "save"})
        assert response.status_code == 403, name
    assert not Plan.objects.filter(number="110/KH-UBND").exists()


def test_odd_or_foreign_unit_choices_do_not_attach_other_wards_units(office, world):
    upload(office, seed_path("004"))
    stored = ImportDraft.objects.get()
    unknown = office.get(reverse("import_review", args=[stored.pk])).context["unknown"]
    form = {"action": "save", "confirm_other_issuer": "1"}
    for index, name in enumerate(unknown):
        form[f"unit-name-{index}"] = name
        form[f"unit-{index}"] = str(world.unit_b.pk) if index % 2 else "²"
    response = office.post(reverse("import_review", args=[stored.pk]), form)
    assert response.status_code == 302
    plan = Plan.objects.get(number="110/KH-UBND")
    used = set(plan.tasks.values_list("lead_units__organization", flat=True)) | set(
        plan.tasks.values_list("coordinating_units__organization", flat=True)
    )
    assert world.ward_b.pk not in used


def test_names_that_appear_by_editing_are_shown_before_saving(office, world):
    upload(office, seed_path("004"))
    stored = ImportDraft.objects.get()
    form = save_form(office, stored, **{"task-0-lead_units_raw": "Hội Cựu chiến binh"})
    response = office.post(reverse("import_review", args=[stored.pk]), form)
    assert response.status_code == 400
    assert "Hội Cựu chiến binh" in response.context["unknown"]
    assert not Plan.objects.filter(number="110/KH-UBND").exists()


def test_a_task_stated_in_the_body_and_the_table_shows_both_places(office, world):
    upload(office, BODY_AND_TABLE.encode(), name="ke-hoach.md")
    stored = ImportDraft.objects.get()
    page = office.get(reverse("import_review", args=[stored.pk])).content.decode()
    assert "Cũng nêu tại dòng 9" in page
    assert sum(1 for task in stored.data["tasks"] if task["also_at"] == "line 9") == 1


def test_each_deadline_shows_how_it_will_be_read(office, world):
    plan = (
        "Số: 12/KH-UBND\n\nAn Bình, ngày 10 tháng 3 năm 2026\n\nKẾ HOẠCH\n\nChuyển đổi số\n\n"
        "| STT | Nhiệm vụ | Đơn vị chủ trì | Thời gian hoàn thành |\n|---|---|---|---|\n"
        "| 1 | Rà soát quy chế làm việc | Văn phòng HĐND và UBND | Quý II |\n"
        "| 2 | Tuyên truyền trên loa | Phòng Văn hóa - Xã hội | Thường xuyên |\n"
        "| 3 | Tổng kết phong trào | Phòng Văn hóa - Xã hội | Khi có chỉ đạo |\n"
    )
    upload(office, plan.encode(), name="ke-hoach.md")
    stored = ImportDraft.objects.get()

    page = office.get(reverse("import_review", args=[stored.pk])).content.decode()

    readings = re.findall(r'class="small deadline-read[^"]*">(.*?)</div>', page)
    # The quarter takes the plan's year; a recurring deadline says it recurs.
    assert readings == [
        "hạn 30/06/2026",
        "Thường xuyên, hạn đầu tiên 31/03/2026",
        "chưa đọc được ngày: hãy viết dạng «Quý III/2026» hoặc «30/6/2026»",
    ]
