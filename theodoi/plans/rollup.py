"""Roll-up of a province task from the wards that carry it out: pure functions.

A province task assigned to every ward (or to a list of wards) is carried out by each ward's own
task that implements it (``Task.upper_task``). Its progress is the mean over the assigned wards
of each ward's mean progress, a ward that has not yet made the task its own counting 0; its state
is the worst of the wards' (a ward that has none is open), so one ward overdue makes the province
task overdue, and it is done only once every ward's tasks are done. The four states themselves
are those of ``states.task_state``.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext

from theodoi.plans.states import TaskState, task_state

# Worst last: an open task overdue outweighs everything, an open one outweighs any done one.
_SEVERITY = {
    TaskState.DONE_ON_TIME: 0,
    TaskState.DONE_LATE: 1,
    TaskState.OPEN_NOT_DUE: 2,
    TaskState.OPEN_OVERDUE: 3,
}


@dataclass(frozen=True)
class WardTask:
    """One ward task implementing the province task, as the rule reads it."""

    progress: int
    due: datetime.date | None
    completed_on: datetime.date | None

    def state(self, today: datetime.date) -> TaskState:
        return task_state(due=self.due, completed_on=self.completed_on, today=today)


@dataclass(frozen=True)
class WardShare:
    """What one assigned ward contributes: its mean progress and its worst state (None when it
    has no implementing task yet)."""

    progress: Fraction
    state: TaskState | None
    completed_on: datetime.date | None

    @property
    def has_task(self) -> bool:
        return self.state is not None


@dataclass(frozen=True)
class Rollup:
    """The province task as its wards make it: the progress to cache, the completion day (every
    ward's tasks done, on the day the last was) and the state to show."""

    progress: int
    state: TaskState
    completed_on: datetime.date | None
    wards: int
    wards_without_task: int
    wards_done: int


def worst_state(states: Iterable[TaskState]) -> TaskState | None:
    """The slowest of ``states``; None when there are none."""
    return max(states, key=_SEVERITY.__getitem__, default=None)


def ward_share(tasks: Sequence[WardTask], *, today: datetime.date) -> WardShare:
    """One ward's mean progress and worst state over its implementing tasks; a ward with none
    counts 0 % and has no state."""
    if not tasks:
        return WardShare(progress=Fraction(0), state=None, completed_on=None)
    progress = Fraction(sum(task.progress for task in tasks), len(tasks))
    done = all(task.completed_on is not None for task in tasks)
    completed_on = max(task.completed_on for task in tasks if task.completed_on) if done else None
    return WardShare(
        progress=progress,
        state=worst_state(task.state(today) for task in tasks),
        completed_on=completed_on,
    )


def percent(value: Fraction) -> int:
    """A whole percent, half up (a mean of 12.5 % shows 13 %), between 0 and 100."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return min(max(int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)), 0), 100)


def rollup(
    wards: Sequence[Sequence[WardTask]], *, due: datetime.date | None, today: datetime.date
) -> Rollup:
    """The province task from the implementing tasks of each assigned ward (one sequence per
    ward, empty for a ward without one). ``due`` is the province task's own due date: past it,
    a task not done by every ward is overdue even if no ward's own deadline has passed."""
    shares = [ward_share(tasks, today=today) for tasks in wards]
    if shares:
        progress = percent(sum((share.progress for share in shares), Fraction(0)) / len(shares))
    else:
        progress = 0
    done = bool(shares) and all(share.completed_on is not None for share in shares)
    completed_on = max(s.completed_on for s in shares if s.completed_on) if done else None
    own = task_state(due=due, completed_on=completed_on, today=today)
    state = worst_state([own, *(share.state for share in shares if share.state is not None)])
    assert state is not None  # ``own`` is always there
    return Rollup(
        progress=progress,
        state=state,
        completed_on=completed_on,
        wards=len(shares),
        wards_without_task=sum(1 for share in shares if not share.has_task),
        wards_done=sum(1 for share in shares if share.completed_on is not None),
    )


def rule_text(wards: int) -> str:
    """The rule in one sentence, as the province task's page shows it above the wards' table."""
    return gettext(
        "Progress = the mean progress of the %(count)s wards and communes assigned (a ward or "
        "commune that has not yet made the task its own counts 0%%); the state follows the "
        "slowest ward or commune."
    ) % {"count": wards}


# --- Indicators -----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRollup:
    """A province indicator's value for one period from its wards' values: None when no ward
    reported; ``reported`` of ``wards`` wards did."""

    value: Decimal | None
    reported: int
    wards: int


def indicator_rollup(
    rule: str, values: Iterable[Decimal | None], *, wards: int | None = None
) -> IndicatorRollup:
    """``rule`` "sum" or "average" over the values the wards reported (None: not reported);
    ``wards`` the number of wards counted, when more wards are linked than gave a value."""
    given = [value for value in values if value is not None]
    count = len(given) if wards is None else wards
    if not given:
        return IndicatorRollup(value=None, reported=0, wards=count)
    total = sum(given, Decimal(0))
    value = total if rule == "sum" else total / len(given)
    return IndicatorRollup(value=value, reported=len(given), wards=count)


def indicator_rule_text(rule: str, reported: int) -> str:
    """ "Tổng của N xã, phường đã báo cáo" / "Bình quân của N xã, phường đã báo cáo"."""
    if rule == "sum":
        text = gettext("Sum of the %(count)s wards and communes that reported")
    else:
        text = gettext("Average of the %(count)s wards and communes that reported")
    return text % {"count": reported}
