"""Plans whose tables have a header of two rows (group cells merged across above the column
names), built in code: a ward plan kept in Excel with its identity in merged cells above the
table, and a commune plan in Word. Modelled on the ward plans implementing Resolution 57."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
from docx.oxml import OxmlElement
from openpyxl.styles import Alignment, Font

# A ward plan workbook whose tables have two-row headers -----------------------------------------

# (code, task, product, lead, coordinating, start, completion, 2026, 2027)
_WORKBOOK_SECTIONS: list[tuple[str, list[tuple]]] = [
    (
        "I. NÂNG CAO NHẬN THỨC, ĐỔI MỚI TƯ DUY VỀ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI "
        "SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ",
        [
            ("1", "Tổ chức quán triệt, triển khai Nghị quyết số 57-NQ/TW đến toàn thể cán bộ, "
             "công chức, người lao động", "Hội nghị quán triệt", "Văn phòng HĐND và UBND",
             "Các cơ quan, đơn vị", "Tháng 3/2026", "Tháng 4/2026", 10, None),
            ("2", "Tuyên truyền về chuyển đổi số trên Trang thông tin điện tử phường, hệ thống "
             "loa truyền thanh và mạng xã hội", "Tin, bài, phóng sự", "Phòng Văn hóa - Xã hội",
             "Ủy ban MTTQ Việt Nam phường; các tổ dân phố", "Tháng 3/2026", "Thường xuyên",
             20, 20),
            ("3", "Tổ chức phong trào “Bình dân học vụ số” trên địa bàn phường",
             "Kế hoạch phát động", "Phòng Văn hóa - Xã hội", "Các đoàn thể chính trị - xã hội",
             "Tháng 3/2026", "Năm 2026", None, None),
            ("3.1", "Mở các lớp hướng dẫn kỹ năng số cơ bản cho người dân tại các tổ dân phố",
             "Lớp tập huấn", "Phòng Văn hóa - Xã hội", "Tổ công nghệ số cộng đồng",
             "Tháng 4/2026", "Quý III/2026", 30, 30),
            ("3.2", "Hướng dẫn người dân cài đặt, kích hoạt và sử dụng tài khoản định danh "
             "điện tử VNeID mức độ 2", "Tài khoản được kích hoạt", "Công an phường",
             "Tổ công nghệ số cộng đồng", "Tháng 3/2026", dt.date(2026, 6, 30), None, None),
            ("3.3", "Bồi dưỡng kỹ năng số, kỹ năng khai thác dữ liệu cho đội ngũ cán bộ, "
             "công chức", "Lớp bồi dưỡng", "Văn phòng HĐND và UBND",
             "Trung tâm Phục vụ hành chính công", "Quý II/2026", "Quý IV/2026", 15, None),
            ("4", "Kiện toàn Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo "
             "và chuyển đổi số phường", "Quyết định kiện toàn", "Văn phòng HĐND và UBND",
             "Phòng Văn hóa - Xã hội", "Tháng 3/2026", dt.date(2026, 3, 31), None, None),
            ("5", "Đưa kết quả thực hiện nhiệm vụ chuyển đổi số vào tiêu chí đánh giá thi đua, "
             "khen thưởng", "Tiêu chí thi đua", "Văn phòng HĐND và UBND",
             "Các cơ quan, đơn vị", "", "Hằng năm", None, None),
        ],
    ),
    (
        "II. HOÀN THIỆN THỂ CHẾ, CƠ CHẾ, CHÍNH SÁCH",
        [
            ("6", "Rà soát, ban hành Quy chế quản lý, vận hành, khai thác các hệ thống thông "
             "tin dùng chung của phường", "Quy chế", "Văn phòng HĐND và UBND",
             "Trung tâm Phục vụ hành chính công", "Tháng 4/2026", "Quý II/2026", None, None),
            ("7", "Xây dựng Kế hoạch chuyển đổi số của phường giai đoạn 2026 - 2030",
             "Kế hoạch", "Phòng Văn hóa - Xã hội", "Phòng Kinh tế, Hạ tầng và Đô thị",
             "Tháng 3/2026", "30/5/2026", None, None),
            ("8", "Rà soát, đề xuất bãi bỏ, đơn giản hóa thủ tục hành chính không còn phù hợp",
             "Báo cáo rà soát", "Văn phòng HĐND và UBND", "Trung tâm Phục vụ hành chính công",
             "Quý II/2026", "Hằng quý", None, None),
            ("9", "Ban hành danh mục dữ liệu mở của phường và kế hoạch cung cấp dữ liệu mở",
             "Danh mục dữ liệu mở", "Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND",
             "Quý III/2026", "Tháng 11/2026", None, None),
        ],
    ),
    (
        "III. PHÁT TRIỂN HẠ TẦNG SỐ, DỮ LIỆU SỐ",
        [
            ("10", "Nâng cấp hệ thống mạng nội bộ, đường truyền số liệu chuyên dùng tại trụ "
             "sở Đảng ủy - HĐND - UBND phường", "Hệ thống mạng được nâng cấp",
             "Phòng Kinh tế, Hạ tầng và Đô thị", "Văn phòng HĐND và UBND; VNPT Đà Nẵng",
             "Quý II/2026", "Quý III/2026", 150, None),
            ("11", "Lắp đặt camera giám sát an ninh trật tự tại các tuyến đường, nút giao "
             "trọng điểm", "Hệ thống camera", "Công an phường",
             "Phòng Kinh tế, Hạ tầng và Đô thị", "Tháng 5/2026", "Tháng 12/2026", 300, 200),
            ("12", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực",
             "Dữ liệu số hóa", "Trung tâm Phục vụ hành chính công", "Các cơ quan, đơn vị",
             "Tháng 3/2026", "Năm 2026", None, None),
            ("12.1", "Số hóa sổ hộ tịch lưu trữ từ năm 2015 trở về trước",
             "Sổ hộ tịch được số hóa", "Văn phòng HĐND và UBND",
             "Trung tâm Phục vụ hành chính công", "Tháng 3/2026", dt.date(2026, 9, 30),
             40, None),
            ("12.2", "Số hóa hồ sơ đất đai, xây dựng đang lưu trữ tại phường",
             "Hồ sơ được số hóa", "Phòng Kinh tế, Hạ tầng và Đô thị",
             "Trung tâm Phục vụ hành chính công", "Tháng 4/2026", "Quý IV/2026", 60, None),
            ("13", "Xây dựng cơ sở dữ liệu dân cư, hộ gia đình trên nền tảng bản đồ số",
             "Cơ sở dữ liệu", "Công an phường", "Ủy ban MTTQ Việt Nam phường; các tổ dân phố",
             "Quý II/2026", dt.date(2026, 12, 31), None, None),
            ("14", "Cập nhật, làm sạch dữ liệu người có công, đối tượng bảo trợ xã hội",
             "Dữ liệu “đúng, đủ, sạch, sống”", "Phòng Văn hóa - Xã hội", "Công an phường",
             "Tháng 3/2026", "Thường xuyên", None, None),
        ],
    ),
    (
        "IV. CHUYỂN ĐỔI SỐ TRONG HOẠT ĐỘNG CỦA CƠ QUAN NHÀ NƯỚC",
        [
            ("15", "Duy trì xử lý văn bản, hồ sơ công việc trên môi trường mạng (trừ văn bản "
             "mật)", "Văn bản điện tử", "Văn phòng HĐND và UBND", "Các cơ quan, đơn vị", "",
             "Thường xuyên", None, None),
            ("16", "Nâng cao tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực "
             "tuyến toàn trình", "Báo cáo kết quả", "Trung tâm Phục vụ hành chính công",
             "Các cơ quan, đơn vị", "Tháng 3/2026", "Hằng tháng", None, None),
            ("17", "Triển khai chữ ký số cho cán bộ, công chức có nhu cầu sử dụng",
             "Chứng thư số", "Văn phòng HĐND và UBND", "Công an phường", "Quý II/2026",
             "Tháng 6/2026", None, None),
            ("18", "Tổ chức họp, hội nghị trực tuyến và sử dụng trợ lý ảo hỗ trợ công tác "
             "tham mưu", "Phòng họp trực tuyến", "Văn phòng HĐND và UBND",
             "Phòng Kinh tế, Hạ tầng và Đô thị", "Quý II/2026", "Quý IV/2026", 50, None),
        ],
    ),
    (
        "V. PHÁT TRIỂN KINH TẾ SỐ, XÃ HỘI SỐ",
        [
            ("19", "Hỗ trợ hộ kinh doanh, tiểu thương ứng dụng thanh toán không dùng tiền mặt",
             "Mô hình thanh toán số", "Phòng Kinh tế, Hạ tầng và Đô thị",
             "Các ngân hàng thương mại", "Quý II/2026", "Năm 2026", None, None),
            ("19.1", "Triển khai mô hình “Chợ 4.0” tại chợ Hòa Khánh", "Chợ 4.0",
             "Phòng Kinh tế, Hạ tầng và Đô thị", "Ban quản lý chợ; các ngân hàng thương mại",
             "Quý II/2026", "Quý III/2026", 25, None),
            ("19.2", "Hướng dẫn hộ kinh doanh đưa sản phẩm lên sàn thương mại điện tử",
             "Gian hàng trực tuyến", "Phòng Kinh tế, Hạ tầng và Đô thị",
             "Hội Liên hiệp Phụ nữ phường; Đoàn Thanh niên phường", "Quý III/2026",
             "15/12/2026", None, None),
            ("20", "Triển khai sổ sức khỏe điện tử, khám chữa bệnh bằng căn cước gắn chíp",
             "Sổ sức khỏe điện tử", "Trạm Y tế phường", "Công an phường", "Tháng 3/2026",
             "Quý IV/2026", None, None),
            ("21", "Ứng dụng công nghệ số trong quản lý, dạy và học tại các trường học trên "
             "địa bàn", "Trường học số", "Phòng Văn hóa - Xã hội",
             "Các trường học trên địa bàn", "Tháng 8/2026", "Tháng 12/2026", None, None),
            ("22", "Chi trả trợ cấp an sinh xã hội không dùng tiền mặt cho các đối tượng",
             "Danh sách chi trả", "Phòng Văn hóa - Xã hội", "Bưu điện; các ngân hàng thương mại",
             "", "Hằng tháng", None, None),
        ],
    ),
    (
        "VI. BẢO ĐẢM AN NINH, AN TOÀN THÔNG TIN",
        [
            ("23", "Triển khai giải pháp bảo đảm an toàn hệ thống thông tin theo cấp độ cho "
             "các hệ thống thông tin của phường", "Hồ sơ cấp độ", "Văn phòng HĐND và UBND",
             "Công an phường", "Quý II/2026", "Quý III/2026", 80, None),
            ("24", "Tổ chức diễn tập ứng cứu sự cố an toàn thông tin mạng", "Buổi diễn tập",
             "Công an phường", "Ban Chỉ huy Quân sự phường", "Quý III/2026", "Tháng 10/2026",
             None, None),
            ("25", "Tuyên truyền phòng, chống lừa đảo trên không gian mạng cho người dân",
             "Tin, bài tuyên truyền", "Công an phường",
             "Ủy ban MTTQ Việt Nam phường; các đoàn thể", "Tháng 3/2026", "Thường xuyên",
             None, None),
        ],
    ),
]  # fmt: skip

# (code, indicator, unit, 2025 baseline, 2026 … 2030, lead); a row of one text is a section.
_WORKBOOK_INDICATORS: list[tuple] = [
    ("I", "Chính quyền số"),
    ("1", "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn trình", "%", 0.62,
     0.7, 0.75, 0.8, 0.85, 0.9, "Trung tâm Phục vụ hành chính công"),
    ("2", "Tỷ lệ văn bản trao đổi giữa các cơ quan dưới dạng điện tử", "%", 0.95, 0.98, 0.98,
     0.99, 0.99, 1, "Văn phòng HĐND và UBND"),
    ("3", "Tỷ lệ hồ sơ thủ tục hành chính được số hóa kết quả giải quyết", "%", 0.55, 0.7,
     0.8, 0.9, 1, 1, "Trung tâm Phục vụ hành chính công"),
    ("4", "Số cán bộ, công chức được bồi dưỡng kỹ năng số", "Người", 35, 45, 50, 55, 60, 65,
     "Văn phòng HĐND và UBND"),
    ("II", "Kinh tế số và xã hội số"),
    ("5", "Tỷ lệ người dân trưởng thành có tài khoản định danh điện tử mức độ 2", "%", 0.78,
     0.85, 0.9, 0.92, 0.95, "≥ 95%", "Công an phường"),
    ("6", "Tỷ lệ hộ kinh doanh chấp nhận thanh toán không dùng tiền mặt", "%", 0.4, 0.5, 0.6,
     0.7, 0.75, 0.8, "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("7", "Số mô hình chợ 4.0, tuyến phố thanh toán số", "Mô hình", 0, 1, 2, 2, 3, 3,
     "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("8", "Tỷ lệ người dân có hồ sơ sức khỏe điện tử", "%", 0.7, 0.8, 0.85, 0.9, 0.95, 0.95,
     "Trạm Y tế phường"),
]  # fmt: skip

_TASK_COLUMNS = "ABCDEFGHIJ"


def workbook_two_row() -> bytes:
    """A ward plan kept in Excel: the plan's identity in merged cells above a task table whose
    header takes two rows, and an indicator sheet with a two-row header of target years."""
    workbook = openpyxl.Workbook()
    _workbook_tasks(workbook.active)
    _workbook_indicators(workbook.create_sheet("Chỉ tiêu"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _merged(sheet, cells: str, value, *, bold: bool = False, wrap: bool = True) -> None:
    first = cells.split(":")[0]
    sheet[first] = value
    sheet[first].font = Font(bold=bold)
    sheet[first].alignment = Alignment(horizontal="center", vertical="center", wrap_text=wrap)
    if ":" in cells:
        sheet.merge_cells(cells)


def _workbook_tasks(sheet) -> None:
    sheet.title = "Kế hoạch"
    _merged(sheet, "A1:C1", "ỦY BAN NHÂN DÂN", bold=False)
    _merged(sheet, "E1:J1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    _merged(sheet, "A2:C2", "PHƯỜNG HÒA KHÁNH", bold=True)
    _merged(sheet, "E2:J2", "Độc lập - Tự do - Hạnh phúc", bold=True)
    _merged(sheet, "A3:C3", "Số: 45/KH-UBND")
    _merged(sheet, "E3:J3", "Hòa Khánh, ngày 10 tháng 3 năm 2026")
    _merged(sheet, "A5:J5", "KẾ HOẠCH", bold=True)
    _merged(
        sheet,
        "A6:J6",
        "Thực hiện Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới "
        "sáng tạo và chuyển đổi số quốc gia trên địa bàn phường Hòa Khánh năm 2026",
        bold=True,
    )
    # The header: group cells over the column names, single labels merged down.
    for column, label in zip("ABC", ["STT", "Nội dung nhiệm vụ", "Sản phẩm"], strict=True):
        _merged(sheet, f"{column}8:{column}9", label, bold=True)
    _merged(sheet, "D8:E8", "Đơn vị thực hiện", bold=True)
    _merged(sheet, "F8:G8", "Thời gian", bold=True)
    _merged(sheet, "H8:I8", "Kinh phí (triệu đồng)", bold=True)
    _merged(sheet, "J8:J9", "Ghi chú", bold=True)
    for column, label in zip("DEFGHI", ["Chủ trì", "Phối hợp", "Bắt đầu", "Hoàn thành",
                                        "Năm 2026", "Năm 2027"], strict=True):  # fmt: skip
        _merged(sheet, f"{column}9", label, bold=True)
    for index, column in enumerate(_TASK_COLUMNS, start=1):
        _merged(sheet, f"{column}10", f"({index})")
    row = 11
    for title, tasks in _WORKBOOK_SECTIONS:
        _merged(sheet, f"A{row}:J{row}", title, bold=True)
        row += 1
        for task in tasks:
            code, text, product, lead, coordinating, start, end, money_26, money_27 = task
            values = [code, text, product, lead, coordinating, start, end, money_26, money_27]
            for column, value in zip(_TASK_COLUMNS, values, strict=False):
                if value in (None, ""):
                    continue
                sheet[f"{column}{row}"] = value
                if isinstance(value, dt.date):
                    sheet[f"{column}{row}"].number_format = "dd/mm/yyyy"
            if "." not in code:
                sheet[f"B{row}"].font = Font(bold=True)
            row += 1
    sheet[f"B{row}"] = "Tổng cộng"
    sheet[f"H{row}"] = sum(task[7] or 0 for _, tasks in _WORKBOOK_SECTIONS for task in tasks)
    sheet[f"I{row}"] = sum(task[8] or 0 for _, tasks in _WORKBOOK_SECTIONS for task in tasks)
    # The signature block under the table, after an empty row.
    row += 2
    sheet[f"A{row}"] = "Nơi nhận:"
    _merged(sheet, f"F{row}:J{row}", "TM. ỦY BAN NHÂN DÂN", bold=True)
    sheet[f"A{row + 1}"] = "- Thường trực Đảng ủy phường;"
    _merged(sheet, f"F{row + 1}:J{row + 1}", "CHỦ TỊCH", bold=True)
    sheet[f"A{row + 2}"] = "- Lưu: VT."
    _merged(sheet, f"F{row + 4}:J{row + 4}", "Nguyễn Văn Hùng", bold=True)
    for column, width in zip(_TASK_COLUMNS, [6, 48, 20, 24, 28, 12, 12, 10, 10, 12], strict=True):
        sheet.column_dimensions[column].width = width


def _workbook_indicators(sheet) -> None:
    _merged(sheet, "A1:J1", "PHỤ LỤC: CHỈ TIÊU CHUYỂN ĐỔI SỐ GIAI ĐOẠN 2026 - 2030", bold=True)
    _merged(
        sheet,
        "A2:J2",
        "(Kèm theo Kế hoạch số 45/KH-UBND ngày 10/3/2026 của UBND phường Hòa Khánh)",
    )
    labels = ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2025 (cơ sở)"]
    for column, label in zip("ABCD", labels, strict=True):
        _merged(sheet, f"{column}4:{column}5", label, bold=True)
    _merged(sheet, "E4:I4", "Mục tiêu", bold=True)
    for column, year in zip("EFGHI", range(2026, 2031), strict=True):
        sheet[f"{column}5"] = str(year)
        sheet[f"{column}5"].font = Font(bold=True)
    _merged(sheet, "J4:J5", "Đơn vị chủ trì theo dõi", bold=True)
    row = 6
    for item in _WORKBOOK_INDICATORS:
        if len(item) == 2:
            sheet[f"A{row}"], sheet[f"B{row}"] = item
            sheet[f"A{row}"].font = sheet[f"B{row}"].font = Font(bold=True)
            row += 1
            continue
        code, name, unit, *levels, lead = item
        sheet[f"A{row}"], sheet[f"B{row}"], sheet[f"C{row}"] = int(code), name, unit
        for column, level in zip("DEFGHI", levels, strict=True):
            cell = sheet[f"{column}{row}"]
            cell.value = level
            if unit == "%" and not isinstance(level, str):
                cell.number_format = "0%"
        sheet[f"J{row}"] = lead
        row += 1


# A Word plan whose task table has a two-row header ----------------------------------------------

# (code, task, lead, coordinating, start, completion, product); a one-text row is a section.
_DOCX_ROWS: list[tuple] = [
    ("I. TUYÊN TRUYỀN, NÂNG CAO NHẬN THỨC",),
    ("1", "Quán triệt Kế hoạch đến cán bộ, đảng viên và các tổ chức chính trị - xã hội",
     "Văn phòng Đảng ủy", "Văn phòng HĐND và UBND", "Tháng 4/2026", "Tháng 4/2026",
     "Hội nghị"),
    ("2", "Xây dựng chuyên mục “Chuyển đổi số” trên Trang thông tin điện tử xã",
     "Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND", "Tháng 4/2026", "Quý II/2026",
     "Chuyên mục"),
    ("3", "Tuyên truyền lợi ích của dịch vụ công trực tuyến tại các thôn, tổ dân cư",
     "Phòng Văn hóa - Xã hội", "Ủy ban MTTQ Việt Nam xã; các đoàn thể", "Tháng 4/2026",
     "Thường xuyên", "Tin, bài"),
    ("4", "Biểu dương, khen thưởng tập thể, cá nhân có sáng kiến trong chuyển đổi số",
     "Văn phòng HĐND và UBND", "Các cơ quan, đơn vị", "", "Hằng năm", "Quyết định khen thưởng"),
    ("II. PHÁT TRIỂN NGUỒN NHÂN LỰC SỐ",),
    ("5", "Thành lập, kiện toàn Tổ công nghệ số cộng đồng tại các thôn",
     "Phòng Văn hóa - Xã hội", "Ủy ban MTTQ Việt Nam xã", "Tháng 4/2026", "30/4/2026",
     "Quyết định thành lập"),
    ("6", "Tập huấn kỹ năng số cho thành viên Tổ công nghệ số cộng đồng",
     "Phòng Văn hóa - Xã hội", "Viettel Quảng Nam", "Quý II/2026", "Quý III/2026",
     "Lớp tập huấn"),
    ("7", "Bồi dưỡng kỹ năng sử dụng nền tảng số cho cán bộ, công chức xã",
     "Văn phòng HĐND và UBND", "Trung tâm Phục vụ hành chính công", "Quý II/2026",
     "Tháng 9/2026", "Lớp bồi dưỡng"),
    ("7.1", "Hướng dẫn khai thác hệ thống quản lý văn bản và điều hành",
     "Văn phòng HĐND và UBND", "", "Quý II/2026", "Tháng 6/2026", "Buổi hướng dẫn"),
    ("7.2", "Hướng dẫn sử dụng chữ ký số trên thiết bị di động",
     "Văn phòng HĐND và UBND", "Công an xã", "Quý III/2026", "Tháng 9/2026",
     "Buổi hướng dẫn"),
    ("8", "Hướng dẫn học sinh kỹ năng an toàn trên không gian mạng",
     "Phòng Văn hóa - Xã hội", "Các trường học; Đoàn Thanh niên xã", "Tháng 9/2026",
     "Tháng 12/2026", "Chuyên đề ngoại khóa"),
    ("III. HẠ TẦNG SỐ VÀ DỮ LIỆU SỐ",),
    ("9", "Phủ sóng di động 4G/5G tại các thôn vùng sâu, vùng xa",
     "Phòng Kinh tế", "Viettel Quảng Nam; VNPT Quảng Nam", "Quý II/2026", "Quý IV/2026",
     "Trạm phát sóng"),
    ("10", "Lắp đặt mạng wifi miễn phí tại nhà văn hóa các thôn", "Phòng Kinh tế",
     "Phòng Văn hóa - Xã hội", "Quý III/2026", "31/12/2026", "Điểm wifi công cộng"),
    ("11", "Xây dựng cơ sở dữ liệu đất đai, nông nghiệp của xã", "Phòng Kinh tế",
     "Trung tâm Dịch vụ tổng hợp", "Tháng 5/2026", "Năm 2027", "Cơ sở dữ liệu"),
    ("11.1", "Số hóa bản đồ địa chính và sổ mục kê", "Phòng Kinh tế",
     "Trung tâm Dịch vụ tổng hợp", "Tháng 5/2026", "Quý IV/2026", "Bản đồ số"),
    ("11.2", "Cập nhật dữ liệu vùng trồng, vật nuôi chủ lực", "Trung tâm Dịch vụ tổng hợp",
     "Phòng Kinh tế", "Quý III/2026", "Quý II/2027", "Dữ liệu vùng trồng"),
    ("12", "Làm sạch dữ liệu dân cư phục vụ Đề án 06", "Công an xã",
     "Văn phòng HĐND và UBND", "", "Hằng tháng", "Dữ liệu dân cư"),
    ("12.1", "Rà soát, cập nhật thông tin công dân trên Cơ sở dữ liệu quốc gia về dân cư",
     "Công an xã", "Các thôn", "", "Hằng tháng", "Dữ liệu được cập nhật"),
    ("12.2", "Kết nối dữ liệu dân cư với dữ liệu hộ tịch, an sinh xã hội",
     "Văn phòng HĐND và UBND", "Công an xã; Phòng Văn hóa - Xã hội", "Quý II/2026",
     "30/9/2026", "Dữ liệu kết nối"),
    ("IV. CHÍNH QUYỀN SỐ",),
    ("13", "Tiếp nhận, giải quyết hồ sơ thủ tục hành chính trực tuyến toàn trình",
     "Trung tâm Phục vụ hành chính công", "Các cơ quan, đơn vị", "", "Thường xuyên",
     "Hồ sơ trực tuyến"),
    ("14", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính khi tiếp nhận",
     "Trung tâm Phục vụ hành chính công", "Văn phòng HĐND và UBND", "", "Thường xuyên",
     "Hồ sơ số hóa"),
    ("15", "Triển khai hệ thống camera tại bộ phận một cửa và hội trường",
     "Văn phòng HĐND và UBND", "Phòng Kinh tế", "Quý III/2026", "Tháng 11/2026",
     "Hệ thống camera"),
    ("16", "Báo cáo kết quả chuyển đổi số gửi Ban Chỉ đạo tỉnh",
     "Văn phòng HĐND và UBND", "Các cơ quan, đơn vị", "", "Hằng quý", "Báo cáo"),
    ("16.1", "Cập nhật số liệu chỉ tiêu chuyển đổi số trên hệ thống báo cáo của tỉnh",
     "Văn phòng HĐND và UBND", "Phòng Văn hóa - Xã hội", "", "Hằng quý, trước ngày 15 tháng cuối quý",
     "Số liệu báo cáo"),
    ("V. KINH TẾ SỐ, XÃ HỘI SỐ",),
    ("17", "Hỗ trợ hợp tác xã, hộ sản xuất đưa sản phẩm OCOP lên sàn thương mại điện tử",
     "Phòng Kinh tế", "Hội Nông dân xã; Bưu điện xã", "Quý II/2026", "Quý IV/2026",
     "Gian hàng trực tuyến"),
    ("18", "Gắn mã QR truy xuất nguồn gốc cho sản phẩm nông sản chủ lực", "Phòng Kinh tế",
     "Trung tâm Dịch vụ tổng hợp", "Quý III/2026", "Tháng 12/2026", "Mã QR"),
    ("19", "Triển khai thanh toán không dùng tiền mặt tại trường học, trạm y tế",
     "Phòng Văn hóa - Xã hội", "Trạm Y tế xã; các ngân hàng", "Tháng 6/2026",
     "Tháng 10/2026", "Điểm thanh toán số"),
    ("20", "Khám chữa bệnh bảo hiểm y tế bằng căn cước, ứng dụng VNeID", "Trạm Y tế xã",
     "Công an xã", "", "Thường xuyên", "Lượt khám"),
    ("21", "Hỗ trợ người cao tuổi, người khuyết tật sử dụng dịch vụ công trực tuyến",
     "Ủy ban MTTQ Việt Nam xã", "Hội Người cao tuổi xã; Tổ công nghệ số cộng đồng",
     "Quý II/2026", "Quý IV/2026", "Lượt hỗ trợ"),
    ("VI. AN NINH, AN TOÀN THÔNG TIN",),
    ("22", "Kiểm tra, đánh giá an toàn thông tin các máy tính của cơ quan",
     "Công an xã", "Văn phòng HĐND và UBND", "Quý III/2026", "Tháng 8/2026",
     "Biên bản kiểm tra"),
    ("23", "Cảnh báo các phương thức lừa đảo qua mạng trên hệ thống loa truyền thanh",
     "Công an xã", "Phòng Văn hóa - Xã hội", "", "Hằng tuần", "Tin phát thanh"),
    ("24", "Tổ chức tổng kết, đánh giá kết quả thực hiện Kế hoạch năm 2026",
     "Văn phòng HĐND và UBND", "Các cơ quan, đơn vị", "Tháng 12/2026", "25/12/2026",
     "Báo cáo tổng kết"),
]  # fmt: skip


def two_row_header_docx() -> bytes:
    """A commune plan in Word: the identity in paragraphs, then a task table whose header
    takes two rows (group cells merged across over "Chủ trì | Phối hợp" and "Bắt đầu | Hoàn
    thành", single labels merged down)."""
    document = docx.Document()
    _layout_table(
        document,
        ["ỦY BAN NHÂN DÂN", "XÃ ĐẠI LỘC", "Số: 112/KH-UBND"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
         "Đại Lộc, ngày 02 tháng 4 năm 2026"],
    )  # fmt: skip
    for text, bold in [
        ("KẾ HOẠCH", True),
        (
            "Triển khai phong trào “Bình dân học vụ số” và chuyển đổi số trên địa bàn xã "
            "Đại Lộc năm 2026",
            True,
        ),
        (
            "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát "
            "triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;",
            False,
        ),
        ("Ủy ban nhân dân xã ban hành Kế hoạch thực hiện như sau:", False),
        ("I. MỤC ĐÍCH, YÊU CẦU", True),
        ("Huy động cả hệ thống chính trị và người dân tham gia chuyển đổi số.", False),
        ("II. NHIỆM VỤ CỤ THỂ", True),
        ("(Có bảng phân công nhiệm vụ kèm theo)", False),
    ]:
        document.add_paragraph().add_run(text).bold = bold or None
    _docx_task_table(document)
    document.add_paragraph("III. TỔ CHỨC THỰC HIỆN").runs[0].bold = True
    document.add_paragraph(
        "Các cơ quan, đơn vị báo cáo kết quả thực hiện về Văn phòng HĐND và UBND trước ngày 15 "
        "tháng cuối quý."
    )
    _layout_table(
        document,
        ["Nơi nhận:", "- Thường trực Đảng ủy xã;", "- Như mục II;", "- Lưu: VT."],
        ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Trần Văn Minh"],
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _layout_table(document, left: list[str], right: list[str]) -> None:
    """The borderless two-column table Word plans use for the page head and the signature."""
    table = document.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, [left, right], strict=True):
        cell.paragraphs[0].add_run(lines[0]).bold = True
        for line in lines[1:]:
            cell.add_paragraph().add_run(line)


def _docx_task_table(document) -> None:
    rows = 2 + len(_DOCX_ROWS)
    table = document.add_table(rows=rows, cols=7)
    table.style = "Table Grid"
    top, bottom = table.rows[0].cells, table.rows[1].cells
    # Single labels merged down over the two header rows.
    for index, label in [(0, "TT"), (1, "Nội dung công việc"), (6, "Sản phẩm")]:
        merged = top[index].merge(bottom[index])
        merged.paragraphs[0].add_run(label).bold = True
    for first, last, label in [(2, 3, "Đơn vị thực hiện"), (4, 5, "Thời gian thực hiện")]:
        merged = top[first].merge(top[last])
        merged.paragraphs[0].add_run(label).bold = True
    labels = ["Chủ trì", "Phối hợp", "Bắt đầu", "Hoàn thành"]
    for index, label in zip(range(2, 6), labels, strict=True):
        bottom[index].paragraphs[0].add_run(label).bold = True
    for number, item in enumerate(_DOCX_ROWS, start=2):
        cells = table.rows[number].cells
        if len(item) == 1:
            section = cells[0].merge(cells[6])
            section.paragraphs[0].add_run(item[0]).bold = True
            continue
        code, text, lead, coordinating, start, end, product = item
        values = [code, text, lead, coordinating, start, end, product]
        for cell, value in zip(cells, values, strict=True):
            if value:
                cell.paragraphs[0].add_run(value)
    _mark_header(table.rows[0])


def _mark_header(row) -> None:
    # Only the first row says "repeat as header row", as Word files often do.
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
