"""The alert digests through the background worker: the scan decides who receives what and
queues one task per person; the worker mails them, each alert once, whatever the queue."""

from io import StringIO

from django.core.management import call_command

from tests.alerts.test_digests import inbox, ward  # noqa: F401 (fixture)
from tests.queues import real_queue  # noqa: F401 (fixture)
from theodoi.alerts import services
from theodoi.alerts.models import AlertDigest


def test_the_scan_queues_the_digests_and_the_worker_mails_them(
    ward,  # noqa: F811
    real_queue,  # noqa: F811
    mailoutbox,
):
    services.scan(organization=ward.ward_a)
    with real_queue.sending():
        assert services.send_digests() == 4
    assert mailoutbox == [] and not AlertDigest.objects.exists(), "nothing is sent in the scan"
    assert real_queue.waiting() == 4
    real_queue.run_worker()
    assert real_queue.waiting() == 0
    assert set(inbox(mailoutbox)) == {"alice", "hanh", "olga", "lan"}
    assert AlertDigest.objects.count() == 4
    assert "Quá hạn" in inbox(mailoutbox)[ward.people.leader.username].body


def test_a_digest_queued_twice_before_the_worker_ran_is_mailed_once(
    ward,  # noqa: F811
    real_queue,  # noqa: F811
    mailoutbox,
):
    services.scan(organization=ward.ward_a)
    with real_queue.sending():
        services.send_digests()
        services.send_digests()  # the next scan, before the worker came by
    assert real_queue.waiting() == 8
    real_queue.run_worker()
    assert len(mailoutbox) == 4
    assert AlertDigest.objects.count() == 4


def test_scan_alerts_says_the_digests_are_queued(ward, real_queue, mailoutbox):  # noqa: F811
    out = StringIO()
    with real_queue.sending():
        call_command("scan_alerts", "--ward", ward.ward_a.code, stdout=out)
    assert "Đã xếp 4 thư tổng hợp cảnh báo vào hàng đợi" in out.getvalue()
    assert "theodoi worker" in out.getvalue()
    real_queue.run_worker()
    assert len(mailoutbox) == 4
