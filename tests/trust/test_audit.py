"""The audit chain: appends are serialized, and a changed, deleted or reordered record is found."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from theodoi.audit.actions import AuditAction
from theodoi.audit.models import AuditEvent, AuditHead
from theodoi.audit.services import audit_record
from theodoi.audit.verify import verify_chain
from theodoi.core.access import SYSTEM


def _events(world, n=4, start=0):
    for i in range(start, start + n):
        audit_record(
            actor=world.people.office,
            action=AuditAction.TASK_UPDATE,
            obj=world.task_vhxh,
            organization=world.ward_a,
            summary=f"sự kiện {i}",
            before={"n": i},
            after={"n": i + 1, "when": "2026-11-24"},
        )
    return list(AuditEvent.objects.order_by("id"))


def _verify(capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("verify_audit")
    assert exc.value.code == 1
    return capsys.readouterr().err


def test_intact_chain_is_ok(world, capsys):
    events = _events(world)
    call_command("verify_audit")
    count = AuditEvent.objects.count()
    assert capsys.readouterr().out.strip() == f"OK, {count} records"
    head = AuditHead.objects.get(pk=1)
    assert (head.last_hash, head.count) == (events[-1].hash, count)
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))


def test_changed_summary_is_found(world, capsys):
    events = _events(world)
    AuditEvent.objects.filter(pk=events[1].pk).update(summary="đã sửa")
    err = _verify(capsys)
    assert f"#{events[1].pk}" in err and "bị sửa" in err


def test_changed_before_data_is_found(world, capsys):
    events = _events(world)
    AuditEvent.objects.filter(pk=events[2].pk).update(before={"n": 99})
    assert f"#{events[2].pk}" in _verify(capsys)


def test_deleted_record_is_found(world, capsys):
    events = _events(world)
    events[1].delete()
    err = _verify(capsys)
    assert f"#{events[2].pk}" in err and "bị xóa" in err


def test_deleted_last_record_is_found(world, capsys):
    events = _events(world)
    events[-1].delete()
    assert "thiếu bản ghi" in _verify(capsys)


def test_reordered_records_are_found(world, capsys):
    events = _events(world)
    a, b = events[1], events[2]
    fields = ["at", "summary", "before", "after", "prev_hash", "hash"]
    values_a = {f: getattr(a, f) for f in fields}
    values_b = {f: getattr(b, f) for f in fields}
    AuditEvent.objects.filter(pk=a.pk).update(hash="x" * 64)  # free the unique hash
    AuditEvent.objects.filter(pk=b.pk).update(**values_a)
    AuditEvent.objects.filter(pk=a.pk).update(**values_b)
    assert not verify_chain().ok
    _verify(capsys)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(world):
    barrier = threading.Barrier(6)
    errors = []

    def writer(i):
        try:
            barrier.wait()
            for j in range(5):
                with transaction.atomic():
                    audit_record(
                        actor=SYSTEM,
                        action=AuditAction.ALERTS_SCAN,
                        obj=world.ward_a,
                        summary=f"{i}-{j}",
                    )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert AuditEvent.objects.filter(action=AuditAction.ALERTS_SCAN).count() == 30
    report = verify_chain()
    assert report.ok, report.message
    hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(hashes) == len(set(hashes))  # no two records follow the same one


def _admin_client(client, user):
    client.force_login(user)
    return client


def test_export_for_ward_admin_is_scoped(world, client):
    _events(world, 2)
    audit_record(
        actor=world.people.other_ward,
        action=AuditAction.TASK_UPDATE,
        obj=world.task_b,
        organization=world.ward_b,
        summary="=HYPERLINK(bí mật)",
    )
    response = _admin_client(client, world.people.ward_admin).get("/audit/export.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    body = b"".join(response.streaming_content).decode()
    assert "sự kiện 0" in body and "bí mật" not in body
    assert AuditEvent.objects.filter(action="audit.export").exists()


def test_export_refused_to_others(world, client):
    for person in (world.people.office, world.people.leader, world.people.upper):
        client.force_login(person)
        assert client.get("/audit/export.csv").status_code == 403
    client.logout()
    assert client.get("/audit/export.csv").status_code == 302


def test_admin_page_is_read_only_and_scoped(world, client):
    _events(world, 1)
    other = AuditEvent.objects.create(
        action="test.b", object_type="x", object_id="1", organization=world.ward_b, hash="b" * 64
    )
    client.force_login(world.people.ward_admin)
    listing = client.get("/admin/audit/auditevent/")
    assert listing.status_code == 200
    assert "sự kiện 0" in listing.content.decode()
    mine = AuditEvent.objects.filter(organization=world.ward_a).first()
    assert client.get(f"/admin/audit/auditevent/{mine.pk}/change/").status_code == 200
    assert client.get(f"/admin/audit/auditevent/{other.pk}/change/").status_code in (302, 403, 404)
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.post(f"/admin/audit/auditevent/{mine.pk}/delete/").status_code == 403
    assert AuditEvent.objects.filter(pk=mine.pk).exists()


def test_evidence_download_is_audited(world, client):
    from theodoi.reporting.services import evidence_upload

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    evidence = evidence_upload(
        actor=world.people.officer, name="a.pdf", data=pdf, task=world.task_vhxh
    )
    client.force_login(world.people.office)
    response = client.get(f"/evidence/{evidence.pk}/file/")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action="evidence.download", object_id=str(evidence.pk)
    ).exists()
    assert verify_chain().ok
