"""``theodoi scan_alerts``: the cron job prints what it did."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from theodoi.alerts.models import Alert

D = datetime.date


def run(*args) -> str:
    out = StringIO()
    call_command("scan_alerts", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def overdue(world, settings):
    settings.THEODOI_TODAY = "2026-11-24"
    world.task_vhxh.due_date = D(2026, 9, 30)
    world.task_vhxh.save()
    world.people.leader.email = "lan@example.vn"
    world.people.leader.save()
    return world


def test_scan_of_one_ward_prints_counts_and_sends(overdue, mailoutbox):
    output = run("--ward", overdue.ward_a.code)
    opened = Alert.objects.filter(organization=overdue.ward_a).count()
    assert "Đã quét 2 nhiệm vụ, 0 chỉ tiêu" in output
    assert f"mở {opened}," in output
    assert f"đang mở {opened}." in output
    assert "Đã gửi 1 thư tổng hợp cảnh báo." in output
    assert len(mailoutbox) == 1
    assert not Alert.objects.filter(organization=overdue.ward_b).exists()


def test_no_email(overdue, mailoutbox):
    output = run("--no-email")
    assert "Đã quét 3 nhiệm vụ" in output
    assert "Không gửi thư (--no-email)." in output
    assert mailoutbox == []


def test_a_second_run_opens_nothing(overdue, mailoutbox):
    run()
    output = run()
    assert "mở 0, cập nhật 0, đóng 0 cảnh báo" in output
    assert "Đã gửi 0 thư" in output


def test_unknown_ward(overdue):
    with pytest.raises(CommandError, match="Không có phường, xã hay tỉnh nào mã NOPE"):
        run("--ward", "NOPE")
