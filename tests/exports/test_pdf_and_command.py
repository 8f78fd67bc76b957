"""PDF through LibreOffice when the server has it (and a clear message when it has not), and
``theodoi export_report`` writing each format."""

import io
import zipfile
from io import StringIO

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.exports.conftest import PERIOD
from theodoi.audit.models import AuditEvent
from theodoi.core.clock import today
from theodoi.exports import pdf, report, services

NO_LIBREOFFICE = "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF; hãy tải bản Word."
NO_SOFFICE = "LibreOffice is not installed (Debian: apt-get install libreoffice-writer)"


@pytest.fixture
def without_libreoffice(monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)


def test_pdf_of_the_report_when_libreoffice_is_installed(quarter):
    if not pdf.available():
        pytest.skip(NO_SOFFICE)
    export = services.report_export(
        actor=quarter.world.people.office,
        plan=quarter.plan,
        period=report.parse_report_period(PERIOD),
        fmt="pdf",
        today=today(),
    )
    data = export.file.read()
    assert data.startswith(b"%PDF")
    assert export.name.endswith("-2026-q3.pdf")
    assert export.content_type == "application/pdf"


def test_without_libreoffice_the_pdf_says_to_download_word(quarter, without_libreoffice):
    assert not pdf.available()
    with pytest.raises(pdf.PdfUnavailable) as raised:
        services.report_export(
            actor=quarter.world.people.office,
            plan=quarter.plan,
            period=report.parse_report_period(PERIOD),
            fmt="pdf",
            today=today(),
        )
    assert str(raised.value) == NO_LIBREOFFICE
    assert not AuditEvent.objects.filter(action="report.export").exists()


def test_a_failed_conversion_is_reported_not_hidden(monkeypatch, tmp_path):
    failing = tmp_path / "soffice"
    failing.write_text("#!/bin/sh\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: str(failing))
    with pytest.raises(pdf.PdfError, match="không chuyển được"):
        pdf.docx_to_pdf(b"PK not really a document")


def run(*args) -> str:
    out = StringIO()
    call_command("export_report", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "zip", "pdf"])
def test_command_writes_each_format(quarter, tmp_path, fmt):
    if fmt == "pdf" and not pdf.available():
        pytest.skip(NO_SOFFICE)
    target = tmp_path / f"report.{fmt}"
    output = run(
        "--plan", str(quarter.plan.pk), "--period", PERIOD, "--format", fmt, "--output", str(target)
    )
    assert f"Đã ghi {target}" in output and "Quý III/2026" in output
    data = target.read_bytes()
    if fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        assert "Kế hoạch có 5 nhiệm vụ." in text
    elif fmt == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == [
            "Tổng hợp",
            "Nhiệm vụ",
            "Chỉ tiêu",
        ]
    elif fmt == "zip":
        assert "SHA256SUMS" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    else:
        assert data.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="report.export")
    assert event.actor is None and event.object_id == str(quarter.plan.pk)
    assert event.after["format"] == fmt and event.after["period"] == PERIOD


def test_command_names_the_file_itself_in_a_folder(quarter, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    run(
        "--plan",
        str(quarter.plan.pk),
        "--period",
        "2026",
        "--format",
        "xlsx",
        "--output",
        str(folder),
    )
    [written] = list(folder.iterdir())
    assert written.name == f"bao-cao-{report.slug(quarter.plan.number)}-2026.xlsx"


def test_command_without_libreoffice_says_so(quarter, tmp_path, without_libreoffice):
    with pytest.raises(CommandError, match="chưa cài LibreOffice"):
        run(
            "--plan", str(quarter.plan.pk), "--period", PERIOD, "--format", "pdf",
            "--output", str(tmp_path / "r.pdf"),
        )  # fmt: skip
    assert not (tmp_path / "r.pdf").exists()


def test_command_refuses_a_wrong_period_an_unknown_plan_and_a_user_of_another_ward(
    quarter, tmp_path
):
    out = str(tmp_path / "r.docx")
    plan = str(quarter.plan.pk)
    with pytest.raises(CommandError, match="2026-Q1"):
        run("--plan", plan, "--period", "2026-W14", "--format", "docx", "--output", out)
    with pytest.raises(CommandError, match="Không có kế hoạch"):
        run("--plan", "999999", "--period", PERIOD, "--format", "docx", "--output", out)
    with pytest.raises(CommandError, match="Không có kế hoạch"):
        run(
            "--plan",
            plan,
            "--period",
            PERIOD,
            "--format",
            "docx",
            "--output",
            out,
            "--user",
            "charlie",
        )
    with pytest.raises(CommandError, match="không được tải"):
        run(
            "--plan",
            plan,
            "--period",
            PERIOD,
            "--format",
            "docx",
            "--output",
            out,
            "--user",
            "alice",
        )
    with pytest.raises(CommandError, match="chưa bắt đầu"):
        run("--plan", plan, "--period", "2027", "--format", "docx", "--output", out)


def test_command_as_a_leader_records_who_exported(quarter, tmp_path):
    run(
        "--plan", str(quarter.plan.pk), "--period", PERIOD, "--format", "docx",
        "--output", str(tmp_path / "r.docx"), "--user", "lan",
    )  # fmt: skip
    assert AuditEvent.objects.get(action="report.export").actor == quarter.world.people.leader
