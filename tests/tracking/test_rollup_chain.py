"""A province task the wards carry out: its cached progress follows their tasks (the progress
chain, the links, the assignment), and its page shows one row per ward in bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OrganizationFactory, PlanFactory, TaskFactory
from theodoi.core.access import SYSTEM
from theodoi.plans import services as plans
from theodoi.plans.models import Task, WardAssignment
from theodoi.tracking import services


@pytest.fixture
def chain(world, settings):
    settings.THEODOI_TODAY = "2026-11-24"
    province_plan = PlanFactory(organization=world.province, issuer="UBND tỉnh")
    upper = TaskFactory(plan=province_plan, title="Chuyển đổi số cấp xã")
    plans.task_assign_wards(actor=SYSTEM, task=upper, assignment=WardAssignment.ALL_WARDS)
    plans.task_link_upper(actor=SYSTEM, task=world.task_vhxh, upper_task=upper)
    return upper


def refreshed(task):
    return Task.objects.get(pk=task.pk)


def report(world, task, percent, actor=None):
    return services.report_submit(
        actor=actor or world.people.officer,
        task=task,
        period="2026-Q4",
        percent=percent,
        result="Đã triển khai",
    )


def test_a_ward_report_moves_the_province_task_in_the_same_write(world, chain):
    assert refreshed(chain).progress == 0
    report(world, world.task_vhxh, 60)
    # Two wards below the province: (60 + 0) / 2.
    assert refreshed(chain).progress == 30
    plans.task_link_upper(actor=SYSTEM, task=world.task_b, upper_task=chain)
    report(world, world.task_b, 41, actor=world.people.other_ward)
    assert refreshed(chain).progress == 51  # (60 + 41) / 2 = 50.5, half up


def test_a_ward_report_reads_the_roll_up_in_bounded_queries(world, chain):
    """The province task is read with its plan and province, then two queries for the roll-up
    (the wards, their implementing tasks as plain values), whatever the number of wards."""
    report(world, world.task_vhxh, 10)
    with CaptureQueriesContext(connection) as few:
        report(world, refreshed(world.task_vhxh), 20)
    for number in range(6):
        ward = OrganizationFactory(name=f"Phường {number}", parent=world.province)
        task = TaskFactory(plan=PlanFactory(organization=ward), title=f"Nhiệm vụ {number}")
        plans.task_link_upper(actor=SYSTEM, task=task, upper_task=chain)
    with CaptureQueriesContext(connection) as many:
        # As a page sends it: the ward task read afresh, its province task not yet read.
        report(world, refreshed(world.task_vhxh), 30)
    assert len(few) == len(many), [q["sql"] for q in many.captured_queries]
    assert refreshed(chain).progress == 4  # 30 % in one ward of eight: 3.75, half up
    # The province task with its plan and province in one query (not three).
    assert len(many) == 34, [q["sql"][:120] for q in many.captured_queries]


def test_a_ward_with_two_tasks_counts_their_mean(world, chain):
    plans.task_link_upper(actor=SYSTEM, task=world.task_police, upper_task=chain)
    report(world, world.task_vhxh, 80)
    assert refreshed(chain).progress == 20  # ward A (80 + 0) / 2 = 40, ward B 0


def test_unlinking_and_reassigning_roll_up_again(world, chain):
    report(world, world.task_vhxh, 60)
    plans.task_assign_wards(
        actor=SYSTEM, task=chain, assignment=WardAssignment.LISTED_WARDS, wards=[world.ward_a]
    )
    assert refreshed(chain).progress == 60
    plans.task_link_upper(actor=SYSTEM, task=world.task_vhxh, upper_task=None)
    assert refreshed(chain).progress == 0


def test_a_withdrawn_ward_task_leaves_the_roll_up(world, chain):
    plans.task_assign_wards(
        actor=SYSTEM, task=chain, assignment=WardAssignment.LISTED_WARDS, wards=[world.ward_a]
    )
    report(world, world.task_vhxh, 70)
    assert refreshed(chain).progress == 70
    services.task_withdraw(actor=SYSTEM, task=world.task_vhxh, reason="Trùng nhiệm vụ")
    assert refreshed(chain).progress == 0


def test_editing_the_province_task_keeps_the_rolled_up_progress(world, chain):
    report(world, world.task_vhxh, 60)
    services.task_update(actor=SYSTEM, task=refreshed(chain), changes={"kpi": "100% xã"})
    assert refreshed(chain).progress == 30


def test_the_province_task_page_shows_each_ward(client, world, chain):
    report(world, world.task_vhxh, 60)
    client.force_login(world.people.upper)
    page = client.get(reverse("task_detail", args=[chain.pk])).content.decode()
    assert "Phường An Bình" in page and "Phường Bình Minh" in page
    assert world.task_vhxh.get_absolute_url() in page
    assert 'id="rollup-progress">30%' in page
    assert "Chưa cụ thể hóa" in page
    assert "Tiến độ = bình quân tiến độ của 2 xã, phường được giao" in page
    # The upper level follows the link down to the ward's task.
    assert client.get(world.task_vhxh.get_absolute_url()).status_code == 200


def test_a_ward_task_page_has_no_roll_up(client, world, chain):
    client.force_login(world.people.officer)
    page = client.get(world.task_vhxh.get_absolute_url()).content.decode()
    assert 'id="rollup"' not in page


def _page_queries(client, task) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("task_detail", args=[task.pk])).status_code == 200
    return len(queries)


def test_the_page_reads_the_wards_in_bounded_queries(
    client, world, chain, django_assert_max_num_queries
):
    client.force_login(world.people.upper)
    few = _page_queries(client, chain)
    for n in range(8):
        ward = OrganizationFactory(name=f"Xã Thêm {n}", parent=world.province)
        ward_task = TaskFactory(plan=PlanFactory(organization=ward), title=f"Việc {n}")
        ward_task.upper_task = chain
        ward_task.save(update_fields=["upper_task"])
    with django_assert_max_num_queries(few):
        page = client.get(reverse("task_detail", args=[chain.pk])).content.decode()
    assert "Xã Thêm 7" in page
