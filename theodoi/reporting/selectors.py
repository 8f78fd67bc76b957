"""Reads of reports, evidence and reviews, scoped to the person asking."""

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from theodoi.core.access import Action, org_scope, require
from theodoi.org.models import User
from theodoi.reporting.models import Evidence, EvidenceReview, ProgressReport


def evidence_for_user(user: User) -> QuerySet[Evidence]:
    scope = org_scope(user, "task__plan__organization") | org_scope(
        user, "indicator_value__indicator__plan__organization"
    )
    return (
        Evidence.objects.filter(scope)
        .select_related(
            "task",
            "task__plan",
            "task__plan__organization",
            "indicator_value__indicator__plan",
            "uploaded_by",
        )
        .prefetch_related(
            Prefetch("reviews", queryset=EvidenceReview.objects.select_related("reviewer"))
        )
    )


def evidence_get_for_user(user: User, pk: int, *, action: Action | None = None) -> Evidence:
    evidence = get_object_or_404(evidence_for_user(user), pk=pk)
    if action is not None:
        require(user, action, evidence.task or evidence.indicator_value.indicator)
    return evidence


def report_get_for_user(user: User, pk: int, *, action: Action | None = None) -> ProgressReport:
    report = get_object_or_404(
        ProgressReport.objects.filter(org_scope(user, "task__plan__organization")).select_related(
            "task", "task__plan", "task__plan__organization"
        ),
        pk=pk,
    )
    if action is not None:
        require(user, action, report.task)
    return report


def review_queue(user: User) -> tuple[list[Evidence], QuerySet[ProgressReport]]:
    """What waits for the standing office: files never reviewed, and reports not yet accepted
    or returned, oldest first."""
    waiting = list(
        evidence_for_user(user)
        .filter(withdrawn=False, reviews__isnull=True)
        .order_by("uploaded_at", "id")
    )
    reports = (
        ProgressReport.objects.filter(org_scope(user, "task__plan__organization"))
        .filter(
            Q(status=ProgressReport.Status.SUBMITTED) | Q(status=ProgressReport.Status.CONFIRMED)
        )
        .select_related("task", "task__plan", "unit", "submitted_by")
        .order_by("submitted_at", "id")
    )
    return waiting, reports
