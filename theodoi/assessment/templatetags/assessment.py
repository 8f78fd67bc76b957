"""Numbers and badges of the self-assessment pages, written the Vietnamese way (7,5)."""

from decimal import Decimal

from django import template

register = template.Library()

_STATUS_COLOURS = {
    "draft": "secondary",
    "submitted": "info",
    "returned": "warning",
    "accepted": "success",
    "open": "success",
    "closed": "secondary",
}


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


@register.filter
def points(value) -> str:
    """7 → "7", 7.50 → "7,5", None → "—"."""
    number = _decimal(value)
    if number is None:
        return "—"
    text = f"{number.quantize(Decimal('0.01')).normalize():f}"
    return text.replace(".", ",")


@register.filter
def pct(value) -> str:
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{number.quantize(Decimal('0.1')):f}".replace(".", ",") + "%"


@register.filter
def status_colour(value: str) -> str:
    return _STATUS_COLOURS.get(value, "secondary")


@register.filter
def signed(value) -> str:
    number = _decimal(value)
    if number is None:
        return "—"
    shown = f"{number.quantize(Decimal('0.1')):f}".replace(".", ",")
    return f"+{shown}" if number > 0 else shown
