"""Reads of the self-assessment toolkit, scoped to the person asking, and the campaign results
(scores per unit and group, ranking, last year, the weakest criteria): computed from the
answers every time, never stored."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from theodoi.assessment import scoring
from theodoi.assessment.models import Answer, Campaign, Framework, Submission
from theodoi.assessment.services import effective_answers
from theodoi.core.access import Action, limited_to_own_unit, org_scope, require
from theodoi.org.models import User
from theodoi.reporting.models import Evidence, EvidenceReview


def frameworks_for_user(user: User) -> QuerySet[Framework]:
    return Framework.objects.filter(org_scope(user)).select_related("organization")


def framework_get_for_user(user: User, pk: int) -> Framework:
    return get_object_or_404(frameworks_for_user(user), pk=pk)


def campaigns_for_user(user: User) -> QuerySet[Campaign]:
    return Campaign.objects.filter(org_scope(user)).select_related("organization", "framework")


def campaigns_with_progress(user: User) -> QuerySet[Campaign]:
    """Newest first, each with its number of units (``units``) and of forms sent (``sent``)."""
    sent = (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED)
    return (
        campaigns_for_user(user)
        .annotate(
            units=Count("submissions"),
            sent=Count("submissions", filter=Q(submissions__status__in=sent)),
        )
        .order_by("-year", "-opened_at")
    )


def campaign_get_for_user(user: User, pk: int, *, action: Action | None = None) -> Campaign:
    campaign = get_object_or_404(campaigns_for_user(user), pk=pk)
    if action is not None:
        require(user, action, campaign.organization)
    return campaign


def submissions_for_user(user: User) -> QuerySet[Submission]:
    rows = Submission.objects.filter(org_scope(user, "campaign__organization")).select_related(
        "campaign", "campaign__organization", "campaign__framework", "unit"
    )
    if limited_to_own_unit(user):
        rows = rows.filter(unit_id=user.unit_id)
    return rows


def submission_get_for_user(user: User, pk: int) -> Submission:
    evidence = Evidence.objects.filter(withdrawn=False).prefetch_related(
        Prefetch("reviews", queryset=EvidenceReview.objects.select_related("reviewer"))
    )
    return get_object_or_404(
        submissions_for_user(user).prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.prefetch_related(
                    Prefetch("evidence", queryset=evidence.order_by("uploaded_at", "id"))
                ),
            )
        ),
        pk=pk,
    )


# --- Results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitResult:
    submission: Submission
    result: scoring.Result
    rank: int | None  # None until the office accepts the answers
    previous: scoring.Result | None  # the same unit's accepted result last year, if any

    @property
    def previous_percent(self) -> Decimal | None:
        return self.previous.percent if self.previous is not None else None

    @property
    def change(self) -> Decimal | None:
        percent = self.result.percent
        if percent is None or self.previous_percent is None:
            return None
        return percent - self.previous_percent


@dataclass(frozen=True)
class WeakCriterion:
    code: str
    name: str
    group: str
    average_percent: Decimal  # the units' average share of the maximum
    units_weak: tuple[UnitResult, ...]  # units below the campaign's threshold


@dataclass(frozen=True)
class Results:
    campaign: Campaign
    units: tuple[UnitResult, ...]  # ranked first, then the units not accepted yet
    weakest: tuple[WeakCriterion, ...]
    previous: Campaign | None


def _results_of(campaign: Campaign) -> list[tuple[Submission, scoring.Result]]:
    definition = campaign.framework.parsed
    submissions = (
        campaign.submissions.select_related("unit")
        .prefetch_related("answers")
        .order_by("unit__order", "unit__name")
    )
    return [(s, scoring.score(definition, effective_answers(s.answers.all()))) for s in submissions]


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """Last year's campaign of the same ward and framework code, for the comparison."""
    return (
        Campaign.objects.filter(
            organization=campaign.organization,
            framework__code=campaign.framework.code,
            year=campaign.year - 1,
        )
        .select_related("framework")
        .order_by("-opened_at")
        .first()
    )


def campaign_results(campaign: Campaign, *, weakest: int = 10) -> Results:
    """Scores of every unit; accepted units ranked by their share of the maximum that applies
    to them (not-applicable criteria are out of it), ties by points."""
    scored = _results_of(campaign)
    previous = previous_campaign(campaign)
    before: dict[int, scoring.Result] = {}
    if previous is not None:
        before = {
            s.unit_id: r for s, r in _results_of(previous) if s.status == Submission.Status.ACCEPTED
        }
    accepted = [
        (s, r) for s, r in scored if s.status == Submission.Status.ACCEPTED and r.max_points
    ]
    accepted.sort(key=lambda item: (-(item[1].percent or 0), -item[1].points, item[0].unit.name))
    # Equal results share a rank (1, 1, 3), whatever the units' names.
    ranks: dict[int, int] = {}
    for position, (submission, result) in enumerate(accepted, start=1):
        above = accepted[position - 2] if position > 1 else None
        tied = above is not None and (above[1].percent, above[1].points) == (
            result.percent,
            result.points,
        )
        ranks[submission.pk] = ranks[above[0].pk] if tied and above else position
    units = [
        UnitResult(submission=s, result=r, rank=ranks.get(s.pk), previous=before.get(s.unit_id))
        for s, r in scored
    ]
    units.sort(key=lambda u: (u.rank is None, u.rank or 0, u.submission.unit.name))
    return Results(
        campaign=campaign,
        units=tuple(units),
        weakest=tuple(weak_criteria(campaign, units)[:weakest]),
        previous=previous,
    )


def weak_criteria(campaign: Campaign, units: list[UnitResult]) -> list[WeakCriterion]:
    """The answered criteria in order of the units' average share of their maximum, weakest
    first; with each, the units under the campaign's threshold. Only forms sent or accepted
    count: one being filled in or corrected would pull the averages down with blanks."""
    sent = (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED)
    counted = [u for u in units if u.submission.status in sent]
    threshold = Decimal(campaign.weak_percent)
    rows = []
    for criterion in campaign.framework.parsed.leaves():
        shares = []
        weak = []
        for unit in counted:
            score = unit.result.by_code().get(criterion.code)
            if score is None or score.percent is None:
                continue  # not applicable to this unit
            shares.append(score.percent)
            if score.percent < threshold:
                weak.append(unit)
        if shares:
            group = next(c.group for c in units[0].result.criteria if c.code == criterion.code)
            rows.append(
                WeakCriterion(
                    code=criterion.code,
                    name=criterion.name,
                    group=group,
                    average_percent=sum(shares, Decimal(0)) / len(shares),
                    units_weak=tuple(weak),
                )
            )
    rows.sort(key=lambda row: (row.average_percent, row.code))
    return rows
