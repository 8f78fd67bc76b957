"""A plan of about 30 pages, built in code, as Word, Excel and Markdown: the size the importer
must read and save in under 3 seconds (OCR excluded).

The content is that of a real ward plan: a header, "Căn cứ" paragraphs, narrative parts with
many bullet paragraphs, then a 150-row task table, an indicator table and a budget table. The
sentences come from the seed plans (theodoi/demo/seeds), so the recognisers meet the wording
they meet in practice; units are written in the many ways plans write them. Deterministic: the
same bytes every run, so timings compare between runs.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[1] / "theodoi" / "demo" / "seeds"
CHARS_PER_PAGE = 2400
TASK_ROWS = 150

# Vietnamese on purpose: the content of a ward's plan.
HEADER = [
    "ỦY BAN NHÂN DÂN PHƯỜNG HÒA BÌNH",
    "Số: 215/KH-UBND",
    "Phường Hòa Bình, ngày 10 tháng 3 năm 2026",
    "KẾ HOẠCH",
    "Triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá "
    "phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trên địa bàn phường Hòa "
    "Bình năm 2026",
]
BASES = [
    "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa "
    "học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;",
    "Căn cứ Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ sửa đổi, bổ sung, cập nhật "
    "Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW;",
    "Căn cứ Kế hoạch số 49/KH-UBND ngày 12/02/2026 của Ủy ban nhân dân thành phố về thực hiện "
    "Nghị quyết số 57-NQ/TW năm 2026;",
    "Căn cứ Kế hoạch số 09-KH/ĐU ngày 15/9/2025 của Đảng ủy phường Hòa Bình hành động thực hiện "
    "Nghị quyết số 57-NQ/TW;",
    "Ủy ban nhân dân phường Hòa Bình ban hành Kế hoạch triển khai thực hiện năm 2026 với các "
    "nội dung cụ thể như sau:",
]
PARTS = [
    ("I. MỤC ĐÍCH, YÊU CẦU", ["1. Mục đích", "2. Yêu cầu"]),
    (
        "II. MỤC TIÊU",
        ["1. Mục tiêu chung", "2. Mục tiêu cụ thể đến năm 2026", "3. Tầm nhìn đến năm 2030"],
    ),
    (
        "III. NHIỆM VỤ, GIẢI PHÁP",
        [
            "1. Nâng cao nhận thức, đổi mới tư duy",
            "2. Hoàn thiện thể chế, cơ chế, chính sách",
            "3. Phát triển hạ tầng số",
            "4. Phát triển dữ liệu số",
            "5. Phát triển chính quyền số",
            "6. Phát triển kinh tế số",
            "7. Phát triển xã hội số",
            "8. Bảo đảm an toàn, an ninh mạng",
        ],
    ),
    ("IV. TỔ CHỨC THỰC HIỆN", ["1. Phòng Văn hóa - Xã hội", "2. Phòng Kinh tế, Hạ tầng và Đô thị", "3. Các cơ quan, đơn vị"]),
]  # fmt: skip
GROUPS = [
    "I. NÂNG CAO NHẬN THỨC, PHÁT TRIỂN NGUỒN NHÂN LỰC",
    "II. PHÁT TRIỂN HẠ TẦNG SỐ VÀ DỮ LIỆU SỐ",
    "III. PHÁT TRIỂN CHÍNH QUYỀN SỐ",
    "IV. PHÁT TRIỂN KINH TẾ SỐ, XÃ HỘI SỐ",
    "V. BẢO ĐẢM AN TOÀN, AN NINH MẠNG",
]
# One unit written the ways the seeds write it, and the units that coordinate.
LEADS = [
    "Phòng Văn hóa - Xã hội", "Phòng VH-XH", "VHXH", "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Phòng KT", "Văn phòng HĐND và UBND", "VP HĐND-UBND", "Trung tâm PVHCC",
    "Công an phường", "Trung tâm Dịch vụ tổng hợp", "Trạm Y tế phường", "Ban CHQS",
]  # fmt: skip
COORDINATING = [
    "Các cơ quan, đơn vị", "Công an phường; Trung tâm PVHCC", "Phòng VH-XH",
    "Các phòng, ban, đơn vị", "UBMTTQ phường và các đoàn thể", "Tổ công nghệ số cộng đồng",
    "Văn phòng HĐND và UBND, Phòng KT", "Doanh nghiệp viễn thông trên địa bàn",
]  # fmt: skip
DEADLINES = [
    "Tháng 6/2026", "Quý III/2026", "Thường xuyên", "31/12/2026", "Năm 2026", "Hằng quý",
    "Tháng 9/2026", "Quý IV/2026", "Hằng năm", "30/6/2026",
]  # fmt: skip
PRODUCTS = [
    "Kế hoạch, báo cáo kết quả", "Văn bản chỉ đạo", "Cơ sở dữ liệu được cập nhật",
    "Hệ thống được đưa vào vận hành", "Báo cáo định kỳ", "Tài liệu tuyên truyền",
]  # fmt: skip
INDICATORS = [
    ("Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến", "%", "≥ 80"),
    ("Tỷ lệ cung cấp dịch vụ công trực tuyến toàn trình trên tổng số TTHC đủ điều kiện", "%", "100"),
    ("Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "%", "100"),
    ("Tỷ lệ cấp kết quả giải quyết thủ tục hành chính điện tử", "%", "100"),
    ("Tỷ lệ thanh toán trực tuyến trong giải quyết TTHC, dịch vụ công", "%", "≥ 80"),
    ("Tỷ lệ văn bản, hồ sơ công việc xử lý trên môi trường điện tử", "%", "100"),
    ("Tỷ lệ người dân trưởng thành có danh tính số", "%", "≥ 90"),
    ("Tỷ lệ hộ gia đình có đường truyền Internet băng rộng cáp quang", "%", "≥ 95"),
    ("Tỷ lệ người dân trưởng thành có điện thoại thông minh", "%", "≥ 90"),
    ("Số lượt người dân được tập huấn kỹ năng số cơ bản", "lượt người", "5.000"),
    ("Tỷ lệ hộ kinh doanh sử dụng thanh toán không dùng tiền mặt", "%", "≥ 70"),
    ("Số doanh nghiệp, hộ kinh doanh bán hàng trên sàn thương mại điện tử", "đơn vị", "150"),
    ("Tỷ lệ trường học triển khai học bạ số", "%", "100"),
    ("Tỷ lệ người dân có hồ sơ sức khỏe điện tử", "%", "≥ 95"),
    ("Số camera giám sát an ninh trật tự được kết nối", "camera", "120"),
    ("Tỷ lệ cán bộ, công chức được bồi dưỡng kỹ năng số", "%", "100"),
    ("Tỷ lệ chi ngân sách phường cho khoa học, công nghệ, chuyển đổi số", "%", "≥ 2"),
    ("Tỷ lệ khu phố có Tổ công nghệ số cộng đồng hoạt động hiệu quả", "%", "100"),
    ("Tỷ lệ hồ sơ công việc tại cấp phường được xử lý trên môi trường mạng", "%", "≥ 90"),
    ("Chỉ số chuyển đổi số (DTI) cấp phường", "Thứ bậc", "Nhóm khá"),
    ("Tỷ lệ thông tin, dữ liệu được khai thác, sử dụng lại", "%", "≥ 80"),
    ("Số hệ thống thông tin được bảo đảm an toàn theo cấp độ", "hệ thống", "5"),
    ("Tỷ lệ cuộc họp được tổ chức trực tuyến", "%", "≥ 50"),
    ("Tỷ lệ người dân hài lòng với dịch vụ công trực tuyến", "%", "≥ 90"),
    ("Số nền tảng số dùng chung được triển khai", "nền tảng", "3"),
]  # fmt: skip
BUDGET_YEARS = ["Năm 2026", "Năm 2027"]


@dataclass
class Plan:
    """The content, written once and laid out as each format writes it."""

    header: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)
    # (heading, [(subheading, [bullet, …]), …])
    parts: list[tuple[str, list[tuple[str, list[str]]]]] = field(default_factory=list)
    task_header: list[str] = field(default_factory=list)
    tasks: list[list[str]] = field(default_factory=list)  # a group row has its title only
    indicator_header: list[str] = field(default_factory=list)
    indicators: list[list[str]] = field(default_factory=list)
    budget_header: list[str] = field(default_factory=list)
    budget: list[list[str]] = field(default_factory=list)

    def chars(self) -> int:
        return len(to_markdown(self))

    def pages(self) -> float:
        return self.chars() / CHARS_PER_PAGE


def _sentences() -> list[str]:
    """The seeds' bullet sentences, each once, in a fixed order."""
    found: list[str] = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if text.startswith("- ") and 60 <= len(text) <= 400 and text not in found:
                found.append(text[2:].strip())
    return found


def _title(sentence: str) -> str:
    """A task's title from a sentence: its first clause, at most about 220 characters."""
    text = re.split(r";\s", sentence)[0].rstrip(" .;:")
    if len(text) > 220:
        text = text[:220].rsplit(" ", 1)[0]
    return text[0].upper() + text[1:]


def build(rows: int = TASK_ROWS) -> Plan:
    sentences = _sentences()
    plan = Plan(header=list(HEADER), bases=list(BASES))
    at = 0
    for heading, subheadings in PARTS:
        subs = []
        for subheading in subheadings:
            bullets = [sentences[(at + k) % len(sentences)] for k in range(11)]
            at += 11
            subs.append((subheading, bullets))
        plan.parts.append((heading, subs))
    plan.task_header = [
        "STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm", "Thời gian hoàn thành",
    ]  # fmt: skip
    per_group = -(-rows // len(GROUPS))
    for number in range(1, rows + 1):
        if (number - 1) % per_group == 0:
            plan.tasks.append([GROUPS[(number - 1) // per_group]])
        sentence = sentences[(number * 7) % len(sentences)]
        plan.tasks.append(
            [
                str(number),
                _title(sentence),
                LEADS[number % len(LEADS)],
                COORDINATING[number % len(COORDINATING)],
                PRODUCTS[number % len(PRODUCTS)],
                DEADLINES[number % len(DEADLINES)],
            ]
        )
    plan.indicator_header = [
        "STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả năm 2026", "Đơn vị chủ trì thực hiện",
        "Đơn vị theo dõi, đánh giá",
    ]  # fmt: skip
    for number, (name, unit, target) in enumerate(INDICATORS, start=1):
        plan.indicators.append(
            [str(number), name, unit, target, "Các cơ quan, đơn vị", LEADS[number % len(LEADS)]]
        )
    plan.budget_header = [
        "TT", "Nhiệm vụ", "Thời gian thực hiện", "Tổng kinh phí (triệu đồng)", *BUDGET_YEARS,
    ]  # fmt: skip
    lines = []
    for number in range(1, 21):
        first, second = 50 * (number % 7 + 1), 30 * (number % 5)
        item = _title(sentences[(number * 11) % len(sentences)])[:160]
        period = "2026-2027" if second else "2026"
        lines.append([str(number), item, period, first + second, first, second])
    total = [sum(int(line[k]) for line in lines) for k in (3, 4, 5)]
    plan.budget = [["", "Tổng nhu cầu kinh phí", "", *map(_amount, total)]] + [
        [*line[:3], *(_amount(v) if v else "" for v in line[3:])] for line in lines
    ]
    return plan


def _amount(value: int) -> str:
    # The plans' own way: a dot between thousands ("3.792").
    return f"{value:,}".replace(",", ".")


# --- Layouts --------------------------------------------------------------------------------


def to_markdown(plan: Plan) -> str:
    out: list[str] = []
    out.extend(plan.header)
    out.extend(plan.bases)
    for heading, subs in plan.parts:
        out.append(heading)
        for subheading, bullets in subs:
            out.append(subheading)
            out.extend(f"- {bullet}" for bullet in bullets)
    for title, header, rows in _appendices(plan):
        out.append(f"**{title}**")
        table = [_md_row(header), _md_row(["---"] * len(header))]
        for row in rows:
            cells = row if len(row) > 1 else _group_cells(row[0], len(header))
            table.append(_md_row([str(cell) for cell in cells]))
        out.append("\n".join(table))
    return "\n\n".join(out) + "\n"


def _group_cells(title: str, width: int) -> list[str]:
    # "I. NÂNG CAO …" → "I" in the STT column, the title in bold beside it.
    code, _, name = title.partition(". ")
    return [code, f"**{name}**"] + [""] * (width - 2)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |"


def _appendices(plan: Plan) -> list[tuple[str, list[str], list[list[str]]]]:
    return [
        ("PHỤ LỤC I: DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2026", plan.task_header, plan.tasks),
        ("PHỤ LỤC II: CÁC CHỈ TIÊU CỤ THỂ", plan.indicator_header, plan.indicators),
        ("PHỤ LỤC III: DỰ TOÁN KINH PHÍ THỰC HIỆN", plan.budget_header, plan.budget),
    ]


def to_docx(plan: Plan) -> bytes:
    import docx

    document = docx.Document()
    for line in plan.header:
        document.add_paragraph().add_run(line).bold = line.isupper() or line == plan.header[-1]
    for line in plan.bases:
        document.add_paragraph(line)
    for heading, subs in plan.parts:
        document.add_paragraph().add_run(heading).bold = True
        for subheading, bullets in subs:
            document.add_paragraph().add_run(subheading).bold = True
            for bullet in bullets:
                document.add_paragraph(f"- {bullet}")
    for title, header, rows in _appendices(plan):
        document.add_paragraph().add_run(title).bold = True
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for row in rows:
            cells = table.add_row().cells
            if len(row) == 1:
                merged = cells[0].merge(cells[-1])
                merged.paragraphs[0].add_run(row[0]).bold = True
                continue
            for cell, text in zip(cells, row, strict=True):
                cell.text = str(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_xlsx(plan: Plan) -> bytes:
    """A workbook as wards send them: the plan's text down column A of the first sheet, one
    sheet per appendix table under its title."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Kế hoạch"
    for line in [*plan.header, *plan.bases]:
        sheet.append([line])
    for heading, subs in plan.parts:
        sheet.append([heading])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for subheading, bullets in subs:
            sheet.append([subheading])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            for bullet in bullets:
                sheet.append([f"- {bullet}"])
    for (title, header, rows), name in zip(
        _appendices(plan), ["Phụ lục I", "Phụ lục II", "Phụ lục III"], strict=True
    ):
        sheet = workbook.create_sheet(name)
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            if len(row) == 1:
                sheet.append(row)
                sheet.cell(sheet.max_row, 1).font = Font(bold=True)
                sheet.merge_cells(
                    start_row=sheet.max_row,
                    start_column=1,
                    end_row=sheet.max_row,
                    end_column=len(header),
                )
                continue
            sheet.append([_cell_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_value(value: object) -> object:
    # Numbers as numbers ("1.050" is 1050), as a ward's sheet has them.
    text = str(value)
    return int(text.replace(".", "")) if re.fullmatch(r"\d{1,3}(\.\d{3})*", text) else value


BUILDERS = {
    "docx": lambda plan: to_docx(plan),
    "xlsx": lambda plan: to_xlsx(plan),
    "md": lambda plan: to_markdown(plan).encode("utf-8"),
}
