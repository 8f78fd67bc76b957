"""The ward's periodic report sent upward: its JSON form, its package (only accepted evidence),
the send → return → edit → send again → accept flow with its audit trail, who may send, and
the alert of a report not sent in time."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage

from tests.factories import PlanFactory
from theodoi.alerts.models import Alert
from theodoi.alerts.selectors import alerts_for_user
from theodoi.alerts.services import scan
from theodoi.audit.actions import AuditAction
from theodoi.audit.models import AuditEvent
from theodoi.exports import upward
from theodoi.plans.periods import parse_period
from theodoi.reporting.models import UpwardReport
from theodoi.reporting.services import ReportingError, StaleVersion
from theodoi.reporting.upward import (
    upward_report_accept,
    upward_report_prepare,
    upward_report_return,
)

from .conftest import PERIOD

pytestmark = pytest.mark.django_db

Q3 = parse_period(PERIOD, "quarterly")

SCHEMA_KEYS = {
    "schema",
    "ward",
    "province",
    "plan",
    "period",
    "due_on",
    "sent_on",
    "version",
    "summary",
    "sections",
    "tasks",
    "indicators",
    "evidence",
    "package_sha256",
}
STR_OR_NONE = (str, type(None))
NUMBER_OR_NONE = (int, float, type(None))


def _draft(quarter):
    return upward_report_prepare(actor=quarter.world.people.office, plan=quarter.plan, period=Q3)


def _send(quarter, report, **kwargs):
    return upward.upward_send(actor=quarter.world.people.office, upward=report, **kwargs)


def _package(report) -> zipfile.ZipFile:
    with default_storage.open(report.package.name, "rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_payload_has_every_key_of_the_schema_with_its_type(quarter):
    sent = _send(quarter, _draft(quarter))
    payload = sent.payload
    assert set(payload) == SCHEMA_KEYS
    assert payload["schema"] == "theodoi.upward-report/1"
    assert payload["ward"] == {
        "code": quarter.plan.organization.code,
        "name": quarter.plan.organization.name,
    }
    assert set(payload["province"]) == {"code", "name"}
    assert payload["province"]["name"] == quarter.world.province.name
    assert set(payload["plan"]) == {"number", "title", "issued_on", "upper_plan_number"}
    assert payload["plan"]["number"] == quarter.plan.number
    assert payload["plan"]["issued_on"] == quarter.plan.issued_on.isoformat()
    assert payload["period"] == {
        "key": "2026-Q3",
        "label": "Quý III/2026",
        "start": "2026-07-01",
        "end": "2026-09-30",
    }
    assert payload["due_on"] == sent.due_on.isoformat()
    assert payload["sent_on"] == sent.sent_on.isoformat()
    assert payload["version"] == sent.version == 1
    summary = payload["summary"]
    assert set(summary) == {
        "tasks_total",
        "done",
        "done_on_time",
        "overdue",
        "in_progress",
        "not_started",
        "average_progress",
    }
    assert all(isinstance(summary[key], int) for key in summary if key != "average_progress")
    assert isinstance(summary["average_progress"], int | float)
    assert summary["tasks_total"] == quarter.plan.tasks.count()
    assert summary["tasks_total"] == (
        summary["done"] + summary["overdue"] + summary["in_progress"] + summary["not_started"]
    )
    assert summary["done"] == 2 and summary["done_on_time"] == 1 and summary["overdue"] == 1
    for section in payload["sections"]:
        assert set(section) == {"code", "title", "text"}
        assert isinstance(section["code"], STR_OR_NONE)
        assert isinstance(section["title"], str) and isinstance(section["text"], str)
    assert {"I", "II", "summary", "proposals"} <= {s["code"] for s in payload["sections"]}
    task_keys = {
        "code",
        "title",
        "upper_task_code",
        "lead_unit",
        "state",
        "progress",
        "due_date",
        "result",
        "difficulties",
        "proposals",
    }
    for task in payload["tasks"]:
        assert set(task) == task_keys
        assert isinstance(task["progress"], int)
        for key in task_keys - {"progress"}:
            assert isinstance(task[key], STR_OR_NONE), key
    training = next(t for t in payload["tasks"] if t["code"] == "1.2")
    assert training["state"] == "open_overdue"
    assert training["difficulties"] == "Thiếu kinh phí thuê giảng viên"
    indicator_keys = {
        "code",
        "name",
        "unit",
        "target",
        "milestone",
        "value",
        "period",
        "catalogue_code",
    }
    for indicator in payload["indicators"]:
        assert set(indicator) == indicator_keys
        for key in ("target", "milestone", "value"):
            assert isinstance(indicator[key], NUMBER_OR_NONE)
    online = next(i for i in payload["indicators"] if i["code"] == "1")
    assert online["value"] == 65 and online["milestone"] == 60 and online["period"] == PERIOD
    for item in payload["evidence"]:
        assert set(item) == {"name", "sha256", "size", "task_code", "accepted_on"}
        assert isinstance(item["size"], int) and len(item["sha256"]) == 64
    assert payload["package_sha256"] == sent.package_sha256


def test_the_package_holds_the_word_report_and_only_accepted_evidence(quarter):
    sent = _send(quarter, _draft(quarter))
    archive = _package(sent)
    names = archive.namelist()
    assert any(name.endswith(".docx") for name in names)
    evidence_names = [name for name in names if name.startswith("minh-chung/")]
    # Accepted: the signatures, the network files and the indicator's statistics. Rejected
    # (the training list) and not reviewed (the class photo) stay at the ward.
    assert len(evidence_names) == 3
    assert any("Thống kê hồ sơ" in name for name in evidence_names)
    assert not any("Danh sách học viên" in name for name in names)
    assert not any("Ảnh lớp bồi dưỡng" in name for name in names)
    listed = {item["name"]: item for item in sent.payload["evidence"]}
    assert set(listed) == set(evidence_names)
    for name in evidence_names:
        assert hashlib.sha256(archive.read(name)).hexdigest() == listed[name]["sha256"]
        assert listed[name]["accepted_on"] is not None
    with default_storage.open(sent.package.name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == sent.package_sha256


def test_send_return_edit_send_again_accept(quarter):
    people = quarter.world.people
    report = _draft(quarter)
    sent = _send(quarter, report, version=0)
    first_package = sent.package.name
    with pytest.raises(ReportingError):
        upward.upward_save(actor=people.office, upward=sent, edits={"summary": "x"})

    returned = upward_report_return(
        actor=people.upper, report=sent, reason="Bổ sung số liệu chỉ tiêu 1", version=1
    )
    assert returned.status == UpwardReport.Status.RETURNED

    saved = upward.upward_save(
        actor=people.office,
        upward=returned,
        edits={"summary": "Đã bổ sung số liệu chỉ tiêu 1 theo yêu cầu."},
        version=1,
    )
    assert saved.text["summary"] == "Đã bổ sung số liệu chỉ tiêu 1 theo yêu cầu."
    with pytest.raises(StaleVersion):
        _send(quarter, saved, version=0)  # a page opened before the first sending

    again = _send(quarter, saved, version=1)
    assert again.version == 2 and again.status == UpwardReport.Status.SENT
    assert again.return_reason == ""
    assert again.payload["version"] == 2
    summary = next(s for s in again.payload["sections"] if s["code"] == "summary")
    assert summary["text"] == "Đã bổ sung số liệu chỉ tiêu 1 theo yêu cầu."
    # Each sending keeps its own package; the first one is still there.
    assert default_storage.exists(first_package)
    assert default_storage.exists(again.package.name)

    accepted = upward_report_accept(actor=people.upper, report=again, version=2)
    assert accepted.status == UpwardReport.Status.ACCEPTED
    assert accepted.answered_by == people.upper
    with pytest.raises(ReportingError):
        upward.upward_save(actor=people.office, upward=accepted, edits={"summary": "y"})

    actions = list(
        AuditEvent.objects.filter(object_type="reporting.upwardreport", object_id=str(report.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        AuditAction.UPWARD_REPORT_SAVE,  # prepared
        AuditAction.UPWARD_REPORT_SEND,
        AuditAction.UPWARD_REPORT_RETURNED,
        AuditAction.UPWARD_REPORT_SAVE,
        AuditAction.UPWARD_REPORT_SEND,
        AuditAction.UPWARD_REPORT_ACCEPTED,
    ]


def test_a_unit_officer_or_another_wards_office_cannot_send(quarter):
    people = quarter.world.people
    report = _draft(quarter)
    for person in (people.officer, people.head, people.other_ward, people.upper, people.leader):
        with pytest.raises(PermissionDenied):
            upward.upward_send(actor=person, upward=report)
        with pytest.raises(PermissionDenied):
            upward.upward_save(actor=person, upward=report, edits={"summary": "x"})
    with pytest.raises(PermissionDenied):
        upward_report_prepare(actor=people.other_ward, plan=quarter.plan, period=Q3)
    report.refresh_from_db()
    assert report.status == UpwardReport.Status.DRAFT and report.version == 0


def _upward_alert(plan):
    return Alert.objects.filter(plan=plan, closed_at__isnull=True).first()


def test_a_plan_that_does_not_report_upward_raises_no_alert(quarter, day):
    day("2026-10-12")
    scan()
    assert _upward_alert(quarter.plan) is None
    # Once the office has begun its reports, the plan reports upward.
    _draft(quarter)
    scan()
    assert _upward_alert(quarter.plan).reasons[0]["keys"] == ["2026-Q1", "2026-Q2", "2026-Q3"]


def test_the_upper_plan_sets_the_due_day_and_its_number_is_sent(quarter, day):
    upper = PlanFactory(
        organization=quarter.world.province, number="49/KH-UBND", upward_report_due_days=15
    )
    quarter.plan.parents.add(upper)
    day("2026-10-12")
    scan()  # due 15/10: not late yet, due soon
    alert = _upward_alert(quarter.plan)
    assert alert.rule == Alert.Rule.UPWARD_REPORT_LATE  # Q1 and Q2 are late
    assert [r["rule"] for r in alert.reasons] == ["upward_report_late", "upward_report_due_soon"]
    assert alert.reasons[1]["numbers"]["due_on"] == "2026-10-15"
    sent = _send(quarter, _draft(quarter))
    assert sent.due_on.isoformat() == "2026-10-15"
    assert sent.payload["due_on"] == "2026-10-15"
    assert sent.payload["plan"]["upper_plan_number"] == "49/KH-UBND"


def test_a_late_report_raises_an_alert_that_closes_once_sent(quarter, day):
    quarter.plan.parents.add(PlanFactory(organization=quarter.world.province))
    day("2026-10-12")  # the third quarter's report was due on 10/10/2026
    scan()
    alert = _upward_alert(quarter.plan)
    assert alert is not None
    assert alert.rule == Alert.Rule.UPWARD_REPORT_LATE
    assert alert.organization == quarter.plan.organization
    assert alert.unit is None
    # Q1, Q2 and Q3 of 2026 are all unsent.
    assert alert.reasons[0]["keys"] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    for period in ("2026-Q1", "2026-Q2"):
        report = upward_report_prepare(
            actor=quarter.world.people.office,
            plan=quarter.plan,
            period=parse_period(period, "quarterly"),
        )
        _send(quarter, report)
    alert = _upward_alert(quarter.plan)
    assert alert.reasons[0]["keys"] == ["2026-Q3"]
    _send(quarter, _draft(quarter))
    assert _upward_alert(quarter.plan) is None
    # Shown to the ward's office and leaders, not to a unit's officer.
    closed = Alert.objects.filter(plan=quarter.plan).first()
    people = quarter.world.people
    assert closed in alerts_for_user(people.office, open_only=False)
    assert closed in alerts_for_user(people.leader, open_only=False)
    assert closed not in alerts_for_user(people.officer, open_only=False)


def test_a_returned_report_is_missing_again(quarter, day):
    people = quarter.world.people
    for period in ("2026-Q1", "2026-Q2"):
        report = upward_report_prepare(
            actor=people.office, plan=quarter.plan, period=parse_period(period, "quarterly")
        )
        _send(quarter, report)
    sent = _send(quarter, _draft(quarter))
    day("2026-10-20")
    quarter.plan.parents.add(PlanFactory(organization=quarter.world.province))
    scan()
    assert _upward_alert(quarter.plan) is None
    upward_report_return(actor=people.upper, report=sent, reason="Thiếu số liệu")
    scan()
    alert = _upward_alert(quarter.plan)
    assert alert is not None and alert.reasons[0]["keys"] == ["2026-Q3"]
