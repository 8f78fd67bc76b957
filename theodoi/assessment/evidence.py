"""The answers' evidence files, as reporting sees them (reporting.subjects): registered when
``AssessmentConfig.ready()`` imports this module, so that reporting stores, serves, audits and
reviews them like a task's files without knowing this app."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from theodoi.assessment.models import Answer, AnswerEvidence, Campaign
from theodoi.core.access import Action, limited_to_own_unit, org_scope
from theodoi.org.models import User
from theodoi.reporting import subjects
from theodoi.reporting.models import Evidence


class AnswerSubjects:
    model = Answer
    # The unit assessed, or the office, attaches a file to one of its answers.
    attach_action = Action.ASSESS

    def visible(self, user: User) -> Q:
        scope = org_scope(user, "answer_link__answer__submission__campaign__organization")
        if limited_to_own_unit(user):
            # A unit sees its own self-assessment, not the other units' (as on the toolkit's
            # pages).
            scope &= Q(answer_link__answer__submission__unit_id=user.unit_id)
        return scope

    def subject_of(self, evidence: Evidence) -> Answer | None:
        if evidence.pk is None:
            return None
        try:
            return evidence.answer_link.answer
        except AnswerEvidence.DoesNotExist:
            return None

    def link(self, *, subject: Any, evidence: Evidence) -> None:
        AnswerEvidence.objects.create(answer=subject, evidence=evidence)

    def review_refusal(self, evidence: Evidence) -> str | None:
        closed = AnswerEvidence.objects.filter(
            evidence=evidence, answer__submission__campaign__status=Campaign.Status.CLOSED
        )
        if closed.exists():
            return _("The self-assessment round is closed; its evidence can no longer be reviewed.")
        return None


subjects.register(AnswerSubjects())
