"""The pure scoring of units (DESIGN.md §4): band edges, the late-report penalty and its caps,
the floor at 0, configured scales and their validation, and the ranking (ties share a rank, only
units with a task due are ranked). No database."""

import datetime
import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from theodoi.ranking.scoring import (
    DEFAULT_SCALE,
    ZERO,
    ScaleError,
    UnitFacts,
    quarter_window,
    rank,
    report_late_days,
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


def test_no_task_or_report_due_is_not_rated_and_says_why():
    result = score_unit(facts(0, 0), DEFAULT_SCALE)

    assert result.rated is False
    assert result.score is None and result.on_time_percent is None
    assert result.formula == "chưa có nhiệm vụ đến hạn/kỳ báo cáo trong kỳ xếp hạng"


def test_reports_due_without_a_task_due_is_not_rated_and_says_what_was_due():
    result = score_unit(facts(0, 0, late_days=2, reports_due=3), DEFAULT_SCALE)

    assert result.rated is False
    assert result.formula == (
        "chưa có nhiệm vụ đến hạn trong kỳ xếp hạng (điểm tính theo tỷ lệ nhiệm vụ đến hạn "
        "hoàn thành đúng hạn); 3 kỳ báo cáo đến hạn, 2 ngày báo cáo chậm"
    )


def test_late_report_days_cost_a_point_each_with_the_formula_and_the_cap_beside():
    result = score_unit(facts(9, 10, late_days=3), DEFAULT_SCALE)

    assert result.score == 5
    assert result.penalty == 3
    assert result.formula == (
        "9/10 nhiệm vụ đúng hạn = 90% → 8 điểm; "
        "3 ngày báo cáo chậm × 1 = −3 điểm (tối đa −10); tổng 5"
    )


def test_without_late_reports_the_formula_says_so():
    result = score_unit(facts(10, 10), DEFAULT_SCALE)

    assert result.formula == (
        "10/10 nhiệm vụ đúng hạn = 100% → 10 điểm; không có ngày báo cáo chậm; tổng 10"
    )


def test_score_stops_at_the_floor_and_the_formula_shows_the_raw_total():
    result = score_unit(facts(9, 10, late_days=9), DEFAULT_SCALE)

    assert result.raw == -1
    assert result.score == 0
    assert result.floored is True and result.raw_shown == "−1"
    assert result.formula.endswith("tổng 8 − 9 = −1 → 0 điểm (mức sàn)")


def test_penalty_is_capped_at_the_top_of_the_scale_and_says_so():
    result = score_unit(facts(0, 4, late_days=2766, late_days_actual=2766), DEFAULT_SCALE)

    assert (result.penalty, result.penalty_uncapped) == (10, 2766)
    assert result.penalty_capped is True
    assert (result.raw, result.score) == (-10, 0)
    assert result.formula == (
        "0/4 nhiệm vụ đúng hạn = 0% → 0 điểm; "
        "2.766 ngày báo cáo chậm × 1 = −2.766 → −10 điểm (tối đa −10); "
        "tổng 0 − 10 = −10 → 0 điểm (mức sàn)"
    )


def test_days_counted_below_the_actual_days_show_both():
    result = score_unit(facts(10, 10, late_days=21, late_days_actual=2766), DEFAULT_SCALE)

    assert result.late_days_actual == 2766
    assert result.formula == (
        "10/10 nhiệm vụ đúng hạn = 100% → 10 điểm; "
        "tính 21 ngày báo cáo chậm (thực tế 2.766; mỗi báo cáo tính chậm tối đa một kỳ báo "
        "cáo) × 1 = −21 → −10 điểm (tối đa −10); tổng 0"
    )


@pytest.mark.parametrize(
    ("due", "submitted", "period_days", "expected"),
    [
        ("2026-04-05", "2026-04-05", 91, (0, 0)),  # on the due day: on time
        ("2026-04-05", "2026-04-01", 91, (0, 0)),  # early
        ("2026-04-05", "2026-04-08", 91, (3, 3)),
        ("2026-01-12", "2026-03-02", 7, (49, 7)),  # a weekly report counts at most a week
        ("2026-01-12", None, 7, (189, 7)),  # never sent: late until today, still one week
        ("2026-04-05", None, 91, (106, 91)),
    ],
)
def test_report_late_days_are_capped_at_one_reporting_period(due, submitted, period_days, expected):
    day = datetime.date.fromisoformat
    assert (
        report_late_days(
            due=day(due),
            submitted=day(submitted) if submitted else None,
            today=day("2026-07-20"),
            period_days=period_days,
        )
        == expected
    )


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
        "19/20 nhiệm vụ đúng hạn = 95% → 20 điểm; "
        "3 ngày báo cáo chậm × 0,5 = −1,5 điểm (tối đa −20); tổng 18,5"
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


def test_rank_orders_by_score_and_equal_scores_share_a_rank_without_tie_break():
    scores = [
        score_unit(facts(9, 10, late_days=0, unit_id=1, unit_name="A"), DEFAULT_SCALE),  # 8
        score_unit(facts(10, 10, late_days=2, unit_id=2, unit_name="B"), DEFAULT_SCALE),  # 8
        score_unit(facts(0, 0, unit_id=3, unit_name="C"), DEFAULT_SCALE),  # not rated
        score_unit(facts(10, 10, late_days=0, unit_id=4, unit_name="D"), DEFAULT_SCALE),  # 10
        score_unit(facts(9, 10, late_days=0, unit_id=5, unit_name="E"), DEFAULT_SCALE),  # 8
        score_unit(facts(7, 10, late_days=0, unit_id=6, unit_name="F"), DEFAULT_SCALE),  # 4
    ]

    ranked = [(row.position, row.tied, row.item.facts.unit_name) for row in rank(scores)]

    assert ranked == [
        (1, False, "D"),
        (2, True, "A"),
        (2, True, "B"),
        (2, True, "E"),
        (5, False, "F"),
        (None, False, "C"),
    ]


def test_at_the_floor_the_higher_raw_figure_ranks_first_and_points_always_beat_the_floor():
    scores = [
        score_unit(facts(0, 4, late_days=2766, unit_id=1, unit_name="A"), DEFAULT_SCALE),  # −10
        score_unit(facts(2, 4, late_days=0, unit_id=2, unit_name="B"), DEFAULT_SCALE),  # 0
        score_unit(facts(7, 10, late_days=1, unit_id=3, unit_name="C"), DEFAULT_SCALE),  # 3
        score_unit(facts(0, 0, late_days=5, unit_id=4, unit_name="D"), DEFAULT_SCALE),
        score_unit(facts(0, 1, late_days=3, unit_id=5, unit_name="E"), DEFAULT_SCALE),  # −3
        score_unit(facts(1, 1, late_days=10, unit_id=6, unit_name="G"), DEFAULT_SCALE),  # 0
    ]

    ranked = [
        (row.position, row.tied, row.item.facts.unit_name, row.item.score_shown)
        for row in rank(scores)
    ]

    assert ranked == [
        (1, False, "C", "3"),
        (2, True, "B", "0"),  # 0 without going under the floor: level with G
        (2, True, "G", "0"),
        (4, False, "E", "0"),  # raw −3
        (5, False, "A", "0"),  # raw −10, the most the penalty takes
        (None, False, "D", "—"),
    ]


# --- Properties -------------------------------------------------------------------------------

_bands = st.lists(
    st.tuples(st.integers(0, 100), st.decimals(0, 999, places=2)), min_size=1, max_size=6
).map(
    lambda rows: [
        {"min": 0 if index == 0 else low, "points": points}
        for index, (low, points) in enumerate(rows)
    ]
)


@st.composite
def scales(draw):
    rows = draw(_bands)
    # Distinct minima, points never fewer for a higher band: the checks of scale_from.
    rows = list({row["min"]: row for row in rows}.values())
    rows.sort(key=lambda row: row["min"])
    points = sorted(row["points"] for row in rows)
    rows = [{"min": row["min"], "points": p} for row, p in zip(rows, points, strict=True)]
    return scale_from(rows, draw(st.decimals(0, 999, places=2)))


@st.composite
def unit_facts(draw, unit_id):
    due = draw(st.integers(0, 40))
    late_days = draw(st.integers(0, 5000))
    return UnitFacts(
        unit_id=unit_id,
        unit_name=draw(st.sampled_from(["A", "B", "C", "Đ"])),
        tasks_due=due,
        done_on_time=draw(st.integers(0, due)),
        reports_due=draw(st.integers(0, 30)),
        late_days=late_days,
        late_days_actual=late_days + draw(st.integers(0, 5000)),
    )


@st.composite
def units_on_a_scale(draw):
    scale = draw(scales())
    count = draw(st.integers(0, 12))
    return scale, [draw(unit_facts(index)) for index in range(count)]


@given(units_on_a_scale())
def test_property_scores_stay_on_the_scale_and_penalties_never_exceed_the_cap(case):
    scale, units = case
    scores = [score_unit(item, scale) for item in units]
    for item in scores:
        assert 0 <= item.penalty <= scale.top
        assert item.penalty <= item.penalty_uncapped
        if item.rated:
            assert ZERO <= item.score <= scale.top
            assert item.score == max(item.raw, ZERO)
            assert item.floored == (item.raw < 0)


@given(units_on_a_scale())
def test_property_ranks_are_monotone_in_score_ties_share_and_only_units_with_a_task_due(case):
    scale, units = case
    scores = [score_unit(item, scale) for item in units]
    ranked = rank(scores)

    assert sorted(id(row.item) for row in ranked) == sorted(id(item) for item in scores)
    rated = [row for row in ranked if row.position is not None]
    assert all(row.item.facts.tasks_due > 0 for row in rated)
    assert all(row.item.facts.tasks_due == 0 for row in ranked if row.position is None)

    def standing(row):  # the score, then the raw figure (which differs only at the floor)
        return row.item.score, row.item.raw

    for row in rated:
        # Standard competition ranking: one more than the units standing strictly higher.
        above = sum(1 for other in rated if standing(other) > standing(row))
        assert row.position == above + 1
        assert row.tied == any(
            other is not row and standing(other) == standing(row) for other in rated
        )
        if row.item.score > 0:  # above the floor, equal scores always share the rank
            assert all(
                other.position == row.position
                for other in rated
                if other.item.score == row.item.score
            )
    for first, second in itertools.pairwise(rated):
        assert first.item.score >= second.item.score  # monotone in score
        if first.item.score > second.item.score:
            assert first.position < second.position
        assert (first.position == second.position) == (standing(first) == standing(second))


def test_quarter_window():
    assert [str(d) for d in quarter_window(2026, None)] == ["2026-01-01", "2026-12-31"]
    assert [str(d) for d in quarter_window(2026, 1)] == ["2026-01-01", "2026-03-31"]
    assert [str(d) for d in quarter_window(2026, 4)] == ["2026-10-01", "2026-12-31"]
