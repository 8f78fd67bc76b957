"""The periodic report pages of a ward: the list of quarters with their state and due day,
and the report page where the office saves, signs off and sends; what was typed survives an
error; leaders read, unit roles get 403, another ward 404."""

import pytest
from django.urls import reverse

from tests.exports.conftest import PERIOD
from theodoi.exports import upward
from theodoi.plans.periods import parse_period
from theodoi.reporting.models import UpwardReport
from theodoi.reporting.upward import upward_report_prepare, upward_report_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def list_url(plan):
    return reverse("upward_list", args=[plan.pk])


def page_url(plan, period=PERIOD):
    return reverse("upward_report", args=[plan.pk, period])


def form_data(response, **changes):
    """The form as the page shows it, with ``changes``."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data.pop("signed", None)
    data.update(changes)
    return data


def test_the_list_shows_each_quarter_with_its_state_and_lateness(login, quarter):
    people = quarter.world.people
    q1 = upward_report_prepare(
        actor=people.office, plan=quarter.plan, period=parse_period("2026-Q1", "quarterly")
    )
    sent = upward.upward_send(actor=people.office, upward=q1)
    upward_report_return(actor=people.upper, report=sent, reason="Thiếu minh chứng")
    response = login(people.office).get(list_url(quarter.plan))
    assert response.status_code == 200
    rows = {str(row.period): row for row in response.context["rows"]}
    # From the plan's start (January 2026) to the current quarter (today 10/10/2026).
    assert list(rows) == ["2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1"]
    assert rows["2026-Q1"].state == "returned"
    assert rows["2026-Q2"].state == "none" and rows["2026-Q2"].late
    assert rows["2026-Q3"].due_on.isoformat() == "2026-10-10" and not rows["2026-Q3"].late
    text = response.content.decode()
    assert "Thiếu minh chứng" in text


def test_save_keeps_the_text_then_send_needs_the_sign_off(login, quarter):
    client = login(quarter.world.people.office)
    shown = client.get(page_url(quarter.plan))
    assert shown.status_code == 200
    typed = "Quý III, phường đã hoàn thành phần lớn nhiệm vụ (đã soát lại)."
    saved = client.post(page_url(quarter.plan), form_data(shown, summary=typed, action="save"))
    assert saved.status_code == 302
    report = UpwardReport.objects.get(plan=quarter.plan, period=PERIOD)
    assert report.text["summary"] == typed and report.status == UpwardReport.Status.DRAFT
    again = client.get(page_url(quarter.plan))
    assert again.context["form"].initial["summary"] == typed

    other = "Đã sửa lần hai."
    unsigned = client.post(page_url(quarter.plan), form_data(again, summary=other, action="send"))
    assert unsigned.status_code == 400
    assert unsigned.context["form"]["summary"].value() == other  # nothing typed is lost
    report.refresh_from_db()
    assert report.status == UpwardReport.Status.DRAFT

    sent = client.post(
        page_url(quarter.plan), form_data(again, summary=other, action="send", signed="on")
    )
    assert sent.status_code == 302
    report.refresh_from_db()
    assert report.status == UpwardReport.Status.SENT and report.version == 1
    assert report.text["summary"] == other
    read_only = client.get(page_url(quarter.plan))
    assert read_only.context["content"] is None
    assert other in read_only.content.decode()
    resent = client.post(page_url(quarter.plan), form_data(again, action="send", signed="on"))
    assert resent.status_code == 400


def test_a_stale_page_keeps_what_was_typed(login, quarter):
    people = quarter.world.people
    client = login(people.office)
    shown = client.get(page_url(quarter.plan))
    report = upward_report_prepare(
        actor=people.office, plan=quarter.plan, period=parse_period(PERIOD, "quarterly")
    )
    sent = upward.upward_send(actor=people.office, upward=report)
    upward_report_return(actor=people.upper, report=sent, reason="Bổ sung")
    typed = "Văn bản soạn trên trang cũ."
    stale = client.post(page_url(quarter.plan), form_data(shown, summary=typed, action="save"))
    assert stale.status_code == 400
    assert stale.context["form"]["summary"].value() == typed
    assert stale.context["error"]


def test_a_returned_report_shows_the_reason(login, quarter):
    people = quarter.world.people
    report = upward_report_prepare(
        actor=people.office, plan=quarter.plan, period=parse_period(PERIOD, "quarterly")
    )
    sent = upward.upward_send(actor=people.office, upward=report)
    upward_report_return(actor=people.upper, report=sent, reason="Đề nghị bổ sung số liệu")
    response = login(people.office).get(page_url(quarter.plan))
    assert response.status_code == 200
    assert response.context["editable"]
    assert "Đề nghị bổ sung số liệu" in response.content.decode()
    assert response.context["form"].initial["version"] == 1


def test_who_may_open_the_pages(login, quarter):
    people = quarter.world.people
    assert login(people.leader).get(list_url(quarter.plan)).status_code == 200
    leader_page = login(people.leader).get(page_url(quarter.plan))
    assert leader_page.status_code == 200 and not leader_page.context["editable"]
    assert login(people.leader).post(page_url(quarter.plan), {}).status_code == 403
    assert login(people.officer).get(list_url(quarter.plan)).status_code == 403
    assert login(people.officer).get(page_url(quarter.plan)).status_code == 403
    assert login(people.other_ward).get(list_url(quarter.plan)).status_code == 404
    assert login(people.other_ward).post(page_url(quarter.plan), {}).status_code == 404
    assert not UpwardReport.objects.exists()
    # A period of another cycle, or not yet begun, is no page.
    assert login(people.office).get(page_url(quarter.plan, "2026-09")).status_code == 404
    assert login(people.office).get(page_url(quarter.plan, "2027-Q1")).status_code == 404


def test_a_returned_report_is_offered_to_edit_and_send_again(login, quarter):
    people = quarter.world.people
    q1 = upward_report_prepare(
        actor=people.office, plan=quarter.plan, period=parse_period("2026-Q1", "quarterly")
    )
    sent = upward.upward_send(actor=people.office, upward=q1)
    upward_report_return(actor=people.upper, report=sent, reason="Thiếu minh chứng")
    text = login(people.office).get(list_url(quarter.plan)).content.decode()
    returned_row = text[text.index('data-period="2026-Q1"') :]
    returned_row = returned_row[: returned_row.index("</tr>")]
    assert "Sửa và gửi lại" in returned_row and "Soạn báo cáo" not in returned_row
    q2_row = text[text.index('data-period="2026-Q2"') :]
    assert "Sửa và gửi lại" not in q2_row[: q2_row.index("</tr>")]


def test_the_plan_page_names_its_two_report_buttons_apart(login, quarter):
    text = login(quarter.world.people.office).get(quarter.plan.get_absolute_url()).content.decode()
    assert f'href="{reverse("export_report", args=[quarter.plan.pk])}">Xuất báo cáo</a>' in text
    upward_link = f'href="{list_url(quarter.plan)}">Báo cáo định kỳ gửi cấp trên</a>'
    assert upward_link in text
    assert ">Báo cáo định kỳ</a>" not in text


def test_the_report_as_sent_numbers_only_the_plans_sections(login, quarter):
    people = quarter.world.people
    report = upward_report_prepare(
        actor=people.office, plan=quarter.plan, period=parse_period(PERIOD, "quarterly")
    )
    sent = upward.upward_send(actor=people.office, upward=report)
    codes = [section["code"] for section in sent.payload["sections"]]
    assert "intro" in codes  # the schema names the prose for machines
    text = login(people.office).get(page_url(quarter.plan)).content.decode()
    shown = text[text.index("Báo cáo đã gửi") :]
    assert ">Mở đầu</h3>" in shown and ">Kiến nghị, đề xuất</h3>" in shown
    for code in ("intro.", "summary.", "indicators.", "proposals."):
        assert code not in shown


def test_the_prose_codes_the_pages_hide_are_those_the_payload_gives():
    from theodoi.reporting.upward import UPWARD_PROSE_CODES

    assert {key for key, _title in upward.PROSE_PARTS} == UPWARD_PROSE_CODES
