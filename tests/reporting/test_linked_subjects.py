"""Reporting sits below the self-assessment and never names it: an answer's evidence file is
linked by assessment.AnswerEvidence, which reporting serves, audits and reviews through what
assessment registers in reporting.subjects. The move of the link keeps every existing one."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from theodoi.assessment import services
from theodoi.assessment.models import Answer, AnswerEvidence, Submission
from theodoi.audit.actions import AuditAction
from theodoi.audit.models import AuditEvent
from theodoi.core.samplepdf import tiny_pdf
from theodoi.reporting.models import Evidence
from theodoi.reporting.selectors import evidence_for_user, review_queue

ROOT = Path(__file__).resolve().parent.parent.parent
# Code and templates of reporting: the migrations are history and keep the old column's name.
SOURCES = [
    path
    for folder in ("theodoi/reporting", "theodoi/templates/reporting")
    for path in sorted((ROOT / folder).rglob("*"))
    if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts
]
# The app above, by name, by its models' label, or by the old column's lookups.
HIGHER = re.compile(r"assessment|answer__|answer_id|answer_link", re.IGNORECASE)


def test_reporting_never_names_the_self_assessment():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in SOURCES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HIGHER.search(line)
    ]
    assert SOURCES and not found, "\n".join(found)


BEFORE = [("assessment", "0001_initial"), ("reporting", "0003_evidence_of_answers")]


def _file(model, **subject):
    return model.objects.create(
        file="evidence/ab/" + "ab" * 32,
        sha256="ab" * 32,
        original_name="ke-hoach.pdf",
        content_type="application/pdf",
        size=3,
        **subject,
    )


@pytest.mark.django_db(transaction=True)
def test_an_answers_evidence_keeps_its_link_through_the_migrations(world):
    office = world.people.office
    framework = services.framework_adopt_default(actor=office, ward=world.ward_a, year=2026)
    campaign = services.campaign_open(
        actor=office, framework=framework, units=[world.vhxh], name="Tự đánh giá 2026"
    )
    answer = Answer.objects.create(
        submission=Submission.objects.get(campaign=campaign, unit=world.vhxh), code="1.1"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_evidence = executor.loader.project_state(BEFORE).apps.get_model("reporting", "Evidence")
    answer_file = _file(old_evidence, answer_id=answer.pk)
    task_file = _file(old_evidence, task_id=world.task_vhxh.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = Evidence.objects.get(pk=answer_file.pk)
    assert moved.answer_link.answer == answer
    assert list(answer.evidence.all()) == [moved]
    assert moved.subject == answer and moved.organization == world.ward_a
    assert not AnswerEvidence.objects.filter(evidence_id=task_file.pk).exists()
    assert Evidence.objects.get(pk=task_file.pk).subject == world.task_vhxh

    # Reversed, the link goes back to the old column.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_evidence = executor.loader.project_state(BEFORE).apps.get_model("reporting", "Evidence")
    assert old_evidence.objects.get(pk=answer_file.pk).answer_id == answer.pk
    assert old_evidence.objects.get(pk=task_file.pk).answer_id is None
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_an_answers_file_is_served_audited_and_scoped_through_the_registration(world, client):
    office = world.people.office
    framework = services.framework_adopt_default(actor=office, ward=world.ward_a, year=2026)
    campaign = services.campaign_open(
        actor=office, framework=framework, units=[world.vhxh, world.police], name="Tự đánh giá"
    )
    submission = Submission.objects.get(campaign=campaign, unit=world.vhxh)
    evidence = services.evidence_attach(
        actor=world.people.officer,
        submission=submission,
        code="1.1",
        name="ke-hoach.pdf",
        data=tiny_pdf("Kế hoạch"),
    )
    answer = Answer.objects.get(submission=submission, code="1.1")
    assert evidence.answer_link.answer == answer and evidence.subject == answer
    upload = AuditEvent.objects.get(action=AuditAction.EVIDENCE_UPLOAD)
    assert upload.organization == world.ward_a
    # Another unit of the ward sees neither the file nor the form it belongs to.
    assert evidence_for_user(world.people.officer).filter(pk=evidence.pk).exists()
    assert not evidence_for_user(world.people.police_officer).filter(pk=evidence.pk).exists()
    client.force_login(world.people.police_officer)
    assert client.get(reverse("evidence_file", args=[evidence.pk])).status_code == 404
    client.force_login(world.people.office)
    assert client.get(reverse("evidence_file", args=[evidence.pk])).status_code == 200
    # Reviewed beside its answer, not in the tasks' queue.
    waiting, _reports = review_queue(world.people.office)
    assert evidence not in waiting
