"""The checks made when a file comes in, stored with it, and what the reviewer and the uploader
see of them: a copy of a rejected file, a signature's verdict, a document number out of form,
a date outside the period, a photo's date and place. Nothing is refused because of them."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.reporting import pki
from tests.reporting.test_checks import HANOI, photo
from theodoi.reporting import checks, services
from theodoi.reporting.models import Evidence
from theodoi.reporting.selectors import attach_earlier_copies, rejected_copies
from theodoi.reporting.services import evidence_upload
from theodoi.reporting.templatetags.evidence_checks import flags_for
from theodoi.tracking import services as tracking_services


@pytest.fixture
def trusted(settings, trusted_dir):
    settings.THEODOI_TRUSTED_CA_DIR = str(trusted_dir)


def upload(world, data, name="minh-chung.pdf", **extra):
    return evidence_upload(
        actor=world.people.officer, name=name, data=data, task=world.task_vhxh, **extra
    )


def reject(world, evidence, reason="Thiếu chữ ký của lãnh đạo"):
    return tracking_services.evidence_review(
        actor=world.people.office, evidence=evidence, decision="reject", reason=reason
    )


def test_a_signed_pdf_stores_its_verdict(world, signed, trusted):
    evidence = upload(world, signed)
    evidence.refresh_from_db()
    assert evidence.checks["version"] == checks.VERSION
    [signature] = evidence.checks["signatures"]["signatures"]
    assert (signature["integrity"], signature["trust"]) == ("intact", "trusted")
    assert signature["signer"] == "Nguyễn Văn An"
    [flag] = flags_for(evidence)
    assert flag.code == "signature-valid"
    assert flag.text.startswith("Chữ ký số hợp lệ — người ký Nguyễn Văn An")


def test_an_untrusted_and_an_altered_signature_are_flagged_not_refused(world, signed, settings):
    settings.THEODOI_TRUSTED_CA_DIR = ""
    untrusted = upload(world, signed)
    altered = upload(world, pki.flip_signed_byte(signed), name="da-sua.pdf")
    assert [f.code for f in flags_for(untrusted)] == ["untrusted"]
    assert flags_for(untrusted)[0].text == "Chưa tin cậy chứng thư"
    assert "altered" in [f.code for f in flags_for(altered)]
    assert Evidence.objects.filter(task=world.task_vhxh).count() == 2


def test_the_same_bytes_as_a_rejected_file_are_flagged_with_a_link(world):
    first = upload(world, b"%PDF-1.4\n% the same bytes\n%%EOF\n", name="bao-cao.pdf")
    reject(world, first)
    again = upload(world, b"%PDF-1.4\n% the same bytes\n%%EOF\n", name="bao-cao-moi.pdf")
    [(item, copy)] = rejected_copies([again])
    assert item == again and copy.evidence == first and copy.rejected
    flag = flags_for(again)[0]
    assert flag.code == "duplicate-rejected"
    assert flag.text == "Trùng với tệp đã bị từ chối ngày 24/11/2026"
    assert flag.url == reverse("evidence_file", args=[first.pk])
    assert "Thiếu chữ ký của lãnh đạo" in flag.detail
    # The earlier file is not flagged by the later copy of itself.
    codes = [f.code for f in flags_for(Evidence.objects.get(pk=first.pk))]
    assert not {"duplicate", "duplicate-rejected"} & set(codes)


def test_a_copy_of_an_unreviewed_file_is_a_milder_flag(world):
    upload(world, b"%PDF-1.4\n% sent twice\n%%EOF\n", name="a.pdf")
    again = upload(world, b"%PDF-1.4\n% sent twice\n%%EOF\n", name="b.pdf")
    assert [f.code for f in flags_for(again)][:1] == ["duplicate"]
    assert flags_for(again)[0].level == "warning"
    assert rejected_copies([again]) == []


def test_a_review_decided_after_the_upload_changes_the_flag(world):
    first = upload(world, b"%PDF-1.4\n% later rejected\n%%EOF\n", name="a.pdf")
    again = upload(world, b"%PDF-1.4\n% later rejected\n%%EOF\n", name="b.pdf")
    reject(world, first)
    assert flags_for(Evidence.objects.get(pk=again.pk))[0].code == "duplicate-rejected"


def test_copies_in_another_ward_or_withdrawn_are_not_flagged(world):
    data = b"%PDF-1.4\n% elsewhere\n%%EOF\n"
    other = evidence_upload(
        actor=world.people.other_ward, name="x.pdf", data=data, task=world.task_b
    )
    reject(world, upload(world, b"%PDF-1.4\n% withdrawn\n%%EOF\n"))
    Evidence.objects.filter(task=world.task_vhxh).update(withdrawn=True)
    assert other.task == world.task_b
    mine = upload(world, data)
    again = upload(world, b"%PDF-1.4\n% withdrawn\n%%EOF\n")
    attach_earlier_copies([mine, again])
    assert mine.earlier_copies == [] and again.earlier_copies == []


def test_a_rejected_copy_comes_first_among_several(world):
    data = b"%PDF-1.4\n% three times\n%%EOF\n"
    rejected = upload(world, data, name="1.pdf")
    reject(world, rejected)
    upload(world, data, name="2.pdf")
    third = upload(world, data, name="3.pdf")
    attach_earlier_copies([third])
    assert len(third.earlier_copies) == 2
    assert third.earlier_copies[0].evidence == rejected


def test_number_date_and_photo_checks_are_stored_and_shown(world):
    bad = upload(
        world,
        pki.make_pdf(),
        document_number="5/BC-UBND",
        document_date=datetime.date(2025, 1, 5),
        kind="signed_document",
    )
    codes = [f.code for f in flags_for(bad)]
    assert codes == ["number-bad", "date-outside", "unsigned"]
    # A PDF not sent as a signed document is not flagged for having no signature.
    assert flags_for(upload(world, pki.make_pdf("KHAC"), name="khac.pdf")) == []
    picture = upload(world, photo(taken="2026:11:20 08:30:00", gps=HANOI), name="anh.jpg")
    [flag] = [f for f in flags_for(picture) if f.code == "photo"]
    assert flag.text == "Ảnh chụp ngày 20/11/2026 08:30 tại (21.02817, 105.85433)."


def test_the_report_period_is_the_window_of_a_report_file(world, as_user):
    task = world.task_vhxh
    client = as_user(world.people.officer)
    client.post(
        reverse("report_submit", args=[task.pk]),
        {
            "period": "2026-Q3",
            "percent": "50",
            "kind": "signed_document",
            "document_number": "15/BC-UBND",
            "document_date": "2026-06-15",
            "evidence": [SimpleUploadedFile("q3.pdf", b"%PDF-1.4\n% q3\n%%EOF\n")],
        },
    )
    evidence = Evidence.objects.get(task=task)
    assert evidence.checks["date"]["verdict"] == "before"
    assert evidence.checks["date"]["start"] == "2026-07-01"
    assert evidence.checks["number"]["verdict"] == "ok"


def test_the_review_queue_shows_the_flags(world, as_user, signed, trusted):
    data = b"%PDF-1.4\n% queue\n%%EOF\n"
    reject(world, upload(world, data, name="lan-1.pdf"))
    again = upload(world, data, name="lan-2.pdf", document_number="15-BC-UBND")
    upload(world, signed, name="ky-so.pdf")
    page = as_user(world.people.office).get(reverse("review_queue")).content.decode()
    assert "Trùng với tệp đã bị từ chối ngày 24/11/2026" in page
    assert f'href="{reverse("evidence_file", args=[again.pk - 1])}"' in page
    assert "Chữ ký số hợp lệ — người ký Nguyễn Văn An" in page
    assert "Số văn bản không đúng thể thức NĐ 30/2020" in page


def test_the_task_page_shows_the_flags(world, as_user):
    data = b"%PDF-1.4\n% task page\n%%EOF\n"
    reject(world, upload(world, data, name="lan-1.pdf"))
    upload(world, data, name="lan-2.pdf")
    page = as_user(world.people.office).get(world.task_vhxh.get_absolute_url()).content.decode()
    assert "Trùng với tệp đã bị từ chối ngày 24/11/2026" in page


def test_the_uploader_is_told_of_a_copy_of_a_rejected_file(world, as_user):
    data = b"%PDF-1.4\n% told\n%%EOF\n"
    reject(world, upload(world, data, name="lan-1.pdf"), reason="Ảnh mờ")
    response = as_user(world.people.officer).post(
        reverse("report_submit", args=[world.task_vhxh.pk]),
        {
            "period": "2026-Q4",
            "percent": "100",
            "kind": "other",
            "evidence": [SimpleUploadedFile("ten-khac.pdf", data)],
        },
        follow=True,
    )
    page = response.content.decode()
    assert "«ten-khac.pdf» trùng với tệp «lan-1.pdf» đã bị từ chối (Ảnh mờ)" in page
    assert Evidence.objects.filter(original_name="ten-khac.pdf").exists()  # sent all the same


def test_check_evidence_computes_missing_and_outdated_checks(world, signed, trusted):
    evidence = upload(world, signed, document_number="15/BC-UBND")
    stored = Evidence.objects.get(pk=evidence.pk).checks
    Evidence.objects.filter(pk=evidence.pk).update(checks={})
    out = io.StringIO()
    call_command("check_evidence", stdout=out)
    assert "1" in out.getvalue()
    assert Evidence.objects.get(pk=evidence.pk).checks == stored
    out = io.StringIO()
    call_command("check_evidence", stdout=out)  # nothing outdated now
    assert out.getvalue().startswith("Đã kiểm tra 0 tệp")
    call_command("check_evidence", "--all", stdout=io.StringIO())
    assert Evidence.objects.get(pk=evidence.pk).checks == stored


def test_check_evidence_goes_on_past_a_missing_file(world, signed, trusted):
    first = upload(world, b"%PDF-1.4\n% gone\n%%EOF\n")
    upload(world, signed)
    Evidence.objects.update(checks={})
    first.file.storage.delete(first.file.name)
    out, err = io.StringIO(), io.StringIO()
    call_command("check_evidence", stdout=out, stderr=err)
    assert "Đã kiểm tra 1 tệp; 1 tệp không đọc được." in out.getvalue()
    assert f"#{first.pk}" in err.getvalue()


def test_checks_run_before_the_transaction(world, signed, trusted, monkeypatch):
    """The signature check reads the whole PDF: it must not run inside the upload's
    transaction (SQLite's write lock). The test's own transaction is the baseline."""
    from django.db import connection

    baseline = len(connection.savepoint_ids)
    seen = []
    real = services.signatures.check_signatures

    def spy(data, **kwargs):
        seen.append(len(connection.savepoint_ids))
        return real(data, **kwargs)

    monkeypatch.setattr(services.signatures, "check_signatures", spy)
    upload(world, signed)
    assert seen == [baseline]
