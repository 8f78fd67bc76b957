"""Upload a plan document, check the draft beside what was read, then save it."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from theodoi.core.access import Action, can, can_import_plans, org_scope
from theodoi.core.forms import first_error
from theodoi.importer import services
from theodoi.importer.draft import draft_from_data
from theodoi.importer.forms import DraftReviewForm, UploadForm
from theodoi.importer.models import ImportDraft
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.readers import UnsupportedDocument
from theodoi.plans.models import ReportingCycle


def _ward_for_import(user):
    if not can_import_plans(user):
        raise PermissionDenied
    return user.organization


@login_required
def import_upload(request):
    ward = _ward_for_import(request.user)
    error = ""
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        upload = form.cleaned_data["document"] if form.is_valid() else None
        limit = settings.THEODOI_IMPORT_MAX_MB * 1024 * 1024
        if not form.is_valid():
            error = first_error(form)  # an empty file, a file field sent as text
        elif upload is None:
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


def _review_context(stored, draft, ward, error=""):
    return {
        "stored": stored,
        "draft": draft,
        "ward": ward,
        "unknown": services.resolve_draft_units(draft, ward),
        "units": ward.units.filter(is_active=True),
        "preview": services.preview_changes(ward, draft),
        "cycles": ReportingCycle.choices,
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
    form = DraftReviewForm(request.POST, draft=draft)
    valid = form.is_valid()
    # Discarding needs no valid correction: the whole draft is dropped.
    if form.cleaned_data.get("action") == "discard":
        services.import_draft_close(actor=request.user, stored=stored, status="discarded")
        messages.success(request, _("The draft has been discarded; nothing was saved."))
        return redirect("import_upload")
    try:
        if not valid:
            # The valid corrections are shown again with the message about the others.
            services.draft_apply_edits(draft, form.edits())
            raise services.DraftNotReady(first_error(form))
        result = services.import_draft_update(
            actor=request.user, stored_pk=stored.pk, edits=form.edits()
        )
    except services.DraftNotReady as exc:
        draft = getattr(exc, "draft", draft)
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
