"""The roll-up rule of a province task from the wards that carry it out (pure functions)."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from theodoi.plans.rollup import (
    WardTask,
    indicator_rollup,
    indicator_rule_text,
    rollup,
    rule_text,
    worst_state,
)
from theodoi.plans.states import TaskState, task_state

D = datetime.date
TODAY = D(2026, 9, 15)

days = st.dates(min_value=D(2026, 1, 1), max_value=D(2027, 12, 31))


@st.composite
def ward_tasks(draw):
    """A ward task as the progress chain leaves it: done only at 100 %."""
    due = draw(st.none() | days)
    done = draw(st.booleans())
    if done:
        return WardTask(progress=100, due=due, completed_on=draw(days.filter(lambda d: d <= TODAY)))
    return WardTask(progress=draw(st.integers(0, 100)), due=due, completed_on=None)


wards_strategy = st.lists(st.lists(ward_tasks(), max_size=3), max_size=12)


def _mean(values):
    return Fraction(sum(values), len(values)) if values else Fraction(0)


def test_mean_of_ward_means_with_a_ward_without_a_task_at_zero():
    wards = [
        [WardTask(40, None, None), WardTask(80, None, None)],  # 60
        [WardTask(30, None, None)],  # 30
        [],  # 0
    ]
    result = rollup(wards, due=None, today=TODAY)
    assert result.progress == 30  # (60 + 30 + 0) / 3
    assert result.wards == 3 and result.wards_without_task == 1 and result.wards_done == 0
    assert result.state == TaskState.OPEN_NOT_DUE


def test_half_a_percent_rounds_up():
    assert rollup([[WardTask(25, None, None)], []], due=None, today=TODAY).progress == 13


def test_one_ward_overdue_makes_the_province_task_overdue():
    late = WardTask(90, D(2026, 9, 1), None)
    fine = WardTask(100, None, D(2026, 8, 1))
    result = rollup([[fine], [late], [fine]], due=D(2026, 12, 31), today=TODAY)
    assert result.state == TaskState.OPEN_OVERDUE


def test_done_when_every_ward_is_done_on_the_day_the_last_was():
    wards = [[WardTask(100, D(2026, 9, 30), D(2026, 6, 1))], [WardTask(100, None, D(2026, 8, 2))]]
    result = rollup(wards, due=D(2026, 12, 31), today=TODAY)
    assert result.completed_on == D(2026, 8, 2)
    assert result.state == TaskState.DONE_ON_TIME
    assert result.progress == 100 and result.wards_done == 2


def test_a_ward_done_late_makes_the_province_task_done_late():
    wards = [[WardTask(100, D(2026, 5, 1), D(2026, 6, 1))], [WardTask(100, None, D(2026, 4, 2))]]
    assert rollup(wards, due=D(2026, 12, 31), today=TODAY).state == TaskState.DONE_LATE


def test_the_province_deadline_passed_while_a_ward_has_not_started_is_overdue():
    result = rollup([[WardTask(100, None, D(2026, 6, 1))], []], due=D(2026, 9, 1), today=TODAY)
    assert result.state == TaskState.OPEN_OVERDUE
    assert result.completed_on is None


def test_no_ward_assigned():
    result = rollup([], due=None, today=TODAY)
    assert (result.progress, result.completed_on, result.wards) == (0, None, 0)


@given(wards_strategy, st.none() | days)
def test_properties(wards, due):
    result = rollup(wards, due=due, today=TODAY)
    expected = _mean([_mean([t.progress for t in tasks]) for tasks in wards])
    assert abs(result.progress - expected) <= Fraction(1, 2)
    everyone_done = bool(wards) and all(
        tasks and all(t.completed_on for t in tasks) for tasks in wards
    )
    assert (result.completed_on is not None) == everyone_done
    assert (result.state in (TaskState.DONE_ON_TIME, TaskState.DONE_LATE)) == everyone_done
    states = [t.state(TODAY) for tasks in wards for t in tasks]
    if TaskState.OPEN_OVERDUE in states:
        assert result.state == TaskState.OPEN_OVERDUE
    # The province task is never better off than any one ward's task, nor than its own deadline.
    own = task_state(due=due, completed_on=result.completed_on, today=TODAY)
    assert worst_state([result.state, own, *states]) == result.state
    assert result.wards_without_task == sum(1 for tasks in wards if not tasks)


@given(wards_strategy, st.none() | days)
def test_order_of_wards_does_not_matter(wards, due):
    assert rollup(wards, due=due, today=TODAY) == rollup(wards[::-1], due=due, today=TODAY)


@given(wards_strategy, st.none() | days)
def test_a_ward_without_a_task_never_raises_progress(wards, due):
    before = rollup(wards, due=due, today=TODAY)
    after = rollup([*wards, []], due=due, today=TODAY)
    assert after.progress <= before.progress or not wards
    assert after.completed_on is None


@pytest.mark.parametrize("count", [1, 12, 114])
def test_rule_text_in_vietnamese(count, settings):
    from django.utils import translation

    with translation.override("vi"):
        text = rule_text(count)
    assert text == (
        f"Tiến độ = bình quân tiến độ của {count} xã, phường được giao (xã, phường chưa cụ thể "
        "hóa tính 0%); trạng thái theo xã, phường chậm nhất."
    )


def test_indicator_sum_and_average_over_the_wards_that_reported():
    values = [Decimal(10), None, Decimal(20), Decimal(3)]
    assert indicator_rollup("sum", values) == indicator_rollup("sum", values[::-1])
    total = indicator_rollup("sum", values)
    assert (total.value, total.reported, total.wards) == (Decimal(33), 3, 3)
    mean = indicator_rollup("average", values, wards=4)
    assert (mean.value, mean.reported, mean.wards) == (Decimal(11), 3, 4)
    nothing = indicator_rollup("sum", [None, None], wards=2)
    assert nothing.value is None and nothing.reported == 0


@given(st.lists(st.none() | st.decimals(0, 10**6, places=2), max_size=20))
def test_indicator_average_lies_between_the_values(values):
    result = indicator_rollup("average", values)
    given_values = [v for v in values if v is not None]
    if given_values:
        assert min(given_values) <= result.value <= max(given_values)
        assert indicator_rollup("sum", values).value == sum(given_values)
    else:
        assert result.value is None


def test_indicator_rule_text_in_vietnamese():
    from django.utils import translation

    with translation.override("vi"):
        assert indicator_rule_text("sum", 5) == "Tổng của 5 xã, phường đã báo cáo"
        assert indicator_rule_text("average", 2) == "Bình quân của 2 xã, phường đã báo cáo"
