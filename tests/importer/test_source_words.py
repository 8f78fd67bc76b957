"""Where a row was read, as a person reads it: the stored position stays English and parsable
("table 3 row 7"), the page and the warnings say it in Vietnamese ("bảng 3, hàng 7")."""

import pytest
from django.utils import translation

from theodoi.importer.draft import where


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("line 214", "dòng 214"),
        ("line 263, line 267", "dòng 263, dòng 267"),
        ("line 550–589", "dòng 550–589"),
        ("table 3 row 7", "bảng 3, hàng 7"),
        ("table 2", "bảng 2"),
        ("page 12", "trang 12"),
        ("page 2 table 1 row 3", "trang 2, bảng 1, hàng 3"),
        ("page 4 line 9", "trang 4, dòng 9"),
        ("paragraph 31", "đoạn 31"),
        ("sheet Kế hoạch row 5", "trang tính «Kế hoạch», hàng 5"),
        # A sheet's name is the person's: its words are not translated.
        ("sheet line items row 5", "trang tính «line items», hàng 5"),
        ("table 1 row 2, table 1 row 3", "bảng 1, hàng 2; bảng 1, hàng 3"),
    ],
)
def test_a_stored_position_reads_in_vietnamese(stored, shown):
    with translation.override("vi"):
        assert where(stored) == shown


def test_a_position_begins_a_sentence_with_a_capital():
    with translation.override("vi"):
        assert where("table 3 row 7", capital=True) == "Bảng 3, hàng 7"
        assert where("sheet kế hoạch row 2", capital=True) == "Trang tính «kế hoạch», hàng 2"


@pytest.mark.parametrize("text", ["", "Phụ lục", "line", "line 3 and more", "row seven"])
def test_a_text_that_is_no_position_is_kept_as_it_is(text):
    with translation.override("vi"):
        assert where(text) == text


def test_in_english_the_position_reads_as_stored():
    with translation.override("en"):
        assert where("table 3 row 7") == "table 3, row 7"
