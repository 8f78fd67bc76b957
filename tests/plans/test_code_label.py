"""A task's code shown with its section: once, whichever way the plan numbers its tasks."""

import pytest

from theodoi.plans.templatetags.plans import code_label


@pytest.mark.parametrize(
    ("code", "section", "shown"),
    [
        ("2", "PL", "PL.2"),  # an appendix numbering its rows from 1
        ("1.1", "1", "1.1"),  # tasks numbered under their section's number already
        ("1", "", "1"),
        ("", "II", "II"),
        ("12", "1", "1.12"),  # «12» under section 1 is not section 12's
    ],
)
def test_code_with_section(code, section, shown):
    assert code_label({"code": code, "section": section}) == shown


def test_a_change_without_code_or_section_shows_nothing():
    assert code_label({"kind": "changed", "task": 4}) == ""


def test_quantity_writes_vietnamese_numbers_with_their_unit():
    from decimal import Decimal

    from theodoi.plans.templatetags.plans import quantity

    assert quantity(Decimal("20000"), "người") == "20.000\u00a0người"
    assert quantity(Decimal("78.50"), "%") == "78,5%"
    assert quantity(Decimal("2.345"), "") == "2,35"
    assert quantity("không rõ", "%") == "không rõ"
