"""The Excel tables in the appendix's column order, and the zip package of the evidence they
cite with its SHA-256 manifest."""

import csv
import hashlib
import io
import zipfile

import openpyxl
from django.core.files.storage import default_storage

from tests.exports.conftest import AS_OF, PERIOD, pdf_bytes, selector_counts
from tests.factories import TaskFactory
from theodoi.audit.actions import AuditAction
from theodoi.audit.models import AuditEvent
from theodoi.core.clock import today
from theodoi.exports import bundle, report, selectors, services
from theodoi.exports.xlsx import write_xlsx
from theodoi.plans.selectors import tasks_for_user
from theodoi.tracking import services as services_tracking

TASK_HEADER = [
    "STT",
    "Nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Sản phẩm",
    "Thời hạn",
    "Tiến độ (%)",
    "Tình trạng",
    "Hạn hoàn thành",
    "Ngày hoàn thành",
    "Kết quả trong kỳ",
    "Khó khăn, vướng mắc",
    "Minh chứng",
]


def workbook_of(user, plan):
    data = selectors.report_data(user, plan, report.parse_report_period(PERIOD), today=today())
    package = bundle.entries(data)
    blob = write_xlsx(data, evidence_names=bundle.evidence_names(package))
    return openpyxl.load_workbook(io.BytesIO(blob)), package


def test_task_sheet_has_the_appendix_columns_in_order(quarter):
    book, _package = workbook_of(quarter.world.people.office, quarter.plan)
    assert book.sheetnames == ["Tổng hợp", "Nhiệm vụ", "Chỉ tiêu"]
    sheet = book["Nhiệm vụ"]
    assert [c.value for c in sheet[1]] == TASK_HEADER
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


def test_each_task_row_has_the_selectors_state_in_vietnamese_and_its_progress(quarter):
    office = quarter.world.people.office
    book, _package = workbook_of(office, quarter.plan)
    rows = {
        row[0].value: row
        for row in book["Nhiệm vụ"].iter_rows(min_row=2)
        if row[2].value is not None or row[7].value is not None
    }
    expected = tasks_for_user(office, today=AS_OF).filter(plan=quarter.plan)
    assert sorted(rows) == sorted(t.code for t in expected)
    for task in expected:
        row = rows[task.code]
        assert row[1].value == task.title
        assert row[6].value == task.progress
        assert row[6].number_format == '0"%"'
        assert row[7].value == report.STATE_LABELS_VI[task.state]
        assert row[2].value == "; ".join(u.name for u in task.lead_units.all())
    training = rows["1.2"]
    assert training[3].value == "Công an phường"
    assert training[4].value == "100% cán bộ được bồi dưỡng"
    assert training[5].value == "Tháng 8/2026"
    assert training[7].value == "Chưa hoàn thành quá hạn"
    assert training[8].value.date().isoformat() == "2026-08-31"
    assert training[8].number_format == "dd/mm/yyyy"
    assert training[11].value == "Thiếu kinh phí thuê giảng viên"
    assert training[12].value is None  # its only file was rejected
    assert rows["1"][12].value == "minh-chung/1_Quyết định cấp chữ ký số.pdf"


def test_sections_are_merged_bold_rows_before_their_tasks(quarter):
    book, _package = workbook_of(quarter.world.people.office, quarter.plan)
    sheet = book["Nhiệm vụ"]
    assert (sheet["A2"].value, sheet["B2"].value) == ("I", "Nâng cao nhận thức")
    assert sheet["B2"].font.bold
    assert "B2:M2" in {str(r) for r in sheet.merged_cells.ranges}
    assert [sheet[f"A{r}"].value for r in range(3, 5)] == ["1", "1.2"]
    assert sheet["A5"].value == "II"
    other = [r for r in sheet.iter_rows(min_row=2) if r[1].value == "Nhiệm vụ khác"]
    assert len(other) == 1


def test_summary_sheet_has_the_state_counts_and_shares(quarter):
    office = quarter.world.people.office
    counts = selector_counts(office, quarter.plan)
    total = sum(counts.values())
    book, _package = workbook_of(office, quarter.plan)
    sheet = book["Tổng hợp"]
    rows = {r[0].value: r for r in sheet.iter_rows() if r[0].value}
    for state, label in report.STATE_LABELS_VI.items():
        assert rows[label][1].value == counts.get(state, 0)
        assert abs(rows[label][2].value - counts.get(state, 0) / total) < 1e-9
        assert rows[label][2].number_format == "0.0%"
    assert rows["Tổng số"][1].value == total
    assert rows["Kỳ báo cáo"][1].value == "Quý III/2026"


def test_indicator_sheet_has_baseline_milestone_latest_target_and_judgement(quarter):
    book, _package = workbook_of(quarter.world.people.office, quarter.plan)
    sheet = book["Chỉ tiêu"]
    header = [c.value for c in sheet[1]]
    assert header[:12] == [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Cơ sở",
        "Năm cơ sở",
        "So sánh",
        "Lộ trình năm 2026",
        "Giá trị mới nhất",
        "Kỳ số liệu",
        "Mục tiêu",
        "Năm mục tiêu",
        "Đánh giá",
    ]
    online = [c.value for c in sheet[2]]
    assert online[:12] == [
        "1",
        "Tỷ lệ hồ sơ trực tuyến",
        "%",
        40,
        2025,
        "≥",
        60,
        65,
        "Quý III/2026",  # the period in words, as the report writes it
        80,
        2030,
        "Đạt lộ trình",
    ]
    assert online[13] == "minh-chung/CT1_Thống kê hồ sơ quý III.pdf"
    assert [c.value for c in sheet[3]][11] == "Chưa đạt lộ trình"
    assert [c.value for c in sheet[4]][11] == "Chưa có số liệu"
    assert sheet.freeze_panes == "A2"


def _zip_of(user, plan):
    export = services.report_export(
        actor=user, plan=plan, period=report.parse_report_period(PERIOD), fmt="zip", today=today()
    )
    with export.file:
        return zipfile.ZipFile(io.BytesIO(export.file.read()))


def test_zip_holds_the_tables_and_the_cited_evidence_under_task_codes(quarter):
    archive = _zip_of(quarter.world.people.office, quarter.plan)
    names = archive.namelist()
    xlsx_name = f"bao-cao-{report.slug(quarter.plan.number)}-2026-q3.xlsx"
    assert sorted(names) == sorted(
        [
            xlsx_name,
            "minh-chung/1_Quyết định cấp chữ ký số.pdf",
            "minh-chung/2_Biên bản nghiệm thu.pdf",
            "minh-chung/CT1_Thống kê hồ sơ quý III.pdf",
            "minh-chung.csv",
            "SHA256SUMS",
        ]
    )
    assert archive.read("minh-chung/1_Quyết định cấp chữ ký số.pdf") == pdf_bytes("signatures")
    # The rejected and the unreviewed file of task 1.2 are not sent upward, nor the file of a
    # later quarter's value.
    assert not any("Danh sách học viên" in name for name in names)
    assert not any("Ảnh lớp" in name for name in names)
    assert not any("quý IV" in name for name in names)
    openpyxl.load_workbook(io.BytesIO(archive.read(xlsx_name)))


def test_zip_manifest_lists_a_correct_sha256_of_every_file(quarter):
    archive = _zip_of(quarter.world.people.office, quarter.plan)
    lines = archive.read("SHA256SUMS").decode().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert set(listed) == set(archive.namelist()) - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    assert listed["minh-chung/2_Biên bản nghiệm thu.pdf"] == quarter.evidence.late.sha256
    index = list(csv.reader(io.StringIO(archive.read("minh-chung.csv").decode("utf-8-sig"))))
    assert index[0][:3] == ["Mã nhiệm vụ, chỉ tiêu", "Nhiệm vụ, chỉ tiêu", "Tệp trong gói"]
    row = next(r for r in index if r[0] == "1")
    assert row[2:4] == ["minh-chung/1_Quyết định cấp chữ ký số.pdf", "Quyết định cấp chữ ký số.pdf"]
    assert row[6:8] == ["Hợp lệ", quarter.evidence.accepted.sha256]
    indicator_row = next(r for r in index if r[0] == "CT1")
    assert indicator_row[1] == "Tỷ lệ hồ sơ trực tuyến (Quý III/2026)"
    assert indicator_row[6] == "Hợp lệ"
    assert {r[6] for r in index[1:] if r[2]} == {"Hợp lệ"}


def test_zip_sends_only_accepted_evidence_and_its_index_says_how_many_stayed_behind(quarter):
    office = quarter.world.people.office
    archive = _zip_of(office, quarter.plan)
    index = list(csv.reader(io.StringIO(archive.read("minh-chung.csv").decode("utf-8-sig"))))
    # Task 1.2 has one rejected and one unreviewed file; the fourth quarter's file is of a value
    # the third quarter's report does not show, so it is not counted.
    assert index[-1][1] == "Ghi chú"
    assert index[-1][8] == (
        "Không đưa vào gói 2 tệp minh chứng chưa được chấp nhận: 1 tệp chưa thẩm định, "
        "1 tệp không hợp lệ. Gói chỉ gồm minh chứng đã được thẩm định hợp lệ."
    )
    sent = {r[2] for r in index[1:-1]}
    assert sent == {n for n in archive.namelist() if n.startswith("minh-chung/")}
    assert len(sent) == 3

    # Once the office accepts the photo it travels, and one file stays behind.
    services_tracking.evidence_review(
        actor=office, evidence=quarter.evidence.unreviewed, decision="accept"
    )
    archive = _zip_of(office, quarter.plan)
    assert "minh-chung/1.2_Ảnh lớp bồi dưỡng.pdf" in archive.namelist()
    index = list(csv.reader(io.StringIO(archive.read("minh-chung.csv").decode("utf-8-sig"))))
    assert index[-1][8].startswith("Không đưa vào gói 1 tệp minh chứng chưa được chấp nhận: 1 tệp")
    assert "không hợp lệ" in index[-1][8] and "chưa thẩm định" not in index[-1][8]
    audit = AuditEvent.objects.filter(action=AuditAction.REPORT_EXPORT).latest("id")
    assert audit.after["left_out"] == {"not_reviewed": 0, "rejected": 1}


def test_zip_names_a_file_whose_bytes_changed_or_went_missing(quarter):
    late = quarter.evidence.late
    default_storage.delete(late.file.name)
    archive = _zip_of(quarter.world.people.office, quarter.plan)
    assert "minh-chung/2_Biên bản nghiệm thu.pdf" not in archive.namelist()
    index = archive.read("minh-chung.csv").decode("utf-8-sig")
    assert "Tệp không còn trong kho lưu trữ" in index


def test_two_files_of_one_task_with_one_name_both_travel():
    rows = [
        report.EvidenceRow(i, 1, "Biên bản.pdf", "0" * 64, 10, f"evidence/{i}", "accepted")
        for i in (1, 2)
    ]
    task = report.TaskRow(1, "1/2", "T", None, None, (), (), "", "", None, 0, "open_not_due")
    data = report.ReportData(
        plan=None, period=None, as_of=None, today=None, sections=(), tasks=(task,),
        indicators=(), evidence=tuple(rows),
    )  # fmt: skip
    names = [entry.arcname for entry in bundle.entries(data)]
    assert names == ["minh-chung/1-2_Biên bản.pdf", "minh-chung/1-2_Biên bản (2).pdf"]


def test_reading_the_data_takes_the_same_queries_for_five_tasks_or_thirty(
    quarter, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = quarter.world.people.office
    period = report.parse_report_period(PERIOD)
    with CaptureQueriesContext(connection) as few:
        selectors.report_data(office, quarter.plan, period, today=today())
    for _ in range(25):
        TaskFactory(plan=quarter.plan, lead_units=[quarter.world.vhxh, quarter.world.police])
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = selectors.report_data(office, quarter.plan, period, today=today())
    assert len(data.tasks) == 30


def test_units_are_listed_in_the_plans_order_the_lead_first(quarter):
    world = quarter.world
    assert world.police.pk > world.vhxh.pk  # neither the ids' nor the names' order
    TaskFactory(
        plan=quarter.plan,
        code="9",
        order=9,
        lead_units=[world.police, world.vhxh],
        coordinating_units=[world.police, world.vhxh],
    )
    book, _package = workbook_of(world.people.office, quarter.plan)
    (row,) = [r for r in book["Nhiệm vụ"].iter_rows(min_row=2) if r[0].value == "9"]
    assert row[2].value == "Công an phường; Phòng Văn hóa - Xã hội"
    assert row[3].value == "Công an phường; Phòng Văn hóa - Xã hội"
