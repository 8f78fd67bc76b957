"""Tasks written as text: which level of a plan's items is the task, what its details are, what
its groups give it, and that nothing written inside a tasks part is lost."""

from hypothesis import given, settings
from hypothesis import strategies as st

from theodoi.importer.readers.text import read_text
from theodoi.importer.recognise.narrative import parse_parts, task_depth, tasks_from_text
from theodoi.importer.recognise.plan import recognise

PROGRAMME = """\
II. NHIỆM VỤ, GIẢI PHÁP

1. Nâng cao nhận thức

a) Tổ chức học tập Nghị quyết; Ban Xây dựng Đảng chủ trì, phối hợp với Văn phòng Đảng ủy thực hiện; hoàn thành trong quý I/2026.

- Hình thức học tập trực tiếp kết hợp trực tuyến.

+ Tài liệu được số hóa.

b) Xây dựng chuyên mục tuyên truyền; Phòng Văn hóa - Xã hội chủ trì thực hiện thường xuyên.

- Trung tâm Phục vụ hành chính công chủ trì cập nhật thủ tục trên chuyên mục.

c) Phát huy vai trò nêu gương của cán bộ, đảng viên.

2. Hoàn thiện thể chế

a) Ban hành quy chế làm việc; Văn phòng Đảng ủy chủ trì thực hiện; hoàn thành trước 31/3/2026.

b) Rà soát quy định nội bộ; giao Ủy ban nhân dân phường chủ trì thực hiện; hoàn thành trong năm 2026.

III. TỔ CHỨC THỰC HIỆN

1. Văn phòng HĐND và UBND:

- Tham mưu xây dựng kế hoạch năm 2027; hoàn thành trước 15/12/2026.

- Phối hợp với Công an phường bảo đảm hạ tầng kỹ thuật; thực hiện thường xuyên.

2. Các chi bộ trực thuộc báo cáo kết quả định kỳ hằng năm.
"""


def test_lettered_items_with_assignments_are_the_tasks_and_their_bullets_details():
    sections, tasks, _ = tasks_from_text(read_text(PROGRAMME))
    top = [t for t in tasks if not t.parent]
    assert [t.code for t in top] == ["1.a", "1.b", "1.c", "2.a", "2.b", "III.1.1", "III.1.2"]
    first = top[0]
    assert first.lead_units_raw == "Ban Xây dựng Đảng"
    assert first.coordinating_units_raw == "Văn phòng Đảng ủy"
    assert first.deadline_text == "hoàn thành trong quý I/2026"
    # Its "-" and "+" lines are details: in the note, and in the rows it was read from.
    assert "Hình thức học tập" in first.note and "Tài liệu được số hóa" in first.note
    assert first.row == "line 5, line 7, line 9"
    assert [s.code for s in sections] == ["1", "2", "III.1"]


def test_a_detail_naming_its_own_lead_is_a_subtask():
    _, tasks, _ = tasks_from_text(read_text(PROGRAMME))
    subtasks = [t for t in tasks if t.parent]
    assert [(t.code, t.parent, t.lead_units_raw) for t in subtasks] == [
        ("1.b.1", "1.b", "Trung tâm Phục vụ hành chính công")
    ]


def test_a_unit_heading_gives_its_bullets_their_lead_and_arrangements_are_no_tasks():
    sections, tasks, warnings = tasks_from_text(read_text(PROGRAMME))
    unit_tasks = [t for t in tasks if t.section == "III.1"]
    assert {t.lead_units_raw for t in unit_tasks} == {"Văn phòng HĐND và UBND"}
    # The heading that names the unit is a block each of its tasks was read from.
    heading = next(s for s in sections if s.code == "III.1").row
    assert all(t.row.endswith(f", {heading}") for t in unit_tasks)
    assert unit_tasks[1].coordinating_units_raw == "Công an phường"
    assert not any("báo cáo kết quả định kỳ" in t.title for t in tasks)
    # The task that names no lead is said.
    assert any("1.c" in w for w in warnings)


def test_a_group_that_assigns_its_tasks():
    text = (
        "II. NHIỆM VỤ, GIẢI PHÁP\n"
        "d) Bảo đảm an ninh mạng (giao Công an phường chủ trì thực hiện các nhiệm vụ sau):\n"
        "- Kiểm tra an toàn thông tin; hoàn thành trong quý III/2026.\n"
        "- Tuyên truyền phòng ngừa lừa đảo; thực hiện thường xuyên.\n"
        "e) Chuyển đổi số trong cơ quan nhà nước\n"
        "- Ký số văn bản đi; Văn phòng HĐND và UBND thực hiện thường xuyên.\n"
        "- Họp trực tuyến; Văn phòng HĐND và UBND chủ trì thực hiện thường xuyên.\n"
    )
    _, tasks, _ = tasks_from_text(read_text(text))
    assert [(t.code, t.lead_units_raw) for t in tasks] == [
        ("d.1", "Công an phường"),
        ("d.2", "Công an phường"),
        ("e.1", "Văn phòng HĐND và UBND"),
        ("e.2", "Văn phòng HĐND và UBND"),
    ]


def test_a_deadline_line_after_a_run_of_bullets_is_the_runs():
    text = (
        "III. NHIỆM VỤ VÀ GIẢI PHÁP CỤ THỂ\n"
        "1. Hạ tầng kết nối\n"
        "- Rà soát hạ tầng nhà văn hóa.\n"
        "Thời gian hoàn thành: Trong Quý IV/2025.\n"
        "- Lắp đặt trạm phát sóng 5G, đảm bảo độ phủ\n"
        "sóng theo lộ trình.\n"
        "- Vận động người dân dùng Internet tốc độ cao.\n"
        "Thời gian hoàn thành: Quý I/2030.\n"
    )
    _, tasks, _ = tasks_from_text(read_text(text))
    assert [(t.code, t.deadline_text) for t in tasks] == [
        ("1.1", "Trong Quý IV/2025"),
        ("1.2", "Quý I/2030"),
        ("1.3", "Quý I/2030"),
    ]
    assert tasks[1].title.endswith("đảm bảo độ phủ sóng theo lộ trình.")
    assert tasks[1].row == "line 5, line 6, line 8"


def test_numbered_groups_over_numbered_items():
    text = (
        "II. NỘI DUNG NHIỆM VỤ\n"
        "1. Nâng cao nhận thức\n"
        "1.1. Tuyên truyền Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.\n"
        "1.2. Cụ thể hóa các nhiệm vụ.\n"
        "2. Hoàn thiện thể chế\n"
        "2.1. Rà soát quy định.\n"
    )
    document = read_text(text)
    assert task_depth(parse_parts(document)[0]) == (2, False)
    _, tasks, _ = tasks_from_text(document)
    assert [t.code for t in tasks] == ["1.1", "1.2", "2.1"]
    assert tasks[0].deadline_text == ""  # the resolution's date is not the task's


BODY_AND_TABLE = """\
Số: 12/KH-UBND

Phường An Khánh, ngày 10 tháng 3 năm 2026

II. NHIỆM VỤ, GIẢI PHÁP

a) Hạ tầng số

- Hoàn thiện hạ tầng mạng nội bộ tại trụ sở phường; Văn phòng HĐND và UBND chủ trì thực hiện; hoàn thành trong quý II/2026.

- Xây dựng bản đồ số quy hoạch; Phòng Kinh tế chủ trì thực hiện; hoàn thành trong năm 2027.

PHỤ LỤC

| STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Hoàn thiện hạ tầng mạng nội bộ tại trụ sở phường | Văn phòng HĐND và UBND | Công an phường | Quý II/2026 |
| 2 | Số hóa hồ sơ thủ tục hành chính | Trung tâm Phục vụ hành chính công | | Năm 2026 |
"""


def test_a_task_in_both_the_body_and_the_table_is_kept_once():
    draft = recognise(read_text(BODY_AND_TABLE))
    titles = [t.title for t in draft.tasks]
    assert len(draft.tasks) == 3
    linked = next(t for t in draft.tasks if t.also_at)
    assert linked.title == "Hoàn thiện hạ tầng mạng nội bộ tại trụ sở phường"
    assert linked.coordinating_units_raw == "Công an phường"
    assert linked.also_at == "line 9"
    assert linked.row == "line 17, line 9"
    assert any("Xây dựng bản đồ số" in t for t in titles)
    assert any("line 9" in w or "Dòng 9" in w or "dòng 9" in w for w in draft.warnings)
    assert "also_at" in draft.to_json()["tasks"][0]


# --- Nothing written inside a tasks part is lost ----------------------------------------------

_MARKERS = ["1.", "2.", "1.1.", "a)", "b)", "đ)", "-", "+", "•", ""]
_TEXTS = [
    "Rà soát quy chế làm việc",
    "Văn phòng HĐND và UBND chủ trì, phối hợp với Công an phường thực hiện",
    "hoàn thành trong quý II/2026",
    "Phối hợp với các sở triển khai",
    "tiếp tục dòng bị ngắt",
    "Thời gian hoàn thành: Quý I/2030",
    "Công an phường:",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_MARKERS), st.sampled_from(_TEXTS)), max_size=30))
def test_every_paragraph_of_a_tasks_part_lands_somewhere(lines):
    text = "I. MỤC ĐÍCH\n- Không đọc.\nII. NHIỆM VỤ, GIẢI PHÁP\n" + "\n".join(
        f"{marker} {words}".strip() for marker, words in lines
    )
    document = read_text(text)
    parts = parse_parts(document)
    inside = [p.source for p in document.paragraphs()[3:]]

    def sources(item):
        found = list(item.sources)
        for child in item.children:
            found.extend(sources(child))
        return found

    assert sorted(s for part in parts for s in sources(part)) == sorted(inside)
    # Every item without items under it is a task or a detail of one: listed in a task's rows.
    sections, tasks, _ = tasks_from_text(document)
    rows = {s for t in tasks for s in t.row.split(", ")}

    def leaves(item):
        below = item.items()
        return (
            [item] if not below and item.kind != "part" else [x for c in below for x in leaves(c)]
        )

    for part in parts:
        for leaf in leaves(part):
            assert set(leaf.sources) <= rows


def test_without_any_assignment_sentences_with_bullets_under_them_are_tasks():
    text = (
        "II. NHIỆM VỤ, GIẢI PHÁP\n"
        "1. Nâng cao nhận thức\n"
        "a) Tổ chức học tập, quán triệt Nghị quyết đến các chi bộ.\n"
        "- Hình thức trực tiếp kết hợp trực tuyến.\n"
        "- Tài liệu được số hóa.\n"
        "b) Phát huy vai trò nêu gương của cán bộ, đảng viên.\n"
        "- Trước hết là người đứng đầu.\n"
        "2. Hoàn thiện thể chế\n"
        "a) Rà soát, sửa đổi các quy định nội bộ không còn phù hợp.\n"
        "- Danh mục quy định được công khai.\n"
    )
    _, tasks, _ = tasks_from_text(read_text(text))
    assert [t.code for t in tasks] == ["1.a", "1.b", "2.a"]
    assert tasks[0].note == "- Hình thức trực tiếp kết hợp trực tuyến.\n- Tài liệu được số hóa."


def test_labelled_lines_under_a_task_assign_it():
    text = (
        "II. NHIỆM VỤ, GIẢI PHÁP\n"
        "1. Hạ tầng số\n"
        "a) Xây dựng kho dữ liệu dùng chung của phường.\n"
        "+ Đơn vị chủ trì: Văn phòng HĐND và UBND.\n"
        "+ Đơn vị phối hợp: Công an phường.\n"
        "+ Thời gian hoàn thành: Quý III/2026.\n"
        "b) Số hóa hồ sơ hộ tịch.\n"
        "+ Đơn vị chủ trì: Trung tâm Phục vụ hành chính công.\n"
        "+ Thời gian hoàn thành: Năm 2026.\n"
    )
    _, tasks, _ = tasks_from_text(read_text(text))
    assert [(t.code, t.lead_units_raw, t.deadline_text) for t in tasks] == [
        ("1.a", "Văn phòng HĐND và UBND", "Quý III/2026"),
        ("1.b", "Trung tâm Phục vụ hành chính công", "Năm 2026"),
    ]
    assert tasks[0].coordinating_units_raw == "Công an phường"
    assert tasks[0].row == "line 3, line 4, line 5, line 6"


def test_short_titles_beside_bulleted_tasks_are_groups():
    text = (
        "III- GIẢI PHÁP\n"
        "1. Về công tác chỉ đạo, điều hành\n"
        "- Các cơ quan, đơn vị xây dựng kế hoạch thực hiện Nghị quyết.\n"
        "- Cập nhật hoạt động chỉ đạo trên hệ thống theo dõi của phường.\n"
        "2. Thực hiện thể chế và chuyển đổi số\n"
        "a) Thực hiện thể chế, chính sách\n"
        "- Triển khai chính sách hỗ trợ đổi mới công nghệ.\n"
        "- Nghiên cứu cơ chế đặc thù trong đầu tư công.\n"
        "b) Chuyển đổi số\n"
        "- Tái cấu trúc dịch vụ công trực tuyến.\n"
    )
    sections, tasks, _ = tasks_from_text(read_text(text))
    assert [t.code for t in tasks] == ["1.1", "1.2", "2.a.1", "2.a.2", "2.b.1"]
    assert [s.code for s in sections] == ["1", "2.a", "2.b"]


# The body's first task has a subtask; the table's twin of that task has one of its own.
BODY_SUBTASK_AND_TABLE_SUBTASK = BODY_AND_TABLE.replace(
    "hoàn thành trong quý II/2026.\n",
    "hoàn thành trong quý II/2026.\n\n+ Công an phường chủ trì kiểm tra an toàn thông tin của "
    "mạng nội bộ; hoàn thành trong quý III/2026.\n",
    1,
).replace(
    "| Quý II/2026 |\n",
    "| Quý II/2026 |\n| 1.1 | Lắp đặt thiết bị chuyển mạch mới | Văn phòng HĐND và UBND | | "
    "Quý I/2026 |\n",
)


def test_a_body_subtask_moved_under_a_table_task_takes_a_code_of_its_own():
    draft = recognise(read_text(BODY_SUBTASK_AND_TABLE_SUBTASK))
    twin = next(t for t in draft.tasks if t.also_at)
    assert (twin.code, twin.title) == ("1", "Hoàn thiện hạ tầng mạng nội bộ tại trụ sở phường")
    children = [t for t in draft.tasks if t.parent == "1"]
    by_code = {t.code: t.title for t in children}
    assert by_code["1.1"] == "Lắp đặt thiết bị chuyển mạch mới"
    moved = next(t for t in children if t.title.startswith("Công an phường chủ trì"))
    assert moved.code == "1.2"
    codes = [(t.section, t.code) for t in draft.tasks]
    assert len(codes) == len(set(codes))


def test_labels_naming_a_section_of_the_office_and_the_time_of_completion_assign_the_task():
    text = (
        "II. NHIỆM VỤ, GIẢI PHÁP\n"
        "1. Cải cách hành chính\n"
        "a) Rà soát thủ tục hành chính nội bộ của phường.\n"
        "- Bộ phận chủ trì: Văn phòng HĐND và UBND.\n"
        "- Thời điểm hoàn thành: Quý II/2026.\n"
        "b) Số hóa hồ sơ hộ tịch.\n"
        "- Bộ phận chủ trì: Trung tâm Phục vụ hành chính công.\n"
        "- Bộ phận phối hợp: Công an phường.\n"
        "- Thời điểm hoàn thành: Năm 2026.\n"
    )
    _, tasks, _ = tasks_from_text(read_text(text))
    assert [(t.code, t.title, t.lead_units_raw, t.deadline_text) for t in tasks] == [
        (
            "1.a",
            "Rà soát thủ tục hành chính nội bộ của phường.",
            "Văn phòng HĐND và UBND",
            "Quý II/2026",
        ),
        ("1.b", "Số hóa hồ sơ hộ tịch.", "Trung tâm Phục vụ hành chính công", "Năm 2026"),
    ]
    assert tasks[1].coordinating_units_raw == "Công an phường"
    assert tasks[0].row == "line 3, line 4, line 5"
