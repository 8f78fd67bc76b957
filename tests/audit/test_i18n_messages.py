"""The audit anchor's, the chain check's and the backup's messages follow the interface language,
while the keying record's summary, stored in the trail, stays in the site's language."""

import io
import json
import tarfile

import pytest
from django.utils import translation

from theodoi.audit.anchor import AnchorError, parse_anchor
from theodoi.audit.backup import BackupError, files_text, records_text, restore
from theodoi.audit.models import AuditEvent
from theodoi.audit.verify import verify_chain
from theodoi.reporting.services import report_submit


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The audit anchor «abc» is not written NUMBER:CODE"),
        ("vi", "Mốc nhật ký «abc» không đúng dạng SỐ:MÃ"),
    ],
)
def test_a_malformed_anchor_is_refused_in_the_interface_language(language, expected):
    with translation.override(language), pytest.raises(AnchorError) as caught:
        parse_anchor("abc")
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Audit record #%(pk)s "),
        ("vi", "Bản ghi nhật ký #%(pk)s "),
    ],
)
def test_a_tampered_record_is_reported_in_the_interface_language(world, language, expected):
    report_submit(actor=world.people.officer, task=world.task_vhxh, period="2026-Q4", percent=5)
    event = AuditEvent.objects.order_by("id").last()
    AuditEvent.objects.filter(pk=event.pk).update(summary="sửa lén")
    with translation.override(language):
        report = verify_chain()
    assert not report.ok
    assert report.message.startswith(expected % {"pk": event.pk})
    assert ("has been altered" if language == "en" else "đã bị sửa") in report.message


def _archive_of_another_program(path):
    manifest = json.dumps({"format": "another-program", "version": 1}).encode()
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        archive.addfile(info, io.BytesIO(manifest))
    return path


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "This file is not a theodoi backup (or it is from another version)."),
        ("vi", "Tệp này không phải bản sao lưu của theodoi (hoặc phiên bản khác)."),
    ],
)
def test_restoring_a_file_that_is_not_a_backup_is_refused_in_the_interface_language(
    tmp_path, language, expected
):
    archive = _archive_of_another_program(tmp_path / "other.tar.gz")
    with translation.override(language), pytest.raises(BackupError) as caught:
        restore(archive)
    assert str(caught.value) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The backup file {path} does not exist."),
        ("vi", "Không tìm thấy tệp sao lưu {path}."),
    ],
)
def test_a_missing_backup_file_is_named_in_the_interface_language(tmp_path, language, expected):
    path = tmp_path / "nowhere.tar.gz"
    with translation.override(language), pytest.raises(BackupError) as caught:
        restore(path)
    assert str(caught.value) == expected.format(path=path)


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "1 record, 1 file", "2 records, 2 files"),
        ("vi", "1 bản ghi, 1 tệp", "2 bản ghi, 2 tệp"),
    ],
)
def test_the_backup_summary_counts_records_and_files_in_the_interface_language(language, one, two):
    with translation.override(language):
        assert f"{records_text(1)}, {files_text(1)}" == one
        assert f"{records_text(2)}, {files_text(2)}" == two
