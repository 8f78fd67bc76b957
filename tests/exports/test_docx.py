"""The Word report: its numbers are the plan page's numbers, and it is laid out as Nghị định
30/2020 (People's Committee) or the Party's guidance (Party committee) ask."""

import io

import docx
import pytest
from docx.oxml.ns import qn

from tests.exports.conftest import AS_OF, selector_counts
from theodoi.core.clock import today
from theodoi.exports import report, selectors
from theodoi.exports.docx import write_docx
from theodoi.plans.selectors import indicators_for_plan, tasks_for_user


def build(user, plan, period="2026-Q3"):
    data = selectors.report_data(user, plan, report.parse_report_period(period), today=today())
    content = report.assemble(data)
    return data, content, docx.Document(io.BytesIO(write_docx(content)))


def body_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def cell_lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def test_state_counts_in_the_body_are_the_plan_pages_counts(quarter):
    office = quarter.world.people.office
    counts = selector_counts(office, quarter.plan)
    assert counts == {"done_on_time": 1, "done_late": 1, "open_overdue": 1, "open_not_due": 2}
    _data, _content, document = build(office, quarter.plan)
    text = body_text(document)
    total = sum(counts.values())
    assert f"Kế hoạch có {total} nhiệm vụ. Tính đến ngày 30/09/2026:" in text
    for state, label in report.STATE_LABELS_VI.items():
        count = counts.get(state, 0)
        share = report.percent_text(count, total)
        assert f"{count} nhiệm vụ {label[0].lower()}{label[1:]} ({share})" in text
    table = document.tables[1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Tình trạng", "Số nhiệm vụ", "Tỷ lệ"]
    for state, label in report.STATE_LABELS_VI.items():
        count = counts.get(state, 0)
        assert [label, str(count), report.percent_text(count, total)] in rows
    assert rows[-1] == ["Tổng số", str(total), "100%"]


def test_sections_results_overdue_reasons_and_proposals_come_from_the_reports(quarter):
    _data, _content, document = build(quarter.world.people.office, quarter.plan)
    text = body_text(document)
    # Section I: the signatures (done on time) and the training (overdue).
    assert "I. Nâng cao nhận thức" in text
    assert (
        "Nhóm có 2 nhiệm vụ: đã hoàn thành đúng hạn 1/2 nhiệm vụ; 1 nhiệm vụ chưa hoàn thành "
        "đã quá hạn." in text
    )
    # What the unit wrote, by unit, with its difficulties and proposals.
    assert (
        "Phòng Văn hóa - Xã hội: đã cấp 45 chữ ký số cho cán bộ (nhiệm vụ 1, đã hoàn thành); "
        "đã tổ chức 2 lớp (nhiệm vụ 1.2, tiến độ 40%). Khó khăn: thiếu kinh phí thuê giảng viên "
        "(nhiệm vụ 1.2). Đề xuất: đề nghị bổ sung 50 triệu đồng kinh phí bồi dưỡng (nhiệm vụ 1.2)."
        in text
    )
    assert "Công an phường: đã nâng cấp đường truyền (nhiệm vụ 2, đã hoàn thành)" in text
    assert "Nhiệm vụ khác" in text  # the handbook has no section
    # Its unit wrote nothing on it in the quarter: said so, never "done".
    assert "Chưa báo cáo kết quả trong kỳ: Phòng Văn hóa - Xã hội (nhiệm vụ 3)." in text
    assert "0 đúng hạn" not in text and "tiến độ bình quân" not in text
    overdue = [
        t.code
        for t in tasks_for_user(quarter.world.people.office, today=AS_OF).filter(
            plan=quarter.plan, state="open_overdue"
        )
    ]
    assert overdue == ["1.2"]
    assert (
        "- 1.2. Bồi dưỡng kỹ năng số cho cán bộ (đơn vị chủ trì: Phòng Văn hóa - Xã hội; "
        "thời hạn: Tháng 8/2026 (31/08/2026); tiến độ 40%). Lý do: Thiếu kinh phí thuê giảng viên."
        in text
    )
    assert "- Đề nghị bổ sung 50 triệu đồng kinh phí bồi dưỡng. (Phòng Văn hóa - Xã hội" in text
    # Due in the next quarter and not done: in "the next period".
    assert "- 3. Biên soạn sổ tay chuyển đổi số (Phòng Văn hóa - Xã hội; hạn 15/11/2026)." in text


def test_indicators_are_set_against_this_years_milestone(quarter):
    _data, _content, document = build(quarter.world.people.office, quarter.plan)
    by_code = {i.code: i for i in indicators_for_plan(quarter.plan, year=2026)}
    assert by_code["1"].milestone == 60 and by_code["2"].milestone == 100
    rows = [[c.text for c in row.cells] for row in document.tables[2].rows]
    assert rows[0] == ["STT", "Chỉ tiêu", "Lộ trình năm 2026", "Kết quả", "Đánh giá"]
    # The fourth quarter's 20% came after the period and is left out.
    assert rows[1] == ["1", "Tỷ lệ hồ sơ trực tuyến", "≥ 60%", "65%", "Đạt lộ trình"]
    assert rows[2] == ["2", "Tỷ lệ cán bộ có kỹ năng số", "≥ 100%", "70%", "Chưa đạt lộ trình"]
    assert rows[3][-1] == "Chưa có số liệu"
    text = body_text(document)
    assert (
        "Có 3 chỉ tiêu: 1 chỉ tiêu đạt lộ trình năm 2026, 1 chỉ tiêu chưa đạt, 1 chỉ tiêu chưa "
        "có số liệu." in text
    )
    assert (
        "- Tỷ lệ cán bộ có kỹ năng số: đạt 70% (quý III/2026), lộ trình năm 2026 ≥ 100%: chưa "
        "đạt lộ trình." in text
    )
    assert "- Số mô hình chuyển đổi số: chưa có số liệu, lộ trình năm 2026 ≥ 5." in text


def test_every_run_is_times_new_roman_and_the_body_is_14_pt(quarter):
    _data, _content, document = build(quarter.world.people.office, quarter.plan)
    runs = [run for p in document.paragraphs for run in p.runs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                runs += [run for p in cell.paragraphs for run in p.runs]
    assert runs
    for run in runs:
        assert run.font.name == "Times New Roman"
        fonts = run._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "Times New Roman"
        assert fonts.get(qn("w:hAnsi")) == "Times New Roman"
    body_sizes = {run.font.size.pt for p in document.paragraphs for run in p.runs}
    assert body_sizes <= {13, 14}
    assert 14 in body_sizes
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_page_is_a4_with_the_decrees_margins_and_page_numbers_from_page_two(quarter):
    _data, _content, document = build(quarter.world.people.office, quarter.plan)
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml


def _borderless(table) -> bool:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    return borders is not None and all(e.get(qn("w:val")) == "nil" for e in borders)


def test_peoples_committee_heading_follows_nghi_dinh_30(quarter):
    _data, content, document = build(quarter.world.people.office, quarter.plan)
    header = document.tables[0]
    assert _borderless(header)
    (left, right), (number, place) = [row.cells for row in header.rows]
    assert cell_lines(left) == ["ỦY BAN NHÂN DÂN", "PHƯỜNG AN BÌNH"]
    assert all(run.bold for p in left.paragraphs for run in p.runs)
    assert cell_lines(right) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    [number_line] = cell_lines(number)
    assert number_line.startswith("Số: ") and number_line.endswith("/BC-UBND")
    assert cell_lines(place) == ["Phường An Bình, ngày 10 tháng 10 năm 2026"]
    assert all(run.italic for p in place.paragraphs for run in p.runs)
    texts = [p.text for p in document.paragraphs]
    title = texts.index("BÁO CÁO")
    assert texts[title + 1].startswith("Kết quả thực hiện Kế hoạch số ")
    assert texts[title + 1].endswith(", quý III/2026")
    signature = document.tables[-1]
    assert _borderless(signature)
    recipients, signer = signature.rows[0].cells
    assert cell_lines(signer)[:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    lines = cell_lines(recipients)
    assert lines[0] == "Nơi nhận:"
    assert lines[1:] == content.recipient_lines
    assert "- Lưu: VT." in lines
    first = recipients.paragraphs[0].runs[0]
    assert first.bold and first.italic and first.font.size.pt == 12


def test_party_heading_follows_the_partys_format(quarter):
    quarter.plan.issuer_kind = "party"
    quarter.plan.issuer = "Ban Thường vụ Đảng ủy phường An Bình"
    quarter.plan.save()
    _data, content, document = build(quarter.world.people.office, quarter.plan)
    (left, right), (number, place) = [row.cells for row in document.tables[0].rows]
    assert cell_lines(left) == ["ĐẢNG BỘ TỈNH THỬ NGHIỆM", "ĐẢNG ỦY PHƯỜNG AN BÌNH", "*"]
    assert cell_lines(right) == ["ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert "CỘNG HÒA" not in "\n".join(cell_lines(right))
    [number_line] = cell_lines(number)
    assert number_line.startswith("Số ") and not number_line.startswith("Số:")
    assert number_line.endswith("-BC/ĐU")
    assert cell_lines(place) == ["Phường An Bình, ngày 10 tháng 10 năm 2026"]
    recipients, signer = document.tables[-1].rows[0].cells
    assert cell_lines(signer)[:2] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    assert cell_lines(recipients)[0] == "Nơi nhận:"
    assert recipients.paragraphs[0].runs[0].underline
    assert "- Ban Thường vụ Tỉnh ủy Thử Nghiệm (để báo cáo);" in cell_lines(recipients)
    assert "Ban Thường vụ Đảng ủy phường An Bình báo cáo kết quả" in body_text(document)


def test_the_offices_edits_reach_the_document(quarter):
    from theodoi.exports.services import apply_edits

    office = quarter.world.people.office
    data, content, _document = build(office, quarter.plan)
    edited = apply_edits(
        content,
        {
            "number": "15/BC-UBND",
            "subject": "Kết quả quý III năm 2026",
            "sections": ["Nhóm I đã xong phần lớn việc.", "Nhóm II còn chậm."],
            "signer_name": "Nguyễn Văn An",
            "recipients": "- UBND tỉnh;\n- Lưu: VT.",
        },
    )
    document = docx.Document(io.BytesIO(write_docx(edited)))
    text = body_text(document)
    assert "Kết quả quý III năm 2026" in text
    assert "Nhóm I đã xong phần lớn việc." in text and "Nhóm II còn chậm." in text
    assert "đã cấp 45 chữ ký số" not in text  # the section's text was replaced
    assert cell_lines(document.tables[0].rows[1].cells[0]) == ["Số: 15/BC-UBND"]
    recipients, signer = document.tables[-1].rows[0].cells
    assert cell_lines(signer)[-1] == "Nguyễn Văn An"
    assert cell_lines(recipients) == ["Nơi nhận:", "- UBND tỉnh;", "- Lưu: VT."]
    # The tables stay the data's.
    assert [c.text for c in document.tables[1].rows[1].cells][1] == "1"


@pytest.mark.parametrize("period", ["2026-09", "2026-H2", "2026"])
def test_any_period_kind_gives_a_report_whatever_the_plans_cycle(quarter, period):
    _data, content, document = build(quarter.world.people.office, quarter.plan, period)
    label = report.parse_report_period(period).label_vi()
    assert content.subject.endswith(label[0].lower() + label[1:])
    assert "BÁO CÁO" in body_text(document)
