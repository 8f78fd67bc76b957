"""A ward whose numbers are known by heart, on a frozen day (15/6/2026).

Ward A's plan (period from 1/1/2026) gets, beside the world's two tasks (due 31/12/2026):

| task | lead | coordinating | due | completed | progress | state on 15/6 |
|---|---|---|---|---|---|---|
| world.task_vhxh | VHXH | | 31/12 | | 0 | open, not due — behind schedule |
| world.task_police | police | | 31/12 | | 30 | open, not due |
| on_time | VHXH | | 31/3 | 20/3 | 100 | done on time |
| late | VHXH | | 31/3 | 10/4 | 100 | done late |
| overdue_police | police | | 31/5 | | 40 | open, overdue (15 days) |
| overdue_shared | VHXH | police | 30/4 | | 10 | open, overdue (46 days) |
| no_unit | — | | none | | 0 | open, not due |
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.factories import TaskFactory
from theodoi.alerts.models import Alert
from theodoi.plans.models import Indicator, IndicatorMilestone, IndicatorValue, Task
from theodoi.reporting.models import Directive

D = datetime.date
TODAY = "2026-06-15"


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def make_indicator(plan, name, comparator=">=", milestone="50", values=(), **fields):
    indicator = Indicator.objects.create(
        plan=plan, name=name, comparator=comparator, unit_of_measure="%", **fields
    )
    if milestone is not None:
        IndicatorMilestone.objects.create(indicator=indicator, year=2026, value=Decimal(milestone))
    for period, value in values:
        IndicatorValue.objects.create(indicator=indicator, period=period, value=Decimal(value))
    return indicator


@pytest.fixture
def board(world, settings):
    settings.THEODOI_TODAY = TODAY
    Task.objects.filter(pk=world.task_police.pk).update(progress=30)
    plan = world.plan_a
    tasks = SimpleNamespace(
        on_time=TaskFactory(
            plan=plan,
            title="Ban hành quy chế",
            due_date=D(2026, 3, 31),
            completed_on=D(2026, 3, 20),
            progress=100,
            lead_units=[world.vhxh],
        ),
        late=TaskFactory(
            plan=plan,
            title="Số hóa hồ sơ",
            due_date=D(2026, 3, 31),
            completed_on=D(2026, 4, 10),
            progress=100,
            lead_units=[world.vhxh],
        ),
        overdue_police=TaskFactory(
            plan=plan,
            title="Lắp camera an ninh",
            due_date=D(2026, 5, 31),
            progress=40,
            lead_units=[world.police],
        ),
        overdue_shared=TaskFactory(
            plan=plan,
            title="Tuyên truyền chuyển đổi số",
            due_date=D(2026, 4, 30),
            progress=10,
            lead_units=[world.vhxh],
            coordinating_units=[world.police],
        ),
        no_unit=TaskFactory(
            plan=plan, title="Việc chưa rõ đơn vị", due_date=None, deadline_kind="event"
        ),
    )
    indicators = SimpleNamespace(
        off=make_indicator(plan, "Tỷ lệ hồ sơ trực tuyến", values=[("2026-Q1", "40")]),
        risky=make_indicator(
            plan, "Tỷ lệ chữ ký số", values=[("2026-Q1", "30"), ("2026-Q2", "52")]
        ),
        fine=make_indicator(plan, "Tỷ lệ thanh toán số", values=[("2026-Q1", "60")]),
        empty=make_indicator(plan, "Tỷ lệ hồ sơ sức khỏe điện tử"),
        rank=make_indicator(
            plan, "Xếp hạng DTI", comparator="<=", milestone="10", values=[("2026", "8")]
        ),
    )
    alerts = SimpleNamespace(
        open=Alert.objects.create(
            organization=world.ward_a,
            rule=Alert.Rule.OVERDUE,
            task=tasks.overdue_police,
            unit=world.police,
            message="Quá hạn 15 ngày",
        ),
        closed=Alert.objects.create(
            organization=world.ward_a,
            rule=Alert.Rule.DUE_SOON,
            task=tasks.on_time,
            message="Đã đóng",
            closed_at=datetime.datetime(2026, 3, 20, tzinfo=datetime.UTC),
        ),
        other_ward=Alert.objects.create(
            organization=world.ward_b,
            rule=Alert.Rule.OVERDUE,
            task=world.task_b,
            message="Của phường khác",
        ),
    )
    directives = SimpleNamespace(
        answered=Directive.objects.create(
            task=tasks.overdue_police,
            author=world.people.leader,
            text="Khẩn trương hoàn thành camera",
            answer="Đã lắp 8/10 camera",
            answered_by=world.people.police_officer,
            answered_at=datetime.datetime(2026, 6, 10, tzinfo=datetime.UTC),
        ),
        waiting=Directive.objects.create(
            task=world.task_vhxh, author=world.people.leader, text="Báo cáo tiến độ chữ ký số"
        ),
        other_ward=Directive.objects.create(task=world.task_b, text="Chỉ đạo phường khác"),
    )
    return SimpleNamespace(tasks=tasks, indicators=indicators, alerts=alerts, directives=directives)
