"""Who may see and change what (DESIGN.md §5): the one place where the roles are enforced.

Reads are scoped by the organisation tree: a person sees their own node and everything below
it (a ward's people see their ward; the upper level sees every ward of its province). Writes are
decided by ``can(user, action, obj)`` from a single table of rules. Views, the API and commands
ask here; none of them checks a role by itself.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from theodoi.core.roles import Role

if TYPE_CHECKING:
    # The rules read the objects of every app; they depend on none (apps import downward only).
    from theodoi.org.models import Organization, User


class Action(StrEnum):
    VIEW = "view"
    MANAGE_PLAN = "plan.manage"  # create, import and edit plans; assign tasks
    REPORT = "task.report"  # report progress and attach evidence
    CONFIRM_REPORT = "report.confirm"  # a unit head confirms the unit's report
    REVIEW = "task.review"  # review evidence, return reports, manage alerts
    DIRECT = "task.direct"  # give a directive on a task
    ANSWER_DIRECTIVE = "directive.answer"
    COMPILE_REPORTS = "reports.compile"  # compile the reports sent upward
    MANAGE_ORG = "org.manage"  # users, units, settings
    SEE_WARD_DASHBOARD = "ward.dashboard"  # ``obj`` is the ward
    SEE_PROVINCE = "province.see"  # ``obj`` is ignored: the province page compares the wards below
    ASSESS = "assessment.answer"  # fill in a unit's self-assessment and attach its evidence


def is_global(user: "User") -> bool:
    """A superuser, or an admin not tied to any organisation, sees the whole installation."""
    return bool(user.is_superuser or (user.role == Role.ADMIN and user.organization_id is None))


def org_scope(user: "User", field: str = "organization") -> Q:
    """A filter on ``field`` (a path to an Organization, "" for Organization itself) that keeps
    only what ``user`` may read."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if is_global(user):
        return Q()
    if user.organization_id is None:
        return Q(pk__in=[])
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    return Q(**{lookup: user.organization.path})


def can_see_organization(user: "User", organization: "Organization") -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_global(user):
        return True
    return user.organization_id is not None and organization.is_within(user.organization)


# Actions that only read: the upper level may do these to the wards below it, and nothing else.
READ_ACTIONS = frozenset({Action.VIEW, Action.SEE_WARD_DASHBOARD, Action.SEE_PROVINCE})


def _is_organization(obj: Any) -> bool:
    meta = getattr(obj, "_meta", None)
    return meta is not None and meta.label == "org.Organization"


def _ward_of(obj: Any) -> "Organization":
    """The ward or commune that owns a plan, task, report, unit or other tracked object."""
    if _is_organization(obj):
        return obj
    for attribute in ("organization", "plan", "task", "indicator", "evidence"):
        if hasattr(obj, attribute) and getattr(obj, attribute) is not None:
            return _ward_of(getattr(obj, attribute))
    raise TypeError(f"cannot tell which ward owns {type(obj).__name__}")


def _lead_unit_ids(obj: Any) -> set[int]:
    """The units that lead a task (or the task behind a report, evidence or directive)."""
    task = obj if hasattr(obj, "lead_units") else getattr(obj, "task", None)
    if task is None:
        # An indicator (or a value of it) is reported by the indicator's lead unit.
        indicator = obj if hasattr(obj, "lead_unit_id") else getattr(obj, "indicator", None)
        return {indicator.lead_unit_id} if indicator and indicator.lead_unit_id else set()
    # Prefetched lead units are used when present, so list pages ask no extra query per row.
    return {unit.pk for unit in task.lead_units.all()}


def _in_ward(user: "User", obj: Any) -> bool:
    return user.organization_id is not None and _ward_of(obj).pk == user.organization_id


def _own_unit(user: "User", obj: Any) -> bool:
    return user.unit_id is not None and _in_ward(user, obj) and user.unit_id in _lead_unit_ids(obj)


def _office(user: "User", obj: Any) -> bool:
    return user.role == Role.STANDING_OFFICE and _in_ward(user, obj)


def _unit_role(user: "User", obj: Any) -> bool:
    return user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD) and _own_unit(user, obj)


def _admin(user: "User", obj: Any) -> bool:
    if user.role != Role.ADMIN:
        return False
    return is_global(user) or can_see_organization(user, _ward_of(obj))


def _ward_dashboard(user: "User", ward: Any) -> bool:
    """The ward's leaders (who give directives) and its standing office (which reviews), and
    whoever reads the ward from above: the upper level and installation-wide admins. Unit roles
    have their own task page."""
    ward = _ward_of(ward)
    if RULES[Action.DIRECT](user, ward) or RULES[Action.REVIEW](user, ward):
        return True
    return can_see_organization(user, ward) and user.organization_id != ward.pk


def _province(user: "User", obj: Any) -> bool:
    """People placed above the wards (a province's steering committee) and installation-wide
    admins."""
    if is_global(user):
        return True
    return user.organization_id is not None and not user.organization.is_local


Rule = Callable[["User", Any], bool]

# The rules of DESIGN.md §5, one line an action: who may do it to an object of their ward.
RULES: dict[Action, Rule] = {
    Action.VIEW: lambda user, obj: can_see_organization(user, _ward_of(obj)),
    Action.MANAGE_PLAN: _office,
    Action.REPORT: lambda user, obj: _unit_role(user, obj) or _office(user, obj),
    Action.CONFIRM_REPORT: lambda user, obj: user.role == Role.UNIT_HEAD and _own_unit(user, obj),
    Action.REVIEW: _office,
    Action.DIRECT: lambda user, obj: user.role == Role.LEADER and _in_ward(user, obj),
    Action.ANSWER_DIRECTIVE: lambda user, obj: _unit_role(user, obj) or _office(user, obj),
    Action.COMPILE_REPORTS: _office,
    Action.MANAGE_ORG: _admin,
    Action.SEE_WARD_DASHBOARD: _ward_dashboard,
    Action.SEE_PROVINCE: _province,
    # The unit being assessed answers for itself (``obj`` is its submission or an answer of it).
    Action.ASSESS: lambda user, obj: (
        _office(user, obj)
        or (
            user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD)
            and _in_ward(user, obj)
            and user.unit_id is not None
            and user.unit_id == obj.unit_id
        )
    ),
}


def can(user: "User", action: Action, obj: Any) -> bool:
    """True when ``user`` may perform ``action`` on ``obj``. Superusers may do anything."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return RULES[action](user, obj)


def require(user: "User", action: Action, obj: Any) -> None:
    """Raise PermissionDenied (HTTP 403) unless ``user`` may perform ``action`` on ``obj``."""
    if not can(user, action, obj):
        raise PermissionDenied


def can_use_admin(user: "User") -> bool:
    """The admin site is the admin role's (DESIGN.md §5), not Django's per-model permissions."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or user.role == Role.ADMIN)
    )


def can_manage_organizations(user: "User") -> bool:
    """Only an installation-wide admin changes the organisation tree: a ward admin moving a
    ward would change who can see it."""
    return can_use_admin(user) and is_global(user)


def can_manage_user(actor: "User", person: "User") -> bool:
    """An admin acting on a person's account (e.g. a password reset link): an installation-wide
    admin on anyone; a ward admin on the people of their own part of the tree, never on a
    superuser or someone placed above it (as the user admin's list shows them)."""
    if not can_use_admin(actor):
        return False
    if is_global(actor):
        return True
    return (
        not person.is_superuser
        and person.organization_id is not None
        and can_see_organization(actor, person.organization)
    )


def can_import_plans(user: "User") -> bool:
    ward = user.organization if user.is_authenticated else None
    return bool(ward and ward.is_local and can(user, Action.MANAGE_PLAN, ward))
