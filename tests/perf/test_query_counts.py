"""The number of SQL queries of every list page must not grow with the number of rows (no N+1):
the same count for a ward with 10 tasks as for one with 500, each task with its units, a report,
an evidence file (reviewed or waiting), an alert; and for a task page with 3 or 30 of each."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from theodoi.alerts.models import Alert
from theodoi.api.auth import token_issue
from theodoi.org.models import Organization, Role, Unit, User
from theodoi.plans.models import Indicator, IndicatorMilestone, IndicatorValue, Plan, Task
from theodoi.reporting.models import Directive, Evidence, EvidenceReview, ProgressReport

TODAY = datetime.date(2026, 11, 24)


class Ward:
    """A ward built in bulk: a standing office, a unit officer, ``plans`` plans sharing
    ``tasks`` tasks (every fifth a subtask), each task with a lead and a coordinating unit, a
    report, an evidence file (every other one reviewed) and an open alert."""

    def __init__(self, name: str, *, tasks: int, plans: int = 1) -> None:
        province = Organization.objects.create(
            name=f"Tỉnh {name}", code=f"P-{name}", kind="province"
        )
        self.ward = Organization.objects.create(
            name=f"Phường {name}", code=f"W-{name}", kind="ward", parent=province
        )
        self.units = [
            Unit.objects.create(organization=self.ward, name=f"Phòng {i} {name}", order=i)
            for i in range(3)
        ]
        self.office = User.objects.create_user(
            username=f"office-{name}",
            password="x",
            role=Role.STANDING_OFFICE,
            organization=self.ward,
            unit=self.units[0],
        )
        self.officer = User.objects.create_user(
            username=f"officer-{name}",
            password="x",
            role=Role.UNIT_OFFICER,
            organization=self.ward,
            unit=self.units[1],
        )
        self.plans = [
            Plan.objects.create(
                organization=self.ward,
                number=f"{i + 1}/KH-{name}",
                title="Kế hoạch thực hiện Nghị quyết 57-NQ/TW",
                issuer="UBND phường",
                issued_on=datetime.date(2026, 1, 15),
                period_start=datetime.date(2026, 1, 1),
                period_end=datetime.date(2026, 12, 31),
                reporting_cycle="monthly",
            )
            for i in range(plans)
        ]
        self.plan = self.plans[0]
        section = self.plan.sections.create(code="I", title="Nhóm I")
        rows = []
        for number in range(tasks):
            rows.append(
                Task(
                    plan=self.plans[number % plans],
                    section=section if number % plans == 0 else None,
                    code=str(number + 1),
                    title=f"Nhiệm vụ {number}",
                    deadline_text="Quý IV/2026",
                    deadline_kind="quarter",
                    due_date=datetime.date(2026, 3 * (number % 4) + 3, 28),
                    progress=(number * 7) % 101,
                    order=number,
                )
            )
        Task.objects.bulk_create(rows)
        # Every fifth task is a subtask of the one before it.
        for number, task in enumerate(rows):
            if number % 5 == 4 and rows[number - 1].plan_id == task.plan_id:
                task.parent = rows[number - 1]
        Task.objects.bulk_update(rows, ["parent"])
        self.tasks = rows
        Task.lead_units.through.objects.bulk_create(
            [Task.lead_units.through(task=t, unit=self.units[1]) for t in rows]
        )
        Task.coordinating_units.through.objects.bulk_create(
            [Task.coordinating_units.through(task=t, unit=self.units[2]) for t in rows]
        )
        reports = ProgressReport.objects.bulk_create(
            [
                ProgressReport(
                    task=t,
                    unit=self.units[1],
                    period="2026-10",
                    percent=50,
                    submitted_by=self.officer,
                    submitted_on=TODAY,
                )
                for t in rows
            ]
        )
        evidence = Evidence.objects.bulk_create(
            [
                Evidence(
                    task=t,
                    report=r,
                    file="evidence/ab/abc",
                    sha256="ab" * 32,
                    original_name="bao-cao.pdf",
                    content_type="application/pdf",
                    size=300,
                    uploaded_by=self.officer,
                    uploaded_on=TODAY,
                )
                for t, r in zip(rows, reports, strict=True)
            ]
        )
        EvidenceReview.objects.bulk_create(
            [
                EvidenceReview(evidence=e, decision="accepted", reviewer=self.office)
                for e in evidence[::2]
            ]
        )
        Alert.objects.bulk_create(
            [
                Alert(
                    organization=self.ward,
                    rule="overdue",
                    task=t,
                    unit=self.units[1],
                    message="Quá hạn",
                )
                for t in rows
            ]
        )
        indicators = Indicator.objects.bulk_create(
            [
                Indicator(plan=self.plan, name=f"Chỉ tiêu {i}", target=80, lead_unit=self.units[1])
                for i in range(max(2, tasks // 20))
            ]
        )
        IndicatorMilestone.objects.bulk_create(
            [IndicatorMilestone(indicator=i, year=2026, value=50) for i in indicators]
        )
        IndicatorValue.objects.bulk_create(
            [IndicatorValue(indicator=i, period="2026-10", value=40) for i in indicators]
        )

    def detailed_task(self, items: int) -> Task:
        """A task with ``items`` reports, evidence files with two reviews each, directives and
        alerts (open and closed)."""
        task = Task.objects.create(
            plan=self.plan, code="X", title="Nhiệm vụ có lịch sử", due_date=TODAY, order=10_000
        )
        task.lead_units.set([self.units[1]])
        reports = ProgressReport.objects.bulk_create(
            [
                ProgressReport(
                    task=task,
                    unit=self.units[1],
                    period=f"{2020 + m // 12}-{m % 12 + 1:02d}",
                    percent=min(100, m * 3),
                    submitted_by=self.officer,
                    submitted_on=TODAY,
                    reviewed_by=self.office,
                )
                for m in range(items)
            ]
        )
        evidence = Evidence.objects.bulk_create(
            [
                Evidence(
                    task=task,
                    report=r,
                    file="evidence/ab/abc",
                    sha256="ab" * 32,
                    original_name=f"minh-chung-{i}.pdf",
                    content_type="application/pdf",
                    size=300,
                    uploaded_by=self.officer,
                    uploaded_on=TODAY,
                )
                for i, r in enumerate(reports)
            ]
        )
        EvidenceReview.objects.bulk_create(
            [
                EvidenceReview(evidence=e, decision=d, reason="Thiếu chữ ký", reviewer=self.office)
                for e in evidence
                for d in ("rejected", "accepted")
            ]
        )
        Directive.objects.bulk_create(
            [Directive(task=task, author=self.office, text=f"Chỉ đạo {i}") for i in range(items)]
        )
        Alert.objects.bulk_create(
            [
                Alert(organization=self.ward, rule="missing_report", task=task, message="Thiếu")
                for _ in range(items)
            ]
        )
        return task


def count_queries(client: Client, url: str, **headers) -> int:
    first = client.get(url, **headers)  # warm caches (content types, session, translations)
    assert first.status_code == 200, (url, first.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(queries)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def wards(db, settings):
    settings.THEODOI_TODAY = TODAY.isoformat()
    return Ward("small", tasks=10, plans=1), Ward("large", tasks=500, plans=5)


def test_plan_page_task_list(wards):
    counts = [
        count_queries(signed_in(w.office), reverse("plan_detail", args=[w.plan.pk])) for w in wards
    ]
    assert counts[0] == counts[1], counts


def test_plan_page_filtered_by_unit(wards):
    counts = [
        count_queries(
            signed_in(w.office), reverse("plan_detail", args=[w.plan.pk]) + f"?unit={w.units[1].pk}"
        )
        for w in wards
    ]
    assert counts[0] == counts[1], counts


def test_my_tasks(wards):
    counts = [count_queries(signed_in(w.officer), reverse("my_tasks")) for w in wards]
    assert counts[0] == counts[1], counts


# The reads every page makes (tests keep sessions in the database and count the bell each time):
# the session, the person with their ward and unit in one query, the bell's count.
FIXED = 3


def test_a_light_page_reads_the_person_once(wards):
    """The ward and the unit come with the person: not one query each on every page."""
    _small, large = wards
    assert count_queries(signed_in(large.officer), reverse("notifications")) == FIXED + 1


def test_my_tasks_count(wards):
    """The fixed reads; the page of tasks, its count and their lead units; the to-do list (its
    rejected files with their reviews, returned reports, directives); the alerts counted in one
    query and the most urgent read; no unread notification read when the bell counts none."""
    _small, large = wards
    assert count_queries(signed_in(large.officer), reverse("my_tasks")) == FIXED + 8


PDF = b"%PDF-1.4\n% theodoi\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.mark.parametrize(("label", "first", "again"), [("report", 32, 30), ("with a file", 40, 38)])
def test_report_submit_count(wards, label, first, again):
    """A unit's report, sent and then corrected (with an evidence file, each time a new file):
    the queries of the write path (report, evidence, audit records, progress, alerts) do not
    grow by a read of the person's ward or unit."""
    _small, large = wards
    client = signed_in(large.officer)
    task = large.tasks[3]
    counts = []
    for number in range(2):
        data = {"period": "2026-11", "percent": str(40 + number), "result": "Đang triển khai"}
        if label == "with a file":
            data |= {"evidence": [SimpleUploadedFile(f"{number}.pdf", PDF + bytes([number]))]}
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("report_submit", args=[task.pk]), data)
        assert response.status_code == 302, response.content.decode()[-2000:]
        counts.append(len(queries))
    assert counts == [first, again], counts


def test_review_queue(wards):
    counts = [count_queries(signed_in(w.office), reverse("review_queue")) for w in wards]
    assert counts[0] == counts[1], counts


def test_plan_list(wards):
    counts = [count_queries(signed_in(w.office), reverse("plan_list")) for w in wards]
    assert counts[0] == counts[1], counts


def test_api_task_list(wards):
    counts = []
    for w in wards:
        _, token = token_issue(user=w.office)
        counts.append(
            count_queries(
                Client(),
                f"/api/v1/plans/{w.plan.pk}/tasks",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
        )
    assert counts[0] == counts[1], counts


def test_api_plan_list(wards):
    counts = []
    for w in wards:
        _, token = token_issue(user=w.office)
        counts.append(
            count_queries(Client(), "/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {token}")
        )
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("viewer", ["office", "officer"])
def test_task_page(wards, viewer):
    small, _large = wards
    counts = []
    for items in (3, 30):
        task = small.detailed_task(items)
        counts.append(
            count_queries(signed_in(getattr(small, viewer)), reverse("task_detail", args=[task.pk]))
        )
    assert counts[0] == counts[1], counts


# What the task page reads, whatever the number of reports, files, directives and alerts: the
# session, the person and their ward, the task (with its upper task and whether it has
# subtasks) and its two lists of units, the directives, the reports, the files and their
# reviews, the alerts, the audit trail, the people it names, a page of reports, the earlier
# copies of the files, the bell and the person's unit; for the office, the upper-level tasks
# it may link the task to.
TASK_PAGE_QUERIES = {"office": 18, "officer": 17}


@pytest.mark.parametrize("viewer", ["office", "officer"])
def test_task_page_query_count(wards, viewer):
    small, _large = wards
    task = small.detailed_task(30)
    count = count_queries(signed_in(getattr(small, viewer)), reverse("task_detail", args=[task.pk]))
    assert count <= TASK_PAGE_QUERIES[viewer], count


@pytest.mark.parametrize("viewer", ["office", "officer"])
def test_task_page_reports_on_an_earlier_page(db, settings, viewer):
    """Another page of a task's reports (htmx swaps the list in) reads the same queries for 3
    reports as for 30, and at most half the queries of the whole page."""
    settings.THEODOI_TODAY = TODAY.isoformat()
    small = Ward("small", tasks=10, plans=1)
    counts, whole = [], []
    for items in (3, 30):
        task = small.detailed_task(items)
        url = reverse("task_detail", args=[task.pk])
        client = signed_in(getattr(small, viewer))
        counts.append(
            count_queries(
                client,
                url + "?reports_page=2",
                HTTP_HX_REQUEST="true",
                HTTP_HX_TARGET="report-list",
            )
        )
        whole.append(count_queries(client, url + "?reports_page=2"))
    assert counts[0] == counts[1], counts
    assert counts[1] <= whole[1] // 2, (counts, whole)
