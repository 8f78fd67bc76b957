"""``theodoi score_assessment FRAMEWORK ANSWERS``: scoring files without the database, in JSON and
in text, with a YAML or Excel framework, and Vietnamese errors for missing or wrong files."""

import json
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from tests.assessment.frameworks import DEFAULT_PATH, all_rules
from theodoi.assessment import excel
from theodoi.assessment import framework as fw

ANSWERS = """\
answers:
  "1.1": có
  "1.2": "89,99"     # just below the 90 % band: 2 of 3
  "1.3": 12
  "3.3.1": n/a       # allowed: 3 points off the maximum
  "3.3.2": {value: true, note: Đã cấp 4 chứng thư}
  "6.5": 3.5         # above the maximum of 3
  "9.9": 1           # not in the framework
"""


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("score_assessment", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def answers(tmp_path):
    path = tmp_path / "tra-loi.yaml"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


def test_json_output(answers):
    out, _err = run(DEFAULT_PATH, answers, "--format", "json")
    data = json.loads(out)
    rows = {row["code"]: row for row in data["criteria"]}

    assert data["framework"] == {"code": "ward-dx", "year": 2026, "version": 1}
    # 4 + 2 + 3 in group 1, 3 for 3.3.2; 6.5 scores nothing and keeps its maximum.
    assert (data["total"], data["max_points"], data["framework_max_points"]) == (12, 97, 100)
    assert data["percent"] == 12.37
    assert [(g["code"], g["points"], g["max_points"]) for g in data["groups"][:3]] == [
        ("1", 9, 10),
        ("2", 0, 10),
        ("3", 3, 12),
    ]
    assert (rows["1.2"]["answer"], rows["1.2"]["points"]) == ("89,99", 2)
    assert (rows["3.3.1"]["status"], rows["3.3.1"]["max_points"]) == ("not_applicable", 0)
    assert (rows["3.3"]["points"], rows["3.3"]["max_points"]) == (3, 3)
    assert rows["3.3.2"]["answer"] is True
    assert rows["6.5"]["status"] == "invalid"
    assert "2.1" in data["unanswered"]
    assert data["problems"] == [
        "6.5: Điểm chấm phải là số từ 0 đến 3, không phải «3.5».",
        "9.9: mã này không có trong bộ tiêu chí; câu trả lời không được tính.",
    ]


def test_text_output(answers):
    out, err = run(DEFAULT_PATH, answers)
    lines = out.splitlines()

    assert lines[0] == (
        "Bộ tiêu chí tự đánh giá mức độ chuyển đổi số của cơ quan, đơn vị cấp xã (2026, phiên bản 1)"
    )
    assert "  1.2           2 / 3      89,99" in lines
    assert "    3.3.1         0 / 0      n/a" in lines
    assert "    3.3.2         3 / 3      có" in lines
    assert "  2.1           0 / 4      —" in lines
    assert "Nhóm 3 Hạ tầng số: 3 / 12" in lines
    assert lines[-1] == "Tổng: 12 / 97 điểm (12.37%)"
    assert err.splitlines() == [
        "6.5: Điểm chấm phải là số từ 0 đến 3, không phải «3.5».",
        "9.9: mã này không có trong bộ tiêu chí; câu trả lời không được tính.",
    ]


def test_an_excel_framework_scores_like_its_yaml(tmp_path, answers):
    workbook = tmp_path / "bo-tieu-chi.xlsx"
    workbook.write_bytes(excel.framework_to_xlsx(fw.load_yaml(DEFAULT_PATH.read_text())))

    from_excel, _ = run(workbook, answers, "--format", "json")
    from_yaml, _ = run(DEFAULT_PATH, answers, "--format", "json")

    assert json.loads(from_excel) == json.loads(from_yaml)


def test_nothing_applicable_prints_no_percentage(tmp_path):
    framework = tmp_path / "nho.yaml"
    framework.write_text(
        "code: nho\nname: Bộ nhỏ\nyear: 2026\ngroups:\n  - code: '1'\n    name: Nhóm\n"
        "    criteria:\n      - {code: '1.1', name: T, max_points: 2, rule: yes_no,"
        " allow_not_applicable: true}\n",
        encoding="utf-8",
    )
    answers = tmp_path / "tra-loi.yaml"
    answers.write_text("answers: {'1.1': không áp dụng}\n", encoding="utf-8")

    out, _err = run(framework, answers)

    assert out.splitlines()[-1] == "Tổng: 0 / 0 điểm (—)"


def test_answers_for_the_all_rules_framework(tmp_path):
    framework = tmp_path / "all-rules.yaml"
    framework.write_text(fw.dump_yaml(all_rules()), encoding="utf-8")
    answers = tmp_path / "tra-loi.yaml"
    answers.write_text(
        yaml.safe_dump(
            {
                "answers": {
                    "yn2": "không",
                    "pct": "25%",
                    "cnt": 5,
                    "ch": "b)",
                    "man": "2,5",
                    "par": "n/a",
                }
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )

    out, _err = run(framework, answers, "--format", "json")
    data = json.loads(out)

    # 0.5 + 0.5 + 3 + 1.25 + 2.5 of 24 - 4 (par not applicable).
    assert (data["total"], data["max_points"]) == (7.75, 20)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: (tmp / "khong-co.yaml", tmp / "tra-loi.yaml"), "Không tìm thấy tệp {0}."),
        (lambda tmp: (DEFAULT_PATH, tmp / "khong-co.yaml"), "Không tìm thấy tệp {1}."),
        (lambda tmp: (tmp, tmp / "tra-loi.yaml"), "Không tìm thấy tệp {0}."),
    ],
    ids=["framework", "answers", "a-folder"],
)
def test_missing_files(tmp_path, answers, make, expected):
    framework_path, answers_path = make(tmp_path)

    with pytest.raises(CommandError) as caught:
        run(framework_path, answers_path)

    assert str(caught.value) == expected.format(framework_path, answers_path)


def test_an_invalid_framework_lists_its_problems(tmp_path, answers):
    framework = tmp_path / "sai.yaml"
    framework.write_text(
        "code: sai\nname: Sai\nyear: 2026\ngroups:\n  - code: '1'\n    name: Nhóm\n"
        "    criteria:\n      - {code: '1.1', name: T, max_points: hai, rule: yes_no}\n"
        "      - {code: '1.2', name: T, max_points: 2, rule: điểm}\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as caught:
        run(framework, answers)

    assert str(caught.value).splitlines() == [
        f"Tệp {framework}:",
        "Tiêu chí 1.1: «max_points» phải là một số (ví dụ 2 hoặc 0,5), không phải «hai».",
        "Tiêu chí 1.2: quy tắc chấm «điểm» không có; dùng một trong: yes_no, percent, count, "
        "choice, manual.",
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "sai.yaml",
            "code: x\n  name: lệch\n",
            "Tệp YAML viết sai cú pháp (dòng 2, cột 7). Hãy kiểm tra thụt lề và dấu «:».",
        ),
        (
            "sai.xlsx",
            "không phải Excel",
            "Không đọc được tệp Excel: tệp bị hỏng hoặc không phải định dạng .xlsx. Hãy mở tệp "
            "bằng Excel, chọn «Lưu thành» kiểu «Sổ làm việc Excel (.xlsx)» rồi nhập lại.",
        ),
    ],
)
def test_a_framework_file_that_cannot_be_read(tmp_path, answers, name, content, expected):
    framework = tmp_path / name
    framework.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        run(framework, answers)

    assert str(caught.value).splitlines() == [f"Tệp {framework}:", expected]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "- 1.1\n- 1.2\n",
            "Tệp câu trả lời cần mục «answers» gồm các cặp «mã tiêu chí: câu trả lời».",
        ),
        (
            "answers:\n  '1.1': [có\n",
            "Tệp YAML viết sai cú pháp (dòng 3, cột 1). Hãy kiểm tra thụt lề và dấu «:».",
        ),
    ],
    ids=["not-a-mapping", "syntax"],
)
def test_an_answers_file_that_cannot_be_read(tmp_path, content, expected):
    answers = tmp_path / "tra-loi.yaml"
    answers.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        run(DEFAULT_PATH, answers)

    assert str(caught.value).splitlines() == [f"Tệp {answers}:", expected]


def test_an_answers_file_that_is_not_text(tmp_path):
    answers = tmp_path / "tra-loi.yaml"
    answers.write_bytes(b"\xff\xfe\x00binary")

    with pytest.raises(CommandError, match=r"không phải văn bản UTF-8 \(cần tệp YAML\)"):
        run(DEFAULT_PATH, answers)
