"""The report's data read as plain values says what the models say: each file's latest review,
its stored name, the units of each task in the plan's order."""

from tests.exports.conftest import PERIOD
from theodoi.core.clock import today
from theodoi.exports import report, selectors
from theodoi.org.models import Unit
from theodoi.plans.selectors import coordinating_unit_ids, lead_unit_ids, tasks_for_user
from theodoi.reporting.models import Evidence
from theodoi.tracking import services


def _data(quarter):
    office = quarter.world.people.office
    period = report.parse_report_period(PERIOD)
    return selectors.report_data(office, quarter.plan, period, today=today())


def test_each_file_carries_its_latest_review_as_the_file_page_shows_it(quarter):
    office = quarter.world.people.office
    rejected = quarter.evidence.rejected
    # The unit sent the missing signature: the office looks again and accepts the file.
    services.evidence_review(
        actor=office,
        evidence=rejected,
        decision="accept",
        expected_review_id=rejected.latest_review.pk,
    )
    rows = {row.id: row for row in _data(quarter).evidence}
    assert rows[rejected.pk].decision == "accepted"
    assert rows[quarter.evidence.unreviewed.pk].decision is None
    files = Evidence.objects.filter(pk__in=rows).prefetch_related("reviews")
    assert len(files) == len(rows)
    for item in files:
        latest = item.latest_review
        assert rows[item.pk].decision == (latest.decision if latest else None)
        assert rows[item.pk].storage_name == item.file.name
        assert rows[item.pk].uploaded_on == item.uploaded_on


def test_each_task_lists_its_units_as_the_plan_page_does(quarter):
    office = quarter.world.people.office
    rows = {row.id: row for row in _data(quarter).tasks}
    tasks = tasks_for_user(office, today=today()).filter(plan=quarter.plan)
    assert set(rows) == {task.pk for task in tasks}
    names = dict(Unit.objects.values_list("id", "name"))
    for task in tasks:
        assert rows[task.pk].lead_units == tuple(names[i] for i in lead_unit_ids(task))
        assert rows[task.pk].coordinating_units == tuple(
            names[i] for i in coordinating_unit_ids(task)
        )
