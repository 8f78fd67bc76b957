"""The report page and downloads: the office edits and downloads, leaders download what the
data says, unit roles get 403, another ward 404; each download is in the audit trail."""

import io
import zipfile

import docx
import openpyxl
import pytest
from django.urls import reverse

from tests.exports.conftest import PERIOD, selector_counts
from theodoi.audit.models import AuditEvent
from theodoi.exports import pdf
from theodoi.exports.models import ReportExport


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def page(plan, period=PERIOD):
    return reverse("export_report", args=[plan.pk]) + f"?period={period}"


def file_url(plan, fmt, period=PERIOD):
    return reverse("export_report_file", args=[plan.pk, fmt]) + f"?period={period}"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def download_when_ready(client, posted):
    """The export's page the POST leads to, then the file it offers once made."""
    assert posted.status_code == 302
    status = client.get(posted["Location"])
    assert status.status_code == 200
    export = status.context["export"]
    download = reverse("export_download", args=[export.pk])
    assert download in status.content.decode(), "the page offers the file"
    return client.get(download)


def test_office_sees_the_assembled_report_in_editable_fields(login, quarter):
    office = quarter.world.people.office
    response = login(office).get(page(quarter.plan))
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.fields["subject"].disabled
    assert form.initial["subject"].endswith("quý III/2026")
    assert [f.label for f in form.section_fields()] == [
        "I. Nâng cao nhận thức",
        "II. Hạ tầng số",
        "Nhiệm vụ khác",
    ]
    counts = selector_counts(office, quarter.plan)
    shown = {row.state: row.count for row in response.context["content"].state_table}
    assert shown == {state: counts.get(state, 0) for state in shown}
    html = response.content.decode()
    assert 'name="section_0"' in html and 'name="recipients"' in html
    assert "Thiếu kinh phí thuê giảng viên" in html
    assert file_url(quarter.plan, "xlsx") in html
    assert file_url(quarter.plan, "zip") in html


def test_office_downloads_the_edited_word_report(login, quarter):
    client = login(quarter.world.people.office)
    initial = client.get(page(quarter.plan)).context["form"].initial
    data = {key: value for key, value in initial.items() if value is not None}
    data.update(
        {
            "date": "2026-10-12",
            "number": "27/BC-UBND",
            "section_1": "Nhóm hạ tầng: đã khảo sát xong vị trí camera.",
            "proposals": "- Đề nghị UBND tỉnh hỗ trợ kinh phí.",
            "format": "docx",
        }
    )
    # Made by the background worker (run on the spot in tests): the page follows the export,
    # then offers the file.
    response = download_when_ready(client, client.post(page(quarter.plan), data))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(body(response)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Nhóm hạ tầng: đã khảo sát xong vị trí camera." in text
    assert "- Đề nghị UBND tỉnh hỗ trợ kinh phí." in text
    number, place = document.tables[0].rows[1].cells
    assert number.text == "Số: 27/BC-UBND"
    assert place.text == "Phường An Bình, ngày 12 tháng 10 năm 2026"
    event = AuditEvent.objects.get(action="report.export")
    assert event.actor == quarter.world.people.office
    assert event.after == {"format": "docx", "period": PERIOD, "tasks": 5, "edited": True}


def test_a_form_with_an_empty_required_field_comes_back_with_the_text_kept(login, quarter):
    client = login(quarter.world.people.office)
    initial = client.get(page(quarter.plan)).context["form"].initial
    data = {key: value for key, value in initial.items() if value is not None}
    data.update({"date": "2026-10-12", "subject": "", "format": "docx", "intro": "Giữ lại"})
    response = client.post(page(quarter.plan), data)
    assert response.status_code == 400
    assert "subject" in response.context["form"].errors
    assert "Giữ lại" in response.content.decode()
    assert not AuditEvent.objects.filter(action="report.export").exists()


@pytest.mark.parametrize("date", ["0001-01-01", "2101-01-01"])
def test_a_report_date_outside_the_range_comes_back_with_a_message(login, quarter, date):
    client = login(quarter.world.people.office)
    initial = client.get(page(quarter.plan)).context["form"].initial
    data = {key: value for key, value in initial.items() if value is not None}
    data.update({"date": date, "format": "docx"})
    response = client.post(page(quarter.plan), data)
    assert response.status_code == 400
    assert response.context["form"].errors["date"] == [
        "Ngày phải nằm trong khoảng 01/01/2000 đến 31/12/2100. Hãy kiểm tra lại ngày, tháng, năm."
    ]
    assert not AuditEvent.objects.filter(action="report.export").exists()


def test_pdf_download_or_the_message_when_libreoffice_is_missing(login, quarter, monkeypatch):
    client = login(quarter.world.people.office)
    made = pdf.available()
    if made:
        response = client.get(file_url(quarter.plan, "pdf"))
        assert response.status_code == 200
        assert body(response).startswith(b"%PDF")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    html = client.get(page(quarter.plan)).content.decode()
    assert str(pdf.UNAVAILABLE) in html
    assert 'value="pdf"' not in html  # no PDF button to press
    if made:
        # The PDF already made from the same data is still handed out without LibreOffice.
        assert body(client.get(file_url(quarter.plan, "pdf"))).startswith(b"%PDF")
        ReportExport.objects.all().delete()
    response = client.get(file_url(quarter.plan, "pdf"))
    assert response.status_code == 503
    assert str(pdf.UNAVAILABLE) in response.content.decode()


def test_leader_reads_the_page_and_downloads_but_cannot_post_edits(login, quarter):
    client = login(quarter.world.people.leader)
    response = client.get(page(quarter.plan))
    assert response.status_code == 200
    assert response.context["form"].fields["subject"].disabled
    assert 'value="docx"' not in response.content.decode()
    word = client.get(file_url(quarter.plan, "docx"))
    assert word.status_code == 200
    assert "Kế hoạch có 5 nhiệm vụ." in "\n".join(
        p.text for p in docx.Document(io.BytesIO(body(word))).paragraphs
    )
    excel = client.get(file_url(quarter.plan, "xlsx"))
    assert openpyxl.load_workbook(io.BytesIO(body(excel))).sheetnames[:2] == [
        "Tổng hợp",
        "Nhiệm vụ",
    ]
    package = client.get(file_url(quarter.plan, "zip"))
    assert "SHA256SUMS" in zipfile.ZipFile(io.BytesIO(body(package))).namelist()
    assert client.post(page(quarter.plan), {"format": "docx"}).status_code == 403
    assert (
        AuditEvent.objects.filter(action="report.export", actor=quarter.world.people.leader).count()
        == 3
    )


@pytest.mark.parametrize("persona", ["officer", "head", "police_officer", "ward_admin"])
def test_unit_roles_and_others_of_the_ward_get_403(login, quarter, persona):
    client = login(getattr(quarter.world.people, persona))
    assert client.get(page(quarter.plan)).status_code == 403
    for fmt in ("docx", "xlsx", "zip"):
        assert client.get(file_url(quarter.plan, fmt)).status_code == 403
    assert client.post(page(quarter.plan), {"format": "docx"}).status_code == 403


def test_another_ward_gets_404(login, quarter):
    client = login(quarter.world.people.other_ward)
    assert client.get(page(quarter.plan)).status_code == 404
    assert client.get(file_url(quarter.plan, "zip")).status_code == 404
    assert client.post(page(quarter.plan), {"format": "docx"}).status_code == 404


def test_sign_in_is_required(client, quarter):
    response = client.get(page(quarter.plan))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_wrong_or_future_period_explains_itself(login, quarter):
    client = login(quarter.world.people.office)
    response = client.get(page(quarter.plan, "2026-W40"))
    assert response.status_code == 400
    assert "2026-Q1" in response.context["period_error"]
    response = client.get(file_url(quarter.plan, "docx", "2027-Q1"))
    assert response.status_code == 400
    assert "chưa bắt đầu" in response.content.decode()


def test_unknown_format_is_404(login, quarter):
    client = login(quarter.world.people.office)
    assert client.get(file_url(quarter.plan, "exe")).status_code == 404


def test_without_a_period_the_current_period_of_the_plans_cycle_is_shown(login, quarter):
    response = login(quarter.world.people.office).get(
        reverse("export_report", args=[quarter.plan.pk])
    )
    assert response.status_code == 200
    assert str(response.context["period"]) == "2026-Q4"


def test_the_period_is_chosen_by_its_name_newest_first_the_current_one_by_default(login, quarter):
    """The page offers the periods that have begun, in words, grouped by cycle; without a
    period in the address the current quarter is chosen. Codes stay the values sent."""
    client = login(quarter.world.people.office)
    response = client.get(reverse("export_report", args=[quarter.plan.pk]))
    choices = dict(response.context["period_choices"])
    quarters = choices["Hằng quý"]
    assert quarters[:3] == [
        ("2026-Q4", "Quý IV/2026"),
        ("2026-Q3", "Quý III/2026"),
        ("2026-Q2", "Quý II/2026"),
    ]
    assert quarters[-1] == ("2026-Q1", "Quý I/2026")  # the plan starts on 1/1/2026
    assert choices["Hằng tháng"][0] == ("2026-10", "Tháng 10/2026")
    assert "2026-11" not in dict(choices["Hằng tháng"])  # not begun on 10/10
    page_text = response.content.decode()
    assert '<option value="2026-Q4" selected>Quý IV/2026</option>' in page_text
    assert "2026-Q1, 6" not in page_text  # no longer asks to type codes


def test_the_chosen_period_comes_back_selected(login, quarter):
    client = login(quarter.world.people.office)
    page_text = client.get(page(quarter.plan, "2026-H1")).content.decode()
    assert '<option value="2026-H1" selected>6 tháng đầu năm 2026</option>' in page_text
    # A period asked by its code that the list does not offer is kept, named in words.
    refused = client.get(page(quarter.plan, "2027-Q1"))
    assert refused.status_code == 400
    assert '<option value="2027-Q1" selected>Quý I/2027</option>' in refused.content.decode()
