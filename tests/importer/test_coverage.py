"""The coverage of an import: which blocks of the document became what, which were left out,
and a prominent warning when a long document yields few tasks. Never a silent miss."""

import pytest

from tests.importer import documents
from tests.importer.seeds import seed_document
from theodoi.importer.document import Document, Paragraph, Row, Table
from theodoi.importer.draft import (
    COVERAGE_KINDS,
    Draft,
    DraftBudgetLine,
    DraftIndicator,
    DraftPlan,
    DraftSection,
    DraftTask,
    draft_from_data,
    draft_to_data,
)
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.readers.text import read_text
from theodoi.importer.recognise.coverage import (
    FEW_TASKS_MIN_TEXT,
    FEW_TASKS_TEXT_PER_TASK,
    add_coverage,
    add_left_out_task,
    few_tasks_message,
    measure,
)
from theodoi.importer.recognise.header import recognise_header
from theodoi.importer.recognise.plan import recognise

SEEDS = ["000", "001", "002", "003", "004"]


def paragraphs(*texts: str, start: int = 1) -> list[Paragraph]:
    return [Paragraph(text, f"line {start + i}") for i, text in enumerate(texts)]


def kind_of(document: Document, draft: Draft) -> dict[str, str]:
    """Each block's kind, read back from the coverage: left out or not."""
    left = {s for block in draft.coverage.left_out for s in block.source.split(", ")}
    return {
        unit.source: ("left_out" if unit.source in left else "other")
        for block in document.blocks
        for unit in (block.rows if isinstance(block, Table) else [block])
    }


# A plan of a common kind: its tasks are bullet points under lettered headings,
# each naming its lead unit and deadline. Built here, modelled on ward plans.
_GROUPS = [
    "Về hạ tầng số",
    "Về chính quyền số",
    "Về kinh tế số",
    "Về xã hội số",
    "Về nhân lực số",
    "Về dữ liệu số",
    "Về an toàn thông tin",
    "Về đổi mới sáng tạo",
    "Về truyền thông",
]
_ACTIVITIES = [
    "rà soát, cập nhật cơ sở dữ liệu chuyên ngành, bảo đảm dữ liệu đúng, đủ, sạch, sống và "
    "kết nối với Kho dữ liệu dùng chung của thành phố",
    "tổ chức tập huấn kỹ năng số cơ bản cho cán bộ, công chức, viên chức và thành viên Tổ "
    "công nghệ số cộng đồng ở các khu phố",
    "triển khai thanh toán không dùng tiền mặt tại chợ, trường học, cơ sở y tế và các hộ "
    "kinh doanh trên địa bàn phường",
    "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực và đưa vào khai thác, "
    "sử dụng lại trên Cổng dịch vụ công",
    "hướng dẫn người dân kích hoạt tài khoản định danh điện tử mức độ 2 và sử dụng các tiện "
    "ích trên ứng dụng VNeID",
]
_UNITS = [
    "Phòng Văn hóa - Xã hội",
    "Văn phòng HĐND và UBND phường",
    "Công an phường",
    "Trung tâm Phục vụ hành chính công",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
]


def bullet_plan(ward: str = "An Bình", *, marked: bool = True) -> tuple[str, list[str]]:
    """The plan of the ward ``ward`` as text, and its 45 bullet tasks as written. Not
    ``marked``, the tasks are plain paragraphs of the tasks part, with no heading, number or
    dash to tell one from the next: a plan the importer cannot cut into tasks."""
    lines = [
        "ỦY BAN NHÂN DÂN",
        f"PHƯỜNG {ward.upper()}",
        "",
        "Số: 45/KH-UBND",
        "",
        f"{ward}, ngày 12 tháng 3 năm 2026",
        "",
        "KẾ HOẠCH",
        "Thực hiện chuyển đổi số năm 2026",
        "",
        "Căn cứ Kế hoạch số 92/KH-UBND ngày 15/9/2025 của UBND tỉnh về thực hiện Nghị quyết "
        "số 57-NQ/TW;",
        "",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "",
        "Triển khai đồng bộ các nhiệm vụ chuyển đổi số trên địa bàn phường, gắn trách nhiệm "
        "người đứng đầu.",
        "",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "",
        "1. Nhiệm vụ chung",
        "",
        "1.1. Quán triệt Nghị quyết số 57-NQ/TW đến toàn thể cán bộ, công chức và đảng viên.",
        "",
        "1.2. Kiện toàn Ban Chỉ đạo chuyển đổi số phường, phân công thành viên phụ trách.",
        "",
        "2. Nhiệm vụ cụ thể",
        "",
    ]
    if not marked:
        lines = lines[: lines.index("1. Nhiệm vụ chung")]
    bullets = []
    for g, group in enumerate(_GROUPS):
        if marked:
            lines += [f"{'abcdefghi'[g]}) {group}", ""]
        for k in range(5):
            bullet = (
                f"{'- ' if marked else ''}{_UNITS[(g + k) % 5]} chủ trì, phối hợp các cơ quan, đơn vị liên quan "
                f"{_ACTIVITIES[(g + k) % 5]} ({group.lower()}, đợt {k + 1}); hoàn thành trước "
                f"ngày 30/{k + 3}/2026 và báo cáo kết quả về Phòng Văn hóa - Xã hội."
            )
            bullets.append(bullet)
            lines += [bullet, ""]
    lines += [
        "III. TỔ CHỨC THỰC HIỆN",
        "",
        "Định kỳ hàng quý, các cơ quan, đơn vị báo cáo kết quả thực hiện về Phòng Văn hóa - "
        "Xã hội để tổng hợp.",
        "",
        "Nơi nhận:",
        "- UBND thành phố;",
        "- Lưu: VT.",
        "",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "",
        "Nguyễn Văn An",
    ]
    return "\n".join(lines), bullets


def test_a_plan_of_bullet_tasks_is_read_task_by_task():
    text, bullets = bullet_plan()
    draft = recognise(read_text(text, name="ke-hoach.txt"))

    read = [task.title for task in draft.tasks]
    assert all(any(title.startswith(bullet[2:60]) for title in read) for bullet in bullets)
    assert not draft.coverage.few_tasks
    assert draft.coverage.tasks == len(draft.tasks)


def test_a_plan_whose_tasks_cannot_be_told_apart_says_so_first_and_lists_each_paragraph():
    text, paragraphs_ = bullet_plan(marked=False)
    draft = recognise(read_text(text, name="ke-hoach.txt"))
    coverage = draft.coverage

    assert len(draft.tasks) < len(paragraphs_) // 2
    assert coverage.few_tasks
    assert draft.warnings[0] == few_tasks_message(coverage)
    listed = " ".join(block.text for block in coverage.left_out)
    read = " ".join(task.title for task in draft.tasks)
    for paragraph in paragraphs_:
        assert paragraph[:60] in listed or paragraph[:60] in read
    assert all(block.task_part for block in coverage.left_out)


def test_a_narrative_glued_into_two_tasks_is_said_prominently():
    """Many paragraphs read into 2 tasks: little is left out, but the text per task is far
    above what plans write, and each task that long is named."""
    items = [
        f"- Phòng Văn hóa - Xã hội chủ trì triển khai nội dung số {n}: rà soát, cập nhật dữ "
        "liệu, hướng dẫn người dân sử dụng dịch vụ công trực tuyến và báo cáo kết quả hằng quý."
        for n in range(1, 41)
    ]
    document = Document(
        blocks=[
            *paragraphs("KẾ HOẠCH", "Chuyển đổi số năm 2026", "II. NHIỆM VỤ, GIẢI PHÁP"),
            *paragraphs(*items, start=4),
        ]
    )
    half = len(items) // 2
    draft = Draft(
        plan=DraftPlan(title="Chuyển đổi số năm 2026", sources=["line 1", "line 2"]),
        tasks=[
            DraftTask(
                code="1",
                title=" ".join(items[:half]),
                row=", ".join(f"line {4 + n}" for n in range(half)),
            ),
            DraftTask(
                code="2",
                title=" ".join(items[half:]),
                row=", ".join(f"line {4 + n}" for n in range(half, len(items))),
            ),
        ],
    )
    add_coverage(document, draft)
    coverage = draft.coverage
    assert coverage.left_out == []
    assert coverage.task_text >= FEW_TASKS_MIN_TEXT
    assert coverage.task_text / 2 > FEW_TASKS_TEXT_PER_TASK
    assert coverage.few_tasks
    assert draft.warnings[0].startswith("Ít nhiệm vụ so với độ dài văn bản")
    assert "2 nhiệm vụ" in draft.warnings[0]
    assert coverage.long_tasks == ["1", "2"]
    assert any(
        w.startswith("Nhiệm vụ 1 được đọc từ 20 khối văn bản (dòng 4–23)") for w in draft.warnings
    )


def test_the_same_text_as_forty_tasks_is_no_warning():
    items = [
        f"- Phòng Văn hóa - Xã hội chủ trì triển khai nội dung số {n}: rà soát, cập nhật dữ "
        "liệu và báo cáo kết quả hằng quý."
        for n in range(1, 41)
    ]
    document = Document(blocks=[*paragraphs("II. NHIỆM VỤ, GIẢI PHÁP", *items)])
    draft = Draft(
        tasks=[DraftTask(code=str(n), title=t, row=f"line {n + 2}") for n, t in enumerate(items)]
    )
    add_coverage(document, draft)
    assert not draft.coverage.few_tasks
    assert draft.coverage.left_out == [] and draft.warnings == []
    assert draft.coverage.share("tasks") > 95


def test_a_table_nobody_claimed_is_left_out_row_by_row_and_its_header_is_not():
    document = Document(
        blocks=[
            *paragraphs("II. NHIỆM VỤ, GIẢI PHÁP", "PHỤ LỤC II"),
            Table(
                rows=[
                    Row(["STT", "Tên dự án", "Đơn vị đề xuất"], "table 1 row 1", is_header=True),
                    Row(["1", "Lắp đặt kiosk thông minh", "Công an phường"], "table 1 row 2"),
                    Row(["2", "Wifi công cộng tại nhà văn hóa", "Phòng VHXH"], "table 1 row 3"),
                ],
                source="table 1",
            ),
        ]
    )
    coverage = measure(document, Draft())
    assert [b.source for b in coverage.left_out] == ["table 1 row 2", "table 1 row 3"]
    assert coverage.left_out[0].text == "1 | Lắp đặt kiosk thông minh | Công an phường"
    assert coverage.left_out[0].part == "PHỤ LỤC II" and coverage.left_out[0].task_part


def test_rows_of_a_read_table_count_as_read_its_total_and_group_rows_too():
    document = Document(
        blocks=[
            *paragraphs("PHỤ LỤC III"),
            Table(
                rows=[
                    Row(["STT", "Nội dung", "Tổng", "Năm 2026"], "line 2", is_header=True),
                    Row(["I", "Hạ tầng số"], "line 3"),
                    Row(["1", "Camera an ninh", "500", "500"], "line 4"),
                    Row(["2", "Wifi công cộng", "300", "300"], "line 5"),
                    Row(["Tổng cộng", "", "800", "800"], "line 6"),
                ],
                source="line 2",
            ),
        ]
    )
    draft = Draft()
    draft.budget = [
        DraftBudgetLine("Camera an ninh", row="line 4"),
        DraftBudgetLine("Wifi", row="line 5"),
    ]
    coverage = measure(document, draft)
    assert coverage.left_out == []
    assert coverage.blocks["budget"] == 3  # the two lines and the total the recogniser checks
    assert coverage.blocks["context"] == 3  # the heading, the header row, the group row


def test_context_by_nature_is_not_left_out_and_identity_and_cadence_are_counted():
    text = "\n".join(
        [
            "ỦY BAN NHÂN DÂN",
            "PHƯỜNG AN BÌNH",
            "Số: 12/KH-UBND",
            "An Bình, ngày 2 tháng 3 năm 2026",
            "KẾ HOẠCH",
            "Chuyển đổi số năm 2026",
            "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "1. Mục đích",
            "Nâng cao hiệu quả quản lý nhà nước trên môi trường số.",
            "II. TỔ CHỨC THỰC HIỆN",
            "Định kỳ hằng tháng, các đơn vị báo cáo kết quả thực hiện về Văn phòng.",
            "Giao Công an phường rà soát dữ liệu dân cư trong quý II/2026.",
            "Nơi nhận:",
            "- Như trên;",
            "- Lưu: VT.",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Trần Thị Bình",
        ]
    )
    document = read_text(text)
    draft = Draft()
    draft.plan, _ = recognise_header(document)
    draft.plan.reporting_cycle_source = (
        "Định kỳ hằng tháng, các đơn vị báo cáo kết quả thực hiện về Văn phòng."
    )
    coverage = measure(document, draft)
    # Only the one sentence that assigns work is left out, in the part that holds tasks.
    assert [(b.source, b.task_part) for b in coverage.left_out] == [("line 13", True)]
    assert coverage.blocks["cadence"] == 1
    assert set(draft.plan.sources) >= {"line 1", "line 2", "line 3", "line 4", "line 5", "line 6"}
    assert coverage.blocks["identity"] == len(draft.plan.sources)
    assert sum(coverage.chars.values()) == coverage.total
    assert coverage.total == sum(len("".join(p.text.split())) for p in document.paragraphs())


def test_a_span_and_a_list_of_sources_claim_every_block_they_name():
    document = Document(blocks=[*paragraphs("II. NHIỆM VỤ", *[f"- việc {n}" for n in range(6)])])
    draft = Draft(
        tasks=[DraftTask(code="1", title="…", row="line 2, line 3")],
        indicators=[],
    )
    draft.indicators = [DraftIndicator(name="…", row="line 4–6")]
    coverage = measure(document, draft)
    assert [b.source for b in coverage.left_out] == ["line 7"]
    assert coverage.blocks["tasks"] == 2 and coverage.blocks["indicators"] == 3


def test_lines_broken_by_a_conversion_are_one_left_out_block():
    document = Document(
        blocks=paragraphs(
            "III. TỔ CHỨC THỰC HIỆN",
            "2. Các cơ quan, đơn vị căn cứ chức năng, nhiệm vụ",
            "của ngành mình tổ chức quán triệt nội dung Kế hoạch",
            "5G và Internet cáp quang tới các khu phố.",
            "a) Phòng Văn hóa - Xã hội hướng dẫn thực hiện.",
        )
    )
    coverage = measure(document, Draft())
    assert [b.source for b in coverage.left_out] == ["line 2, line 3, line 4", "line 5"]
    assert coverage.left_out[0].text.endswith("Kế hoạch 5G và Internet cáp quang tới các khu phố.")


@pytest.fixture(scope="module")
def seed_drafts():
    return {key: (seed_document(key), recognise(seed_document(key))) for key in SEEDS}


@pytest.mark.parametrize("key", SEEDS)
def test_seeds_are_covered_with_short_sensible_left_out_lists(seed_drafts, key):
    document, draft = seed_drafts[key]
    coverage = draft.coverage
    assert not coverage.few_tasks
    assert set(coverage.chars) <= set(COVERAGE_KINDS)
    assert sum(coverage.share(kind) for kind in COVERAGE_KINDS) == pytest.approx(100, abs=0.5)
    assert coverage.tasks == len(draft.tasks)
    read = {
        source.strip()
        for item in [*draft.tasks, *draft.indicators, *draft.budget]
        for source in item.row.split(",")
    }
    sources = [s for block in coverage.left_out for s in block.source.split(", ")]
    assert len(sources) == len(set(sources)), "a block listed twice"
    assert not read & set(sources), "a block read into the draft is listed as left out"
    texts = {
        unit.source: unit.text
        if isinstance(unit, Paragraph)
        else " | ".join(cell.strip() for cell in unit.cells if cell.strip())
        for block in document.blocks
        for unit in (block.rows if isinstance(block, Table) else [block])
    }
    for block in coverage.left_out:
        assert block.text.startswith(texts[block.source.split(", ")[0]][:50])
        # Never the grounds, the recipients or the signature.
        assert not block.text.startswith(("Căn cứ", "Nơi nhận", "- Lưu", "KT.", "TM."))
    # The parts that should hold tasks come first in what a person must look at.
    assert sum(b.task_part for b in coverage.left_out) >= len(coverage.left_out) // 10


def test_seed_004_lists_the_organisation_part_it_did_not_read(seed_drafts):
    document, draft = seed_drafts["004"]
    coverage = draft.coverage
    parts = {block.part for block in coverage.left_out}
    assert parts <= {"II. NỘI DUNG NHIỆM VỤ", "III. TỔ CHỨC THỰC HIỆN"}
    assert all(block.task_part for block in coverage.left_out)
    # Every numbered duty of the organisation part is either read or listed with its line.
    duties = [
        p
        for p in document.paragraphs()
        if p.text[:2] in {"1.", "3.", "4.", "5.", "6."} and 129 < int(p.source.split()[1]) < 145
    ]
    listed = {block.source for block in coverage.left_out}
    assert duties and all(p.source in listed for p in duties)


def test_adding_a_left_out_block_as_a_task_moves_it_and_survives_the_draft_store(seed_drafts):
    _, recognised = seed_drafts["004"]
    draft = draft_from_data(draft_to_data(recognised))  # what the draft page keeps
    assert draft.coverage == recognised.coverage
    before = len(draft.tasks)
    block = next(b for b in draft.coverage.left_out if b.source == "line 141")
    assert block.section == ""  # the organisation part opens no numbered section
    left = draft.coverage.chars["left_out"]
    task = add_left_out_task(draft, "line 141")
    assert task is not None and len(draft.tasks) == before + 1
    assert (task.section, task.code) == ("", "1")  # the first task outside any section
    # The item's number is no part of its name.
    assert task.title.startswith("Công an phường tăng cường") and task.row == "line 141"
    # Placed after the last task, so the list keeps the document's order.
    assert draft.tasks[-1] is task
    assert "line 141" not in {b.source for b in draft.coverage.left_out}
    assert draft.coverage.added == ["line 141"]
    # The warning that sums up the left-out blocks counts one fewer, and only once.
    left_now = len(draft.coverage.left_out)
    assert sum(w.startswith(f"{left_now} khối văn bản") for w in draft.warnings) == 1
    assert not any(w.startswith(f"{left_now + 1} khối văn bản") for w in draft.warnings)
    assert draft.coverage.chars["left_out"] == left - block.chars
    assert add_left_out_task(draft, "line 141") is None  # not twice
    kept = draft_from_data(draft_to_data(draft))
    assert kept.coverage.added == ["line 141"] and kept.tasks[-1].code == "1"


def test_a_block_without_a_section_before_it_gets_the_next_free_code():
    draft = Draft(
        sections=[DraftSection(code="I", title="Nhiệm vụ", row="table 1 row 2")],
        tasks=[DraftTask(code="1", title="a", section=""), DraftTask(code="2", title="b")],
    )
    document = Document(blocks=paragraphs("II. NHIỆM VỤ", "- Lắp camera an ninh tại các ngã tư."))
    draft.coverage = measure(document, draft)
    task = add_left_out_task(draft, "line 2")
    assert (task.section, task.code) == ("", "3")


def test_the_json_of_a_draft_carries_its_coverage(seed_drafts):
    _, draft = seed_drafts["000"]
    data = draft.to_json()["coverage"]
    assert set(data["shares"]) == set(COVERAGE_KINDS)
    assert data["total_chars"] == sum(data["chars"].values())
    assert data["left_out"][0].keys() >= {"source", "text", "part", "task_part", "section"}
    assert draft.to_json()["plan"]["sources"] == draft.plan.sources


def test_an_old_stored_draft_without_coverage_still_loads():
    data = draft_to_data(Draft())
    data.pop("coverage")
    assert draft_from_data(data).coverage is None


def test_word_and_excel_sources_are_matched_too():
    """Word names its blocks "paragraph 5", "table 1 row 3"; a workbook "sheet Kinh phí row 4"
    with the sheet's name as a title: the same coverage."""
    draft = draft_from_bytes(documents.plan_docx(), name="ke-hoach.docx")
    coverage = draft.coverage
    assert {s for t in draft.tasks for s in t.row.split(", ")} <= {
        f"table {n} row {m}" for n in range(1, 5) for m in range(1, 30)
    }
    assert not any(block.source.startswith("table") for block in coverage.left_out)
    assert all(block.source.startswith("paragraph ") for block in coverage.left_out)
    workbook = draft_from_bytes(documents.budget_xlsx(), name="kinh-phi.xlsx").coverage
    assert workbook.left_out == []
    assert workbook.chars["budget"] > 0 and workbook.chars["indicators"] > 0


def test_a_section_code_is_matched_as_written_not_as_a_pattern():
    # "(1)" read as a pattern matches "1.2", not "(1).2": the code taken must follow the
    # section's own tasks.
    draft = Draft(
        sections=[DraftSection(code="(1)", title="Hạ tầng số", row="line 9")],
        tasks=[
            DraftTask(code="(1).1", title="a", section="(1)"),
            DraftTask(code="(1).2", title="b", section="(1)"),
        ],
    )
    document = Document(blocks=paragraphs("II. NHIỆM VỤ", "- Lắp camera an ninh tại các ngã tư."))
    draft.coverage = measure(document, draft)
    next(b for b in draft.coverage.left_out if b.source == "line 2").section = "(1)"
    task = add_left_out_task(draft, "line 2")
    assert (task.section, task.code) == ("(1)", "(1).3")


def test_a_block_added_as_a_task_has_the_units_and_deadline_its_sentence_assigns(seed_drafts):
    _, recognised = seed_drafts["004"]
    draft = draft_from_data(draft_to_data(recognised))

    task = add_left_out_task(draft, "line 135")

    assert task is not None and task.title.startswith("Phòng Văn hóa - Xã hội phường chủ trì")
    assert task.lead_units_raw == "Phòng Văn hóa - Xã hội phường"
    assert "các cơ quan, đơn vị liên quan" in task.coordinating_units_raw
