"""Digest emails: one per person, only what is new to them, never empty, never twice."""

import datetime

import pytest

from theodoi.alerts import services
from theodoi.alerts.models import AlertDigest

D = datetime.date


@pytest.fixture
def ward(world, settings):
    """Ward A on 24/11/2026 with the VHXH task overdue; everyone but the police officer has an
    email address."""
    settings.THEODOI_TODAY = "2026-11-24"
    for person in ("officer", "head", "office", "leader", "upper", "other_ward", "ward_admin"):
        user = getattr(world.people, person)
        user.email = f"{user.username}@example.vn"
        user.save()
    world.task_vhxh.due_date = D(2026, 9, 30)
    world.task_vhxh.save()
    return world


def inbox(mailoutbox):
    return {message.to[0].split("@")[0]: message for message in mailoutbox}


def test_one_email_per_person_who_must_act_or_oversee(ward, mailoutbox):
    services.scan(organization=ward.ward_a)
    sent = services.send_digests()
    mails = inbox(mailoutbox)
    # The unit's officer and head, the standing office and the leader; not the upper level,
    # the admin, the other ward, nor the police officer who has no email address.
    assert set(mails) == {"alice", "hanh", "olga", "lan"}
    assert sent == 4 == len(mailoutbox)


def test_unit_people_get_their_unit_only_and_the_ward_gets_everything(ward, mailoutbox):
    ward.task_police.due_date = D(2026, 10, 31)
    ward.task_police.save()
    services.scan(organization=ward.ward_a)
    services.send_digests()
    mails = inbox(mailoutbox)
    assert ward.task_vhxh.title in mails["alice"].body
    assert ward.task_police.title not in mails["alice"].body
    assert ward.task_police.title in mails["lan"].body
    assert ward.task_vhxh.title in mails["lan"].body


def test_the_digest_is_in_vietnamese_with_rule_numbers_and_link(ward, mailoutbox):
    services.scan(organization=ward.ward_a)
    services.send_digests()
    mail = inbox(mailoutbox)["alice"]
    assert "cảnh báo mới" in mail.subject
    assert "Phường An Bình" in mail.subject
    assert "Quá hạn – Nhiệm vụ" in mail.body
    assert ward.task_vhxh.code in mail.body
    assert "Quá hạn 55 ngày (hạn 30/09/2026), tiến độ 0%." in mail.body
    assert f"/tasks/{ward.task_vhxh.pk}/" in mail.body


def test_nothing_new_means_no_email(ward, mailoutbox):
    assert services.send_digests() == 0  # no alert at all
    services.scan(organization=ward.ward_a)
    services.send_digests()
    mailoutbox.clear()
    assert services.send_digests() == 0
    assert mailoutbox == []


def test_an_alert_is_never_sent_twice_and_later_ones_come_alone(ward, mailoutbox):
    services.scan(organization=ward.ward_a)
    services.send_digests()
    services.scan(organization=ward.ward_a)  # the same alerts stay open
    assert services.send_digests() == 0
    mailoutbox.clear()
    ward.task_police.due_date = D(2026, 10, 31)  # a new overdue alert on the police task
    ward.task_police.save()
    services.scan(organization=ward.ward_a)
    assert services.send_digests() == 2
    mails = inbox(mailoutbox)
    assert set(mails) == {"olga", "lan"}  # the police officer has no email address
    assert ward.task_police.title in mails["lan"].body
    assert ward.task_vhxh.title not in mails["lan"].body
    assert AlertDigest.objects.filter(user=ward.people.leader).count() == 2


def test_an_alert_closed_before_the_digest_is_not_sent(ward, mailoutbox):
    services.scan(organization=ward.ward_a)
    ward.task_vhxh.due_date = D(2026, 12, 31)
    ward.task_vhxh.save()
    services.scan(organization=ward.ward_a)  # no longer overdue: the alert closes
    services.send_digests()
    assert "Quá hạn" not in "".join(m.body for m in mailoutbox)


def test_a_failed_send_is_retried_next_time(ward, mailoutbox, monkeypatch):
    services.scan(organization=ward.ward_a)

    def broken(self, *args, **kwargs):
        raise ConnectionError("SMTP down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMessage.send", broken)
        assert services.send_digests() == 0
    assert not AlertDigest.objects.exists()
    assert services.send_digests() == 4


def test_a_co_leading_unit_is_mailed_what_its_alert_page_shows(ward, mailoutbox):
    """The police co-lead the VHXH task: the alert names VHXH as the unit that must act, yet the
    police officer sees it on screen, so the digest mails it to them too (one rule for both)."""
    from theodoi.alerts.selectors import alerts_for_user
    from theodoi.plans.models import TaskLeadUnit

    TaskLeadUnit.objects.create(task=ward.task_vhxh, unit=ward.police, order=1)
    bob = ward.people.police_officer
    bob.email = "bob@example.vn"
    bob.save()
    services.scan(organization=ward.ward_a)
    assert ward.task_vhxh.pk in {alert.task_id for alert in alerts_for_user(bob)}

    services.send_digests()

    mails = inbox(mailoutbox)
    assert ward.task_vhxh.title in mails["bob"].body
    assert set(mails) == {"alice", "hanh", "olga", "lan", "bob"}


def test_the_digest_groups_by_unit_and_gives_each_task_its_reasons(ward, mailoutbox):
    ward.task_police.due_date = D(2026, 10, 31)
    ward.task_police.save()
    services.scan(organization=ward.ward_a)
    services.send_digests()
    body = inbox(mailoutbox)["lan"].body
    assert "Công an phường: 1 nhiệm vụ cần xử lý" in body
    assert "Phòng Văn hóa - Xã hội: 1 nhiệm vụ cần xử lý" in body
    # One entry per task with its summary and each reason below it.
    assert body.count(ward.task_vhxh.title) == 1
    assert "Quá hạn 55 ngày · thiếu báo cáo" in body
    assert "   - Quá hạn 55 ngày (hạn 30/09/2026), tiến độ 0%." in body


def test_acknowledged_and_snoozed_alerts_are_not_mailed(ward, mailoutbox):
    from theodoi.alerts.models import Alert

    ward.task_police.due_date = D(2026, 10, 31)
    ward.task_police.save()
    services.scan(organization=ward.ward_a)
    services.alert_acknowledge(
        actor=ward.people.office,
        alert=Alert.objects.get(task=ward.task_vhxh, closed_at__isnull=True),
        note="Đã nhắc",
    )
    services.alert_snooze(
        actor=ward.people.office,
        alert=Alert.objects.get(task=ward.task_police, closed_at__isnull=True),
        until=D(2026, 12, 1),
    )
    assert services.send_digests() == 0
    assert mailoutbox == []


def test_an_alert_that_gets_a_new_reason_is_mailed_again(ward, mailoutbox):
    from theodoi.tracking import services as tracking

    services.scan(organization=ward.ward_a)
    services.send_digests()
    mailoutbox.clear()
    evidence = tracking.evidence_upload(
        actor=ward.people.officer, name="a.pdf", data=b"%PDF-1.4\n%a\n%%EOF\n", task=ward.task_vhxh
    )
    tracking.evidence_review(
        actor=ward.people.office, evidence=evidence, decision="reject", reason="Mờ"
    )
    assert services.send_digests() == 4
    assert "minh chứng không hợp lệ" in inbox(mailoutbox)["alice"].body
