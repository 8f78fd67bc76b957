"""Period codes ("2026-Q4") become words wherever a person reads them; stored texts keep the
Vietnamese name whatever the interface language. No database needed."""

import pytest
from django.utils import translation

from theodoi.plans.periods import label_vi_of, periods_in_words


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("2026-W05", "Tuần 5/2026"),
        ("2026-11", "Tháng 11/2026"),
        ("2026-Q4", "Quý IV/2026"),
        ("2026-H1", "6 tháng đầu năm 2026"),
        ("2026", "Năm 2026"),
        ("not a period", "not a period"),
    ],
)
def test_a_stored_text_names_the_period_in_vietnamese_whatever_the_language(code, name):
    with translation.override("en"):
        assert label_vi_of(code) == name


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("PL.8 2026-W48: 100%", "PL.8 Tuần 48/2026: 100%"),
        ("1.2 2026-Q4: Số liệu sai", "1.2 Quý IV/2026: Số liệu sai"),
        ("CT1 2026-11: 12,5", "CT1 Tháng 11/2026: 12,5"),
        ("2026-H2 và 2026-Q1", "6 tháng cuối năm 2026 và Quý I/2026"),
        # A date, a document number and a bare year are not period codes.
        ("Ngày 2026-11-24", "Ngày 2026-11-24"),
        ("Số 12/2026-Q1", "Số 12/2026-Q1"),
        ("Năm 2026", "Năm 2026"),
    ],
)
def test_codes_inside_a_stored_text_read_as_words(text, shown):
    with translation.override("vi"):
        assert periods_in_words(text) == shown
