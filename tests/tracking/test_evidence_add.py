"""Evidence as its own object: added to a task at any time, each file with its own kind, number
and date, a replacement linked to the rejected file it replaces, all or nothing; and the report
form that comes back filled in when the report cannot be taken."""

import datetime
import hashlib
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import TaskFactory
from theodoi.audit.models import AuditEvent
from theodoi.reporting import selectors as reporting_selectors
from theodoi.reporting import services as reporting
from theodoi.reporting.models import Evidence, ProgressReport, evidence_path
from theodoi.reporting.replacement import replacement_refusal
from theodoi.tracking import services
from theodoi.tracking.services import EvidenceFile, Upload

PDF = b"%PDF-1.4\n% theodoi\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
OTHER_PDF = PDF + b"% minutes\n"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def _path(settings, data: bytes) -> Path:
    name = evidence_path(None, "", digest=hashlib.sha256(data).hexdigest())
    return Path(settings.MEDIA_ROOT) / name


def _rejected_photo(world, task=None):
    photo = services.evidence_upload(
        actor=world.people.officer,
        name="anh-hoi-nghi.png",
        data=PNG,
        task=task or world.task_vhxh,
        kind="photo",
    )
    services.evidence_review(
        actor=world.people.office,
        evidence=photo,
        decision="reject",
        reason="Đề nghị bổ sung biên bản có chữ ký",
    )
    return photo


def _add(world, *files, task=None):
    return services.evidence_add(
        actor=world.people.officer, task=task or world.task_vhxh, files=list(files)
    )


# --- The rule -------------------------------------------------------------------------------


def test_the_replacement_rule_names_what_to_do():
    assert (
        replacement_refusal(
            same_subject=True, withdrawn=False, latest_decision="rejected", name="a.png"
        )
        is None
    )
    other = replacement_refusal(
        same_subject=False, withdrawn=False, latest_decision="rejected", name="a.png"
    )
    assert "nhiệm vụ khác" in other and "«a.png»" in other
    assert "đã bị rút" in replacement_refusal(
        same_subject=True, withdrawn=True, latest_decision="rejected", name="a.png"
    )
    for decision in (None, "accepted"):
        refusal = replacement_refusal(
            same_subject=True, withdrawn=False, latest_decision=decision, name="a.png"
        )
        assert "chưa bị" in refusal and "minh chứng mới" in refusal


# --- The service ----------------------------------------------------------------------------


def test_each_file_keeps_its_own_kind_number_and_date_and_the_replacement_is_linked(world):
    photo = _rejected_photo(world)
    minutes, picture = _add(
        world,
        EvidenceFile(
            upload=Upload("bien-ban.pdf", PDF),
            kind="signed_document",
            document_number="05/BB-VHXH",
            document_date=datetime.date(2026, 11, 20),
            description="Biên bản hội nghị có chữ ký",
            replaces=photo,
        ),
        EvidenceFile(upload=Upload("anh.png", PNG), kind="photo"),
    )
    assert (minutes.kind, minutes.document_number, minutes.document_date) == (
        "signed_document",
        "05/BB-VHXH",
        datetime.date(2026, 11, 20),
    )
    assert (picture.kind, picture.document_number, picture.document_date) == ("photo", "", None)
    assert minutes.replaces == photo and list(photo.replacements.all()) == [minutes]
    assert minutes.report is None
    upload = AuditEvent.objects.filter(action="evidence.upload", object_id=str(minutes.pk)).get()
    assert upload.after["replaces_id"] == photo.pk and "anh-hoi-nghi.png" in upload.summary


@pytest.mark.parametrize("case", ["other task", "accepted", "waiting", "withdrawn"])
def test_only_a_rejected_file_of_the_same_task_is_replaced(world, settings, case):
    if case == "other task":
        task = TaskFactory(plan=world.plan_a, title="Nhiệm vụ khác", lead_units=[world.vhxh])
        old = _rejected_photo(world, task=task)
    else:
        old = services.evidence_upload(
            actor=world.people.officer, name="a.png", data=PNG, task=world.task_vhxh
        )
        if case == "accepted":
            services.evidence_review(actor=world.people.office, evidence=old, decision="accept")
        elif case == "withdrawn":
            services.evidence_review(
                actor=world.people.office, evidence=old, decision="reject", reason="Mờ"
            )
            Evidence.objects.filter(pk=old.pk).update(withdrawn=True)
            old.refresh_from_db()
    before = AuditEvent.objects.count()
    with pytest.raises(services.ReportingError):
        _add(world, EvidenceFile(upload=Upload("b.pdf", OTHER_PDF), replaces=old))
    assert not Evidence.objects.filter(replaces=old).exists()
    assert AuditEvent.objects.count() == before
    assert not _path(settings, OTHER_PDF).exists()


def test_a_decision_changed_while_the_file_was_stored_is_caught_when_recording(world, monkeypatch):
    """The check is made again under the replaced file's lock: accepted meanwhile, refused."""
    photo = _rejected_photo(world)
    real = reporting.evidence_record

    def accepted_meanwhile(**kwargs):
        services.evidence_review(actor=world.people.office, evidence=photo, decision="accept")
        return real(**kwargs)

    monkeypatch.setattr(reporting, "evidence_record", accepted_meanwhile)
    with pytest.raises(services.ReportingError, match="chưa bị"):
        _add(world, EvidenceFile(upload=Upload("b.pdf", OTHER_PDF), replaces=photo))
    assert not photo.replacements.exists()


def test_all_or_nothing_a_refused_second_file_keeps_nothing(world, settings):
    before = AuditEvent.objects.count()
    with pytest.raises(services.ReportingError):
        _add(
            world,
            EvidenceFile(upload=Upload("a.pdf", PDF)),
            EvidenceFile(upload=Upload("virus.exe", b"MZ\x90\x00 not evidence")),
        )
    assert not Evidence.objects.exists() and AuditEvent.objects.count() == before
    assert not _path(settings, PDF).exists()  # stored first, removed again


def test_all_or_nothing_a_failing_second_record_rolls_back_and_removes_files(
    world, settings, monkeypatch
):
    real = reporting.evidence_record
    calls = []

    def second_fails(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database gone")
        return real(**kwargs)

    monkeypatch.setattr(reporting, "evidence_record", second_fails)
    with pytest.raises(RuntimeError):
        _add(world, EvidenceFile(upload=Upload("a.pdf", PDF)), EvidenceFile(Upload("b.png", PNG)))
    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(action="evidence.upload").exists()
    assert not _path(settings, PDF).exists() and not _path(settings, PNG).exists()


def test_adding_evidence_runs_the_progress_chain(world):
    services.report_submit(
        actor=world.people.officer, task=world.task_vhxh, period="2026-Q4", percent=100
    )
    (minutes,) = _add(world, EvidenceFile(upload=Upload("bien-ban.pdf", PDF)))
    services.evidence_review(actor=world.people.office, evidence=minutes, decision="accept")
    world.task_vhxh.refresh_from_db()
    assert world.task_vhxh.completed_on is not None


def test_someone_of_another_unit_may_not_add(world):
    with pytest.raises(PermissionDenied):
        services.evidence_add(
            actor=world.people.police_officer,
            task=world.task_vhxh,
            files=[EvidenceFile(upload=Upload("a.pdf", PDF))],
        )
    assert not Evidence.objects.exists()


# --- The chain and what waits for the unit --------------------------------------------------


def test_the_chain_reads_both_ways_and_the_unit_sees_what_to_act_on(world):
    photo = _rejected_photo(world)
    assert [f.pk for f in reporting_selectors.to_act(world.people.officer).rejected] == [photo.pk]
    (minutes,) = _add(world, EvidenceFile(upload=Upload("bien-ban.pdf", PDF), replaces=photo))
    files = [photo, minutes]
    reporting_selectors.attach_chains(files)
    assert photo.replacement_list == [minutes] and photo.earlier_versions == []
    assert minutes.earlier_versions == [photo] and minutes.replacement_list == []
    # Replaced: no longer waiting for the unit; the police officer never saw it.
    assert reporting_selectors.to_act(world.people.officer).rejected == []
    assert not reporting_selectors.to_act(world.people.police_officer)


def test_to_act_lists_returned_reports_and_unanswered_directives(world):
    report = services.report_submit(
        actor=world.people.officer, task=world.task_vhxh, period="2026-Q4", percent=40
    )
    services.report_return(actor=world.people.office, report=report, reason="Thiếu số liệu")
    services.directive_create(actor=world.people.leader, task=world.task_vhxh, text="Đẩy nhanh")
    waiting = reporting_selectors.to_act(world.people.officer)
    assert [r.pk for r in waiting.returned] == [report.pk]
    assert [d.text for d in waiting.directives] == ["Đẩy nhanh"] and waiting.count == 2


# --- The pages ------------------------------------------------------------------------------


def _rows(*rows, prefix="files"):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def _accepted_quarter(world):
    report = services.report_submit(
        actor=world.people.officer,
        task=world.task_vhxh,
        period="2026-Q4",
        percent=100,
        result="Đã xong",
    )
    services.report_accept(actor=world.people.office, report=report)
    return report


def test_adding_a_replacement_after_the_quarters_report_was_accepted(client, world):
    _accepted_quarter(world)
    photo = _rejected_photo(world)
    client.force_login(world.people.officer)
    url = reverse("evidence_add", args=[world.task_vhxh.pk])
    page = client.get(url + f"?replaces={photo.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{photo.pk}" selected>' in html and "data-evidence-input" in html
    assert "Thêm minh chứng" in html
    response = client.post(
        url,
        _rows(
            {
                "file": SimpleUploadedFile("bien-ban.pdf", PDF),
                "kind": "signed_document",
                "document_number": "05/BB",
                "document_date": "2026-11-20",
                "replaces": str(photo.pk),
            },
            {"file": SimpleUploadedFile("anh-moi.png", PNG), "kind": "photo"},
            {"kind": "other"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    minutes = Evidence.objects.get(original_name="bien-ban.pdf")
    assert minutes.replaces == photo and minutes.document_number == "05/BB"
    assert Evidence.objects.get(original_name="anh-moi.png").kind == "photo"
    task_page = client.get(world.task_vhxh.get_absolute_url()).content.decode()
    assert "Thay thế cho" in task_page and "Đề nghị bổ sung biên bản có chữ ký" in task_page


def test_a_refused_evidence_page_comes_back_filled_in(client, world):
    client.force_login(world.people.officer)
    response = client.post(
        reverse("evidence_add", args=[world.task_vhxh.pk]),
        _rows(
            {
                "file": SimpleUploadedFile("chuong-trinh.exe", b"MZ\x90\x00"),
                "kind": "signed_document",
                "document_number": "07/QĐ",
                "document_date": "2026-11-02",
                "description": "Quyết định đã ký",
            }
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="07/QĐ"' in html and 'value="2026-11-02"' in html
    assert 'value="Quyết định đã ký"' in html
    assert '<option value="signed_document" selected>' in html
    assert "«chuong-trinh.exe»" in html  # which file to choose again
    assert not Evidence.objects.exists()


def test_a_row_with_text_but_no_file_is_refused_not_dropped(client, world):
    client.force_login(world.people.officer)
    response = client.post(
        reverse("evidence_add", args=[world.task_vhxh.pk]),
        _rows({"document_number": "09/BC"}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Chọn tệp cho dòng này" in html and 'value="09/BC"' in html


def test_the_page_is_refused_to_another_unit(client, world):
    client.force_login(world.people.police_officer)
    assert client.get(reverse("evidence_add", args=[world.task_vhxh.pk])).status_code == 403


def test_a_report_for_an_accepted_period_comes_back_filled_in_with_what_to_do(client, world):
    _accepted_quarter(world)
    client.force_login(world.people.officer)
    response = client.post(
        reverse("report_submit", args=[world.task_vhxh.pk]),
        {
            "period": "2026-Q4",
            "percent": "100",
            "result": "Bổ sung biên bản",
            "difficulties": "Chờ chữ ký",
            "proposals": "Xin gia hạn",
            **_rows(
                {
                    "file": SimpleUploadedFile("bien-ban.pdf", PDF),
                    "kind": "signed_document",
                    "document_number": "05/BB",
                    "document_date": "2026-11-20",
                    "description": "Biên bản có chữ ký",
                }
            ),
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response["HX-Retarget"] == "body"
    html = response.content.decode()
    for typed in (
        "Bổ sung biên bản",
        "Chờ chữ ký",
        "Xin gia hạn",
        'value="05/BB"',
        'value="2026-11-20"',
        'value="Biên bản có chữ ký"',
    ):
        assert typed in html
    assert "đã được cơ quan thường trực chấp nhận" in html
    assert reverse("evidence_add", args=[world.task_vhxh.pk]) in html
    assert "«bien-ban.pdf»" in html
    assert not Evidence.objects.exists()
    assert ProgressReport.objects.get().result == "Đã xong"


def test_the_report_form_gives_each_file_its_own_kind(client, world):
    client.force_login(world.people.officer)
    response = client.post(
        reverse("report_submit", args=[world.task_vhxh.pk]),
        {
            "period": "2026-Q4",
            "percent": "80",
            "result": "Đã họp",
            **_rows(
                {"file": SimpleUploadedFile("anh.png", PNG), "kind": "photo"},
                {
                    "file": SimpleUploadedFile("bien-ban.pdf", PDF),
                    "kind": "signed_document",
                    "document_number": "05/BB",
                },
            ),
        },
    )
    assert response.status_code == 302
    kinds = dict(Evidence.objects.values_list("original_name", "kind"))
    assert kinds == {"anh.png": "photo", "bien-ban.pdf": "signed_document"}
    assert Evidence.objects.get(kind="photo").document_number == ""


def test_the_officers_landing_page_shows_what_to_act_on(client, world):
    photo = _rejected_photo(world)
    client.force_login(world.people.officer)
    html = client.get(reverse("my_tasks")).content.decode()
    assert "Cần xử lý" in html and "Đề nghị bổ sung biên bản có chữ ký" in html
    assert reverse("evidence_add", args=[world.task_vhxh.pk]) + f"?replaces={photo.pk}" in html


def test_a_refused_directive_answer_comes_back_as_typed(client, world):
    from theodoi.core.inputs import TEXT_MAX

    directive = services.directive_create(
        actor=world.people.leader, task=world.task_vhxh, text="Báo cáo tiến độ"
    )
    client.force_login(world.people.officer)
    typed = "Đã triển khai " + "x" * TEXT_MAX
    response = client.post(
        reverse("directive_answer", args=[world.task_vhxh.pk, directive.pk]), {"answer": typed}
    )
    assert response.status_code == 200
    assert typed in response.content.decode() and "quá giới hạn" in response.content.decode()
    directive.refresh_from_db()
    assert directive.answer == ""
