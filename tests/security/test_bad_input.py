"""Bad input, still: each kind once seen to end in a 500, an outside redirect or a silently
wrong record gets a Vietnamese answer, through the API and the pages alike."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.api.helpers import BASE, PDF, client_for, post_json
from theodoi.core.inputs import DATE_MAX, DATE_MIN, TEXT_MAX, safe_next
from theodoi.plans.models import Task
from theodoi.reporting.models import Directive, Evidence, EvidenceReview, ProgressReport

REPORT = {"period": "2026-Q4", "percent": 60, "result": "Đã cấp 40 chữ ký số"}


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _evidence(world, **fields) -> Evidence:
    return Evidence.objects.create(
        task=world.task_vhxh,
        sha256="0" * 64,
        original_name="bao-cao.pdf",
        content_type="application/pdf",
        size=len(PDF),
        **fields,
    )


# --- Lone surrogates and NUL characters -------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '{"period": "2026-Q4", "percent": 60, "result": "\\ud800"}',
        '{"period": "2026-Q4", "percent": 60, "proposals": "ok \\udfff ok"}',
        # Half a pair in a key the schema ignores is refused too: nothing is half-read.
        '{"period": "2026-Q4", "percent": 60, "\\udc00": 1}',
    ],
)
def test_a_lone_surrogate_in_json_is_a_vietnamese_400(world, body):
    client = client_for(world.people.officer)
    response = client.post(
        f"{BASE}/tasks/{world.task_vhxh.pk}/reports", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "ký tự Unicode không hợp lệ" in response.json()["detail"]
    assert not ProgressReport.objects.exists()


def test_a_lone_surrogate_names_the_field(world):
    evidence = _evidence(world)
    response = client_for(world.people.office).post(
        f"{BASE}/evidence/{evidence.pk}/review",
        '{"decision": "reject", "reason": "sai \\ud83d"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "«reason»" in response.json()["detail"]
    assert not EvidenceReview.objects.exists()


def test_a_surrogate_pair_is_ordinary_text(world):
    client = client_for(world.people.officer)
    body = '{"period": "2026-Q4", "percent": 60, "result": "\\ud83d\\ude00 xong"}'
    response = client.post(
        f"{BASE}/tasks/{world.task_vhxh.pk}/reports", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert ProgressReport.objects.get().result == "😀 xong"


def test_nul_characters_typed_on_the_pages_get_a_message(client, world):
    client.force_login(world.people.officer)
    response = client.post(
        reverse("report_submit", args=[world.task_vhxh.pk]),
        {"period": "2026-Q4", "percent": "60", "result": "a\x00b"},
        follow=True,
    )
    assert response.status_code == 200
    assert any("ký tự không hợp lệ" in m for m in _messages(response))
    assert not ProgressReport.objects.exists()


def test_text_that_is_not_utf8_on_a_page_form_is_read_not_a_500(client, world):
    client.force_login(world.people.officer)
    response = client.post(
        reverse("report_submit", args=[world.task_vhxh.pk]),
        b"period=2026-Q4&percent=60&result=%FF%FE%C3",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert ProgressReport.objects.get().result == "\ufffd\ufffd\ufffd"


# --- next ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["javascript:alert(1)", "https://example.org/phishing", "//example.org/", "\\\\example.org"],
)
def test_an_outside_next_after_a_review_falls_back_to_the_queue(client, world, target):
    evidence = _evidence(world)
    client.force_login(world.people.office)
    response = client.post(
        reverse("evidence_review", args=[evidence.pk]),
        {"decision": "accept", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("review_queue")
    assert EvidenceReview.objects.get().decision == "accepted"


def test_an_outside_next_after_a_report_decision_falls_back_to_the_task(client, world):
    report = ProgressReport.objects.create(task=world.task_vhxh, period="2026-Q4", percent=50)
    client.force_login(world.people.office)
    response = client.post(
        reverse("report_decide", args=[report.pk]),
        {"action": "accept", "next": "javascript:alert(1)"},
    )
    assert response.status_code == 302
    assert response["Location"] == world.task_vhxh.get_absolute_url() + "#reports"
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.ACCEPTED


def test_a_next_on_this_site_is_followed(client, world):
    evidence = _evidence(world)
    client.force_login(world.people.office)
    target = world.task_vhxh.get_absolute_url() + "#evidence"
    response = client.post(
        reverse("evidence_review", args=[evidence.pk]), {"decision": "accept", "next": target}
    )
    assert response["Location"] == target


def test_safe_next_reads_get_and_post(rf):
    assert safe_next(rf.get("/x", {"next": "/plans/"}), "/") == "/plans/"
    assert safe_next(rf.get("/x", {"next": "http://evil.example/"}), "/") == "/"
    assert safe_next(rf.post("/x", {"next": "http://testserver/plans/"}), "/") == (
        "http://testserver/plans/"
    )
    assert safe_next(rf.post("/x", {}), "/home") == "/home"


# --- Dates --------------------------------------------------------------------------------------


def _upload(client, world, name="bao-cao.pdf", **form):
    fields = {"file": SimpleUploadedFile(name, PDF), "kind": "signed_document", **form}
    return client.post(f"{BASE}/tasks/{world.task_vhxh.pk}/evidence", fields)


@pytest.mark.parametrize("value", ["0", "1", "1700000000", "2026-1-5", "05/01/2026", "x"])
def test_a_document_date_that_is_not_a_written_date_is_refused_by_the_api(world, value):
    response = _upload(client_for(world.people.officer), world, document_date=value)
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Dữ liệu không hợp lệ: trường «document_date» phải là ngày dạng YYYY-MM-DD."
    )
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("value", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_a_document_date_outside_the_range_is_refused_by_the_api(world, value):
    response = _upload(client_for(world.people.officer), world, document_date=value)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "«document_date» phải nằm trong khoảng 01/01/2000 đến 31/12/2100" in detail
    assert not Evidence.objects.exists()


def test_the_range_ends_are_accepted(world):
    client = client_for(world.people.officer)
    first = _upload(client, world, document_date=DATE_MIN.isoformat())
    assert first.status_code == 201, first.content
    assert first.json()["document_date"] == "2000-01-01"
    last = _upload(client, world, name="b.pdf", document_date=DATE_MAX.isoformat())
    assert last.status_code == 201 and last.json()["document_date"] == "2100-12-31"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Ngày văn bản phải là một ngày hợp lệ (ngày/tháng/năm)."),
        ("0001-01-01", "Ngày văn bản phải nằm trong khoảng 01/01/2000 đến 31/12/2100."),
    ],
)
def test_a_document_date_typed_on_the_report_page_is_checked_before_saving(
    client, world, value, message
):
    client.force_login(world.people.officer)
    response = client.post(
        reverse("report_submit", args=[world.task_vhxh.pk]),
        {
            **REPORT,
            "document_date": value,
            "evidence": SimpleUploadedFile("bao-cao.pdf", PDF),
        },
        follow=True,
    )
    assert any(m.startswith(message) for m in _messages(response))
    assert not Evidence.objects.exists() and not ProgressReport.objects.exists()


def test_a_campaign_deadline_outside_the_range_is_refused(client, world):
    from theodoi.assessment.models import Campaign

    client.force_login(world.people.office)
    response = client.post(
        reverse("assessment_campaign_new"),
        {"name": "Đợt 2026", "year": "2026", "deadline": "0001-01-01", "weak_percent": "50"},
        follow=True,
    )
    assert response.status_code == 200
    assert any("01/01/2000 đến 31/12/2100" in m for m in _messages(response))
    assert not Campaign.objects.exists()


def test_the_service_refuses_an_out_of_range_date_from_any_caller(world):
    from theodoi.reporting import services

    with pytest.raises(services.ReportingError, match="Ngày văn bản phải nằm"):
        services.evidence_upload(
            actor=world.people.officer,
            name="a.pdf",
            data=PDF,
            task=world.task_vhxh,
            document_date=datetime.date(1, 1, 1),
        )


# --- Long texts ---------------------------------------------------------------------------------


def test_a_one_megabyte_report_is_refused_by_the_api(world):
    client = client_for(world.people.officer)
    response = post_json(
        client, f"/tasks/{world.task_vhxh.pk}/reports", {**REPORT, "result": "x" * 1_000_000}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Dữ liệu không hợp lệ: trường «result» dài quá 10000 ký tự."
    )
    assert not ProgressReport.objects.exists()


def test_a_report_at_the_limit_is_kept(world):
    client = client_for(world.people.officer)
    text = "x" * TEXT_MAX
    response = post_json(client, f"/tasks/{world.task_vhxh.pk}/reports", {**REPORT, "result": text})
    assert response.status_code == 201
    assert ProgressReport.objects.get().result == text


def test_a_long_report_on_the_page_gets_a_message(client, world):
    client.force_login(world.people.officer)
    response = client.post(
        reverse("report_submit", args=[world.task_vhxh.pk]),
        {**REPORT, "difficulties": "y" * (TEXT_MAX + 1)},
        follow=True,
    )
    assert any(
        m.startswith("Khó khăn, vướng mắc dài 10.001 ký tự, quá giới hạn 10.000 ký tự.")
        for m in _messages(response)
    )
    assert not ProgressReport.objects.exists()


def test_a_long_directive_gets_a_message_not_a_500(client, world):
    client.force_login(world.people.leader)
    response = client.post(
        reverse("directive_create", args=[world.task_vhxh.pk]),
        {"text": "z" * (TEXT_MAX + 1)},
        follow=True,
    )
    assert response.status_code == 200
    assert any("quá giới hạn 10.000 ký tự" in m for m in _messages(response))
    assert not Directive.objects.exists()


def test_a_long_return_reason_gets_a_message(client, world):
    report = ProgressReport.objects.create(task=world.task_vhxh, period="2026-Q4", percent=50)
    client.force_login(world.people.office)
    response = client.post(
        reverse("report_decide", args=[report.pk]),
        {"action": "return", "reason": "r" * (TEXT_MAX + 1)},
        follow=True,
    )
    assert any("Lý do trả lại dài" in m for m in _messages(response))
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED


# --- Long file names ----------------------------------------------------------------------------


def _multipart(name: str, data: bytes = PDF) -> tuple[bytes, str]:
    # Built by hand: Django's test client would cut the name to 255 characters itself.
    boundary = "theodoi-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_an_upload_named_with_five_thousand_characters_gets_a_json_answer(world):
    client = client_for(world.people.officer)
    body, content_type = _multipart("b" * 5000 + ".pdf")
    response = client.post(
        f"{BASE}/tasks/{world.task_vhxh.pk}/evidence", body, content_type=content_type
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "tên tệp quá dài" in response.json()["detail"]
    assert not Evidence.objects.exists()


def test_a_long_name_that_can_be_read_is_shortened_keeping_the_extension(world):
    client = client_for(world.people.officer)
    body, content_type = _multipart("Báo cáo " + "ư" * 300 + ".pdf")
    response = client.post(
        f"{BASE}/tasks/{world.task_vhxh.pk}/evidence", body, content_type=content_type
    )
    assert response.status_code == 201, response.content
    name = response.json()["name"]
    assert name.startswith("Báo cáo ưư") and name.endswith(".pdf") and len(name) <= 125


def test_a_page_upload_named_with_five_thousand_characters_is_a_400_page(client, world):
    client.force_login(world.people.officer)
    body, content_type = _multipart("b" * 5000 + ".pdf")
    response = client.post(
        reverse("report_submit", args=[world.task_vhxh.pk]), body, content_type=content_type
    )
    assert response.status_code == 400
    assert "hãy đổi tên tệp cho ngắn hơn" in response.content.decode()
    assert not Evidence.objects.exists() and not ProgressReport.objects.exists()


# --- Huge numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["version", "percent"])
def test_huge_integers_in_a_report_are_a_400(world, field):
    client = client_for(world.people.officer)
    body = f'{{"period": "2026-Q4", "percent": 60, "{field}": 99999999999999999999}}'
    response = client.post(
        f"{BASE}/tasks/{world.task_vhxh.pk}/reports", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert not ProgressReport.objects.exists()


def test_a_huge_version_on_the_page_is_no_500(client, world):
    client.force_login(world.people.officer)
    response = client.post(
        reverse("report_submit", args=[world.task_vhxh.pk]),
        {**REPORT, "version": "9" * 40, "percent": "9" * 40},
        follow=True,
    )
    assert response.status_code == 200
    assert any("Tỷ lệ hoàn thành" in m for m in _messages(response))
    assert Task.objects.get(pk=world.task_vhxh.pk).progress == 0


@pytest.mark.parametrize("version", ["²", "٣", "2026-Q4=²"])
def test_a_version_in_digits_other_than_ascii_is_no_500(client, world, version):
    evidence = _evidence(world)
    report = ProgressReport.objects.create(task=world.task_vhxh, period="2026-Q3", percent=5)
    client.force_login(world.people.office)
    stale = "Phiên bản của trang không hợp lệ. Hãy tải lại trang rồi thử lại."
    review = client.post(
        reverse("evidence_review", args=[evidence.pk]),
        {"decision": "accept", "version": version},
        follow=True,
    )
    assert review.status_code == 200 and stale in _messages(review)
    decide = client.post(
        reverse("report_decide", args=[report.pk]),
        {"action": "accept", "version": version},
        follow=True,
    )
    assert decide.status_code == 200 and stale in _messages(decide)
    client.force_login(world.people.officer)
    submit = client.post(
        reverse("report_submit", args=[world.task_vhxh.pk]),
        {**REPORT, "versions": f"2026-Q4={version}", "version": version},
    )
    assert submit.status_code == 200 and stale in _messages(submit)
    # Such a version is no version the page showed: the form says so and nothing
    # is done, rather than the action going through unchecked; what was typed is kept.
    assert REPORT["result"] in submit.content.decode()
    assert not evidence.reviews.exists()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    assert not ProgressReport.objects.filter(task=world.task_vhxh, period="2026-Q4").exists()


def test_a_nul_in_a_task_search_is_no_500(client, world):
    # PostgreSQL refuses a NUL even in a LIKE pattern.
    client.force_login(world.people.office)
    page = client.get(reverse("plan_detail", args=[world.plan_a.pk]), {"q": "chữ\x00ký"})
    assert page.status_code == 200
    api = client_for(world.people.office).get(
        f"{BASE}/plans/{world.plan_a.pk}/tasks", {"q": "chữ\x00ký"}
    )
    assert api.status_code == 200
    assert [t["id"] for t in api.json()["items"]] == [world.task_vhxh.pk]
