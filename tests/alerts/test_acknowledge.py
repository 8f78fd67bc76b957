"""The standing office acknowledges an alert with a note or snoozes it to a day (DESIGN.md §4,
§5): who may, what the audit trail keeps, how long it lasts and what brings the alert back."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from theodoi.alerts import services
from theodoi.alerts.models import Alert
from theodoi.alerts.selectors import alert_summary, alerts_for_user
from theodoi.audit.models import AuditEvent
from theodoi.tracking import services as tracking

D = datetime.date


@pytest.fixture
def overdue(world, settings):
    """The VHXH task, overdue on 24/11/2026 (and missing its reports): one open alert."""
    settings.THEODOI_TODAY = "2026-11-24"
    world.task_vhxh.due_date = D(2026, 9, 30)
    world.task_vhxh.save()
    services.scan(organization=world.ward_a)
    return world.task_vhxh.alerts.get(closed_at__isnull=True)


def test_the_office_acknowledges_with_a_note_and_the_trail_keeps_it(world, overdue):
    before = alert_summary(world.people.office)
    services.alert_acknowledge(
        actor=world.people.office, alert=overdue, note="Đã nhắc tại giao ban tuần"
    )
    overdue.refresh_from_db()
    assert overdue.acknowledged_by == world.people.office
    assert overdue.acknowledged_at is not None
    assert overdue.acknowledgement_note == "Đã nhắc tại giao ban tuần"
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "alert.acknowledge"
    assert event.actor == world.people.office
    assert event.after["note"] == "Đã nhắc tại giao ban tuần"
    assert event.before["acknowledged_at"] is None
    # Still listed (as acknowledged), no longer counted as needing action.
    assert overdue in alerts_for_user(world.people.office)
    summary = alert_summary(world.people.office)
    assert summary.needing_action == before.needing_action - 1
    assert (before.acknowledged, summary.acknowledged) == (0, 1)
    assert overdue not in summary.top


def test_an_acknowledgement_needs_a_note(world, overdue):
    with pytest.raises(services.AlertError):
        services.alert_acknowledge(actor=world.people.office, alert=overdue, note="  ")
    overdue.refresh_from_db()
    assert overdue.acknowledged_at is None


@pytest.mark.parametrize(
    "person", ["officer", "head", "police_officer", "leader", "ward_admin", "upper", "other_ward"]
)
def test_only_the_wards_standing_office_may_acknowledge_or_snooze(world, overdue, person):
    actor = getattr(world.people, person)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.alert_acknowledge(actor=actor, alert=overdue, note="Đã biết")
    with pytest.raises(PermissionDenied):
        services.alert_snooze(actor=actor, alert=overdue, until=D(2026, 12, 10))
    overdue.refresh_from_db()
    assert overdue.acknowledged_at is None and overdue.snoozed_until is None
    assert AuditEvent.objects.count() == before


def test_a_snoozed_alert_hides_until_its_day(world, overdue, settings):
    services.alert_snooze(
        actor=world.people.office, alert=overdue, until=D(2026, 12, 1), note="Chờ giao ban"
    )
    assert AuditEvent.objects.order_by("-id").first().action == "alert.snooze"
    for person in (world.people.office, world.people.officer, world.people.leader):
        assert overdue not in alerts_for_user(person)
        assert overdue in alerts_for_user(person, include_snoozed=True)
    settings.THEODOI_TODAY = "2026-12-01"  # its day: it shows again
    assert overdue in alerts_for_user(world.people.officer)


@pytest.mark.parametrize(("until", "ok"), [(D(2026, 11, 24), False), (D(2027, 3, 1), False)])
def test_a_snooze_is_to_a_day_after_today_and_not_for_ever(world, overdue, until, ok):
    with pytest.raises(services.AlertError):
        services.alert_snooze(actor=world.people.office, alert=overdue, until=until)


def test_it_stays_acknowledged_while_its_reasons_do_not_get_worse(world, overdue, settings):
    services.alert_acknowledge(actor=world.people.office, alert=overdue, note="Đã nhắc")
    settings.THEODOI_TODAY = "2026-11-30"  # later: more days late, the same reasons
    services.scan(organization=world.ward_a)
    overdue.refresh_from_db()
    assert overdue.closed_at is None
    assert overdue.acknowledgement_note == "Đã nhắc"
    assert overdue.reason_texts[0].startswith("Quá hạn 61 ngày")


def test_a_new_reason_brings_it_back(world, overdue, settings):
    services.alert_snooze(
        actor=world.people.office, alert=overdue, until=D(2026, 12, 20), note="Chờ"
    )
    assert "evidence_rejected" not in overdue.reason_rules
    evidence = tracking.evidence_upload(
        actor=world.people.officer,
        name="bien-ban.pdf",
        data=b"%PDF-1.4\n%x\n%%EOF\n",
        task=world.task_vhxh,
    )
    tracking.evidence_review(
        actor=world.people.office, evidence=evidence, decision="reject", reason="Thiếu dấu"
    )
    overdue.refresh_from_db()
    assert "evidence_rejected" in overdue.reason_rules
    assert overdue.acknowledged_at is None and overdue.snoozed_until is None
    assert overdue.acknowledgement_note == ""
    assert overdue in alerts_for_user(world.people.officer)
    assert Alert.objects.filter(task=world.task_vhxh, closed_at__isnull=True).count() == 1


def test_a_closed_alert_cannot_be_acknowledged(world, overdue):
    Alert.objects.filter(pk=overdue.pk).update(closed_at=overdue.opened_at)
    with pytest.raises(services.AlertError):
        services.alert_acknowledge(actor=world.people.office, alert=overdue, note="Muộn")
