"""Property-based tests of the pure parsers (issue 7, "Bad input, tried systematically").

Whatever a ward pastes into a cell — HTML or LaTeX left over from a conversion, huge numbers,
random Unicode — the parsers answer without raising, and what they do read, they read right.
"""

import calendar
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from theodoi.core.numbers import parse_number
from theodoi.importer.recognise.targets import Target, parse_target
from theodoi.plans.deadline import (
    DeadlineKind,
    ParsedDeadline,
    Recurrence,
    occurrences,
    parse_deadline,
)
from theodoi.plans.periods import CYCLES, Period, PeriodError, parse_period

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of real deadline and target cells, so generated text reaches the parsers' deep paths.
FRAGMENTS = [
    "Quý I/2026",
    "quy 4/2030",
    "QUÝ IV NĂM 2027",
    "Tháng 6/2026",
    "tháng 13/2026",
    "6 tháng đầu năm 2026",
    "Năm 2026",
    "2026-2030",
    "2030 - 2026",
    "đến hết năm 2030",
    "Hàng năm",
    "hằng quý",
    "hàng tháng",
    "hàng tuần",
    "mỗi 6 tháng",
    "6 tháng/lần",
    "nửa năm",
    "Thường xuyên",
    "các năm tiếp theo",
    "sau khi có hướng dẫn",
    "trước ngày 15 của tháng cuối quý",
    "trước ngày 05/12 hàng năm",
    "ngày 31 tháng 2 năm 2026",
    "31/02/2026",
    "29/02/2028",
    "Kế hoạch số 92/KH-UBND ngày 15/11/2025",
    "57-NQ/TW",
    "66.7/2025/NQ-CP",
    "<p>",
    "</li><li>",
    "<br/>",
    "&nbsp;",
    "&#x110;",
    "$\\geq 80\\%$",
    "\\frac{1}{2}",
    "$",
    "**",
    "\u200b",
    "\u2013",
    "≥ 90%",
    "từ 70% trở lên",
    "trong nhóm 10 đơn vị dẫn đầu",
    "1.234.567,89",
    "99999999999999999999999999999",
    "9" * 400,
    "0/0/0000",
    "00/00/2000",
    "2100",
    "1999",
    "2101",
    ";",
    "\n",
    " ",
]

cell_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=12).map("".join),
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8).map(" ".join),
)


# --- parse_deadline ------------------------------------------------------------------------------


def _due_dates(parsed: ParsedDeadline) -> list[date]:
    found = [parsed.due_date] if parsed.due_date is not None else []
    for part in parsed.parts:
        found.extend(_due_dates(part))
    return found


@FAST
@given(cell_text)
def test_parse_deadline_never_raises_and_keeps_text(text):
    parsed = parse_deadline(text)
    assert parsed.text == text
    for due in _due_dates(parsed):
        assert date(2000, 1, 1) <= due <= date(2100, 12, 31), (text, due)
    parsed.to_dict()  # serialisable whatever was read


@FAST
@given(cell_text, st.integers(min_value=2000, max_value=2100))
def test_parse_deadline_with_plan_year_stays_in_range(text, plan_year):
    parsed = parse_deadline(text, plan_year=plan_year)
    assert parsed.text == text
    for due in _due_dates(parsed):
        assert date(2000, 1, 1) <= due <= date(2100, 12, 31), (text, due)


@FAST
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    st.sampled_from(["{}", "Trước ngày {}", "Hoàn thành trước {}.", "<p>{}</p>", "**{}**"]),
    st.sampled_from(["/", ".", "-"]),
    st.booleans(),
)
def test_full_date_round_trips(day, template, separator, padded):
    written = (
        f"{day.day:02d}{separator}{day.month:02d}{separator}{day.year}"
        if padded
        else f"{day.day}{separator}{day.month}{separator}{day.year}"
    )
    parsed = parse_deadline(template.format(written))
    assert parsed.due_date == day, (written, parsed)


@FAST
@given(
    st.integers(min_value=2000, max_value=2100),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=29, max_value=31),
)
def test_impossible_dates_are_not_due_dates(year, month, day):
    if day <= calendar.monthrange(year, month)[1]:
        return
    parsed = parse_deadline(f"{day:02d}/{month:02d}/{year}")
    assert parsed.kind is not DeadlineKind.DATE, parsed


# --- occurrences ---------------------------------------------------------------------------------


@FAST
@given(
    cell_text,
    st.dates(min_value=date(1990, 1, 1), max_value=date(2110, 12, 31)),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2110, 12, 31)),
    st.sampled_from(list(Recurrence)),
    st.none() | st.integers(min_value=2000, max_value=2100),
)
def test_occurrences_stay_in_window_and_are_sorted(text, start, end, cycle, plan_year):
    parsed = parse_deadline(text, plan_year=plan_year)
    found = occurrences(parsed, start=start, end=end, cycle=cycle)
    assert found == sorted(found)
    assert len(found) == len(set(found))
    assert all(start <= due <= end for due in found), (text, start, end, found)
    if end < start:
        assert found == []


# --- parse_number --------------------------------------------------------------------------------


@FAST
@given(
    st.text()
    | st.lists(st.sampled_from(FRAGMENTS + list("0123456789.,-+ %")), max_size=30).map("".join)
)
def test_parse_number_never_raises(text):
    value = parse_number(text)
    assert value is None or isinstance(value, Decimal)


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", ".")


@FAST
@given(
    st.integers(min_value=0, max_value=10**15),
    st.none() | st.text(alphabet="0123456789", min_size=1, max_size=4),
    st.booleans(),
    st.sampled_from(["", "-"]),
    st.sampled_from(["{}", "{}%", "Đạt {} tỷ đồng", "{} người", " {} ", "\u00a0{}\u00a0"]),
)
def test_parse_number_reads_vietnamese_numbers(integer, decimals, grouped, sign, template):
    written = _grouped(integer) if grouped else str(integer)
    if decimals is not None:
        written += "," + decimals
    text = template.format(sign + written)
    expected = Decimal(f"{sign}{integer}" + (f".{decimals}" if decimals is not None else ""))
    assert parse_number(text) == expected, (text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234.567,89", Decimal("1234567.89")),
        ("12,5", Decimal("12.5")),
        ("1.200", Decimal("1200")),
        ("3.792", Decimal("3792")),
        ("85%", Decimal("85")),
        ("01", Decimal("1")),
        ("không có số", None),
    ],
)
def test_parse_number_examples(text, expected):
    assert parse_number(text) == expected


# --- parse_target --------------------------------------------------------------------------------


@FAST
@given(cell_text)
def test_parse_target_never_raises(text):
    target = parse_target(text)
    assert isinstance(target, Target)
    assert target.comparator in (None, ">=", "<=", ">", "<", "=")
    assert target.value is None or isinstance(target.value, Decimal)


# --- parse_period --------------------------------------------------------------------------------


@st.composite
def periods(draw):
    cycle = draw(st.sampled_from(CYCLES))
    # Plans live in the years parse_period accepts (1900–2999).
    year = draw(st.integers(min_value=1900, max_value=2999))
    if cycle == "weekly":
        weeks = date(year, 12, 28).isocalendar().week
        number = draw(st.integers(min_value=1, max_value=weeks))
    else:
        count = {"monthly": 12, "quarterly": 4, "half_yearly": 2, "yearly": 1}[cycle]
        number = draw(st.integers(min_value=1, max_value=count))
    return Period(cycle, year, number)


@FAST
@given(periods(), st.sampled_from(["{}", " {} ", "{}\n"]), st.booleans())
def test_parse_period_round_trips(period, template, lower):
    written = template.format(str(period))
    assert parse_period(written.lower() if lower else written, period.cycle) == period


@FAST
@given(
    st.text()
    | st.from_regex(r"\A\d{4}(-(W|Q|H)?\d{1,3})?\Z")
    | st.sampled_from(["2026-W53", "2026-W00", "0000", "0000-01", "2026-00", "2026-13", "2026-Q5"]),
    st.sampled_from(CYCLES),
)
def test_parse_period_raises_only_period_error(text, cycle):
    try:
        period = parse_period(text, cycle)
    except PeriodError as exc:
        assert "Kỳ báo cáo" in str(exc)
    else:
        assert period.cycle == cycle
        assert period.start <= period.end
