"""Messages of the services follow the interface language: English under "en", the former
Vietnamese text under "vi"."""

from decimal import Decimal

import pytest
from django.utils import translation

from theodoi.budget.services import BudgetError, _amount
from theodoi.core.inputs import parse_date, text_problem
from theodoi.importer.draft import Draft, DraftBudgetLine, DraftTask
from theodoi.importer.readers import UnsupportedDocument, read_document
from theodoi.importer.recognise.budget import check_line
from theodoi.importer.services import check_ready
from theodoi.ranking.scoring import ScaleError, scale_from


def _message(raising, *args, **kwargs) -> str:
    with pytest.raises(ValueError) as caught:
        raising(*args, **kwargs)
    return str(caught.value)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The file “plan.docx” is empty. Please upload a .docx or .xlsx file"),
        ("vi", "Tệp “plan.docx” rỗng. Hãy tải lên tệp .docx, .xlsx"),
    ],
)
def test_an_empty_upload_is_refused_in_the_interface_language(language, expected):
    with translation.override(language), pytest.raises(UnsupportedDocument) as caught:
        read_document(b"", name="plan.docx")
    assert caught.value.message.startswith(expected)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Task 3 has no title. Enter a title or remove this row."),
        ("vi", "Nhiệm vụ 3 chưa có tên. Hãy nhập tên hoặc bỏ hàng này."),
    ],
)
def test_a_draft_error_follows_the_language(language, expected):
    draft = Draft(tasks=[DraftTask(code="3", title=" ")])
    with translation.override(language):
        assert _message(check_ready, draft) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Table «T», item 2: the total 5 differs from the sum of the years 1 + 2 = 3"),
        ("vi", "Bảng «T», mục 2: tổng 5 khác cộng các năm 1 + 2 = 3"),
    ],
)
def test_an_import_warning_follows_the_language(language, expected):
    line = DraftBudgetLine(code="2", item="x", total=Decimal(5))
    line.by_year = {2025: Decimal(1), 2026: Decimal(2)}
    with translation.override(language):
        assert check_line("T", line)[0].startswith(expected)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Date must be a valid date (day/month/year)."),
        ("vi", "Ngày phải là một ngày hợp lệ (ngày/tháng/năm)."),
    ],
)
def test_a_date_error_follows_the_language(language, expected):
    with translation.override(language):
        label = translation.gettext("Date")
        assert _message(parse_date, "31/02", label=label) == expected


def test_a_text_limit_error_follows_the_language():
    with translation.override("en"):
        assert text_problem("x" * 11, label="Note", limit=10).startswith(
            "Note is 11 characters long, over the limit of 10 characters."
        )
    with translation.override("vi"):
        assert text_problem("x" * 11, label="Ghi chú", limit=10).startswith(
            "Ghi chú dài 11 ký tự, quá giới hạn 10 ký tự."
        )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The amount allocated must not be negative."),
        ("vi", "Số kinh phí được giao không được âm."),
    ],
)
def test_a_budget_error_follows_the_language(language, expected):
    with translation.override(language), pytest.raises(BudgetError) as caught:
        _amount("-1", translation.gettext("The amount allocated"))
    assert str(caught.value) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The scale needs at least one band."),
        ("vi", "Thang điểm cần ít nhất một mức."),
    ],
)
def test_a_scale_error_follows_the_language(language, expected):
    with translation.override(language), pytest.raises(ScaleError) as caught:
        scale_from([], 1)
    assert str(caught.value) == expected
