"""Upload a plan document, check the draft beside what was read, then save it."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from theodoi.core.access import Action, can, org_scope
from theodoi.importer import services
from theodoi.importer.draft import draft_from_data, draft_to_data
from theodoi.importer.models import ImportDraft
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.readers import UnsupportedDocument

TASK_EDIT_FIELDS = ("code", "title", "lead_units_raw", "coordinating_units_raw", "deadline_text")


def _ward_for_import(user):
    ward = user.organization
    if ward is None or not ward.is_local or not can(user, Action.MANAGE_PLAN, ward):
        raise PermissionDenied
    return ward


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
    """The person's corrections: edited cells, deleted rows (a kept warning says so)."""
    kept = []
    for index, task in enumerate(draft.tasks):
        if post.get(f"task-{index}-delete"):
            draft.warnings.append(
                _("Row %(row)s (task %(code)s) was removed by the person checking the draft.")
                % {"row": task.row, "code": task.code}
            )
            continue
        for name in TASK_EDIT_FIELDS:
            value = post.get(f"task-{index}-{name}")
            if value is not None:
                setattr(task, name, value.strip())
        kept.append(task)
    draft.tasks = kept


def _unit_choices(post, names: list[str]) -> dict[str, int | None]:
    """For each unknown name: "new" (create the unit), a unit id (it is that unit) or "" (leave
    it out; the text stays on the task as written)."""
    choices: dict[str, int | None] = {}
    for index, name in enumerate(names):
        choice = post.get(f"unit-{index}", "new")
        if choice == "new":
            continue
        choices[name] = int(choice) if choice.isdigit() else None
    return choices


@login_required
def import_review(request, pk: int):
    stored = _stored_for(request.user, pk)
    ward = stored.organization
    draft = draft_from_data(stored.data)
    if stored.status != ImportDraft.Status.OPEN:
        messages.info(request, _("This draft has already been closed."))
        if stored.plan_id:
            return redirect("plan_detail", pk=stored.plan_id)
        return redirect("import_upload")
    unknown = services.resolve_draft_units(draft, ward)
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            services.import_draft_close(actor=request.user, stored=stored, status="discarded")
            messages.success(request, _("The draft has been discarded; nothing was saved."))
            return redirect("import_upload")
        _apply_edits(draft, request.POST)
        choices = _unit_choices(request.POST, unknown)
        result = services.import_draft(
            actor=request.user,
            draft=draft,
            ward=ward,
            unit_choices=choices,
            source_name=stored.source_name,
        )
        stored.data = draft_to_data(draft)
        stored.save(update_fields=["data"])
        services.import_draft_close(
            actor=request.user, stored=stored, status="saved", plan=result.plan
        )
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
    context = {
        "stored": stored,
        "draft": draft,
        "ward": ward,
        "unknown": unknown,
        "units": ward.units.filter(is_active=True),
        "preview": services.preview_changes(ward, draft),
        "sections": {s.code: s.title for s in draft.sections},
    }
    return render(request, "importer/review.html", context)
