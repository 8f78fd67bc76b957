"""The province receives its wards' periodic reports: the table of a period and its states
around the due day, the report page, its package, and the answers with their notifications."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import OrganizationFactory, PlanFactory, UserFactory
from theodoi.dashboards.selectors.upward import State, received_table
from theodoi.notifications.models import Kind, Notification
from theodoi.org.models import Role
from theodoi.plans.periods import Period
from theodoi.reporting.models import UpwardReport
from theodoi.reporting.upward import upward_report_prepare, upward_report_send

Q3 = Period("quarterly", 2026, 3)
PACKAGE = b"PK\x05\x06" + b"\x00" * 18  # an empty zip


def payload(version: int = 1) -> dict:
    return {
        "schema": "theodoi.upward-report/1",
        "period": {"key": "2026-Q3", "label": "Quý III/2026"},
        "version": version,
        "summary": {
            "tasks_total": 2,
            "done": 1,
            "done_on_time": 1,
            "overdue": 0,
            "in_progress": 1,
            "not_started": 0,
            "average_progress": 65,
        },
        "sections": [
            {"code": "I", "title": "Kết quả thực hiện", "text": "Đã triển khai chữ ký số."}
        ],
        "tasks": [
            {
                "code": "1",
                "title": "Triển khai chữ ký số cho cán bộ",
                "progress": 100,
                "result": "Hoàn thành",
                "upper_task_code": "1.2",
            }
        ],
        "indicators": [
            {
                "code": "CT1",
                "name": "Tỷ lệ hồ sơ trực tuyến",
                "unit": "%",
                "target": 80,
                "value": 72,
            }
        ],
        "evidence": [{"name": "bien-ban.pdf", "sha256": "ab" * 32, "size": 2048}],
    }


def send(office, plan, period=Q3, version=0):
    report = upward_report_prepare(actor=office, plan=plan, period=period)
    return upward_report_send(
        actor=office,
        report=report,
        payload=payload(version + 1),
        package=PACKAGE,
        version=version,
    )


@pytest.fixture
def upward(world, settings):
    """Ward A's plan carries out the province's plan, whose reports are due 15 days after the
    period (15/10 for the third quarter); ward B's plan has no upper plan (its own 10 days:
    10/10); a ward C has no plan."""
    settings.THEODOI_TODAY = "2026-10-12"
    province_plan = PlanFactory(organization=world.province, upward_report_due_days=15)
    world.plan_a.parents.add(province_plan)
    world.ward_c = OrganizationFactory(name="Xã Cát Hải", kind="commune", parent=world.province)
    world.office_b = world.people.other_ward
    world.province_office = UserFactory(
        username="vp_tinh", organization=world.province, role=Role.STANDING_OFFICE
    )
    return world


def _row(table, ward):
    return next(row for row in table.rows if row.ward == ward)


def test_states_around_the_due_day(upward, settings):
    day = datetime.date
    table = received_table(upward.province, Q3, today=day(2026, 10, 10))
    assert _row(table, upward.ward_a).state == State.NOT_DUE
    assert _row(table, upward.ward_a).due_on == day(2026, 10, 15)
    assert _row(table, upward.ward_a).implements
    # Ward B's own 10 days: due on 10/10, late from the day after.
    assert _row(table, upward.ward_b).state == State.NOT_DUE
    assert _row(table, upward.ward_b).due_on == day(2026, 10, 10)
    late = received_table(upward.province, Q3, today=day(2026, 10, 11))
    assert (_row(late, upward.ward_b).state, _row(late, upward.ward_b).days_late) == (State.LATE, 1)
    assert _row(late, upward.ward_c).state == State.NO_PLAN

    settings.THEODOI_TODAY = "2026-10-17"
    sent = send(upward.people.office, upward.plan_a)
    table = received_table(upward.province, Q3, today=day(2026, 10, 20))
    row = _row(table, upward.ward_a)
    assert (row.state, row.report, row.sent_late) == (State.RECEIVED, sent, 2)
    assert _row(table, upward.ward_b).days_late == 10
    assert (table.arrived, table.counts[State.LATE], table.missing) == (1, 1, 1)
    # Another province's wards are not in the table.
    assert {row.ward for row in table.rows} == {upward.ward_a, upward.ward_b, upward.ward_c}


def test_the_table_page_filters_and_sorts(upward, client):
    send(upward.people.office, upward.plan_a)
    client.force_login(upward.people.upper)
    page = client.get(reverse("upward_received"), {"period": "2026-Q3", "sort": "state"})
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [row.state for row in rows] == [State.RECEIVED, State.LATE, State.NO_PLAN]
    assert page.context["period"] == Q3
    only = client.get(reverse("upward_received"), {"period": "2026-Q3", "state": "received"})
    assert [row.ward for row in only.context["rows"]] == [upward.ward_a]
    named = client.get(reverse("upward_received"), {"q": "cát"})
    assert [row.ward for row in named.context["rows"]] == [upward.ward_c]


def test_the_default_period_is_the_last_quarter_ended(upward, client):
    client.force_login(upward.people.upper)
    assert client.get(reverse("upward_received")).context["period"] == Q3
    wrong = client.get(reverse("upward_received"), {"period": "2026-Q7"})
    assert wrong.status_code == 200
    assert wrong.context["period"] == Q3
    assert "2026-Q3" in [str(m) for m in wrong.context["messages"]][0]


def test_who_sees_the_table(upward, client):
    for person, status in [
        (upward.people.upper, 200),
        (upward.province_office, 200),
        (upward.people.office, 403),
        (upward.people.officer, 403),
        (upward.people.leader, 403),
    ]:
        client.force_login(person)
        assert client.get(reverse("upward_received")).status_code == status, person
    # Another province's upper level sees its own wards only.
    client.force_login(upward.people.other_upper)
    page = client.get(reverse("upward_received"))
    assert page.context["table"].province == upward.other_province
    assert page.context["rows"] == []


def test_who_sees_and_answers_a_report(upward, client):
    report = send(upward.people.office, upward.plan_a)
    url = reverse("upward_received_report", args=[report.pk])
    answer = reverse("upward_report_answer", args=[report.pk])
    for person, status in [
        (upward.people.upper, 200),
        (upward.province_office, 200),
        (upward.people.office, 200),  # reads what it sent, cannot answer
        (upward.people.leader, 200),
        (upward.people.officer, 403),
        (upward.people.other_ward, 404),  # another ward of the province: not its report
        (upward.people.other_upper, 404),  # another province: does not exist for it
    ]:
        client.force_login(person)
        assert client.get(url).status_code == status, person
    client.force_login(upward.people.office)
    assert client.get(url).context["can_answer"] is False
    assert client.post(answer, {"action": "accept", "version": 1}).status_code == 403
    client.force_login(upward.people.other_upper)
    assert client.post(answer, {"action": "accept", "version": 1}).status_code == 404
    report.refresh_from_db()
    assert report.status == UpwardReport.Status.SENT


def test_the_page_shows_the_report_as_sent(upward, client):
    report = send(upward.people.office, upward.plan_a)
    client.force_login(upward.people.upper)
    page = client.get(reverse("upward_received_report", args=[report.pk]))
    text = page.content.decode()
    for shown in (
        "Kết quả thực hiện",
        "Đã triển khai chữ ký số.",
        "Tỷ lệ hồ sơ trực tuyến",
        "bien-ban.pdf",
        "Triển khai chữ ký số cho cán bộ",
    ):
        assert shown in text
    assert page.context["can_answer"] is True
    assert [event.action for event, _label in page.context["history"]] == [
        "upward_report.save",
        "upward_report.send",
    ]


def test_package_download_is_access_checked(upward, client):
    report = send(upward.people.office, upward.plan_a)
    url = reverse("upward_report_package", args=[report.pk])
    client.force_login(upward.people.upper)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PACKAGE
    assert "attachment" in response["Content-Disposition"]
    client.force_login(upward.people.officer)
    assert client.get(url).status_code == 403
    client.force_login(upward.people.other_upper)
    assert client.get(url).status_code == 404


def test_return_needs_a_reason_and_keeps_nothing_lost(upward, client):
    report = send(upward.people.office, upward.plan_a)
    client.force_login(upward.people.upper)
    answer = reverse("upward_report_answer", args=[report.pk])
    refused = client.post(answer, {"action": "return", "version": 1, "reason": "   "})
    assert refused.status_code == 400
    assert "Hãy ghi lý do trả lại" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == UpwardReport.Status.SENT
    # A reason too long: refused with what was typed still in the box.
    typed = "Bổ sung số liệu " * 300
    kept = client.post(answer, {"action": "return", "version": 1, "reason": typed})
    assert kept.status_code == 400
    assert typed.strip()[:200] in kept.content.decode()


def test_return_then_resend_then_accept_tells_both_sides(
    upward, client, django_capture_on_commit_callbacks
):
    office, upper = upward.people.office, upward.people.upper
    with django_capture_on_commit_callbacks(execute=True):
        report = send(office, upward.plan_a)
    told = Notification.objects.filter(kind=Kind.UPWARD_REPORT_SENT)
    assert set(told.values_list("recipient", flat=True)) == {upper.pk, upward.province_office.pk}
    assert told.first().link == reverse("upward_received_report", args=[report.pk])

    client.force_login(upper)
    answer = reverse("upward_report_answer", args=[report.pk])
    done = client.post(answer, {"action": "return", "version": 1, "reason": "Thiếu biên bản"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (UpwardReport.Status.RETURNED, "Thiếu biên bản")
    note = Notification.objects.get(kind=Kind.UPWARD_REPORT_ANSWERED, recipient=office)
    assert "bị trả lại" in note.title
    assert note.body == "Lý do: Thiếu biên bản"
    # The ward's units are not told; the province's office acting is not told of its own act.
    assert not Notification.objects.filter(
        kind=Kind.UPWARD_REPORT_ANSWERED, recipient=upward.people.officer
    ).exists()

    with django_capture_on_commit_callbacks(execute=True):
        upward_report_send(
            actor=office, report=report, payload=payload(2), package=PACKAGE, version=1
        )
    assert Notification.objects.filter(kind=Kind.UPWARD_REPORT_SENT, recipient=upper).count() == 2
    # An answer to the first sending, made on a page opened before the second, is refused.
    stale = client.post(answer, {"action": "accept", "version": 1})
    assert stale.status_code == 409
    assert "đã thay đổi kể từ khi bạn mở" in stale.content.decode()
    report.refresh_from_db()
    assert report.status == UpwardReport.Status.SENT
    assert client.post(answer, {"action": "accept", "version": 2}).status_code == 302
    report.refresh_from_db()
    assert report.status == UpwardReport.Status.ACCEPTED
    accepted = Notification.objects.get(
        kind=Kind.UPWARD_REPORT_ANSWERED, recipient=office, title__contains="chấp nhận"
    )
    # The ward's office opens its own page of the report.
    assert accepted.link == reverse("upward_report", args=[report.plan_id, report.period])
    # Answering twice: a clear message, no change.
    again = client.post(answer, {"action": "accept", "version": 2})
    assert again.status_code == 409


def test_the_menu_offers_the_page_to_the_province(upward, client):
    client.force_login(upward.people.upper)
    assert reverse("upward_received") in client.get(reverse("plan_list")).content.decode()
    client.force_login(upward.people.office)
    assert reverse("upward_received") not in client.get(reverse("plan_list")).content.decode()


def test_queries_are_bounded_for_a_hundred_wards(upward, client, django_assert_max_num_queries):
    office = upward.people.office
    for n in range(100):
        ward = OrganizationFactory(name=f"Phường Thêm {n:03d}", parent=upward.province)
        plan = PlanFactory(organization=ward)
        if n % 3 == 0:
            plan.parents.add(upward.plan_a.parents.first())
        if n % 4 == 0:
            UpwardReport.objects.create(
                organization=ward,
                plan=plan,
                period="2026-Q3",
                due_on=datetime.date(2026, 10, 15),
                status=UpwardReport.Status.SENT,
                version=1,
                sent_on=datetime.date(2026, 10, 11),
            )
    send(office, upward.plan_a)
    client.force_login(upward.people.upper)
    # Session, user, the wards, reports, plans, plan links, messages: 8 whatever the count.
    with django_assert_max_num_queries(10):
        page = client.get(reverse("upward_received"), {"period": "2026-Q3"})
    assert page.status_code == 200
    assert len(page.context["rows"]) == 103
    assert page.context["table"].arrived == 26


def test_an_answer_that_is_neither_is_refused(upward, client):
    report = send(upward.people.office, upward.plan_a)
    client.force_login(upward.people.upper)
    answer = reverse("upward_report_answer", args=[report.pk])
    refused = client.post(answer, {"action": "delete", "version": 1})
    assert refused.status_code == 400
    report.refresh_from_db()
    assert report.status == UpwardReport.Status.SENT


def test_a_ward_reports_on_the_plans_carrying_out_the_provinces(upward):
    """Of ward B's plans, only the one carrying out the province's plan is listed once it has
    one; a plan based on another plan of the same ward is not the province's."""
    province_plan = upward.plan_a.parents.get()
    own_parent = PlanFactory(organization=upward.ward_b)
    upward.plan_b.parents.add(own_parent)
    table = received_table(upward.province, Q3, today=datetime.date(2026, 10, 12))
    assert {row.plan for row in table.rows if row.ward == upward.ward_b} == {
        upward.plan_b,
        own_parent,
    }
    assert not any(row.implements for row in table.rows if row.ward == upward.ward_b)
    carrying = PlanFactory(organization=upward.ward_b)
    carrying.parents.add(province_plan)
    table = received_table(upward.province, Q3, today=datetime.date(2026, 10, 12))
    rows = [row for row in table.rows if row.ward == upward.ward_b]
    assert [(row.plan, row.implements, row.due_on) for row in rows] == [
        (carrying, True, datetime.date(2026, 10, 15))
    ]


def test_the_page_prints_plan_section_numbers_dates_and_missing_results_readably(upward, client):
    report = send(upward.people.office, upward.plan_a)
    sent = payload()
    sent["sections"] = [
        {"code": "intro", "title": "Mở đầu", "text": "Mở đầu."},
        {"code": "I", "title": "Kết quả thực hiện", "text": "Đã triển khai."},
        {"code": "proposals", "title": "Kiến nghị, đề xuất", "text": "Không."},
    ]
    sent["tasks"][0].update(result=None, due_date="2026-12-12")
    UpwardReport.objects.filter(pk=report.pk).update(payload=sent)
    client.force_login(upward.people.upper)
    text = client.get(reverse("upward_received_report", args=[report.pk])).content.decode()
    assert ">Mở đầu</h2>" in text and ">Kiến nghị, đề xuất</h2>" in text
    assert "intro." not in text and "proposals." not in text
    assert ">I. Kết quả thực hiện</h2>" in text
    assert "12/12/2026" in text and "2026-12-12" not in text
    assert "None" not in text


def test_the_sort_links_carry_only_the_filters_and_the_late_box_says_not_sent(upward, client):
    client.force_login(upward.people.upper)
    bare = client.get(reverse("upward_received")).content.decode()
    assert 'href="?sort=-ward"' in bare and "?&" not in bare
    filtered = client.get(reverse("upward_received"), {"state": "late"}).content.decode()
    assert 'href="?state=late&amp;sort=-ward"' in filtered
    late_box = bare[bare.index('data-count="late"') :]
    assert "Chưa gửi, trễ hạn" in late_box[: late_box.index("</div></div>")]
