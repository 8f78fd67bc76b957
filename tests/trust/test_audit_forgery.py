"""Someone who can write to the database, but has neither the audit key nor the anchors written
down outside it, cannot rewrite the audit trail without `verify_audit` noticing."""

import hashlib
import hmac
import io
import json
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.trust.test_audit import _events
from theodoi.audit.anchor import current_anchor, parse_anchor
from theodoi.audit.checks import audit_key_check
from theodoi.audit.keys import Keyring, key_id, keyring
from theodoi.audit.models import AuditEvent, AuditHead
from theodoi.audit.services import event_payload, payload_digest, seal_legacy_chain
from theodoi.audit.verify import verify_chain

KEY = "k" * 40


@pytest.fixture(autouse=True)
def _audit_key(settings):
    settings.THEODOI_AUDIT_KEY = KEY


def _rechain(*, key, ring, mutate=None, first=0, stop=None):
    """What a database writer can do: change records, recompute the hashes of records
    ``first`` to ``stop`` (with ``key``: "" is the plain SHA-256 of unkeyed records) and, when
    that reaches the end, move the head. Returns the last hash written."""
    events = list(AuditEvent.objects.order_by("id"))
    previous = events[first - 1].hash if first else ""
    for event in events[first:stop]:
        if mutate is not None:
            mutate(event)
        event.prev_hash, event.key_id = previous, key
        event.hash = payload_digest(event_payload(event), key, ring)
        event.save()
        previous = event.hash
    if stop is None:
        AuditHead.objects.filter(pk=1).update(last_hash=previous, count=len(events))
    return previous


def _forge_summary(event):
    if event.summary == "sự kiện 1":
        event.summary = "đã sửa"


def _cut_last(n):
    for event in AuditEvent.objects.order_by("-id")[:n]:
        event.delete()
    last = AuditEvent.objects.order_by("-id").first()
    AuditHead.objects.filter(pk=1).update(last_hash=last.hash, count=AuditEvent.objects.count())


def _verify_fails(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        call_command("verify_audit", *args)
    assert exc.value.code == 1
    return capsys.readouterr().err


def _verify_ok(capsys, *args):
    call_command("verify_audit", *args)
    return capsys.readouterr().out


def test_records_are_signed_with_the_configured_key(world):
    events = _events(world, 2)
    assert {event.key_id for event in events} == {key_id(KEY.encode())}
    expected = hmac.new(
        KEY.encode(),
        json.dumps(
            {**event_payload(events[0]), "key": key_id(KEY.encode())},
            sort_keys=True,
            ensure_ascii=False,
        ).encode(),
        hashlib.sha256,
    ).hexdigest()
    assert events[0].hash == expected


def test_forged_record_with_the_chain_recomputed_as_plain_sha256_fails(world, capsys):
    _events(world)
    _rechain(key="", ring=keyring(), mutate=_forge_summary)
    assert "Không bản ghi nào trong nhật ký được ký" in _verify_fails(capsys)


def test_forged_record_with_a_guessed_key_fails(world, capsys):
    events = _events(world)
    real_id = events[0].key_id
    for guess in (b"", b"django-insecure-theodoi-development-key-change-me", b"x" * 40):
        _rechain(key=real_id, ring=Keyring(real_id, {real_id: guess}), mutate=_forge_summary)
        err = _verify_fails(capsys)
        assert f"#{events[0].pk}" in err and "bị sửa" in err


def test_forged_record_signed_with_a_made_up_key_id_fails(world, capsys):
    _events(world)
    _rechain(key="attacker", ring=Keyring("attacker", {"attacker": b"x" * 40}))
    err = _verify_fails(capsys)
    assert "«attacker»" in err and "THEODOI_AUDIT_KEY" in err


def test_with_the_key_a_rewrite_verifies_but_an_earlier_anchor_catches_it(world, capsys):
    events = _events(world)
    anchor = current_anchor()
    assert anchor == f"{len(events)}:{events[-1].hash[:32]}"
    # Whoever holds the key (an admin of the machine) can recompute the chain...
    _rechain(key=events[0].key_id, ring=keyring(), mutate=_forge_summary)
    assert _verify_ok(capsys).strip() == f"OK, {len(events)} records"
    # ...but not make it end in the head that was written down outside the database.
    err = _verify_fails(capsys, "--anchor", anchor)
    assert f"Bản ghi thứ {len(events)}" in err and "đã bị viết lại" in err


def test_deleting_the_last_records_and_moving_the_head(world, capsys):
    _events(world, 6)
    anchor = current_anchor()
    _cut_last(2)
    # The chain that is left is intact: without an anchor nothing shows the cut.
    assert verify_chain().ok
    err = _verify_fails(capsys, "--anchor", anchor)
    assert "chỉ còn 4 bản ghi" in err and "ghi 6" in err and "bị xóa" in err


def test_a_correct_anchor_holds_while_the_chain_grows(world, capsys):
    _events(world, 3)
    anchor = current_anchor()
    full = AuditEvent.objects.order_by("id").last().hash
    _events(world, 3, start=3)
    out = _verify_ok(capsys, "--anchor", anchor, "--show-anchor")
    assert f"OK, 6 records; anchor {anchor} holds" in out
    assert f"anchor: {current_anchor()}" in out
    # The whole hash, in capitals, is the same anchor.
    assert "holds" in _verify_ok(capsys, "--anchor", f"3:{full.upper()}")
    assert "holds" in _verify_ok(capsys, "--anchor", "0:")


def test_anchor_that_was_never_the_head_fails(world, capsys):
    _events(world, 3)
    err = _verify_fails(capsys, "--anchor", "2:" + "0" * 32)
    assert "Bản ghi thứ 2" in err


@pytest.mark.parametrize("text", ["abc", "3", "3:abcd", "0:abcd", "-1:" + "0" * 32])
def test_a_malformed_anchor_is_explained(world, text):
    with pytest.raises(CommandError, match="Mốc nhật ký"):
        call_command("verify_audit", f"--anchor={text}")


def test_unkeyed_records_sealed_then_keyed_ones_verify(world, capsys):
    # An installation from before the chain was keyed: plain SHA-256 records.
    _events(world, 3)
    _rechain(key="", ring=keyring())
    assert not verify_chain().ok  # nothing pins them yet
    assert seal_legacy_chain()
    assert not seal_legacy_chain()  # once
    seal = AuditEvent.objects.order_by("id").last()
    assert (seal.action, seal.after) == ("audit.keyed", {"unkeyed_records": 3})
    _events(world, 2, start=3)
    assert "OK, 6 records" in _verify_ok(capsys)
    assert [e.key_id != "" for e in AuditEvent.objects.order_by("id")] == [False] * 3 + [True] * 3


def test_unkeyed_records_followed_directly_by_a_keyed_one_verify(world):
    _events(world, 3)
    _rechain(key="", ring=keyring())
    _events(world, 1, start=3)
    assert verify_chain().ok


def test_an_unkeyed_record_after_a_keyed_one_fails(world, capsys):
    events = _events(world, 3)
    _rechain(key="", ring=keyring(), first=2)  # the last record "downgraded" to plain SHA-256
    err = _verify_fails(capsys)
    assert f"#{events[2].pk}" in err and "không được ký" in err


def test_rewriting_the_unkeyed_part_breaks_the_first_keyed_record(world, capsys):
    events = _events(world, 4)
    _rechain(key="", ring=keyring())
    _rechain(key=events[0].key_id, ring=keyring(), first=2)  # 2 unkeyed, then 2 keyed
    assert verify_chain().ok
    # Rewrite a record of the unkeyed part and relink the first keyed record to it.
    new_head = _rechain(key="", ring=keyring(), mutate=_forge_summary, stop=2)
    AuditEvent.objects.filter(pk=events[2].pk).update(prev_hash=new_head)
    err = _verify_fails(capsys)
    assert f"#{events[2].pk}" in err and "bị sửa" in err


def test_rotated_key_verifies_only_with_the_old_key_kept(world, settings, capsys):
    _events(world, 2)
    old_id = key_id(KEY.encode())
    settings.THEODOI_AUDIT_KEY = "n" * 40
    err = _verify_fails(capsys)
    assert f"«{old_id}»" in err and "khóa cũ sau khóa mới" in err
    settings.THEODOI_AUDIT_KEY = f"{'n' * 40},{KEY}"
    _events(world, 2, start=2)
    assert AuditEvent.objects.order_by("id").last().key_id == key_id(b"n" * 40)
    assert "OK, 4 records" in _verify_ok(capsys)


def test_without_a_setting_the_key_is_derived_from_secret_key(world, settings):
    settings.THEODOI_AUDIT_KEY = ""
    _events(world, 1)
    assert verify_chain().ok
    settings.SECRET_KEY = "another secret key, as after a rotation"
    assert not verify_chain().ok
    assert keyring().current != settings.SECRET_KEY.encode()


def test_deploy_check_warns_without_a_long_key(settings):
    settings.DEBUG = False
    settings.THEODOI_AUDIT_KEY = ""
    assert [w.id for w in audit_key_check(None)] == ["audit.W001"]
    settings.THEODOI_AUDIT_KEY = "short"
    assert [w.id for w in audit_key_check(None)] == ["audit.W002"]
    settings.THEODOI_AUDIT_KEY = KEY
    assert audit_key_check(None) == []
    settings.DEBUG, settings.THEODOI_AUDIT_KEY = True, ""
    assert audit_key_check(None) == []


def test_deploy_check_is_registered(settings):
    from django.core.checks import run_checks

    settings.DEBUG = False
    settings.THEODOI_AUDIT_KEY = ""
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "audit.W001" in ids


def _manifest(path):
    with tarfile.open(path, "r:gz") as archive:
        return json.loads(archive.extractfile("manifest.json").read())


@pytest.mark.django_db(transaction=True)
def test_backup_manifest_holds_the_anchor_and_restore_keeps_the_chain(
    world, tmp_path, settings, capsys
):
    _events(world, 4)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    anchor = _manifest(archive)["audit_anchor"]
    assert anchor == current_anchor()
    assert parse_anchor(anchor).count == AuditEvent.objects.count()

    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", str(archive))
    capsys.readouterr()
    assert "holds" in _verify_ok(capsys, "--anchor-from-backup", str(archive))
    _events(world, 1, start=4)
    assert "holds" in _verify_ok(capsys, "--anchor-from-backup", str(archive))

    # Restored where the key was not kept, the records cannot be verified: keep the key.
    settings.THEODOI_AUDIT_KEY = "n" * 40
    assert "THEODOI_AUDIT_KEY" in _verify_fails(capsys, "--anchor-from-backup", str(archive))

    settings.THEODOI_AUDIT_KEY = KEY
    _cut_last(2)
    assert "bị xóa" in _verify_fails(capsys, "--anchor-from-backup", str(archive))


def test_a_backup_without_an_anchor_is_explained(tmp_path, db):
    archive = tmp_path / "old.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = json.dumps({"format": "theodoi-backup", "version": 1}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="không có mốc nhật ký"):
        call_command("verify_audit", "--anchor-from-backup", str(archive))
    with pytest.raises(CommandError, match="Không đọc được"):
        call_command("verify_audit", "--anchor-from-backup", str(tmp_path / "missing.tar.gz"))


@pytest.mark.django_db(transaction=True)
def test_upgrade_migration_seals_the_existing_unkeyed_records(world, capsys):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    _events(world, 3)
    _rechain(key="", ring=keyring())  # as an installation from before the chain was keyed
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0004_protect_named_rows")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.action for e in events][-1] == "audit.keyed"
    assert events[-1].key_id == key_id(KEY.encode())
    assert "OK, 4 records" in _verify_ok(capsys)


@pytest.mark.django_db(transaction=True)
def test_restoring_a_backup_from_before_the_keyed_chain_seals_it(world, tmp_path, settings):
    _events(world, 3)
    _rechain(key="", ring=keyring())  # the records of an older version
    archive = tmp_path / "old.tar.gz"
    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", str(archive))
    assert AuditEvent.objects.order_by("id").last().action == "audit.keyed"
    report = verify_chain(parse_anchor(_manifest(archive)["audit_anchor"]))
    assert report.ok, report.message


def test_a_retired_key_cannot_sign_after_a_newer_one(world, settings, capsys):
    _events(world, 2)
    old_id = key_id(KEY.encode())
    settings.THEODOI_AUDIT_KEY = f"{'n' * 40},{KEY}"
    events = _events(world, 2, start=2)
    assert "OK, 4 records" in _verify_ok(capsys)
    # Whoever got hold of the retired key rewrites the newest record and re-signs it with it.
    _rechain(key=old_id, ring=keyring(), mutate=lambda e: setattr(e, "summary", "giả"), first=3)
    err = _verify_fails(capsys)
    assert f"#{events[3].pk}" in err and f"khóa cũ «{old_id}»" in err
    assert f"«{key_id(b'n' * 40)}»" in err


def test_setting_the_key_after_records_exist_keeps_them_verifiable(world, settings, capsys):
    # An installation that ran (and migrated) without THEODOI_AUDIT_KEY, then followed audit.W001.
    settings.THEODOI_AUDIT_KEY = ""
    _events(world, 2)
    derived_id = keyring().current_id
    settings.THEODOI_AUDIT_KEY = KEY
    assert "OK, 2 records" in _verify_ok(capsys)
    _events(world, 2, start=2)
    keys = [e.key_id for e in AuditEvent.objects.order_by("id")]
    assert keys == [derived_id] * 2 + [key_id(KEY.encode())] * 2
    assert "OK, 4 records" in _verify_ok(capsys)
    # The derived key is only good for the records from before the setting.
    _rechain(key=derived_id, ring=keyring(), first=3)
    err = _verify_fails(capsys)
    assert f"khóa cũ «{derived_id}»" in err


def test_an_emptied_trail_fails_when_the_installation_has_data(world, capsys):
    _events(world, 3)
    AuditEvent.objects.all().delete()
    AuditHead.objects.filter(pk=1).update(last_hash="", count=0)
    err = _verify_fails(capsys)
    assert "Nhật ký trống nhưng cài đặt đã có dữ liệu" in err
    AuditHead.objects.all().delete()
    assert "Nhật ký trống" in _verify_fails(capsys)


def test_an_empty_trail_of_a_new_installation_verifies(db, capsys):
    assert _verify_ok(capsys).strip() == "OK, 0 records"
