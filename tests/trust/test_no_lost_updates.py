"""Two people edit the same task or review the same file: the second gets a clear message."""

import pytest

from theodoi.plans.models import Task
from theodoi.plans.services import StaleEdit, task_update
from theodoi.reporting.models import EvidenceReview
from theodoi.reporting.services import (
    ReportingError,
    StaleReview,
    evidence_review,
    evidence_upload,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_second_task_editor_gets_stale_edit(world):
    office = world.people.office
    # Both open the edit form and see the same version token.
    first_view = Task.objects.get(pk=world.task_vhxh.pk)
    second_view = Task.objects.get(pk=world.task_vhxh.pk)
    token = first_view.updated_at
    task_update(
        actor=office,
        task=first_view,
        changes={"title": "Bản của người thứ nhất"},
        expected_updated_at=token,
    )
    with pytest.raises(StaleEdit, match="người khác cập nhật"):
        task_update(
            actor=office,
            task=second_view,
            changes={"title": "Bản của người thứ hai"},
            expected_updated_at=token.isoformat(),
        )
    assert Task.objects.get(pk=world.task_vhxh.pk).title == "Bản của người thứ nhất"
    assert isinstance(StaleEdit(), ValueError)


def test_task_editor_with_fresh_token_saves(world):
    task = Task.objects.get(pk=world.task_vhxh.pk)
    task_update(
        actor=world.people.office,
        task=task,
        changes={"title": "Mới"},
        expected_updated_at=task.updated_at.isoformat(),
    )
    assert Task.objects.get(pk=task.pk).title == "Mới"


def test_task_update_without_token_keeps_last_write_wins(world):
    a = Task.objects.get(pk=world.task_vhxh.pk)
    b = Task.objects.get(pk=world.task_vhxh.pk)
    task_update(actor=world.people.office, task=a, changes={"title": "A"})
    task_update(actor=world.people.office, task=b, changes={"title": "B"})
    assert Task.objects.get(pk=a.pk).title == "B"


def test_second_reviewer_gets_stale_review(world):
    evidence = evidence_upload(
        actor=world.people.officer, name="a.pdf", data=PDF, task=world.task_vhxh
    )
    # Two people of the office open the file, which has no review yet (0).
    evidence_review(
        actor=world.people.office, evidence=evidence, decision="accept", expected_review_id=0
    )
    with pytest.raises(StaleReview, match="người khác xem xét") as exc:
        evidence_review(
            actor=world.people.office,
            evidence=evidence,
            decision="reject",
            reason="Thiếu chữ ký",
            expected_review_id=0,
        )
    assert isinstance(exc.value, ReportingError)
    assert list(
        EvidenceReview.objects.filter(evidence=evidence).values_list("decision", flat=True)
    ) == ["accepted"]
    # Having seen the accepted review, a reviewer may change the decision.
    latest = EvidenceReview.objects.get(evidence=evidence)
    evidence_review(
        actor=world.people.office,
        evidence=evidence,
        decision="reject",
        reason="Thiếu chữ ký",
        expected_review_id=latest.pk,
    )
    assert EvidenceReview.objects.filter(evidence=evidence).count() == 2


def test_review_without_token_behaves_as_before(world):
    evidence = evidence_upload(
        actor=world.people.officer, name="a.pdf", data=PDF, task=world.task_vhxh
    )
    evidence_review(actor=world.people.office, evidence=evidence, decision="accept")
    evidence_review(actor=world.people.office, evidence=evidence, decision="reject", reason="x")
    assert EvidenceReview.objects.filter(evidence=evidence).count() == 2
