"""The demo's periodic reports to the city: Lê Chân's first quarter sent by the office and
accepted by the city, the second returned with the city's reason, the third late."""

import pytest
from django.urls import reverse

from theodoi.alerts.models import Alert
from theodoi.demo.services import load_demo
from theodoi.demo.upward import RETURN_REASON
from theodoi.reporting.models import UpwardReport


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.THEODOI_TRUSTED_CA_DIR = str(tmp_path / "trusted-ca")
    ward, created = load_demo()
    assert created
    return ward


def test_the_quarters_of_plan_110_are_sent_accepted_and_returned(demo, client):
    plan = demo.plans.get(number__startswith="110/")
    reports = {r.period: r for r in UpwardReport.objects.filter(plan=plan)}
    assert set(reports) == {"2026-Q1", "2026-Q2"}
    first, second = reports["2026-Q1"], reports["2026-Q2"]
    assert first.status == UpwardReport.Status.ACCEPTED
    assert (first.sent_by.username, first.answered_by.username) == ("vanphong", "tinh")
    assert second.status == UpwardReport.Status.RETURNED
    assert second.return_reason == RETURN_REASON and second.answered_by.username == "tinh"
    for report in (first, second):
        assert report.version == 1 and report.package_sha256
        assert report.payload["schema"] == "theodoi.upward-report/1"
        assert report.payload["ward"]["name"] == demo.name
    # The returned second quarter must be sent again and the third (due 10/10/2026) is not
    # sent: both late on the demo's day. The accepted first quarter is not.
    alert = Alert.objects.get(plan=plan, closed_at__isnull=True)
    assert alert.rule == Alert.Rule.UPWARD_REPORT_LATE
    assert alert.reasons[0]["keys"] == ["2026-Q2", "2026-Q3"]

    client.force_login(first.sent_by)
    page = client.get(reverse("upward_list", args=[plan.pk])).content.decode()
    assert RETURN_REASON in page
    returned = client.get(reverse("upward_report", args=[plan.pk, "2026-Q2"]))
    assert returned.status_code == 200 and returned.context["editable"]
