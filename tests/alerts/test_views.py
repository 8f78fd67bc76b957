"""The alert page (grouped by unit and task, with filters), the acknowledge/snooze form on it,
and the short summary on the unit's landing page."""

import datetime

import pytest
from django.urls import reverse

from theodoi.alerts import services
from theodoi.alerts.models import Alert
from theodoi.audit.models import AuditEvent

D = datetime.date


@pytest.fixture
def ward(world, settings):
    """Both tasks of ward A overdue on 24/11/2026: one alert each."""
    settings.THEODOI_TODAY = "2026-11-24"
    for task in (world.task_vhxh, world.task_police):
        task.due_date = D(2026, 9, 30)
        task.save()
    services.scan(organization=world.ward_a)
    return world


def alert_of(task):
    return Alert.objects.get(task=task, closed_at__isnull=True)


def test_the_alert_page_groups_by_unit_with_counts(ward, client):
    client.force_login(ward.people.office)
    page = client.get(reverse("alert_list")).content.decode()
    assert page.count('data-testid="alert-group"') == 2
    assert ward.vhxh.name in page and ward.police.name in page
    assert page.count('data-testid="alert"') == 2
    assert "Quá hạn 55 ngày" in page
    assert page.count('data-testid="alert-form"') == 2  # the office may act on each


def test_a_unit_officer_sees_their_units_alerts_without_the_form(ward, client):
    client.force_login(ward.people.officer)
    page = client.get(reverse("alert_list")).content.decode()
    assert ward.task_vhxh.title in page
    assert ward.task_police.title not in page
    assert 'data-testid="alert-form"' not in page


def test_filters_by_unit_reason_and_state(ward, client):
    services.alert_acknowledge(
        actor=ward.people.office, alert=alert_of(ward.task_police), note="Đã nhắc"
    )
    client.force_login(ward.people.office)
    by_unit = client.get(reverse("alert_list"), {"unit": ward.police.pk}).content.decode()
    assert ward.task_police.title in by_unit and ward.task_vhxh.title not in by_unit
    acknowledged = client.get(reverse("alert_list"), {"state": "acknowledged"}).content.decode()
    assert ward.task_police.title in acknowledged and ward.task_vhxh.title not in acknowledged
    needing = client.get(reverse("alert_list"), {"state": "open"}).content.decode()
    assert ward.task_vhxh.title in needing and ward.task_police.title not in needing
    none = client.get(reverse("alert_list"), {"rule": "evidence_rejected"}).content.decode()
    assert 'data-testid="alert"' not in none
    garbled = client.get(reverse("alert_list"), {"rule": "x", "unit": "²", "state": "?"})
    assert garbled.status_code == 200


def test_the_office_acknowledges_through_the_form(ward, client):
    alert = alert_of(ward.task_vhxh)
    client.force_login(ward.people.office)
    response = client.post(
        reverse("alert_act", args=[alert.pk]),
        {"action": "acknowledge", "note": "Đơn vị hẹn nộp báo cáo thứ Sáu"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đơn vị hẹn nộp báo cáo thứ Sáu" in body
    assert 'data-testid="alert-acknowledged"' in body
    alert.refresh_from_db()
    assert alert.acknowledgement_note == "Đơn vị hẹn nộp báo cáo thứ Sáu"


def test_a_refused_form_keeps_what_was_typed_and_changes_nothing(ward, client):
    alert = alert_of(ward.task_vhxh)
    client.force_login(ward.people.office)
    response = client.post(
        reverse("alert_act", args=[alert.pk]),
        {"action": "snooze", "note": "Chờ họp", "until": "2026-11-20"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Chờ họp" in body and 'value="2026-11-20"' in body
    assert 'role="alert"' in body
    alert.refresh_from_db()
    assert alert.snoozed_until is None


def test_snoozing_without_htmx_goes_back_with_a_message(ward, client):
    alert = alert_of(ward.task_vhxh)
    client.force_login(ward.people.office)
    response = client.post(
        reverse("alert_act", args=[alert.pk]),
        {"action": "snooze", "until": "2026-12-05", "next": reverse("alert_list")},
    )
    assert response.status_code == 302 and response.url == reverse("alert_list")
    alert.refresh_from_db()
    assert alert.snoozed_until == D(2026, 12, 5)
    page = client.get(reverse("alert_list")).content.decode()
    assert ward.task_vhxh.title not in page  # hidden until its day
    snoozed = client.get(reverse("alert_list"), {"state": "snoozed"}).content.decode()
    assert ward.task_vhxh.title in snoozed and "05/12/2026" in snoozed


@pytest.mark.parametrize(("person", "status"), [("officer", 403), ("other_ward", 404)])
def test_others_may_not_act(ward, client, person, status):
    alert = alert_of(ward.task_vhxh)
    client.force_login(getattr(ward.people, person))
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("alert_act", args=[alert.pk]), {"action": "acknowledge", "note": "x"}
    )
    assert response.status_code == status
    assert AuditEvent.objects.count() == before


def test_the_landing_page_shows_a_short_summary(ward, client):
    client.force_login(ward.people.officer)
    page = client.get(reverse("my_tasks")).content.decode()
    assert 'data-testid="alert-panel"' in page
    assert "1 nhiệm vụ cần xử lý" in page
    assert reverse("alert_list") in page
    assert 'data-testid="alert-form"' not in page


def test_a_late_periodic_report_has_its_own_group_counted_as_a_report(ward, client):
    Alert.objects.create(
        organization=ward.ward_a,
        plan=ward.plan_a,
        rule=Alert.Rule.UPWARD_REPORT_LATE,
        message="Chưa gửi báo cáo định kỳ Quý III/2026",
        reasons=[{"rule": "upward_report_late", "message": "Chưa gửi báo cáo định kỳ"}],
    )
    client.force_login(ward.people.office)
    page = client.get(reverse("alert_list")).content.decode()
    assert page.count('data-testid="alert-group"') == 3
    assert "Báo cáo định kỳ gửi cấp trên: Văn phòng thực hiện" in page
    assert "1 báo cáo cần xử lý" in page
    assert "Chưa có đơn vị chủ trì" not in page
