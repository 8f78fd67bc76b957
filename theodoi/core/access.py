"""Who may see and change what (DESIGN.md §5): the one place where the roles are enforced.

Reads are scoped by the organisation tree: a person sees their own node and everything below
it (a ward's people see their ward; the upper level sees every ward of its province). Writes are
decided by ``can(user, action, obj)`` from a single table of rules. Views, the API and commands
ask here; none of them checks a role by itself (tests/core/test_access_guard.py keeps it so).

Commands, the demo and the alert scan act as ``SYSTEM``, an explicit actor that may do anything;
no service accepts ``None`` for "nobody checked".
"""

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Union

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from theodoi.core.roles import Role

if TYPE_CHECKING:
    # The rules read the objects of every app; they depend on none (apps import downward only).
    from django.db.models import QuerySet

    from theodoi.org.models import Organization, User


class SystemActor:
    """The installation itself acting: a management command, the demo data, the alert scan.

    It may do anything and read every ward. It is no person: the audit trail stores no user for
    it (an empty actor, as system writes have always been recorded, so the hash chain and
    ``verify_audit`` are unchanged) and models that name who did something store ``None``
    (``person_of``). There is one instance, ``SYSTEM``.
    """

    pk = None
    id = None
    username = "theodoi-system"
    is_authenticated = True
    is_anonymous = False
    is_active = True
    # The attributes a scoped selector reads of a person: the system is placed nowhere, above
    # every ward, with no role and no unit.
    is_superuser = True
    is_staff = False
    role = None
    organization = None
    organization_id = None
    unit = None
    unit_id = None

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return self.username

    def get_full_name(self) -> str:
        return ""


SYSTEM = SystemActor()

# Who acts in a service: a person, or the system itself. Never ``None``.
Actor = Union["User", SystemActor]


def is_system(actor: Any) -> bool:
    return isinstance(actor, SystemActor)


def person_of(actor: "Actor") -> "User | None":
    """The person to store in a "created by"/"reviewed by" field: None for the system."""
    _require_actor(actor)
    return None if isinstance(actor, SystemActor) else actor


def _require_actor(actor: Any) -> None:
    if actor is None:
        # ``None`` used to mean "skip the check"; a caller that forgets the actor must fail
        # loudly instead of acting unchecked.
        raise TypeError("an actor is required: a user, or core.access.SYSTEM for the system")


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
    DOWNLOAD_REPORT = "report.download"  # the compiled report of a plan (Word, PDF, Excel, zip)
    RECORD_BUDGET = "budget.record"  # record allocated and disbursed amounts of a plan's budget
    EDIT_SCALE = "ranking.scale"  # ``obj`` is the ward whose unit-ranking scale is set
    LINK_CATALOGUE = "catalogue.link"  # link a ward's indicator to the shared catalogue
    EXPORT_AUDIT = "audit.export"  # ``obj`` is ignored: the export holds what the admin may read
    MANAGE_ALERT = "alert.manage"  # acknowledge an alert with a note, or snooze it to a day
    EDIT_BUDGET_LINES = "budget.lines"  # add, correct and remove the lines of a plan's budget
    # Accept or return a ward's periodic report (``obj`` is the report, of a ward below).
    ANSWER_UPWARD = "upward.answer"
    # Read a ward's periodic report as sent and download its package (``obj`` is the report).
    SEE_UPWARD = "upward.see"
    # Issue or revoke the token a ward's own installation sends its reports with (``obj`` is
    # the ward, below the person's province).
    CONNECT_WARD = "ward.connect"


# The roles that work inside one unit of a ward (DESIGN.md §5).
UNIT_ROLES = frozenset({Role.UNIT_OFFICER, Role.UNIT_HEAD})
# The roles asked for a second sign-in step: the standing office, leaders and admins.
TWO_FACTOR_ROLES = frozenset({Role.STANDING_OFFICE, Role.LEADER, Role.ADMIN})


def is_global(user: "Actor") -> bool:
    """A superuser, or an admin not tied to any organisation, sees the whole installation (and
    so does the system)."""
    return bool(user.is_superuser or (user.role == Role.ADMIN and user.organization_id is None))


def has_unit_role(user: "Actor") -> bool:
    """A unit officer or unit head: their work is the tasks of their own unit."""
    return bool(user.is_authenticated and user.role in UNIT_ROLES)


def needs_unit(person: "User") -> bool:
    """A unit officer or head must be placed in a unit: every rule of their work reads it. An
    installation superuser acts above the tree and needs none."""
    return has_unit_role(person) and not person.is_superuser


def limited_to_own_unit(user: "Actor") -> bool:
    """Unit officers and heads see only their own unit's things (its alerts, its line of the
    ranking, its self-assessment); leaders, the standing office, admins and the upper level
    see the whole ward. A superuser is never limited."""
    return has_unit_role(user) and not is_global(user)


def offers_two_factor(user: "Actor") -> bool:
    """Whether ``user`` is offered (and, once set up, asked for) a TOTP code at sign-in; unit
    roles are never asked."""
    return bool(
        user.is_authenticated
        and not is_system(user)
        and (user.is_superuser or user.role in TWO_FACTOR_ROLES)
    )


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


def upper_scope(user: "User", field: str = "organization") -> Q:
    """A filter on ``field`` (a path to an Organization) that keeps what belongs to the levels
    above ``user``'s own node (its province): the plans and tasks its ward carries out, which
    the ward reads to follow the chain up, and never changes."""
    if not user.is_authenticated or not user.is_active or user.organization_id is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__in": _ancestor_ids(user.organization)})


def scope_with_upper(user: "User", field: str = "organization") -> Q:
    """``org_scope`` and the levels above it (see ``upper_scope``). Someone who reads the whole
    installation keeps the empty filter: OR-ing an empty Q would narrow it to the other term."""
    scope = org_scope(user, field)
    if not scope:
        return scope
    return scope | upper_scope(user, field)


def _ancestor_ids(organization: "Organization") -> list[int]:
    return [
        int(pk)
        for pk in organization.path.strip("/").split("/")
        if pk and int(pk) != organization.pk
    ]


def _reads_upper(user: "User", organization: "Organization") -> bool:
    return user.organization_id is not None and organization.pk in _ancestor_ids(user.organization)


def can_see_organization(user: "User", organization: "Organization") -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_global(user):
        return True
    return user.organization_id is not None and organization.is_within(user.organization)


# Actions that only read: the upper level may do these to the wards below it, and nothing else.
READ_ACTIONS = frozenset(
    {Action.VIEW, Action.SEE_WARD_DASHBOARD, Action.SEE_PROVINCE, Action.DOWNLOAD_REPORT}
)


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


def _province_own(user: "User", obj: Any) -> bool:
    """The province level acting on its own things (its plans, tasks and indicators): the
    ``tinh`` role placed at the province, which keeps the province's plans like a ward's
    standing office keeps the ward's. Wards below it stay read-only to it."""
    return user.role == Role.UPPER_LEVEL and _in_ward(user, obj) and not _ward_of(obj).is_local


def _answer_upward(user: "User", report: Any) -> bool:
    """The province above the ward: its upper level and its standing office receive the wards'
    periodic reports and accept or return them; nobody of the ward itself."""
    meta = getattr(report, "_meta", None)
    if meta is None or meta.label != "reporting.UpwardReport":
        return False
    ward = _ward_of(report)
    return bool(
        user.role in (Role.UPPER_LEVEL, Role.STANDING_OFFICE)
        and user.organization_id is not None
        and user.organization_id != ward.pk
        and not user.organization.is_local
        and ward.is_within(user.organization)
    )


def _connect_ward(user: "User", ward: Any) -> bool:
    """The province's upper level or admin connects a ward below it, or an installation-wide
    admin any ward (never the ward itself: its account would then send reports in the ward's
    name from anywhere)."""
    if not (_is_organization(ward) and ward.is_local):
        return False
    if user.role == Role.ADMIN and is_global(user):
        return True
    return bool(
        user.role in (Role.UPPER_LEVEL, Role.ADMIN)
        and user.organization_id is not None
        and not user.organization.is_local
        and ward.is_within(user.organization)
    )


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


def _download_report(user: "User", plan: Any) -> bool:
    """The office, which compiles the reports, the ward's leaders, who sign them, and the upper
    level above the ward, which receives them."""
    if _office(user, plan) or (user.role == Role.LEADER and _in_ward(user, plan)):
        return True
    return user.role == Role.UPPER_LEVEL and can_see_organization(user, _ward_of(plan))


def _record_budget(user: "User", plan: Any) -> bool:
    """The standing office, and the officers and heads of a unit of the ward that was granted
    the budget (``Unit.records_budget``, set by the admin: usually the economy office)."""
    if _office(user, plan):
        return True
    unit = user.unit if user.unit_id is not None else None
    return bool(
        unit is not None
        and user.role in UNIT_ROLES
        and _in_ward(user, plan)
        and unit.organization_id == _ward_of(plan).pk
        and unit.records_budget
    )


def _export_audit(user: "User", obj: Any) -> bool:
    """Installation-wide admins, and a ward's admin (who gets the records of their ward)."""
    return is_global(user) or (user.role == Role.ADMIN and user.organization_id is not None)


def _province(user: "User", obj: Any) -> bool:
    """People placed above the wards (a province's steering committee) and installation-wide
    admins."""
    if is_global(user):
        return True
    return user.organization_id is not None and not user.organization.is_local


Rule = Callable[["User", Any], bool]

# The rules of DESIGN.md §5, one line an action: who may do it to an object of their ward.
RULES: dict[Action, Rule] = {
    # A ward's people also read the plans and tasks of its province (the chain, followed up).
    Action.VIEW: lambda user, obj: (
        can_see_organization(user, _ward_of(obj)) or _reads_upper(user, _ward_of(obj))
    ),
    # The standing office keeps the ward's plans; the ward's admin may set them up too. A
    # province's own plans are kept by its standing office and its upper level.
    Action.MANAGE_PLAN: lambda user, obj: (
        _office(user, obj) or _admin(user, obj) or _province_own(user, obj)
    ),
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
    Action.DOWNLOAD_REPORT: _download_report,
    Action.RECORD_BUDGET: _record_budget,
    # The ward's standing office or its admin sets the points of the unit ranking.
    Action.EDIT_SCALE: lambda user, ward: _office(user, ward) or _admin(user, ward),
    # The office of the indicator's ward (it keeps the ward's plans) or an installation admin.
    Action.LINK_CATALOGUE: lambda user, obj: _office(user, obj) or is_global(user),
    Action.EXPORT_AUDIT: _export_audit,
    # The standing office manages the ward's alerts (DESIGN.md §5). Not a unit: the unit that
    # must act could otherwise silence what the office follows up; not the ward's admin, who
    # keeps units and people, not the work.
    Action.MANAGE_ALERT: _office,
    # The lines of a plan's budget are part of the plan: whoever edits the plan (its ward's
    # standing office or admin) adds, corrects and removes them. Recording what was allocated
    # and disbursed on a line stays RECORD_BUDGET's.
    Action.EDIT_BUDGET_LINES: lambda user, obj: _office(user, obj) or _admin(user, obj),
    Action.ANSWER_UPWARD: _answer_upward,
    Action.SEE_UPWARD: lambda user, obj: _see_upward(user, obj),
    Action.CONNECT_WARD: _connect_ward,
}


def can(user: "Actor", action: Action, obj: Any) -> bool:
    """True when ``user`` may perform ``action`` on ``obj``. Superusers and the system may do
    anything; ``None`` is a TypeError (a caller without an actor passes ``SYSTEM``)."""
    _require_actor(user)
    if isinstance(user, SystemActor):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return RULES[action](user, obj)


def require(user: "Actor", action: Action, obj: Any) -> None:
    """Raise PermissionDenied (HTTP 403) unless ``user`` may perform ``action`` on ``obj``."""
    if not can(user, action, obj):
        raise PermissionDenied


def can_edit_catalogue(user: "Actor") -> bool:
    """The indicator catalogue is shared by every ward: an installation-wide admin, or someone
    of a province or above (the upper level that compares the wards), keeps it. Not an action
    on a ward: the upper level changes nothing inside a ward."""
    _require_actor(user)
    if not user.is_authenticated or not user.is_active:
        return False
    if is_global(user):
        return True
    return user.organization_id is not None and not user.organization.is_local


# --- Alerts: whom an alert concerns ----------------------------------------------------------


def alerts_concerning(user: "Actor", alerts: "QuerySet[Any]") -> "QuerySet[Any]":
    """The alerts of ``alerts`` that concern ``user``: the alert page shows these and the
    e-mail digest mails these, so both give one answer.

    Unit officers and heads are concerned by the alerts of every task their unit leads (each
    lead unit, not only the first one that must act), of the indicators it leads and of those
    naming it; everyone else by every alert they may read (their ward, or the wards below).
    """
    alerts = alerts.filter(org_scope(user))
    if not limited_to_own_unit(user):
        return alerts
    if user.unit_id is None:
        return alerts.none()
    # The task model, read off the alert's field: the rules depend on no app.
    task_model = alerts.model._meta.get_field("task").related_model
    led = task_model.objects.filter(lead_units=user.unit_id).values("pk")
    return alerts.filter(
        Q(task__in=led) | Q(indicator__lead_unit=user.unit_id) | Q(unit=user.unit_id)
    )


def unit_people(unit_ids) -> Q:
    """The people (a filter on User) who act for these units: their active officers and heads,
    who are told of what their units must do."""
    return Q(is_active=True, unit_id__in=list(unit_ids), role__in=UNIT_ROLES)


def alert_digest_audience() -> Q:
    """The people (a filter on User) mailed a digest of the alerts that concern them: unit
    officers and heads with a unit, and the standing office and the leaders of a ward. The
    upper level and admins read the alerts on screen only."""
    return Q(is_active=True) & (
        Q(role__in=UNIT_ROLES, unit__isnull=False)
        | Q(role__in=[Role.STANDING_OFFICE, Role.LEADER], organization__isnull=False)
    )


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


def users_managed_by(actor: "User") -> Q:
    """A filter on User: the accounts ``actor`` manages in the admin, within the part of the
    tree the admin already scopes to. A ward admin never manages a superuser, even one placed
    in the ward (``can_manage_user`` answers the same for one person)."""
    return Q() if is_global(actor) else Q(is_superuser=False)


# --- The ward's own administration: its units and people ---------------------------------------

# The roles a person of a ward holds (the upper level sits at the province, not in a ward).
WARD_ROLES = (Role.UNIT_OFFICER, Role.UNIT_HEAD, Role.STANDING_OFFICE, Role.LEADER, Role.ADMIN)


def can_administer_ward(user: "Actor", ward: "Organization") -> bool:
    """The ward's admin (or an admin above it, or the installation's) manages the ward's units
    and people on the ward administration pages; only a ward or commune has units."""
    return bool(ward.is_local and can(user, Action.MANAGE_ORG, ward))


def offers_ward_admin(user: "Actor") -> bool:
    """Whether the menu offers the ward administration pages: an admin of some part of the
    tree, or the installation's."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(is_global(user) or (user.role == Role.ADMIN and user.organization_id))


def grantable_roles(actor: "Actor", ward: "Organization") -> list[Role]:
    """The roles ``actor`` may give a person of ``ward``: none outside what they administer,
    and never one above their own. A ward admin may make another admin of the same ward (the
    same rights), never the upper level, an installation-wide admin or a superuser (those
    are placed above the ward, so the pages do not offer them at all)."""
    if not can_administer_ward(actor, ward):
        return []
    return list(WARD_ROLES)


def role_needs_unit(role: str) -> bool:
    """A unit officer or head is placed in a unit (``needs_unit`` for a person not yet made)."""
    return role in UNIT_ROLES


def can_grant_role(actor: "Actor", role: str, ward: "Organization") -> bool:
    return role in grantable_roles(actor, ward)


def changes_own_role(actor: "Actor", person: "User", role: str) -> bool:
    """An admin changing their own role: refused (a slip would lock them out of the pages that
    could undo it); another admin does it."""
    return not is_system(actor) and actor.pk == person.pk and role != person.role


def can_manage_person(actor: "Actor", person: "User") -> bool:
    """An admin acting on a person's account on the ward pages: the person is placed in a ward
    the admin administers and holds a ward role (so an admin never changes someone above
    their own rank: a superuser, an installation-wide admin, the upper level)."""
    if is_system(actor):
        return True
    if person.is_superuser or person.organization_id is None:
        return False
    return bool(person.role in WARD_ROLES and can_administer_ward(actor, person.organization))


def can_import_plans(user: "User") -> bool:
    """A ward's or commune's standing office (or admin) imports the ward's plans; a province's
    standing office and upper level import the province's own."""
    organization = user.organization if user.is_authenticated else None
    return bool(organization and can(user, Action.MANAGE_PLAN, organization))


# --- The wards' periodic reports at the province ------------------------------------------------


def _see_upward(user: "User", report: Any) -> bool:
    """Whoever answers the report (the province above the ward), the ward's standing office
    that sent it and its leaders who signed it, and installation-wide admins. Not the ward's
    units: the report is the ward's word to the province, not their work."""
    if _answer_upward(user, report) or is_global(user):
        return True
    return _office(user, report) or (user.role == Role.LEADER and _in_ward(user, report))


def upward_province(user: "Actor") -> "Organization | None":
    """The province whose wards' periodic reports ``user`` receives: the upper level or the
    standing office placed at a province (None for everyone else)."""
    if not user.is_authenticated or not user.is_active or is_system(user):
        return None
    organization = user.organization if user.organization_id else None
    if organization is None or organization.is_local:
        return None
    if user.role in (Role.UPPER_LEVEL, Role.STANDING_OFFICE):
        return organization
    return None


def upward_receivers(province_id: int) -> Q:
    """The people (a filter on User) told that a ward of the province sent its periodic
    report: the province's upper level and standing office, who answer it."""
    return Q(
        is_active=True,
        organization_id=province_id,
        role__in=[Role.UPPER_LEVEL, Role.STANDING_OFFICE],
    )


def ward_office_people(ward_id: int) -> Q:
    """The people (a filter on User) of a ward's standing office: told of the province's
    answer to the ward's periodic report, as they sent it and must correct it."""
    return Q(is_active=True, organization_id=ward_id, role=Role.STANDING_OFFICE)
