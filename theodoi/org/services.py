"""Writes to the organisation tree, units and users, each audited in its own transaction."""

from collections.abc import Iterable

from django.db import transaction

from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record, snapshot
from theodoi.core.access import Action, Actor, require
from theodoi.core.text import fold_key
from theodoi.org.models import Organization, Role, Unit, UnitAlias, User


@transaction.atomic
def organization_create(
    *, actor: Actor, name: str, code: str, kind: str, parent: Organization | None = None
) -> Organization:
    if parent is not None:
        require(actor, Action.MANAGE_ORG, parent)
    organization = Organization.objects.create(name=name, code=code, kind=kind, parent=parent)
    audit_record(
        actor=actor,
        action=AuditAction.ORGANIZATION_CREATE,
        obj=organization,
        organization=organization,
        summary=name,
        after=snapshot(organization),
    )
    return organization


@transaction.atomic
def unit_create(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    short_name: str = "",
    aliases: Iterable[str] = (),
    order: int | None = None,
    action: Action = Action.MANAGE_ORG,
    records_budget: bool = False,
) -> Unit:
    """``action`` is the right the actor needs: the admin's, or the standing office's when a
    unit named in an imported plan is created while the plan is checked."""
    require(actor, action, organization)
    if order is None:
        order = organization.units.count()
    unit = Unit.objects.create(
        organization=organization,
        name=name,
        short_name=short_name,
        order=order,
        records_budget=records_budget,
    )
    # Two spellings that fold to the same key are one alias.
    distinct = {fold_key(alias): alias for alias in reversed(list(aliases))}
    for alias in distinct.values():
        UnitAlias.objects.create(unit=unit, alias=alias)
    audit_record(
        actor=actor,
        action=AuditAction.UNIT_CREATE,
        obj=unit,
        organization=organization,
        summary=name,
        after=snapshot(unit) | {"aliases": sorted(distinct.values())},
    )
    return unit


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    organization: Organization | None,
    unit: Unit | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    position: str = "",
) -> User:
    """A person in the tree; ``User.clean`` holds the rules of their place (the admin's
    forms apply the same), so a refused place raises ``ValidationError`` before any write."""
    if organization is not None:
        require(actor, Action.MANAGE_ORG, organization)
    user = User(
        username=User.normalize_username(username),
        role=role,
        organization=organization,
        unit=unit,
        first_name=first_name,
        last_name=last_name,
        email=User.objects.normalize_email(email),
        position=position,
        is_staff=role == Role.ADMIN,
    )
    user.clean()
    user.set_password(password)
    user.save()
    after = snapshot(user)
    after.pop("password", None)
    audit_record(
        actor=actor,
        action=AuditAction.USER_CREATE,
        obj=user,
        organization=organization,
        summary=username,
        after=after,
    )
    return user
