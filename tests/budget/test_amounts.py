"""Reading an amount as the office types it, into million VND: pure, no database."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from theodoi.budget.amounts import format_amount, parse_amount
from theodoi.budget.forms import AmountField
from theodoi.budget.selectors import input_value

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.200.000", D("1200000")),
        ("1.200", D("1200")),
        ("12,5", D("12.5")),
        ("1.234,5", D("1234.5")),
        (" 350 ", D("350")),
        ("1,5 tỷ", D("1500")),
        ("2 TỶ ĐỒNG", D("2000")),
        ("1,5 ty", D("1500")),
        ("200 triệu", D("200")),
        ("200 triệu đồng", D("200")),
        ("45 tr.", D("45")),
        ("1.200.000 đồng", D("1.2")),
        ("1.200.000 đ", D("1.2")),
        ("500.000 VND", D("0.5")),
    ],
)
def test_amounts_read_the_vietnamese_way_in_million_dong(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text", ["", "mười triệu", "12,5 ha", "tỷ", "1,5 tỷ 200 triệu", "1e9", "²", "12 $", "NaN"]
)
def test_anything_but_one_amount_is_refused(text):
    assert parse_amount(text) is None


@given(st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False))
def test_what_the_form_shows_reads_back_the_same(amount):
    assert parse_amount(input_value(amount)) == amount


def _field():
    return AmountField(label="Dự toán")


def test_the_field_gives_million_dong_with_three_decimals():
    assert _field().clean("1.200.000") == D("1200000.000")
    assert _field().clean("1,5 tỷ") == D("1500.000")
    assert _field().clean("") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mười triệu", "ghi số tiền bằng triệu đồng, ví dụ 1.200.000 hoặc 12,5"),
        ("-5", "không được âm"),
        ("1,2345", "tối đa 3 chữ số thập phân"),
        ("1.000.000.000.000.000", "quá lớn"),
    ],
)
def test_the_field_says_what_to_type(text, message):
    with pytest.raises(ValidationError, match=message):
        _field().clean(text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("1200000"), "1.200.000"),
        (D("1200120.000"), "1.200.120"),
        (D("12.5"), "12,5"),
        (D("1234.005"), "1.234,005"),
        (D("0"), "0"),
        (D("0.100"), "0,1"),
    ],
)
def test_amounts_are_shown_with_thousands_dots_and_a_decimal_comma(value, text):
    assert format_amount(value) == text


@given(st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False))
def test_an_amount_shown_reads_back_the_same(amount):
    assert parse_amount(format_amount(amount)) == amount
