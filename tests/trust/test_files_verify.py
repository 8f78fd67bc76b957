"""`verify_files` finds damaged and missing files with the records pointing at them; `backup`
refuses to save them silently."""

import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from theodoi.audit.backup import BackupError, backup
from theodoi.core import storage
from theodoi.reporting.services import evidence_upload

PDF = b"%PDF-1.4\n" + b"bien ban " * 5000 + b"\n%%EOF\n"
OTHER = b"%PDF-1.4\n" + b"quyet dinh " * 100 + b"\n%%EOF\n"


@pytest.fixture
def uploads(world):
    first = evidence_upload(
        actor=world.people.officer, name="bien-ban.pdf", data=PDF, task=world.task_vhxh
    )
    again = evidence_upload(
        actor=world.people.office, name="ban-sao.pdf", data=PDF, task=world.task_vhxh
    )
    other = evidence_upload(
        actor=world.people.officer, name="quyet-dinh.pdf", data=OTHER, task=world.task_vhxh
    )
    return first, again, other


def _path(settings, evidence) -> Path:
    return Path(settings.MEDIA_ROOT) / evidence.file.name


def test_clean_storage_passes(uploads, capsys):
    call_command("verify_files")
    assert "Đã kiểm tra 2 tệp: 2 đúng, 0 hỏng, 0 thiếu." in capsys.readouterr().out


def test_damaged_and_missing_files_are_listed_with_their_records(uploads, settings, capsys):
    first, again, other = uploads
    _path(settings, first).write_bytes(PDF[:1000])  # cut short, as by a crash
    _path(settings, other).unlink()
    with pytest.raises(CommandError, match="2 tệp hỏng hoặc thiếu") as raised:
        call_command("verify_files")
    assert raised.value.returncode == 1
    out = capsys.readouterr().out
    damaged = next(line for line in out.splitlines() if line.startswith(first.file.name))
    assert "HỎNG: 1000 byte" in damaged and f"ghi nhận {len(PDF)} byte" in damaged
    # Both rows that point at the file are named, so the operator knows whom to ask.
    assert f"reporting.Evidence #{first.pk} «bien-ban.pdf»" in damaged
    assert f"reporting.Evidence #{again.pk} «ban-sao.pdf»" in damaged
    missing = next(line for line in out.splitlines() if line.startswith(other.file.name))
    assert "THIẾU" in missing and "quyet-dinh.pdf" in missing
    assert "Đã kiểm tra 2 tệp: 0 đúng, 1 hỏng, 1 thiếu." in out


def test_same_size_other_bytes_is_damage_too(uploads, settings):
    first, _again, _other = uploads
    path = _path(settings, first)
    path.write_bytes(PDF[:-1] + b"?")
    with pytest.raises(CommandError):
        call_command("verify_files")


def test_json_output(uploads, settings, capsys):
    first, again, _other = uploads
    _path(settings, first).write_bytes(PDF[:1000])
    with pytest.raises(CommandError):
        call_command("verify_files", "--json")
    result = json.loads(capsys.readouterr().out)
    assert (result["checked"], result["damaged"], result["missing"]) == (2, 1, 0)
    [problem] = result["problems"]
    assert problem["name"] == first.file.name and problem["size"] == 1000
    assert {r["pk"] for r in problem["records"]} == {first.pk, again.pk}
    assert {r["sha256"] for r in problem["records"]} == {first.sha256}


def test_re_uploading_repairs_and_verify_is_clean_again(world, uploads, settings, capsys):
    first, _again, _other = uploads
    _path(settings, first).write_bytes(PDF[:1000])
    with pytest.raises(CommandError):
        call_command("verify_files")
    evidence_upload(actor=world.people.officer, name="lai.pdf", data=PDF, task=world.task_vhxh)
    capsys.readouterr()
    call_command("verify_files")
    assert "0 hỏng, 0 thiếu" in capsys.readouterr().out


# --- Backup -----------------------------------------------------------------------------------


def test_backup_refuses_a_damaged_file_and_leaves_no_archive(uploads, settings, tmp_path):
    first, _again, _other = uploads
    _path(settings, first).write_bytes(PDF[:1000])
    archive = tmp_path / "sao-luu.tar.gz"
    with pytest.raises(CommandError) as raised:
        call_command("backup", str(archive))
    message = str(raised.value)
    assert "Không sao lưu: 1 tệp" in message and first.file.name in message
    assert "theodoi verify_files" in message and "--allow-damaged" in message
    assert not archive.exists()
    assert list(tmp_path.glob("*.partial")) == []


def test_backup_refuses_a_missing_file(uploads, settings, tmp_path):
    _first, _again, other = uploads
    _path(settings, other).unlink()
    with pytest.raises(BackupError, match="THIẾU"):
        backup(tmp_path / "sao-luu.tar.gz")


def test_allow_damaged_leaves_the_file_out_and_lists_it(uploads, settings, tmp_path, capsys):
    first, _again, other = uploads
    _path(settings, first).write_bytes(PDF[:1000])
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), "--allow-damaged")
    out = capsys.readouterr()
    assert "Đã sao lưu" in out.out and "1 tệp hỏng hoặc thiếu" in out.out
    assert first.file.name in out.err
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert "files/" + other.file.name in names
    assert "files/" + first.file.name not in names
    assert manifest["files"] == 1
    assert [item["name"] for item in manifest["damaged"]] == [first.file.name]


def test_backup_of_good_files_has_no_damaged_list(uploads, tmp_path):
    summary = backup(tmp_path / "sao-luu.tar.gz")
    assert summary.files == 2 and summary.damaged == []
    with tarfile.open(tmp_path / "sao-luu.tar.gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert "damaged" not in manifest


def test_recorded_files_name_every_row(uploads):
    first, again, other = uploads
    recorded = storage.recorded_files()
    assert sorted(recorded) == sorted({first.file.name, other.file.name})
    assert [r.pk for r in recorded[first.file.name]] == sorted([first.pk, again.pk])
