"""A task nobody leads (DESIGN.md §4): one "no lead unit" alert for the standing office, not
overdue or missing-report alerts addressed to no unit; once a lead unit is assigned the alert
closes by itself and the usual rules apply."""

import datetime

import pytest

from tests.factories import PlanFactory, TaskFactory
from theodoi.alerts import rules, services
from theodoi.alerts.models import Alert
from theodoi.alerts.rules import Rule, TaskFacts
from theodoi.alerts.selectors import alerts_for_user
from theodoi.core.access import SYSTEM
from theodoi.plans import services as plan_services
from theodoi.tracking import services as tracking

D = datetime.date


def facts(**changes) -> TaskFacts:
    # Overdue, behind, and without any report: every task rule but evidence would fire.
    base = {
        "today": D(2026, 11, 24),
        "due": D(2026, 9, 30),
        "start": D(2026, 1, 1),
        "progress": 10,
        "has_lead_unit": False,
    }
    return TaskFacts(**(base | changes))


def test_a_task_without_a_lead_unit_gets_only_that_alert():
    (finding,) = rules.task_findings(facts())
    assert finding.rule == Rule.NO_LEAD_UNIT
    assert finding.numbers == {"due": "2026-09-30"}
    assert "chưa được giao đơn vị chủ trì (hạn 30/09/2026)" in finding.message


def test_the_same_task_with_a_lead_unit_gets_the_usual_alerts():
    found = {finding.rule for finding in rules.task_findings(facts(has_lead_unit=True))}
    assert Rule.NO_LEAD_UNIT not in found
    assert {Rule.OVERDUE, Rule.BEHIND_SCHEDULE, Rule.MISSING_REPORT} <= found


def test_no_deadline_is_said_and_a_complete_task_needs_no_alert():
    assert "cũng chưa có thời hạn" in rules.no_lead_unit(facts(due=None)).message
    assert rules.task_findings(facts(progress=100, completed_on=D(2026, 9, 1))) == []
    assert rules.no_lead_unit(facts(has_lead_unit=True)) is None


@pytest.fixture
def unled(world, settings):
    """On 24/11/2026 a task of ward A, started in January, due 30/9, never reported on, led by
    no unit."""
    settings.THEODOI_TODAY = "2026-11-24"
    return TaskFactory(plan=world.plan_a, title="Nhiệm vụ chưa giao", due_date=D(2026, 9, 30))


def open_rules(task) -> list[str]:
    return sorted(task.alerts.filter(closed_at__isnull=True).values_list("rule", flat=True))


def test_the_scan_raises_one_alert_for_the_office_and_none_to_nobody(world, unled):
    services.scan(organization=world.ward_a)
    assert open_rules(unled) == ["no_lead_unit"]
    alert = unled.alerts.get()
    assert alert.unit is None and alert.organization == world.ward_a
    # The standing office reads it; a unit officer, whose unit leads nothing here, does not.
    assert alert in alerts_for_user(world.people.office)
    assert alert not in alerts_for_user(world.people.officer)
    assert alert not in alerts_for_user(world.people.police_officer)


def test_assigning_a_lead_unit_turns_the_alert_to_the_usual_rules(world, unled):
    """Still one alert for the task: its reasons change and it goes to the new lead unit."""
    services.scan(organization=world.ward_a)
    alert = unled.alerts.get()
    tracking.tasks_bulk_assign(actor=world.people.office, tasks=[unled], lead_units=[world.police])
    alert.refresh_from_db()
    assert alert.closed_at is None
    assert alert.rule == "overdue"
    assert "no_lead_unit" not in alert.reason_rules
    assert {"overdue", "missing_report"} <= set(alert.reason_rules)
    assert alert.unit == world.police
    assert Alert.objects.filter(task=unled).count() == 1


def test_a_draft_plan_raises_nothing(world, unled):
    world.plan_a.status = "draft"
    world.plan_a.save()
    services.scan(organization=world.ward_a)
    assert open_rules(unled) == []


def test_a_province_task_the_wards_carry_out_is_led_by_them(world, settings):
    """Given to the wards, a province task has no department of its own to lead it and no
    report of its own: it is overdue when its wards' work is, never "no lead unit"."""
    settings.THEODOI_TODAY = "2026-11-24"
    province_plan = PlanFactory(organization=world.province)
    given = TaskFactory(plan=province_plan, title="Tổ công nghệ số", due_date=D(2026, 9, 30))
    plan_services.task_assign_wards(actor=SYSTEM, task=given, assignment="all_wards")
    kept = TaskFactory(plan=province_plan, title="Ban hành danh mục", due_date=D(2026, 9, 30))
    services.scan(organization=world.province)
    assert open_rules(given) == ["overdue"]
    assert "missing_report" not in given.alerts.get().reason_rules
    # A task the province's departments keep and nobody leads still asks for a lead.
    assert open_rules(kept) == ["no_lead_unit"]
