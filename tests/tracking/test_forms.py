"""Every POST of the task pages goes through a Django form: input a person can type (a
superscript digit, a word where a number belongs) gets the form's message, never a 500."""

import pytest
from django.urls import reverse

from theodoi.reporting import services as reporting
from theodoi.reporting.models import Evidence, ProgressReport

PDF = b"%PDF-1.4\n% theodoi\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def report(world):
    return reporting.report_submit(
        actor=world.people.officer, task=world.task_vhxh, period="2026-Q4", percent=40
    )


@pytest.mark.parametrize("version", ["²", "١٢", "9" * 30, "-1", "abc"])
def test_report_with_a_strange_version_gets_a_message(client, world, version):
    client.force_login(world.people.officer)
    response = client.post(
        reverse("report_submit", args=[world.task_vhxh.pk]),
        {"period": "2026-Q4", "percent": "50", "result": "Đã làm", "version": version},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phiên bản" in page
    # What the person typed is still on the form.
    assert "Đã làm" in page
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("version", ["²", "9" * 30])
def test_decision_with_a_strange_version_gets_a_message(client, world, report, version):
    client.force_login(world.people.office)
    response = client.post(
        reverse("report_decide", args=[report.pk]),
        {"action": "accept", "version": version},
        follow=True,
    )
    assert response.status_code == 200
    assert "Phiên bản" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED


@pytest.mark.parametrize("version", ["²", "9" * 30])
def test_review_with_a_strange_version_gets_a_message(client, world, version):
    evidence = reporting.evidence_upload(
        actor=world.people.officer, name="a.pdf", data=PDF, task=world.task_vhxh
    )
    client.force_login(world.people.office)
    response = client.post(
        reverse("evidence_review", args=[evidence.pk]),
        {"decision": "accept", "version": version},
        follow=True,
    )
    assert response.status_code == 200
    assert "Phiên bản" in response.content.decode()
    assert not Evidence.objects.get(pk=evidence.pk).reviews.exists()


def test_a_refused_htmx_report_replaces_the_page_with_the_kept_form(client, world):
    client.force_login(world.people.officer)
    response = client.post(
        reverse("report_submit", args=[world.task_vhxh.pk]),
        {"period": "2026-Q4", "percent": "abc", "result": "Đã gõ"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "body" and response["HX-Reswap"] == "innerHTML"
    page = response.content.decode()
    assert "Tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100." in page and "Đã gõ" in page


@pytest.mark.parametrize("unit", ["²", "9" * 30, "abc"])
def test_a_strange_unit_filter_is_ignored(client, world, unit):
    client.force_login(world.people.leader)
    response = client.get(world.plan_a.get_absolute_url(), {"unit": unit})
    assert response.status_code == 200
    assert response.context["filters"]["unit"] is None
