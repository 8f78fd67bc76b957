"""Scanned PDFs: read by OCR (ocrmypdf with Tesseract's Vietnamese model), in the background
worker with a page that follows the pages done, and a clear message when OCR is not installed.

The accuracy test makes its own scan (tests/importer/corpus/scanned.py: the corpus plan typeset,
turned about a degree, with grain and specks, saved as images only) and measures the draft
against what a person wrote down. The page tests stub the OCR program itself, so they run on any
machine; the tests that run it skip, naming the packages, where it is not installed.
"""

import io
import json
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.importer import documents
from tests.importer.corpus.scanned import scanned_plan_pdf
from tests.queues import Queue
from theodoi.importer.accuracy import measure
from theodoi.importer.document import Paragraph
from theodoi.importer.models import ImportDraft, ImportReading
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.readers import UnsupportedDocument, ocr, read_document
from theodoi.importer.readers.pdf import _page_ranges, recognised_lines

CORPUS = Path(__file__).parent / "corpus"
GOAL = 0.85

requires_ocr = pytest.mark.skipif(
    bool(ocr.missing()),
    reason=f"OCR is not installed ({ocr.missing()}): apt-get install {ocr.PACKAGES}",
)


# The scanned plan, read for real -----------------------------------------------------------------


@pytest.fixture(scope="module")
def scan() -> bytes:
    return scanned_plan_pdf()


@pytest.fixture(scope="module")
def read_scan(scan):
    """The scanned plan through the importer once: the draft, the progress seen, and the time."""
    steps: list[tuple[int, int]] = []
    started = time.perf_counter()
    draft = draft_from_bytes(
        scan, name="scanned-plan.pdf", progress=lambda done, total: steps.append((done, total))
    )
    return draft, steps, time.perf_counter() - started


def test_the_scan_has_no_text_layer_of_its_own(scan):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(scan)) as pdf:
        assert len(pdf.pages) >= 2
        assert all(not page.chars for page in pdf.pages)
        assert all(page.images for page in pdf.pages)


@requires_ocr
def test_a_scanned_plan_is_read_by_ocr_to_the_goal(read_scan, capsys):
    draft, steps, seconds = read_scan
    expected = json.loads((CORPUS / "scanned-plan.expected.json").read_text(encoding="utf-8"))
    assert expected["scanned"] is True
    result = measure("scanned-plan.pdf", draft, expected)
    with capsys.disabled():
        print(
            f"\nscanned-plan.pdf: {result.matched}/{result.expected} tasks, recall "
            f"{result.recall:.0%}, precision {result.precision:.0%}, leads {result.leads:.0%}, "
            f"deadlines {result.deadlines:.0%}; read in {seconds:.1f} s"
        )
        for miss in result.misses:
            print(f"    {miss}")
    assert result.recall >= GOAL
    assert result.precision >= GOAL
    assert result.leads >= GOAL
    assert result.deadlines >= GOAL
    # The plan's date came through OCR too.
    assert draft.plan.issued_on is not None and draft.plan.issued_on.isoformat() == "2026-03-12"


@requires_ocr
def test_ocr_reports_each_page_and_the_draft_says_it_was_read_by_ocr(read_scan):
    draft, steps, _ = read_scan
    pages = steps[0][1]
    assert steps[0] == (0, pages) and steps[-1] == (pages, pages)
    assert [done for done, _ in steps] == sorted({done for done, _ in steps})
    assert any(
        "chữ được nhận dạng bằng OCR (trang 1–3 không có lớp văn bản)" in warning
        for warning in draft.warnings
    )
    # Each task keeps the page and line it was read from, the deadline line included.
    task = next(t for t in draft.tasks if t.title.startswith("Lập dự toán"))
    assert task.row.startswith("page 3 line ")


@requires_ocr
def test_a_blank_scanned_page_is_said_not_read():
    document = read_document(documents.scanned_pdf(), name="trang-trang.pdf")
    assert document.blocks == []
    assert document.warnings[-1] == (
        "Trang 1: OCR không nhận dạng được chữ nào (trang trắng, hình ảnh hoặc bản quét quá "
        "mờ): nội dung trang này chưa được đọc."
    )


# Without OCR installed ---------------------------------------------------------------------------


def test_without_ocrmypdf_the_message_names_the_packages(monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    assert ocr.missing() == "ocrmypdf"
    with pytest.raises(UnsupportedDocument) as raised:
        read_document(documents.scanned_pdf(), name="kehoach.pdf")
    assert "máy chủ chưa cài ocrmypdf" in raised.value.message
    assert raised.value.message.endswith("apt-get install ocrmypdf tesseract-ocr-vie")


def test_without_the_vietnamese_model_the_message_names_it(monkeypatch):
    class Listed:
        stdout = 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (2):\n'
        stdout += "eng\nosd\n"

    monkeypatch.setattr(ocr.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(ocr.subprocess, "run", lambda *args, **kwargs: Listed())
    assert ocr.missing() == "tesseract-ocr-vie"
    with pytest.raises(UnsupportedDocument) as raised:
        read_document(documents.scanned_pdf(), name="kehoach.pdf")
    assert "máy chủ chưa cài tesseract-ocr-vie" in raised.value.message


def test_a_typed_plan_with_one_scanned_page_is_not_sent_to_ocr(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("OCR must not run for a typed plan")

    monkeypatch.setattr(ocr, "read_pages", refuse)
    data = documents.plan_pdf()
    if data is None:
        pytest.skip("no PDF maker: apt-get install libreoffice-writer, or pip install reportlab")
    document = read_document(data, name="kehoach.pdf")
    assert document.blocks


# What OCR makes of a line -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("_~ Trang bị bổ sung máy tính", "- Trang bị bổ sung máy tính"),
        ("-.- Tổ chức lớp tập huấn", "- Tổ chức lớp tập huấn"),
        ("- Cử công chức tham gia", "- Cử công chức tham gia"),
        # A continuation line keeps its words; a speck before it is not a bullet.
        ("_ và hội viên các hội.", "và hội viên các hội."),
        ("_1. Nâng cao nhận thức", "1. Nâng cao nhận thức"),
        # A deadline label stays a label, whatever speck OCR read before it.
        ("_ Thời gian hoàn thành: Thường xuyên.", "Thời gian hoàn thành: Thường xuyên."),
        ("dân phố. : :", "dân phố."),
        ("Thời gian hoàn thành: Quý 11/2026.", "Thời gian hoàn thành: Quý II/2026."),
        ("Thời gian hoàn thành: Quý II1/2026.", "Thời gian hoàn thành: Quý III/2026."),
        ("Thời gian hoàn thành: Quý 1V/2026.", "Thời gian hoàn thành: Quý IV/2026."),
        ("Thời gian hoàn thành: Quý 4/2026.", "Thời gian hoàn thành: Quý 4/2026."),
        ("(Đã ký) _", "(Đã ký)"),
    ],
)
def test_ocr_lines_are_cleaned_of_what_the_document_does_not_hold(read, meant):
    assert recognised_lines(read) == [meant]


def test_page_ranges():
    assert _page_ranges([1, 2, 3, 5, 7, 8]) == "1–3, 5, 7–8"
    assert _page_ranges([4]) == "4"


# The upload page and the background worker -------------------------------------------------------


def blank_scan(pages: int) -> bytes:
    """An image-only PDF of ``pages`` white pages: what the upload page sees of a scan."""
    from PIL import Image

    images = [Image.new("L", (827, 1170), 255) for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=100.0)
    return buffer.getvalue()


def recognised_pages() -> list[str]:
    """What OCR gives back for a two-page scan: the corpus plan's text, half on each page."""
    lines = (CORPUS / "scanned-plan.md").read_text(encoding="utf-8").splitlines()
    half = len(lines) // 2
    return ["\n".join(lines[:half]), "\n".join(lines[half:])]


@pytest.fixture
def database_queue(settings, django_capture_on_commit_callbacks):
    return Queue("database", settings, django_capture_on_commit_callbacks)


@pytest.fixture
def office(client, world):
    client.force_login(world.people.office)
    return client


def upload(client, data: bytes, name: str = "ke-hoach-quet.pdf"):
    return client.post(reverse("import_upload"), {"document": SimpleUploadedFile(name, data)})


def test_a_scan_is_read_by_the_worker_while_the_page_follows_it(
    office, world, database_queue, monkeypatch
):
    monkeypatch.setattr(ocr, "require", lambda name="": None)
    seen: list[str] = []

    def recognise(data, *, pages, name="", progress=None):
        # The page as htmx fetches it while the worker is half-way.
        progress(1, pages)
        seen.append(office.get(page, HTTP_HX_REQUEST="true").content.decode())
        progress(pages, pages)
        return recognised_pages()

    monkeypatch.setattr(ocr, "read_pages", recognise)
    posted = upload(office, blank_scan(2))
    reading = ImportReading.objects.get()
    page = reverse("import_reading", args=[reading.pk])
    assert posted.status_code == 302 and posted["Location"] == page
    assert reading.status == ImportReading.Status.QUEUED
    assert (reading.organization, reading.created_by) == (world.ward_a, world.people.office)
    assert database_queue.waiting() == 1
    assert not ImportDraft.objects.exists()

    html = office.get(page).content.decode()
    assert "Đang chờ đến lượt đọc…" in html and 'hx-trigger="every 2s"' in html
    # The upload page lists it, for a person who left its page.
    assert page in office.get(reverse("import_upload")).content.decode()

    database_queue.run_worker()
    assert database_queue.waiting() == 0
    assert len(seen) == 1
    assert "<html" not in seen[0] and "Đang đọc trang 1/2…" in seen[0]
    assert '<progress class="w-100 mb-2" max="2" value="1"' in seen[0]

    reading.refresh_from_db()
    stored = ImportDraft.objects.get()
    assert (reading.status, reading.draft, reading.pages_done) == ("done", stored, 2)
    assert bytes(reading.content) == b""
    assert stored.source_name == "ke-hoach-quet.pdf"
    assert any("OCR" in warning for warning in stored.data["warnings"])
    review = reverse("import_review", args=[stored.pk])
    # htmx is sent on to the draft; a plain visit is redirected there.
    assert office.get(page, HTTP_HX_REQUEST="true")["HX-Redirect"] == review
    assert office.get(page)["Location"] == review
    assert "Tổ chức quán triệt Kế hoạch" in office.get(review).content.decode()


def test_a_scan_that_cannot_be_read_says_why_on_its_page(office, database_queue, monkeypatch):
    monkeypatch.setattr(ocr, "require", lambda name="": None)

    def fails(data, *, pages, name="", progress=None):
        raise UnsupportedDocument("Không nhận dạng được chữ (OCR) của tệp PDF quét.")

    monkeypatch.setattr(ocr, "read_pages", fails)
    posted = upload(office, blank_scan(1))
    database_queue.run_worker()
    reading = ImportReading.objects.get()
    assert reading.status == ImportReading.Status.FAILED
    html = office.get(posted["Location"]).content.decode()
    assert "Không nhận dạng được chữ (OCR) của tệp PDF quét." in html
    assert "hx-trigger" not in html
    assert not ImportDraft.objects.exists()


def test_without_ocr_the_upload_page_says_what_to_install(office, monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    response = upload(office, blank_scan(1))
    assert response.status_code == 400
    assert "apt-get install ocrmypdf tesseract-ocr-vie" in response.content.decode()
    assert not ImportReading.objects.exists()


def test_a_reading_is_its_wards_alone(client, world, office):
    reading = ImportReading.objects.create(
        organization=world.ward_a,
        created_by=world.people.office,
        source_name="quet.pdf",
        source_sha256="0" * 64,
        content=b"%PDF-",
    )
    page = reverse("import_reading", args=[reading.pk])
    assert office.get(page).status_code == 200
    client.force_login(world.people.other_ward)
    assert client.get(page).status_code == 404
    client.force_login(world.people.officer)
    assert client.get(page).status_code == 403


def test_each_recognised_line_is_a_paragraph_of_its_page(monkeypatch):
    pages = recognised_pages()
    monkeypatch.setattr(ocr, "read_pages", lambda data, **kwargs: pages)
    document = read_document(blank_scan(2), name="quet.pdf")
    read = [(block.source, block.text) for block in document.blocks]
    assert all(isinstance(block, Paragraph) for block in document.blocks)
    # Blank lines are not paragraphs; the others are, numbered within their page.
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        mine = [(source, line) for source, line in read if source.startswith(f"page {number} ")]
        assert mine == [
            (f"page {number} line {index}", line) for index, line in enumerate(lines, 1)
        ]


def test_a_quarter_split_over_two_lines_gets_its_numeral_back():
    page = "hoàn thành trong quý\n11/2026.\n\n- Tổ chức tập huấn"

    assert recognised_lines(page) == ["hoàn thành trong quý", "II/2026.", "- Tổ chức tập huấn"]


# A reading always ends, and says why when it fails ----------------------------------------------


def queued_reading(world, person, data: bytes = b"%PDF-") -> ImportReading:
    return ImportReading.objects.create(
        organization=world.ward_a,
        created_by=person,
        source_name="quet.pdf",
        source_sha256="0" * 64,
        content=data,
    )


def test_an_error_while_the_draft_is_saved_fails_the_reading(world, monkeypatch):
    from theodoi.importer import services

    monkeypatch.setattr(ocr, "require", lambda name="": None)
    monkeypatch.setattr(ocr, "read_pages", lambda data, **kwargs: recognised_pages())

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "import_draft_create", broken)
    reading = queued_reading(world, world.people.office, blank_scan(2))
    with pytest.raises(RuntimeError):
        services.import_reading_run(reading_id=reading.pk)
    reading.refresh_from_db()
    assert reading.status == ImportReading.Status.FAILED
    assert reading.message == str(services.READING_FAILED)
    assert reading.message.startswith("Đọc văn bản bị lỗi")
    # Nothing will read it again: its bytes are not kept.
    assert bytes(reading.content) == b""


def test_a_reading_left_running_past_the_time_limit_is_shown_failed(office, world):
    from datetime import timedelta

    from django.utils import timezone

    reading = queued_reading(world, world.people.office)
    page = reverse("import_reading", args=[reading.pk])
    # A worker killed mid-OCR: "running" since long before the longest OCR allowed.
    long_ago = timezone.now() - timedelta(seconds=ocr.time_limit(2) + 3600)
    ImportReading.objects.filter(pk=reading.pk).update(
        status=ImportReading.Status.RUNNING, started_at=long_ago, pages_total=2
    )
    html = office.get(page, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html
    assert "Hãy tải văn bản lên lại" in html
    reading.refresh_from_db()
    assert reading.status == ImportReading.Status.FAILED
    assert bytes(reading.content) == b""
    # One running now is left running.
    ImportReading.objects.filter(pk=reading.pk).update(
        status=ImportReading.Status.RUNNING, started_at=timezone.now()
    )
    assert 'hx-trigger="every 2s"' in office.get(page, HTTP_HX_REQUEST="true").content.decode()


def test_a_scan_longer_than_ocr_may_read_is_refused_with_how_to_split_it(monkeypatch):
    monkeypatch.setattr(ocr, "require", lambda name="": None)
    monkeypatch.setattr(ocr, "MAX_PAGES", 2)

    def never(*args, **kwargs):
        raise AssertionError("OCR must not start for a scan it cannot finish")

    monkeypatch.setattr(ocr, "_run", never)
    with pytest.raises(UnsupportedDocument) as raised:
        ocr.read_pages(blank_scan(3), pages=3, name="dai.pdf")
    assert "có 3 trang" in raised.value.message
    assert "tối đa 2 trang" in raised.value.message


def test_the_task_queue_lets_the_longest_ocr_finish_first(monkeypatch):
    import runpy

    monkeypatch.setenv("THEODOI_TASKS", "rq")
    loaded = runpy.run_path(str(Path(__file__).parents[2] / "theodoi" / "settings.py"))
    queue_limit = loaded["RQ_QUEUES"]["default"]["DEFAULT_TIMEOUT"]
    longest = ocr.time_limit(loaded["THEODOI_OCR_MAX_PAGES"])
    assert longest == loaded["THEODOI_OCR_LONGEST"]
    assert queue_limit > longest


def test_ocr_left_early_ends_its_programs(tmp_path):
    import os

    # A stand-in for ocrmypdf: a child (as Tesseract is) and a page done, then a long wait.
    script = (
        "sleep 60 & echo $! > child; echo $$ > parent; "
        f"printf '{ocr._PROGRESS_MARK}\\tOCR\\t1\\t2\\n' >&2; wait"
    )

    def progress(done, total):
        if done:
            raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        ocr._run(["sh", "-c", script], tmp_path, 60, progress)
    for name in ("parent", "child"):
        pid = int((tmp_path / name).read_text())
        for _ in range(50):  # the child is reaped by init, shortly after the kill
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"{name} process {pid} is still running")


def test_a_failed_ocr_says_why_in_vietnamese_and_logs_its_own_words(tmp_path, caplog):
    script = "echo 'EncryptedPdfError: Input PDF is encrypted' >&2; exit 8"
    with caplog.at_level("WARNING", logger="theodoi.importer.readers.ocr"):
        reason = ocr._run(["sh", "-c", script], tmp_path, 60, None)
    assert reason == "tệp PDF được bảo vệ bằng mật khẩu"
    assert "EncryptedPdfError: Input PDF is encrypted" in caplog.text
    script = "echo 'SubprocessOutputError: tesseract crashed' >&2; exit 7"
    reason = ocr._run(["sh", "-c", script], tmp_path, 60, None)
    assert "Error" not in reason and "exit status" not in reason
    assert reason.startswith("chương trình nhận dạng chữ dừng lại vì lỗi")


def test_the_progress_poll_does_not_load_the_scan(office, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reading = queued_reading(world, world.people.office, b"%PDF-" + b"x" * 1000)
    with CaptureQueriesContext(connection) as queries:
        office.get(reverse("import_reading", args=[reading.pk]), HTTP_HX_REQUEST="true")
    read = [query["sql"] for query in queries if "importer_importreading" in query["sql"]]
    assert read and not any('"content"' in sql for sql in read)


def test_a_queued_scan_is_audited_as_an_upload(office, world, database_queue, monkeypatch):
    from theodoi.audit.actions import AuditAction
    from theodoi.audit.models import AuditEvent

    monkeypatch.setattr(ocr, "require", lambda name="": None)
    upload(office, blank_scan(1))
    reading = ImportReading.objects.get()
    event = AuditEvent.objects.get(action=AuditAction.IMPORT_UPLOAD)
    assert (event.actor, event.organization) == (world.people.office, world.ward_a)
    assert (event.object_type, event.object_id) == ("importer.importreading", str(reading.pk))
    assert event.summary.startswith("ke-hoach-quet.pdf: ")


def test_a_failed_reading_keeps_no_bytes(office, database_queue, monkeypatch):
    monkeypatch.setattr(ocr, "require", lambda name="": None)

    def fails(data, *, pages, name="", progress=None):
        raise UnsupportedDocument("Không nhận dạng được chữ (OCR) của tệp PDF quét.")

    monkeypatch.setattr(ocr, "read_pages", fails)
    upload(office, blank_scan(1))
    database_queue.run_worker()
    reading = ImportReading.objects.get()
    assert reading.status == ImportReading.Status.FAILED
    assert bytes(reading.content) == b""


def test_a_person_who_lost_the_right_to_import_gets_no_draft(world, monkeypatch):
    from theodoi.importer import services
    from theodoi.org.models import Role

    monkeypatch.setattr(ocr, "require", lambda name="": None)
    monkeypatch.setattr(ocr, "read_pages", lambda data, **kwargs: recognised_pages())
    person = world.people.office
    reading = queued_reading(world, person, blank_scan(2))
    # Between the upload and the worker, the person became a unit officer.
    person.role = Role.UNIT_OFFICER
    person.save()
    assert services.import_reading_run(reading_id=reading.pk) == ImportReading.Status.FAILED
    reading.refresh_from_db()
    assert reading.status == ImportReading.Status.FAILED
    assert reading.message == str(services.READING_NOT_ALLOWED)
    assert "không còn được nhập kế hoạch" in reading.message
    assert not ImportDraft.objects.exists()


def test_speck_runs_of_any_length_are_dropped_after_the_words():
    assert recognised_lines("Kế hoạch" + " -" * 10_000) == ["Kế hoạch"]
    assert recognised_lines("Kế hoạch" + " -." * 500 + "x") == ["Kế hoạch" + " -." * 500 + "x"]


def text_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with a text layer: each page's lines in Helvetica, top to bottom."""
    count = len(pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count)), count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for index, lines in enumerate(pages):
        shown = b" ".join(b"(%s) Tj 0 -14 Td" % line.encode("latin-1") for line in lines)
        content = b"BT /F1 11 Tf 72 780 Td " + shown + b" ET"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * index)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    return documents.pdf_of(objects)


def test_a_typed_pdfs_page_with_little_text_is_said_in_a_warning(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("OCR must not run for a typed plan")

    monkeypatch.setattr(ocr, "read_pages", refuse)
    typed = [f"Line {n} of the typed plan, long enough to be a page of text." for n in range(5)]
    data = text_pdf([typed, typed, ["12/3/2026"], typed])
    document = read_document(data, name="kehoach.pdf")
    assert [block.text for block in document.blocks].count("12/3/2026") == 1
    assert document.warnings == [
        "Trang có rất ít chữ (mỗi trang có thể là ảnh quét có dấu hoặc số trang): 3. Chỉ phần "
        "chữ đó được đọc, phần còn lại của các trang này chưa được đọc."
    ]
