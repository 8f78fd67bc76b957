"""The four official states and expected progress (DESIGN.md §4)."""

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import TaskFactory
from theodoi.plans.models import Task
from theodoi.plans.selectors import with_state
from theodoi.plans.states import (
    ReportTimeliness,
    TaskState,
    expected_progress,
    report_timeliness,
    task_state,
)

D = datetime.date
DUE = D(2026, 6, 30)


@pytest.mark.parametrize(
    ("due", "completed_on", "today", "expected"),
    [
        (DUE, D(2026, 6, 1), D(2026, 11, 1), TaskState.DONE_ON_TIME),
        (DUE, DUE, D(2026, 11, 1), TaskState.DONE_ON_TIME),
        (DUE, D(2026, 7, 1), D(2026, 11, 1), TaskState.DONE_LATE),
        (DUE, None, DUE, TaskState.OPEN_NOT_DUE),
        (DUE, None, D(2026, 7, 1), TaskState.OPEN_OVERDUE),
        (None, None, D(2030, 1, 1), TaskState.OPEN_NOT_DUE),
        (None, D(2026, 1, 1), D(2030, 1, 1), TaskState.DONE_ON_TIME),
    ],
)
def test_task_state(due, completed_on, today, expected):
    assert task_state(due=due, completed_on=completed_on, today=today) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2025, 12, 1), 0.0),  # before the start
        (D(2026, 1, 1), 0.0),
        (D(2026, 7, 2), 50.0),  # 182 of 364 days
        (D(2026, 12, 31), 100.0),
        (D(2027, 3, 1), 100.0),  # after the due date
    ],
)
def test_expected_progress_is_linear_and_clamped(on, expected):
    assert expected_progress(start=D(2026, 1, 1), due=D(2026, 12, 31), on=on) == pytest.approx(
        expected, abs=0.2
    )


def test_expected_progress_unknown_without_both_ends():
    assert expected_progress(start=None, due=DUE, on=DUE) is None
    assert expected_progress(start=DUE, due=None, on=DUE) is None


def test_expected_progress_for_a_same_day_task():
    assert expected_progress(start=DUE, due=DUE, on=DUE) == 100.0
    assert expected_progress(start=DUE, due=DUE, on=D(2026, 6, 29)) == 0.0


@pytest.mark.django_db
def test_database_state_agrees_with_the_pure_rule():
    """The list pages filter on a database annotation; it must say what task_state says."""
    dues = [None, D(2026, 6, 30)]
    completions = [None, D(2026, 6, 1), D(2026, 6, 30), D(2026, 7, 1)]
    today = D(2026, 8, 1)
    for due, completed_on in itertools.product(dues, completions):
        TaskFactory(due_date=due, completed_on=completed_on)
    rows = with_state(Task.objects.all(), today=today)
    assert rows.count() == 8
    for task in rows:
        assert task.state == task_state(
            due=task.due_date, completed_on=task.completed_on, today=today
        )


# --- Reporting status of a period -------------------------------------------------------------

REPORT_DUE = datetime.date(2026, 10, 16)


@pytest.mark.parametrize(
    ("submitted_on", "today", "returned", "expected"),
    [
        (datetime.date(2026, 10, 16), datetime.date(2026, 11, 1), False, "on_time"),  # on the day
        (datetime.date(2026, 10, 17), datetime.date(2026, 11, 1), False, "late"),
        (None, datetime.date(2026, 10, 16), False, "not_due"),  # the due day itself
        (None, datetime.date(2026, 10, 17), False, "missing"),
        (datetime.date(2026, 10, 10), datetime.date(2026, 10, 12), True, "returned"),
        (datetime.date(2026, 10, 10), datetime.date(2026, 11, 1), True, "returned"),
    ],
)
def test_report_timeliness(submitted_on, today, returned, expected):
    found = report_timeliness(
        due=REPORT_DUE, submitted_on=submitted_on, today=today, returned=returned
    )
    assert found == ReportTimeliness(expected)


@given(
    due=st.dates(min_value=datetime.date(2025, 1, 1), max_value=datetime.date(2030, 12, 31)),
    sent=st.one_of(st.none(), st.integers(-60, 60)),
    days=st.integers(-60, 60),
)
def test_a_report_status_is_never_a_task_state_and_a_sent_report_never_missing(due, sent, days):
    submitted_on = None if sent is None else due + datetime.timedelta(days=sent)
    found = report_timeliness(
        due=due, submitted_on=submitted_on, today=due + datetime.timedelta(days=days)
    )
    assert found.value not in {state.value for state in TaskState}
    assert (found in (ReportTimeliness.MISSING, ReportTimeliness.NOT_DUE)) == (sent is None)
    assert found.label  # named in the interface
