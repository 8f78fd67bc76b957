"""The demo's province plan: Hải Phòng's 49/KH-UBND, imported by the city's standing office
before the wards' plans, its tasks given to the wards as its lead-unit cells say."""

import pytest
from django.urls import reverse

from theodoi.audit.models import AuditEvent
from theodoi.demo import data
from theodoi.demo.province import DEPARTMENTS, USER
from theodoi.demo.services import load_demo
from theodoi.importer.models import ImportDraft
from theodoi.org.models import Organization, User
from theodoi.plans.models import Plan, WardAssignment

ALL_WARDS_TASKS = {"1.1", "1.2", "2.1", "3.1", "3.2", "4.1", "4.2", "5.1"}


@pytest.fixture
def demo(db):
    ward, created = load_demo()
    assert created
    return ward


def test_the_city_plan_is_imported_by_its_office_and_given_to_the_wards(demo):
    city = Organization.objects.get(code=data.PROVINCE["code"])
    office = User.objects.get(username=USER[0])
    assert office.organization == city
    assert office.get_full_name() == "Vũ Thị Thu"
    assert sorted(city.units.values_list("name", flat=True)) == sorted(
        name for name, _short, _aliases in DEPARTMENTS
    )
    plan = Plan.objects.get(organization=city)
    assert plan.number == "49/KH-UBND"
    assert plan.reporting_cycle == "quarterly"
    # Through the importer, as the office: a draft saved, then the plan audited in its name.
    assert ImportDraft.objects.get(organization=city).status == "saved"
    assert AuditEvent.objects.filter(action="plan.import", actor=office).exists()
    leaves = {task.code: task for task in plan.tasks.exclude(code__in=["1", "2", "3", "4", "5"])}
    for code, task in leaves.items():
        if code in ALL_WARDS_TASKS:
            assert task.ward_assignment == WardAssignment.ALL_WARDS, code
        elif code == "3.3":
            assert task.ward_assignment == WardAssignment.LISTED_WARDS
            assert sorted(w.code for w in task.assigned_wards.all()) == [
                "HP-LECHAN",
                "HP-THANHDONG",
            ]
        else:
            assert task.ward_assignment == WardAssignment.OWN_UNITS, code
            assert task.lead_units.get().organization == city
    assert set(leaves) >= ALL_WARDS_TASKS | {"3.3", "1.3", "2.2", "4.3", "5.2"}
    # Lê Chân's plan, imported after it, names it as the plan it carries out.
    assert plan in Plan.objects.get(number="110/KH-UBND").parents.all()


@pytest.mark.parametrize("username", ["tinh", USER[0]])
def test_the_city_users_keep_the_city_plan_and_read_the_wards(client, demo, username):
    response = client.post(
        reverse("login"), {"username": username, "password": data.PASSWORD}, follow=True
    )
    assert response.status_code == 200
    plan = Plan.objects.get(number="49/KH-UBND")
    listing = client.get(reverse("plan_list"))
    assert [p.pk for p in listing.context["own_plans"]] == [plan.pk]
    assert {p.organization.code for p in listing.context["plans"]} == {
        "HP-LECHAN",
        "HP-THANHDONG",
    }
    assert client.get(reverse("plan_edit", args=[plan.pk])).status_code == 200
    ward_plan = Plan.objects.get(number="110/KH-UBND")
    assert client.get(reverse("plan_edit", args=[ward_plan.pk])).status_code == 403
