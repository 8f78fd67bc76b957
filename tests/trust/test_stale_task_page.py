"""The task page's forms send the versions they showed (reports, their decisions, reviews)."""

import re

from django.test import Client

from tests.factories import UserFactory
from tests.trust.test_stale_forms import PDF, STALE_REPORT, STALE_REVIEW, _hidden_version, _messages
from theodoi.org.models import Role
from theodoi.reporting import services
from theodoi.reporting.models import EvidenceReview, ProgressReport


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _versions(page: str) -> str:
    return re.search(r'name="versions" value="([^"]*)"', page).group(1)


def _send(client, task, versions, percent, result):
    return client.post(
        f"/tasks/{task.pk}/reports/",
        {"period": "2026-Q4", "percent": str(percent), "result": result, "versions": versions},
        follow=True,
    )


def test_two_officers_on_the_task_page_do_not_overwrite_each_other(world):
    colleague = UserFactory(username="an", unit=world.vhxh, role=Role.UNIT_OFFICER)
    first, second = _signed_in(world.people.officer), _signed_in(colleague)
    url = world.task_vhxh.get_absolute_url()
    seen_first = _versions(first.get(url).content.decode())
    seen_second = _versions(second.get(url).content.decode())
    _send(first, world.task_vhxh, seen_first, 60, "Bản thứ nhất")
    late = _send(second, world.task_vhxh, seen_second, 80, "Bản thứ hai")
    assert STALE_REPORT in _messages(late)
    report = ProgressReport.objects.get(task=world.task_vhxh)
    assert (report.percent, report.result) == (60, "Bản thứ nhất")
    # Reloaded, the page lists the report's version and the correction goes through.
    fresh = _versions(second.get(url).content.decode())
    assert fresh == f"2026-Q4={report.version}"
    _send(second, world.task_vhxh, fresh, 80, "Bản thứ hai")
    report.refresh_from_db()
    assert report.percent == 80


def test_decisions_and_reviews_on_the_task_page_carry_their_versions(world):
    report = services.report_submit(
        actor=world.people.officer, task=world.task_vhxh, period="2026-Q4", percent=40
    )
    evidence = services.evidence_upload(
        actor=world.people.officer, name="a.pdf", data=PDF, task=world.task_vhxh
    )
    second_office = UserFactory(username="oanh", unit=world.vhxh, role=Role.STANDING_OFFICE)
    first, second = _signed_in(world.people.office), _signed_in(second_office)
    url = world.task_vhxh.get_absolute_url()
    pages = [c.get(url).content.decode() for c in (first, second)]
    decide, review = f"/reports/{report.pk}/decide/", f"/evidence/{evidence.pk}/review/"
    first.post(decide, {"action": "accept", "version": _hidden_version(pages[0], decide)})
    late = second.post(
        decide,
        {"action": "return", "reason": "x", "version": _hidden_version(pages[1], decide)},
        follow=True,
    )
    assert STALE_REPORT in _messages(late)
    first.post(review, {"decision": "accept", "version": _hidden_version(pages[0], review)})
    late = second.post(
        review,
        {"decision": "reject", "reason": "x", "version": _hidden_version(pages[1], review)},
        follow=True,
    )
    assert STALE_REVIEW in _messages(late)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.ACCEPTED
    assert EvidenceReview.objects.get(evidence=evidence).decision == "accepted"
