"""The ward administration pages (DESIGN.md §5, "ward admin"): the ward's units and people, one
by one or in bulk from Excel, and the standard unit list of a new ward. A ward's admin manages
their own ward; an admin above it (or the installation's) picks the ward first."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from theodoi.accounts import services
from theodoi.accounts.forms import (
    ConfirmForm,
    PersonForm,
    StandardUnitsForm,
    UnitForm,
    WardImportConfirmForm,
    WardWorkbookForm,
)
from theodoi.core.access import (
    WARD_ROLES,
    can_administer_ward,
    can_grant_role,
    can_manage_person,
    can_see_organization,
    grantable_roles,
    role_needs_unit,
)
from theodoi.core.forms import error_messages
from theodoi.core.roles import Role
from theodoi.org import bulk
from theodoi.org import services as org_services
from theodoi.org.matching import match_units
from theodoi.org.models import Organization, Unit, User
from theodoi.org.selectors import (
    administered_wards,
    unit_catalogue,
    unit_references,
    ward_people,
    ward_units_with_counts,
)
from theodoi.org.standard_units import STANDARD_UNITS

_IMPORT_KEY = "ward_import"


def _ward(request, ward_id: int) -> Organization:
    """The ward, if the person may manage it: 404 when they may not even see it."""
    ward = get_object_or_404(Organization, pk=ward_id)
    if not can_see_organization(request.user, ward):
        raise Http404
    if not can_administer_ward(request.user, ward):
        raise PermissionDenied
    return ward


def _unit(request, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("organization"), pk=pk)
    _ward(request, unit.organization_id)
    return unit


def _person(request, pk: int) -> User:
    person = get_object_or_404(User.objects.select_related("organization", "unit"), pk=pk)
    if person.organization_id is None:
        raise Http404
    _ward(request, person.organization_id)
    if not can_manage_person(request.user, person):
        raise PermissionDenied
    return person


def _context(request, ward: Organization, tab: str, **extra) -> dict:
    wards = administered_wards(request.user)
    return {
        "ward": ward,
        "tab": tab,
        "other_wards": wards.exclude(pk=ward.pk)[:200] if wards.count() > 1 else [],
        **extra,
    }


def _units_for_people(ward: Organization, person: User | None = None) -> list[Unit]:
    units = list(ward.units.filter(is_active=True).order_by("order", "name"))
    if person is not None and person.unit is not None and person.unit not in units:
        units.append(person.unit)  # a person in a deactivated unit keeps it until moved
    return units


@login_required
@require_GET
def ward_admin_home(request):
    wards = list(administered_wards(request.user)[:500])
    if not wards:
        raise PermissionDenied
    if len(wards) == 1:
        return redirect("ward_users", ward_id=wards[0].pk)
    return render(request, "accounts/ward/pick.html", {"wards": wards})


# --- Units ---------------------------------------------------------------------------------------


@login_required
@require_GET
def ward_units(request, ward_id: int):
    ward = _ward(request, ward_id)
    units = list(ward_units_with_counts(ward))
    return render(
        request, "accounts/ward/units.html", _context(request, ward, "units", units=units)
    )


def _unit_form_page(request, ward: Organization, unit: Unit | None):
    if request.method == "POST":
        form = UnitForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if unit is None:
                    saved = org_services.unit_create_checked(
                        actor=request.user,
                        organization=ward,
                        name=data["name"],
                        short_name=data["short_name"],
                        aliases=data["aliases"],
                        order=data["order"],
                    )
                else:
                    saved = org_services.unit_update(
                        actor=request.user,
                        unit=unit,
                        name=data["name"],
                        short_name=data["short_name"],
                        aliases=data["aliases"],
                        order=data["order"],
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The unit «%(name)s» is saved.") % {"name": saved.name})
                return redirect("ward_units", ward_id=ward.pk)
    elif unit is not None:
        form = UnitForm(
            initial={
                "name": unit.name,
                "short_name": unit.short_name,
                "aliases": "; ".join(unit.aliases.values_list("alias", flat=True)),
                "order": unit.order,
            }
        )
    else:
        form = UnitForm()
    return render(
        request,
        "accounts/ward/unit_form.html",
        _context(request, ward, "units", form=form, unit=unit),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ward_unit_create(request, ward_id: int):
    return _unit_form_page(request, _ward(request, ward_id), None)


@login_required
@require_http_methods(["GET", "POST"])
def ward_unit_edit(request, pk: int):
    unit = _unit(request, pk)
    return _unit_form_page(request, unit.organization, unit)


@login_required
@require_http_methods(["GET", "POST"])
def ward_unit_remove(request, pk: int):
    """Confirm, then deactivate (or reactivate) a unit, or delete one nothing refers to."""
    unit = _unit(request, pk)
    ward = unit.organization
    uses = unit_references(unit)
    problem = ""
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        action = form.cleaned_data["action"] if form.is_valid() else ""
        try:
            if action == "delete":
                org_services.unit_delete(actor=request.user, unit=unit)
                messages.success(
                    request, _("The unit «%(name)s» is deleted.") % {"name": unit.name}
                )
                return redirect("ward_units", ward_id=ward.pk)
            if action == "deactivate":
                org_services.unit_deactivate(actor=request.user, unit=unit)
                messages.success(
                    request, _("The unit «%(name)s» is deactivated.") % {"name": unit.name}
                )
                return redirect("ward_units", ward_id=ward.pk)
            if action == "reactivate":
                org_services.unit_reactivate(actor=request.user, unit=unit)
                messages.success(
                    request, _("The unit «%(name)s» is active again.") % {"name": unit.name}
                )
                return redirect("ward_units", ward_id=ward.pk)
            problem = _("Choose what to do with the unit.")
        except ValidationError as exc:
            problem = " ".join(exc.messages)
    return render(
        request,
        "accounts/ward/unit_remove.html",
        _context(
            request,
            ward,
            "units",
            unit=unit,
            uses=uses,
            active_people=unit.members.filter(is_active=True).count(),
            problem=problem,
        ),
    )


# --- The standard unit list ----------------------------------------------------------------------


def _standard_rows(ward: Organization) -> list[dict]:
    catalogue = unit_catalogue(ward)
    names = dict(ward.units.values_list("pk", "name"))
    rows = []
    for index, standard in enumerate(STANDARD_UNITS):
        name = standard.name_for(is_ward=ward.kind == Organization.Kind.WARD)
        existing = None
        for spelling in (name, standard.short_name, *standard.aliases):
            match = match_units(spelling, catalogue, ward_name=ward.name)
            if len(match.unit_ids) == 1 and not match.unmatched:
                existing = names.get(match.unit_ids[0])
                break
        rows.append(
            {
                "index": index,
                "name": name,
                "short_name": standard.short_name,
                "aliases": "; ".join(standard.aliases),
                "existing": existing,
                "chosen": existing is None,
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def ward_standard_units(request, ward_id: int):
    """The standard list as a preview: the admin unticks and edits rows, then saves; a unit the
    ward has already is shown as such and not made again."""
    ward = _ward(request, ward_id)
    rows = _standard_rows(ward)
    problems: list[str] = []
    if request.method == "POST":
        form = StandardUnitsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            chosen = set(data["chosen"])
            typed = list(zip(data["name"], data["short_name"], data["aliases"], strict=False))
            for row, (name, short_name, aliases) in zip(rows, typed, strict=False):
                row.update(
                    name=name,
                    short_name=short_name,
                    aliases=aliases,
                    chosen=row["index"] in chosen and row["existing"] is None,
                )
            picked = [
                (row["name"], row["short_name"], bulk.split_aliases(row["aliases"]))
                for row in rows
                if row["chosen"]
            ]
            if not picked:
                problems.append(_("Tick at least one unit to add."))
            elif any(not name for name, _short, _aliases in picked):
                problems.append(_("Every ticked unit needs a name."))
            else:
                try:
                    made = org_services.units_create_many(
                        actor=request.user, organization=ward, rows=picked
                    )
                except ValidationError as exc:
                    problems.extend(exc.messages)
                else:
                    messages.success(request, _("%(count)d units added.") % {"count": len(made)})
                    return redirect("ward_units", ward_id=ward.pk)
        else:
            problems.extend(error_messages(form))
    return render(
        request,
        "accounts/ward/standard_units.html",
        _context(request, ward, "units", rows=rows, problems=problems),
    )


# --- People --------------------------------------------------------------------------------------


@login_required
@require_GET
def ward_users(request, ward_id: int):
    ward = _ward(request, ward_id)
    people = [(person, can_manage_person(request.user, person)) for person in ward_people(ward)]
    return render(
        request, "accounts/ward/users.html", _context(request, ward, "users", people=people)
    )


def _person_initial(person: User) -> dict:
    return {
        "full_name": person.get_full_name(),
        "username": person.username,
        "unit": str(person.unit_id or ""),
        "role": person.role,
        "position": person.position,
        "email": person.email,
        "phone": person.phone,
    }


def _save_person(request, ward: Organization, person: User | None, form: PersonForm):
    data = form.cleaned_data
    first_name, last_name = bulk.split_full_name(data["full_name"])
    fields = {
        "username": data["username"],
        "role": data["role"],
        "unit": data["unit"],
        "first_name": first_name,
        "last_name": last_name,
        "email": data["email"],
        "phone": data["phone"],
        "position": data["position"],
    }
    if person is None:
        return org_services.user_create(
            actor=request.user, organization=ward, password=None, **fields
        )
    return org_services.user_update(actor=request.user, user=person, **fields)


def _person_form_page(request, ward: Organization, person: User | None):
    units = _units_for_people(ward, person)
    roles = grantable_roles(request.user, ward)
    if person is not None and not can_grant_role(request.user, person.role, ward):
        raise PermissionDenied
    if request.method == "POST":
        form = PersonForm(request.POST, units=units, roles=roles)
        if form.is_valid():
            try:
                saved = _save_person(request, ward, person, form)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if person is None:
                    link = services.password_link_send(
                        actor=request.user, user=saved, request=request
                    )
                    return render(
                        request,
                        "accounts/ward/links.html",
                        _context(request, ward, "users", links=[link], created=True),
                    )
                messages.success(request, _("«%(name)s» is saved.") % {"name": saved})
                return redirect("ward_users", ward_id=ward.pk)
    else:
        initial = _person_initial(person) if person else {"role": Role.UNIT_OFFICER}
        form = PersonForm(initial=initial, units=units, roles=roles)
    unit_roles = [role.value for role in roles if role_needs_unit(role)]
    return render(
        request,
        "accounts/ward/user_form.html",
        _context(request, ward, "users", form=form, person=person, unit_roles=unit_roles),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ward_user_create(request, ward_id: int):
    return _person_form_page(request, _ward(request, ward_id), None)


@login_required
@require_http_methods(["GET", "POST"])
def ward_user_edit(request, pk: int):
    person = _person(request, pk)
    return _person_form_page(request, person.organization, person)


@login_required
@require_http_methods(["GET", "POST"])
def ward_user_status(request, pk: int):
    """Confirm, then deactivate or reactivate a person, or give them a new set-password link."""
    person = _person(request, pk)
    ward = person.organization
    problem = ""
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        action = form.cleaned_data["action"] if form.is_valid() else ""
        try:
            if action == "deactivate":
                org_services.user_deactivate(actor=request.user, user=person)
                messages.success(request, _("«%(name)s» can no longer sign in.") % {"name": person})
                return redirect("ward_users", ward_id=ward.pk)
            if action == "reactivate":
                org_services.user_reactivate(actor=request.user, user=person)
                messages.success(request, _("«%(name)s» can sign in again.") % {"name": person})
                return redirect("ward_users", ward_id=ward.pk)
            if action == "link":
                link = services.password_link_send(actor=request.user, user=person, request=request)
                return render(
                    request,
                    "accounts/ward/links.html",
                    _context(request, ward, "users", links=[link], created=False),
                )
            problem = _("Choose what to do with the account.")
        except (ValidationError, services.AccountError) as exc:
            problem = " ".join(getattr(exc, "messages", [str(exc)]))
    return render(
        request,
        "accounts/ward/user_status.html",
        _context(request, ward, "users", person=person, problem=problem),
    )


# --- In bulk from Excel --------------------------------------------------------------------------


def _check(request, ward: Organization, unit_rows, people_rows) -> bulk.WardSheets:
    candidates = {
        str(row[1]).strip().lower()
        for row in people_rows[1:]
        if len(row) > 1 and row[1] not in (None, "")
    }
    taken = set(
        User.objects.annotate(lowered=Lower("username"))
        .filter(lowered__in=candidates)
        .values_list("lowered", flat=True)
    )
    return bulk.check_ward_sheets(
        unit_rows,
        people_rows,
        catalogue=unit_catalogue(ward),
        unit_names=dict(ward.units.values_list("pk", "name")),
        ward_name=ward.name,
        taken_usernames=taken,
        roles={role.value: str(role.label) for role in WARD_ROLES},
        may_grant=lambda role: can_grant_role(request.user, role, ward),
        needs_unit=role_needs_unit,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ward_import(request, ward_id: int):
    """Upload the filled-in template; the answer is a preview, and nothing is saved yet."""
    ward = _ward(request, ward_id)
    sheets = None
    token = ""
    if request.method == "POST":
        form = WardWorkbookForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                unit_rows, people_rows = bulk.read_ward_workbook(form.cleaned_data["file"].read())
            except bulk.WorkbookError as exc:
                form.add_error("file", str(exc))
            else:
                unit_rows, people_rows = (
                    bulk.rows_as_text(unit_rows),
                    bulk.rows_as_text(people_rows),
                )
                sheets = _check(request, ward, unit_rows, people_rows)
                if not sheets.units and not sheets.people and not sheets.errors:
                    form.add_error(
                        "file",
                        _("The workbook has no rows to import below the header and example rows."),
                    )
                    sheets = None
                elif sheets.ok:
                    token = secrets.token_urlsafe(16)
                    request.session[_IMPORT_KEY] = {
                        "token": token,
                        "ward": ward.pk,
                        "units": unit_rows,
                        "people": people_rows,
                    }
    else:
        form = WardWorkbookForm()
    return render(
        request,
        "accounts/ward/import.html",
        _context(
            request,
            ward,
            "import",
            form=form,
            sheets=sheets,
            token=token,
            units_sheet=bulk.UNITS_SHEET,
            people_sheet=bulk.PEOPLE_SHEET,
        ),
    )


@login_required
@require_POST
def ward_import_confirm(request, ward_id: int):
    """Save the previewed workbook: checked again against the ward as it is now, then made in
    one transaction; the answer lists each new person's set-password link."""
    ward = _ward(request, ward_id)
    form = WardImportConfirmForm(request.POST)
    stored = request.session.get(_IMPORT_KEY) or {}
    if (
        not form.is_valid()
        or stored.get("token") != form.cleaned_data["token"]
        or stored.get("ward") != ward.pk
    ):
        messages.error(
            request, _("This preview has expired or was already saved: upload the file again.")
        )
        return redirect("ward_import", ward_id=ward.pk)
    sheets = _check(request, ward, stored["units"], stored["people"])
    if not sheets.ok:
        messages.error(
            request,
            _("The ward changed since the preview: upload the file again to see what is wrong."),
        )
        return redirect("ward_import", ward_id=ward.pk)
    try:
        links = services.ward_import_save(
            actor=request.user, ward=ward, sheets=sheets, request=request
        )
    except (ValidationError, services.AccountError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("ward_import", ward_id=ward.pk)
    request.session.pop(_IMPORT_KEY, None)
    return render(
        request,
        "accounts/ward/links.html",
        _context(
            request,
            ward,
            "import",
            links=links,
            created=True,
            units_made=len(sheets.units),
        ),
    )


@login_required
@require_GET
def ward_import_template(request, ward_id: int):
    ward = _ward(request, ward_id)
    labels = [str(role.label) for role in grantable_roles(request.user, ward)]
    response = HttpResponse(
        bulk.ward_template(role_labels=labels),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-don-vi-nguoi-dung.xlsx"'
    return response
