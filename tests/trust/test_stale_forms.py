"""No lost update through the pages and the API: two people open the same form, both send it;
the second is told in Vietnamese that the record changed, and the first one's data stays."""

import html
import re
from unittest import mock

import pytest
from django.test import Client

from tests.api.helpers import BASE, PDF, client_for, post_json
from tests.factories import UserFactory
from theodoi.org.models import Role
from theodoi.reporting import services
from theodoi.reporting.models import EvidenceReview, ProgressReport

STALE_REPORT = "Báo cáo vừa được người khác cập nhật"
STALE_REVIEW = "Minh chứng này vừa được người khác xem xét"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _hidden_version(page: str, action: str) -> str:
    """The hidden version field of the form posting to ``action``, as a browser would send it."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', page, re.S)
    assert form, f"no form for {action}"
    field = re.search(r'name="version" value="([^"]*)"', form.group(0))
    assert field, f"the form for {action} carries no version"
    return field.group(1)


def _messages(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def second_office(world):
    return UserFactory(username="oanh", unit=world.vhxh, role=Role.STANDING_OFFICE)


@pytest.fixture
def evidence(world):
    return services.evidence_upload(
        actor=world.people.officer, name="bien-ban.pdf", data=PDF, task=world.task_vhxh
    )


# --- Pages ------------------------------------------------------------------------------------


def test_second_reviewer_in_the_queue_is_told_and_the_first_decision_stays(
    world, second_office, evidence
):
    first, second = _signed_in(world.people.office), _signed_in(second_office)
    action = f"/evidence/{evidence.pk}/review/"
    # Both open the review queue before either decides.
    first_version = _hidden_version(first.get("/review/").content.decode(), action)
    second_version = _hidden_version(second.get("/review/").content.decode(), action)
    assert first_version == second_version == "0"

    done = first.post(action, {"decision": "accept", "version": first_version, "next": "/review/"})
    assert done.status_code == 302
    late = second.post(
        action,
        {"decision": "reject", "reason": "Thiếu chữ ký", "version": second_version},
        follow=True,
    )
    assert late.status_code == 200
    assert STALE_REVIEW in _messages(late)
    decisions = EvidenceReview.objects.filter(evidence=evidence).values_list("decision", flat=True)
    assert list(decisions) == ["accepted"]


def test_a_reviewer_who_saw_the_latest_review_may_change_it(world, evidence):
    office = _signed_in(world.people.office)
    accepted = services.evidence_review(
        actor=world.people.office, evidence=evidence, decision="accept"
    )
    response = office.post(
        f"/evidence/{evidence.pk}/review/",
        {"decision": "reject", "reason": "Sai số văn bản", "version": str(accepted.pk)},
    )
    assert response.status_code == 302
    assert EvidenceReview.objects.filter(evidence=evidence).count() == 2


def _report(world, percent=40, version=None):
    return services.report_submit(
        actor=world.people.officer,
        task=world.task_vhxh,
        period="2026-Q4",
        percent=percent,
        result="Đang triển khai",
        version=version,
    )


def test_second_office_decision_on_a_report_is_told_and_the_first_stays(world, second_office):
    report = _report(world)
    first, second = _signed_in(world.people.office), _signed_in(second_office)
    action = f"/reports/{report.pk}/decide/"
    first_version = _hidden_version(first.get("/review/").content.decode(), action)
    second_version = _hidden_version(second.get("/review/").content.decode(), action)

    first.post(action, {"action": "accept", "version": first_version, "next": "/review/"})
    late = second.post(
        action,
        {"action": "return", "reason": "Bổ sung số liệu", "version": second_version},
        follow=True,
    )
    assert late.status_code == 200
    assert STALE_REPORT in _messages(late)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.ACCEPTED and report.return_reason == ""


def test_a_report_corrected_after_the_office_opened_it_is_not_accepted_unseen(world):
    report = _report(world, percent=40)
    office = _signed_in(world.people.office)
    action = f"/reports/{report.pk}/decide/"
    seen = _hidden_version(office.get("/review/").content.decode(), action)
    # The unit corrects the report while the office is reading the old one.
    _report(world, percent=90, version=report.version)

    late = office.post(action, {"action": "accept", "version": seen}, follow=True)
    assert STALE_REPORT in _messages(late)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED and report.percent == 90
    # Reloaded, the queue shows the new version, and the decision goes through.
    fresh = _hidden_version(office.get("/review/").content.decode(), action)
    assert fresh == str(report.version) != seen
    office.post(action, {"action": "accept", "version": fresh})
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.ACCEPTED


def test_confirming_a_report_changed_since_it_was_read_is_refused(world):
    report = _report(world)
    head = _signed_in(world.people.head)
    _report(world, percent=70, version=report.version)
    late = head.post(
        f"/reports/{report.pk}/decide/",
        {"action": "confirm", "version": str(report.version)},
        follow=True,
    )
    assert STALE_REPORT in _messages(late)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED and report.confirmed_by is None


def _task_page_report(client, task, versions, percent, result):
    # What the task page's report form sends: the versions of the reports it listed.
    return client.post(
        f"/tasks/{task.pk}/reports/",
        {
            "period": "2026-Q4",
            "percent": str(percent),
            "result": result,
            "versions": versions,
        },
        follow=True,
    )


def test_two_officers_reporting_the_same_new_period_do_not_overwrite_each_other(world):
    colleague = UserFactory(username="an", unit=world.vhxh, role=Role.UNIT_OFFICER)
    first, second = _signed_in(world.people.officer), _signed_in(colleague)
    # Both opened the task page while it listed no report.
    _task_page_report(first, world.task_vhxh, "", 60, "Bản của người thứ nhất")
    late = _task_page_report(second, world.task_vhxh, "", 80, "Bản của người thứ hai")
    assert late.status_code == 200
    assert STALE_REPORT in _messages(late)
    report = ProgressReport.objects.get(task=world.task_vhxh, period="2026-Q4")
    assert (report.percent, report.result) == (60, "Bản của người thứ nhất")
    assert report.version == 1


def test_a_correction_from_the_page_showing_the_current_version_is_saved(world):
    report = _report(world, percent=40)
    officer = _signed_in(world.people.officer)
    versions = f"2026-Q3=7;2026-Q4={report.version}"
    _task_page_report(officer, world.task_vhxh, versions, 55, "Đã bổ sung")
    report.refresh_from_db()
    assert (report.percent, report.version) == (55, 2)
    # The same page sent again (its version is now old) is refused.
    late = _task_page_report(officer, world.task_vhxh, versions, 65, "Lần nữa")
    assert STALE_REPORT in _messages(late)
    report.refresh_from_db()
    assert report.percent == 55


# --- API --------------------------------------------------------------------------------------


def test_second_api_reviewer_gets_409_and_the_first_decision_stays(world, second_office, evidence):
    first, second = client_for(world.people.office), client_for(second_office)
    task_url = f"{BASE}/tasks/{world.task_vhxh.pk}"
    seen_first = first.get(task_url).json()["evidence"][0]["version"]
    seen_second = second.get(task_url).json()["evidence"][0]["version"]
    assert seen_first == seen_second == 0

    url = f"/evidence/{evidence.pk}/review"
    assert post_json(first, url, {"decision": "accept", "version": seen_first}).status_code == 200
    late = post_json(
        second, url, {"decision": "reject", "reason": "Thiếu chữ ký", "version": seen_second}
    )
    assert late.status_code == 409
    assert STALE_REVIEW in late.json()["detail"]
    assert list(
        EvidenceReview.objects.filter(evidence=evidence).values_list("decision", flat=True)
    ) == ["accepted"]
    # Having read the file again, the second reviewer may decide.
    again = second.get(task_url).json()["evidence"][0]
    assert again["version"] == EvidenceReview.objects.get(evidence=evidence).pk
    retry = post_json(
        second, url, {"decision": "reject", "reason": "Thiếu chữ ký", "version": again["version"]}
    )
    assert retry.status_code == 200 and retry.json()["decision"] == "rejected"


def test_api_review_without_a_version_behaves_as_before(world, evidence):
    client = client_for(world.people.office)
    url = f"/evidence/{evidence.pk}/review"
    assert post_json(client, url, {"decision": "accept"}).status_code == 200
    assert post_json(client, url, {"decision": "reject", "reason": "x"}).status_code == 200


def test_second_api_reporter_gets_409_and_the_first_report_stays(world):
    colleague = UserFactory(username="an", unit=world.vhxh, role=Role.UNIT_OFFICER)
    _report(world, percent=40)
    first, second = client_for(world.people.officer), client_for(colleague)
    task_url = f"{BASE}/tasks/{world.task_vhxh.pk}"
    version = first.get(task_url).json()["reports"][0]["version"]
    assert second.get(task_url).json()["reports"][0]["version"] == version

    url = f"/tasks/{world.task_vhxh.pk}/reports"
    body = {"period": "2026-Q4", "result": "Cập nhật", "version": version}
    assert post_json(first, url, {**body, "percent": 70}).status_code == 201
    late = post_json(second, url, {**body, "percent": 20})
    assert late.status_code == 409 and STALE_REPORT in late.json()["detail"]
    assert ProgressReport.objects.get(task=world.task_vhxh).percent == 70


def test_two_first_reports_for_the_same_period_at_once_keep_the_first(world):
    """Both read "no report yet"; the second write meets the first's row and is refused."""
    services.report_submit(
        actor=world.people.officer, task=world.task_vhxh, period="2026-Q4", percent=60
    )
    # The second person's read happened before the first person's write.
    with (
        mock.patch.object(
            ProgressReport.objects, "select_for_update", return_value=ProgressReport.objects.none()
        ),
        pytest.raises(services.StaleVersion),
    ):
        services.report_submit(
            actor=world.people.head, task=world.task_vhxh, period="2026-Q4", percent=90
        )
    report = ProgressReport.objects.get(task=world.task_vhxh, period="2026-Q4")
    assert report.percent == 60
