"""Writes of the self-assessment toolkit (issue 8). Every write checks the role through
``core.access`` and records the audit event in the same transaction.

Messages to people go through gettext. What is stored for everyone of the ward to read later
(audit summaries, a campaign's default name, the improvement tasks' titles, notes and deadline
words) is Vietnamese on purpose: it is written once, in the ward's language, whatever the
language of the page of the person who wrote it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from theodoi.assessment import framework as frameworks
from theodoi.assessment import scoring, sources
from theodoi.assessment.models import Answer, Campaign, Framework, Submission
from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record, snapshot
from theodoi.core.access import Action, Actor, person_of, require
from theodoi.core.clock import today
from theodoi.org.models import Organization, Unit, User
from theodoi.plans.models import Plan, Task
from theodoi.plans.services import task_create
from theodoi.reporting.models import Evidence
from theodoi.reporting.services import ReportingError, evidence_upload


class AssessmentError(ValueError):
    """A write refused, with a message in the person's language that says what to do.
    ``problems`` maps a criterion code to what is wrong with its answer, when the form has
    several mistakes."""

    def __init__(self, message: str, problems: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = dict(problems or {})


class StaleSubmission(AssessmentError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else has just updated this self-assessment form. The page now shows "
                "the latest version; check it, then save your part again."
            )
        )


DEFAULT_FRAMEWORK = "ward-dx.yaml"


def default_framework() -> frameworks.Framework:
    """The framework shipped with theodoi for a ward's agencies (frameworks/ward-dx.yaml)."""
    text = resources.files("theodoi.assessment").joinpath("frameworks", DEFAULT_FRAMEWORK)
    return frameworks.load_yaml(text.read_text(encoding="utf-8"))


# --- Frameworks -------------------------------------------------------------------------------


@transaction.atomic
def framework_save(
    *,
    actor: Actor,
    ward: Organization,
    definition: frameworks.Framework,
    source_name: str = "",
) -> tuple[Framework, bool]:
    """Store a framework for the ward. A framework is never changed once stored (campaigns
    pin it): when the same code, year and version exists with other content, this one becomes
    the next version; the same content again is the stored row. Returns (row, created)."""
    require(actor, Action.MANAGE_PLAN, ward)
    data = frameworks.to_dict(definition)
    same = Framework.objects.filter(organization=ward, code=definition.code, year=definition.year)
    content = {key: value for key, value in data.items() if key != "version"}
    for row in same:
        # An edited file keeps the version it was exported with; the same content stored under
        # another version number is still the same framework.
        if {key: value for key, value in row.definition.items() if key != "version"} == content:
            return row, False
    version = definition.version
    if same.filter(version=version).exists():
        version = (same.aggregate(top=Max("version"))["top"] or 0) + 1
        data["version"] = version
    try:
        with transaction.atomic():  # a savepoint: the refusal below leaves the caller's usable
            row = Framework.objects.create(
                organization=ward,
                code=definition.code,
                year=definition.year,
                version=version,
                name=definition.name[:300],
                definition=data,
                source_name=source_name[:255],
                created_by=person_of(actor),
            )
    except IntegrityError as exc:
        # Two imports of one framework at the same moment (a double click): the other one won.
        raise AssessmentError(
            _(
                "This framework was just imported at the same moment in another session. "
                "Reload the page to see it."
            )
        ) from exc
    audit_record(
        actor=actor,
        action=AuditAction.ASSESSMENT_FRAMEWORK_IMPORT,
        obj=row,
        organization=ward,
        summary=f"{row} ← {source_name}" if source_name else str(row),
        after={"code": row.code, "year": row.year, "version": row.version},
    )
    return row, True


def framework_adopt_default(*, actor: Actor, ward: Organization, year: int) -> Framework:
    """The shipped framework, set to ``year``, stored for the ward so it can start at once."""
    definition = replace(default_framework(), year=year)
    row, _created = framework_save(
        actor=actor, ward=ward, definition=definition, source_name=DEFAULT_FRAMEWORK
    )
    return row


# --- Campaigns --------------------------------------------------------------------------------


@transaction.atomic
def campaign_open(
    *,
    actor: User,
    framework: Framework,
    units: Iterable[Unit],
    name: str = "",
    year: int | None = None,
    deadline: datetime.date | None = None,
    weak_percent: int = 50,
) -> Campaign:
    ward = framework.organization
    require(actor, Action.MANAGE_PLAN, ward)
    chosen = list(units)
    if not chosen:
        raise AssessmentError(_("Choose at least one unit to take part in the self-assessment."))
    if any(unit.organization_id != ward.pk for unit in chosen):
        raise AssessmentError(_("Only units of your own ward or commune can be chosen."))
    if not 0 <= weak_percent <= 100:
        raise AssessmentError(_("The “weak criterion” threshold must be from 0 to 100%."))
    year = year or framework.year
    # Vietnamese on purpose: the default name is stored (see the module's docstring).
    campaign = Campaign.objects.create(
        organization=ward,
        framework=framework,
        name=(name.strip() or f"Tự đánh giá mức độ chuyển đổi số năm {year}")[:300],
        year=year,
        deadline=deadline,
        weak_percent=weak_percent,
        opened_by=actor,
    )
    Submission.objects.bulk_create(Submission(campaign=campaign, unit=unit) for unit in chosen)
    audit_record(
        actor=actor,
        action=AuditAction.ASSESSMENT_CAMPAIGN_OPEN,
        obj=campaign,
        organization=ward,
        summary=f"{campaign.name}: {len(chosen)} đơn vị",
        after=snapshot(campaign) | {"units": [u.pk for u in chosen]},
    )
    facts = sources.facts_by_unit(actor, ward, year=year, today=today())
    for submission in campaign.submissions.select_related("unit"):
        _fill_sources(actor, submission, facts)
    return campaign


@transaction.atomic
def campaign_close(*, actor: User, campaign: Campaign) -> Campaign:
    require(actor, Action.MANAGE_PLAN, campaign.organization)
    if campaign.status == Campaign.Status.CLOSED:
        raise AssessmentError(_("This self-assessment round is already closed."))
    campaign.status = Campaign.Status.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        action=AuditAction.ASSESSMENT_CAMPAIGN_CLOSE,
        obj=campaign,
        organization=campaign.organization,
        summary=campaign.name,
    )
    return campaign


# --- Answers ----------------------------------------------------------------------------------


def _fill_sources(actor: User, submission: Submission, facts: Mapping[int, Any]) -> list[str]:
    """Answer the criteria the tracking data can answer; returns their codes."""
    definition = submission.campaign.framework.parsed
    filled = []
    for criterion in definition.leaves():
        if not criterion.source:
            continue
        result = sources.fill(criterion.source, facts.get(submission.unit_id))
        value = None if result.value is None else str(result.value)
        Answer.objects.update_or_create(
            submission=submission,
            code=criterion.code,
            defaults={
                "value": value,
                "not_applicable": value is None,
                "source": criterion.source,
                "source_detail": result.detail[:300],
                "updated_by": actor,
            },
        )
        filled.append(criterion.code)
    return filled


def _editable(submission: Submission) -> None:
    if submission.campaign.status != Campaign.Status.OPEN:
        raise AssessmentError(
            _("The self-assessment round is closed; the answers can no longer be changed.")
        )
    if submission.status not in (Submission.Status.DRAFT, Submission.Status.RETURNED):
        raise AssessmentError(
            _(
                "The form has been sent to the standing office; it can be changed only when "
                "the office returns it for completion."
            )
        )


def _lock(submission: Submission, expected_version: int | None) -> Submission:
    locked = Submission.objects.select_for_update(no_key=True).get(pk=submission.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleSubmission
    return locked


def _bump(submission: Submission, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.version += 1
    submission.save(update_fields=[*fields, "version"])


@transaction.atomic
def answers_save(
    *,
    actor: User,
    submission: Submission,
    answers: Mapping[str, scoring.Answer],
    expected_version: int | None = None,
) -> Submission:
    """Save a unit's answers. Every answer is checked against its rule first: with any mistake
    nothing is saved and ``AssessmentError.problems`` says what is wrong where. Criteria filled
    in from the tracking data are not the unit's to change."""
    require(actor, Action.ASSESS, submission)
    submission = _lock(submission, expected_version)
    _editable(submission)
    definition = submission.campaign.framework.parsed
    stored = {a.code: a for a in submission.answers.all()}
    problems: dict[str, str] = {}
    changes: list[tuple[str, scoring.Answer]] = []
    for code, answer in answers.items():
        criterion = definition.get(code)
        if criterion is None or not criterion.is_leaf:
            problems[code] = _("This criterion code is not in the framework of this round.")
            continue
        if code in stored and stored[code].source:
            continue  # computed from the tracking data
        if not answer.is_empty:
            status, _points, message = scoring.score_leaf(criterion, answer)
            if status == scoring.INVALID:
                problems[code] = message
                continue
        changes.append((code, answer))
    if problems:
        raise AssessmentError(_("Some answers are not right; correct the marked fields."), problems)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for code, answer in changes:
        old = stored.get(code)
        old_shape = (old.value, old.not_applicable, old.note) if old else (None, False, "")
        new_shape = (answer.value, answer.not_applicable, answer.note)
        if old_shape == new_shape:
            continue
        Answer.objects.update_or_create(
            submission=submission,
            code=code,
            defaults={
                "value": answer.value,
                "not_applicable": answer.not_applicable,
                "note": answer.note[:2000],
                "updated_by": actor,
            },
        )
        before[code] = _shape(*old_shape)
        after[code] = _shape(*new_shape)
    if after:
        _bump(submission)
        audit_record(
            actor=actor,
            action=AuditAction.ASSESSMENT_ANSWERS_SAVE,
            obj=submission,
            organization=submission.campaign.organization,
            summary=f"{submission.unit.name}: {len(after)} câu trả lời",
            before=before,
            after=after,
        )
    return submission


def _shape(value: Any, not_applicable: bool, note: str) -> dict[str, Any]:
    return {"value": value, "not_applicable": not_applicable, "note": note}


@transaction.atomic
def sources_refresh(
    *, actor: User, submission: Submission, expected_version: int | None = None
) -> Submission:
    """Recompute the answers taken from the tracking data (they change as tasks are done)."""
    require(actor, Action.ASSESS, submission)
    submission = _lock(submission, expected_version)
    _editable(submission)
    campaign = submission.campaign
    facts = sources.facts_by_unit(actor, campaign.organization, year=campaign.year, today=today())
    before = _sourced(submission)
    _fill_sources(actor, submission, facts)
    after = _sourced(submission)
    if after != before:
        _bump(submission)
        audit_record(
            actor=actor,
            action=AuditAction.ASSESSMENT_SOURCES_REFRESH,
            obj=submission,
            organization=campaign.organization,
            summary=f"{submission.unit.name}: {len(after)} câu trả lời từ dữ liệu theo dõi",
            before=before,
            after=after,
        )
    return submission


def _sourced(submission: Submission) -> dict[str, Any]:
    rows = submission.answers.exclude(source="").order_by("code")
    return {a.code: _shape(a.value, a.not_applicable, a.source_detail) for a in rows}


@transaction.atomic
def submission_submit(
    *, actor: User, submission: Submission, expected_version: int | None = None
) -> Submission:
    """Send the answers to the standing office; every criterion must be answered (or, where
    allowed, marked not applicable)."""
    submission = sources_refresh(
        actor=actor, submission=submission, expected_version=expected_version
    )
    result = submission_result(submission)
    if result.unanswered:
        raise AssessmentError(
            ngettext(
                "%(count)d criterion is not answered yet: %(codes)s. Answer it (or choose "
                "“not applicable” where allowed), then send again.",
                "%(count)d criteria are not answered yet: %(codes)s. Answer them (or choose "
                "“not applicable” where allowed), then send again.",
                len(result.unanswered),
            )
            % {"count": len(result.unanswered), "codes": ", ".join(result.unanswered)}
        )
    _bump(
        submission,
        status=Submission.Status.SUBMITTED,
        submitted_by=actor,
        submitted_at=timezone.now(),
        return_reason="",
    )
    audit_record(
        actor=actor,
        action=AuditAction.ASSESSMENT_SUBMIT,
        obj=submission,
        organization=submission.campaign.organization,
        summary=f"{submission.unit.name}: {_points(result)}",
    )
    return submission


# Vietnamese on purpose: the points go into the audit summary, stored in the ward's language.
def _points(result: scoring.Result) -> str:
    return f"{scoring._round(result.points)}/{scoring._round(result.max_points)} điểm"


# The audit action of each decision the office takes on a submission.
_DECISION_ACTIONS = {
    Submission.Status.ACCEPTED: AuditAction.ASSESSMENT_ACCEPTED,
    Submission.Status.RETURNED: AuditAction.ASSESSMENT_RETURNED,
}


@transaction.atomic
def submission_decide(
    *,
    actor: User,
    submission: Submission,
    accept: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> Submission:
    """The standing office accepts the answers or returns them with what to complete."""
    require(actor, Action.REVIEW, submission)
    submission = _lock(submission, expected_version)
    if submission.campaign.status != Campaign.Status.OPEN:
        raise AssessmentError(
            _("The self-assessment round is closed; forms can no longer be accepted or returned.")
        )
    if submission.status != Submission.Status.SUBMITTED:
        raise AssessmentError(_("Only a form the unit has sent can be accepted or returned."))
    reason = reason.strip()
    if not accept and not reason:
        raise AssessmentError(
            _("Give the reason for returning it, so the unit knows what to complete.")
        )
    status = Submission.Status.ACCEPTED if accept else Submission.Status.RETURNED
    _bump(
        submission,
        status=status,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        return_reason="" if accept else reason,
    )
    audit_record(
        actor=actor,
        action=_DECISION_ACTIONS[status],
        obj=submission,
        organization=submission.campaign.organization,
        summary=f"{submission.unit.name}" + (f": {reason}" if reason else ""),
    )
    return submission


@transaction.atomic
def answer_adjust(
    *,
    actor: User,
    submission: Submission,
    code: str,
    answer: scoring.Answer,
    reason: str,
    expected_version: int | None = None,
) -> Answer:
    """The standing office corrects an answer (never the score: the score follows from the
    corrected answer). The unit's own answer stays beside it; a reason is required."""
    require(actor, Action.REVIEW, submission)
    submission = _lock(submission, expected_version)
    if submission.campaign.status != Campaign.Status.OPEN:
        raise AssessmentError(
            _("The self-assessment round is closed; answers can no longer be adjusted.")
        )
    criterion = submission.campaign.framework.parsed.get(code)
    if criterion is None or not criterion.is_leaf:
        raise AssessmentError(_("This criterion code is not in the framework of this round."))
    reason = reason.strip()
    if not reason:
        raise AssessmentError(_("Give the reason for the adjustment; the unit will see it."))
    status, _points_, message = scoring.score_leaf(criterion, answer)
    if status in (scoring.INVALID, scoring.UNANSWERED):
        raise AssessmentError(message, {code: message})
    row, _created = Answer.objects.get_or_create(submission=submission, code=code)
    before = snapshot(row, ["adjusted", "adjusted_value", "adjusted_not_applicable"])
    row.adjusted = True
    row.adjusted_value = answer.value
    row.adjusted_not_applicable = answer.not_applicable
    row.adjust_reason = reason[:2000]
    row.adjusted_by = actor
    row.adjusted_at = timezone.now()
    row.save()
    _bump(submission)
    audit_record(
        actor=actor,
        action=AuditAction.ASSESSMENT_ADJUST,
        obj=row,
        organization=submission.campaign.organization,
        summary=f"{submission.unit.name} · {code}: {reason}"[:300],
        before=before,
        after=snapshot(row, ["adjusted", "adjusted_value", "adjusted_not_applicable"]),
    )
    return row


# --- Scores and improvement tasks -------------------------------------------------------------


def effective_answers(answers: Iterable[Answer]) -> dict[str, scoring.Answer]:
    """The answers that count: the office's adjustment where there is one."""
    result = {}
    for row in answers:
        if row.adjusted:
            result[row.code] = scoring.Answer(
                value=row.adjusted_value, not_applicable=row.adjusted_not_applicable
            )
        else:
            result[row.code] = scoring.Answer(
                value=row.value, not_applicable=row.not_applicable, note=row.note
            )
    return result


def submission_result(submission: Submission) -> scoring.Result:
    return scoring.score(
        submission.campaign.framework.parsed, effective_answers(submission.answers.all())
    )


@dataclass(frozen=True)
class Improvement:
    submission: Submission
    code: str


@transaction.atomic
def improvement_tasks_create(
    *,
    actor: User,
    campaign: Campaign,
    plan: Plan,
    items: Iterable[Improvement],
    deadline_text: str = "",
) -> list[Task]:
    """One task per weak criterion of a unit ("Nâng cao …"), led by that unit, in ``plan``.
    The plan's own services check the role and write the audit trail."""
    if plan.organization_id != campaign.organization_id:
        raise AssessmentError(_("Choose a plan of your own ward or commune."))
    definition = campaign.framework.parsed
    # Vietnamese on purpose: the deadline parser reads Vietnamese words ("Năm 2027").
    deadline_text = deadline_text.strip() or f"Năm {campaign.year + 1}"
    created = []
    for item in items:
        criterion = definition.get(item.code)
        if criterion is None or item.submission.campaign_id != campaign.pk:
            raise AssessmentError(
                _("The criterion or the unit does not belong to this assessment round.")
            )
        # Vietnamese on purpose: the task's title and note are stored in the ward's plan.
        title = f"Nâng cao kết quả tiêu chí {criterion.code} «{criterion.name}»"
        exists = plan.tasks.filter(title=title, lead_units=item.submission.unit).exists()
        if exists:
            continue  # asked twice: one task is enough
        created.append(
            task_create(
                actor=actor,
                plan=plan,
                title=title,
                output=criterion.evidence,
                lead_units=[item.submission.unit],
                deadline_text=deadline_text,
                note=f"Tạo từ kết quả {campaign.name}.",  # Vietnamese on purpose: stored
            )
        )
    return created


# --- Evidence ---------------------------------------------------------------------------------


def evidence_attach(
    *,
    actor: User,
    submission: Submission,
    code: str,
    name: str,
    data: bytes,
    description: str = "",
) -> Evidence:
    """An evidence file for one answer, through the tracking workflow's own upload (content
    check, size limit, SHA-256 storage, audit), so the office reviews it the same way."""
    require(actor, Action.ASSESS, submission)
    _editable(submission)
    criterion = submission.campaign.framework.parsed.get(code)
    if criterion is None or not criterion.is_leaf:
        raise AssessmentError(_("Choose the criterion that the evidence supports."))
    answer, _created = Answer.objects.get_or_create(
        submission=submission, code=code, defaults={"updated_by": actor}
    )
    # Not inside a transaction of ours: the upload scans the file before its own transaction, so
    # the audit record of an infected file is committed even though the upload is refused.
    return evidence_upload(
        actor=actor, name=name, data=data, linked_subject=answer, description=description
    )


@dataclass(frozen=True)
class EvidenceFile:
    """A file chosen on the answers form for one criterion."""

    code: str
    name: str
    data: bytes
    description: str = ""


@dataclass(frozen=True)
class Attachment:
    """What became of one chosen file: stored, or refused with the reason."""

    file: EvidenceFile
    evidence: Evidence | None
    problem: str = ""


def answers_save_with_evidence(
    *,
    actor: User,
    submission: Submission,
    answers: Mapping[str, scoring.Answer],
    files: Iterable[EvidenceFile],
    expected_version: int | None = None,
) -> tuple[Submission, list[Attachment]]:
    """Save the answers typed on the form, then attach the files chosen on it. Attaching a file
    is one button of the answers form, so what was typed beside it is saved first and never
    thrown away by the attach. Answers that are not right refuse the whole (nothing is saved,
    no file is stored: ``AssessmentError``); a file refused by its checks (content, size, virus
    scan) leaves the saved answers and the other files in place and says why."""
    submission = answers_save(
        actor=actor, submission=submission, answers=answers, expected_version=expected_version
    )
    outcomes = []
    for item in files:
        try:
            evidence = evidence_attach(
                actor=actor,
                submission=submission,
                code=item.code,
                name=item.name,
                data=item.data,
                description=item.description,
            )
        except (AssessmentError, ReportingError) as exc:
            outcomes.append(Attachment(item, None, str(exc)))
        else:
            outcomes.append(Attachment(item, evidence))
    return submission, outcomes
