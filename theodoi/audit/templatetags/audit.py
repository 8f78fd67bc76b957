"""Template filters for the audit trail: pages show an action's label, never its code."""

from django import template

from theodoi.audit.actions import action_label

register = template.Library()


@register.filter
def audit_action_label(value: str) -> str:
    """A readable name for a stored audit action; unknown actions show their code."""
    return action_label(value)
