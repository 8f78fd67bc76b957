"""Writes of the unit ranking: a ward's point scale. Atomic, permission-checked, audited."""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record, snapshot
from theodoi.core.access import Action, can
from theodoi.org.models import Organization, User
from theodoi.ranking import scoring
from theodoi.ranking.models import ScoreScale
from theodoi.ranking.scoring import ScaleError

__all__ = ["ScaleError", "score_scale_update"]


@transaction.atomic
def score_scale_update(
    *,
    actor: User,
    organization: Organization,
    bands: Iterable[Mapping[str, object]],
    late_report_penalty: object,
) -> ScoreScale:
    """Set the ward's point scale; ScaleError says in Vietnamese what to correct."""
    if not can(actor, Action.EDIT_SCALE, organization):
        raise PermissionDenied
    if not organization.is_local:
        raise ScaleError(gettext("Only a ward has a point scale for its units."))
    scale = scoring.scale_from(bands, late_report_penalty)
    record = (
        ScoreScale.objects.select_for_update(no_key=True).filter(organization=organization).first()
    )
    before = snapshot(record) if record else None
    if record is None:
        record = ScoreScale(organization=organization)
    record.bands = scale.as_json()
    record.late_report_penalty = scale.late_report_penalty.quantize(Decimal("0.01"))
    record.updated_by = actor
    record.save()
    summary = "; ".join(
        f"≥ {scoring.format_decimal(b.min)}% → {scoring.format_decimal(b.points)}"
        for b in scale.bands
    )
    audit_record(
        actor=actor,
        action=AuditAction.RANKING_SCALE,
        obj=record,
        organization=organization,
        summary=f"{summary}; −{scoring.format_decimal(scale.late_report_penalty)}/ngày chậm",
        before=before,
        after=snapshot(record),
    )
    return record
