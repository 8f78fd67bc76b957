"""The four official task states and expected progress (DESIGN.md §4): pure functions."""

import datetime
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class TaskState(StrEnum):
    DONE_ON_TIME = "done_on_time"  # hoàn thành đúng hạn
    DONE_LATE = "done_late"  # hoàn thành quá hạn
    OPEN_NOT_DUE = "open_not_due"  # chưa hoàn thành trong hạn
    OPEN_OVERDUE = "open_overdue"  # chưa hoàn thành quá hạn

    @property
    def label(self) -> str:
        """The state's name in the active language; in Vietnamese, the official name."""
        return str(STATE_LABELS[self])


# The one place the states are named: pages, charts, exports and e-mails read them here. The
# Vietnamese names are the Government Office's, in the catalogue; gettext_lazy needs no settings,
# so this module stays a pure one.
STATE_LABELS: dict[TaskState, Any] = {
    TaskState.DONE_ON_TIME: _("Done on time"),
    TaskState.DONE_LATE: _("Done late"),
    TaskState.OPEN_NOT_DUE: _("Open, not yet due"),
    TaskState.OPEN_OVERDUE: _("Open, overdue"),
}


def task_state(
    *, due: datetime.date | None, completed_on: datetime.date | None, today: datetime.date
) -> TaskState:
    """The official state of a task. A task without a due date is never late.

    ``completed_on`` is the day the task became complete (progress 100 and accepted evidence).
    """
    if completed_on is not None:
        if due is None or completed_on <= due:
            return TaskState.DONE_ON_TIME
        return TaskState.DONE_LATE
    if due is not None and today > due:
        return TaskState.OPEN_OVERDUE
    return TaskState.OPEN_NOT_DUE


def expected_progress(
    *, start: datetime.date | None, due: datetime.date | None, on: datetime.date
) -> float | None:
    """``100 × clamp((on − start) / (due − start), 0, 1)``; None when either end is unknown."""
    if start is None or due is None:
        return None
    span = (due - start).days
    if span <= 0:
        return 100.0 if on >= due else 0.0
    fraction = (on - start).days / span
    return 100.0 * min(max(fraction, 0.0), 1.0)


def late_against_original(
    *,
    due: datetime.date | None,
    original_due: datetime.date | None,
    completed_on: datetime.date | None,
    today: datetime.date,
) -> bool:
    """Whether a task whose deadline an amendment moved is late against the original one while
    its official state (which follows the current deadline) says it is not: done after the
    original due day, or still open past it, and not late against the current deadline."""
    if original_due is None or due is None or due <= original_due:
        return False
    state = task_state(due=due, completed_on=completed_on, today=today)
    if state not in (TaskState.DONE_ON_TIME, TaskState.OPEN_NOT_DUE):
        return False
    return (completed_on or today) > original_due


class ReportTimeliness(StrEnum):
    """Whether a period's report came, and in time: a fact about reporting, never a task state
    (a task done on time may still have weeks nobody reported)."""

    ON_TIME = "on_time"  # báo cáo đúng hạn
    LATE = "late"  # báo cáo chậm
    MISSING = "missing"  # không báo cáo
    RETURNED = "returned"  # trả lại, chưa gửi lại
    NOT_DUE = "not_due"  # chưa đến hạn báo cáo

    @property
    def label(self) -> str:
        return str(TIMELINESS_LABELS[self])


TIMELINESS_LABELS: dict[ReportTimeliness, Any] = {
    ReportTimeliness.ON_TIME: _("Reported on time"),
    ReportTimeliness.LATE: _("Reported late"),
    ReportTimeliness.MISSING: _("No report"),
    ReportTimeliness.RETURNED: _("Returned, not sent again"),
    ReportTimeliness.NOT_DUE: _("Report not yet due"),
}


def report_timeliness(
    *,
    due: datetime.date,
    submitted_on: datetime.date | None,
    today: datetime.date,
    returned: bool = False,
) -> ReportTimeliness:
    """The reporting status of one period: on time when the report arrived by its due day (a
    report sent back and sent again arrives on the day it was sent again), late after it. A
    returned report not yet sent again counts as not sent, as the unit scores count it."""
    if returned:
        return ReportTimeliness.RETURNED
    if submitted_on is not None:
        return ReportTimeliness.ON_TIME if submitted_on <= due else ReportTimeliness.LATE
    return ReportTimeliness.NOT_DUE if today <= due else ReportTimeliness.MISSING
