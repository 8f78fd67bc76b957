"""The report's download links (Word, PDF, the Excel tables, the zip package) through the
background worker: the link queues the file and leads to the export's page, which offers it once
the worker made it; the same link again hands out the file already made while the data is
unchanged. Permissions are asked again at the download, failures say what to do, and each file
made is in the audit trail as before."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.exports.conftest import PERIOD
from tests.queues import real_queue  # noqa: F401 (fixture)
from theodoi.audit.models import AuditEvent
from theodoi.core import storage
from theodoi.exports import pdf, services
from theodoi.exports.models import ReportExport
from theodoi.tracking import services as tracking

PREPARING = "Đang chuẩn bị báo cáo…"


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def file_url(plan, fmt, period=PERIOD):
    return reverse("export_report_file", args=[plan.pk, fmt]) + f"?period={period}"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def exports_made() -> int:
    return AuditEvent.objects.filter(action="report.export").count()


def check_file(fmt: str, data: bytes) -> None:
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(data))["Nhiệm vụ"]
        assert any(
            "Bồi dưỡng kỹ năng số cho cán bộ" in str(cell)
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    elif fmt == "zip":
        assert "SHA256SUMS" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    else:
        assert zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "zip"])
def test_the_link_queues_the_file_the_page_follows_it_and_offers_it(
    login,
    quarter,
    fmt,
    real_queue,  # noqa: F811
):
    leader = quarter.world.people.leader
    client = login(leader)
    with real_queue.sending():
        linked = client.get(file_url(quarter.plan, fmt))
    export = ReportExport.objects.get()
    assert linked.status_code == 302
    assert linked["Location"] == reverse("export_status", args=[export.pk])
    assert (export.kind, export.format, export.status) == ("report", fmt, "queued")
    assert real_queue.waiting() == 1
    html = client.get(linked["Location"]).content.decode()
    assert PREPARING in html and 'hx-trigger="every 2s"' in html
    # A second click while it is being made follows the same export, not a second one.
    with real_queue.sending():
        again = client.get(file_url(quarter.plan, fmt))
    assert again["Location"] == linked["Location"]
    assert ReportExport.objects.count() == 1 and real_queue.waiting() == 1
    assert exports_made() == 0

    real_queue.run_worker()

    html = client.get(linked["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "Báo cáo đã sẵn sàng." in html and "hx-trigger" not in html
    download = client.get(reverse("export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == services.FORMATS[fmt]
    assert download["Cache-Control"] == "private, no-store"
    assert download["Content-Disposition"].startswith("attachment;")
    assert f".{fmt}" in download["Content-Disposition"]
    check_file(fmt, body(download))
    made = AuditEvent.objects.get(action="report.export")
    assert made.actor == leader and made.after["format"] == fmt


def test_the_same_link_hands_out_the_file_made_while_the_data_is_unchanged(
    login,
    quarter,
    real_queue,  # noqa: F811
):
    people = quarter.world.people
    client = login(people.leader)
    with real_queue.sending():
        client.get(file_url(quarter.plan, "xlsx"))
    real_queue.run_worker()
    first = ReportExport.objects.get()

    # The same file: handed out at once, and recorded as a download as before.
    served = client.get(file_url(quarter.plan, "xlsx"))
    assert served.status_code == 200
    with default_storage.open(first.file.name, "rb") as stored:
        assert body(served) == stored.read()
    assert ReportExport.objects.count() == 1 and real_queue.waiting() == 0
    assert exports_made() == 2
    # Another period or format is another file.
    with real_queue.sending():
        other = client.get(file_url(quarter.plan, "xlsx", period="2026-09"))
    assert other.status_code == 302 and ReportExport.objects.count() == 2

    # A write anywhere (here a review of evidence): the data may differ, the file is made anew.
    unreviewed = quarter.evidence.unreviewed
    tracking.evidence_review(actor=people.office, evidence=unreviewed, decision="accept")
    with real_queue.sending():
        anew = client.get(file_url(quarter.plan, "xlsx"))
    assert anew.status_code == 302
    assert ReportExport.objects.filter(period=PERIOD, format="xlsx").count() == 2


def test_units_and_other_wards_get_no_file_and_queue_nothing(login, quarter):
    people = quarter.world.people
    for fmt in ("docx", "xlsx", "zip"):
        assert login(people.officer).get(file_url(quarter.plan, fmt)).status_code == 403
        assert login(people.other_ward).get(file_url(quarter.plan, fmt)).status_code == 404
    assert not ReportExport.objects.exists()


def test_a_made_file_is_refused_to_whoever_lost_the_right_since(
    login,
    quarter,
    real_queue,  # noqa: F811
):
    leader = quarter.world.people.leader
    client = login(leader)
    with real_queue.sending():
        client.get(file_url(quarter.plan, "zip"))
    real_queue.run_worker()
    export = ReportExport.objects.get(status="ready")
    leader.role = "unit_officer"
    leader.unit = quarter.world.vhxh
    leader.save()
    client = login(leader)
    assert client.get(reverse("export_download", args=[export.pk])).status_code == 403
    assert client.get(reverse("export_status", args=[export.pk])).status_code == 403
    assert client.get(file_url(quarter.plan, "zip")).status_code == 403


def test_a_right_lost_while_queued_fails_with_the_reason(
    login,
    quarter,
    real_queue,  # noqa: F811
):
    leader = quarter.world.people.leader
    with real_queue.sending():
        login(leader).get(file_url(quarter.plan, "xlsx"))
    leader.role = "unit_officer"
    leader.unit = quarter.world.vhxh
    leader.save()
    real_queue.run_worker()
    export = ReportExport.objects.get()
    assert (export.status, export.failure) == ("failed", "permission")
    assert not export.file and exports_made() == 0


@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_a_failure_is_shown_with_what_to_do(login, quarter, monkeypatch, fmt):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "store", full_disk)
    client = login(quarter.world.people.leader)
    # The immediate queue: the file is tried within the request, the page says what happened.
    linked = client.get(file_url(quarter.plan, fmt))
    assert linked.status_code == 302
    html = client.get(linked["Location"]).content.decode()
    assert "Báo cáo đã lập xong nhưng không lưu được tệp" in html and "quản trị viên" in html
    assert "hx-trigger" not in html
    # Asked again from the page: a failed export is not reused, the file is tried again.
    retry = file_url(quarter.plan, fmt)
    assert f'id="export-retry" href="{retry}"' in html
    monkeypatch.undo()
    again = client.get(retry)
    assert again.status_code == 200
    check_file(fmt, body(again))


def test_with_the_immediate_queue_the_link_is_still_a_download(login, quarter):
    """A single-process installation (no worker): the file is made within the request and the
    link downloads it as before."""
    client = login(quarter.world.people.office)
    response = client.get(file_url(quarter.plan, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"] == services.FORMATS["docx"]
    assert ReportExport.objects.get().status == "ready"
    assert exports_made() == 1


def test_a_period_not_yet_begun_is_refused_on_the_page(login, quarter):
    response = login(quarter.world.people.office).get(file_url(quarter.plan, "zip", "2027-Q1"))
    assert response.status_code == 400
    assert "chưa bắt đầu" in response.content.decode()
    assert not ReportExport.objects.exists()


def test_no_pdf_converter_is_said_before_anything_is_queued(login, quarter, monkeypatch):
    monkeypatch.setattr(pdf, "available", lambda: False)
    response = login(quarter.world.people.office).get(file_url(quarter.plan, "pdf"))
    assert response.status_code == 503
    assert str(pdf.UNAVAILABLE) in response.content.decode()
    assert not ReportExport.objects.exists()


def test_a_file_the_storage_lost_is_asked_for_again_not_a_server_error(login, quarter):
    client = login(quarter.world.people.leader)
    assert client.get(file_url(quarter.plan, "xlsx")).status_code == 200
    export = ReportExport.objects.get()
    default_storage.delete(export.file.name)
    lost = client.get(reverse("export_download", args=[export.pk]))
    assert lost.status_code == 302
    html = client.get(lost["Location"]).content.decode()
    assert "không lưu được tệp" in html and "Hãy yêu cầu lập lại" in html
    # The link makes it anew rather than handing out the lost one.
    again = client.get(file_url(quarter.plan, "xlsx"))
    assert again.status_code == 200 and ReportExport.objects.count() == 2


def test_old_exports_and_their_files_are_pruned_a_shared_file_kept(login, quarter):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    client = login(quarter.world.people.leader)
    client.get(file_url(quarter.plan, "xlsx"))
    client.get(file_url(quarter.plan, "zip"))
    old_xlsx, old_zip = ReportExport.objects.order_by("pk")
    # A later export with the same bytes as the old table shares its stored file.
    twin = ReportExport.objects.get(pk=old_xlsx.pk)
    twin.pk = None
    twin.save()
    ReportExport.objects.filter(pk__in=[old_xlsx.pk, old_zip.pk]).update(
        requested_at=timezone.now() - datetime.timedelta(days=8)
    )
    out = io.StringIO()
    call_command("prune_exports", stdout=out)
    assert "2 exports and 1 files removed" in out.getvalue()
    assert list(ReportExport.objects.values_list("pk", flat=True)) == [twin.pk]
    assert default_storage.exists(old_xlsx.file.name)
    assert not default_storage.exists(old_zip.file.name)
