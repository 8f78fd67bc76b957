"""Reads of units, for matching the names written in plans."""

from theodoi.org.models import Organization


def unit_catalogue(ward: Organization) -> dict[str, int]:
    """Every canonical name, short name and alias of the ward's active units → the unit's id."""
    catalogue: dict[str, int] = {}
    for unit in ward.units.filter(is_active=True).prefetch_related("aliases"):
        for name in [unit.name, unit.short_name, *(a.alias for a in unit.aliases.all())]:
            if name:
                catalogue.setdefault(name, unit.pk)
    return catalogue
