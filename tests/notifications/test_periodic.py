"""The daily pass (`theodoi scan_alerts`) and the demo's inboxes."""

import datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command

from theodoi.demo.services import load_demo
from theodoi.notifications.models import Kind, Notification
from theodoi.org.models import User
from theodoi.plans.models import Task


def test_the_scan_reminds_of_near_deadlines_and_mails_the_digests(world, settings):
    settings.THEODOI_TODAY = "2026-11-24"
    world.people.officer.email = "alice@phuong.gov.vn"
    world.people.officer.save(update_fields=["email"])
    Task.objects.filter(pk=world.task_vhxh.pk).update(due_date=datetime.date(2026, 11, 25))
    out = StringIO()
    call_command("scan_alerts", stdout=out)
    near = Notification.objects.filter(kind=Kind.DEADLINE_NEAR)
    assert sorted(near.values_list("recipient__username", flat=True)) == ["alice", "hanh"]
    # alice has an address and the default daily digest; hanh has no address.
    digests = [m for m in mail.outbox if "thông báo mới" in m.subject]
    assert [m.to for m in digests] == [["alice@phuong.gov.vn"]]
    assert "Còn 1 ngày đến hạn" in digests[0].body
    call_command("scan_alerts", stdout=StringIO())
    assert near.count() == 2
    assert len([m for m in mail.outbox if "thông báo mới" in m.subject]) == 1
    no_mail = StringIO()
    call_command("scan_alerts", "--no-email", stdout=no_mail)
    assert "0" in no_mail.getvalue()


def test_demo_officers_find_unread_notifications(db):
    load_demo()
    unread = Notification.objects.filter(read_at=None)
    vhxh = set(
        unread.filter(recipient=User.objects.get(username="canbo_vhxh")).values_list(
            "kind", flat=True
        )
    )
    assert {
        Kind.EVIDENCE_REJECTED,
        Kind.DIRECTIVE_RECEIVED,
        Kind.DEADLINE_CHANGED,
        Kind.DEADLINE_NEAR,
        Kind.TASK_ASSIGNED,
    } <= vhxh
    # The police unit's officer: the file of theirs the office rejected, the weekly report the
    # office returned (sent again since), and two tasks assigned.
    police = unread.filter(recipient__username="canbo_congan")
    assert sorted(police.values_list("kind", flat=True)) == sorted(
        [Kind.EVIDENCE_REJECTED, Kind.REPORT_RETURNED, Kind.TASK_ASSIGNED, Kind.TASK_ASSIGNED]
    )
    # Titles are in the site's language.
    assert unread.filter(title__startswith="Minh chứng không hợp lệ").exists()
