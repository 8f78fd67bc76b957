"""A ward's plan with a quarter of real work behind it, built through the tracking services:
one task in each of the four states on 30/09/2026, reports with results, difficulties and
proposals, evidence accepted, rejected and not yet reviewed, and indicators on and off track."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db.models import Count

from tests.factories import SectionFactory, TaskFactory
from theodoi.plans.models import Indicator, IndicatorMilestone
from theodoi.plans.selectors import tasks_for_user
from theodoi.tracking import services

D = datetime.date
PERIOD = "2026-Q3"
AS_OF = D(2026, 9, 30)  # the end of the quarter: the day the report counts for
TODAY = "2026-10-10"  # the day the office compiles it


def pdf_bytes(label: str) -> bytes:
    return f"%PDF-1.4\n% {label}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".encode()


@pytest.fixture
def day(settings):
    def set_day(value: str) -> None:
        settings.THEODOI_TODAY = value

    return set_day


@pytest.fixture
def quarter(world, day):
    """Plan A of ward A after the third quarter of 2026."""
    people = world.people
    plan = world.plan_a
    awareness = SectionFactory(plan=plan, code="I", title="Nâng cao nhận thức", order=1)
    infrastructure = SectionFactory(plan=plan, code="II", title="Hạ tầng số", order=2)

    signatures = world.task_vhxh  # done on time
    signatures.code, signatures.section, signatures.order = "1", awareness, 1
    signatures.due_date = D(2026, 9, 30)
    signatures.save()
    network = world.task_police  # done late
    network.code, network.section, network.order = "2", infrastructure, 2
    network.due_date, network.deadline_text = D(2026, 6, 30), "Quý II/2026"
    network.save()
    training = TaskFactory(  # open, overdue on 30/09
        plan=plan,
        section=awareness,
        code="1.2",
        order=3,
        title="Bồi dưỡng kỹ năng số cho cán bộ",
        output="100% cán bộ được bồi dưỡng",
        deadline_text="Tháng 8/2026",
        due_date=D(2026, 8, 31),
        lead_units=[world.vhxh],
        coordinating_units=[world.police],
    )
    cameras = TaskFactory(  # open, not yet due
        plan=plan,
        section=infrastructure,
        code="2.1",
        order=4,
        title="Lắp đặt camera giám sát",
        due_date=D(2026, 12, 31),
        lead_units=[world.police],
    )
    handbook = TaskFactory(  # no section; due next quarter
        plan=plan,
        code="3",
        order=5,
        title="Biên soạn sổ tay chuyển đổi số",
        deadline_text="Tháng 11/2026",
        due_date=D(2026, 11, 15),
        lead_units=[world.vhxh],
    )

    def report(actor, task, percent, **texts):
        return services.report_submit(
            actor=actor, task=task, period=PERIOD, percent=percent, **texts
        )

    def upload(actor, task, name, label):
        return services.evidence_upload(actor=actor, name=name, data=pdf_bytes(label), task=task)

    day("2026-08-20")
    report(people.officer, signatures, 100, result="Đã cấp 45 chữ ký số cho cán bộ")
    accepted = upload(people.officer, signatures, "Quyết định cấp chữ ký số.pdf", "signatures")
    services.evidence_review(actor=people.office, evidence=accepted, decision="accept")
    day("2026-07-15")
    report(people.police_officer, network, 100, result="Đã nâng cấp đường truyền")
    late = upload(people.police_officer, network, "Biên bản nghiệm thu.pdf", "network")
    services.evidence_review(actor=people.office, evidence=late, decision="accept")
    day("2026-09-05")
    report(
        people.officer,
        training,
        40,
        result="Đã tổ chức 2 lớp",
        difficulties="Thiếu kinh phí thuê giảng viên",
        proposals="Đề nghị bổ sung 50 triệu đồng kinh phí bồi dưỡng",
    )
    rejected = upload(people.officer, training, "Danh sách học viên.pdf", "training")
    services.evidence_review(
        actor=people.office, evidence=rejected, decision="reject", reason="Thiếu chữ ký"
    )
    report(people.police_officer, cameras, 30, result="Đã khảo sát vị trí")

    online = Indicator.objects.create(
        plan=plan, code="1", name="Tỷ lệ hồ sơ trực tuyến", unit_of_measure="%",
        comparator=">=", baseline=Decimal(40), baseline_year=2025, target=Decimal(80),
        target_year=2030, lead_unit=world.vhxh, order=1,
    )  # fmt: skip
    IndicatorMilestone.objects.create(indicator=online, year=2026, value=Decimal(60))
    trained = Indicator.objects.create(
        plan=plan, code="2", name="Tỷ lệ cán bộ có kỹ năng số", unit_of_measure="%",
        comparator=">=", target=Decimal(100), target_year=2026, lead_unit=world.vhxh, order=2,
    )  # fmt: skip
    Indicator.objects.create(
        plan=plan, code="3", name="Số mô hình chuyển đổi số", comparator=">=",
        target=Decimal(5), target_year=2026, order=3,
    )  # fmt: skip
    online_q3 = services.indicator_value_record(
        actor=people.office, indicator=online, period=PERIOD, value=65
    )
    statistics = services.evidence_upload(
        actor=people.office,
        name="Thống kê hồ sơ quý III.pdf",
        data=pdf_bytes("online Q3"),
        indicator_value=online_q3,
    )
    services.evidence_review(actor=people.office, evidence=statistics, decision="accept")
    # Sent in but not yet reviewed: the report does not send it upward.
    unreviewed = upload(people.officer, training, "Ảnh lớp bồi dưỡng.pdf", "photo")
    services.indicator_value_record(actor=people.office, indicator=trained, period=PERIOD, value=70)
    # A value of a later quarter, and its file, do not belong in the third quarter's report.
    day("2026-10-05")
    online_q4 = services.indicator_value_record(
        actor=people.office, indicator=online, period="2026-Q4", value=20
    )
    services.evidence_upload(
        actor=people.office,
        name="Thống kê hồ sơ quý IV.pdf",
        data=pdf_bytes("online Q4"),
        indicator_value=online_q4,
    )

    day(TODAY)
    return SimpleNamespace(
        world=world,
        plan=plan,
        tasks=SimpleNamespace(
            signatures=signatures,
            network=network,
            training=training,
            cameras=cameras,
            handbook=handbook,
        ),
        evidence=SimpleNamespace(
            accepted=accepted,
            late=late,
            rejected=rejected,
            statistics=statistics,
            unreviewed=unreviewed,
        ),
        indicators=SimpleNamespace(online=online, trained=trained),
    )


def selector_counts(user, plan, as_of=AS_OF) -> dict[str, int]:
    """The four state counts as the plan page computes them (the reference for every test)."""
    tasks = tasks_for_user(user, today=as_of).filter(plan=plan)
    return dict(tasks.order_by().values_list("state").annotate(n=Count("id", distinct=True)))
