"""Writes of the shared indicator catalogue and the province's answers to its wards' periodic
reports: each atomic, each with its audit event."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from theodoi.alerts import services as alert_services
from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record, snapshot
from theodoi.core.access import Action, can, can_edit_catalogue
from theodoi.dashboards.models import IndicatorCatalogue, IndicatorCatalogueLink
from theodoi.notifications import events
from theodoi.org.models import User
from theodoi.plans.models import Indicator
from theodoi.reporting import upward
from theodoi.reporting.models import UpwardReport
from theodoi.reporting.services import ReportingError, StaleVersion


class CatalogueError(ValueError):
    """A catalogue entry that cannot be saved; the message says why, for the person."""


@transaction.atomic
def catalogue_create(
    *,
    actor: User,
    code: str,
    name: str,
    unit_of_measure: str = "",
    comparator: str = Indicator.Comparator.GE,
) -> IndicatorCatalogue:
    if not can_edit_catalogue(actor):
        raise PermissionDenied
    code, name = code.strip(), " ".join(name.split())
    if not code or not name:
        raise CatalogueError(gettext("Enter the indicator's code and name."))
    if comparator not in Indicator.Comparator.values:
        raise CatalogueError(gettext("Invalid comparison direction."))
    if IndicatorCatalogue.objects.filter(code__iexact=code).exists():
        raise CatalogueError(
            gettext("The code «%(code)s» is already in the catalogue.") % {"code": code}
        )

    entry = IndicatorCatalogue.objects.create(
        code=code,
        name=name,
        unit_of_measure=unit_of_measure.strip(),
        comparator=comparator,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CATALOGUE_CREATE,
        obj=entry,
        organization=actor.organization,
        summary=str(entry),
        after=snapshot(entry),
    )
    return entry


@transaction.atomic
def catalogue_link(
    *, actor: User, indicator: Indicator, catalogue: IndicatorCatalogue | None
) -> IndicatorCatalogueLink | None:
    """Link ``indicator`` to a catalogue entry, replacing any earlier link; ``None`` unlinks."""
    if not can(actor, Action.LINK_CATALOGUE, indicator):
        raise PermissionDenied
    existing = (
        IndicatorCatalogueLink.objects.select_for_update(no_key=True)
        .filter(indicator=indicator)
        .first()
    )
    before = snapshot(existing) if existing else None
    ward = indicator.plan.organization
    if catalogue is None:
        if existing is None:
            return None
        code = existing.catalogue.code
        existing.delete()
        # The deleted row has no pk any more: the audit event names the indicator.
        audit_record(
            actor=actor,
            action=AuditAction.INDICATOR_CATALOGUE_UNLINK,
            obj=indicator,
            organization=ward,
            summary=f"{indicator.name[:80]} ✕ {code}",
            before=before,
        )
        return None
    if existing is not None and existing.catalogue_id == catalogue.pk:
        return existing
    link, _created = IndicatorCatalogueLink.objects.update_or_create(
        indicator=indicator, defaults={"catalogue": catalogue, "linked_by": actor}
    )
    audit_record(
        actor=actor,
        action=AuditAction.INDICATOR_CATALOGUE_LINK,
        obj=indicator,
        organization=ward,
        summary=f"{indicator.name[:80]} → {catalogue.code}",
        before=before,
        after=snapshot(link),
    )
    return link


# --- The province answers a ward's periodic report ----------------------------------------------


class AnswerError(ValueError):
    """An answer that cannot be given as asked; the message says what to do."""


def _stale() -> AnswerError:
    return AnswerError(
        gettext(
            "The report changed since you opened it (the ward sent it again, or someone else "
            "answered it). Read the version shown now, then answer again."
        )
    )


@transaction.atomic
def upward_report_answer(
    *,
    actor: User,
    report: UpwardReport,
    accept: bool,
    reason: str = "",
    version: int | None,
) -> UpwardReport:
    """Accept the report, or return it with ``reason``, as of the sending ``version`` the
    person read; the ward's standing office is told in the same transaction."""
    try:
        if accept:
            upward.upward_report_accept(actor=actor, report=report, version=version)
        else:
            upward.upward_report_return(actor=actor, report=report, reason=reason, version=version)
    except StaleVersion as error:
        raise _stale() from error
    except ReportingError as error:
        raise AnswerError(str(error)) from error
    events.upward_report_answered(actor=actor, report=report)
    # A returned report is missing again: its alert reopens now, not at the next scan.
    alert_services.evaluate_upward(report.plan)
    return report
