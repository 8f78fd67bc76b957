"""Who sees which alerts: unit roles their unit's, the ward its own, the province its wards."""

import datetime

import pytest

from theodoi.alerts import services
from theodoi.alerts.selectors import alerts_for_user
from theodoi.plans.models import Plan

D = datetime.date


@pytest.fixture
def alerts(world, settings):
    settings.THEODOI_TODAY = "2026-11-24"
    for task in (world.task_vhxh, world.task_police, world.task_b):
        task.due_date = D(2026, 9, 30)
        task.save()
    services.scan()
    return world


def tasks_seen(user, **kwargs):
    return {alert.task_id for alert in alerts_for_user(user, **kwargs)}


def test_unit_officer_and_head_see_their_units_alerts(alerts):
    assert tasks_seen(alerts.people.officer) == {alerts.task_vhxh.pk}
    assert tasks_seen(alerts.people.head) == {alerts.task_vhxh.pk}
    assert tasks_seen(alerts.people.police_officer) == {alerts.task_police.pk}


def test_a_second_lead_unit_sees_the_alerts_too(alerts):
    alerts.task_police.lead_units.add(alerts.vhxh)
    assert alerts.task_police.pk in tasks_seen(alerts.people.officer)


def test_office_and_leader_see_their_ward(alerts):
    ward_a = {alerts.task_vhxh.pk, alerts.task_police.pk}
    assert tasks_seen(alerts.people.office) == ward_a
    assert tasks_seen(alerts.people.leader) == ward_a


def test_the_upper_level_sees_its_wards_and_the_other_province_nothing(alerts):
    everything = {alerts.task_vhxh.pk, alerts.task_police.pk, alerts.task_b.pk}
    assert tasks_seen(alerts.people.upper) == everything
    assert tasks_seen(alerts.people.other_upper) == set()


def test_another_ward_sees_none_of_ours(alerts):
    assert tasks_seen(alerts.people.other_ward) == {alerts.task_b.pk}


def test_closed_alerts_only_on_request(alerts):
    Plan.objects.filter(pk=alerts.plan_a.pk).update(status=Plan.Status.CLOSED)
    services.scan(organization=alerts.ward_a)
    assert tasks_seen(alerts.people.leader) == set()
    assert tasks_seen(alerts.people.leader, open_only=False) == {
        alerts.task_vhxh.pk,
        alerts.task_police.pk,
    }
