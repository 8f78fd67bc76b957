"""Every exported report carries the audit chain's anchor, so a copy outside the database can
later prove that the trail was not cut or rewritten (`theodoi verify_audit --anchor`)."""

import io
import zipfile

import docx
import openpyxl
from django.core.management import call_command

from tests.exports.conftest import PERIOD
from theodoi.audit.anchor import current_anchor
from theodoi.audit.models import AuditEvent
from theodoi.core.clock import today
from theodoi.exports import report, services


def _export(quarter, fmt):
    return services.report_export(
        actor=quarter.world.people.office,
        plan=quarter.plan,
        period=report.parse_report_period(PERIOD),
        fmt=fmt,
        today=today(),
    )


def _anchor_cell(book):
    sheet = book["Tổng hợp"]
    rows = [(row[0].value, row[1].value) for row in sheet.iter_rows(max_col=2)]
    return dict(row for row in rows if row[0] == "Mốc nhật ký kiểm tra")["Mốc nhật ký kiểm tra"]


def test_word_report_ends_with_the_anchor(quarter, capsys):
    anchor = current_anchor()
    assert AuditEvent.objects.exists() and not anchor.startswith("0:")
    export = _export(quarter, "docx")
    last = docx.Document(export.file).paragraphs[-1].text
    assert last == f"Mốc nhật ký kiểm tra: {anchor}"
    # The export itself is recorded after the anchor was taken: the anchor still holds.
    call_command("verify_audit", "--anchor", anchor)
    assert "holds" in capsys.readouterr().out


def test_workbook_and_package_carry_the_anchor(quarter):
    anchor = current_anchor()
    book = openpyxl.load_workbook(_export(quarter, "xlsx").file)
    assert _anchor_cell(book) == anchor
    later = current_anchor()
    assert later != anchor  # the first export was recorded
    with zipfile.ZipFile(_export(quarter, "zip").file) as package:
        [name] = [n for n in package.namelist() if n.endswith(".xlsx")]
        book = openpyxl.load_workbook(io.BytesIO(package.read(name)))
    assert _anchor_cell(book) == later
