"""Every form converted to a Django form answers odd input with a message, never a 500:
"²" (isdigit() is true, int() fails), "1e999" (an infinite Decimal), empty, very long, a
lone surrogate and NUL sent raw, Arabic-Indic digits. A refused form shows what was typed."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import UnitFactory, UserFactory
from tests.importer.seeds import seed_path
from tests.probes import ODD_VALUES, post_raw
from theodoi.assessment import services as assessment_services
from theodoi.assessment.models import Submission
from theodoi.budget import services as budget_services
from theodoi.budget.models import BudgetLine
from theodoi.importer.models import ImportDraft
from theodoi.org.models import Role
from theodoi.plans.models import Indicator


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def targets(world):
    """(person, url, field names) for each form; every field gets the odd value at once."""
    office = world.people.office
    economy = UserFactory(
        username="kinhte",
        unit=UnitFactory(organization=world.ward_a, name="Phòng Kinh tế"),
        role=Role.UNIT_OFFICER,
    )
    line = budget_services.budget_lines_create(
        actor=office, plan=world.plan_a, content="Mua máy", by_year={2026: Decimal(1)}
    )[0]
    indicator = Indicator.objects.create(plan=world.plan_a, name="Tỷ lệ", unit_of_measure="%")
    framework = assessment_services.framework_adopt_default(
        actor=office, ward=world.ward_a, year=2026
    )
    campaign = assessment_services.campaign_open(
        actor=office, framework=framework, units=[world.vhxh], name="Tự đánh giá"
    )
    submission = Submission.objects.get(campaign=campaign, unit=world.vhxh)
    code = next(iter(framework.parsed.leaves())).code
    return [
        (economy, reverse("budget_line_record", args=[line.pk]), ["allocated", "disbursed", "version"]),
        (office, reverse("ward_budget_record", args=[world.plan_a.pk]), ["year", "total"]),
        (office, reverse("ranking_scale", args=[world.ward_a.pk]), ["min", "points", "late_report_penalty"]),
        (office, reverse("indicator_catalogue_link", args=[indicator.pk]), ["catalogue"]),
        (world.people.upper, reverse("catalogue_create"), ["code", "name", "unit_of_measure", "comparator"]),
        (office, reverse("import_upload"), ["document"]),
        (office, reverse("assessment_framework_default"), ["year"]),
        (office, reverse("assessment_framework_import"), ["file"]),
        (office, reverse("assessment_campaign_new"), ["framework", "name", "year", "deadline", "weak_percent", "units"]),
        (office, reverse("assessment_tasks", args=[campaign.pk]), ["plan", "item", "deadline_text"]),
        (world.people.officer, reverse("assessment_submission", args=[submission.pk]), [f"a-{code}", f"na-{code}", f"note-{code}", "version", "action"]),
        (world.people.officer, reverse("assessment_evidence", args=[submission.pk]), ["code", "description", "file"]),
        (office, reverse("assessment_review", args=[submission.pk]), ["action", "reason", "version", "code", "adjust_value", "adjust_na", "evidence", "review_id"]),
        (office, reverse("assessment_review", args=[submission.pk]), ["reason", "version", "code", "adjust_value", "evidence", "review_id"]),
        (office, reverse("api_tokens"), ["token"]),
    ]  # fmt: skip


@pytest.mark.parametrize("value", ODD_VALUES)
def test_odd_input_never_answers_500(world, targets, value):
    for person, url, names in targets:
        fields = {name: value for name in names}
        if names[0] == "reason":  # the review's actions, each with the odd fields
            for action in ("accept", "return", "adjust", "evidence-accept"):
                response = post_raw(_client(person), url, fields | {"action": action})
                assert response.status_code < 500, (url, action, value)
            continue
        response = post_raw(_client(person), url, fields)
        assert response.status_code < 500, (url, value)


@pytest.mark.parametrize("value", ODD_VALUES)
def test_odd_input_on_the_import_review_never_answers_500(world, value):
    client = _client(world.people.office)
    data = seed_path("000").read_bytes()
    client.post(reverse("import_upload"), {"document": SimpleUploadedFile("plan.txt", data)})
    stored = ImportDraft.objects.get()
    fields = {
        name: value
        for name in [
            "plan-number",
            "plan-title",
            "plan-issuer",
            "plan-issued_on",
            "task-0-code",
            "task-0-title",
            "task-0-lead_units_raw",
            "task-0-deadline_text",
            "task-0-delete",
            "unit-name-0",
            "unit-0",
            "action",
        ]
    }
    response = post_raw(client, reverse("import_review", args=[stored.pk]), fields)
    assert response.status_code < 500


def test_a_refused_amount_is_shown_again_with_a_vietnamese_message(world):
    office = world.people.office
    line = budget_services.budget_lines_create(
        actor=office, plan=world.plan_a, content="Mua máy", by_year={2026: Decimal(1)}
    )[0]
    response = _client(office).post(
        reverse("budget_line_record", args=[line.pk]),
        {"allocated": "1e999", "disbursed": "12,5", "version": "²"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Số kinh phí được giao phải là số, ví dụ 1.200 hoặc 12,5." in page
    assert 'value="1e999"' in page and 'value="12,5"' in page
    line.refresh_from_db()
    assert line.allocated is None and line.version == BudgetLine.objects.get(pk=line.pk).version


def test_a_refused_ward_total_keeps_what_was_typed(world):
    response = _client(world.people.office).post(
        reverse("ward_budget_record", args=[world.plan_a.pk]), {"year": "²", "total": "1.234,5"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Năm phải là số nguyên từ 2000 đến 2100." in page
    assert 'value="²"' in page and 'value="1.234,5"' in page


def test_a_vietnamese_amount_is_read_by_the_form(world, client):
    office = world.people.office
    line = budget_services.budget_lines_create(
        actor=office, plan=world.plan_a, content="Mua máy", by_year={2026: Decimal(1)}
    )[0]
    client.force_login(office)
    response = client.post(
        reverse("budget_line_record", args=[line.pk]), {"allocated": "1.234,5", "disbursed": ""}
    )

    assert response.status_code == 302
    line.refresh_from_db()
    assert line.allocated == Decimal("1234.5") and line.disbursed is None


def test_a_missing_catalogue_code_is_named_in_the_message(world):
    client = _client(world.people.upper)
    response = client.post(reverse("catalogue_create"), {"code": " ", "name": "Tỷ lệ"}, follow=True)

    assert "Mã: chưa được nhập." in response.content.decode()
