"""The demo's inboxes. The services told each person of the demo's events as they happened
(tasks assigned, a directive, a rejected file); here the officers have read most assignments
made when the plan was completed, the office brings one of the culture unit's deadlines forward
to five days from today, and the periodic pass reminds the unit that it is near."""

import datetime

from django.utils import timezone

from theodoi.core.clock import today
from theodoi.notifications import services as notification_services
from theodoi.notifications.events import deadlines_near
from theodoi.notifications.models import Kind, Notification
from theodoi.org.models import Organization, User
from theodoi.plans.models import Task
from theodoi.reporting.models import ProgressReport
from theodoi.tracking import services as tracking_services


def show_notifications(ward: Organization, users: dict[str, User]) -> None:
    # All but each person's two latest assignments were read when the plan was completed.
    assigned = Notification.objects.filter(recipient__organization=ward, kind=Kind.TASK_ASSIGNED)
    for person_id in set(assigned.values_list("recipient_id", flat=True)):
        latest = assigned.filter(recipient_id=person_id).order_by("-created_at", "-id")
        keep = list(latest.values_list("pk", flat=True)[:2])
        assigned.filter(recipient_id=person_id).exclude(pk__in=keep).update(read_at=timezone.now())
        notification_services.forget_unread(user_ids=[person_id])
    soon = today() + datetime.timedelta(days=5)
    task = (
        Task.objects.filter(
            plan__organization=ward,
            lead_units=users["canbo_vhxh"].unit,
            completed_on__isnull=True,
            due_date__gt=soon,
        )
        .exclude(pk__in=ProgressReport.objects.values("task_id"))
        .order_by("due_date", "order", "id")
        .first()
    )
    if task is not None:
        tracking_services.task_update(
            actor=users["vanphong"], task=task, changes={"deadline_text": f"{soon:%d/%m/%Y}"}
        )
    deadlines_near(organization=ward)
