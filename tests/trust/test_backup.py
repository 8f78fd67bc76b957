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

from theodoi.audit.backup import CREATED_BY_MIGRATE, BackupError, restore, stored_file_names
from theodoi.audit.verify import verify_chain
from theodoi.core.access import SYSTEM
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


def _units_in_order(through):
    order = {}
    for task_id, unit_id in through.objects.order_by("task_id", "order", "id").values_list(
        "task_id", "unit_id"
    ):
        order.setdefault(task_id, []).append(unit_id)
    return order


@pytest.mark.django_db(transaction=True)
def test_restore_keeps_the_order_of_a_tasks_units_and_alerts_go_to_the_first(tmp_path, settings):
    """The first lead unit is the one that must act: a restore that gave the units back in
    another order (their ids' order, say) sent the task's alerts to another unit."""
    from theodoi.alerts.models import Alert
    from theodoi.alerts.services import scan
    from theodoi.plans.models import Plan, TaskCoordinatingUnit, TaskLeadUnit
    from theodoi.plans.services import task_create

    settings.THEODOI_TODAY = "2026-11-24"
    load_demo()
    plan = Plan.objects.filter(status=Plan.Status.ACTIVE).order_by("id").first()
    units = list(plan.organization.units.order_by("id"))
    # Against the ids' order and the catalogue's, so that neither can pass for the plan's.
    leads, coordinators = [units[-1], units[0], units[-2]], [units[-3], units[1]]
    task = task_create(
        actor=SYSTEM,
        plan=plan,
        title="Số hóa hồ sơ lưu trữ",
        lead_units=leads,
        coordinating_units=coordinators,
        deadline_text="Quý I/2026",
    )
    scan()
    lead_order = _units_in_order(TaskLeadUnit)
    coordinating_order = _units_in_order(TaskCoordinatingUnit)
    assert lead_order[task.pk] == [u.pk for u in leads]
    assert coordinating_order[task.pk] == [u.pk for u in coordinators]
    assert any(ids != sorted(ids) for ids in lead_order.values())
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))

    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", str(archive))

    assert _units_in_order(TaskLeadUnit) == lead_order
    assert _units_in_order(TaskCoordinatingUnit) == coordinating_order
    # Raised again from the restored data: deleting alerts by hand changes none of the facts
    # the rules read, so the restored watches would let an incremental scan skip the task.
    Alert.objects.filter(task=task).delete()
    scan(full=True)
    raised = Alert.objects.filter(task=task, closed_at__isnull=True)
    assert raised.exists()
    assert {alert.unit_id for alert in raised} == {leads[0].pk}


def _demo_backup(tmp_path):
    load_demo()
    rows, files = _everything()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    return archive, rows, files


@pytest.mark.django_db(transaction=True)
def test_restore_repairs_a_truncated_file_already_under_its_name(tmp_path, settings):
    """Names come from the content, so other bytes under a name are damage (a copy cut short
    by a crash, say): the restore puts the archive's bytes back instead of stopping."""
    archive, _rows, files = _demo_backup(tmp_path)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    name, data = next(iter(files.items()))
    damaged = settings.MEDIA_ROOT / name
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(data[: len(data) // 2])

    restore(archive)

    assert damaged.read_bytes() == data
    assert _everything()[1] == files
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_storage_failure_during_restore_leaves_the_database_empty_to_run_it_again(
    tmp_path, settings
):
    from theodoi.org.models import Organization

    archive, rows, files = _demo_backup(tmp_path)
    # A real fault: the media folder's parent is a file, so nothing can be created under it.
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    settings.MEDIA_ROOT = blocker / "media"
    with pytest.raises(BackupError, match="Không ghi được tệp"):
        restore(archive)
    assert not Organization.objects.exists()

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    restore(archive)
    restored_rows, restored_files = _everything()
    assert restored_rows == rows
    assert restored_files == files
