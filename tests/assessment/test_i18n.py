"""The self-assessment speaks the person's language: its messages are English msgids
with the Vietnamese in the catalogue, so an English page shows English and the Vietnamese
interface shows exactly the Vietnamese it always did. The workbook's own words stay Vietnamese
in both, so a file downloaded from an English page is still read back."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from tests.assessment.frameworks import all_rules, default
from tests.assessment.test_excel import edited, problems_of, put
from theodoi.assessment import excel, exports, scoring, selectors, services
from theodoi.assessment import framework as fw
from theodoi.assessment.models import Submission


@pytest.fixture(autouse=True)
def _language_restored():
    """A request with the English cookie leaves English active in the thread: put back what the
    next test expects."""
    language = translation.get_language()
    yield
    if language:
        translation.activate(language)
    else:
        translation.deactivate()


def _refusal(world, language: str) -> str:
    with translation.override(language), pytest.raises(services.AssessmentError) as caught:
        services.campaign_open(
            actor=world.people.office,
            framework=services.framework_adopt_default(
                actor=world.people.office, ward=world.ward_a, year=2026
            ),
            units=[],
        )
    return str(caught.value)


def test_a_refused_write_says_why_in_the_persons_language(world):
    assert _refusal(world, "en") == "Choose at least one unit to take part in the self-assessment."
    assert _refusal(world, "vi") == "Hãy chọn ít nhất một đơn vị tham gia tự đánh giá."


def test_the_unanswered_criteria_are_counted_in_the_persons_language(campaign, world):  # noqa: F811
    submission = Submission.objects.get(campaign=campaign, unit=world.vhxh)
    with translation.override("en"), pytest.raises(services.AssessmentError) as caught:
        services.submission_submit(actor=world.people.officer, submission=submission)
    assert "criteria are not answered yet:" in str(caught.value)
    assert "“not applicable”" in str(caught.value)
    with translation.override("vi"), pytest.raises(services.AssessmentError) as caught:
        services.submission_submit(actor=world.people.officer, submission=submission)
    assert str(caught.value).startswith("Còn ")
    assert "tiêu chí chưa trả lời: " in str(caught.value)


def test_an_english_page_shows_the_mistakes_in_english(campaign, world, client):  # noqa: F811
    submission = Submission.objects.get(campaign=campaign, unit=world.vhxh)
    client.force_login(world.people.officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(
        reverse("assessment_submission", args=[submission.pk]),
        {"version": submission.version, "action": "save", "a-1.1": "yes", "a-1.2": "140"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The percentage must be from 0 to 100%." in page
    assert "Some answers are not right; correct the marked fields." in page
    assert "Tỷ lệ phải từ 0 đến 100%" not in page


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "There is no choice “z”; choose one of: a, b), c."),
        ("vi", "Phương án «z» không có; chọn một trong: a, b), c."),
    ],
)
def test_a_scoring_message_follows_the_language(language, message):
    framework = all_rules()
    choice = next(c for c in framework.leaves() if c.rule.type == fw.CHOICE)
    with translation.override(language):
        _status, _points, text = scoring.score_leaf(choice, scoring.Answer(value="z"))
    assert text == message


def test_a_framework_mistake_follows_the_language():
    raw = {"code": "x", "name": "X", "year": "năm nay", "groups": []}
    with translation.override("en"), pytest.raises(fw.FrameworkError) as caught:
        fw.parse(raw)
    assert caught.value.problems == [
        "The year it applies to (“year”) must be a year such as 2026, not “năm nay”.",
        "A framework needs at least one group (“groups”).",
    ]
    with translation.override("vi"), pytest.raises(fw.FrameworkError) as caught:
        fw.parse(raw)
    assert caught.value.problems == [
        "Năm áp dụng («year») phải là một năm như 2026, không phải «năm nay».",
        "Bộ tiêu chí cần ít nhất một nhóm («groups»).",
    ]


def test_a_workbook_mistake_is_located_and_named_in_the_persons_language():
    data = edited(default(), put("1.1", excel.CODE_COL, None))
    with translation.override("en"):
        problems = problems_of(data)
    assert "Row 10 — Group 1, criterion 1: the criterion code (“Mã”) is missing." in problems
    with translation.override("vi"):
        problems = problems_of(data)
    assert "Dòng 10 — Nhóm 1, tiêu chí 1: thiếu mã tiêu chí («Mã»)." in problems


def test_a_workbook_row_the_reader_refuses_is_named_in_english():
    data = edited(default(), put("1.2", excel.POINTS_COL, "30 → 1"))
    with translation.override("en"):
        problems = problems_of(data)
    assert problems == [
        "Row 11: the band “30 → 1” in the “Mức điểm” column cannot be understood; write one "
        "band a line such as “≥ 30: 1” (30 or more gets 1 point)."
    ]


def test_a_workbook_from_an_english_page_is_the_vietnamese_workbook_and_reads_back():
    framework = all_rules()
    with translation.override("en"):
        data = excel.framework_to_xlsx(framework)
        again = excel.framework_from_xlsx(data)
    assert again == framework
    with translation.override("vi"):
        vietnamese = excel.framework_to_xlsx(framework)
    assert _cells(data) == _cells(vietnamese)


def _cells(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


@pytest.mark.django_db
def test_the_results_table_has_headers_in_the_persons_language(campaign, world):  # noqa: F811
    results = selectors.campaign_results(campaign)
    with translation.override("en"):
        book = openpyxl.load_workbook(io.BytesIO(exports.results_xlsx(results)))
    assert book.sheetnames == ["Summary", "Details"]
    assert [c.value for c in book["Details"][1]] == [
        "Unit",
        "Group",
        "Code",
        "Criterion",
        "Answer given",
        "Status",
        "Points",
        "Max",
    ]
    with translation.override("vi"):
        book = openpyxl.load_workbook(io.BytesIO(exports.results_xlsx(results)))
    assert book.sheetnames == ["Tổng hợp", "Chi tiết"]
    assert [c.value for c in book["Chi tiết"][1]][:5] == [
        "Đơn vị",
        "Nhóm",
        "Mã",
        "Tiêu chí",
        "Câu trả lời",
    ]
