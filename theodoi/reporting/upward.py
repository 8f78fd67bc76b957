"""The ward's periodic report to the level above: prepared and sent by the ward's standing
office, accepted or returned by the province. One write path: every step checks access in
``core.access`` and writes its audit record in the same transaction."""

import datetime
import hashlib
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext

from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record, snapshot
from theodoi.core import clock, storage
from theodoi.core.access import Action, Actor, person_of, require
from theodoi.plans.models import Plan
from theodoi.plans.periods import Period, label_vi_of
from theodoi.reporting.models import UpwardReport
from theodoi.reporting.services import ReportingError, StaleVersion

# Sent once a sending is committed (``report``): an installation whose province runs its own
# installation delivers it there (the API app listens; this app knows nothing of it).
upward_report_sent = Signal()

# The cycles a ward reports upward on: a plan that reports more often still sends a monthly
# report, one that reports less often a quarterly one.
UPWARD_CYCLES = ("monthly", "quarterly")

# The fields a step changes, recorded before and after it in the audit trail (the text and
# the payload can be long: the trail keeps their digests through the package's SHA-256).
_AUDITED = [
    "status",
    "version",
    "due_on",
    "sent_on",
    "return_reason",
    "package_sha256",
    "source",
    "remote_key",
]


def upward_cycle(plan: Plan) -> str:
    """The cycle of ``plan``'s periodic report: its own when monthly or quarterly, monthly for
    a plan that reports weekly, quarterly for one that reports half-yearly or yearly."""
    if plan.reporting_cycle in UPWARD_CYCLES:
        return plan.reporting_cycle
    return "monthly" if plan.reporting_cycle == "weekly" else "quarterly"


def upper_plan(plan: Plan) -> Plan | None:
    """The plan of the level above that ``plan`` implements (its first parent in the system)."""
    return plan.parents.exclude(organization=plan.organization).order_by("pk").first()


def upward_due_on(plan: Plan, period: Period) -> datetime.date:
    """The day the ward's report on ``plan`` for ``period`` is due: the days the upper plan
    sets after the period ends (the plan's own setting when it has no upper plan here)."""
    upper = upper_plan(plan)
    days = (upper or plan).upward_report_due_days
    return period.due(days)


def _require_prepare(actor: Actor, plan: Plan) -> None:
    require(actor, Action.COMPILE_REPORTS, plan)
    if not plan.organization.is_local:
        raise ReportingError(
            gettext("Only a ward's or commune's plan is reported upward; this is the province's.")
        )


def _lock(report: UpwardReport, version: int | None) -> None:
    """Lock the row and reload it; ``version`` (times sent, as the person saw it) must still
    hold, so an answer given to an older sending is refused instead of applied to a newer."""
    current = (
        UpwardReport.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk=report.pk)
        .values_list("version", flat=True)
        .first()
    )
    if current is None or (version is not None and version != current):
        raise StaleVersion
    report.refresh_from_db()


def _summary(report: UpwardReport, extra: str = "") -> str:
    text = f"{report.plan.short_name} {label_vi_of(report.period)}"
    return f"{text}: {extra}" if extra else text


@transaction.atomic
def upward_report_prepare(*, actor: Actor, plan: Plan, period: Period) -> UpwardReport:
    """The report of ``plan`` for ``period``, made (as a draft) the first time it is opened."""
    _require_prepare(actor, plan)
    if period.cycle not in UPWARD_CYCLES:
        raise ReportingError(gettext("A periodic report covers a month or a quarter."))
    report, created = UpwardReport.objects.get_or_create(
        plan=plan,
        period=str(period),
        defaults={"organization": plan.organization, "due_on": upward_due_on(plan, period)},
    )
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.UPWARD_REPORT_SAVE,
            obj=report,
            organization=report.organization,
            summary=_summary(report),
            after=snapshot(report, _AUDITED),
        )
    return report


@transaction.atomic
def upward_report_save(
    *, actor: Actor, report: UpwardReport, text: dict[str, Any], version: int | None = None
) -> UpwardReport:
    """Keep the office's edits of the report's prose; allowed until it is sent (and again
    once it is returned)."""
    require(actor, Action.COMPILE_REPORTS, report.plan)
    _lock(report, version)
    if report.status not in (UpwardReport.Status.DRAFT, UpwardReport.Status.RETURNED):
        raise ReportingError(
            gettext("The report has been sent: it can be changed again only if it is returned.")
        )
    report.text = text
    report.save(update_fields=["text", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPWARD_REPORT_SAVE,
        obj=report,
        organization=report.organization,
        summary=_summary(report),
    )
    return report


def store_package(data: bytes) -> tuple[str, str]:
    """Keep a report's package under its SHA-256 (never overwritten); its name and digest."""
    digest = hashlib.sha256(data).hexdigest()
    name = f"upward/{digest[:2]}/{digest}"
    storage.store(name, data, sha256=digest)
    return name, digest


@transaction.atomic
def upward_report_send(
    *,
    actor: Actor,
    report: UpwardReport,
    payload: dict[str, Any],
    package: bytes,
    version: int | None = None,
    sent_on: datetime.date | None = None,
) -> UpwardReport:
    """The office signs off and sends the report: ``payload`` is its JSON form (the API's
    versioned schema) and ``package`` the zip of the report and its accepted evidence.
    ``sent_on`` is the day of a sending recorded afterwards (never a day still to come)."""
    require(actor, Action.COMPILE_REPORTS, report.plan)
    if sent_on is not None and sent_on > clock.today():
        raise ReportingError(gettext("A report cannot be sent on a day still to come."))
    _lock(report, version)
    if report.status not in (UpwardReport.Status.DRAFT, UpwardReport.Status.RETURNED):
        raise ReportingError(
            gettext("The report has already been sent and is waiting for the answer.")
        )
    before = snapshot(report, _AUDITED)
    _mark_sent(
        report, actor, payload, package, version=report.version + 1, on=sent_on or clock.today()
    )
    report.save()
    _audit_sending(actor, report, AuditAction.UPWARD_REPORT_SEND, before)
    transaction.on_commit(lambda: upward_report_sent.send(sender=UpwardReport, report=report))
    return report


def _mark_sent(
    report: UpwardReport,
    actor: Actor,
    payload: dict[str, Any],
    package: bytes,
    *,
    version: int,
    on: datetime.date,
) -> None:
    """A new sending of ``report`` (not saved yet): its JSON form and stored package, and the
    answer to an earlier sending cleared."""
    report.package, report.package_sha256 = store_package(package)
    report.payload = payload
    report.status = UpwardReport.Status.SENT
    report.version = version
    report.sent_by = person_of(actor)
    report.sent_at = timezone.now()
    report.sent_on = on
    report.return_reason = ""
    report.answered_by = None
    report.answered_at = None


def _audit_sending(
    actor: Actor, report: UpwardReport, action: AuditAction, before: dict[str, Any] | None
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=report,
        organization=report.organization,
        summary=_summary(report, gettext("sending %(n)s") % {"n": report.version}),
        before=before,
        after=snapshot(report, _AUDITED),
    )


def _answer(
    actor: Actor, report: UpwardReport, status: str, reason: str, version: int | None
) -> UpwardReport:
    require(actor, Action.ANSWER_UPWARD, report)
    _lock(report, version)
    if report.status != UpwardReport.Status.SENT:
        raise ReportingError(
            gettext("Only a report that was sent and awaits an answer can be answered.")
        )
    before = snapshot(report, _AUDITED)
    report.status = status
    report.return_reason = reason
    report.answered_by = person_of(actor)
    report.answered_at = timezone.now()
    report.save()
    action = (
        AuditAction.UPWARD_REPORT_RETURNED
        if status == UpwardReport.Status.RETURNED
        else AuditAction.UPWARD_REPORT_ACCEPTED
    )
    audit_record(
        actor=actor,
        action=action,
        obj=report,
        organization=report.organization,
        summary=_summary(report, reason),
        before=before,
        after=snapshot(report, _AUDITED),
    )
    return report


@transaction.atomic
def upward_report_return(
    *, actor: Actor, report: UpwardReport, reason: str, version: int | None = None
) -> UpwardReport:
    """The province sends the report back to the ward with what to correct."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportingError(
            gettext("Write why the report is returned, so that the ward knows what to correct.")
        )
    return _answer(actor, report, UpwardReport.Status.RETURNED, reason, version)


@transaction.atomic
def upward_report_accept(
    *, actor: Actor, report: UpwardReport, version: int | None = None
) -> UpwardReport:
    return _answer(actor, report, UpwardReport.Status.ACCEPTED, "", version)


# --- Receiving a ward's report from the ward's own installation (over the API) ---------------

UPWARD_SCHEMA = "theodoi.upward-report/1"
# The codes the schema gives the report's own prose (outside the plan's numbered sections):
# names for machines, never printed as a section number.
UPWARD_PROSE_CODES = frozenset(
    ("intro", "summary", "indicators", "shortcomings", "next_steps", "proposals")
)


def placeholder_reference() -> str:
    """The "Căn cứ" line of the plan a report is filed under when the ward's plan lives only in
    the ward's installation: made on the first report, with the number and title the ward sent,
    closed so that it counts in no progress figure of the province (its tasks are tracked over
    there)."""
    return gettext("plan of the ward or commune (received over the API)")


class UpwardConflict(ReportingError):
    """A sending the report's state refuses (accepted already, or awaiting its answer)."""


def _received_plan(ward, number: str, title: str, issued_on: datetime.date | None) -> Plan:
    plan = Plan.objects.filter(organization=ward, number=number).order_by("pk").first()
    if plan is not None:
        return plan
    return Plan.objects.create(
        organization=ward,
        number=number,
        title=title or number,
        issuer=f"UBND {ward.name}",
        issued_on=issued_on,
        parent_references=placeholder_reference(),
        status=Plan.Status.CLOSED,
    )


def _date_or_none(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _received_period(payload: dict[str, Any]) -> Period:
    """The month ("2026-09") or quarter ("2026-Q3") the report covers."""
    key = str((payload.get("period") or {}).get("key") or "").strip().upper()
    year, _, rest = key.partition("-")
    quarter = rest.startswith("Q")
    number = rest[1:] if quarter else rest
    written = year.isdigit() and len(year) == 4 and number.isdigit() and len(number) <= 2
    cycle = "quarterly" if quarter else "monthly"
    period = Period(cycle, int(year) if written else 0, int(number) if written else 0)
    if not 1 <= period.number <= (4 if quarter else 12) or not 2000 <= period.year <= 2100:
        raise ReportingError(
            gettext("The period «%(key)s» is neither a month (2026-09) nor a quarter (2026-Q3).")
            % {"key": key}
        )
    return period


@transaction.atomic
def upward_report_receive(
    *, actor: Actor, payload: dict[str, Any], package: bytes, key: str
) -> tuple[UpwardReport, bool]:
    """A ward's installation delivers its report (``payload`` in the schema's shape, already
    checked field by field by the API) and the package; ``key`` is the sender's key of this
    sending (its report and version). Returns the report and whether this call changed it: the
    same key again changes nothing, so a delivery retried after a lost answer is harmless."""
    from django.core.exceptions import PermissionDenied

    ward = getattr(actor, "organization", None)
    if ward is None or (payload.get("ward") or {}).get("code") != ward.code:
        # The token names the ward: a report of another ward is not its to send.
        raise PermissionDenied
    require(actor, Action.COMPILE_REPORTS, ward)
    # One receipt at a time per ward: a retried delivery racing the first one waits for it
    # and then finds its key.
    type(ward).objects.select_for_update().filter(pk=ward.pk).first()
    province = ward.parent
    sent_province = (payload.get("province") or {}).get("code")
    if province is None or sent_province != province.code:
        raise ReportingError(
            gettext("The report names the province «%(code)s», not the one above this ward.")
            % {"code": sent_province}
        )
    if payload.get("schema") != UPWARD_SCHEMA:
        raise ReportingError(
            gettext("This installation reads reports in the schema %(schema)s only.")
            % {"schema": UPWARD_SCHEMA}
        )
    period = _received_period(payload)
    if hashlib.sha256(package).hexdigest() != payload.get("package_sha256"):
        raise ReportingError(
            gettext(
                "The package does not match its SHA-256 in the report: it was damaged on the "
                "way. Send it again."
            )
        )
    plan_data = payload.get("plan") or {}
    number = str(plan_data.get("number") or "").strip()
    if not number:
        raise ReportingError(gettext("The report does not say the number of its plan."))
    plan = _received_plan(
        ward, number, str(plan_data.get("title") or ""), _date_or_none(plan_data.get("issued_on"))
    )
    report = (
        UpwardReport.objects.select_for_update(of=("self",))
        .filter(plan=plan, period=str(period))
        .first()
    )
    if report is not None and report.remote_key == key:
        return report, False
    if report is not None and report.status == UpwardReport.Status.ACCEPTED:
        raise UpwardConflict(
            gettext("This report has already been accepted by the province; it cannot be replaced.")
        )
    if report is not None and report.status == UpwardReport.Status.SENT:
        raise UpwardConflict(
            gettext(
                "An earlier sending of this report is still awaiting the province's answer; "
                "send a new version only after it is returned."
            )
        )
    if report is None:
        report = UpwardReport(
            organization=ward,
            plan=plan,
            period=str(period),
            due_on=_date_or_none(payload.get("due_on")) or upward_due_on(plan, period),
        )
    before = snapshot(report, _AUDITED) if report.pk else None
    sent_version = payload.get("version")
    # The ward's count of its sendings when it is ahead (this installation missed none of
    # them otherwise), so both installations speak of the same version.
    _mark_sent(
        report,
        actor,
        payload,
        package,
        version=max(report.version + 1, sent_version if isinstance(sent_version, int) else 0),
        on=_date_or_none(payload.get("sent_on")) or clock.today(),
    )
    report.source = UpwardReport.Source.REMOTE
    report.remote_key = key
    report.save()
    _audit_sending(actor, report, AuditAction.UPWARD_REPORT_RECEIVE, before)
    return report, True
