"""A ward task's page shows the province task it carries out, and whoever keeps the ward's plan
links it there; the page of province tasks a ward has not made concrete yet."""

import pytest
from django.urls import reverse

from tests.cascade import hai_phong
from tests.factories import (
    OrganizationFactory,
    PlanFactory,
    ProvinceFactory,
    TaskFactory,
    UserFactory,
)
from theodoi.core.access import SYSTEM
from theodoi.org.models import Role
from theodoi.plans.services import plan_link_uppers

pytestmark = pytest.mark.django_db


@pytest.fixture
def hp():
    chain = hai_phong()
    chain.plan = PlanFactory(organization=chain.le_chan)
    chain.task = TaskFactory(
        plan=chain.plan, title="Bảo đảm an toàn an ninh mạng", lead_units=[chain.unit]
    )
    chain.upper = chain.province_plan.tasks.get(code="4.2")
    return chain


def test_the_office_links_the_task_and_the_page_shows_the_upper_task(client, hp):
    client.force_login(hp.people.office)
    page = client.get(hp.task.get_absolute_url()).content.decode()
    assert "Cụ thể hóa nhiệm vụ cấp trên" in page
    assert f'action="{reverse("task_link_upper", args=[hp.task.pk])}"' in page
    response = client.post(
        reverse("task_link_upper", args=[hp.task.pk]), {"upper": hp.upper.pk}, follow=True
    )
    hp.task.refresh_from_db()
    assert hp.task.upper_task == hp.upper
    page = response.content.decode()
    assert "đã được gắn là cụ thể hóa nhiệm vụ 4.2" in page
    assert hp.upper.get_absolute_url() in page and "49/KH-UBND" in page
    assert list(hp.plan.parents.all()) == [hp.province_plan]
    client.post(reverse("task_link_upper", args=[hp.task.pk]), {"upper": ""})
    hp.task.refresh_from_db()
    assert hp.task.upper_task is None


@pytest.mark.parametrize("who", ["officer", "upper", "other_office"])
def test_only_the_ward_office_may_link(client, hp, who):
    client.force_login(getattr(hp.people, who))
    page = client.get(hp.task.get_absolute_url())
    if page.status_code == 200:  # the unit officer and the province read the task
        assert reverse("task_link_upper", args=[hp.task.pk]) not in page.content.decode()
    response = client.post(reverse("task_link_upper", args=[hp.task.pk]), {"upper": hp.upper.pk})
    assert response.status_code in (403, 404)
    hp.task.refresh_from_db()
    assert hp.task.upper_task is None


def test_a_task_not_assigned_to_the_ward_is_refused_in_vietnamese(client, hp):
    client.force_login(hp.people.office)
    own = hp.province_plan.tasks.get(code="1.3")
    for value, said in ((own.pk, "Tải lại trang và chọn lại"), ("²", "Hãy chọn nhiệm vụ cấp trên")):
        response = client.post(
            reverse("task_link_upper", args=[hp.task.pk]), {"upper": value}, follow=True
        )
        assert response.status_code == 200
        assert said in response.content.decode()
    hp.task.refresh_from_db()
    assert hp.task.upper_task is None


def test_the_unimplemented_list_for_the_ward_and_for_the_province(client, hp):
    client.force_login(hp.people.office)
    assert reverse("unimplemented_upper_tasks") in client.get(reverse("plan_list")).content.decode()
    page = client.get(reverse("unimplemented_upper_tasks"))
    codes = {task.code for task in page.context["uppers"]}
    assert "4.2" in codes and "1.3" not in codes
    # The ward's task that reads like 4.2 is offered to link from the list.
    suggested = next(task for task in page.context["uppers"] if task.code == "4.2")
    assert suggested.suggestion == hp.task
    plan_link_uppers(actor=hp.people.office, plan=hp.plan, links={hp.task: hp.upper})
    page = client.get(reverse("unimplemented_upper_tasks"))
    assert "4.2" not in {task.code for task in page.context["uppers"]}
    # The province chooses the ward; it reads the list and links nothing.
    client.force_login(hp.people.upper)
    chooser = client.get(reverse("unimplemented_upper_tasks"))
    assert hp.le_chan in chooser.context["wards"] and chooser.context["ward"] is None
    page = client.get(reverse("unimplemented_upper_tasks"), {"ward": hp.thanh_dong.pk})
    assert "3.3" in {task.code for task in page.context["uppers"]}
    assert "Gắn nhiệm vụ này" not in page.content.decode()


def test_the_empty_list_says_why(client):
    chain = hai_phong(with_province_plan=False)
    client.force_login(chain.people.office)
    page = client.get(reverse("unimplemented_upper_tasks")).content.decode()
    assert "Chưa có kế hoạch nào của cấp trên" in page
    assert 'id="unimplemented-link"' not in client.get(reverse("plan_list")).content.decode()


def test_the_ward_follows_the_link_up_and_reads_without_changing(client, hp):
    """The chain is followed both ways: the ward's people open the province task and its plan
    from their own task, and may change neither."""
    plan_link_uppers(actor=hp.people.office, plan=hp.plan, links={hp.task: hp.upper})
    for who in ("office", "officer"):
        client.force_login(getattr(hp.people, who))
        task_page = client.get(hp.upper.get_absolute_url())
        assert task_page.status_code == 200, who
        assert "Bảo đảm an toàn, an ninh mạng" in task_page.content.decode()
        assert client.get(hp.province_plan.get_absolute_url()).status_code == 200, who
        assert client.get(reverse("task_edit", args=[hp.upper.pk])).status_code == 403, who
    # Another province's ward reads nothing of Hải Phòng's plan.
    stranger = UserFactory(
        organization=OrganizationFactory(parent=ProvinceFactory()), role=Role.STANDING_OFFICE
    )
    client.force_login(stranger)
    assert client.get(hp.upper.get_absolute_url()).status_code == 404
    assert client.get(hp.province_plan.get_absolute_url()).status_code == 404


def test_the_ward_reads_the_province_task_without_links_to_other_wards_tasks(client, hp):
    """From the province task a ward's people see how the other wards stand, with no link to
    their tasks (which they may not open); the province links every row."""
    plan_link_uppers(actor=hp.people.office, plan=hp.plan, links={hp.task: hp.upper})
    other_plan = PlanFactory(organization=hp.thanh_dong)
    other_task = TaskFactory(plan=other_plan, title="An ninh mạng ở Thành Đông")
    plan_link_uppers(actor=SYSTEM, plan=other_plan, links={other_task: hp.upper})
    client.force_login(hp.people.office)
    page = client.get(hp.upper.get_absolute_url()).content.decode()
    assert "An ninh mạng ở Thành Đông" in page
    assert other_task.get_absolute_url() not in page
    assert hp.task.get_absolute_url() in page
    client.force_login(hp.people.upper)
    page = client.get(hp.upper.get_absolute_url()).content.decode()
    assert other_task.get_absolute_url() in page and hp.task.get_absolute_url() in page
