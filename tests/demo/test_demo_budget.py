"""The demo's budget shows both sources of a line: typed on the web by the standing office
(Lê Chân) and imported from a plan's appendix (Phước Bình)."""

import pytest
from django.urls import reverse

from theodoi.budget.models import BudgetLine
from theodoi.demo.services import load_demo
from theodoi.org.models import Organization, User


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.THEODOI_TRUSTED_CA_DIR = str(tmp_path / "trusted-ca")
    ward, created = load_demo()
    assert created
    return ward


def test_the_office_added_lines_on_the_web_linked_to_tasks(demo, client):
    office = User.objects.get(username="vanphong")
    plan = demo.plans.get()
    lines = list(plan.budget_lines.order_by("order"))
    assert [(line.origin, line.created_by, line.year) for line in lines] == [
        ("web", office, 2026),
        ("web", office, 2026),
    ]
    assert [line.task.code for line in lines] == ["4.4", "5.4"]

    client.force_login(office)
    page = client.get(reverse("plan_budget", args=[plan.pk])).content.decode()
    assert f"thêm trên web bởi {office} ngày" in page
    assert "165,5" in page  # 45,5 + 120


def test_a_plan_of_another_ward_shows_lines_imported_from_its_document(demo):
    phuoc_binh = Organization.objects.get(code="DN-PHUOCBINH")
    imported = BudgetLine.objects.filter(plan__organization=phuoc_binh)
    assert imported.exists()
    assert set(imported.values_list("origin", flat=True)) == {"import"}
