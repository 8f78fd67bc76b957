"""The budget pages' filter for amounts: Vietnamese thousands dots whatever the locale's own
number formats say (Django's Vietnamese formats group no thousands)."""

from decimal import Decimal

from django import template

from theodoi.budget.amounts import format_amount

register = template.Library()


@register.filter
def amount(value: Decimal | None) -> str:
    return "" if value is None else format_amount(Decimal(value))
