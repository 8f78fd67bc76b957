"""Numbers shown to people are written the Vietnamese way: "." groups thousands, "," marks
decimals. Pure; no database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from theodoi.core.numbers import format_number, parse_number


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Decimal("1234.5"), None, "1.234,5"),
        (Decimal("3792.000"), None, "3.792"),
        (Decimal("2.50"), None, "2,5"),
        (Decimal("-1234567.25"), None, "-1.234.567,25"),
        (Decimal("1E+3"), None, "1.000"),
        (Decimal("0"), 1, "0,0"),
        (47.6, 1, "47,6"),
        (0.05, 1, "0,1"),
        (Decimal("-0.04"), 1, "0,0"),
        (12, None, "12"),
    ],
)
def test_a_number_is_written_the_vietnamese_way(value, places, shown):
    assert format_number(value, places) == shown


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False))
def test_what_is_written_reads_back_as_the_same_number(value):
    assert parse_number(format_number(value)) == value
