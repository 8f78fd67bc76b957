"""Upload a plan document, check the draft beside what was read, then save it."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from theodoi.core.access import Action, can, can_import_plans, org_scope
from theodoi.core.inputs import parse_date
from theodoi.importer import services
from theodoi.importer.draft import draft_from_data, draft_to_data, where
from theodoi.importer.models import ImportDraft
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.readers import UnsupportedDocument

TASK_EDIT_FIELDS = ("code", "title", "lead_units_raw", "coordinating_units_raw", "deadline_text")
PLAN_EDIT_FIELDS = ("number", "title", "issuer")


def _ward_for_import(user):
    if not can_import_plans(user):
        raise PermissionDenied
    return user.organization


@login_required
def import_upload(request):
    ward = _ward_for_import(request.user)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("document")
        limit = settings.THEODOI_IMPORT_MAX_MB * 1024 * 1024
        if upload is None:
            error = _("Choose the plan document to upload.")
        elif upload.size > limit:
            error = _(
                "The file is larger than %(mb)s MB. Upload the plan without images or attachments."
            ) % {"mb": settings.THEODOI_IMPORT_MAX_MB}
        else:
            data = upload.read()
            try:
                draft = draft_from_bytes(data, name=upload.name)
            except UnsupportedDocument as exc:
                error = str(exc)
            else:
                stored = services.import_draft_create(
                    actor=request.user,
                    ward=ward,
                    draft=draft,
                    source_name=upload.name,
                    sha256=hashlib.sha256(data).hexdigest(),
                )
                return redirect("import_review", pk=stored.pk)
    drafts = ImportDraft.objects.filter(organization=ward, status=ImportDraft.Status.OPEN)[:10]
    return render(
        request,
        "importer/upload.html",
        {"error": error, "drafts": drafts, "ward": ward, "limit": settings.THEODOI_IMPORT_MAX_MB},
        status=400 if error else 200,
    )


def _stored_for(user, pk: int) -> ImportDraft:
    stored = get_object_or_404(ImportDraft.objects.filter(org_scope(user)), pk=pk)
    if not can(user, Action.MANAGE_PLAN, stored.organization):
        raise PermissionDenied
    return stored


def _apply_edits(draft, post) -> None:
    """The person's corrections: the plan's identity, edited cells, deleted rows (a kept
    warning says so)."""
    for name in PLAN_EDIT_FIELDS:
        value = post.get(f"plan-{name}")
        if value is not None:
            setattr(draft.plan, name, value.strip())
    issued = post.get("plan-issued_on")
    if issued is not None:
        try:
            draft.plan.issued_on = parse_date(issued, label=_("Date of issue"))
        except ValueError as exc:
            raise services.DraftNotReady(str(exc)) from exc
    kept = []
    for index, task in enumerate(draft.tasks):
        if post.get(f"task-{index}-delete"):
            # Stored with the draft, in the language of the reviewer who removed the row.
            draft.warnings.append(
                _("Row %(row)s (task %(code)s) was removed by the reviewer.")
                % {"row": where(task.row), "code": task.code}
            )
            continue
        for name in TASK_EDIT_FIELDS:
            value = post.get(f"task-{index}-{name}")
            if value is not None:
                setattr(task, name, value.strip())
        kept.append(task)
    draft.tasks = kept


def _unit_choices(post) -> dict[str, int | None]:
    """For each unknown name shown on the page: "new" (create the unit), a unit id (it is that
    unit) or "" (leave it out; the text stays on the task as written). Names travel with their
    choice, so a list that changed since the page was shown cannot mix them up."""
    choices: dict[str, int | None] = {}
    for key, name in post.items():
        if not key.startswith("unit-name-"):
            continue
        choice = post.get("unit-" + key.removeprefix("unit-name-"), "new")
        if choice == "new":
            continue
        choices[name] = (
            int(choice) if choice.isascii() and choice.isdigit() and len(choice) < 12 else None
        )
    return choices


def _review_context(stored, draft, ward, error=""):
    return {
        "stored": stored,
        "draft": draft,
        "ward": ward,
        "unknown": services.resolve_draft_units(draft, ward),
        "units": ward.units.filter(is_active=True),
        "preview": services.preview_changes(ward, draft),
        "error": error,
    }


@login_required
def import_review(request, pk: int):
    stored = _stored_for(request.user, pk)
    ward = stored.organization
    if stored.status != ImportDraft.Status.OPEN:
        messages.info(request, _("This draft has already been closed."))
        if stored.plan_id:
            return redirect("plan_detail", pk=stored.plan_id)
        return redirect("import_upload")
    draft = draft_from_data(stored.data)
    if request.method != "POST":
        return render(request, "importer/review.html", _review_context(stored, draft, ward))
    if request.POST.get("action") == "discard":
        services.import_draft_close(actor=request.user, stored=stored, status="discarded")
        messages.success(request, _("The draft has been discarded; nothing was saved."))
        return redirect("import_upload")
    shown = {name for key, name in request.POST.items() if key.startswith("unit-name-")}
    try:
        _apply_edits(draft, request.POST)
        unknown = services.resolve_draft_units(draft, ward)
        if set(unknown) - shown:
            # An edit brought names nobody has decided about yet: show them before saving.
            stored.data = draft_to_data(draft)
            stored.save(update_fields=["data"])
            raise services.DraftNotReady(
                _(
                    "After the edits there are new unit names nobody has chosen for yet: "
                    "%(names)s. Choose for these names, then save again."
                )
                % {"names": ", ".join(sorted(set(unknown) - shown))}
            )

        result = services.import_draft_save(
            actor=request.user,
            stored_pk=stored.pk,
            draft=draft,
            unit_choices=_unit_choices(request.POST),
        )
    except services.DraftNotReady as exc:
        return render(
            request,
            "importer/review.html",
            _review_context(stored, draft, ward, str(exc)),
            status=400,
        )
    if result is None:
        messages.info(request, _("This draft has already been closed."))
        return redirect("import_upload")
    if result.created:
        messages.success(
            request,
            _(
                "The plan has been saved: %(tasks)s tasks, %(indicators)s indicators, %(budget)s budget lines."
            )
            % {
                "tasks": result.tasks_added,
                "indicators": result.indicators_added,
                "budget": result.budget_lines_added,
            },
        )
    else:
        messages.success(
            request,
            _(
                "The plan has been updated: %(added)s tasks added, %(changed)s changed, %(missing)s kept although missing from the new version."
            )
            % {
                "added": result.tasks_added,
                "changed": result.tasks_changed,
                "missing": len(result.tasks_missing),
            },
        )
    return redirect("plan_detail", pk=result.plan.pk)
