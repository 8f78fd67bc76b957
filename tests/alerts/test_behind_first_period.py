""" "Behind schedule" is judged from the end of the task's first reporting period on (DESIGN.md
§4): before any report was due, a task at 0 % is not behind, whatever its expected progress."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from theodoi.alerts import rules
from theodoi.alerts.rules import TaskFacts
from theodoi.plans.periods import CYCLES, first_period_end, period_of
from theodoi.plans.states import expected_progress

D = datetime.date


def facts(**changes) -> TaskFacts:
    base = {
        "today": D(2026, 3, 2),
        "due": D(2026, 4, 11),
        "start": D(2026, 1, 1),
        "progress": 20,
        "reporting_cycle": "quarterly",
    }
    base.update(changes)
    return TaskFacts(**base)


def fires(**changes) -> bool:
    return rules.behind_schedule(facts(**changes)) is not None


@pytest.mark.parametrize(
    ("cycle", "start", "end"),
    [
        ("weekly", D(2026, 1, 7), D(2026, 1, 11)),  # a Wednesday: its ISO week ends on Sunday
        ("monthly", D(2026, 2, 15), D(2026, 2, 28)),
        ("quarterly", D(2026, 1, 1), D(2026, 3, 31)),
        ("quarterly", D(2026, 5, 20), D(2026, 6, 30)),
        ("half_yearly", D(2026, 7, 1), D(2026, 12, 31)),
        ("yearly", D(2026, 3, 25), D(2026, 12, 31)),
        ("weekly", D(2026, 12, 30), D(2027, 1, 3)),  # week 53 of 2026 runs into 2027
    ],
)
def test_first_period_end(cycle, start, end):
    assert first_period_end(start, cycle) == end


def test_first_period_end_refuses_an_unknown_cycle():
    with pytest.raises(ValueError):
        first_period_end(D(2026, 1, 1), "fortnightly")


def test_a_quarterly_task_is_not_behind_before_its_first_quarter_ends():
    # 60 % expected on 2/3, 20 % done: behind by the old rule, but no quarterly report was due.
    assert expected_progress(start=D(2026, 1, 1), due=D(2026, 4, 11), on=D(2026, 3, 2)) == 60
    assert not fires(today=D(2026, 3, 2))
    assert not fires(today=D(2026, 3, 30))
    assert fires(today=D(2026, 3, 31))  # the last day of the quarter: judged from it on
    assert fires(today=D(2026, 4, 1))


def test_the_same_task_reporting_monthly_is_judged_from_the_end_of_january():
    monthly = {"reporting_cycle": "monthly", "progress": 10}  # 30 % is expected on 31/1
    assert not fires(**monthly, today=D(2026, 1, 30))
    assert fires(**monthly, today=D(2026, 1, 31))
    assert fires(**monthly, today=D(2026, 3, 2))


def test_a_yearly_plan_is_not_behind_during_its_first_year():
    # The demo's plan: it reports yearly and starts on 1/1/2026.
    yearly = {"reporting_cycle": "yearly", "due": D(2026, 9, 30), "progress": 0}
    assert not fires(**yearly, today=D(2026, 6, 30))
    assert not fires(**yearly, today=D(2026, 12, 30))  # overdue then, but that is another rule
    assert fires(**yearly, today=D(2026, 12, 31))


def test_the_first_period_is_the_one_holding_the_task_start():
    # Started mid-quarter: the first period is still the quarter it started in, not three months.
    late_start = {"start": D(2026, 5, 20), "due": D(2026, 7, 31), "progress": 0}
    assert not fires(**late_start, today=D(2026, 6, 29))
    assert fires(**late_start, today=D(2026, 6, 30))


def test_judged_from():
    assert rules.judged_from(facts(start=None)) is None
    assert rules.judged_from(facts()) == D(2026, 3, 31)
    assert rules.judged_from(facts(reporting_cycle="weekly")) == D(2026, 1, 4)
    # A cycle the rules do not know gives no grace rather than silencing the rule.
    assert rules.judged_from(facts(reporting_cycle="")) == D(2026, 1, 1)


def old_rule(f: TaskFacts) -> bool:
    """The rule before the first period counted: half of the expected progress, from the start."""
    expected = expected_progress(start=f.start, due=f.due, on=f.today)
    return not f.complete and expected is not None and expected > 0 and f.progress < expected / 2


days = st.dates(min_value=D(2024, 1, 1), max_value=D(2032, 12, 31))


@given(
    cycle=st.sampled_from(CYCLES),
    start=days,
    length=st.integers(min_value=0, max_value=2000),
    offset=st.integers(min_value=-400, max_value=2400),
    progress=st.integers(min_value=0, max_value=100),
    completed=st.booleans(),
)
def test_before_the_first_period_ends_never_behind_after_it_the_old_rule(
    cycle, start, length, offset, progress, completed
):
    f = facts(
        start=start,
        due=start + datetime.timedelta(days=length),
        today=start + datetime.timedelta(days=offset),
        progress=progress,
        reporting_cycle=cycle,
        completed_on=start if completed else None,
    )
    end = first_period_end(start, cycle)
    finding = rules.behind_schedule(f)
    if f.today < end:
        assert finding is None
    else:
        assert (finding is not None) is old_rule(f)


@given(cycle=st.sampled_from(CYCLES), start=days)
def test_the_first_period_end_closes_the_period_holding_the_start(cycle, start):
    end = first_period_end(start, cycle)
    assert start <= end
    assert period_of(end, cycle) == period_of(start, cycle)
    assert period_of(end + datetime.timedelta(days=1), cycle) != period_of(start, cycle)
