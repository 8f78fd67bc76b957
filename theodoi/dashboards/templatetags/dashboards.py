"""Template filters for the indicator statuses, so templates show words, not codes."""

from django import template
from django.utils.translation import gettext_lazy as _

from theodoi.dashboards.measures import IndicatorStatus

register = template.Library()

STATUS_LABELS = {
    IndicatorStatus.ON_TRACK: _("On track"),
    IndicatorStatus.AT_RISK: _("At risk"),
    IndicatorStatus.OFF_TRACK: _("Off track"),
}
STATUS_COLOURS = {
    IndicatorStatus.ON_TRACK: "success",
    IndicatorStatus.AT_RISK: "warning",
    IndicatorStatus.OFF_TRACK: "danger",
}


@register.filter
def status_label(value: str) -> str:
    try:
        return str(STATUS_LABELS[IndicatorStatus(value)])
    except ValueError:
        return ""


@register.filter
def status_colour(value: str) -> str:
    try:
        return STATUS_COLOURS[IndicatorStatus(value)]
    except ValueError:
        return "secondary"
