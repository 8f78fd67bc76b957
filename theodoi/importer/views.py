"""Upload a plan document, check the draft beside what was read, then save it."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect

from theodoi.core.access import Action, can, can_import_plans, org_scope
from theodoi.core.forms import first_error, whole_number
from theodoi.importer import services
from theodoi.importer.draft import COVERAGE_KINDS, COVERAGE_LABELS, draft_from_data, where
from theodoi.importer.forms import (
    AmendmentImportForm,
    DraftReviewForm,
    UploadForm,
    indicator_rows,
    milestone_years,
)
from theodoi.importer.models import ImportDraft, ImportReading
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.readers import NeedsOcr, UnsupportedDocument
from theodoi.importer.recognise.coverage import few_tasks_message
from theodoi.plans import amendments, numbering
from theodoi.plans import services as plan_services
from theodoi.plans.models import Indicator, Plan, ReportingCycle


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
        valid = form.is_valid()
        amends = _amended_plan(ward, form.cleaned_data.get("amends") if valid else None)
        if not valid:
            error = first_error(form)  # an empty file, a file field sent as text
        elif amends is False:
            error = _("Choose the plan this document amends from the list, or leave it empty.")
        elif upload is None:
            error = _("Choose the plan document to upload.")
        elif upload.size > limit:
            error = _(
                "The file is larger than %(mb)s MB. Upload the plan without images or attachments."
            ) % {"mb": settings.THEODOI_IMPORT_MAX_MB}
        else:
            data = upload.read()
            sha256 = hashlib.sha256(data).hexdigest()
            try:
                try:
                    draft = draft_from_bytes(data, name=upload.name, ocr=False)
                except NeedsOcr:
                    # A scan: OCR takes seconds a page, so the worker reads it.
                    reading = services.import_reading_queue(
                        actor=request.user,
                        ward=ward,
                        data=data,
                        source_name=upload.name,
                        sha256=sha256,
                        amends=amends or None,
                    )
                    return redirect("import_reading", pk=reading.pk)
            except UnsupportedDocument as exc:
                error = str(exc)
            else:
                stored = services.import_draft_create(
                    actor=request.user,
                    ward=ward,
                    draft=draft,
                    source_name=upload.name,
                    sha256=sha256,
                    amends=amends or None,
                )
                return redirect("import_review", pk=stored.pk)
    drafts = ImportDraft.objects.filter(organization=ward, status=ImportDraft.Status.OPEN)[:10]
    # Scans still in the worker's hands: a person who left their page finds them here.
    readings = ImportReading.objects.filter(
        organization=ward,
        status__in=[ImportReading.Status.QUEUED, ImportReading.Status.RUNNING],
    ).defer("content")[:10]
    plans = ward.plans.exclude(status=Plan.Status.ARCHIVED).order_by("-issued_on", "-id")
    return render(
        request,
        "importer/upload.html",
        {
            "error": error,
            "drafts": drafts,
            "readings": readings,
            "ward": ward,
            "limit": settings.THEODOI_IMPORT_MAX_MB,
            "plans": plans,
            "amends": whole_number(request.GET.get("amends") or ""),
        },
        status=400 if error else 200,
    )


def _amended_plan(ward, raw) -> Plan | None | bool:
    """The plan of ``ward`` an upload says it amends: None when it says none, False when the
    choice is not one of the ward's live plans."""
    if raw is None or not str(raw).strip():
        return None
    pk = whole_number(raw)
    plan = (
        ward.plans.exclude(status=Plan.Status.ARCHIVED).filter(pk=pk).first()
        if pk is not None
        else None
    )
    return plan if plan is not None else False


# Past this many seconds in the queue the page says the worker may not be running.
SLOW_AFTER_SECONDS = 120


@login_required
@require_GET
def import_reading(request, pk: int):
    """An uploaded scan being read by the background worker: "page i of n" (htmx asks again
    every few seconds), then the draft's page once it is made, or why it could not be read."""
    # Asked every 2 s while it is read: the stored scan's bytes are not loaded.
    reading = get_object_or_404(
        ImportReading.objects.filter(org_scope(request.user)).defer("content"), pk=pk
    )
    if not can(request.user, Action.MANAGE_PLAN, reading.organization):
        raise PermissionDenied
    # A worker killed mid-OCR leaves it "running": past the time limit it is shown as failed.
    services.import_reading_expire(reading)
    if reading.status == ImportReading.Status.DONE and reading.draft_id is not None:
        review = reverse("import_review", args=[reading.draft_id])
        if request.htmx:
            return HttpResponseClientRedirect(review)
        return redirect(review)
    waited = (timezone.now() - reading.created_at).total_seconds()
    context = {
        "reading": reading,
        "slow": reading.status == ImportReading.Status.QUEUED and waited > SLOW_AFTER_SECONDS,
        "percent": round(100 * reading.pages_done / reading.pages_total)
        if reading.pages_total
        else 0,
    }
    if request.htmx:
        return render(request, "importer/_reading_status.html", context)
    return render(request, "importer/reading.html", context)


def _stored_for(user, pk: int) -> ImportDraft:
    stored = get_object_or_404(ImportDraft.objects.filter(org_scope(user)), pk=pk)
    if not can(user, Action.MANAGE_PLAN, stored.organization):
        raise PermissionDenied
    return stored


# The coverage bar is an SVG this many units wide; each kind's rectangle is its share.
_BAR_WIDTH = 1000


def _coverage_context(draft) -> dict:
    """The coverage card: one bar segment and legend entry per kind of text the document
    has, and the left-out blocks grouped by the part they stand in, the parts that should
    hold tasks first."""
    coverage = draft.coverage
    if coverage is None:
        return {"coverage": None}
    segments = []
    x = 0
    total = coverage.total or 1
    for kind in COVERAGE_KINDS:
        chars = coverage.chars.get(kind, 0)
        if not chars:
            continue
        width = round(_BAR_WIDTH * chars / total)
        segments.append(
            {
                "kind": kind,
                "label": COVERAGE_LABELS[kind],
                "share": coverage.share(kind),
                "x": x,
                "width": width,
            }
        )
        x += width
    groups: dict[tuple[bool, str], list] = {}
    for block in coverage.left_out:
        groups.setdefault((block.task_part, block.part), []).append(block)
    ordered = sorted(groups.items(), key=lambda item: not item[0][0])
    return {
        "coverage": coverage,
        "coverage_segments": segments,
        "coverage_bar_width": _BAR_WIDTH,
        "left_out_groups": [
            {"task_part": task_part, "part": part, "blocks": blocks}
            for (task_part, part), blocks in ordered
        ],
        "left_out_in_tasks": sum(1 for block in coverage.left_out if block.task_part),
        "added_rows": set(coverage.added),
        "few_tasks_message": few_tasks_message(coverage) if coverage.few_tasks else "",
    }


def _review_context(stored, draft, ward, error="", *, form=None):
    coverage = draft.coverage
    return {
        **_coverage_context(draft),
        # The few-tasks warning is shown on its own at the top.
        "warnings": [w for w in draft.warnings if w != few_tasks_message(coverage)]
        if coverage and coverage.few_tasks
        else draft.warnings,
        "stored": stored,
        "draft": draft,
        "ward": ward,
        "unknown": services.resolve_draft_units(draft, ward),
        "units": ward.units.filter(is_active=True),
        "preview": services.preview_changes(ward, draft),
        "other_issuer": services.other_issuer(draft, ward),
        "number_label": numbering.number_label(draft.plan.number),
        "cycles": ReportingCycle.choices,
        "error": error,
        "confirm_other_issuer": bool(form and form.cleaned_data.get("confirm_other_issuer")),
        "indicators": indicator_rows(draft, form.data if form else None),
        "years": milestone_years(draft),
        "comparators": Indicator.Comparator.choices,
        "uppers": services.draft_upper_choices(draft, ward),
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
    if stored.amends_id is not None:
        return _amendment_review(request, stored)
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
    if valid and form.cleaned_data.get("add_block"):
        return _add_block(request, stored, draft, ward, form)
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
            _review_context(stored, draft, ward, str(exc), form=form),
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


def _add_block(request, stored, draft, ward, form):
    """A left-out block added as a task, with the page's other corrections kept; the page
    comes back at the new task for its lead unit and deadline."""
    source = form.cleaned_data["add_block"]
    try:
        task = services.import_draft_add_block(
            actor=request.user, stored_pk=stored.pk, edits=form.edits(), source=source
        )
    except services.DraftNotReady as exc:
        return render(
            request,
            "importer/review.html",
            _review_context(stored, draft, ward, str(exc), form=form),
            status=400,
        )
    if task is None:
        messages.info(request, _("This draft has already been closed."))
        return redirect("import_upload")
    messages.success(
        request,
        _(
            "The text of %(where)s was added as task %(code)s. Complete its lead unit and "
            "deadline, then save the plan."
        )
        % {"where": where(source), "code": task.code},
    )
    return redirect(f"{reverse('import_review', args=[stored.pk])}#added-task")


def _amendment_page(request, stored, form, *, error: str = "", status: int = 200):
    withdraw = bool(form.is_bound and form.is_valid() and form.cleaned_data["withdraw_missing"])
    changes = services.amendment_changes(stored, withdraw_missing=withdraw)
    return render(
        request,
        "importer/amend_review.html",
        {
            "stored": stored,
            "plan": stored.amends,
            "form": form,
            "changes": amendments.for_display(changes),
            "counts": amendments.counts(changes),
            "error": error,
        },
        status=status,
    )


def _amendment_review(request, stored):
    """An amending document: its change list against the plan, then saved as a version."""
    if request.method != "POST":
        draft = draft_from_data(stored.data)
        form = AmendmentImportForm(
            initial={
                "number": draft.plan.number,
                "issued_on": draft.plan.issued_on,
                "note": draft.plan.title,
            }
        )
        return _amendment_page(request, stored, form)
    form = AmendmentImportForm(request.POST)
    valid = form.is_valid()
    if valid and form.cleaned_data["action"] == "discard":
        services.import_draft_close(actor=request.user, stored=stored, status="discarded")
        messages.success(request, _("The draft has been discarded; nothing was saved."))
        return redirect("import_upload")
    if not valid:
        return _amendment_page(request, stored, form, error=first_error(form), status=400)
    if form.cleaned_data["action"] != "save":
        return _amendment_page(request, stored, form)
    try:
        amendment = services.import_amendment_save(
            actor=request.user,
            stored_pk=stored.pk,
            number=form.cleaned_data["number"],
            issued_on=form.cleaned_data["issued_on"],
            note=form.cleaned_data["note"],
            withdraw_missing=form.cleaned_data["withdraw_missing"],
        )
    except (
        plan_services.AmendmentError,
        plan_services.StaleEdit,
        services.DraftNotReady,
    ) as exc:
        return _amendment_page(request, stored, form, error=str(exc), status=400)
    if amendment is None:
        messages.info(request, _("This draft has already been closed."))
        return redirect("import_upload")
    messages.success(
        request,
        _("Amendment %(number)s is recorded as version %(version)s of the plan.")
        % {"number": amendment.number, "version": amendment.version},
    )
    return redirect("plan_version", pk=amendment.plan_id, version=amendment.version)
