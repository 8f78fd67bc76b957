"""The self-assessment pages ask the database the same number of times for 2 units as for 12,
and for a form with 1 evidence file as with 10 (issue 6's rule: no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UnitFactory
from theodoi.assessment import scoring, services
from theodoi.core.samplepdf import tiny_pdf


def _campaign(world, units: int, files: int):
    office = world.people.office
    extra = [UnitFactory(organization=world.ward_a, name=f"Đơn vị {i}") for i in range(units - 2)]
    framework = services.framework_adopt_default(actor=office, ward=world.ward_a, year=2026)
    campaign = services.campaign_open(
        actor=office, framework=framework, units=[world.vhxh, world.police, *extra]
    )
    answers = {
        c.code: scoring.Answer(value="yes" if c.rule.type == "yes_no" else "1")
        for c in framework.parsed.leaves()
        if not c.source and c.rule.type != "choice"
    }
    for submission in campaign.submissions.all():
        services.answers_save(actor=office, submission=submission, answers=answers)
    first = campaign.submissions.get(unit=world.vhxh)
    for index in range(files):
        services.evidence_attach(
            actor=office,
            submission=first,
            code="1.1" if index % 2 else "3.3.2",
            name=f"minh-chung-{index}.pdf",
            data=tiny_pdf(f"Minh chứng {index}"),
        )
    return campaign, first


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["assessment_campaign", "assessment_results", "assessment_home"])
def test_campaign_pages_do_not_grow_with_the_units(world, client, page):
    small, _ = _campaign(world, units=2, files=1)
    client.force_login(world.people.office)
    url = reverse(page, args=[small.pk]) if page != "assessment_home" else reverse(page)
    few = _queries(client, url)
    large, _ = _campaign(world, units=12, files=1)
    url = reverse(page, args=[large.pk]) if page != "assessment_home" else reverse(page)
    assert _queries(client, url) == few


def test_a_form_does_not_grow_with_its_evidence(world, client):
    _, one = _campaign(world, units=2, files=1)
    client.force_login(world.people.office)
    few = _queries(client, reverse("assessment_submission", args=[one.pk]))
    _, many = _campaign(world, units=2, files=10)
    assert _queries(client, reverse("assessment_submission", args=[many.pk])) == few
