"""The reporting pages: the unit's report form with files, the review queue, evidence files
served only to those who may see them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from theodoi.alerts.models import Alert
from theodoi.audit.models import AuditEvent
from theodoi.reporting import services
from theodoi.reporting.models import Evidence, ProgressReport

PDF = b"%PDF-1.4\n% theodoi\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def post_report(client, task, headers=None, follow=False, **extra):
    data = {
        "period": "2026-Q4",
        "percent": "100",
        "result": "Đã xong",
        "kind": "signed_document",
        "document_number": "12/BC-VHXH",
        "document_date": "2026-11-20",
    }
    data.update(extra)
    return client.post(
        reverse("report_submit", args=[task.pk]), data, follow=follow, headers=headers or {}
    )


def test_officer_reports_with_evidence_from_the_task_page(as_user, world):
    client = as_user(world.people.officer)
    response = post_report(
        client,
        world.task_vhxh,
        evidence=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF + b"2")],
    )
    assert response.status_code == 302 and response.url.endswith("#reports")
    report = ProgressReport.objects.get(task=world.task_vhxh)
    assert report.percent == 100 and report.unit == world.vhxh
    files = Evidence.objects.filter(task=world.task_vhxh)
    assert files.count() == 2 and {f.report_id for f in files} == {report.pk}
    assert files.first().document_number == "12/BC-VHXH"


def test_htmx_report_answers_with_a_redirect_header(as_user, world):
    client = as_user(world.people.officer)
    response = post_report(client, world.task_vhxh, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == world.task_vhxh.get_absolute_url()


def test_bad_report_input_gets_a_message_not_an_error(as_user, world):
    client = as_user(world.people.officer)
    response = post_report(client, world.task_vhxh, percent="abc", follow=True)
    assert response.status_code == 200
    assert "0 đến 100" in response.content.decode()
    # Nothing was saved: the message must not claim the report was.
    assert "đã được lưu" not in response.content.decode()
    response = post_report(
        client,
        world.task_vhxh,
        evidence=[SimpleUploadedFile("virus.pdf", b"MZ" + b"\0" * 64)],
        follow=True,
    )
    page = response.content.decode()
    assert "không phải loại được nhận" in page
    # A report and its files are saved together or not at all: a refused file
    # leaves no half report, and the form comes back with what was typed, so nobody types
    # the report again; only the files are chosen again.
    assert "đã được lưu" not in page
    assert "Chưa có gì được lưu; hãy chọn lại tệp trước khi gửi." in page
    assert "Đã xong" in page and "12/BC-VHXH" in page
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


def test_saved_report_message_names_the_period_as_people_say_it(as_user, world):
    client = as_user(world.people.officer)
    response = post_report(client, world.task_vhxh, follow=True)
    page = response.content.decode()
    assert "Đã lưu báo cáo kỳ Quý IV/2026 (100%)" in page
    assert "2026-Q4 (" not in page


def test_report_form_refused_for_another_unit_and_another_ward(as_user, world):
    assert post_report(as_user(world.people.police_officer), world.task_vhxh).status_code == 403
    assert post_report(as_user(world.people.other_ward), world.task_vhxh).status_code == 404
    assert not ProgressReport.objects.exists()


def test_task_page_shows_the_form_to_the_lead_unit_only(as_user, world):
    page = as_user(world.people.officer).get(world.task_vhxh.get_absolute_url())
    assert page.context["can_report"] and 'name="files-0-file"' in page.content.decode()
    page = as_user(world.people.police_officer).get(world.task_vhxh.get_absolute_url())
    assert not page.context["can_report"] and 'name="files-0-file"' not in page.content.decode()


def _evidence(world):
    return services.evidence_upload(
        actor=world.people.officer, name="bao-cao.pdf", data=PDF, task=world.task_vhxh
    )


def test_evidence_file_is_a_download_for_those_who_may_see_it(as_user, world):
    evidence = _evidence(world)
    response = as_user(world.people.leader).get(reverse("evidence_file", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="evidence.download", actor=world.people.leader).exists()
    other = as_user(world.people.other_ward).get(reverse("evidence_file", args=[evidence.pk]))
    assert other.status_code == 404


def test_inline_preview_only_for_pdf_and_images(as_user, world):
    evidence = _evidence(world)
    response = as_user(world.people.office).get(
        reverse("evidence_file", args=[evidence.pk]) + "?inline=1"
    )
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_review_queue_lists_waiting_files_and_reports_for_the_office(as_user, world):
    evidence = _evidence(world)
    services.report_submit(
        actor=world.people.officer, task=world.task_vhxh, period="2026-Q4", percent=50
    )
    page = as_user(world.people.office).get(reverse("review_queue"))
    assert page.context["evidence"] == [evidence]
    assert [r.period for r in page.context["reports"]] == ["2026-Q4"]
    assert "Quý IV/2026" in page.content.decode()
    assert as_user(world.people.officer).get(reverse("review_queue")).status_code == 403
    other = as_user(world.people.other_ward).get(reverse("review_queue"))
    assert other.context["evidence"] == []


def test_office_rejects_then_accepts_from_the_queue(as_user, world):
    evidence = _evidence(world)
    client = as_user(world.people.office)
    response = client.post(
        reverse("evidence_review", args=[evidence.pk]), {"decision": "reject"}, follow=True
    )
    assert "lý do" in response.content.decode()
    assert not evidence.reviews.exists()
    client.post(
        reverse("evidence_review", args=[evidence.pk]),
        {"decision": "reject", "reason": "Thiếu chữ ký"},
    )
    assert evidence.latest_review.decision == "rejected"
    assert Alert.objects.filter(
        task=world.task_vhxh, rule="evidence_rejected", closed_at=None
    ).exists()


def test_office_returns_a_report_with_a_reason(as_user, world):
    report = services.report_submit(
        actor=world.people.officer, task=world.task_vhxh, period="2026-Q4", percent=50
    )
    client = as_user(world.people.office)
    client.post(
        reverse("report_decide", args=[report.pk]),
        {"action": "return", "reason": "Bổ sung số liệu"},
    )
    report.refresh_from_db()
    assert report.status == "returned" and report.return_reason == "Bổ sung số liệu"
    officer = as_user(world.people.officer)
    assert (
        officer.post(reverse("report_decide", args=[report.pk]), {"action": "accept"}).status_code
        == 403
    )


def test_open_alerts_on_the_units_page_and_the_leaders_page(as_user, world, settings):
    settings.THEODOI_TODAY = "2027-01-15"  # task_vhxh was due 31/12/2026
    from theodoi.alerts.services import evaluate_task

    evaluate_task(world.task_vhxh)
    unit_page = as_user(world.people.officer).get(reverse("my_tasks"))
    # A short summary: how many tasks need action and the most urgent, not every alert.
    assert unit_page.context["alert_summary"].needing_action == 1
    assert [a.task for a in unit_page.context["alert_summary"].top] == [world.task_vhxh]
    assert "Quá hạn" in unit_page.content.decode()
    leader_page = as_user(world.people.leader).get(reverse("plan_list"))
    assert leader_page.context["alert_summary"].needing_action >= 1
    other = as_user(world.people.other_ward).get(reverse("plan_list"))
    assert other.context["alert_summary"].needing_action == 0
