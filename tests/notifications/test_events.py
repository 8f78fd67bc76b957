"""Who is told of each event, once, through the tracking services every page and the API use."""

import datetime

import pytest
from django.db import transaction

from tests.factories import TaskFactory, UserFactory
from theodoi.notifications import events
from theodoi.notifications.models import Delivery, Kind, Notification
from theodoi.org.models import Role
from theodoi.plans.models import Task
from theodoi.tracking import services

PDF = b"%PDF-1.4\n% theodoi test evidence\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def told(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def upload(world):
    return services.evidence_upload(
        actor=world.people.officer, name="bien-ban.pdf", data=PDF, task=world.task_vhxh
    )


def test_rejected_evidence_tells_the_uploader_and_the_lead_unit_once(world):
    evidence = upload(world)
    review = services.evidence_review(
        actor=world.people.office, evidence=evidence, decision="reject", reason="Thiếu chữ ký"
    )
    # The unit's officer (also the uploader) and head; not the reviewer, not another unit.
    assert told(Kind.EVIDENCE_REJECTED) == ["alice", "hanh"]
    notification = Notification.objects.get(recipient=world.people.officer)
    assert "bien-ban.pdf" in notification.title
    assert "Thiếu chữ ký" in notification.body
    assert notification.link == world.task_vhxh.get_absolute_url()
    assert notification.read_at is None and notification.delivery == Delivery.APP
    # The same event again (a retry) notifies nobody twice.
    events.evidence_rejected(actor=world.people.office, evidence=evidence, review=review)
    assert Notification.objects.filter(kind=Kind.EVIDENCE_REJECTED).count() == 2


def test_accepted_evidence_tells_nobody(world):
    evidence = upload(world)
    services.evidence_review(actor=world.people.office, evidence=evidence, decision="accept")
    assert not Notification.objects.exists()


def test_a_returned_report_tells_the_reporting_unit(world):
    report = services.report_submit(
        actor=world.people.officer, task=world.task_vhxh, period="2026-Q4", percent=40
    )
    services.report_return(actor=world.people.office, report=report, reason="Số liệu sai")
    assert told(Kind.REPORT_RETURNED) == ["alice", "hanh"]
    notification = Notification.objects.filter(kind=Kind.REPORT_RETURNED)[0]
    assert "Số liệu sai" in notification.body
    # The period in words, as everywhere a person reads it.
    assert "(Quý IV/2026)" in notification.title
    assert "2026-Q4" not in notification.title


def test_a_directive_tells_the_lead_unit_and_its_answer_tells_the_author(world):
    directive = services.directive_create(
        actor=world.people.leader, task=world.task_police, text="Báo cáo trước thứ Sáu"
    )
    assert told(Kind.DIRECTIVE_RECEIVED) == ["bob"]
    services.directive_answer(
        actor=world.people.police_officer, directive=directive, answer="Đã rõ"
    )
    assert told(Kind.DIRECTIVE_ANSWERED) == ["lan"]
    assert Notification.objects.get(kind=Kind.DIRECTIVE_ANSWERED).body == "Đã rõ"


def test_a_new_lead_unit_hears_of_its_task_and_the_old_of_a_moved_deadline(world):
    services.task_update(
        actor=world.people.office,
        task=world.task_vhxh,
        changes={},
        lead_units=[world.vhxh, world.police],
    )
    assert told(Kind.TASK_ASSIGNED) == ["bob"]
    assert told(Kind.DEADLINE_CHANGED) == []
    services.task_update(
        actor=world.people.office,
        task=Task.objects.get(pk=world.task_vhxh.pk),
        changes={"deadline_text": "30/11/2026"},
    )
    assert told(Kind.DEADLINE_CHANGED) == ["alice", "bob", "hanh"]
    assert "30/11/2026" in Notification.objects.filter(kind=Kind.DEADLINE_CHANGED)[0].body


def test_bulk_assignment_tells_each_new_lead_unit(world):
    bare = TaskFactory(plan=world.plan_a, title="Chưa giao", due_date=None, deadline_text="")
    services.tasks_bulk_assign(
        actor=world.people.office,
        tasks=iter([bare, world.task_police]),
        lead_units=[world.vhxh],
        deadline_text="15/12/2026",
    )
    assert told(Kind.TASK_ASSIGNED) == ["alice", "alice", "hanh", "hanh"]
    # The police task's deadline moved too, and the police unit no longer leads it.
    assert told(Kind.DEADLINE_CHANGED) == []


def test_an_amendment_moving_a_deadline_tells_the_lead_unit(world):
    services.amendment_apply(
        actor=world.people.office,
        plan=world.plan_a,
        number="12/KH-UBND",
        issued_on=datetime.date(2026, 11, 20),
        changes=[
            {
                "kind": "changed",
                "task": world.task_police.pk,
                "fields": {"deadline_text": {"after": "31/01/2027"}},
            }
        ],
    )
    assert told(Kind.DEADLINE_CHANGED) == ["bob"]


def test_deadline_near_at_seven_days_and_one_day_once_each(world, settings):
    Task.objects.filter(pk=world.task_vhxh.pk).update(due_date=datetime.date(2026, 11, 30))
    Task.objects.filter(pk=world.task_police.pk).update(
        due_date=datetime.date(2026, 11, 28), completed_on=datetime.date(2026, 11, 20)
    )
    TaskFactory(plan=world.plan_a, lead_units=[world.police], due_date=datetime.date(2027, 1, 5))
    today = datetime.date(2026, 11, 24)
    assert events.deadlines_near(today=today) == 2  # alice and hanh; done and far tasks: none
    assert events.deadlines_near(today=today) == 0
    assert events.deadlines_near(today=today + datetime.timedelta(days=2)) == 0
    assert events.deadlines_near(today=datetime.date(2026, 11, 29)) == 2
    titles = list(
        Notification.objects.filter(recipient=world.people.officer).values_list("title", flat=True)
    )
    assert len(titles) == 2 and any("1" in t for t in titles)
    # Only the ward's tasks when a ward is named; another ward's reminders wait for its pass.
    assert events.deadlines_near(today=datetime.date(2026, 11, 30), organization=world.ward_b) == 0


def test_inactive_people_and_people_without_a_unit_role_are_not_told(world):
    UserFactory(username="gone", unit=world.vhxh, role=Role.UNIT_OFFICER, is_active=False)
    services.directive_create(actor=world.people.leader, task=world.task_vhxh, text="Khẩn")
    # olga (standing office) sits in the unit too but is not one of its people.
    assert told(Kind.DIRECTIVE_RECEIVED) == ["alice", "hanh"]


def test_the_notification_is_written_in_the_writes_transaction(world):
    evidence = upload(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.evidence_review(
            actor=world.people.office, evidence=evidence, decision="reject", reason="Mờ"
        )
        raise RuntimeError
    assert not Notification.objects.exists()
