"""The Word and PDF report through the background worker: the page queues it, shows that it is
being prepared (htmx asks again every few seconds), offers the file once the worker made it,
and says what went wrong and what to do otherwise. Each export is its asker's alone."""

import datetime
import io

import docx
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from tests.exports.conftest import PERIOD
from tests.queues import real_queue  # noqa: F401 (fixture)
from theodoi.audit.models import AuditEvent
from theodoi.core import storage
from theodoi.exports import pdf, services
from theodoi.exports.models import ReportExport

PREPARING = "Đang chuẩn bị báo cáo…"


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def prepare(plan, fmt="docx", period=PERIOD):
    return reverse("export_report_prepare", args=[plan.pk, fmt]) + f"?period={period}"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def words(response) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(body(response))).paragraphs)


def test_the_page_queues_the_report_and_offers_it_once_the_worker_made_it(
    login,
    quarter,
    real_queue,  # noqa: F811
):
    leader = quarter.world.people.leader
    client = login(leader)
    with real_queue.sending():
        posted = client.post(prepare(quarter.plan))
    assert posted.status_code == 302
    export = ReportExport.objects.get()
    assert posted["Location"] == reverse("export_status", args=[export.pk])
    assert (export.requested_by, export.status) == (leader, ReportExport.Status.QUEUED)
    assert real_queue.waiting() == 1

    page = client.get(posted["Location"])
    html = page.content.decode()
    assert PREPARING in html and 'hx-trigger="every 2s"' in html
    assert reverse("export_download", args=[export.pk]) not in html
    # Until it is made, the download leads back to the page that follows it.
    assert client.get(reverse("export_download", args=[export.pk])).status_code == 302

    real_queue.run_worker()
    assert real_queue.waiting() == 0

    # What htmx fetches: the part of the page, with the file and no more polling.
    partial = client.get(posted["Location"], HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html and "hx-trigger" not in html
    assert "Báo cáo đã sẵn sàng." in html
    assert reverse("export_download", args=[export.pk]) in html
    download = client.get(reverse("export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Cache-Control"] == "private, no-store"
    assert "Kế hoạch có 5 nhiệm vụ." in words(download)

    export.refresh_from_db()
    assert export.status == ReportExport.Status.READY
    assert export.file.name == f"exports/{export.sha256[:2]}/{export.sha256}"
    assert storage.measure(export.file.name) == storage.Found(export.size, export.sha256)
    assert AuditEvent.objects.get(action="report.export").actor == leader


def test_the_office_edits_go_through_the_queue_into_the_file(login, quarter, real_queue):  # noqa: F811
    client = login(quarter.world.people.office)
    initial = client.get(reverse("export_report", args=[quarter.plan.pk]) + f"?period={PERIOD}")
    data = {k: v for k, v in initial.context["form"].initial.items() if v is not None}
    data.update({"date": "2026-10-12", "proposals": "- Đề nghị hỗ trợ.", "format": "docx"})
    with real_queue.sending():
        posted = client.post(
            reverse("export_report", args=[quarter.plan.pk]) + f"?period={PERIOD}", data
        )
    assert posted.status_code == 302
    real_queue.run_worker()
    export = ReportExport.objects.get()
    text = words(client.get(reverse("export_download", args=[export.pk])))
    assert "- Đề nghị hỗ trợ." in text and "ngày 12 tháng 10 năm 2026" in "\n".join(
        cell.text
        for table in docx.Document(default_storage.open(export.file.name, "rb")).tables
        for row in table.rows
        for cell in row.cells
    )


def test_an_export_is_its_askers_alone(login, quarter):
    people = quarter.world.people
    login(people.leader).post(prepare(quarter.plan))
    export = ReportExport.objects.get()
    for other in (people.office, people.officer, people.other_ward, people.upper):
        client = login(other)
        assert client.get(reverse("export_status", args=[export.pk])).status_code == 404
        assert client.get(reverse("export_download", args=[export.pk])).status_code == 404


def test_someone_no_longer_allowed_cannot_fetch_their_old_export(login, quarter):
    leader = quarter.world.people.leader
    login(leader).post(prepare(quarter.plan))
    export = ReportExport.objects.get()
    leader.role = "unit_officer"
    leader.unit = quarter.world.vhxh
    leader.save()
    client = login(leader)
    assert client.get(reverse("export_download", args=[export.pk])).status_code == 403


def test_units_cannot_ask_for_the_report(login, quarter):
    client = login(quarter.world.people.officer)
    assert client.post(prepare(quarter.plan)).status_code == 403
    assert client.get(prepare(quarter.plan)).status_code == 405
    assert client.post(prepare(quarter.plan, "xlsx")).status_code == 403
    assert client.post(prepare(quarter.plan, "odt")).status_code == 404
    assert not ReportExport.objects.exists()


def _failed_page(client, plan) -> str:
    posted = client.post(prepare(plan, "pdf"))
    assert posted.status_code == 302
    page = client.get(posted["Location"])
    assert page.status_code == 200
    assert ReportExport.objects.get().status == ReportExport.Status.FAILED
    return page.content.decode()


def test_a_failed_pdf_says_to_download_word(login, quarter, monkeypatch):
    monkeypatch.setattr(pdf, "available", lambda: True)

    def broken(blob):
        raise pdf.PdfError(pdf.FAILED)

    monkeypatch.setattr(pdf, "docx_to_pdf", broken)
    html = _failed_page(login(quarter.world.people.leader), quarter.plan)
    assert str(pdf.FAILED) in html and "hx-trigger" not in html


def test_a_storage_failure_says_to_ask_again_and_whom_to_tell(login, quarter, monkeypatch):
    monkeypatch.setattr(pdf, "available", lambda: True)
    monkeypatch.setattr(pdf, "docx_to_pdf", lambda blob: b"%PDF-1.4 test")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "store", full_disk)
    html = _failed_page(login(quarter.world.people.leader), quarter.plan)
    assert "Báo cáo đã lập xong nhưng không lưu được tệp" in html
    assert "quản trị viên" in html


def test_an_unexpected_error_is_recorded_and_explained(login, quarter, monkeypatch):
    monkeypatch.setattr(pdf, "available", lambda: True)

    def bug(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services.docx, "write_docx", bug)
    html = _failed_page(login(quarter.world.people.leader), quarter.plan)
    assert "Không lập được báo cáo do lỗi của hệ thống" in html


def test_an_unreachable_queue_is_said_at_once(
    login, quarter, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # Nothing listens on port 1.
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    client = login(quarter.world.people.leader)
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(prepare(quarter.plan))
    html = client.get(posted["Location"]).content.decode()
    assert "hàng đợi" in html and "quản trị viên" in html
    assert ReportExport.objects.get().failure == ReportExport.Failure.QUEUE


def test_a_report_still_waiting_after_minutes_says_the_worker_may_be_down(login, quarter, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    client = login(quarter.world.people.leader)
    posted = client.post(prepare(quarter.plan))
    html = client.get(posted["Location"]).content.decode()
    assert PREPARING in html and "theodoi worker" not in html
    ReportExport.objects.update(requested_at=timezone.now() - datetime.timedelta(minutes=5))
    html = client.get(posted["Location"]).content.decode()
    assert PREPARING in html and "theodoi worker" in html


def test_a_second_run_of_the_same_task_makes_nothing_twice(login, quarter):
    login(quarter.world.people.leader).post(prepare(quarter.plan))
    export = ReportExport.objects.get()
    assert services.report_export_build(export_id=export.pk) == "skipped"
    assert AuditEvent.objects.filter(action="report.export").count() == 1
