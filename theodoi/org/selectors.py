"""Reads of the organisation tree and its units."""

from django.db.models import QuerySet

from theodoi.core.access import org_scope
from theodoi.org.models import Organization, Unit, User


def organizations_for_user(user: User) -> QuerySet[Organization]:
    return Organization.objects.filter(org_scope(user, field=""))


def units_for_user(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(org_scope(user))


def unit_catalogue(ward: Organization) -> dict[str, int]:
    """Every canonical name, short name and alias of the ward's active units → the unit's id."""
    catalogue: dict[str, int] = {}
    for unit in ward.units.filter(is_active=True).prefetch_related("aliases"):
        for name in [unit.name, unit.short_name, *(a.alias for a in unit.aliases.all())]:
            if name:
                catalogue.setdefault(name, unit.pk)
    return catalogue
