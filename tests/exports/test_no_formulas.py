"""Every workbook and CSV file the system writes keeps people's text as text: a task title, a
report, a unit's or a file's name starting with "=", "+" or "@" never becomes a formula that a
spreadsheet program runs (``=HYPERLINK(...)`` would send a click anywhere), and reads as written.
"""

import csv
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.exports.conftest import PERIOD
from theodoi.assessment import excel
from theodoi.assessment import services as assessment
from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record
from theodoi.core.access import SYSTEM
from theodoi.core.spreadsheet import FORMULA_STARTS
from theodoi.plans.models import Indicator, Task
from theodoi.reporting.models import Evidence, ProgressReport

LINK = '=HYPERLINK("http://x","bấm")'
PLUS = "+1"
AT = "@SUM(A1)"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan_report(quarter, client):
    tasks = quarter.tasks
    Task.objects.filter(pk=tasks.training.pk).update(title=LINK)
    Task.objects.filter(pk=tasks.signatures.pk).update(title=PLUS)
    ProgressReport.objects.filter(task=tasks.training).update(result=AT, difficulties=LINK)
    Indicator.objects.filter(pk=quarter.indicators.online.pk).update(name=AT)
    Evidence.objects.filter(pk=quarter.evidence.accepted.pk).update(original_name="=1+1.pdf")
    client.force_login(quarter.world.people.office)

    def get(fmt):
        url = reverse("export_report_file", args=[quarter.plan.pk, fmt])
        response = client.get(url, {"period": PERIOD})
        assert response.status_code == 200
        return b"".join(response.streaming_content) if response.streaming else response.content

    package = zipfile.ZipFile(io.BytesIO(get("zip")))
    (inner,) = [n for n in package.namelist() if n.endswith(".xlsx")]
    files = {
        "plan report.xlsx": get("xlsx"),
        "package/" + inner: package.read(inner),
        "package/minh-chung.csv": package.read("minh-chung.csv"),
    }
    return files, [LINK, PLUS, AT, "=1+1.pdf"]


def _audit_csv(quarter, client):
    world = quarter.world
    world.ward_a.name = PLUS + " phường"
    world.ward_a.save()
    audit_record(
        actor=SYSTEM,
        action=AuditAction.TASK_UPDATE,
        obj=world.plan_a,
        organization=world.ward_a,
        summary=LINK,
    )
    client.force_login(world.people.ward_admin)
    response = client.get(reverse("audit_export"))
    assert response.status_code == 200
    return {"audit.csv": b"".join(response.streaming_content)}, [LINK, PLUS + " phường"]


def _framework_xlsx(quarter, client):
    row = assessment.framework_adopt_default(
        actor=quarter.world.people.office, ward=quarter.world.ward_a, year=2026
    )
    parsed = row.parsed
    group = parsed.groups[0]
    criterion = replace(group.criteria[0], name=PLUS, guidance=AT)
    framework = replace(
        parsed,
        description=LINK,
        groups=(
            replace(group, name=LINK, criteria=(criterion, *group.criteria[1:])),
            *parsed.groups[1:],
        ),
    )
    blob = excel.framework_to_xlsx(framework)
    # Our own importer reads it back unchanged: the texts were not rewritten to make them safe.
    assert excel.framework_from_xlsx(blob) == framework
    return {"framework.xlsx": blob}, [LINK, PLUS, AT]


def _assessment_results_xlsx(quarter, client):
    world = quarter.world
    office = world.people.office
    world.vhxh.name, world.police.name = LINK, AT
    world.vhxh.save()
    world.police.save()
    row = assessment.framework_adopt_default(actor=office, ward=world.ward_a, year=2026)
    campaign = assessment.campaign_open(
        actor=office, framework=row, units=[world.vhxh, world.police], name="Tự đánh giá"
    )
    client.force_login(world.people.leader)
    response = client.get(reverse("assessment_results_export", args=[campaign.pk, "xlsx"]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return {"results.xlsx": response.content}, [LINK, AT]


EXPORTS = [_plan_report, _audit_csv, _framework_xlsx, _assessment_results_xlsx]


def _workbook_texts(name, blob):
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        for member in archive.namelist():
            if member.startswith("xl/worksheets/"):
                # A formula is an <f> element, whatever the reading program makes of it.
                assert not re.search(rb"<(\w+:)?f[ >]", archive.read(member)), (name, member)
    texts = []
    for sheet in load_workbook(io.BytesIO(blob)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (name, sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def _csv_texts(name, blob):
    texts = []
    for row in csv.reader(io.StringIO(blob.decode("utf-8-sig"))):
        for field in row:
            assert not field.startswith(FORMULA_STARTS), (name, field)
            # OWASP's rule: a leading apostrophe, which the spreadsheet program does not show.
            texts.append(field.removeprefix("'"))
    return texts


@pytest.mark.parametrize("export", EXPORTS, ids=lambda export: export.__name__.strip("_"))
def test_no_cell_of_any_export_is_a_formula_and_the_text_is_intact(quarter, client, export):
    files, injected = export(quarter, client)
    texts = []
    for name, blob in files.items():
        if name.endswith(".csv"):
            texts += _csv_texts(name, blob)
        else:
            texts += _workbook_texts(name, blob)
    for text in injected:
        assert any(value == text or value.startswith(text + ";") for value in texts), text


def test_every_writer_goes_through_the_shared_helper():
    """A module that writes a workbook or a CSV file puts its cells through
    ``theodoi.core.spreadsheet``; writing them directly would let a formula through again."""
    root = Path(__file__).resolve().parents[2] / "theodoi"
    writers = []
    for path in root.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        name = str(path.relative_to(root))
        if name == "core/spreadsheet.py":
            continue
        if "Workbook(" in source:
            writers.append(name)
            assert "from theodoi.core.spreadsheet import" in source, name
            assert not re.search(r"\.cell\([^)]*value=", source), name
            assert not re.search(r"\.value\s*=[^=]", source), name
            assert not re.search(r"\b(sheet|ws|worksheet|summary|detail)\w*\.append\(", source), (
                name
            )
        if "csv.writer(" in source:
            writers.append(name)
            assert "csv_row" in source, name
    assert {"exports/xlsx.py", "exports/bundle.py", "audit/views.py"} <= set(writers)
