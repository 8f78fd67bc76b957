"""The chain of plans read and written from a ward: the province tasks it may carry out, the
links proposed for a saved plan, the links made, and the tasks not made concrete yet."""

import pytest

from tests.cascade import hai_phong, import_seed
from tests.factories import PlanFactory, TaskFactory
from theodoi.audit.models import AuditEvent
from theodoi.demo.cascade import LEFT_OPEN, link_ward_tasks
from theodoi.plans import selectors
from theodoi.plans.models import Task
from theodoi.plans.services import ChainError, plan_link_uppers, task_withdraw

pytestmark = pytest.mark.django_db


def _upper(hp, code):
    return hp.province_plan.tasks.get(code=code)


def test_a_ward_may_carry_out_the_tasks_assigned_to_it_only():
    hp = hai_phong()
    le_chan = {task.code for task in selectors.eligible_upper_tasks(hp.le_chan)}
    other = {task.code for task in selectors.eligible_upper_tasks(hp.other)}
    assert le_chan == {"1.1", "1.2", "2.1", "3.1", "3.2", "3.3", "4.1", "4.2", "5.1"}
    # 3.3 is for Lê Chân and Thành Đông only; the Sở's own tasks for nobody below.
    assert other == le_chan - {"3.3"}


def test_the_unimplemented_list_shrinks_as_ward_tasks_carry_out_province_tasks():
    hp = hai_phong()
    plan = PlanFactory(organization=hp.le_chan)
    first = TaskFactory(plan=plan, title="Bảo đảm an toàn an ninh mạng")
    second = TaskFactory(plan=plan, title="Lắp Wi-Fi")
    before = {task.code for task in selectors.unimplemented_upper_tasks(hp.le_chan)}
    plan_link_uppers(
        actor=hp.people.office,
        plan=plan,
        links={first: _upper(hp, "4.2"), second: _upper(hp, "3.3")},
    )
    after = {task.code for task in selectors.unimplemented_upper_tasks(hp.le_chan)}
    assert before - after == {"4.2", "3.3"}
    # Another ward's list does not change with Lê Chân's links.
    assert "4.2" in {task.code for task in selectors.unimplemented_upper_tasks(hp.thanh_dong)}
    # A withdrawn ward task carries out nothing any more.
    task_withdraw(actor=hp.people.office, task=first, reason="Trùng nhiệm vụ")
    assert "4.2" in {task.code for task in selectors.unimplemented_upper_tasks(hp.le_chan)}
    assert list(plan.parents.all()) == [hp.province_plan]


def test_links_are_checked_and_audited_and_all_or_nothing():
    hp = hai_phong()
    plan = PlanFactory(organization=hp.other)
    task = TaskFactory(plan=plan)
    other_task = TaskFactory(plan=plan)
    with pytest.raises(ChainError):
        # 3.3 is not assigned to Hồng Bàng: neither link is made.
        plan_link_uppers(
            actor=hp.people.other_office,
            plan=plan,
            links={other_task: _upper(hp, "4.2"), task: _upper(hp, "3.3")},
        )
    assert not Task.objects.filter(plan=plan, upper_task__isnull=False).exists()
    assert not plan.parents.exists()
    plan_link_uppers(actor=hp.people.other_office, plan=plan, links={task: _upper(hp, "4.2")})
    assert AuditEvent.objects.filter(action="task.upper_link", object_id=str(task.pk)).exists()


def test_a_saved_plan_gets_proposals_and_the_demo_confirms_them_but_one():
    hp = hai_phong()
    plan = import_seed(hp.le_chan)
    proposals = selectors.proposed_upper_tasks(plan)
    pairs = {
        (task.section.code, task.code): proposals[task.pk].code
        for task in plan.tasks.filter(pk__in=proposals).select_related("section")
    }
    # The appendix rows the ward copied from the province's plan propose the rows copied.
    assert {("PL", "5"): "1.1", ("PL", "7"): "1.2", ("PL", "8"): "4.2"}.items() <= pairs.items()
    made = link_ward_tasks({"vanphong": hp.people.office})
    assert made == sum(1 for code in pairs.values() if code not in LEFT_OPEN)
    left = {task.code for task in selectors.unimplemented_upper_tasks(hp.le_chan)}
    assert left >= LEFT_OPEN
    assert "3.3" in left  # proposed for nothing: the ward's plan has no Wi-Fi task
    linked = AuditEvent.objects.filter(action="task.upper_link", actor=hp.people.office)
    assert linked.count() == made
    # What is left proposed is what the demo left open.
    assert {upper.code for upper in selectors.proposed_upper_tasks(plan).values()} <= LEFT_OPEN


def test_the_demo_links_nothing_without_a_province_plan():
    hp = hai_phong(with_province_plan=False)
    import_seed(hp.le_chan)
    assert link_ward_tasks({"vanphong": hp.people.office}) == 0
    assert not Task.objects.filter(upper_task__isnull=False).exists()


def test_a_province_plan_is_not_named_by_another_number():
    hp = hai_phong()
    assert selectors.referenced_upper_plans(
        hp.le_chan, ["Căn cứ Kế hoạch số 49/KH-UBND ngày 12/02/2026 của UBND thành phố"]
    ) == [hp.province_plan]
    assert selectors.referenced_upper_plans(hp.le_chan, ["Căn cứ Kế hoạch số 149/KH-UBND"]) == []
    # A ward's own plans are not upper plans, even with the number named.
    assert selectors.referenced_upper_plans(hp.province, ["Kế hoạch số 49/KH-UBND"]) == []
