"""The demo's plan reports yearly from 1/1/2026, so none of its tasks is judged behind schedule
before the first year ends (DESIGN.md §4); the office still follows one alert it snoozed."""

import pytest

from theodoi.alerts import services as alerts
from theodoi.alerts.models import Alert
from theodoi.demo.services import load_demo
from theodoi.plans.models import Plan


@pytest.fixture
def demo(db):
    ward, created = load_demo()
    assert created
    return ward


def behind(ward) -> int:
    return sum(
        "behind_schedule" in alert.reason_rules
        for alert in Alert.objects.filter(organization=ward, closed_at__isnull=True)
    )


def test_no_task_of_the_yearly_plan_is_behind_in_its_first_year_and_one_alert_is_snoozed(demo):
    plan = Plan.objects.get(organization=demo)
    assert (plan.reporting_cycle, plan.start.isoformat()) == ("yearly", "2026-01-01")
    assert behind(demo) == 0
    snoozed = Alert.objects.get(organization=demo, closed_at=None, snoozed_until__isnull=False)
    assert snoozed.rule == "evidence_rejected"
    assert (
        Alert.objects.filter(organization=demo, closed_at=None)
        .exclude(acknowledged_at=None)
        .exists()
    )


def test_once_the_first_year_is_over_the_tasks_behind_are_judged(demo, settings):
    settings.THEODOI_TODAY = "2027-01-05"
    alerts.scan(organization=demo)
    assert behind(demo) > 0
