"""The province's view of its wards' periodic reports: for one month or quarter, every ward
below it with the plan(s) it reports on and where each report stands. A fixed number of queries
whatever the number of wards: the wards, their plans, the plans' links to the province's plans
and the reports of the period are each read once."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.http import Http404

from theodoi.audit.models import AuditEvent
from theodoi.core.access import Action, Actor, can, require
from theodoi.org.models import Organization
from theodoi.plans.models import Plan
from theodoi.plans.periods import Period, parse_period, period_of
from theodoi.reporting.models import UpwardReport


class State:
    """Where a ward's report for the period stands, as the province sees it."""

    RECEIVED = "received"  # sent, awaiting the province's answer
    ACCEPTED = "accepted"
    RETURNED = "returned"
    LATE = "late"  # nothing sent and the due day has passed
    NOT_DUE = "not_due"  # nothing sent yet, still in time
    NO_PLAN = "no_plan"  # the ward has no plan in progress to report on

    ALL = (RECEIVED, ACCEPTED, RETURNED, LATE, NOT_DUE, NO_PLAN)


# The order "by state" sorts in: what needs the province's attention first.
_STATE_ORDER = {state: rank for rank, state in enumerate(State.ALL)}
_ANSWERED = {
    UpwardReport.Status.SENT: State.RECEIVED,
    UpwardReport.Status.ACCEPTED: State.ACCEPTED,
    UpwardReport.Status.RETURNED: State.RETURNED,
}
SORTS = ("ward", "state", "due", "late")


@dataclass
class ReceivedRow:
    ward: Organization
    plan: Plan | None
    report: UpwardReport | None
    due_on: datetime.date | None
    state: str
    days_late: int = 0  # nothing sent: days past the due day
    sent_late: int = 0  # sent: days after the due day it was sent
    implements: bool = False  # the plan carries out one of the province's plans


@dataclass
class ReceivedTable:
    province: Organization
    period: Period
    rows: list[ReceivedRow]
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def arrived(self) -> int:
        return (
            self.counts[State.RECEIVED] + self.counts[State.ACCEPTED] + self.counts[State.RETURNED]
        )

    @property
    def missing(self) -> int:
        return self.counts[State.LATE] + self.counts[State.NOT_DUE]


def last_ended_quarter(today: datetime.date) -> Period:
    current = period_of(today, "quarterly")
    return period_of(current.start - datetime.timedelta(days=1), "quarterly")


def period_from(text: str) -> Period:
    """A month ("2026-09") or a quarter ("2026-Q3"); PeriodError otherwise."""
    text = (text or "").strip()
    cycle = "quarterly" if "Q" in text.upper() else "monthly"
    return parse_period(text, cycle)


def period_choices(today: datetime.date) -> list[Period]:
    """The periods offered: the last six quarters and the last twelve months that have ended
    or are running, newest first."""
    quarters = [period_of(today, "quarterly")]
    while len(quarters) < 6:
        quarters.append(period_of(quarters[-1].start - datetime.timedelta(days=1), "quarterly"))
    months = [period_of(today, "monthly")]
    while len(months) < 12:
        months.append(period_of(months[-1].start - datetime.timedelta(days=1), "monthly"))
    return quarters + months


def _state(report: UpwardReport | None, due_on: datetime.date, today: datetime.date) -> str:
    if report is not None and report.status in _ANSWERED:
        return _ANSWERED[report.status]
    return State.LATE if today > due_on else State.NOT_DUE


def received_table(
    province: Organization, period: Period, *, today: datetime.date
) -> ReceivedTable:
    """Every ward or commune below ``province`` with, for each plan it reports on (its plans
    carrying out the province's plans, else all its plans in progress), the state of its
    report for ``period``."""
    wards = list(
        Organization.objects.filter(
            path__startswith=province.path,
            kind__in=[Organization.Kind.WARD, Organization.Kind.COMMUNE],
        ).order_by("name", "pk")
    )
    ward_ids = [ward.pk for ward in wards]
    reports = {
        report.plan_id: report
        for report in UpwardReport.objects.filter(
            organization__in=ward_ids, period=str(period)
        ).order_by()
    }
    # Plans in progress, and any other plan whose report for the period arrived.
    plans = list(
        Plan.objects.filter(organization__in=ward_ids)
        .filter(Q(status=Plan.Status.ACTIVE) | Q(pk__in=list(reports)))
        .order_by("-issued_on", "pk")
    )
    # The plans' upper plans (as ``upward.upper_plan`` reads them: of another organization,
    # the first by id), with the days after a period their reports are due.
    links = (
        Plan.parents.through.objects.filter(from_plan__in=[p.pk for p in plans])
        .exclude(to_plan__organization=F("from_plan__organization"))
        .values_list("from_plan_id", "to_plan__organization_id", "to_plan__upward_report_due_days")
    )
    upper_days: dict[int, int] = {}
    implements: set[int] = set()
    for plan_id, organization_id, days in links.order_by("to_plan_id"):
        if organization_id == province.pk:
            implements.add(plan_id)
        upper_days.setdefault(plan_id, days)
    by_ward: dict[int, list[Plan]] = defaultdict(list)
    for plan in plans:
        by_ward[plan.organization_id].append(plan)
    rows: list[ReceivedRow] = []
    for ward in wards:
        own = by_ward[ward.pk]
        chosen = [p for p in own if p.pk in implements] or list(own)
        # A report that arrived is always shown, even on a plan not chosen above.
        chosen += [p for p in own if p not in chosen and p.pk in reports]
        if not chosen:
            rows.append(
                ReceivedRow(ward=ward, plan=None, report=None, due_on=None, state=State.NO_PLAN)
            )
            continue
        for plan in chosen:
            report = reports.get(plan.pk)
            due_on = (
                report.due_on
                if report is not None
                else period.due(upper_days.get(plan.pk, plan.upward_report_due_days))
            )
            state = _state(report, due_on, today)
            row = ReceivedRow(
                ward=ward,
                plan=plan,
                report=report,
                due_on=due_on,
                state=state,
                implements=plan.pk in implements,
            )
            if state == State.LATE:
                row.days_late = (today - due_on).days
            elif report is not None and report.sent_on and report.sent_on > due_on:
                row.sent_late = (report.sent_on - due_on).days
            rows.append(row)
    table = ReceivedTable(province=province, period=period, rows=rows)
    table.counts.update(row.state for row in rows)
    return table


def filter_and_sort(rows: list[ReceivedRow], *, state: str, q: str, sort: str) -> list[ReceivedRow]:
    """The rows of one state (any when blank) whose ward's name holds ``q``, sorted by
    ``sort`` ("-" before it reverses)."""
    if state in State.ALL:
        rows = [row for row in rows if row.state == state]
    needle = q.strip().casefold()
    if needle:
        rows = [row for row in rows if needle in row.ward.name.casefold()]
    reverse = sort.startswith("-")
    key = sort.lstrip("-")
    keys = {
        "ward": lambda row: (row.ward.name.casefold(), row.ward.pk),
        "state": lambda row: (_STATE_ORDER[row.state], row.ward.name.casefold()),
        "due": lambda row: (row.due_on or datetime.date.max, row.ward.name.casefold()),
        "late": lambda row: (row.days_late or row.sent_late, row.ward.name.casefold()),
    }
    return sorted(rows, key=keys.get(key, keys["ward"]), reverse=reverse)


# --- One report ----------------------------------------------------------------------------------


def upward_report_get_for_user(user: Actor, pk: int) -> UpwardReport:
    """The report, for someone who may read it; 404 when it does not exist or lies outside
    what ``user`` reads, 403 when they read the ward but not its reports."""
    report = (
        UpwardReport.objects.select_related(
            "organization__parent", "plan", "sent_by", "answered_by"
        )
        .filter(pk=pk)
        .first()
    )
    if report is None or not can(user, Action.VIEW, report.organization):
        raise Http404
    require(user, Action.SEE_UPWARD, report)
    return report


def upward_report_history(report: UpwardReport) -> list[AuditEvent]:
    """The report's audit events, oldest first: each saving, sending and answer."""
    return list(
        AuditEvent.objects.filter(
            object_type=UpwardReport._meta.label_lower, object_id=str(report.pk)
        )
        .select_related("actor")
        .order_by("at", "pk")
    )
