"""What tells the incremental scan that a subject's facts changed: any save or delete of a row
the rules read deletes the subject's ``AlertWatch``, so the next scan evaluates it again.

Signals rather than calls from the write services: the apps below alerts (plans, reporting,
org) may not import it, and a row written by any path (a service, the admin, a data fix) must
count. ``QuerySet.update`` and ``bulk_create`` send no signal; the services that use them on
these models re-evaluate the tasks themselves (``tracking``), and ``scan_alerts --full`` is
there for the rest (a bulk load, a fix in SQL).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from theodoi.plans.models import (
    Indicator,
    IndicatorMilestone,
    IndicatorValue,
    Plan,
    Task,
    TaskLeadUnit,
)
from theodoi.reporting.models import Evidence, EvidenceReview, ProgressReport, UpwardReport


def _forget(condition: Q) -> None:
    from theodoi.alerts.models import AlertWatch

    AlertWatch.objects.filter(condition).delete()


def _unless_raw(receiver: Callable[..., None]) -> Callable[..., None]:
    """A row loaded as it was stored (``loaddata``, ``theodoi restore``: ``raw``) comes with its
    subject's watch from the same backup; only a real write changes the facts."""

    @wraps(receiver)
    def guarded(sender: Any, instance: Any, **kwargs: Any) -> None:
        if not kwargs.get("raw"):
            receiver(sender, instance, **kwargs)

    return guarded


@_unless_raw
def _task_row(sender: Any, instance: Any, **kwargs: Any) -> None:
    task_id = getattr(instance, "task_id", None)
    if task_id is not None:
        _forget(Q(task_id=task_id))


@_unless_raw
def _task(sender: Any, instance: Task, **kwargs: Any) -> None:
    # A subtask also changes its parent: rolled-up progress, and whether it has subtasks.
    ids = [instance.pk] + ([instance.parent_id] if instance.parent_id else [])
    _forget(Q(task_id__in=ids))


@_unless_raw
def _review(sender: Any, instance: EvidenceReview, **kwargs: Any) -> None:
    _forget(Q(task__evidence__id=instance.evidence_id))


@_unless_raw
def _indicator_row(sender: Any, instance: Any, **kwargs: Any) -> None:
    indicator_id = instance.pk if isinstance(instance, Indicator) else instance.indicator_id
    _forget(Q(indicator_id=indicator_id))


@_unless_raw
def _plan(sender: Any, instance: Plan, **kwargs: Any) -> None:
    # Its status, start, cycles and due days reach every task and indicator of it, and its
    # upward due days the ward plans that implement it.
    _forget(
        Q(task__plan_id=instance.pk)
        | Q(indicator__plan_id=instance.pk)
        | Q(plan_id=instance.pk)
        | Q(plan__parents=instance.pk)
    )


@_unless_raw
def _upward(sender: Any, instance: UpwardReport, **kwargs: Any) -> None:
    _forget(Q(plan_id=instance.plan_id))


def _plan_links(sender: Any, instance: Any, action: str, pk_set: Any, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    ids = set(pk_set or ())
    if isinstance(instance, Plan):
        ids.add(instance.pk)
    _forget(Q(plan_id__in=ids))


def connect() -> None:
    for signal in (post_save, post_delete):
        for model in (ProgressReport, Evidence, TaskLeadUnit):
            signal.connect(_task_row, sender=model, dispatch_uid=f"alerts-watch-{model.__name__}")
        signal.connect(_task, sender=Task, dispatch_uid="alerts-watch-task")
        signal.connect(_review, sender=EvidenceReview, dispatch_uid="alerts-watch-review")
        for model in (Indicator, IndicatorMilestone, IndicatorValue):
            signal.connect(
                _indicator_row, sender=model, dispatch_uid=f"alerts-watch-{model.__name__}"
            )
        signal.connect(_plan, sender=Plan, dispatch_uid="alerts-watch-plan")
        signal.connect(_upward, sender=UpwardReport, dispatch_uid="alerts-watch-upward")
    m2m_changed.connect(
        _plan_links, sender=Plan.parents.through, dispatch_uid="alerts-watch-plan-parents"
    )
