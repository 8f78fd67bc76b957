"""Sections and tasks of every seed plan (issue: "What the seeds must give")."""

import re
from collections import Counter

import pytest

from tests.importer.seeds import seed_document
from theodoi.core.text import fold
from theodoi.importer.recognise.narrative import tasks_from_text
from theodoi.importer.recognise.tables import logical_tables
from theodoi.importer.recognise.tasks import is_task_table, tasks_from_table


def table_tasks(key):
    sections, tasks, warnings = [], [], []
    for table in logical_tables(seed_document(key)):
        if is_task_table(table) and not is_budget(table):
            s, t, w = tasks_from_table(table)
            sections += s
            tasks += t
            warnings += w
    return sections, tasks, warnings


def is_budget(table):
    return "kinh phi" in fold(" ".join(table.header))


def by_code(tasks, section, code):
    return next(t for t in tasks if t.section == section and t.code == code)


def test_seed_000_sections_and_tasks():
    sections, tasks, _ = table_tasks("000")
    assert [s.code for s in sections] == ["I", "II", "III", "IV", "V"]
    assert [t.code for t in tasks] == [str(n) for n in range(1, 20)]
    assert all(not t.parent for t in tasks)


def test_seed_000_rows_continued_after_a_page_break_are_joined():
    _, tasks, _ = table_tasks("000")
    six = by_code(tasks, "II", "6")
    assert six.title.endswith(
        "phục vụ chỉ đạo, điều hành chia sẻ, tích hợp về kho dữ liệu dùng chung của thành phố."
    )
    thirteen = by_code(tasks, "III", "13")
    assert thirteen.deadline_text == "Sau khi UBND thành phố ban hành Kế hoạch"
    assert "tăng cường giáo dục STEM" in thirteen.title
    assert "line" in thirteen.row and "," in thirteen.row  # both source lines are named


def test_seed_000_lead_units_kept_as_written():
    _, tasks, _ = table_tasks("000")
    assert by_code(tasks, "I", "1").lead_units_raw == (
        "UBND phường (Phòng Văn hóa, Xã hội; Trung tâm Dịch vụ tổng hợp)"
    )


def test_seed_001_general_tasks_and_subtasks():
    sections, tasks, warnings = table_tasks("001")
    assert [s.code for s in sections] == ["I", "II", "III", "IV", "V", "VI"]
    general = [t for t in tasks if not t.parent]
    assert len(general) == 22
    subtasks = Counter((t.section, t.parent) for t in tasks if t.parent)
    assert subtasks == {("V", "1"): 6, ("V", "2"): 5, ("V", "7"): 2}
    assert [t.code for t in tasks if t.parent == "1" and t.section == "V"] == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
        "1.6",
    ]
    assert [t.title for t in tasks if t.parent == "7" and t.section == "V"] == [
        "Tiếp tục làm sạch dữ liệu và tích hợp dữ liệu các sở ngành nhất là 12 CSDL trọng điểm quốc gia",
        "Tham mưu triển khai công dân số",
    ]
    # The task of section III has no number in the plan: it is numbered, with a warning.
    assert by_code(tasks, "III", "1").title.startswith("Triển khai mạng viễn thông vệ tinh")
    assert any("không có số thứ tự" in w for w in warnings)


def test_seed_001_columns_and_headerless_note():
    _, tasks, _ = table_tasks("001")
    task = by_code(tasks, "II", "3")
    assert task.title == "Ban hành Quy chế bảo vệ dữ liệu cá nhân, thông tin quan trọng"
    assert task.output == "Quy chế được ban hành"
    assert task.kpi == "Dự thảo được thông qua và ban hành đúng tiến độ đề ra"
    assert task.lead_units_raw == "Công an phường"
    assert task.coordinating_units_raw == "Các cơ quan, đơn vị"
    assert task.deadline_text == "Quý I/2026"
    assert "Theo hướng dẫn của tỉnh" in task.note  # the eighth column has no header
    sub = by_code(tasks, "V", "2.3")
    assert sub.parent == "2"
    assert sub.deadline_text == "- Sổ tay đảng viên trong quý I/2026. - Hồ sơ CBCB trong năm 2026."


def test_seed_002_appendix_ii():
    sections, tasks, _ = table_tasks("002")
    assert [s.code for s in sections] == ["I", "II", "III", "V", "VI"]
    assert [t.code for t in tasks] == [str(n) for n in range(1, 34)]
    counts = Counter(t.section for t in tasks)
    assert counts == {"I": 5, "II": 3, "III": 7, "V": 15, "VI": 3}
    assert by_code(tasks, "III", "13").deadline_text.startswith("Tháng 9/2026")


def test_seed_004_appendix_tasks_with_accountable_head():
    _, tasks, _ = table_tasks("004")
    assert [t.code for t in tasks] == [str(n) for n in range(1, 9)]
    assert {t.accountable for t in tasks} == {"Chủ tịch UBND phường"}
    assert by_code(tasks, "", "8").lead_units_raw == "Công an phường"
    assert by_code(tasks, "", "1").deadline_text == "Tháng 6/2026"


def test_seed_004_body_items_are_tasks():
    sections, tasks, _ = tasks_from_text(seed_document("004"), has_task_table=True)
    assert [s.code for s in sections] == ["1", "2", "3", "4", "5", "6", "7"]
    assert len(tasks) == 34
    assert Counter(t.section for t in tasks) == {
        "1": 4,
        "2": 5,
        "3": 5,
        "4": 4,
        "5": 6,
        "6": 5,
        "7": 5,
    }
    assert tasks[0].code == "1.1" and tasks[-1].code == "7.5"
    assert all(t.section == t.code.split(".")[0] for t in tasks)
    assert sections[1].title.startswith("Khẩn trương, quyết liệt hoàn thiện thể chế")


@pytest.mark.parametrize("key", ["000", "001", "002"])
def test_plans_with_a_task_table_take_no_unassigned_bullets_from_the_body(key):
    """Their body's bullets name no lead unit: the appendix table is their task list."""
    assert tasks_from_text(seed_document(key), has_task_table=True)[1] == []


def test_no_task_row_text_is_lost():
    """Every non-empty cell of every task table row lands in some field of some task."""
    for key in ["000", "001", "002", "004"]:
        sections, tasks, _ = table_tasks(key)
        text = " ".join(f"{s.code}. {s.title} {s.code} {s.title}" for s in sections) + " ".join(
            " ".join(
                [
                    t.code,
                    t.title,
                    t.output,
                    t.kpi,
                    t.lead_units_raw,
                    t.coordinating_units_raw,
                    t.accountable,
                    t.note,
                    t.deadline_text,
                ]
            )
            for t in tasks
        )
        for table in logical_tables(seed_document(key)):
            if not is_task_table(table) or is_budget(table):
                continue
            for row in table.rows:
                for cell in row.cells:
                    # A code written before the text ("1. Chỉ đạo …") is stored apart.
                    words = re.sub(r"^\s*[\dIVX.]+\s+", "", cell).split()[:4]
                    if len(words) >= 3:
                        assert " ".join(words) in text, (key, row.source, cell[:60])


# --- Codes of any length and depth ---------------------------------------------------------

PIPE_HEADER = (
    "| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành |\n"
    "|---|---|---|---|---|\n"
)


def pipe_tasks(rows: list[str]):
    from theodoi.importer.readers.text import read_text

    document = read_text(PIPE_HEADER + "\n".join(rows) + "\n")
    (table,) = logical_tables(document)
    assert is_task_table(table)
    return tasks_from_table(table)


def test_task_numbers_from_100_keep_their_numbers_and_parents():
    rows = ["| **I** | **NÂNG CAO NHẬN THỨC** | | | |"]
    rows += [
        f"| {n} | Nhiệm vụ số {n} | Bộ Khoa học và Công nghệ | | Năm 2026 |" for n in range(1, 99)
    ]
    rows += ["| **II** | **HOÀN THIỆN THỂ CHẾ** | | | |"]
    rows += [f"| {n}. | Nhiệm vụ số {n} | Bộ Tư pháp | | Quý II/2026 |" for n in range(99, 141)]
    rows.insert(
        rows.index("| 100. | Nhiệm vụ số 100 | Bộ Tư pháp | | Quý II/2026 |") + 1,
        "| 100.1 | Tiểu mục thứ nhất của nhiệm vụ 100 | Bộ Tư pháp | | Quý II/2026 |",
    )
    _, tasks, warnings = pipe_tasks(rows)
    top = [t for t in tasks if not t.parent]
    assert [t.code for t in top] == [str(n) for n in range(1, 141)]
    assert all(t.title == f"Nhiệm vụ số {t.code}" for t in top)
    (sub,) = [t for t in tasks if t.parent]
    assert (sub.code, sub.parent, sub.section) == ("100.1", "100", "II")
    assert Counter((t.section, t.code) for t in tasks).most_common(1)[0][1] == 1
    assert warnings == []


def test_codes_of_any_depth_and_lettered_subtasks():
    _, tasks, warnings = pipe_tasks(
        [
            "| **IV** | **NHÂN LỰC** | | | |",
            "| 1 | Đào tạo nhân lực số | Bộ Giáo dục và Đào tạo | | 2026 |",
            "| 1.2 | Đào tạo kỹ sư bán dẫn | Bộ Giáo dục và Đào tạo | | 2027 |",
            "| 1.2.3 | Chương trình đào tạo thiết kế vi mạch | Bộ Giáo dục và Đào tạo | | 2027 |",
            "| 1.2.3.4 | Học bổng cho sinh viên vi mạch | Bộ Tài chính | | 2027 |",
            "| 2 | Thu hút nhân tài | Bộ Nội vụ | | 2026 |",
            "| a) | Cơ chế đãi ngộ chuyên gia | Bộ Nội vụ | | Quý III/2026 |",
            "| b) | Chính sách nhà ở cho nhà khoa học | Bộ Xây dựng | | Quý IV/2026 |",
            "| IV.2.c | Quỹ hỗ trợ nhà khoa học trẻ | Bộ Khoa học và Công nghệ | | 2026 |",
        ]
    )
    codes = [(t.code, t.parent) for t in tasks]
    assert codes == [
        ("1", ""),
        ("1.2", "1"),
        ("1.2.3", "1.2"),
        ("1.2.3.4", "1.2.3"),
        ("2", ""),
        ("2.a", "2"),
        ("2.b", "2"),
        ("IV.2.c", "2"),
    ]
    assert tasks[5].title == "Cơ chế đãi ngộ chuyên gia"
    assert tasks[6].lead_units_raw == "Bộ Xây dựng"
    assert warnings == []


def test_codes_written_before_the_text_in_one_column():
    from theodoi.importer.readers.text import read_text

    document = read_text(
        "| Mã nhiệm vụ và nội dung | Cơ quan chủ trì | Thời hạn |\n|---|---|---|\n"
        "| 120. Phát triển nền tảng dữ liệu | Bộ Công an | 2026 |\n"
        "| 120.1. Cơ sở dữ liệu dân cư | Bộ Công an | Quý I/2026 |\n"
        "| a) Kết nối với cơ sở dữ liệu đất đai | Bộ Nông nghiệp và Môi trường | 2026 |\n"
        "| 1.000 hộ dân được hỗ trợ kỹ năng số | Bộ Thông tin | 2026 |\n"
    )
    (table,) = logical_tables(document)
    _, tasks, _ = tasks_from_table(table)
    assert [(t.code, t.parent, t.title) for t in tasks[:3]] == [
        ("120", "", "Phát triển nền tảng dữ liệu"),
        ("120.1", "120", "Cơ sở dữ liệu dân cư"),
        ("120.1.a", "120.1", "Kết nối với cơ sở dữ liệu đất đai"),
    ]
    # "1.000" is a count that starts a text, not a code.
    assert tasks[3].title.startswith("1.000 hộ dân")


def test_a_number_column_that_holds_no_code_is_said_as_it_is():
    _, tasks, warnings = pipe_tasks(
        [
            "| 1 | Rà soát văn bản | Bộ Tư pháp | | 2026 |",
            "| 1a | Bổ sung văn bản hướng dẫn | Bộ Tư pháp | | 2026 |",
        ]
    )
    assert [(t.code, t.parent) for t in tasks] == [("1", ""), ("2", "")]
    assert tasks[1].title == "1a Bổ sung văn bản hướng dẫn"
    (warning,) = warnings
    assert "«1a»" in warning and "2" in warning
    assert "without a number" not in warning and "không có số" not in warning


def test_a_task_numbered_by_the_importer_never_takes_a_code_a_later_row_writes():
    _, tasks, warnings = pipe_tasks(
        [
            "| 1 | Rà soát văn bản | Bộ Tư pháp | | 2026 |",
            "| | Tổng hợp kết quả rà soát | Bộ Tư pháp | | 2026 |",
            "| 1.1 | Rà soát văn bản về khoa học và công nghệ | Bộ Tư pháp | | 2026 |",
            "| 1a | Bổ sung văn bản hướng dẫn | Bộ Tư pháp | | 2026 |",
            "| 2 | Công bố danh mục văn bản | Bộ Tư pháp | | 2026 |",
        ]
    )
    assert [(t.code, t.parent) for t in tasks] == [
        ("1", ""),
        ("1.2", "1"),
        ("1.1", "1"),
        ("3", ""),
        ("2", ""),
    ]
    assert len(warnings) == 2
