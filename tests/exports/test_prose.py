"""The report's sections as prose: what the units wrote in the period, by section and by unit,
with the numbers that say something and the indicators against this year's milestone. Pure
functions on plain data first, then the Word file made through the export service."""

import datetime
import io
from decimal import Decimal

import docx
import pytest

from theodoi.exports import report, services
from theodoi.plans.periods import Period

D = datetime.date
Q3 = Period("quarterly", 2026, 3)
VHXH = "Phòng Văn hóa - Xã hội"
POLICE = "Công an phường"
OFFICE = "Văn phòng HĐND và UBND"


def task(id, code, title, state, units=(VHXH,), *, section=1, progress=0, **extra):
    return report.TaskRow(
        id=id,
        code=code,
        title=title,
        section_id=section,
        parent_id=None,
        lead_units=tuple(units),
        coordinating_units=(),
        output="",
        deadline_text="",
        due=None,
        progress=progress,
        state=state,
        **extra,
    )


def facts(task_id, period, percent, unit="", **texts):
    return report.ReportFacts(task_id, period, percent, unit=unit, **texts)


PLAN = report.PlanFacts(
    id=1,
    number="110/KH-UBND",
    title="Thực hiện Nghị quyết số 57-NQ/TW",
    issuer="UBND phường Lê Chân",
    issuer_kind=report.PEOPLES_COMMITTEE,
    issued_on=D(2026, 3, 25),
    ward="Phường Lê Chân",
    province="Thành phố Hải Phòng",
)

# Appendix of plan 110/KH-UBND: five tasks of three units, a quarter of their reports.
TASKS = (
    task(1, "5", "Tổ chức hội nghị quán triệt Nghị quyết 57", "done_on_time", progress=100),
    task(2, "7", "Đào tạo kỹ năng số cho người dân", "open_overdue", progress=60),
    task(3, "2", "Kết nối cơ sở dữ liệu dùng chung", "open_not_due", (OFFICE,), progress=60),
    task(4, "8", "Bảo đảm an toàn an ninh mạng", "open_not_due", (POLICE,), progress=30),
    task(5, "9", "Số hóa hồ sơ hộ tịch", "done_late", (OFFICE,), progress=100),
)
REPORTS = (
    facts(1, "2026-08", 100, VHXH, result="Đã tổ chức 4 hội nghị quán triệt Nghị quyết 57."),
    # Weekly reports in the quarter: the latest result, every distinct difficulty and proposal.
    facts(
        2,
        "2026-W30",
        40,
        VHXH,
        result="Đã đào tạo cho 800 người dân",
        difficulties="Thiếu máy tính tại điểm sinh hoạt cộng đồng",
        proposals="Đề nghị bổ sung 20 máy tính cho Tổ công nghệ số cộng đồng",
    ),
    facts(
        2,
        "2026-W38",
        60,
        VHXH,
        result="Đã đào tạo kỹ năng số cho 1.250 người dân",
        difficulties="Người cao tuổi khó tiếp cận",
        proposals="Đề nghị bổ sung 20 máy tính cho Tổ công nghệ số cộng đồng",
    ),
    facts(3, "2026-Q3", 60, OFFICE, result="Đã kết nối 3/5 cơ sở dữ liệu dùng chung"),
    facts(5, "2026-07", 100, OFFICE, result="Đã số hóa 12.400 hồ sơ hộ tịch"),
    # The police reported in the second quarter and after the third: nothing in this one.
    facts(4, "2026-Q2", 10, POLICE, result="Đã rà soát hệ thống"),
    facts(4, "2026-Q4", 50, POLICE, result="Đã rà soát 12 cơ quan"),
)
SECTION = report.SectionResult(
    "PL",
    "PHỤ LỤC: NHIỆM VỤ TRIỂN KHAI NGHỊ QUYẾT 57",
    TASKS,
    tuple(report.state_counts(TASKS)),
    70,
    section_id=1,
)


@pytest.mark.parametrize(
    ("code", "title", "heading"),
    [
        ("PL", "PHỤ LỤC: NHIỆM VỤ CHUYỂN ĐỔI SỐ", "PHỤ LỤC: NHIỆM VỤ CHUYỂN ĐỔI SỐ"),
        ("PL2", "Phụ lục II: Chỉ tiêu", "Phụ lục II: Chỉ tiêu"),
        ("PL.1", "PL. PHỤ LỤC: NHIỆM VỤ", "PHỤ LỤC: NHIỆM VỤ"),
        ("I", "Nâng cao nhận thức", "I. Nâng cao nhận thức"),
        ("", "Nhiệm vụ khác", "Nhiệm vụ khác"),
        ("PLAN", "Kế hoạch con", "PLAN. Kế hoạch con"),
    ],
)
def test_headings_drop_the_importers_appendix_mark(code, title, heading):
    assert report.section_heading(code, title) == heading
    section = report.SectionResult(code, title, (), (), 0)
    assert section.heading == heading


def test_each_unit_says_what_it_did_its_difficulties_and_proposals():
    text = report.section_prose(SECTION, REPORTS, Q3)
    lines = text.splitlines()
    assert lines[0] == (
        "Nhóm có 5 nhiệm vụ: đã hoàn thành 2/5 nhiệm vụ, trong đó 1 quá hạn; 1 nhiệm vụ chưa "
        "hoàn thành đã quá hạn."
    )
    assert lines[1] == (
        "Phòng Văn hóa - Xã hội (đã hoàn thành đúng hạn 1/2 nhiệm vụ; 1 nhiệm vụ chưa hoàn "
        "thành đã quá hạn): đã tổ chức 4 hội nghị quán triệt Nghị quyết 57 (nhiệm vụ 5, đã hoàn "
        "thành); đã đào tạo kỹ năng số cho 1.250 người dân (nhiệm vụ 7, tiến độ 60%). "
        "Khó khăn: người cao tuổi khó tiếp cận (nhiệm vụ 7); thiếu máy tính tại điểm sinh hoạt "
        "cộng đồng (nhiệm vụ 7). "
        "Đề xuất: đề nghị bổ sung 20 máy tính cho Tổ công nghệ số cộng đồng (nhiệm vụ 7)."
    )
    assert lines[2] == (
        "Văn phòng HĐND và UBND (đã hoàn thành 1/2 nhiệm vụ nhưng quá hạn): đã kết nối 3/5 cơ "
        "sở dữ liệu dùng chung (nhiệm vụ 2, tiến độ 60%); đã số hóa 12.400 hồ sơ hộ tịch "
        "(nhiệm vụ 9, đã hoàn thành)."
    )
    # The police wrote nothing in the quarter: not listed as having done anything.
    assert lines[3] == "Chưa báo cáo kết quả trong kỳ: Công an phường (nhiệm vụ 8)."
    assert "rà soát" not in text
    assert len(lines) == 4


def test_numbers_that_say_nothing_are_left_out():
    tasks = (
        task(1, "1.1", "Tuyên truyền", "open_not_due"),
        task(2, "1.2", "Khảo sát", "open_not_due", (POLICE,)),
    )
    section = report.SectionResult("I", "Nhận thức", tasks, tuple(report.state_counts(tasks)), 0)
    text = report.section_prose(
        section, [facts(1, "2026-09", 30, VHXH, result="Đã treo 20 băng rôn")], Q3
    )
    assert text.splitlines() == [
        "Phòng Văn hóa - Xã hội: đã treo 20 băng rôn (nhiệm vụ 1.1, tiến độ 30%).",
        "Chưa báo cáo kết quả trong kỳ: Công an phường (nhiệm vụ 1.2).",
    ]
    assert "0 " not in text.replace("30%", "").replace("20 ", "")


def test_a_report_without_a_result_and_an_open_task_left_silent_are_said_plainly():
    tasks = (
        task(1, "3.1", "Lắp camera", "open_not_due", (POLICE,)),
        task(2, "3.2", "Bảo trì máy chủ", "open_overdue", (POLICE,)),
        task(3, "3.3", "Kết nối mạng", "done_on_time", (POLICE,), progress=100),
    )
    section = report.SectionResult("III", "Hạ tầng", tasks, tuple(report.state_counts(tasks)), 0)
    text = report.section_prose(section, [facts(1, "2026-Q3", 20, POLICE)], Q3)
    assert text.splitlines() == [
        # The police lead all three: the section's numbers are theirs, said once.
        "Nhóm có 3 nhiệm vụ: đã hoàn thành đúng hạn 1/3 nhiệm vụ; 1 nhiệm vụ chưa hoàn thành đã "
        "quá hạn.",
        "Công an phường: nhiệm vụ 3.1 tiến độ 20%, chưa nêu kết quả cụ thể.",
        "Chưa báo cáo kết quả trong kỳ: Công an phường (nhiệm vụ 3.2; đã quá hạn).",
    ]
    assert "3.3" not in text  # done before the period: nothing more to say about it


def test_a_task_reported_at_100_percent_is_not_done_until_its_evidence_is_accepted():
    tasks = (
        task(1, "7", "Đào tạo kỹ năng số", "open_not_due", progress=100),
        task(2, "8", "Tập huấn", "open_not_due", (), progress=0),
    )
    section = report.SectionResult("PL", "PHỤ LỤC", tasks, tuple(report.state_counts(tasks)), 0)
    text = report.section_prose(
        section, [facts(1, "2026-09", 100, VHXH, result="Đã đào tạo cho 1.250 người dân")], Q3
    )
    assert text.splitlines() == [
        "Phòng Văn hóa - Xã hội: đã đào tạo cho 1.250 người dân (nhiệm vụ 7, báo cáo xong "
        "100%, minh chứng chưa được chấp nhận).",
        "Chưa báo cáo kết quả trong kỳ: chưa phân công đơn vị chủ trì (nhiệm vụ 8).",
    ]
    assert "đã hoàn thành" not in text


@pytest.mark.parametrize(
    ("row", "sentence"),
    [
        (
            dict(name="Số người dân được đào tạo kỹ năng số", unit="người", latest="1250",
                 milestone="1000", target="5000", target_year=2030, status=report.ON_TRACK),
            "Số người dân được đào tạo kỹ năng số: đạt 1.250 người (quý III/2026), lộ trình năm "
            "2026 ≥ 1.000 người: đạt lộ trình; mục tiêu năm 2030 ≥ 5.000 người.",
        ),
        (
            dict(name="Tỷ lệ hồ sơ trực tuyến toàn trình", unit="%", latest="42,5",
                 milestone="60", status=report.OFF_TRACK),
            "Tỷ lệ hồ sơ trực tuyến toàn trình: đạt 42,5% (quý III/2026), lộ trình năm 2026 ≥ "
            "60%: chưa đạt lộ trình.",
        ),
        (
            dict(name="Thời gian giải quyết hồ sơ", unit="ngày", latest=None, milestone="3",
                 comparator="<=", status=report.NO_DATA),
            "Thời gian giải quyết hồ sơ: chưa có số liệu, lộ trình năm 2026 ≤ 3 ngày.",
        ),
    ],
)  # fmt: skip
def test_an_indicator_is_its_value_against_the_years_milestone(row, sentence):
    def number(text):
        return Decimal(text.replace(",", ".")) if text is not None else None

    indicator = report.IndicatorRow(
        id=1, code="1", name=row["name"], unit_of_measure=row["unit"],
        comparator=row.get("comparator", ">="), baseline=None, baseline_year=None,
        milestone=number(row["milestone"]), milestone_year=2026, latest=number(row["latest"]),
        latest_period="2026-Q3" if row["latest"] else "", target=number(row.get("target")),
        target_year=row.get("target_year"), target_text="", lead_unit=VHXH, status=row["status"],
    )  # fmt: skip
    assert report.indicator_sentence(indicator) == sentence


def test_a_sections_indicators_are_in_its_text_and_every_section_keeps_its_code():
    indicator = report.IndicatorRow(
        id=1, code="1", name="Tỷ lệ cán bộ có chữ ký số", unit_of_measure="%", comparator=">=",
        baseline=None, baseline_year=None, milestone=Decimal(80), milestone_year=2026,
        latest=Decimal(85), latest_period="2026-Q3", target=None, target_year=None,
        target_text="", lead_unit=VHXH, status=report.ON_TRACK, section_id=1,
    )  # fmt: skip
    data = report.ReportData(
        plan=PLAN,
        period=Q3,
        as_of=D(2026, 9, 30),
        today=D(2026, 10, 5),
        sections=(report.SectionFacts(1, "PL", "PHỤ LỤC: NHIỆM VỤ"),),
        tasks=TASKS + (task(6, "10", "Sổ tay", "open_not_due", section=None),),
        indicators=(indicator,),
        reports=REPORTS,
    )
    appendix, other = report.section_texts(data)
    assert (appendix.heading, appendix.code, appendix.title) == (
        "PHỤ LỤC: NHIỆM VỤ",
        "PL",
        "PHỤ LỤC: NHIỆM VỤ",
    )
    assert appendix.text.splitlines()[-1] == (
        "Chỉ tiêu tỷ lệ cán bộ có chữ ký số: đạt 85% (quý III/2026), lộ trình năm 2026 ≥ 80%: "
        "đạt lộ trình."
    )
    assert "chữ ký số" not in other.text
    assert report.assemble(data).sections == [appendix, other]


# --- The office's edits -----------------------------------------------------------------------


def sections(*headings):
    return [report.SectionText(h, f"Văn bản tự lập của {h}") for h in headings]


def test_edits_go_back_to_their_sections_by_heading_and_none_is_lost():
    # Between the page and the background worker a section left the report and one came in.
    now = sections("I. Nhận thức", "III. Nhân lực")
    typed = ["Nhóm I: đã xong.", "Nhóm II: còn chậm."]
    edited = services.edited_sections(now, typed, ["I. Nhận thức", "II. Hạ tầng số"])
    assert [(s.heading, s.text) for s in edited] == [
        ("I. Nhận thức", "Nhóm I: đã xong."),
        ("III. Nhân lực", "Văn bản tự lập của III. Nhân lực"),
        ("II. Hạ tầng số", "Nhóm II: còn chậm."),
    ]


def test_edits_without_headings_go_by_order_and_surplus_text_is_kept():
    edited = services.edited_sections(sections("I. A"), ["Một", "Hai"], None)
    assert [(s.heading, s.text) for s in edited] == [("I. A", "Một"), ("", "Hai")]
    content = report.assemble(
        report.ReportData(PLAN, Q3, D(2026, 9, 30), D(2026, 10, 5), (), (), ())
    )
    assert services.apply_edits(content, {"sections": ["Chỉ một đoạn."]}).sections == [
        report.SectionText("", "Chỉ một đoạn.")
    ]


# --- Through the export service ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_word_report_made_through_the_page_says_what_the_units_wrote(client, quarter):
    from django.urls import reverse

    from theodoi.exports.models import ReportExport

    office = quarter.world.people.office
    client.force_login(office)
    url = reverse("export_report", args=[quarter.plan.pk]) + "?period=2026-Q3"
    initial = client.get(url).context["form"].initial
    data = {key: value for key, value in initial.items() if value is not None}
    assert "đã tổ chức 2 lớp (nhiệm vụ 1.2, tiến độ 40%)" in data["section_0"]
    data.update(
        {
            "date": "2026-10-12",
            "format": "docx",
            "section_1": data["section_1"] + "\nVăn phòng bổ sung: camera lắp trong quý IV.",
        }
    )
    posted = client.post(url, data)
    assert posted.status_code == 302
    export = ReportExport.objects.get()
    assert export.status == ReportExport.Status.READY
    assert export.edits["section_headings"] == ["I. Nâng cao nhận thức", "II. Hạ tầng số",
                                                "Nhiệm vụ khác"]  # fmt: skip
    download = client.get(reverse("export_download", args=[export.pk]))
    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    paragraphs = [p.text for p in document.paragraphs]
    heading = paragraphs.index("II. Hạ tầng số")
    assert paragraphs[heading + 1].startswith("Nhóm có 2 nhiệm vụ: đã hoàn thành 1/2")
    assert "Văn phòng bổ sung: camera lắp trong quý IV." in paragraphs[heading + 1 : heading + 5]
    text = "\n".join(paragraphs)
    assert "Khó khăn: thiếu kinh phí thuê giảng viên (nhiệm vụ 1.2)." in text
    assert "Chưa báo cáo kết quả trong kỳ: Phòng Văn hóa - Xã hội (nhiệm vụ 3)." in text
