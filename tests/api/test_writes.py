"""Writes through the services: reports, evidence files and their review, indicator values;
with the services' rights (403) and scope (404), and bad input as a Vietnamese 400."""

import datetime
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.api.helpers import BASE, PDF, client_for, post_json
from theodoi.audit.models import AuditEvent
from theodoi.plans.models import Indicator, IndicatorValue, Task
from theodoi.reporting.models import Evidence, EvidenceReview, ProgressReport

FORBIDDEN = "Vai trò của bạn không được làm việc này."
REPORT = {"period": "2026-Q4", "percent": 60, "result": "Đã cấp 40 chữ ký số"}


def _upload(client: Client, task: Task, data: bytes = PDF, name: str = "bao-cao.pdf", **form):
    fields = {"file": SimpleUploadedFile(name, data), "kind": "signed_document", **form}
    return client.post(f"{BASE}/tasks/{task.pk}/evidence", fields)


def _media_files() -> list:
    return [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


# --- Reports ----------------------------------------------------------------------------------


def test_an_officer_reports_on_a_task_of_their_unit(world):
    client = client_for(world.people.officer)
    response = post_json(client, f"/tasks/{world.task_vhxh.pk}/reports", REPORT)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["period"] == "2026-Q4" and body["percent"] == 60
    assert body["status"] == "submitted" and body["version"] == 1
    assert body["submitted_by"]["username"] == "alice"
    report = ProgressReport.objects.get(pk=body["id"])
    assert report.result == "Đã cấp 40 chữ ký số"
    detail = client.get(f"{BASE}/tasks/{world.task_vhxh.pk}").json()
    assert detail["progress"] == 60
    assert [r["id"] for r in detail["reports"]] == [report.pk]


def test_a_correction_with_a_stale_version_is_a_conflict(world):
    client = client_for(world.people.officer)
    url = f"/tasks/{world.task_vhxh.pk}/reports"
    assert post_json(client, url, REPORT).status_code == 201
    fixed = post_json(client, url, {**REPORT, "percent": 70, "version": 1})
    assert fixed.status_code == 201 and fixed.json()["version"] == 2
    stale = post_json(client, url, {**REPORT, "percent": 80, "version": 1})
    assert stale.status_code == 409
    assert "người khác cập nhật" in stale.json()["detail"]
    assert ProgressReport.objects.get().percent == 70


def test_an_officer_may_not_report_on_another_units_task_nor_see_another_ward(world):
    client = client_for(world.people.officer)
    forbidden = post_json(client, f"/tasks/{world.task_police.pk}/reports", REPORT)
    assert forbidden.status_code == 403 and forbidden.json() == {"detail": FORBIDDEN}
    hidden = post_json(client, f"/tasks/{world.task_b.pk}/reports", REPORT)
    assert hidden.status_code == 404
    assert not ProgressReport.objects.exists()


def test_the_leader_and_the_upper_level_may_not_report(world):
    for person in (world.people.leader, world.people.upper):
        response = post_json(client_for(person), f"/tasks/{world.task_vhxh.pk}/reports", REPORT)
        assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def test_bad_report_input_is_a_vietnamese_400_naming_the_field(world):
    client = client_for(world.people.officer)
    url = f"/tasks/{world.task_vhxh.pk}/reports"
    not_a_number = post_json(client, url, {**REPORT, "percent": "sáu mươi"})
    assert not_a_number.status_code == 400
    assert (
        not_a_number.json()["detail"] == "Dữ liệu không hợp lệ: trường «percent» phải là số nguyên."
    )
    missing = post_json(client, url, {"percent": 10})
    assert missing.status_code == 400 and "«period» bị thiếu" in missing.json()["detail"]
    too_much = post_json(client, url, {**REPORT, "percent": 150})
    assert too_much.status_code == 400 and "từ 0 đến 100" in too_much.json()["detail"]
    wrong_period = post_json(client, url, {**REPORT, "period": "2026-13"})
    assert wrong_period.status_code == 400 and "2026-Q1" in wrong_period.json()["detail"]
    nul = post_json(client, url, {**REPORT, "result": "a\x00b"})
    assert nul.status_code == 400 and "«result»" in nul.json()["detail"]
    not_json = client.post(BASE + url, "{percent: ", content_type="application/json")
    assert not_json.status_code == 400 and "JSON" in not_json.json()["detail"]
    a_list = post_json(client, url, [1, 2])
    assert a_list.status_code == 400
    assert not ProgressReport.objects.exists()


# --- Evidence ---------------------------------------------------------------------------------


def test_a_real_pdf_is_accepted_as_evidence(world):
    client = client_for(world.people.officer)
    response = _upload(
        client, world.task_vhxh, document_number="12/QĐ-UBND", document_date="2026-11-20"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "bao-cao.pdf" and body["content_type"] == "application/pdf"
    assert body["kind"] == "signed_document" and body["size"] == len(PDF)
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["document_number"] == "12/QĐ-UBND" and body["document_date"] == "2026-11-20"
    assert body["review"] is None
    download = client.get(body["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="evidence.download").count() == 1
    other = client_for(world.people.other_ward).get(body["download_url"])
    assert other.status_code == 404


def test_a_renamed_exe_is_refused_with_the_allowed_types(world):
    client = client_for(world.people.officer)
    response = _upload(client, world.task_vhxh, data=b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "bao-cao.pdf" in detail
    assert "PDF, Word (.docx, .doc), Excel (.xlsx, .xls)" in detail
    assert not Evidence.objects.exists() and _media_files() == []


def test_the_same_file_uploaded_twice_is_stored_once(world):
    client = client_for(world.people.officer)
    first = _upload(client, world.task_vhxh)
    second = _upload(client, world.task_vhxh, name="ban-sao.pdf")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert first.json()["sha256"] == second.json()["sha256"]
    assert Evidence.objects.count() == 2
    [stored] = _media_files()
    assert stored.read_bytes() == PDF


def test_evidence_rights_and_bad_form_fields(world):
    officer = client_for(world.people.officer)
    assert _upload(officer, world.task_police).status_code == 403
    assert _upload(officer, world.task_b).status_code == 404
    bad_date = _upload(officer, world.task_vhxh, document_date="20/11/2026")
    assert bad_date.status_code == 400 and "«document_date»" in bad_date.json()["detail"]
    bad_kind = _upload(officer, world.task_vhxh, kind="video")
    assert bad_kind.status_code == 400 and "«kind»" in bad_kind.json()["detail"]
    no_file = officer.post(f"{BASE}/tasks/{world.task_vhxh.pk}/evidence", {"kind": "photo"})
    assert no_file.status_code == 400 and "«file»" in no_file.json()["detail"]
    assert not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused(world, settings):
    settings.THEODOI_EVIDENCE_MAX_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    response = _upload(client_for(world.people.officer), world.task_vhxh, data=big)
    assert response.status_code == 413 and "1 MB" in response.json()["detail"]


# --- Review -----------------------------------------------------------------------------------


def test_rejection_needs_a_reason_and_only_the_office_reviews(world):
    evidence_id = _upload(client_for(world.people.officer), world.task_vhxh).json()["id"]
    url = f"/evidence/{evidence_id}/review"
    office = client_for(world.people.office)
    no_reason = post_json(office, url, {"decision": "reject", "reason": "  "})
    assert no_reason.status_code == 400 and "lý do" in no_reason.json()["detail"]
    unknown = post_json(office, url, {"decision": "maybe"})
    assert unknown.status_code == 400 and "«decision»" in unknown.json()["detail"]
    assert (
        post_json(client_for(world.people.officer), url, {"decision": "accept"}).status_code == 403
    )
    assert (
        post_json(client_for(world.people.other_ward), url, {"decision": "accept"}).status_code
        == 404
    )
    assert not EvidenceReview.objects.exists()
    rejected = post_json(office, url, {"decision": "reject", "reason": "Thiếu chữ ký"})
    assert rejected.status_code == 200
    assert rejected.json()["decision"] == "rejected" and rejected.json()["reason"] == "Thiếu chữ ký"
    assert rejected.json()["reviewer"]["username"] == "olga"


def test_acceptance_by_the_office_completes_a_task_reported_at_100_on_time(world):
    officer = client_for(world.people.officer)
    task_url = f"{BASE}/tasks/{world.task_vhxh.pk}"
    assert (
        post_json(
            officer, f"/tasks/{world.task_vhxh.pk}/reports", {**REPORT, "percent": 100}
        ).status_code
        == 201
    )
    evidence_id = _upload(officer, world.task_vhxh).json()["id"]
    assert officer.get(task_url).json()["state"] == "open_not_due"
    accepted = post_json(
        client_for(world.people.office), f"/evidence/{evidence_id}/review", {"decision": "accept"}
    )
    assert accepted.status_code == 200 and accepted.json()["decision"] == "accepted"
    detail = officer.get(task_url).json()
    assert detail["progress"] == 100 and detail["state"] == "done_on_time"
    assert detail["evidence"][0]["review"]["decision"] == "accepted"
    assert Task.objects.get(pk=world.task_vhxh.pk).completed_on == datetime.date(2026, 11, 24)


# --- Indicator values -------------------------------------------------------------------------


def _indicator(world, **fields) -> Indicator:
    return Indicator.objects.create(
        plan=world.plan_a,
        code="1",
        name="Tỷ lệ hồ sơ trực tuyến toàn trình",
        unit_of_measure="%",
        lead_unit=world.vhxh,
        target=Decimal(80),
        **fields,
    )


def test_an_indicator_value_directly_and_as_a_ratio(world):
    indicator = _indicator(world, is_ratio=True)
    client = client_for(world.people.officer)
    url = f"/indicators/{indicator.pk}/values"
    direct = post_json(client, url, {"period": "2026-Q3", "value": 72.5})
    assert direct.status_code == 201, direct.content
    assert direct.json()["value"] == 72.5 and direct.json()["numerator"] is None
    ratio = post_json(
        client, url, {"period": "2026-Q4", "numerator": 23869, "denominator": "29.888"}
    )
    assert ratio.status_code == 201
    # "29.888" is written the Vietnamese way (DESIGN.md §4): twenty-nine thousand …
    assert ratio.json()["numerator"] == 23869.0 and ratio.json()["denominator"] == 29888.0
    assert IndicatorValue.objects.get(period="2026-Q4").value == Decimal("79.8615")
    comma = post_json(client, url, {"period": "2026-Q4", "value": "85,5"})
    assert comma.status_code == 201 and comma.json()["value"] == 85.5
    assert IndicatorValue.objects.count() == 2


def test_indicator_value_rights_and_bad_input(world):
    indicator = _indicator(world)
    url = f"/indicators/{indicator.pk}/values"
    assert (
        post_json(
            client_for(world.people.police_officer), url, {"period": "2026-Q4", "value": 1}
        ).status_code
        == 403
    )
    assert (
        post_json(
            client_for(world.people.other_ward), url, {"period": "2026-Q4", "value": 1}
        ).status_code
        == 404
    )
    client = client_for(world.people.officer)
    nothing = post_json(client, url, {"period": "2026-Q4"})
    assert nothing.status_code == 400 and "tử số và mẫu số" in nothing.json()["detail"]
    half = post_json(client, url, {"period": "2026-Q4", "numerator": 5, "denominator": 0})
    assert half.status_code == 400 and "mẫu số khác 0" in half.json()["detail"]
    words = post_json(client, url, {"period": "2026-Q4", "value": "nhiều"})
    assert words.status_code == 400 and "Giá trị phải là số" in words.json()["detail"]
    assert not IndicatorValue.objects.exists()


def test_odd_input_never_ends_in_a_500(world):
    indicator = _indicator(world, is_ratio=True)
    client = client_for(world.people.officer)
    url = f"/indicators/{indicator.pk}/values"
    for body, detail in (
        ({"period": "2026-Q4", "value": "NaN"}, "Dữ liệu"),
        ({"period": "2026-Q4", "value": 1e30}, "Dữ liệu"),
        (
            {"period": "2026-Q4", "numerator": 10**11, "denominator": "0,0001"},
            "Tỷ lệ tử số/mẫu số quá lớn",
        ),
    ):
        response = post_json(client, url, body)
        assert response.status_code == 400, body
        assert response.json()["detail"].startswith(detail)
    assert not IndicatorValue.objects.exists()
    huge_id = client.get(f"{BASE}/plans/{world.plan_a.pk}/tasks", {"unit": 10**30})
    assert huge_id.status_code == 400 and "«unit»" in huge_id.json()["detail"]
    assert client.get(f"{BASE}/tasks/{10**30}").status_code == 400
    empty = client.post(BASE + "/auth/token", "", content_type="application/json")
    assert empty.json() == {"detail": "Dữ liệu không hợp lệ: nội dung bị thiếu."}
    wrong_method = client.delete(f"{BASE}/tasks/{world.task_vhxh.pk}")
    assert wrong_method.status_code == 405 and "DELETE" in wrong_method.json()["detail"]
    # A task is read (GET) and edited by the standing office (PATCH).
    assert set(wrong_method["Allow"].split(", ")) == {"GET", "PATCH"}
