"""The demo with the province's plan 49/KH-UBND in the system before the wards' plans (as the
full demo imports it): Lê Chân's office has confirmed the proposed links but those left open,
which its list of upper-level tasks not made concrete shows."""

import pytest
from django.urls import reverse

from tests.cascade import import_province_plan
from theodoi.audit.models import AuditEvent
from theodoi.demo import cascade as demo_cascade
from theodoi.demo import services as demo_services
from theodoi.org.models import Organization, User
from theodoi.plans import selectors
from theodoi.plans.models import Task


@pytest.fixture
def demo(db, monkeypatch):
    def with_province_plan(users):
        # Where the full demo has imported the province's plan: before the links are made.
        province = Organization.objects.get(code="HP")
        import_province_plan(province, list(Organization.objects.filter(parent=province)))
        return demo_cascade.link_ward_tasks(users)

    monkeypatch.setattr(demo_services, "link_ward_tasks", with_province_plan)
    ward, created = demo_services.load_demo()
    assert created
    return ward


def test_the_demo_links_le_chan_tasks_and_leaves_some_open(demo, client):
    linked = Task.all_objects.filter(plan__organization=demo, upper_task__isnull=False)
    assert linked.count() >= 5
    assert {task.upper_task.code for task in linked}.isdisjoint(demo_cascade.LEFT_OPEN)
    office = AuditEvent.objects.filter(action="task.upper_link", actor__username="vanphong")
    assert office.count() == linked.count()
    left = {task.code for task in selectors.unimplemented_upper_tasks(demo)}
    assert left >= demo_cascade.LEFT_OPEN
    client.force_login(User.objects.get(username="vanphong"))
    page = client.get(reverse("unimplemented_upper_tasks"))
    assert page.status_code == 200
    assert left == {task.code for task in page.context["uppers"]}
    task = linked.first()
    assert "49/KH-UBND" in client.get(task.get_absolute_url()).content.decode()
