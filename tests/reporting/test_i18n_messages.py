"""The reporting messages follow the interface language: English under "en", the former
Vietnamese text under "vi"."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from theodoi.reporting import services
from theodoi.reporting.models import ProgressReport

NOT_A_PDF = SimpleUploadedFile("virus.pdf", b"MZ" + b"\0" * 64)


def _post(client, task, **extra):
    data = {
        "period": "2026-Q4",
        "percent": "100",
        "result": "Đã xong",
        "kind": "signed_document",
        "document_date": "2026-11-20",
        **extra,
    }
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post(reverse("report_submit", args=[task.pk]), data, follow=True)


def test_the_report_forms_refusal_of_a_file_is_english_on_an_english_page(client, world):
    client.force_login(world.people.officer)
    page = _post(client, world.task_vhxh, evidence=[NOT_A_PDF]).content.decode()
    assert "The file «virus.pdf» is not a kind accepted as evidence" in page
    assert "Excel (.xlsx, .xls), JPEG, PNG, GIF, WebP images." in page
    assert "không phải loại được nhận" not in page
    assert not ProgressReport.objects.exists()


def test_the_saved_report_names_its_period_in_english_on_an_english_page(client, world):
    client.force_login(world.people.officer)
    page = _post(client, world.task_vhxh).content.decode()
    assert "Report for Quarter IV/2026 saved (100%)" in page
    # The period menu of the report form too; the deadline as the plan wrote it stays.
    assert '<option value="2026-Q4" selected>Quarter IV/2026</option>' in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Quarter I/2099 has not started yet: only a period that has begun is reported."),
        ("vi", "Chưa đến kỳ Quý I/2099: chỉ báo cáo kỳ đã bắt đầu."),
    ],
)
def test_a_report_for_a_future_period_is_refused_in_the_interface_language(
    world, language, expected
):
    with translation.override(language), pytest.raises(services.ReportingError) as caught:
        services.report_submit(
            actor=world.people.officer, task=world.task_vhxh, period="2099-Q1", percent=10
        )
    assert str(caught.value) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Write why the report is returned, so that the unit knows what to correct."),
        ("vi", "Hãy ghi lý do trả lại báo cáo để đơn vị biết cần sửa gì."),
    ],
)
def test_a_return_without_reason_is_refused_in_the_interface_language(world, language, expected):
    report = services.report_submit(
        actor=world.people.officer, task=world.task_vhxh, period="2026-Q4", percent=50
    )
    with translation.override(language), pytest.raises(services.ReportingError) as caught:
        services.report_return(actor=world.people.office, report=report, reason=" ")
    assert str(caught.value) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Value must be a number (for example 85 or 85,5)."),
        ("vi", "Giá trị phải là số (ví dụ 85 hoặc 85,5)."),
    ],
)
def test_a_number_error_names_its_field_in_the_interface_language(language, expected):
    with translation.override(language), pytest.raises(services.ReportingError) as caught:
        services._decimal("many", translation.gettext("Value"))
    assert str(caught.value) == expected


def test_stale_and_empty_messages_follow_the_language():
    with translation.override("en"):
        assert str(services.StaleVersion()).startswith("Someone else has just updated this report")
        assert str(services.EmptyText()) == "Enter the content before sending it."
    with translation.override("vi"):
        assert str(services.StaleVersion()).startswith("Báo cáo vừa được người khác cập nhật.")
        assert str(services.EmptyText()) == "Hãy nhập nội dung trước khi gửi."
