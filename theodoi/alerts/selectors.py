"""Reads of alerts, always scoped to the person asking (``core.access``)."""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from theodoi.alerts import rules
from theodoi.alerts.models import Alert
from theodoi.core.access import alerts_concerning
from theodoi.core.clock import today as clock_today
from theodoi.core.fragments import cached_rows
from theodoi.org.models import Unit, User

_URGENCY_RANK = {rule.value: rank for rank, rule in enumerate(rules.URGENCY)}


def not_snoozed(today: datetime.date) -> Q:
    """Alerts that are not snoozed on ``today`` (a snooze ends on its day)."""
    return Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today)


def alerts_for_user(
    user: User,
    *,
    open_only: bool = True,
    include_snoozed: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Alert]:
    """The alerts ``user`` may see, newest first: unit roles those of the tasks and indicators
    their unit leads; everyone else those of their ward or, for the upper level, province. A
    snoozed alert is left out until its day unless ``include_snoozed``."""
    # The e-mail digest asks the same rule, so a person is mailed what their page shows.
    alerts = alerts_concerning(user, Alert.objects.all()).select_related(
        "organization",
        "task",
        "task__plan",
        "indicator",
        "indicator__plan",
        "plan",
        "unit",
        "acknowledged_by",
    )
    if open_only:
        alerts = alerts.filter(closed_at__isnull=True)
    if not include_snoozed:
        alerts = alerts.filter(not_snoozed(today or clock_today()))
    return alerts.order_by("-opened_at", "-id")


def urgency_key(alert: Alert) -> tuple[Any, ...]:
    """Most urgent first: not yet acknowledged before acknowledged, then by the most urgent
    reason, then the oldest."""
    return (
        alert.acknowledged_at is not None,
        _URGENCY_RANK.get(alert.rule, len(_URGENCY_RANK)),
        alert.opened_at,
        alert.pk,
    )


@dataclass
class UnitGroup:
    """The open alerts of one unit (None: no unit must act, the office assigns one), or, with
    ``reports``, the plans' periodic reports to the level above, which the office sends."""

    unit: Unit | None
    reports: bool = False
    alerts: list[Alert] = field(default_factory=list)
    needing_action: int = 0  # neither acknowledged nor snoozed
    acknowledged: int = 0
    reasons: list[tuple[str, str, int]] = field(default_factory=list)  # rule, label, count

    @property
    def name(self) -> str:
        return str(self.unit) if self.unit is not None else ""


def group_by_unit(alerts: Iterable[Alert]) -> list[UnitGroup]:
    """The alerts grouped by the unit that must act, the units with most alerts needing action
    first; in each group the most urgent alert first, and how many alerts hold each reason
    (one task counts once for a reason, however many periods it misses)."""
    groups: dict[int | str | None, UnitGroup] = {}
    reason_counts: dict[int | str | None, Counter[str]] = {}
    for alert in alerts:
        # A plan's late report is no task of a unit: it has its own group, not the one of the
        # tasks waiting for a lead unit.
        reports = alert.task_id is None and alert.indicator_id is None and alert.plan_id is not None
        key: int | str | None = "reports" if reports else alert.unit_id
        group = groups.setdefault(key, UnitGroup(None if reports else alert.unit, reports=reports))
        group.alerts.append(alert)
        if alert.acknowledged_at is None:
            group.needing_action += 1
        else:
            group.acknowledged += 1
        counter = reason_counts.setdefault(key, Counter())
        counter.update({str(reason.get("rule")) for reason in alert.reasons or ()} or {alert.rule})
    for key, group in groups.items():
        group.alerts.sort(key=urgency_key)
        counts = reason_counts[key]
        group.reasons = [
            (rule.value, rule.label, counts[rule.value])
            for rule in rules.URGENCY
            if counts.get(rule.value)
        ]
    return sorted(
        groups.values(),
        key=lambda group: (-group.needing_action, -len(group.alerts), group.name),
    )


@dataclass
class AlertSummary:
    """What a landing page shows of the alerts: how many need action, the few most urgent."""

    needing_action: int
    acknowledged: int
    top: list[Alert]


SUMMARY_TOP = 3


def alert_summary(user: User, *, limit: int = SUMMARY_TOP) -> AlertSummary:
    """The open alerts of ``user`` in brief (the officer's landing page keeps their tasks above
    the fold): counted in one query, the few most urgent read with only what their lines show
    (planning the nine joins of a whole alert cost more than running the query)."""
    alerts = alerts_for_user(user)
    counts = alerts.order_by().aggregate(
        total=Count("pk"), needing=Count("pk", filter=Q(acknowledged_at__isnull=True))
    )
    needing_count = counts["needing"]
    top = []
    if needing_count:
        needing = alerts.filter(acknowledged_at__isnull=True)
        top = list(
            by_urgency(needing.select_related(None).select_related("task", "indicator", "plan"))[
                :limit
            ]
        )
    return AlertSummary(
        needing_action=needing_count, acknowledged=counts["total"] - needing_count, top=top
    )


def by_urgency(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """``alerts`` ordered as ``urgency_key`` orders them, in the database."""
    rank = Case(
        *(When(rule=rule, then=Value(position)) for rule, position in _URGENCY_RANK.items()),
        default=Value(len(_URGENCY_RANK)),
        output_field=IntegerField(),
    )
    return alerts.annotate(urgency=rank).order_by(
        F("acknowledged_at").asc(nulls_first=True), "urgency", "opened_at", "id"
    )


def _shown_head(alert: Alert, today: datetime.date) -> tuple[Any, ...]:
    """Everything ``alerts/_alert_head.html`` shows of ``alert`` on ``today``: its cache key.
    The subject is read as the template reads it (the task, else the indicator, else the
    plan), so no relation is loaded that the template would not load."""
    if alert.task_id:
        subject: tuple[Any, ...] = ("task", alert.task.pk, alert.task.code, alert.task.title)
    elif alert.indicator_id:
        subject = ("indicator", alert.indicator.name)
    elif alert.plan_id:
        subject = ("plan", alert.plan_id, alert.plan.short_name)
    else:
        subject = ()
    by = alert.acknowledged_by
    return (
        alert.pk,
        alert.rule,
        alert.severity,
        alert.message,
        alert.reasons,
        subject,
        str(alert.unit) if alert.unit_id else None,
        alert.plan_id is not None,
        alert.opened_at,
        alert.acknowledged_at,
        alert.snoozed_until,
        alert.acknowledgement_note,
        (by.get_full_name(), by.username) if by is not None else None,
        # The texts count days from the clock's today, the snooze badge from the page's.
        clock_today(),
        today,
    )


def with_heads(alerts: Iterable[Alert], *, today: datetime.date) -> None:
    """Each alert with what it says rendered (``head_html``), from the cache when nothing it
    shows has changed: a ward dashboard lists dozens of them. What depends on the person (the
    acknowledge form and its token) stays out of it and is rendered on every page."""
    for alert, html in cached_rows(
        "alerts/_alert_head.html",
        alerts,
        key=lambda alert: _shown_head(alert, today),
        name="alert",
        context={"today": today},
    ):
        alert.head_html = html
