"""The reporting workflow's rules (DESIGN.md §4), through the services every page and the API use
(the tracking services: each reporting write followed by the progress chain)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage

from tests.factories import TaskFactory
from theodoi.alerts.models import Alert
from theodoi.audit.models import AuditEvent
from theodoi.core.access import SYSTEM
from theodoi.plans.models import Task
from theodoi.plans.selectors import with_state
from theodoi.reporting.models import Evidence, ProgressReport
from theodoi.tracking import services

PDF = b"%PDF-1.4\n% theodoi test evidence\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def day(settings):
    def set_day(value: str):
        settings.THEODOI_TODAY = value

    set_day("2026-11-24")
    return set_day


def state_of(task):
    return (
        with_state(Task.objects.filter(pk=task.pk), today=datetime.date.fromisoformat("2026-11-24"))
        .get()
        .state
    )


def submit(world, percent, period="2026-Q4", task=None, actor=None):
    return services.report_submit(
        actor=actor or world.people.officer,
        task=task or world.task_vhxh,
        period=period,
        percent=percent,
        result="Đã triển khai",
    )


def upload(world, data=PDF, name="bao-cao.pdf", task=None, actor=None):
    return services.evidence_upload(
        actor=actor or world.people.officer,
        name=name,
        data=data,
        task=task or world.task_vhxh,
    )


def test_report_at_100_without_accepted_evidence_leaves_the_task_open(world, day):
    submit(world, 100)
    upload(world)
    world.task_vhxh.refresh_from_db()
    assert world.task_vhxh.progress == 100
    assert world.task_vhxh.completed_on is None
    assert state_of(world.task_vhxh) == "open_not_due"


def test_acceptance_completes_the_task_on_time(world, day):
    day("2026-10-15")
    submit(world, 100)
    evidence = upload(world)
    day("2027-01-10")  # the office reviews after the deadline: the unit is still on time
    services.evidence_review(actor=world.people.office, evidence=evidence, decision="accept")
    world.task_vhxh.refresh_from_db()
    assert world.task_vhxh.completed_on == datetime.date(2026, 10, 15)
    assert state_of(world.task_vhxh) == "done_on_time"


def test_completion_after_the_due_date_is_late(world, day):
    world.task_vhxh.due_date = datetime.date(2026, 9, 30)
    world.task_vhxh.save()
    submit(world, 100)
    evidence = upload(world)
    services.evidence_review(actor=world.people.office, evidence=evidence, decision="accept")
    world.task_vhxh.refresh_from_db()
    assert world.task_vhxh.completed_on == datetime.date(2026, 11, 24)
    assert state_of(world.task_vhxh) == "done_late"


def test_rejection_turns_the_task_back_to_not_complete(world, day):
    submit(world, 100)
    evidence = upload(world)
    services.evidence_review(actor=world.people.office, evidence=evidence, decision="accept")
    services.evidence_review(
        actor=world.people.office, evidence=evidence, decision="reject", reason="Chưa có chữ ký"
    )
    world.task_vhxh.refresh_from_db()
    assert world.task_vhxh.completed_on is None


def test_a_rejection_needs_a_reason(world, day):
    evidence = upload(world)
    with pytest.raises(services.ReportingError, match="lý do"):
        services.evidence_review(actor=world.people.office, evidence=evidence, decision="reject")


def test_a_returned_report_stops_counting(world, day):
    submit(world, 30, period="2026-Q3")
    report = submit(world, 80)
    services.report_return(actor=world.people.office, report=report, reason="Số liệu chưa khớp")
    world.task_vhxh.refresh_from_db()
    assert world.task_vhxh.progress == 30
    with pytest.raises(services.ReportingError, match="lý do"):
        services.report_return(actor=world.people.office, report=report, reason=" ")


def test_one_report_per_period_edited_until_accepted(world, day):
    first = submit(world, 40)
    second = submit(world, 60)
    assert first.pk == second.pk and ProgressReport.objects.count() == 1
    assert second.version == 2
    with pytest.raises(services.StaleVersion):
        services.report_submit(
            actor=world.people.officer,
            task=world.task_vhxh,
            period="2026-Q4",
            percent=70,
            version=1,
        )
    services.report_accept(actor=world.people.office, report=second)
    with pytest.raises(services.ReportingError, match="đã được cơ quan thường trực chấp nhận"):
        submit(world, 90)


def test_report_period_must_match_the_plan_cycle_and_have_started(world, day):
    with pytest.raises(services.ReportingError, match="2026-Q1"):
        submit(world, 10, period="2026-11")
    with pytest.raises(services.ReportingError, match="Chưa đến kỳ"):
        submit(world, 10, period="2027-Q1")
    with pytest.raises(services.ReportingError, match="0 đến 100"):
        submit(world, 120)


def test_unit_officer_reports_only_on_own_units_tasks(world, day):
    with pytest.raises(PermissionDenied):
        submit(world, 10, task=world.task_police)
    with pytest.raises(PermissionDenied):
        submit(world, 10, task=world.task_b)
    assert not ProgressReport.objects.exists()


def test_unit_head_confirms_and_office_accepts(world, day):
    report = submit(world, 50)
    services.report_confirm(actor=world.people.head, report=report)
    assert report.status == "confirmed"
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=world.people.head, report=report)
    services.report_accept(actor=world.people.office, report=report)
    assert report.status == "accepted"


def test_a_renamed_executable_is_refused_with_the_allowed_types(world, day):
    with pytest.raises(services.ReportingError) as error:
        upload(world, data=b"MZ\x90\x00" + b"\x00" * 200, name="bao-cao.pdf")
    assert "PDF, Word" in str(error.value) and "nội dung" in str(error.value)
    assert not Evidence.objects.exists()


def test_the_same_file_uploaded_twice_is_stored_once(world, day, settings):
    first = upload(world)
    second = upload(world, name="ban-sao.pdf")
    assert first.sha256 == second.sha256 and first.file.name == second.file.name
    folder = settings.MEDIA_ROOT / "evidence" / first.sha256[:2]
    assert [p.name for p in folder.iterdir()] == [first.sha256]
    assert default_storage.open(first.file.name).read() == PDF


def test_file_names_are_cleaned_and_get_the_real_extension(world, day):
    evidence = upload(world, name="../../etc/Báo cáo <quý 4>.exe.pdf")
    assert evidence.original_name == "Báo cáo _quý 4_.exe.pdf"
    assert evidence.content_type == "application/pdf"


def test_size_limit(world, day, settings):
    settings.THEODOI_EVIDENCE_MAX_MB = 1
    with pytest.raises(services.ReportingError, match="1 MB"):
        upload(world, data=PDF + b"0" * (1024 * 1024))


def test_parent_rolls_up_its_subtasks(world, day):
    parent = world.task_vhxh
    first = TaskFactory(plan=world.plan_a, parent=parent, lead_units=[world.vhxh])
    second = TaskFactory(plan=world.plan_a, parent=parent, lead_units=[world.vhxh])
    submit(world, 100, task=first)
    submit(world, 50, task=second)
    parent.refresh_from_db()
    assert parent.progress == 75 and parent.completed_on is None
    services.evidence_review(
        actor=world.people.office, evidence=upload(world, task=first), decision="accept"
    )
    submit(world, 100, task=second)
    services.evidence_review(
        actor=world.people.office, evidence=upload(world, task=second), decision="accept"
    )
    parent.refresh_from_db()
    assert parent.progress == 100 and parent.completed_on == datetime.date(2026, 11, 24)


def test_indicator_values_directly_or_as_a_ratio(world, day):
    from decimal import Decimal

    from theodoi.plans.services import indicator_create

    indicator = indicator_create(
        actor=SYSTEM, plan=world.plan_a, name="Tỷ lệ", lead_unit=world.vhxh
    )
    value = services.indicator_value_record(
        actor=world.people.officer, indicator=indicator, period="2026-Q3", value="85,5"
    )
    assert value.value == Decimal("85.5")
    ratio = services.indicator_value_record(
        actor=world.people.officer,
        indicator=indicator,
        period="2026-Q4",
        numerator=23869,
        denominator=29888,
    )
    assert ratio.value == Decimal("79.8615")
    with pytest.raises(services.ReportingError, match="mẫu số"):
        services.indicator_value_record(
            actor=world.people.officer,
            indicator=indicator,
            period="2026-Q4",
            numerator=1,
            denominator=0,
        )
    with pytest.raises(PermissionDenied):
        services.indicator_value_record(
            actor=world.people.police_officer, indicator=indicator, period="2026-Q4", value=1
        )


def test_every_step_is_audited(world, day):
    report = submit(world, 100)
    evidence = upload(world)
    services.evidence_review(actor=world.people.office, evidence=evidence, decision="accept")
    services.report_accept(actor=world.people.office, report=report)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-4:] == [
        "report.submit",
        "evidence.upload",
        "evidence.accepted",
        "report.accepted",
    ]


def test_a_recurring_task_gets_one_state_per_period(world, day):
    from theodoi.plans.services import task_create
    from theodoi.reporting.selectors import period_states

    task = task_create(
        actor=SYSTEM,
        plan=world.plan_a,
        title="Tuyên truyền thường xuyên",
        lead_units=[world.vhxh],
        deadline_text="Thường xuyên",
    )
    day("2026-07-03")
    report = submit(world, 100, period="2026-Q2", task=task)
    evidence = services.evidence_upload(
        actor=world.people.officer, name="q2.pdf", data=PDF, task=task, report=report
    )
    services.evidence_review(actor=world.people.office, evidence=evidence, decision="accept")
    day("2026-11-24")
    rows = {
        row["period"]: row["state"]
        for row in period_states(task, today=datetime.date(2026, 11, 24))
    }
    assert rows == {
        "2026-Q1": "open_overdue",  # no report at all
        "2026-Q2": "done_on_time",  # reported 3/7, within the 5 days after the quarter
        "2026-Q3": "open_overdue",
        "2026-Q4": "open_not_due",
    }


def test_correcting_a_report_keeps_the_day_it_arrived(world, day):
    day("2026-10-02")
    report = submit(world, 40)
    day("2026-10-20")
    report = submit(world, 60)
    assert report.submitted_on == datetime.date(2026, 10, 2)
    services.report_return(actor=world.people.office, report=report, reason="Bổ sung")
    day("2026-10-25")
    report = submit(world, 70)
    assert report.submitted_on == datetime.date(2026, 10, 25)


def test_a_task_withdrawn_by_an_amendment_loses_its_open_alerts(world, day):
    """As when the task is withdrawn on its own: the alert scan no longer sees a withdrawn
    task, so an alert left open would be shown and mailed for ever."""
    late = TaskFactory(
        plan=world.plan_a,
        title="Nhiệm vụ quá hạn",
        lead_units=[world.vhxh],
        deadline_text="30/6/2026",
        due_date=datetime.date(2026, 6, 30),
    )
    services.evaluate_task(late)
    assert Alert.objects.filter(task=late, closed_at__isnull=True).exists()

    services.amendment_apply(
        actor=world.people.office,
        plan=world.plan_a,
        number="15/KH-UBND",
        issued_on=datetime.date(2026, 11, 20),
        note="Điều chỉnh",
        changes=[{"kind": "withdrawn", "task": late.pk, "reason": "Đã hoàn thành ở kế hoạch khác"}],
    )

    assert not Alert.objects.filter(task=late, closed_at__isnull=True).exists()


def test_a_subtask_withdrawn_by_an_amendment_leaves_its_parent_progress(world, day):
    parent = TaskFactory(plan=world.plan_a, title="Nhiệm vụ lớn", lead_units=[world.vhxh])
    TaskFactory(plan=world.plan_a, parent=parent, title="Phần đã xong", progress=100)
    dropped = TaskFactory(plan=world.plan_a, parent=parent, title="Phần bỏ", progress=0)
    services.task_refresh(parent)
    parent.refresh_from_db()
    assert parent.progress == 50

    services.amendment_apply(
        actor=world.people.office,
        plan=world.plan_a,
        number="16/KH-UBND",
        issued_on=datetime.date(2026, 11, 20),
        note="Điều chỉnh",
        changes=[{"kind": "withdrawn", "task": dropped.pk, "reason": "Không còn phù hợp"}],
    )

    parent.refresh_from_db()
    assert parent.progress == 100
