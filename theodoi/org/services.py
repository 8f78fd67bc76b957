"""Writes to the organisation tree, units and users, each audited in its own transaction."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record, snapshot
from theodoi.core.access import (
    Action,
    Actor,
    can_grant_role,
    can_manage_person,
    changes_own_role,
    is_system,
    require,
)
from theodoi.core.text import fold_key
from theodoi.org.matching import unit_key
from theodoi.org.models import Organization, Role, Unit, UnitAlias, User
from theodoi.org.selectors import unit_references


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
    password: str | None,
    role: str,
    organization: Organization | None,
    unit: Unit | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    position: str = "",
    phone: str = "",
) -> User:
    """A person in the tree; ``User.clean`` holds the rules of their place (the admin's
    forms apply the same), so a refused place raises ``ValidationError`` before any write.

    ``password=None`` makes an account without a password: the person chooses one through a
    set-password link (``accounts.services.reset_link_issue``). A person of a ward gets only
    a role the actor may grant there (``core.access.grantable_roles``)."""
    if organization is not None:
        require(actor, Action.MANAGE_ORG, organization)
        if organization.is_local and not can_grant_role(actor, role, organization):
            raise PermissionDenied
    user = User(
        username=User.normalize_username(username),
        role=role,
        organization=organization,
        unit=unit,
        first_name=first_name,
        last_name=last_name,
        email=User.objects.normalize_email(email),
        position=position,
        phone=phone.strip(),
        is_staff=role == Role.ADMIN,
    )
    user.clean()
    _check_username_free(user.username)
    if password is None:
        user.set_unusable_password()
    else:
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


def _check_username_free(username: str, *, exclude: User | None = None) -> None:
    # Sign-in matches user names as typed; two that differ only in case would confuse people.
    taken = User.objects.filter(username__iexact=username)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError(
            {
                "username": gettext(
                    "The user name «%(username)s» is already taken: choose another one."
                )
                % {"username": username}
            },
            code="username_taken",
        )


def _person_snapshot(user: User) -> dict:
    data = snapshot(user)
    data.pop("password", None)
    return data


def _unit_snapshot(unit: Unit) -> dict:
    return snapshot(unit) | {"aliases": sorted(unit.aliases.values_list("alias", flat=True))}


def unit_name_clash(
    organization: Organization, names: Iterable[str], *, exclude: Unit | None = None
) -> Unit | None:
    """The unit of the ward that one of ``names`` (a name, short name or alias) already
    stands for, as the ward's matching reads names (case, diacritics and punctuation
    ignored); None when all are free."""
    wanted = {unit_key(name, organization.name) for name in names if name.strip()}
    wanted.discard("")
    if not wanted:
        return None
    units = organization.units.prefetch_related("aliases")
    if exclude is not None:
        units = units.exclude(pk=exclude.pk)
    for unit in units:
        spellings = [unit.name, unit.short_name, *(a.alias for a in unit.aliases.all())]
        keys = {unit_key(name, organization.name) for name in spellings if name}
        if wanted & keys:
            return unit
    return None


def _refuse_clash(organization: Organization, names: list[str], exclude: Unit | None) -> None:
    clash = unit_name_clash(organization, names, exclude=exclude)
    if clash is not None:
        raise ValidationError(
            gettext(
                "The unit «%(unit)s» already has this name or alias: edit that unit instead, "
                "or choose another name."
            )
            % {"unit": clash.name},
            code="unit_exists",
        )


def _distinct_aliases(aliases: Iterable[str], *, name: str, short_name: str) -> list[str]:
    """Aliases without repeats and without the unit's own names (they match already)."""
    own = {fold_key(name), fold_key(short_name)}
    distinct: dict[str, str] = {}
    for alias in aliases:
        alias = alias.strip()
        key = fold_key(alias)
        if key and key not in own:
            distinct.setdefault(key, alias)
    return list(distinct.values())


@transaction.atomic
def unit_create_checked(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    short_name: str = "",
    aliases: Iterable[str] = (),
    order: int | None = None,
) -> Unit:
    """A unit made by the ward's admin on the ward pages: refused when its name or an alias
    already stands for another unit of the ward, so one unit is never made twice."""
    require(actor, Action.MANAGE_ORG, organization)
    aliases = _distinct_aliases(aliases, name=name, short_name=short_name)
    _refuse_clash(organization, [name, short_name, *aliases], None)
    return unit_create(
        actor=actor,
        organization=organization,
        name=name.strip(),
        short_name=short_name.strip(),
        aliases=aliases,
        order=order,
    )


@transaction.atomic
def unit_update(
    *,
    actor: Actor,
    unit: Unit,
    name: str,
    short_name: str = "",
    aliases: Iterable[str] = (),
    order: int | None = None,
) -> Unit:
    """Rename a unit and replace its aliases (the spellings the plans' unit cells match)."""
    require(actor, Action.MANAGE_ORG, unit.organization)
    aliases = _distinct_aliases(aliases, name=name, short_name=short_name)
    _refuse_clash(unit.organization, [name, short_name, *aliases], unit)
    before = _unit_snapshot(unit)
    unit.name = name.strip()
    unit.short_name = short_name.strip()
    if order is not None:
        unit.order = order
    unit.save()
    kept = {fold_key(alias) for alias in aliases}
    unit.aliases.exclude(key__in=kept).delete()
    present = set(unit.aliases.values_list("key", flat=True))
    for alias in aliases:
        if fold_key(alias) not in present:
            UnitAlias.objects.create(unit=unit, alias=alias)
    return _unit_changed(actor, unit, before)


@transaction.atomic
def unit_deactivate(*, actor: Actor, unit: Unit) -> Unit:
    """Take a unit out of use: it no longer matches names in imported plans nor is offered
    for new people. Refused while active people belong to it (they would be left with a
    unit nobody manages): move or deactivate them first. Its tasks and reports keep it."""
    require(actor, Action.MANAGE_ORG, unit.organization)
    if unit.members.filter(is_active=True).exists():
        raise ValidationError(
            gettext(
                "The unit «%(unit)s» still has active people: move them to another unit or "
                "deactivate them first."
            )
            % {"unit": unit.name},
            code="unit_has_people",
        )
    return _set_unit_active(actor, unit, active=False)


@transaction.atomic
def unit_reactivate(*, actor: Actor, unit: Unit) -> Unit:
    require(actor, Action.MANAGE_ORG, unit.organization)
    return _set_unit_active(actor, unit, active=True)


def _unit_changed(actor: Actor, unit: Unit, before: dict) -> Unit:
    """Record a change of ``unit`` against its snapshot ``before``."""
    audit_record(
        actor=actor,
        action=AuditAction.UNIT_UPDATE,
        obj=unit,
        organization=unit.organization,
        summary=unit.name,
        before=before,
        after=_unit_snapshot(unit),
    )
    return unit


def _set_unit_active(actor: Actor, unit: Unit, *, active: bool) -> Unit:
    """Flip the unit's active flag and record it (the caller has checked the permission)."""
    before = _unit_snapshot(unit)
    unit.is_active = active
    unit.save(update_fields=["is_active"])
    return _unit_changed(actor, unit, before)


@transaction.atomic
def unit_delete(*, actor: Actor, unit: Unit) -> None:
    """Delete a unit nothing refers to (a unit typed by mistake). A unit named by people,
    tasks, reports or assessments is deactivated instead: deleting it would rewrite history."""
    require(actor, Action.MANAGE_ORG, unit.organization)
    used = unit_references(unit)
    if used:
        raise ValidationError(
            gettext(
                "The unit «%(unit)s» is in use (%(uses)s): it cannot be deleted. Deactivate "
                "it instead."
            )
            % {"unit": unit.name, "uses": ", ".join(f"{k}: {v}" for k, v in used.items())},
            code="unit_in_use",
        )
    before = _unit_snapshot(unit)
    organization = unit.organization
    audit_record(
        actor=actor,
        action=AuditAction.UNIT_DELETE,
        obj=unit,
        organization=organization,
        summary=unit.name,
        before=before,
    )
    unit.delete()


def _require_person(actor: Actor, person: User) -> None:
    if not can_manage_person(actor, person):
        raise PermissionDenied


@transaction.atomic
def user_update(
    *,
    actor: Actor,
    user: User,
    username: str,
    role: str,
    unit: Unit | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    position: str = "",
) -> User:
    """Change a person of a ward: name, user name, unit, role and contact details. The ward
    stays (a person moves to another ward by an installation admin); the role is one the
    actor may grant there; an admin does not change their own role (a slip would lock them
    out of these pages)."""
    _require_person(actor, user)
    organization = user.organization
    if not can_grant_role(actor, role, organization):
        raise PermissionDenied
    if changes_own_role(actor, user, role):
        raise ValidationError(
            {"role": gettext("You cannot change your own role: ask another admin.")},
            code="own_role",
        )
    before = _person_snapshot(user)
    user.username = User.normalize_username(username)
    user.role = role
    user.unit = unit
    user.first_name = first_name
    user.last_name = last_name
    user.email = User.objects.normalize_email(email)
    user.phone = phone.strip()
    user.position = position
    # The admin site is the admin role's: the flag follows the role (as user_create sets it).
    user.is_staff = role == Role.ADMIN
    user.clean()
    _check_username_free(user.username, exclude=user)
    user.save()
    audit_record(
        actor=actor,
        action=AuditAction.USER_UPDATE,
        obj=user,
        organization=organization,
        summary=user.username,
        before=before,
        after=_person_snapshot(user),
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: Actor, user: User) -> User:
    """The person can no longer sign in; their name stays on everything they did (people are
    never deleted). An admin cannot deactivate themselves."""
    _require_person(actor, user)
    if not is_system(actor) and actor.pk == user.pk:
        raise ValidationError(
            gettext("You cannot deactivate your own account: ask another admin."),
            code="own_account",
        )
    return _set_person_active(actor, user, active=False, action=AuditAction.USER_DEACTIVATE)


@transaction.atomic
def user_reactivate(*, actor: Actor, user: User) -> User:
    _require_person(actor, user)
    return _set_person_active(actor, user, active=True, action=AuditAction.USER_UPDATE)


def _set_person_active(actor: Actor, user: User, *, active: bool, action: AuditAction) -> User:
    """Flip the person's active flag and record it (the caller has checked the permission)."""
    before = _person_snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=action,
        obj=user,
        organization=user.organization,
        summary=user.username,
        before=before,
        after=_person_snapshot(user),
    )
    return user


@transaction.atomic
def units_create_many(
    *, actor: Actor, organization: Organization, rows: Iterable[tuple[str, str, list[str]]]
) -> list[Unit]:
    """Several units at once (the standard list of a new ward): all made, or none when one
    of them clashes with a unit the ward has."""
    return [
        unit_create_checked(
            actor=actor, organization=organization, name=name, short_name=short, aliases=aliases
        )
        for name, short, aliases in rows
    ]
