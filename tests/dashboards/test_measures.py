"""The dashboards' pure arithmetic: past states, trend, indicator status, projection, matching."""

import datetime
from decimal import Decimal

import pytest

from theodoi.alerts import rules
from theodoi.dashboards import measures
from theodoi.dashboards.measures import IndicatorStatus
from theodoi.plans.states import TaskState, task_state

D = datetime.date
ON_TIME, LATE = TaskState.DONE_ON_TIME, TaskState.DONE_LATE
NOT_DUE, OVERDUE = TaskState.OPEN_NOT_DUE, TaskState.OPEN_OVERDUE


def test_a_completion_after_the_day_had_not_happened_yet():
    due, done = D(2026, 3, 31), D(2026, 4, 10)
    assert measures.state_on(due=due, completed_on=done, day=D(2026, 3, 31)) == NOT_DUE
    assert measures.state_on(due=due, completed_on=done, day=D(2026, 4, 9)) == OVERDUE
    assert measures.state_on(due=due, completed_on=done, day=D(2026, 4, 10)) == LATE


def test_state_on_today_is_the_official_state():
    today = D(2026, 6, 15)
    cases = [
        (None, None),
        (None, D(2026, 1, 5)),
        (D(2026, 6, 15), None),
        (D(2026, 6, 14), None),
        (D(2026, 3, 31), D(2026, 3, 31)),
        (D(2026, 3, 31), D(2026, 4, 1)),
    ]
    for due, done in cases:
        assert measures.state_on(due=due, completed_on=done, day=today) == task_state(
            due=due, completed_on=done, today=today
        )


def test_month_ends_run_from_the_start_to_today():
    assert measures.month_ends(D(2026, 1, 15), D(2026, 4, 10)) == [
        D(2026, 1, 31),
        D(2026, 2, 28),
        D(2026, 3, 31),
        D(2026, 4, 10),
    ]
    # Today falling on a month end is not counted twice.
    assert measures.month_ends(D(2026, 1, 1), D(2026, 2, 28)) == [D(2026, 1, 31), D(2026, 2, 28)]
    assert measures.month_ends(D(2025, 12, 1), D(2026, 1, 3)) == [D(2025, 12, 31), D(2026, 1, 3)]


def test_a_long_trend_keeps_the_most_recent_month_ends():
    days = measures.month_ends(D(2020, 1, 1), D(2026, 6, 15), limit=12)
    assert len(days) == 12 and days[-1] == D(2026, 6, 15) and days[0] == D(2025, 7, 31)


def test_state_trend_counts_each_task_at_each_day():
    tasks = [
        (D(2026, 3, 31), D(2026, 3, 20)),  # done on time in March
        (D(2026, 3, 31), D(2026, 4, 10)),  # late in April
        (D(2026, 4, 30), None),  # overdue from May
        (None, None),  # never late
    ]
    days = [D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31)]
    trend = measures.state_trend(tasks, days)
    assert trend[ON_TIME] == [0, 1, 1, 1]
    assert trend[LATE] == [0, 0, 1, 1]
    assert trend[OVERDUE] == [0, 0, 0, 1]
    assert trend[NOT_DUE] == [4, 3, 2, 1]
    assert all(sum(trend[s][i] for s in TaskState) == 4 for i in range(len(days)))


@pytest.mark.parametrize(
    ("comparator", "latest", "expected", "status"),
    [
        (">=", "40", "50", IndicatorStatus.OFF_TRACK),
        (">=", "50", "50", IndicatorStatus.AT_RISK),  # met by nothing
        (">=", "54.9", "50", IndicatorStatus.AT_RISK),
        (">=", "55", "50", IndicatorStatus.ON_TRACK),  # met by 10 %
        (">", "50", "50", IndicatorStatus.OFF_TRACK),
        ("<=", "12", "10", IndicatorStatus.OFF_TRACK),  # a rank: lower is better
        ("<=", "9.5", "10", IndicatorStatus.AT_RISK),
        ("<=", "8", "10", IndicatorStatus.ON_TRACK),
        ("<", "10", "10", IndicatorStatus.OFF_TRACK),
        ("=", "100", "100", IndicatorStatus.ON_TRACK),
        ("=", "99", "100", IndicatorStatus.OFF_TRACK),
        (">=", None, "50", IndicatorStatus.AT_RISK),  # no value yet
        (">=", None, None, IndicatorStatus.AT_RISK),
        (">=", "3", None, IndicatorStatus.ON_TRACK),  # no milestone this year to miss
    ],
)
def test_indicator_status(comparator, latest, expected, status):
    result = measures.indicator_status(
        comparator=comparator,
        latest=Decimal(latest) if latest is not None else None,
        expected=Decimal(expected) if expected is not None else None,
    )
    assert result == status


@pytest.mark.parametrize("comparator", [">=", ">", "<=", "<", "="])
@pytest.mark.parametrize("value", ["0", "45", "50", "52", "60", "100"])
def test_off_track_is_exactly_the_off_track_alert(comparator, value):
    """The dashboard and the alert never disagree on which indicators are off track."""
    today = D(2026, 6, 15)
    values = [("2026-Q1", Decimal("20")), ("2026-04", Decimal(value))]
    milestones = {2026: Decimal("50")}
    latest = measures.latest_value(values)
    assert latest == ("2026-04", Decimal(value))
    status = measures.indicator_status(
        comparator=comparator,
        latest=latest[1],
        expected=measures.expected_value(
            milestones=milestones, target=None, target_year=None, year=today.year
        ),
    )
    alert = rules.indicator_off_track(
        rules.IndicatorFacts(
            today=today, comparator=comparator, values=values, milestones=milestones
        )
    )
    assert (status == IndicatorStatus.OFF_TRACK) == (alert is not None)


def test_latest_value_goes_by_the_end_of_the_period_not_its_spelling():
    values = [("2026-Q3", Decimal(1)), ("2026-11", Decimal(2)), ("2026-H1", Decimal(3))]
    assert measures.latest_value(values) == ("2026-11", Decimal(2))
    assert measures.latest_value([("không rõ", Decimal(1))]) is None


def test_expected_value_is_the_milestone_else_the_target_in_its_year():
    milestones = {2026: Decimal(50)}
    assert measures.expected_value(
        milestones=milestones, target=Decimal(90), target_year=2030, year=2026
    ) == Decimal(50)
    assert measures.expected_value(
        milestones=milestones, target=Decimal(90), target_year=2030, year=2030
    ) == Decimal(90)
    assert (
        measures.expected_value(milestones={}, target=Decimal(90), target_year=2030, year=2027)
        is None
    )


def test_year_position_puts_the_end_of_a_year_on_its_tick():
    assert measures.year_position(D(2026, 12, 31)) == 2026.0
    assert measures.year_position(D(2026, 3, 31)) == pytest.approx(2025 + 90 / 365)
    assert measures.year_position(D(2024, 12, 31)) == 2024.0  # a leap year


def test_least_squares_fits_a_line():
    assert measures.least_squares([(2024.0, 10.0), (2025.0, 20.0), (2026.0, 30.0)]) == (
        pytest.approx(10.0),
        pytest.approx(-20230.0),
    )
    slope, intercept = measures.least_squares([(0.0, 1.0), (1.0, 2.0), (2.0, 2.0), (3.0, 4.0)])
    # By hand: mean (1.5, 2.25), Sxy 4.5, Sxx 5: slope 0.9, intercept 0.9.
    assert slope == pytest.approx(0.9) and intercept == pytest.approx(0.9)


def test_least_squares_needs_two_distinct_points():
    assert measures.least_squares([]) is None
    assert measures.least_squares([(2026.0, 5.0)]) is None
    assert measures.least_squares([(2026.0, 5.0), (2026.0, 7.0)]) is None


def test_will_reach_follows_the_direction():
    assert measures.will_reach(projected=92, target=90, comparator=">=", start=40)
    assert not measures.will_reach(projected=85, target=90, comparator=">=", start=40)
    assert measures.will_reach(projected=8, target=10, comparator="<=", start=30)
    assert not measures.will_reach(projected=12, target=10, comparator="<=", start=30)
    # "= 100 %" is reached by a trend that gets to 100 from below, never exactly.
    assert measures.will_reach(projected=103.2, target=100, comparator="=", start=60)
    assert not measures.will_reach(projected=97, target=100, comparator="=", start=60)


def test_names_match_ignoring_case_diacritics_punctuation_and_ti_ty():
    assert measures.name_key("Tỉ lệ hồ sơ TTHC xử lý trực tuyến.") == measures.name_key(
        "tỷ lệ hồ sơ tthc, xử lý trực tuyến"
    )


def test_propose_links_by_folded_name():
    entries = [
        (1, "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến"),
        (2, "Tỷ lệ người dân có hồ sơ sức khỏe điện tử"),
        (3, "Tỷ lệ hộ gia đình có khả năng truy cập băng rộng"),
    ]
    indicators = [
        (10, "TỶ LỆ HỒ SƠ THỦ TỤC HÀNH CHÍNH XỬ LÝ TRỰC TUYẾN"),
        (11, "Tỉ lệ người dân có hồ sơ sức khỏe điện tử (%)"),
        (12, "Tỷ lệ hộ gia đình có khả năng truy cập băng rộng cố định với tốc độ 01 Gb/s"),
        (13, "Phủ sóng 5G toàn phường"),
    ]
    assert measures.propose_links(indicators, entries) == {10: 1, 11: 2, 12: 3}


def test_propose_links_does_not_guess_between_several():
    entries = [(1, "Tỷ lệ dân số"), (2, "Tỷ lệ dân số trưởng thành"), (3, "dân số trưởng thành")]
    # Entries of fewer than three words never match inside a longer name, and two that fit is
    # a guess.
    assert measures.propose_links([(10, "Tỷ lệ dân số trưởng thành có chữ ký số")], entries) == {}
    twins = [(1, "Tỷ lệ dân số"), (2, "tỉ lệ dân số")]
    assert measures.propose_links([(10, "Tỷ lệ dân số")], twins) == {}
