"""Reads of reports, evidence and reviews, scoped to the person asking."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from theodoi.core.access import Action, org_scope, require
from theodoi.org.models import User
from theodoi.plans.models import IndicatorValue, Task
from theodoi.plans.periods import period_of, periods_between
from theodoi.plans.states import report_timeliness, task_state
from theodoi.reporting import subjects
from theodoi.reporting.models import Directive, Evidence, EvidenceReview, ProgressReport


def evidence_for_user(user: User) -> QuerySet[Evidence]:
    scope = org_scope(user, "task__plan__organization") | org_scope(
        user, "indicator_value__indicator__plan__organization"
    )
    for kind in subjects.registered():
        # Files linked to a subject of an app above: that app says who sees them.
        scope |= kind.visible(user)
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
        require(user, action, evidence.subject)
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
        # Files linked to a subject of an app above are reviewed on that app's page, beside
        # their subject: the queue keeps to tasks and indicators.
        .filter(Q(task__isnull=False) | Q(indicator_value__isnull=False))
        .filter(withdrawn=False, reviews__isnull=True)
        .order_by("uploaded_at", "id")
    )
    attach_earlier_copies(waiting)
    reports = (
        ProgressReport.objects.filter(org_scope(user, "task__plan__organization"))
        .filter(
            Q(status=ProgressReport.Status.SUBMITTED) | Q(status=ProgressReport.Status.CONFIRMED)
        )
        .select_related("task", "task__plan", "unit", "submitted_by")
        .order_by("submitted_at", "id")
    )
    return waiting, reports


def rejected_files(task) -> list[Evidence]:
    """The task's files whose latest review rejects them and that are not withdrawn: the files
    a new one may name as the file it replaces."""
    files = (
        Evidence.objects.filter(
            task=task, withdrawn=False, reviews__decision=EvidenceReview.Decision.REJECTED
        )
        .distinct()
        .prefetch_related("reviews")
        .order_by("-uploaded_at", "-id")
    )
    return [f for f in files if _rejected(f)]


def rejected_among(files: Iterable[Evidence]) -> list[Evidence]:
    """``rejected_files`` of a task whose files were read already (with their reviews)."""
    return sorted(
        (f for f in files if not f.withdrawn and _rejected(f)),
        key=lambda f: (f.uploaded_at, f.pk),
        reverse=True,
    )


def _rejected(evidence: Evidence) -> bool:
    review = evidence.latest_review
    return review is not None and review.decision == EvidenceReview.Decision.REJECTED


def _arrived_on(report: ProgressReport) -> datetime.date | None:
    """The day a report arrived; reports from before that day was kept have only a time."""
    if report.submitted_on is not None:
        return report.submitted_on
    return timezone.localdate(report.submitted_at) if report.submitted_at is not None else None


def period_states(task, *, today) -> list[dict]:
    """One official state per reporting period for a recurring task ("Thường xuyên",
    "Hàng quý", …): each period is done when its report says 100 % and an evidence file of
    that report is accepted; its due day is the period's report due day.

    Each row also says whether the period's report came in time (``report``). A period without
    a report has a state (open), but the page shows its reporting status instead: "no report"
    is what happened, and an "overdue" beside a task done on time reads as a contradiction
    (``has_report`` says which rows have a state worth showing)."""
    plan = task.plan
    if not task.recurrence:
        return []
    start = task.start
    end = min(today, task.due_date or today)
    # Two years of weekly reports: only the columns the rule reads, and evidence only for the
    # reports that say 100 % (no other report can make its period done).
    reports = {
        r.period: r
        for r in task.reports.exclude(status=ProgressReport.Status.DRAFT)
        .only("id", "task_id", "period", "percent", "status", "submitted_on", "submitted_at")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(withdrawn=False, report__percent=100)
                .only("id", "report_id", "uploaded_on", "uploaded_at")
                .prefetch_related(
                    Prefetch(
                        "reviews",
                        queryset=EvidenceReview.objects.only(
                            "id", "evidence_id", "decision", "reviewed_at"
                        ),
                    )
                ),
            )
        )
    }
    rows = []
    for period in periods_between(start, max(end, start), task.cycle):
        due = period.due(plan.report_due_days)
        report = reports.get(str(period))
        returned = report is not None and report.status == ProgressReport.Status.RETURNED
        timeliness = report_timeliness(
            due=due,
            submitted_on=_arrived_on(report) if report is not None else None,
            today=today,
            returned=returned,
        )
        if returned:
            report = None  # sent back: counts as not sent until it is sent again
        completed_on = None
        if report is not None and report.percent == 100:
            accepted = [
                e
                for e in report.evidence.all()
                if e.latest_review is not None
                and e.latest_review.decision == EvidenceReview.Decision.ACCEPTED
            ]
            if accepted:
                completed_on = max(
                    [report.submitted_on or due] + [e.uploaded_on or due for e in accepted]
                )
        rows.append(
            {
                "period": str(period),
                "label": period.label(),
                "due": due,
                "percent": report.percent if report else None,
                "state": task_state(due=due, completed_on=completed_on, today=today).value,
                "report": timeliness.value,
                "has_report": report is not None,
            }
        )
    current = period_of(today, task.cycle)
    return [row for row in rows if row["period"] <= str(current) or row["percent"] is not None]


@dataclass(frozen=True)
class EarlierCopy:
    """An earlier evidence file with the same bytes, and its latest review (None: none yet)."""

    evidence: Evidence
    review: EvidenceReview | None

    @property
    def rejected(self) -> bool:
        return self.review is not None and self.review.decision == EvidenceReview.Decision.REJECTED


def _organization_id(evidence: Evidence) -> int | None:
    if evidence.task_id is not None:
        return evidence.task.plan.organization_id
    if evidence.indicator_value_id is not None:
        return evidence.indicator_value.indicator.plan.organization_id
    try:  # a file linked to a subject of an app above (or to none any more)
        organization = evidence.organization
    except AttributeError:
        return None
    return organization.pk if organization is not None else None


# What the flag of an earlier copy shows of its latest review.
_REVIEW_SHOWN = ("id", "decision", "reason", "reviewed_at", "reviewed_on")


def _latest_review(field: str) -> Subquery:
    return Subquery(
        EvidenceReview.objects.filter(evidence=OuterRef("pk"))
        .order_by("-reviewed_at", "-id")
        .values(field)[:1]
    )


def attach_earlier_copies(files: Iterable[Evidence]) -> None:
    """Give each file ``earlier_copies``: the earlier files of the same ward with the same
    SHA-256 that were not withdrawn, a rejected one first, then the newest. Read when shown,
    not stored at upload, because an earlier file's review can change after this one came in.
    One query for all the files, with each copy's latest review."""
    files = list(files)
    wanted: dict[tuple[int | None, str], list[Evidence]] = defaultdict(list)
    for item in files:
        item.earlier_copies = []
        wanted[(_organization_id(item), item.sha256)].append(item)
    if not files:
        return
    organizations = {organization for organization, _digest in wanted if organization is not None}
    # The same bytes are often sent by many wards: the ward is matched on the file's own
    # columns and its ward, task code and latest review are read for the copies found only
    # (joins through tasks, indicator values and reviews read every ward's copies first).
    candidates = (
        Evidence.objects.filter(sha256__in={digest for _org, digest in wanted}, withdrawn=False)
        .filter(
            Q(task__in=Task.all_objects.filter(plan__organization__in=organizations))
            | Q(
                indicator_value__in=IndicatorValue.objects.filter(
                    indicator__plan__organization__in=organizations
                )
            )
        )
        .annotate(
            ward_id=(
                # One ward (a task's files): every copy found is of that ward.
                Value(next(iter(organizations)))
                if len(organizations) == 1
                else Coalesce(
                    Subquery(
                        Task.all_objects.filter(pk=OuterRef("task_id")).values(
                            "plan__organization"
                        )[:1]
                    ),
                    Subquery(
                        IndicatorValue.objects.filter(pk=OuterRef("indicator_value_id")).values(
                            "indicator__plan__organization"
                        )[:1]
                    ),
                )
            ),
            **{f"review_{field}": _latest_review(field) for field in _REVIEW_SHOWN},
        )
        .select_related("task")
        .only(
            "id",
            "sha256",
            "task",
            "task__code",
            "indicator_value",
            "original_name",
            "uploaded_at",
            "uploaded_on",
        )
        .order_by()
    )
    for candidate in candidates:
        for item in wanted.get((candidate.ward_id, candidate.sha256), []):
            if (candidate.uploaded_at, candidate.pk) < (item.uploaded_at, item.pk):
                item.earlier_copies.append(EarlierCopy(candidate, _review_read(candidate)))
    for item in files:
        item.earlier_copies.sort(
            key=lambda c: (c.evidence.uploaded_at, c.evidence.pk), reverse=True
        )
        item.earlier_copies.sort(key=lambda c: not c.rejected)


def _review_read(candidate: Evidence) -> EvidenceReview | None:
    """The latest review read with a copy (its other fields load if asked for)."""
    if candidate.review_id is None:
        return None
    read = {"evidence_id": candidate.pk}
    read.update((field, getattr(candidate, f"review_{field}")) for field in _REVIEW_SHOWN)
    names = [f.attname for f in EvidenceReview._meta.concrete_fields if f.attname in read]
    return EvidenceReview.from_db(candidate._state.db, names, [read[name] for name in names])


def rejected_copies(files: Iterable[Evidence]) -> list[tuple[Evidence, EarlierCopy]]:
    """The files that repeat the bytes of a file whose latest review rejected it, with it."""
    files = list(files)
    attach_earlier_copies(files)
    return [
        (item, item.earlier_copies[0])
        for item in files
        if item.earlier_copies[:1] and item.earlier_copies[0].rejected
    ]


def attach_chains(files: Iterable[Evidence]) -> None:
    """Give each file ``earlier_versions`` (the files it replaces, nearest first, each with its
    ``latest_review``: the rejection) and ``replacement_list`` (the files sent to replace it,
    oldest first, with their state): the reviewer sees what a replacement answers, and the unit
    sees what became of a rejected file. Two queries, whatever the number of files."""
    files = list(files)
    tasks = {f.task_id for f in files if f.task_id}
    values = {f.indicator_value_id for f in files if f.indicator_value_id}
    if not files:
        return
    related = _with_reviews(
        Evidence.objects.filter(Q(task_id__in=tasks) | Q(indicator_value_id__in=values))
    )
    _chain(files, related)


def _chain(files: list[Evidence], related: list[Evidence]) -> None:
    """``attach_chains`` from the ``related`` files, oldest first."""
    by_id = {e.pk: e for e in related}
    children: dict[int, list[Evidence]] = defaultdict(list)
    for item in related:
        if item.replaces_id is not None:
            children[item.replaces_id].append(item)
    for file in files:
        earlier: list[Evidence] = []
        seen = {file.pk}
        current = by_id.get(file.replaces_id) if file.replaces_id else None
        while current is not None and current.pk not in seen:
            earlier.append(current)
            seen.add(current.pk)
            current = by_id.get(current.replaces_id) if current.replaces_id else None
        file.earlier_versions = earlier
        file.replacement_list = children.get(file.pk, [])


def task_evidence(task: Task) -> list[Evidence]:
    """The task's files that are not withdrawn, newest first, each with its uploader, its
    reviews (and reviewers) and its chain (``attach_chains``), read with the task's other files
    (withdrawn ones, which chains show too): two queries, and a third only when a file shown
    also proves an indicator value, whose other files may be in its chain."""
    files = _with_reviews(Evidence.objects.filter(task=task))
    shown = [item for item in files if not item.withdrawn]
    values = {item.indicator_value_id for item in shown if item.indicator_value_id}
    related = files
    if values:
        others = _with_reviews(
            Evidence.objects.filter(indicator_value_id__in=values).exclude(task=task)
        )
        related = sorted(files + others, key=lambda item: (item.uploaded_at, item.pk))
    for item in shown:
        item.task = task
    # Newest first as the files are listed (Evidence.Meta.ordering); a stable sort keeps
    # files of the same time in the order they were sent.
    shown.sort(key=lambda item: item.uploaded_at, reverse=True)
    _chain(shown, related)
    return shown


def _with_reviews(files: QuerySet[Evidence]) -> list[Evidence]:
    """``files`` oldest first, with their uploaders, reviews and reviewers, as chains need."""
    return list(
        files.select_related("uploaded_by")
        .prefetch_related(
            Prefetch("reviews", queryset=EvidenceReview.objects.select_related("reviewer"))
        )
        .order_by("uploaded_at", "id")
    )


def _latest_decision():
    return Subquery(
        EvidenceReview.objects.filter(evidence=OuterRef("pk"))
        .order_by("-reviewed_at", "-id")
        .values("decision")[:1]
    )


@dataclass
class ToAct:
    """What waits for a unit: rejected files not yet replaced, reports returned for correction,
    directives not yet answered."""

    rejected: list[Evidence]
    returned: list[ProgressReport]
    directives: list[Directive]

    def __bool__(self) -> bool:
        return bool(self.rejected or self.returned or self.directives)

    @property
    def count(self) -> int:
        return len(self.rejected) + len(self.returned) + len(self.directives)


def to_act(user: User, *, limit: int = 20) -> ToAct:
    """What the user's unit must do next on the tasks it leads, oldest first (its landing page
    shows it above the list of tasks). Nothing for someone without a unit."""
    if user.unit_id is None:
        return ToAct([], [], [])
    led = Task.objects.filter(
        org_scope(user, "plan__organization"), lead_units=user.unit_id
    ).values("pk")
    # Only what the list shows: each query builds model rows for its tasks and people, and
    # the unit's landing page is opened again and again at a quarter's end.
    task_columns = ("task__id", "task__code", "task__title")
    rejected = list(
        Evidence.objects.filter(task__in=led, withdrawn=False)
        .annotate(latest_decision=_latest_decision())
        .filter(latest_decision=EvidenceReview.Decision.REJECTED)
        # A file with a replacement (waiting, accepted or itself rejected) is answered: the
        # replacement is what is followed now.
        .exclude(replacements__withdrawn=False)
        .select_related("task")
        .only("id", "task_id", "original_name", "uploaded_at", *task_columns)
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=EvidenceReview.objects.only(
                    "id", "evidence_id", "decision", "reason", "reviewed_at"
                ),
            )
        )
        .order_by("uploaded_at", "id")[:limit]
    )
    returned = list(
        ProgressReport.objects.filter(task__in=led, status=ProgressReport.Status.RETURNED)
        .select_related("task")
        .only("id", "task_id", "period", "return_reason", "reviewed_at", *task_columns)
        .order_by("reviewed_at", "id")[:limit]
    )
    directives = list(
        Directive.objects.filter(task__in=led, answer="")
        .select_related("task", "author")
        .only("id", "task_id", "author", "text", "created_at", *task_columns)
        .order_by("created_at", "id")[:limit]
    )
    return ToAct(rejected=rejected, returned=returned, directives=directives)
