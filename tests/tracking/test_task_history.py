"""The task page tells one story: a single history, newest first, from the audit trail and
the task's reports, evidence, reviews, directives and alerts, with every sending of a report
(first, corrected, sent again after a return) at its own time; the newest entries shown and
the rest on request. Its periods say whether each was reported, not a task state for a week
nobody reported."""

import contextlib
import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse

from theodoi.core.access import SYSTEM
from theodoi.plans.services import task_create
from theodoi.reporting.models import ProgressReport
from theodoi.reporting.selectors import period_states
from theodoi.tracking import services
from theodoi.tracking.history import submit_kind

D = datetime.date
PDF = b"%PDF-1.4\n% theodoi test evidence\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@contextlib.contextmanager
def freeze_time(moment: str):
    """The clock of the records (audit, reports, reviews) at ``moment``, UTC."""
    fixed = datetime.datetime.fromisoformat(moment).replace(tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=fixed):
        yield


@pytest.fixture
def day(settings):
    def set_day(value: str) -> None:
        settings.THEODOI_TODAY = value

    return set_day


@pytest.fixture
def weekly(world, day):
    """A standing weekly task of ward A (created through the service, so audited), from
    Monday 5/10/2026."""
    day("2026-10-05")
    with freeze_time("2026-10-05 01:00:00"):  # 08:00 in Hà Nội
        task = task_create(
            actor=SYSTEM,
            plan=world.plan_a,
            title="Rà soát an ninh mạng hằng tuần",
            lead_units=[world.vhxh],
            deadline_text="Thường xuyên",
        )
    task.reporting_cycle = "weekly"
    task.start_date = D(2026, 10, 5)
    task.save()
    return task


def page(client, user, task, query: str = "") -> str:
    client.force_login(user)
    response = client.get(reverse("task_detail", args=[task.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, anchor: str) -> str:
    """The text of the page's section with id ``anchor``, tags removed."""
    start = html.index(f'id="{anchor}"')
    end = html.index("</section>", start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:end]))


def entries(html: str) -> list[str]:
    found = re.findall(r'<li class="list-group-item history-entry">(.*?)</li>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in found]


def without_alerts(found: list[str]) -> list[str]:
    """The entries other than the alerts each report raises or closes (their own tests)."""
    return [entry for entry in found if "cảnh báo" not in entry.lower()]


def test_the_task_page_has_one_history_newest_first(client, world, weekly, day):
    day("2026-10-07")
    with freeze_time("2026-10-07 02:00:00"):
        report = services.report_submit(
            actor=world.people.officer, task=weekly, period="2026-W41", percent=100
        )
    with freeze_time("2026-10-07 03:00:00"):
        evidence = services.evidence_upload(
            actor=world.people.officer, name="bien-ban.pdf", data=PDF, task=weekly, report=report
        )
    with freeze_time("2026-10-08 04:00:00"):
        services.evidence_review(
            actor=world.people.office, evidence=evidence, decision="reject", reason="Thiếu dấu."
        )
    with freeze_time("2026-10-08 05:00:00"):
        services.directive_create(actor=world.people.leader, task=weekly, text="Báo cáo kịp thời.")
    html = page(client, world.people.office, weekly)
    assert html.count('id="h-history"') == 1
    assert "Diễn biến" not in html  # the second, overlapping panel is gone
    assert without_alerts(entries(html)) == [
        "08/10/2026 12:00 · lan · Cho ý kiến chỉ đạo Báo cáo kịp thời.",
        "08/10/2026 11:00 · olga · Minh chứng không hợp lệ bien-ban.pdf: Thiếu dấu.",
        "07/10/2026 10:00 · alice · Đính kèm minh chứng bien-ban.pdf (74 B)",
        "07/10/2026 09:00 · alice · Gửi báo cáo Tuần 41/2026: 100%",
        "05/10/2026 08:00 · hệ thống · Tạo nhiệm vụ " + weekly.title,
    ]


def test_each_sending_of_a_report_is_in_the_history_at_its_time(client, world, weekly, day):
    officer, office = world.people.officer, world.people.office
    day("2026-10-12")
    with freeze_time("2026-10-12 02:00:00"):
        services.report_submit(actor=officer, task=weekly, period="2026-W41", percent=40)
    with freeze_time("2026-10-12 07:30:00"):
        services.report_submit(actor=officer, task=weekly, period="2026-W41", percent=60)
    report = ProgressReport.objects.get(task=weekly, period="2026-W41")
    day("2026-10-13")
    with freeze_time("2026-10-13 02:00:00"):
        services.report_return(actor=office, report=report, reason="Ghi rõ số cơ quan.")
    day("2026-10-15")
    with freeze_time("2026-10-15 03:15:00"):
        services.report_submit(actor=officer, task=weekly, period="2026-W41", percent=70)
    html = page(client, office, weekly)
    assert without_alerts(entries(html))[:4] == [
        "15/10/2026 10:15 · alice · Gửi lại báo cáo Tuần 41/2026 sau khi bị trả lại: 70%",
        "13/10/2026 09:00 · olga · Trả lại báo cáo: Tuần 41/2026 Ghi rõ số cơ quan.",
        "12/10/2026 14:30 · alice · Sửa báo cáo Tuần 41/2026: 60%",
        "12/10/2026 09:00 · alice · Gửi báo cáo Tuần 41/2026: 40%",
    ]
    # The row tells both times; the day that decides on time is the day it was sent again.
    reports = section(html, "reports")
    assert "gửi lúc 12/10/2026 09:00 · gửi lại lúc 15/10/2026 10:15" in reports
    report.refresh_from_db()
    assert report.submitted_on == D(2026, 10, 15)


def test_a_corrected_report_shows_when_it_changed_and_keeps_its_day(client, world, weekly, day):
    day("2026-10-12")
    with freeze_time("2026-10-12 02:00:00"):
        services.report_submit(
            actor=world.people.officer, task=weekly, period="2026-W41", percent=40
        )
    day("2026-10-20")
    with freeze_time("2026-10-20 08:05:00"):
        services.report_submit(
            actor=world.people.officer, task=weekly, period="2026-W41", percent=90
        )
    html = page(client, world.people.officer, weekly)
    assert "gửi lúc 12/10/2026 09:00 · sửa lúc 20/10/2026 15:05" in section(html, "reports")
    assert ProgressReport.objects.get(task=weekly).submitted_on == D(2026, 10, 12)


def test_a_report_sent_once_shows_one_time(client, world, weekly, day):
    day("2026-10-12")
    with freeze_time("2026-10-12 02:00:00"):
        services.report_submit(
            actor=world.people.officer, task=weekly, period="2026-W41", percent=40
        )
    reports = section(page(client, world.people.officer, weekly), "reports")
    assert "gửi lúc 12/10/2026 09:00" in reports
    assert "sửa lúc" not in reports and "gửi lại lúc" not in reports


def test_a_long_history_shows_its_newest_entries_and_the_rest_on_request(
    client, world, weekly, day
):
    # Thirty weeks of reports, from week 41 of 2026.
    monday = D(2026, 10, 5)
    for week in range(30):
        sent = monday + datetime.timedelta(weeks=week, days=2)
        day(sent.isoformat())
        iso = sent.isocalendar()
        services.report_submit(
            actor=world.people.officer,
            task=weekly,
            period=f"{iso.year}-W{iso.week:02d}",
            percent=min(100, 10 + week),
        )
    html = page(client, world.people.office, weekly)
    shown = entries(html)
    assert len(shown) == 20
    assert "Gửi báo cáo Tuần 17/2027" in shown[0]  # the newest first (2026 has 53 weeks)
    everything = entries(page(client, world.people.office, weekly, "?history=all"))
    # 30 reports and the task's creation, with the alerts the reports opened and closed.
    assert len(without_alerts(everything)) == 31
    assert f"Xem thêm {len(everything) - 20} mục trước đó" in html
    assert 'href="?history=all#history"' in html
    assert everything[:20] == shown
    assert len(re.findall(r'class="list-group-item d-flex[^"]*period-row"', html)) == 12
    # 30 reports: ten a page, the earlier ones a click away.
    assert section(html, "reports").count("gửi lúc") == 10
    assert "Báo cáo cũ hơn" in section(html, "reports")
    sent = [
        section(page(client, world.people.office, weekly, f"?reports_page={n}"), "reports")
        for n in (1, 2, 3)
    ]
    assert sum(text.count("gửi lúc") for text in sent) == 30


def test_a_week_nobody_reported_reads_no_report_not_a_task_state(client, world, weekly, day):
    officer = world.people.officer
    day("2026-10-07")
    report = services.report_submit(actor=officer, task=weekly, period="2026-W41", percent=100)
    evidence = services.evidence_upload(
        actor=officer, name="tuan-41.pdf", data=PDF, task=weekly, report=report
    )
    services.evidence_review(actor=world.people.office, evidence=evidence, decision="accept")
    day("2026-10-30")  # week 42 due 23/10 (+5 days): sent late; week 43 never sent
    services.report_submit(actor=officer, task=weekly, period="2026-W42", percent=50)
    day("2026-11-04")
    rows = {row["period"]: row for row in period_states(weekly, today=D(2026, 11, 4))}
    assert {key: row["report"] for key, row in rows.items()} == {
        "2026-W41": "on_time",
        "2026-W42": "late",
        "2026-W43": "missing",
        "2026-W44": "not_due",
        "2026-W45": "not_due",
    }
    # The official per-period state stays (DESIGN §4), but only where a report says something.
    assert rows["2026-W41"]["state"] == "done_on_time"
    assert not rows["2026-W43"]["has_report"]
    periods = section(page(client, officer, weekly), "periods")
    week43 = periods[periods.index("Tuần 43/2026") : periods.index("Tuần 42/2026")]
    assert "Không báo cáo" in week43
    assert "Chưa hoàn thành" not in week43
    week42 = periods[periods.index("Tuần 42/2026") : periods.index("Tuần 41/2026")]
    assert "Báo cáo chậm" in week42
    assert "Báo cáo đúng hạn" in periods[periods.index("Tuần 41/2026") :]
    assert "Hoàn thành đúng hạn" in periods[periods.index("Tuần 41/2026") :]


def test_a_returned_report_not_sent_again_reads_returned(world, weekly, day):
    day("2026-10-07")
    report = services.report_submit(
        actor=world.people.officer, task=weekly, period="2026-W41", percent=30
    )
    services.report_return(actor=world.people.office, report=report, reason="Thiếu số liệu.")
    [row] = [r for r in period_states(weekly, today=D(2026, 10, 7)) if r["period"] == "2026-W41"]
    assert (row["report"], row["has_report"]) == ("returned", False)


@pytest.mark.parametrize(
    ("previous", "kind"),
    [
        (None, "sent"),
        ("submitted", "corrected"),
        ("confirmed", "corrected"),
        ("returned", "resent"),
    ],
)
def test_what_a_sending_was_follows_the_status_before_it(previous, kind):
    assert submit_kind(previous) == kind
