"""Pages of the self-assessment toolkit (issue 8). Thin: selectors read, services write, the
pure modules parse and score."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.assessment import excel as framework_excel
from theodoi.assessment import exports, forms, scoring, selectors, services
from theodoi.assessment import framework as frameworks
from theodoi.assessment.models import Campaign, Submission
from theodoi.core.access import Action, can, limited_to_own_unit, require
from theodoi.core.clock import today
from theodoi.core.forms import error_messages, first_error, typed
from theodoi.org.models import Unit
from theodoi.plans.models import Plan
from theodoi.plans.selectors import plans_for_user
from theodoi.reporting import services as reporting_services
from theodoi.reporting.models import Evidence

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_FRAMEWORK_BYTES = 5 * 1024 * 1024


def _ward(user):
    ward = user.organization
    return ward if ward is not None and ward.is_local else None


def _ward_to_manage(user):
    """The person's own ward, when they run its self-assessment (the standing office)."""
    ward = _ward(user)
    if ward is None:
        raise PermissionDenied
    require(user, Action.MANAGE_PLAN, ward)
    return ward


def _percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.quantize(Decimal('0.1'))}".replace(".", ",")


@login_required
def home(request):
    """Campaigns, the unit's own forms, and for the standing office the frameworks."""
    user = request.user
    ward = _ward(user)
    manage = ward is not None and can(user, Action.MANAGE_PLAN, ward)
    submissions = list(selectors.submissions_for_user(user).order_by("-campaign__year"))
    return render(
        request,
        "assessment/home.html",
        {
            "campaigns": selectors.campaigns_with_progress(user),
            "own": submissions if limited_to_own_unit(user) else [],
            "frameworks": list(selectors.frameworks_for_user(user)) if manage else [],
            "can_manage": manage,
            "year": today().year,
        },
    )


# --- Frameworks -------------------------------------------------------------------------------


@login_required
def framework_detail(request, pk: int):
    row = selectors.framework_get_for_user(request.user, pk)
    return render(
        request,
        "assessment/framework.html",
        {
            "row": row,
            "framework": row.parsed,
            # The code matters only to whoever imports and exports frameworks.
            "can_manage": can(request.user, Action.MANAGE_PLAN, row.organization),
            "rule_labels": frameworks.RULE_LABELS,
            "sources": frameworks.SOURCES,
        },
    )


@login_required
def framework_export(request, pk: int, fmt: str):
    row = selectors.framework_get_for_user(request.user, pk)
    name = f"{row.code}-{row.year}-v{row.version}"
    if fmt == "yaml":
        response = HttpResponse(
            frameworks.dump_yaml(row.parsed), content_type="application/yaml; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.yaml"'
    elif fmt == "xlsx":
        response = HttpResponse(framework_excel.framework_to_xlsx(row.parsed), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        raise Http404
    return response


def _framework_from_upload(upload) -> frameworks.Framework:
    if upload is None:
        raise frameworks.FrameworkError([_("Choose a framework file (YAML or Excel).")])
    if upload.size > MAX_FRAMEWORK_BYTES:
        raise frameworks.FrameworkError(
            [_("The file is larger than 5 MB; a framework is much smaller.")]
        )
    data = upload.read()
    # Decided by content, not by name: an Excel workbook is a ZIP file.
    if data[:2] == b"PK":
        return framework_excel.framework_from_xlsx(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise frameworks.FrameworkError(
            [_("The file is neither an Excel workbook nor a YAML text file (UTF-8).")]
        ) from exc
    return frameworks.load_yaml(text)


@login_required
@require_POST
def framework_import(request):
    user = request.user
    ward = _ward_to_manage(user)
    form = forms.FileForm(request.POST, request.FILES)
    upload = form.cleaned_data["file"] if form.is_valid() else None
    try:
        definition = _framework_from_upload(upload)
    except frameworks.FrameworkError as exc:
        for problem in exc.problems[:20]:
            messages.error(request, problem)
        if len(exc.problems) > 20:
            messages.error(request, _("… and %(n)d more problems.") % {"n": len(exc.problems) - 20})
        return redirect("assessment_home")
    try:
        row, created = services.framework_save(
            actor=user, ward=ward, definition=definition, source_name=upload.name
        )
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessment_home")
    if not created:
        messages.info(request, _("This framework is already stored; nothing changed."))
    elif row.version != definition.version:
        messages.success(
            request,
            _(
                "Imported as version %(v)d: a different version %(old)d of this year already exists "
                "and campaigns may use it, so it was kept."
            )
            % {"v": row.version, "old": definition.version},
        )
    else:
        messages.success(request, _("Framework imported."))
    return redirect("assessment_framework", pk=row.pk)


@login_required
@require_POST
def framework_default(request):
    user = request.user
    ward = _ward_to_manage(user)
    form = forms.YearForm(request.POST)
    year = (form.cleaned_data["year"] if form.is_valid() else None) or today().year
    row = services.framework_adopt_default(actor=user, ward=ward, year=year)
    messages.success(
        request,
        _(
            "The default framework is ready for %(year)d; you can edit it by "
            "exporting, changing and importing it."
        )
        % {"year": year},
    )
    return redirect("assessment_framework", pk=row.pk)


# --- Campaigns --------------------------------------------------------------------------------


@login_required
def campaign_new(request):
    user = request.user
    ward = _ward_to_manage(user)
    available = list(selectors.frameworks_for_user(user).filter(organization=ward))
    units = list(Unit.objects.filter(organization=ward, is_active=True).order_by("order", "name"))
    form: dict[str, Any] = {
        "framework": available[0].pk if available else None,
        "name": "",
        "year": today().year,
        "deadline": "",
        "weak_percent": 50,
        "units": {u.pk for u in units},
    }
    if request.method == "POST":
        posted = forms.CampaignForm(request.POST)
        posted.is_valid()
        data = posted.cleaned_data
        form.update(
            framework=data.get("framework"),
            name=data.get("name", typed(posted, "name", limit=200)),
            deadline=typed(posted, "deadline", limit=40),
            units=set(data.get("units", [])),
        )
        errors = []
        chosen = next((f for f in available if f.pk == form["framework"]), None)
        if chosen is None:
            errors.append(_("Choose a framework."))
        if "year" in data:
            form["year"] = data["year"]
        if "weak_percent" in data:
            form["weak_percent"] = data["weak_percent"]
        errors += error_messages(posted)
        deadline = data.get("deadline")
        if not errors and chosen is not None:
            try:
                campaign = services.campaign_open(
                    actor=user,
                    framework=chosen,
                    units=[u for u in units if u.pk in form["units"]],
                    name=form["name"],
                    year=form["year"],
                    deadline=deadline,
                    weak_percent=form["weak_percent"],
                )
            except services.AssessmentError as exc:
                errors.append(str(exc))
            else:
                messages.success(request, _("The assessment is open; the units can answer now."))
                return redirect("assessment_campaign", pk=campaign.pk)
        for error in errors:
            messages.error(request, error)
    return render(
        request,
        "assessment/campaign_new.html",
        {"frameworks": available, "units": units, "form": form},
    )


@login_required
def campaign_detail(request, pk: int):
    user = request.user
    campaign = selectors.campaign_get_for_user(user, pk)
    results = selectors.campaign_results(campaign)
    rows = results.units
    if limited_to_own_unit(user):
        rows = tuple(u for u in rows if u.submission.unit_id == user.unit_id)
    return render(
        request,
        "assessment/campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "can_manage": can(user, Action.MANAGE_PLAN, campaign.organization),
            "own_only": limited_to_own_unit(user),
        },
    )


@login_required
@require_POST
def campaign_close(request, pk: int):
    campaign = selectors.campaign_get_for_user(request.user, pk, action=Action.MANAGE_PLAN)
    services.campaign_close(actor=request.user, campaign=campaign)
    messages.success(request, _("The assessment is closed; answers can no longer change."))
    return redirect("assessment_campaign", pk=campaign.pk)


@login_required
def campaign_results(request, pk: int):
    user = request.user
    campaign = selectors.campaign_get_for_user(user, pk)
    results = selectors.campaign_results(campaign)
    own_only = limited_to_own_unit(user)
    units = [u for u in results.units if not own_only or u.submission.unit_id == user.unit_id]
    groups = campaign.framework.parsed.groups
    charts = []
    for index, unit in enumerate(units):
        series = [
            {
                "label": str(campaign.year),
                "values": [float(g.percent or 0) for g in unit.result.groups],
            }
        ]
        # Last year's shape beside this year's, when the framework's groups are the same.
        if unit.previous is not None and [g.code for g in unit.previous.groups] == [
            g.code for g in groups
        ]:
            series.append(
                {
                    "label": str(campaign.year - 1),
                    "values": [float(g.percent or 0) for g in unit.previous.groups],
                }
            )
        charts.append(
            {
                "unit": unit,
                "id": f"radar-{index}",
                "data": {"kind": "radar", "labels": [g.name for g in groups], "series": series},
                "groups": [(g, _percent(g.percent)) for g in unit.result.groups],
            }
        )
    manage = can(user, Action.MANAGE_PLAN, campaign.organization)
    plans = list(plans_for_user(user).filter(organization=campaign.organization)) if manage else []
    return render(
        request,
        "assessment/results.html",
        {
            "campaign": campaign,
            "results": results,
            "units": units,
            "charts": charts,
            "own_only": own_only,
            "weakest": [] if own_only else results.weakest,
            "groups": groups,
            "plans": [p for p in plans if p.status != Plan.Status.DRAFT] or plans,
            "can_manage": manage,
        },
    )


@login_required
def campaign_export(request, pk: int, fmt: str):
    user = request.user
    campaign = selectors.campaign_get_for_user(user, pk)
    if limited_to_own_unit(user):
        raise PermissionDenied  # the summaries show every unit
    results = selectors.campaign_results(campaign, weakest=20)
    name = f"tu-danh-gia-cds-{campaign.year}-{campaign.pk}"
    if fmt == "docx":
        response = HttpResponse(exports.results_docx(results), content_type=DOCX)
    elif fmt == "xlsx":
        response = HttpResponse(exports.results_xlsx(results), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_POST
def campaign_tasks(request, pk: int):
    """Improvement tasks for the weak criteria the office ticked on the results page."""
    user = request.user
    campaign = selectors.campaign_get_for_user(user, pk, action=Action.MANAGE_PLAN)
    form = forms.ImprovementForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("assessment_results", pk=campaign.pk)
    plan_id = form.cleaned_data["plan"]
    plan = (
        plans_for_user(user).filter(organization=campaign.organization, pk=plan_id).first()
        if plan_id is not None
        else None
    )
    if plan is None:
        messages.error(request, _("Choose the plan the new tasks go into."))
        return redirect("assessment_results", pk=campaign.pk)
    submissions = {s.pk: s for s in campaign.submissions.select_related("unit")}
    items = []
    for submission_pk, code in form.items():
        if submission_pk in submissions:
            items.append(services.Improvement(submissions[submission_pk], code))
    if not items:
        messages.error(request, _("Tick at least one weak criterion of a unit."))
        return redirect("assessment_results", pk=campaign.pk)
    try:
        created = services.improvement_tasks_create(
            actor=user,
            campaign=campaign,
            plan=plan,
            items=items,
            deadline_text=form.cleaned_data["deadline_text"],
        )
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessment_results", pk=campaign.pk)
    messages.success(
        request,
        _("%(n)d improvement tasks created in the plan «%(plan)s».")
        % {"n": len(created), "plan": plan},
    )
    return redirect("plan_detail", pk=plan.pk)


# --- A unit's answers -------------------------------------------------------------------------


def _rows(
    submission: Submission,
    result: scoring.Result,
    shown: dict[str, Any],
    problems,
    not_saved: dict[str, scoring.Answer] | None = None,
):
    """The form's groups and criteria with the answer, score and evidence of each, and what
    the person typed there that could not be saved (``not_saved``)."""
    answers = {a.code: a for a in submission.answers.all()}
    scores = result.by_code()
    groups = []
    for group, score in zip(
        submission.campaign.framework.parsed.groups, result.groups, strict=True
    ):
        items = []
        for criterion in group.criteria:
            for item, parent in [
                (criterion, None),
                *((sub, criterion) for sub in criterion.criteria),
            ]:
                answer = answers.get(item.code)
                value = shown.get(item.code, {}).get("value")
                if (
                    item.rule is not None
                    and item.rule.type == frameworks.YES_NO
                    and value is not None
                ):
                    yes = scoring.yes_no(value)
                    value = None if yes is None else ("yes" if yes else "no")
                items.append(
                    {
                        "criterion": item,
                        "parent": parent,
                        "answer": answer,
                        "score": scores.get(item.code),
                        "value": value,
                        "na": shown.get(item.code, {}).get("na", False),
                        "note": shown.get(item.code, {}).get("note", ""),
                        "problem": problems.get(item.code, ""),
                        "not_saved": (not_saved or {}).get(item.code),
                        "evidence": list(answer.evidence.all()) if answer else [],
                    }
                )
        groups.append({"group": group, "score": score, "items": items})
    return groups


def _shown(submission: Submission, posted: dict[str, scoring.Answer] | None):
    shown = {
        a.code: {"value": a.value, "na": a.not_applicable, "note": a.note}
        for a in submission.answers.all()
    }
    for code, answer in (posted or {}).items():
        shown[code] = {"value": answer.value, "na": answer.not_applicable, "note": answer.note}
    return shown


@login_required
def submission_detail(request, pk: int):
    user = request.user
    submission = selectors.submission_get_for_user(user, pk)
    campaign = submission.campaign
    definition = campaign.framework.parsed
    posted = None
    problems: dict[str, str] = {}
    refused = False
    not_saved: dict[str, scoring.Answer] = {}
    if request.method == "POST":
        form = forms.AnswersForm(request.POST, request.FILES, definition=definition)
        valid = form.is_valid()
        action = form.cleaned_data.get("action") or "save"
        attach = form.cleaned_data.get("attach", "")
        posted = form.answers() if valid else form.typed_answers()
        chosen = form.evidence_files() if valid else []
        try:
            if not valid:
                raise services.AssessmentError(first_error(form), form.problems())
            # Whatever button was pressed, what was typed is saved first, then the files chosen
            # beside the answers are attached.
            _submission, attached = services.answers_save_with_evidence(
                actor=user,
                submission=submission,
                answers=posted,
                files=[
                    services.EvidenceFile(code=code, name=upload.name, data=upload.read())
                    for code, upload in chosen
                ],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("Answers saved."))
            _attachment_messages(request, attached, asked=attach)
            if attach:
                # The attach button of one criterion: back to that criterion, answers kept.
                return redirect(
                    reverse("assessment_submission", args=[submission.pk]) + f"#c-{attach}"
                )
            if action == "refresh":
                services.sources_refresh(actor=user, submission=submission)
                messages.success(
                    request, _("The answers taken from the tracking data are up to date.")
                )
            elif action == "submit":
                services.submission_submit(actor=user, submission=submission)
                messages.success(request, _("Sent to the standing office for review."))
            return redirect("assessment_submission", pk=submission.pk)
        except services.StaleSubmission as exc:
            messages.error(request, str(exc))
            # The form shows what is stored now; what this person typed stays on the page
            # beside it, so it is not lost and can be typed in again where still wanted.
            not_saved = dict(posted)
            posted = None
            refused = True
        except services.AssessmentError as exc:
            messages.error(request, str(exc))
            problems = exc.problems
            refused = True
        if refused and form.files:
            messages.warning(
                request,
                _(
                    "Nothing was saved, so the evidence file was not attached either: correct "
                    "the answers, choose the file again, then attach it."
                ),
            )
        submission = selectors.submission_get_for_user(user, pk)
        not_saved = _differing(submission, not_saved)
    result = services.submission_result(submission)
    editable = (
        can(user, Action.ASSESS, submission)
        and campaign.status == Campaign.Status.OPEN
        and submission.status in (Submission.Status.DRAFT, Submission.Status.RETURNED)
    )
    return render(
        request,
        "assessment/submission.html",
        {
            "submission": submission,
            "campaign": campaign,
            "framework": definition,
            "groups": _rows(submission, result, _shown(submission, posted), problems, not_saved),
            "result": result,
            "percent": _percent(result.percent),
            "editable": editable,
            "can_review": can(user, Action.REVIEW, submission)
            and campaign.status == Campaign.Status.OPEN,
            "rule_labels": frameworks.RULE_LABELS,
            # What is shown was typed but not saved: leaving the page asks first.
            "unsaved": refused and (posted is not None or bool(not_saved)),
        },
        status=409 if refused and posted is None else 400 if refused else 200,
    )


def _differing(
    submission: Submission, typed: dict[str, scoring.Answer]
) -> dict[str, scoring.Answer]:
    """The typed answers that differ from the stored ones (the rest was not lost)."""
    stored = _shown(submission, None)
    result = {}
    for code, answer in typed.items():
        now = stored.get(code, {"value": None, "na": False, "note": ""})
        if (answer.value, answer.not_applicable, answer.note) != (
            now["value"],
            now["na"],
            now["note"],
        ):
            result[code] = answer
    return result


def _attachment_messages(request, attached: list[services.Attachment], *, asked: str) -> None:
    """Say which chosen files were attached and which were refused, and why."""
    for item in attached:
        if item.evidence is not None:
            messages.success(
                request,
                _("Evidence file attached: %(name)s (criterion %(code)s).")
                % {"name": item.evidence.original_name, "code": item.file.code},
            )
        else:
            messages.error(
                request,
                _(
                    "The answers are saved, but the file %(name)s was not attached to criterion "
                    "%(code)s: %(problem)s"
                )
                % {"name": item.file.name, "code": item.file.code, "problem": item.problem},
            )
    if asked and not any(item.file.code == asked for item in attached):
        messages.error(request, _("Choose an evidence file."))


@login_required
@require_POST
def submission_evidence(request, pk: int):
    """A file alone for one criterion. The answers page does not use it: its attach buttons
    send the file with the answers (``submission_detail``), so nothing typed is lost."""
    user = request.user
    submission = selectors.submission_get_for_user(user, pk)
    form = forms.FileForm(request.POST, request.FILES)
    valid = form.is_valid()
    upload = form.cleaned_data.get("file")
    code = form.cleaned_data.get("code", "")
    if not valid:
        messages.error(request, first_error(form))
    elif upload is None:
        messages.error(request, _("Choose an evidence file."))
    else:
        try:
            services.evidence_attach(
                actor=user,
                submission=submission,
                code=code,
                name=upload.name,
                data=upload.read(),
                description=form.cleaned_data["description"],
            )
        except (services.AssessmentError, reporting_services.ReportingError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Evidence file attached."))
    return redirect(reverse("assessment_submission", args=[submission.pk]) + f"#c-{code}")


@login_required
@require_POST
def submission_review(request, pk: int):
    """The standing office: accept or return the answers, adjust one answer with a reason, or
    decide on one evidence file."""
    user = request.user
    submission = selectors.submission_get_for_user(user, pk)
    require(user, Action.REVIEW, submission)
    form = forms.ReviewForm(request.POST)
    valid = form.is_valid()
    post = form.cleaned_data
    action = post.get("action", "")
    anchor = ""
    try:
        if not valid:
            raise services.AssessmentError(first_error(form))
        if action in ("accept", "return"):
            services.submission_decide(
                actor=user,
                submission=submission,
                accept=action == "accept",
                reason=post["reason"],
                expected_version=post["version"],
            )
            messages.success(
                request,
                _("Answers accepted.") if action == "accept" else _("Returned to the unit."),
            )
        elif action == "adjust":
            code = post["code"]
            anchor = f"#c-{code}"
            definition = submission.campaign.framework.parsed
            criterion = definition.get(code)
            if criterion is None:
                raise services.AssessmentError(_("Choose a criterion to adjust."))
            na = post["adjust_na"] and criterion.allow_not_applicable
            answer = scoring.Answer(value=post["adjust_value"] or None, not_applicable=na)
            services.answer_adjust(
                actor=user,
                submission=submission,
                code=code,
                answer=answer,
                reason=post["reason"],
                expected_version=post["version"],
            )
            messages.success(request, _("Answer adjusted; the score follows from it."))
        elif action in ("evidence-accept", "evidence-reject"):
            evidence = Evidence.objects.filter(
                pk=post["evidence"] or 0,
                answer_link__answer__submission=submission,
            ).first()
            if evidence is None:
                raise Http404
            anchor = f"#c-{evidence.answer_link.answer.code}"
            reporting_services.evidence_review(
                actor=user,
                evidence=evidence,
                decision=action.removeprefix("evidence-"),
                reason=post["reason"],
                expected_review_id=post["review_id"],
            )
            messages.success(request, _("Decision on the evidence file recorded."))
        else:
            messages.error(request, _("Unknown action."))
    except (services.AssessmentError, reporting_services.ReportingError) as exc:
        messages.error(request, str(exc))
    return redirect(reverse("assessment_submission", args=[submission.pk]) + anchor)
