"""Storing by content: a good file is kept as it is, a damaged one is replaced, files get the
permissions Django would give them, and a storage failure is the server's 503, not the user's 400."""

import hashlib
import io
import os
import stat
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.api.helpers import BASE, client_for
from theodoi.core import storage
from theodoi.plans.models import Task
from theodoi.reporting.models import Evidence, ProgressReport, evidence_path
from theodoi.reporting.services import StorageUnavailable, evidence_upload

PDF = b"%PDF-1.4\n" + b"minh chung " * 2000 + b"\n%%EOF\n"
DIGEST = hashlib.sha256(PDF).hexdigest()
NAME = evidence_path(None, "", digest=DIGEST)


def _final(settings) -> Path:
    return Path(settings.MEDIA_ROOT) / NAME


def test_a_good_file_is_verified_and_left_untouched(settings):
    assert storage.store(NAME, PDF, sha256=DIGEST) == "written"
    before = _final(settings).stat()
    assert storage.store(NAME, PDF, sha256=DIGEST) == "kept"
    after = _final(settings).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.parametrize(
    "damage",
    [PDF[:-1], PDF[:-1] + b"X", b""],
    ids=["one byte short", "same size, one byte changed", "empty"],
)
def test_other_bytes_under_the_name_are_replaced(settings, damage):
    final = _final(settings)
    final.parent.mkdir(parents=True)
    final.write_bytes(damage)
    assert storage.store(NAME, PDF, sha256=DIGEST) == "repaired"
    assert final.read_bytes() == PDF
    assert [p.name for p in final.parent.iterdir()] == [final.name]


def test_bytes_that_do_not_match_their_recorded_digest_are_refused(settings):
    with pytest.raises(storage.StorageError):
        storage.store(NAME, PDF + b"tail", sha256=DIGEST)
    assert not _final(settings).exists()


def test_only_old_leftovers_are_removed_by_the_next_store(settings):
    folder = _final(settings).parent
    folder.mkdir(parents=True)
    old = folder / f".{DIGEST}.{'a' * 16}{storage.PARTIAL_SUFFIX}"
    young = folder / f".{DIGEST}.{'b' * 16}{storage.PARTIAL_SUFFIX}"
    unrelated = folder / "ghi-chu.partial"  # not a name the storage makes: never touched
    for path in (old, young, unrelated):
        path.write_bytes(b"%PDF-1.4 cut")
    stale = os.path.getmtime(old) - storage.STALE_AFTER - 60
    os.utime(old, (stale, stale))
    os.utime(unrelated, (stale, stale))
    storage.store(NAME, PDF, sha256=DIGEST)
    assert not old.exists() and young.exists() and unrelated.exists()


def test_files_and_folders_get_the_configured_permissions(settings):
    settings.FILE_UPLOAD_PERMISSIONS = 0o640
    settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
    storage.store(NAME, PDF, sha256=DIGEST)
    final = _final(settings)
    assert stat.S_IMODE(final.stat().st_mode) == 0o640
    assert stat.S_IMODE(final.parent.stat().st_mode) == 0o750
    assert stat.S_IMODE(final.parent.parent.stat().st_mode) == 0o750


def test_without_configured_permissions_the_umask_decides_as_for_django(settings):
    settings.FILE_UPLOAD_PERMISSIONS = None
    umask = os.umask(0o027)
    try:
        storage.store(NAME, PDF, sha256=DIGEST)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(_final(settings).stat().st_mode) == 0o640


class CountingStorage(InMemoryStorage):
    """A real storage that counts what it writes."""

    def __init__(self):
        super().__init__()
        self.saves = 0

    def _save(self, name, content):
        self.saves += 1
        return super()._save(name, content)


def test_another_backend_is_verified_and_repaired_too():
    memory = CountingStorage()
    assert storage.store(NAME, PDF, storage=memory) == "written"
    assert storage.store(NAME, PDF, storage=memory) == "kept"
    assert memory.saves == 1, "a good file is not written again"
    memory.delete(NAME)
    memory.save(NAME, io.BytesIO(PDF[:100]))
    assert storage.store(NAME, PDF, storage=memory) == "repaired"
    assert storage.read(NAME, memory) == PDF


# --- A storage that fails ------------------------------------------------------------------


@pytest.fixture
def unwritable_media(settings, tmp_path):
    # A real fault, whoever runs the tests (root may write into read-only folders): the media
    # folder's parent is a file, so nothing can be created under it.
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    settings.MEDIA_ROOT = blocker / "media"


def test_a_storage_failure_is_503_on_the_api(world, unwritable_media):
    client = client_for(world.people.officer)
    response = client.post(
        f"{BASE}/tasks/{world.task_vhxh.pk}/evidence",
        {"file": SimpleUploadedFile("bien-ban.pdf", PDF), "kind": "signed_document"},
    )
    assert response.status_code == 503, response.content
    assert "Không lưu được tệp minh chứng" in response.json()["detail"]
    assert not Evidence.objects.exists()


def test_the_openapi_document_states_the_503(db, client):
    document = client.get(f"{BASE}/openapi.json").json()
    responses = document["paths"][f"{BASE}/tasks/{{task_id}}/evidence"]["post"]["responses"]
    assert "503" in responses


def test_a_storage_failure_on_the_page_saves_nothing_and_keeps_what_was_typed(
    world, unwritable_media, client
):
    client.force_login(world.people.officer)
    upload = io.BytesIO(PDF)
    upload.name = "bien-ban.pdf"
    task: Task = world.task_vhxh
    response = client.post(
        f"/tasks/{task.pk}/reports/",
        {"period": "2026-Q4", "percent": "50", "result": "Đã cấp 40 chữ ký số", "evidence": upload},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Không lưu được tệp minh chứng" in page
    # A report and its files are written together: the files are stored first, so
    # a storage failure leaves no report either; the form comes back with what was typed.
    assert "Đã cấp 40 chữ ký số" in page
    assert "Chưa có gì được lưu; hãy chọn lại tệp trước khi gửi." in page
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()


def test_the_service_raises_its_own_exception(world, unwritable_media):
    with pytest.raises(StorageUnavailable):
        evidence_upload(actor=world.people.officer, name="a.pdf", data=PDF, task=world.task_vhxh)


# --- Storing outside the transaction -------------------------------------------------------


class TransactionWatchingStorage(InMemoryStorage):
    """A real storage that notes whether a database transaction was open while it saved."""

    saves_in_transaction: list[bool] = []

    def _save(self, name, content):
        self.saves_in_transaction.append(connection.in_atomic_block)
        return super()._save(name, content)


@pytest.mark.django_db(transaction=True)
def test_the_file_is_stored_before_the_uploads_transaction_opens(world, settings):
    """On SQLite a transaction holds the write lock from its start: storing up to the size
    limit (write, sync, read back) inside it kept every other writer waiting."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.TransactionWatchingStorage"},
    }
    TransactionWatchingStorage.saves_in_transaction = []
    evidence = evidence_upload(
        actor=world.people.officer, name="bien-ban.pdf", data=PDF, task=world.task_vhxh
    )
    assert TransactionWatchingStorage.saves_in_transaction == [False]
    assert storage.read(evidence.file.name) == PDF
    assert Evidence.objects.get().sha256 == DIGEST


def test_an_unauthorised_upload_stores_nothing(world, settings):
    with pytest.raises(PermissionDenied):
        evidence_upload(
            actor=world.people.other_ward, name="bien-ban.pdf", data=PDF, task=world.task_vhxh
        )
    assert not Path(settings.MEDIA_ROOT).exists()
