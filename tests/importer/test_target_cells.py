"""The number/target recogniser on the exact cells of seed 003's indicator table: a note in
brackets stays a note on its level, and a comparator belongs to the cell it was written in."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.importer.seeds import seed_path
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.recognise.indicator_tables import (
    IndicatorColumns,
    _Line,
    build_indicator,
    level_value,
    read_target,
    split_item,
)
from theodoi.importer.recognise.tables import LogicalRow
from theodoi.importer.recognise.targets import parse_target

# Seed 003, Phụ lục I, item I.1 as the document's lines give it (lines 551-571).
I1_LINES = [
    "100% nhà văn hoá kết",
    "nối Internet",
    "100%",
    "Duy trì",
    "100%",
    "Duy trì",
    "100%",
    "Duy trì",
    "100%",
    "Duy trì",
    "100%",
    "(Đã đạt)",
    "Phòng Văn hóa",
    "- Xã hội",
]
# Item I.2: the figures on one line.
I2_LINES = [
    "Tỷ lệ truy cập băng rộng",
    "cố định > 1 Gbps/s",
    "≥ 60% 70% 80% 90% 95% 100%",
    "Phòng Văn hóa",
    "- Xã hội",
]


def _lines(texts):
    return [_Line(text, f"line {number}") for number, text in enumerate(texts, start=551)]


def test_a_bracketed_note_stays_with_the_level_above_it():
    cells, warnings = split_item(_lines(I1_LINES), 6, 1)
    assert cells == [
        "100% nhà văn hoá kết nối Internet",
        "100%",
        "Duy trì 100%",
        "Duy trì 100%",
        "Duy trì 100%",
        "Duy trì",
        "100% (Đã đạt)",
        "Phòng Văn hóa - Xã hội",
    ]
    assert warnings == []


def test_figures_on_one_line_are_one_cell_each_with_their_own_comparator():
    cells, warnings = split_item(_lines(I2_LINES), 6, 1)
    assert cells[1:7] == ["≥ 60%", "70%", "80%", "90%", "95%", "100%"]
    assert warnings == []


COLUMNS = IndicatorColumns(
    name=1, code=0, baseline=2, baseline_year=2025, milestones={2026: 3, 2027: 4, 2028: 5, 2029: 6},
    target=7, target_year=2030, lead=8,
)  # fmt: skip


def _indicator(cells):
    row = LogicalRow(cells=cells, sources=["line 551"])
    return build_indicator(row, COLUMNS, code=cells[0], name=cells[1], target_year=2030)


def test_the_target_100_percent_already_reached_is_100_with_its_note():
    cells, _ = split_item(_lines(I1_LINES), 6, 1)
    indicator = _indicator(["1", *cells])
    assert indicator.target == Decimal(100) and indicator.unit == "%"
    assert indicator.target_text == "100% (Đã đạt)"
    assert indicator.milestones == {year: Decimal(100) for year in (2026, 2027, 2028, 2029)}
    assert indicator.comparator_written is False


def test_the_baselines_comparator_does_not_become_the_targets():
    cells, _ = split_item(_lines(I2_LINES), 6, 1)
    indicator = _indicator(["2", *cells])
    assert (indicator.baseline, indicator.baseline_text) == (Decimal(60), "≥ 60%")
    assert (indicator.target, indicator.target_text) == (Decimal(100), "100%")
    # The direction of a level to reach is ">=", but the document did not write it there.
    assert indicator.comparator == ">=" and indicator.comparator_written is False


def test_a_comparator_written_in_the_target_cell_is_the_targets():
    indicator = _indicator(["2", "Tỷ lệ", "60%", "70%", "80%", "90%", "95%", "≥ 100%", ""])
    assert (indicator.comparator, indicator.comparator_written) == (">=", True)
    indicator = _indicator(["2", "Tỷ lệ", "≥ 60%", "", "", "", "", "≤ 5%", ""])
    assert (indicator.comparator, indicator.target, indicator.comparator_written) == (
        "<=",
        Decimal(5),
        True,
    )


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("100% (Đã đạt)", Decimal(100), False),
        ("(Đã đạt)", None, False),
        ("≥ 60%", Decimal(60), True),
        ("100%", Decimal(100), False),
        ("(3%)", Decimal(3), False),
        ("Duy trì 100%", Decimal(100), False),
        ("≥ 2.000", Decimal(2000), True),
        ("2.000", Decimal(2000), False),
    ],
)
def test_target_cells_of_seed_003(text, value, written):
    target = read_target(text)
    assert (target.value, target.written) == (value, written)
    assert target.text == text


def test_a_note_alone_is_no_level():
    assert level_value("(Đã đạt)") is None
    assert level_value("100% (Đã đạt)") == Decimal(100)


_levels = st.integers(min_value=0, max_value=100).map(lambda n: f"{n}%")
_notes = st.sampled_from(["(Đã đạt)", "(Chưa đạt)", "(Ước đạt)"])
_signs = st.sampled_from(["", "≥ ", "≤ ", "> ", "< "])


# No deadline: the splitter tries every end of the name, slow on a machine shared by many runs.
@settings(deadline=None)
@given(st.lists(st.tuples(_signs, _levels, st.booleans()), min_size=6, max_size=6), _notes)
def test_notes_never_make_cells_and_signs_stay_in_their_cell(cells, note):
    """Whatever the six levels and wherever a note is written under one, the item splits into
    the same six cells, each with its own sign and its note."""
    lines = ["Tỷ lệ thử"]
    expected = []
    for sign, level, noted in cells:
        lines.append(f"{sign}{level}")
        expected.append(f"{sign}{level}")
        if noted:
            lines.append(note)
            expected[-1] = f"{expected[-1]} {note}"
    lines.append("Phòng Văn hóa - Xã hội")
    split, warnings = split_item(_lines(lines), 6, 1)
    assert split[1:7] == expected and warnings == []
    for text, (sign, _, _) in zip(split[1:7], cells, strict=True):
        assert parse_target(text).written == bool(sign)


def test_seed_003_draft_keeps_the_target_and_its_note():
    draft = draft_from_bytes(seed_path("003").read_bytes(), name="003.txt")
    one = next(i for i in draft.indicators if i.code == "I.1")
    two = next(i for i in draft.indicators if i.code == "I.2")
    assert (one.target, one.target_text) == (Decimal(100), "100% (Đã đạt)")
    assert (two.baseline_text, two.target_text, two.comparator_written) == ("≥ 60%", "100%", False)


# --- Numbers from the right place: dates, ranges, second levels ----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Thực hiện Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị",
        "Hoàn thành trước ngày 15 tháng 6",
        "Báo cáo kết quả trong tháng 12 năm 2026",
    ],
)
def test_the_day_and_month_of_a_date_are_no_target(text):
    assert parse_target(text).value is None


def test_a_date_beside_a_level_leaves_the_level():
    target = parse_target("Đến tháng 6 năm 2026 đạt 100% thủ tục trực tuyến")
    assert (target.comparator, target.value, target.unit) == (">=", Decimal(100), "%")


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("40 - 50", 40, 50, ""),
        ("Tăng trung bình 16 - 18%/năm", 16, 18, "%"),
        ("đạt 8-10%", 8, 10, "%"),
        ("từ 40 đến 50%", 40, 50, "%"),
        ("Top 3 ASEAN", 3, None, ""),
        ("giai đoạn 2026 - 2030 đạt 70%", 70, None, "%"),
    ],
)
def test_a_range_is_read_as_its_lower_end_and_keeps_its_upper_end(text, low, high, unit):
    target = parse_target(text)
    assert target.value == Decimal(low)
    assert target.upper == (None if high is None else Decimal(high))
    assert target.unit == unit


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Top 3 ASEAN; ≤ 50 Thế giới", ["Top 3", "≤ 50"]),
        (
            "thuộc nhóm 3 nước dẫn đầu Đông Nam Á, nhóm 50 nước dẫn đầu thế giới",
            ["nhóm 3", "nhóm 50"],
        ),
        ("16 - 18%", ["16 - 18%"]),
        ("Dân số từ 15 tuổi trở lên có tài khoản giao dịch ≥ 95%", ["≥ 95%"]),
        ("ngày 22 tháng 12 năm 2024", []),
    ],
)
def test_levels_lists_every_level_a_text_sets(text, found):
    from theodoi.importer.recognise.targets import levels

    assert levels(text) == found
