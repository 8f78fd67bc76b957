"""The pure scoring of units (DESIGN.md §4): band edges, the late-report penalty, the floor at
0, configured scales and their validation, and the ranking order. No database."""

from decimal import Decimal

import pytest

from theodoi.ranking.scoring import (
    DEFAULT_SCALE,
    ScaleError,
    UnitFacts,
    quarter_window,
    rank,
    scale_from,
    score_unit,
)


def facts(done: int, due: int, late_days: int = 0, **more) -> UnitFacts:
    return UnitFacts(
        unit_id=more.pop("unit_id", 1),
        unit_name=more.pop("unit_name", "Phòng Văn hóa - Xã hội"),
        tasks_due=due,
        done_on_time=done,
        late_days=late_days,
        **more,
    )


@pytest.mark.parametrize(
    ("done", "due", "points", "shown"),
    [
        (10, 10, 10, "100%"),
        (999, 1000, 8, "99,9%"),  # just below 100 %: the 90 % band, not the 100 % one
        (9, 10, 8, "90%"),
        (899, 1000, 6, "89,9%"),
        (8, 10, 6, "80%"),
        (7, 10, 4, "70%"),
        (699, 1000, 0, "69,9%"),
        (0, 3, 0, "0%"),
    ],
)
def test_default_scale_band_edges(done, due, points, shown):
    result = score_unit(facts(done, due), DEFAULT_SCALE)

    assert result.score == points
    assert result.band.points == points
    assert result.on_time_percent_shown == shown
    assert f"{done}/{due} nhiệm vụ đúng hạn = {shown} → {points} điểm" in result.formula


def test_percent_is_cut_not_rounded_so_it_never_shows_the_band_above():
    result = score_unit(facts(8999, 10000), DEFAULT_SCALE)

    assert result.on_time_percent == Decimal("89.99")
    assert result.on_time_percent_shown == "89,9%"
    assert result.score == 6


def test_no_task_due_is_not_rated():
    result = score_unit(facts(0, 0, late_days=2), DEFAULT_SCALE)

    assert result.rated is False
    assert result.score is None and result.on_time_percent is None
    assert result.formula == "Chưa có nhiệm vụ đến hạn → chưa chấm điểm; 2 ngày báo cáo chậm"


def test_late_report_days_cost_a_point_each_with_the_formula_beside():
    result = score_unit(facts(9, 10, late_days=3), DEFAULT_SCALE)

    assert result.score == 5
    assert result.penalty == 3
    assert result.formula == (
        "9/10 nhiệm vụ đúng hạn = 90% → 8 điểm; 3 ngày báo cáo chậm × 1 = −3; tổng 5"
    )


def test_without_late_reports_the_formula_says_so():
    result = score_unit(facts(10, 10), DEFAULT_SCALE)

    assert result.formula == (
        "10/10 nhiệm vụ đúng hạn = 100% → 10 điểm; không có ngày báo cáo chậm; tổng 10"
    )


def test_score_never_goes_below_zero_but_the_formula_shows_the_raw_total():
    result = score_unit(facts(9, 10, late_days=12), DEFAULT_SCALE)

    assert result.raw == -4
    assert result.score == 0
    assert result.formula.endswith("tổng 8 − 12 = −4 → 0 (không tính điểm âm)")


def test_default_scale_is_the_one_of_the_issue():
    assert DEFAULT_SCALE.as_json() == [
        {"min": 100, "points": 10},
        {"min": 90, "points": 8},
        {"min": 80, "points": 6},
        {"min": 70, "points": 4},
        {"min": 0, "points": 0},
    ]
    assert DEFAULT_SCALE.late_report_penalty == 1


def test_configured_scale_with_decimal_points_and_penalty():
    scale = scale_from(
        [{"min": "50", "points": "6"}, {"min": 95, "points": 20}, {"min": 0, "points": "1"}],
        "0,5",
    )

    assert [band.min for band in scale.bands] == [95, 50, 0]  # sorted, highest first
    result = score_unit(facts(19, 20, late_days=3), scale)
    assert result.score == Decimal("18.5")
    assert result.score_shown == "18,5"
    assert result.formula == (
        "19/20 nhiệm vụ đúng hạn = 95% → 20 điểm; 3 ngày báo cáo chậm × 0,5 = −1,5; tổng 18,5"
    )
    assert score_unit(facts(9, 20), scale).score == 1  # 45 %: the 0 % band


@pytest.mark.parametrize(
    ("bands", "penalty", "message"),
    [
        ([], 1, "ít nhất một mức"),
        ([{"min": 50, "points": 5}], 1, "bắt đầu từ 0%"),
        ([{"min": 0, "points": 5}, {"min": 0, "points": 3}], 1, "cùng tỷ lệ tối thiểu"),
        ([{"min": 120, "points": 5}, {"min": 0, "points": 0}], 1, "từ 0 đến 100%"),
        ([{"min": 0, "points": -1}], 1, "số điểm phải từ 0"),
        ([{"min": "chín mươi", "points": 8}, {"min": 0, "points": 0}], 1, "phải là số"),
        ([{"min": 90, "points": ""}, {"min": 0, "points": 0}], 1, "Hãy nhập mức 1: số điểm"),
        ([{"min": 90, "points": 4}, {"min": 0, "points": 6}], 1, "không được ít điểm hơn"),
        ([{"min": 0, "points": 1.234}], 1, "tối đa 2 chữ số thập phân"),
        ([{"min": 0, "points": 0}], -1, "trừ mỗi ngày báo cáo chậm phải từ 0"),
    ],
)
def test_scale_validation_says_what_to_correct_in_vietnamese(bands, penalty, message):
    with pytest.raises(ScaleError, match=message):
        scale_from(bands, penalty)


def test_rank_orders_by_score_then_on_time_then_fewer_late_days_and_shares_ties():
    scores = [
        score_unit(facts(9, 10, late_days=0, unit_id=1, unit_name="A"), DEFAULT_SCALE),  # 8
        score_unit(facts(10, 10, late_days=2, unit_id=2, unit_name="B"), DEFAULT_SCALE),  # 8
        score_unit(facts(0, 0, unit_id=3, unit_name="C"), DEFAULT_SCALE),  # not rated
        score_unit(facts(10, 10, late_days=0, unit_id=4, unit_name="D"), DEFAULT_SCALE),  # 10
        score_unit(facts(9, 10, late_days=0, unit_id=5, unit_name="E"), DEFAULT_SCALE),  # = A
    ]

    ranked = [(position, item.facts.unit_name) for position, item in rank(scores)]

    assert ranked == [(1, "D"), (2, "B"), (3, "A"), (3, "E"), (None, "C")]


def test_quarter_window():
    assert [str(d) for d in quarter_window(2026, None)] == ["2026-01-01", "2026-12-31"]
    assert [str(d) for d in quarter_window(2026, 1)] == ["2026-01-01", "2026-03-31"]
    assert [str(d) for d in quarter_window(2026, 4)] == ["2026-10-01", "2026-12-31"]
