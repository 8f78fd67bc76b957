"""The PDF messages and the export command's output go through gettext."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from theodoi.exports import pdf


def test_the_pdf_messages_follow_the_active_language():
    with translation.override("en"):
        assert str(pdf.UNAVAILABLE).startswith("LibreOffice is not installed on the server")
        assert str(pdf.PdfError(pdf.FAILED)).startswith("LibreOffice could not convert")
    with translation.override("vi"):
        assert str(pdf.UNAVAILABLE) == (
            "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF; hãy tải bản Word."
        )
        assert str(pdf.FAILED) == (
            "LibreOffice không chuyển được báo cáo sang PDF; hãy tải bản Word."
        )


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "No plan number 999999."), ("vi", "Không có kế hoạch số 999999.")],
)
def test_the_command_speaks_the_active_language(db, tmp_path, language, expected):
    with translation.override(language), pytest.raises(CommandError) as raised:
        call_command(
            "export_report",
            "--plan=999999",
            "--period=2026-Q3",
            "--format=docx",
            f"--output={tmp_path}",
        )
    assert str(raised.value) == expected
