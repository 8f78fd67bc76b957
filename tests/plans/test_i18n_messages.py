"""A period's name and the period parser's messages follow the interface language, while
``label_vi`` stays Vietnamese for the report sent upward. No database needed."""

import pytest
from django.utils import translation

from theodoi.plans.periods import Period, PeriodError, label_of, parse_period
from theodoi.plans.services import StaleEdit


@pytest.mark.parametrize(
    ("text", "english", "vietnamese"),
    [
        ("2026-W14", "Week 14/2026", "Tuần 14/2026"),
        ("2026-03", "Month 3/2026", "Tháng 3/2026"),
        ("2026-Q4", "Quarter IV/2026", "Quý IV/2026"),
        ("2026-H1", "First half of 2026", "6 tháng đầu năm 2026"),
        ("2026-H2", "Second half of 2026", "6 tháng cuối năm 2026"),
        ("2026", "Year 2026", "Năm 2026"),
    ],
)
def test_a_period_is_named_in_the_interface_language(text, english, vietnamese):
    with translation.override("en"):
        assert label_of(text) == english
    with translation.override("vi"):
        assert label_of(text) == vietnamese


def test_the_vietnamese_name_stays_vietnamese_for_the_upward_report():
    with translation.override("en"):
        assert Period("quarterly", 2026, 4).label_vi() == "Quý IV/2026"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The period «2026-13» is not valid: the plan reports by periods like 2026-Q1."),
        ("vi", "Kỳ báo cáo «2026-13» không đúng: kế hoạch báo cáo theo kỳ dạng 2026-Q1."),
    ],
)
def test_a_wrong_period_is_refused_in_the_interface_language(language, expected):
    with translation.override(language), pytest.raises(PeriodError) as caught:
        parse_period("2026-13", "quarterly")
    assert str(caught.value) == expected


def test_a_stale_task_edit_follows_the_language():
    with translation.override("en"):
        assert str(StaleEdit()).startswith("Someone else has just updated this task.")
    with translation.override("vi"):
        assert str(StaleEdit()).startswith("Nhiệm vụ vừa được người khác cập nhật.")
