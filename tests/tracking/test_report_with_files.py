"""A report with its files is written all or nothing, by the one service the page uses: files
stored first (outside the transaction), then report, evidence rows, audit records and the
progress chain in one transaction; a failure anywhere leaves no half report and no orphan file."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from theodoi.alerts import services as alert_services
from theodoi.audit.models import AuditEvent
from theodoi.reporting import services as reporting
from theodoi.reporting.models import Evidence, ProgressReport, evidence_path
from theodoi.tracking import services
from theodoi.tracking.services import Upload

PDF = b"%PDF-1.4\n% theodoi\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
OTHER_PDF = PDF + b"% second\n"


def _path(settings, data: bytes) -> Path:
    name = evidence_path(None, "", digest=hashlib.sha256(data).hexdigest())
    return Path(settings.MEDIA_ROOT) / name


def _submit(world, uploads):
    return services.report_submit_with_files(
        actor=world.people.officer,
        task=world.task_vhxh,
        period="2026-Q4",
        percent=100,
        result="Đã xong",
        uploads=uploads,
        kind="signed_document",
        document_number="12/BC",
    )


def test_report_and_files_are_written_together(world, settings):
    report, files = _submit(world, [Upload("a.pdf", PDF), Upload("b.pdf", OTHER_PDF)])
    assert {f.report_id for f in files} == {report.pk} and len(files) == 2
    assert _path(settings, PDF).exists() and _path(settings, OTHER_PDF).exists()
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["report.submit", "evidence.upload", "evidence.upload"]
    world.task_vhxh.refresh_from_db()
    assert world.task_vhxh.progress == 100  # the progress chain ran


def test_a_failure_in_the_middle_leaves_no_half_report_and_no_file(world, settings, monkeypatch):
    """The second evidence row fails to save, after the report and the first row were written
    in the transaction: everything is rolled back and the files stored for it are removed."""
    real = reporting.evidence_record
    calls = []

    def second_fails(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("database gone")
        return real(**kwargs)

    monkeypatch.setattr(reporting, "evidence_record", second_fails)
    with pytest.raises(RuntimeError):
        _submit(world, [Upload("a.pdf", PDF), Upload("b.pdf", OTHER_PDF)])
    assert len(calls) == 2
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["report.submit", "evidence.upload"]).exists()
    assert not _path(settings, PDF).exists() and not _path(settings, OTHER_PDF).exists()


def test_a_failing_progress_chain_rolls_the_report_back(world, settings, monkeypatch):
    def broken(task):
        raise RuntimeError("alerts down")

    monkeypatch.setattr(services, "evaluate_task", broken)
    with pytest.raises(RuntimeError):
        _submit(world, [Upload("a.pdf", PDF)])
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    assert not _path(settings, PDF).exists()


def test_a_file_someone_else_recorded_is_never_removed(world, settings, monkeypatch):
    """Content-addressed: the same bytes already recorded for another row stay on disk."""
    kept = services.evidence_upload(
        actor=world.people.officer, name="a.pdf", data=PDF, task=world.task_vhxh
    )
    monkeypatch.setattr(services, "progress_changed", lambda task: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        _submit(world, [Upload("a.pdf", PDF)])
    assert list(Evidence.objects.all()) == [kept]
    assert _path(settings, PDF).read_bytes() == PDF


def test_files_are_stored_outside_the_transaction(world, monkeypatch):
    """Issue 12: storing takes seconds and must not hold SQLite's write lock. (The test runs
    in pytest-django's own transaction; the service's transaction shows as a savepoint.)"""
    from django.db import connection

    from theodoi.core import storage

    depth = {"store": [], "record": []}
    real_store, real_record = storage.store, reporting.evidence_record

    def watching_store(*args, **kwargs):
        depth["store"].append(len(connection.savepoint_ids))
        return real_store(*args, **kwargs)

    def watching_record(**kwargs):
        depth["record"].append(len(connection.savepoint_ids))
        return real_record(**kwargs)

    monkeypatch.setattr(storage, "store", watching_store)
    monkeypatch.setattr(reporting, "evidence_record", watching_record)
    outside = len(connection.savepoint_ids)
    _submit(world, [Upload("a.pdf", PDF), Upload("b.pdf", OTHER_PDF)])
    assert depth["store"] == [outside, outside]
    assert all(level > outside for level in depth["record"]) and len(depth["record"]) == 2


def test_a_refused_file_on_the_page_writes_nothing_and_keeps_the_form(client, world):
    client.force_login(world.people.officer)
    response = client.post(
        reverse("report_submit", args=[world.task_vhxh.pk]),
        {
            "period": "2026-Q4",
            "percent": "1.234,5",
            "result": "Kết quả đã gõ",
            "evidence": [SimpleUploadedFile("a.pdf", PDF)],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100." in page
    assert "Kết quả đã gõ" in page and 'value="1.234,5"' in page
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


def test_the_chain_refreshes_alerts_through_the_orchestrator_only(world, monkeypatch):
    """reporting's own write does not reach up to alerts; the tracking service does."""
    evaluated = []
    monkeypatch.setattr(services, "evaluate_task", evaluated.append)
    monkeypatch.setattr(alert_services, "evaluate_task", evaluated.append)
    reporting.report_submit(
        actor=world.people.officer, task=world.task_vhxh, period="2026-Q3", percent=10
    )
    assert evaluated == []
    services.report_submit(
        actor=world.people.officer, task=world.task_vhxh, period="2026-Q4", percent=20
    )
    assert evaluated == [world.task_vhxh]
