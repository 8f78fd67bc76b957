"""Writes of the reporting workflow. This issue has directives; reports, evidence and reviews
come with the tracking issue and follow the same pattern (atomic, permission, audit)."""

from django.db import transaction
from django.utils import timezone

from theodoi.audit.services import audit_record, snapshot
from theodoi.core.access import Action, require
from theodoi.org.models import User
from theodoi.plans.models import Task
from theodoi.reporting.models import Directive


class EmptyText(ValueError):
    """Raised when a directive or an answer has no text."""


@transaction.atomic
def directive_create(*, actor: User, task: Task, text: str) -> Directive:
    require(actor, Action.DIRECT, task)
    text = text.strip()
    if not text:
        raise EmptyText
    directive = Directive.objects.create(task=task, author=actor, text=text)
    audit_record(
        actor=actor,
        action="directive.create",
        obj=directive,
        organization=task.plan.organization,
        summary=text[:200],
        after=snapshot(directive),
    )
    return directive


@transaction.atomic
def directive_answer(*, actor: User, directive: Directive, answer: str) -> Directive:
    require(actor, Action.ANSWER_DIRECTIVE, directive.task)
    answer = answer.strip()
    if not answer:
        raise EmptyText
    before = snapshot(directive)
    directive.answer = answer
    directive.answered_by = actor
    directive.answered_at = timezone.now()
    directive.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(
        actor=actor,
        action="directive.answer",
        obj=directive,
        organization=directive.task.plan.organization,
        summary=answer[:200],
        before=before,
        after=snapshot(directive),
    )
    return directive
