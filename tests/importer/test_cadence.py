"""The report cadence is read from the plan's own sentences, proposed on the review page and
saved with the plan as the person chose it."""

import pytest
from django.urls import reverse

from tests.importer.seeds import seed_document, seed_path
from tests.importer.test_import_pages import save_form, upload
from theodoi.importer.document import Document, Paragraph
from theodoi.importer.models import ImportDraft
from theodoi.importer.recognise.cadence import reporting_cycle_of
from theodoi.importer.recognise.plan import recognise
from theodoi.plans.models import Plan


def cadence(*paragraphs):
    return reporting_cycle_of(paragraphs)


@pytest.mark.parametrize(
    ("seed", "cycle", "said"),
    [
        # "Yêu cầu các đơn vị phải thực hiện báo cáo tiến độ hàng tuần, tháng, Quý trên hệ
        # thống": the units report weekly; months and quarters are compiled from the weeks.
        ("001", "weekly", "báo cáo tiến độ hàng tuần, tháng, Quý"),
        ("002", "quarterly", "định kỳ hàng Quý (trước ngày 15 của tháng cuối Quý)"),
        # A sentence broken across lines of the PDF text, read whole.
        (
            "003",
            "yearly",
            "Định kỳ hàng năm trước ngày 30/11 hoặc đột xuất khi có yêu cầu, các cơ quan",
        ),
        ("004", "yearly", "Định kỳ hàng năm trước ngày 05/12"),
        ("000", "yearly", "báo cáo kết quả thực hiện Kế hoạch hằng năm"),
    ],
)
def test_the_seeds_cadence_is_read_from_their_own_sentence(seed, cycle, said):
    hint = reporting_cycle_of(p.text for p in seed_document(seed).paragraphs())
    assert hint.cycle == cycle
    assert said in hint.sentence


@pytest.mark.parametrize(
    ("sentence", "cycle"),
    [
        ("Các đơn vị báo cáo kết quả thực hiện định kỳ hằng tháng về Văn phòng.", "monthly"),
        ("Định kỳ hằng tuần, các đơn vị báo cáo tiến độ thực hiện.", "weekly"),
        ("Hằng quý, các cơ quan báo cáo tình hình triển khai.", "quarterly"),
        ("Định kỳ 6 tháng/lần báo cáo kết quả thực hiện về UBND phường.", "half_yearly"),
        ("Các đơn vị gửi báo cáo tháng, quý về kết quả thực hiện.", "monthly"),
        ("Báo cáo kết quả thực hiện hằng quý và hằng năm.", "quarterly"),
    ],
)
def test_cadence_phrases(sentence, cycle):
    assert cadence(sentence).cycle == cycle


@pytest.mark.parametrize(
    "sentence",
    [
        "Báo cáo kết quả năm 2025 của phường.",  # a year's report, not a cadence
        "Định kỳ hàng tháng, quý, Văn phòng Đảng ủy xác định các nhiệm vụ để cảnh báo:",
        "Hằng tuần cập nhật tin bài lên Cổng thông tin điện tử phường.",  # no report
        "Các đơn vị báo cáo kết quả thực hiện khi có yêu cầu.",
        "",
    ],
)
def test_sentences_that_state_no_cadence(sentence):
    assert cadence(sentence).cycle == ""


def test_the_draft_proposes_quarterly_when_the_document_says_nothing():
    draft = recognise(seed_document("001"))
    assert draft.plan.reporting_cycle == "weekly"
    assert "hàng tuần" in draft.plan.reporting_cycle_source
    # A document without a statement of cadence: the common quarterly is proposed.
    silent = recognise(
        Document(blocks=[Paragraph("KẾ HOẠCH"), Paragraph("Triển khai chữ ký số năm 2026.")])
    )
    assert (silent.plan.reporting_cycle, silent.plan.reporting_cycle_source) == ("quarterly", "")


@pytest.fixture
def office(client, world):
    client.force_login(world.people.office)
    return client


def new_plan(world):
    return Plan.objects.exclude(pk__in=[world.plan_a.pk, world.plan_b.pk]).get()


def test_the_review_page_proposes_the_cadence_with_its_sentence(office, world):
    upload(office, seed_path("001"))
    stored = ImportDraft.objects.get()
    page = office.get(reverse("import_review", args=[stored.pk])).content.decode()
    assert "Chế độ báo cáo" in page
    assert '<option value="weekly" selected>Hằng tuần</option>' in page
    assert "Đọc từ văn bản" in page
    assert "báo cáo tiến độ hàng tuần, tháng, Quý" in page


def test_the_proposed_cadence_is_saved_with_the_plan(office, world):
    upload(office, seed_path("001"))
    stored = ImportDraft.objects.get()
    office.post(
        reverse("import_review", args=[stored.pk]),
        save_form(office, stored, **{"plan-reporting_cycle": "weekly"}),
    )
    assert new_plan(world).reporting_cycle == "weekly"


def test_the_person_may_choose_another_cadence(office, world):
    upload(office, seed_path("004"))
    stored = ImportDraft.objects.get()
    form = save_form(office, stored, **{"plan-reporting_cycle": "monthly"})
    response = office.post(reverse("import_review", args=[stored.pk]), form)
    plan = new_plan(world)
    assert response.url == plan.get_absolute_url()
    assert plan.reporting_cycle == "monthly"


def test_an_unknown_cadence_is_refused_with_what_was_typed_kept(office, world):
    upload(office, seed_path("004"))
    stored = ImportDraft.objects.get()
    form = save_form(
        office, stored, **{"plan-reporting_cycle": "daily", "plan-title": "Kế hoạch sửa tên"}
    )
    response = office.post(reverse("import_review", args=[stored.pk]), form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Hãy chọn chế độ báo cáo" in page
    assert "Kế hoạch sửa tên" in page
    assert not Plan.objects.exclude(pk__in=[world.plan_a.pk, world.plan_b.pk]).exists()


def test_an_existing_plan_keeps_its_cadence_on_reimport(office, world):
    upload(office, seed_path("004"))
    stored = ImportDraft.objects.get()
    office.post(
        reverse("import_review", args=[stored.pk]),
        save_form(office, stored, **{"plan-reporting_cycle": "monthly"}),
    )
    upload(office, seed_path("004"))
    again = ImportDraft.objects.get(status="open")
    page = office.get(reverse("import_review", args=[again.pk])).content.decode()
    assert "plan-reporting_cycle" not in page
    office.post(reverse("import_review", args=[again.pk]), save_form(office, again))
    assert new_plan(world).reporting_cycle == "monthly"
