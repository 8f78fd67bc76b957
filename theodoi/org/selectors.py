"""Reads of the organisation tree and its units."""

from django.db.models import Count, Q, QuerySet

from theodoi.core.access import can_administer_ward, org_scope
from theodoi.org.models import Organization, Unit, UnitAlias, User


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


def unit_references(unit: Unit) -> dict[str, int]:
    """What refers to ``unit`` anywhere in the system, as {what (plural name): how many}, read
    from the models' own relations so a new app's link to units counts without a change here.
    Its aliases are part of the unit, not a use of it."""
    uses: dict[str, int] = {}
    for relation in unit._meta.related_objects:
        if relation.many_to_many or relation.related_model is UnitAlias:
            # A many-to-many link is counted through its link model's own foreign key.
            continue
        model = relation.related_model
        count = model._base_manager.filter(**{relation.field.name: unit}).count()
        if count:
            label = str(model._meta.verbose_name_plural)
            uses[label] = uses.get(label, 0) + count
    return uses


def ward_units_with_counts(ward: Organization) -> QuerySet[Unit]:
    """The ward's units, active first in their order, with how many active people belong to
    each and how many tasks it leads (withdrawn ones too: they are its history)."""
    return (
        ward.units.prefetch_related("aliases")
        .annotate(
            people_count=Count("members", filter=Q(members__is_active=True), distinct=True),
            task_count=Count("led_tasks", distinct=True),
        )
        .order_by("-is_active", "order", "name")
    )


def ward_people(ward: Organization) -> QuerySet[User]:
    """The people placed in the ward, active first, with their unit."""
    return (
        User.objects.filter(organization=ward)
        .select_related("unit")
        .order_by("-is_active", "unit__order", "unit__name", "first_name", "last_name", "username")
    )


def administered_wards(user: User) -> QuerySet[Organization]:
    """The wards and communes whose units and people ``user`` may manage."""
    wards = Organization.objects.filter(org_scope(user, field="")).filter(
        kind__in=[Organization.Kind.WARD, Organization.Kind.COMMUNE]
    )
    return wards.filter(pk__in=[w.pk for w in wards if can_administer_ward(user, w)])
