"""Template filters shared by every app, so templates show words, not codes. The plans' own
(task states, deadlines, periods) are in the `plans` library."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

AUDIT_ACTION_LABELS = {
    "plan.create": _("Plan created"),
    "section.create": _("Section created"),
    "task.create": _("Task created"),
    "task.update": _("Task changed"),
    "indicator.create": _("Indicator created"),
    "directive.create": _("Directive given"),
    "directive.answer": _("Directive answered"),
    "report.submit": _("Report submitted"),
    "report.export": _("Report exported"),
    "evidence.upload": _("Evidence attached"),
    "evidence.accepted": _("Evidence accepted"),
    "evidence.rejected": _("Evidence rejected"),
}


@register.filter
def audit_action_label(value: str) -> str:
    """A readable name for an audit action; unknown actions show their code."""
    label = AUDIT_ACTION_LABELS.get(value)
    return str(label) if label else value
