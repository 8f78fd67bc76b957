"""Backup and restore round-trip the demo data: every row of every model and every file's bytes."""

import io
import json
import tarfile

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from theodoi.audit.verify import verify_chain
from theodoi.core.backup import CREATED_BY_MIGRATE, BackupError, restore, stored_file_names
from theodoi.demo.services import load_demo


def _everything():
    rows = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in CREATED_BY_MIGRATE:
            continue
        objects = model._default_manager.order_by("pk")
        rows[label] = serializers.serialize("python", objects, use_natural_foreign_keys=True)
    files = {}
    for name in stored_file_names():
        with default_storage.open(name, "rb") as handle:
            files[name] = handle.read()
    return rows, files


@pytest.mark.django_db(transaction=True)
def test_demo_round_trip(tmp_path, settings, capsys):
    load_demo()
    rows, files = _everything()
    assert files, "the demo should have evidence files"
    assert sum(len(v) for v in rows.values()) > 100
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    assert "Đã sao lưu" in capsys.readouterr().out

    # A fresh installation: migrated database, empty tables, an empty media folder.
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    assert not default_storage.exists(next(iter(files)))

    call_command("restore", str(archive))
    assert "Đã khôi phục" in capsys.readouterr().out
    restored_rows, restored_files = _everything()
    for label, before in rows.items():
        assert restored_rows[label] == before, label
    assert restored_files == files
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_data(tmp_path):
    load_demo()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="cài đặt mới, còn trống"):
        call_command("restore", str(archive))


def _rewrite(source, target, change):
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for info in old.getmembers():
            data = old.extractfile(info).read()
            data = change(info.name, data)
            if data is None:
                continue
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


@pytest.mark.django_db(transaction=True)
def test_tampered_or_incomplete_archive_is_refused(tmp_path):
    load_demo()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)

    def tamper_data(name, data):
        return data.replace(b"Ph", b"ph", 1) if name == "data.json" else data

    bad = tmp_path / "tampered.tar.gz"
    _rewrite(archive, bad, tamper_data)
    with pytest.raises(BackupError, match="SHA-256"):
        restore(bad)

    missing = tmp_path / "missing.tar.gz"
    _rewrite(archive, missing, lambda name, data: None if name.startswith("files/") else data)
    with pytest.raises(BackupError, match="không khớp bảng kê"):
        restore(missing)

    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not an archive")
    with pytest.raises(BackupError, match="hỏng"):
        restore(garbage)
    # Nothing was loaded by the refused attempts.
    from theodoi.org.models import Organization

    assert not Organization.objects.exists()
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
    assert manifest["format"] == "theodoi-backup" and "data.json" in manifest["sha256"]
