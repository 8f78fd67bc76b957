"""Template filters for task states, deadlines and periods, so templates show words, not codes
(`{% load plans %}`)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext_lazy as _

from theodoi.core.numbers import format_number
from theodoi.plans.deadline import DeadlineKind, Recurrence
from theodoi.plans.numbering import task_label
from theodoi.plans.periods import label_of, periods_in_words
from theodoi.plans.states import ReportTimeliness, TaskState

register = template.Library()

STATE_COLOURS = {
    TaskState.DONE_ON_TIME: "success",
    TaskState.DONE_LATE: "info",
    TaskState.OPEN_NOT_DUE: "secondary",
    TaskState.OPEN_OVERDUE: "danger",
}
TIMELINESS_COLOURS = {
    ReportTimeliness.ON_TIME: "success",
    ReportTimeliness.LATE: "warning",
    ReportTimeliness.MISSING: "danger",
    ReportTimeliness.RETURNED: "danger",
    ReportTimeliness.NOT_DUE: "secondary",
}
DEADLINE_KIND_LABELS = {
    DeadlineKind.DATE: _("Date"),
    DeadlineKind.MONTH: _("Month"),
    DeadlineKind.QUARTER: _("Quarter"),
    DeadlineKind.YEAR: _("Year"),
    DeadlineKind.RANGE: _("Period of years"),
    DeadlineKind.RECURRING: _("Recurring"),
    DeadlineKind.EVENT: _("When an event happens"),
    DeadlineKind.UNKNOWN: _("Not recognised"),
}
RECURRENCE_LABELS = {
    Recurrence.NONE: "",
    Recurrence.CONTINUOUS: _("Continuous"),
    Recurrence.WEEKLY: _("Every week"),
    Recurrence.MONTHLY: _("Every month"),
    Recurrence.QUARTERLY: _("Every quarter"),
    Recurrence.HALF_YEARLY: _("Every six months"),
    Recurrence.YEARLY: _("Every year"),
}


@register.filter
def state_label(value: str) -> str:
    try:
        return TaskState(value).label
    except ValueError:
        return ""


@register.filter
def state_colour(value: str) -> str:
    try:
        return STATE_COLOURS[TaskState(value)]
    except ValueError:
        return "secondary"


@register.filter
def timeliness_label(value: str) -> str:
    """The reporting status of a period (on time, late, none), in words."""
    try:
        return ReportTimeliness(value).label
    except ValueError:
        return ""


@register.filter
def timeliness_colour(value: str) -> str:
    try:
        return TIMELINESS_COLOURS[ReportTimeliness(value)]
    except ValueError:
        return "secondary"


@register.filter
def deadline_kind_label(value: str) -> str:
    try:
        return str(DEADLINE_KIND_LABELS[DeadlineKind(value)])
    except ValueError:
        return value


@register.filter
def recurrence_label(value: str) -> str:
    try:
        return str(RECURRENCE_LABELS[Recurrence(value)])
    except ValueError:
        return value


@register.simple_tag
def state_choices():
    return [(state.value, state.label) for state in TaskState]


@register.filter
def period_label(value: str) -> str:
    """ "2026-Q4" → "Quý IV/2026"."""
    return label_of(str(value))


@register.filter
def period_words(value: str) -> str:
    """A stored text with each period's code in words: "PL.8 2026-W48: 100%" → "PL.8 Tuần
    48/2026: 100%"."""
    return periods_in_words(str(value))


@register.filter
def code_label(row) -> str:
    """A task's code under its section («PL.2»), unless the code already starts with the
    section's number, as plans that number tasks «1.1» under section «1» do. ``row`` is an
    amendment's row or change (a mapping); a change without a code shows nothing."""
    return task_label(str(row.get("section") or ""), str(row.get("code") or ""))


@register.filter
def quantity(value, unit: str = "") -> str:
    """A number the Vietnamese way, to two decimals at most, with its unit: "20.000 người",
    "78,5%" (a percent sign follows the number directly); not a number, as it is."""
    try:
        exact = value if isinstance(value, Decimal) else Decimal(str(value))
        number = format_number(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    unit = (unit or "").strip()
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number}\u00a0{unit}"
