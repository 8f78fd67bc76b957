"""The four official states and expected progress (DESIGN.md §4)."""

import datetime
import itertools

import pytest

from tests.factories import TaskFactory
from theodoi.plans.models import Task
from theodoi.plans.selectors import with_state
from theodoi.plans.states import TaskState, expected_progress, task_state

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
