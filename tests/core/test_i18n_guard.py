"""Messages to people go through gettext (English msgids, Vietnamese in the catalogue), so a page
in English shows no Vietnamese error.

The scan lists every string literal of theodoi/ (migrations left out) that holds a Vietnamese
letter and is not inside a gettext call. Such a literal is allowed only where it is content that
stays Vietnamese whatever the interface language, and the code says so: an argument of a ``re``
function (the words of plan documents the importer recognises), an entry of CONTENT_STRINGS, a
comment containing
"Vietnamese on purpose" on the literal's line, in the comment lines just above it or just above
a statement that holds it (a constant, a function) or the paragraph of statements it is in
(statements with no blank line between them), or its module in CONTENT_MODULES below.
"""

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

import theodoi

ROOT = Path(theodoi.__file__).parent

_UPWARD_REPORT = (
    "the report sent upward is an administrative document under Decree 30/2020/ND-CP, written "
    "in Vietnamese by law whatever the interface language"
)
_PLAN_WORDS = "words of Vietnamese plan documents that the importer recognises"
_PLAN_CONTENT = "saved into the plan as its content, in the plan's own language"
_AUDIT = "stored once in the audit trail, in the site's language"

# Whole modules whose Vietnamese is content, not interface.
CONTENT_MODULES: dict[str, str] = {
    "exports/report.py": _UPWARD_REPORT,
    "exports/docx.py": _UPWARD_REPORT,
    "exports/xlsx.py": _UPWARD_REPORT + " (the Excel tables of the upward package)",
    "exports/bundle.py": _UPWARD_REPORT + " (the evidence list of the upward package)",
    # The demo ward: its names, people, plan texts and reports are the data a Vietnamese ward
    # would hold, shown as they were typed whatever the interface language.
    "demo/data.py": "the demo ward's data, content in the ward's language",
    "demo/services.py": "the demo ward's data (campaign names, unit names), content",
    "demo/checks.py": "the demo ward's evidence files (signers, document numbers), content",
    "demo/report_words.py": "what the demo ward's units wrote in their reports, content",
}

# Single strings whose Vietnamese is content: (module, exact string) → reason.
CONTENT_STRINGS = {
    ("importer/recognise/header.py", "Đảng ủy"): "the issuer's name, " + _PLAN_CONTENT,
    ("importer/recognise/indicator_lists.py", "Thứ bậc"): "an indicator's unit, " + _PLAN_CONTENT,
    ("importer/recognise/plan.py", "Phụ lục"): "a section title, " + _PLAN_CONTENT,
    ("importer/recognise/targets.py", "đĐ"): "letters of Vietnamese words, not a message",
    ("importer/services.py", "Kế hoạch"): "the fallback plan title, " + _PLAN_CONTENT,
    ("importer/services.py", "Mục "): "the fallback section title, " + _PLAN_CONTENT,
    ("importer/services.py", "Đơn vị tính: "): "an indicator note, " + _PLAN_CONTENT,
    ("importer/services.py", "Thời gian thực hiện: "): "a budget line note, " + _PLAN_CONTENT,
    ("importer/services.py", "Nguồn kinh phí: "): "a budget line note, " + _PLAN_CONTENT,
    (
        "importer/services.py",
        "Văn bản không ghi số tiền cho dòng này.",
    ): "a budget line note, " + _PLAN_CONTENT,
    ("ranking/services.py", "/ngày chậm"): "the scale change's summary, " + _AUDIT,
    ("budget/services.py", ", giải ngân "): "the budget record's summary, " + _AUDIT,
    ("api/signals.py", "tài khoản đã ngừng hoạt động"): "a revocation reason, " + _AUDIT,
    ("api/signals.py", "mật khẩu không còn dùng được"): "a revocation reason, " + _AUDIT,
    ("api/signals.py", "mật khẩu đã thay đổi"): "a revocation reason, " + _AUDIT,
    ("audit/services.py", "Nhật ký được khóa bằng khóa "): "the keying record's summary, " + _AUDIT,
    ("audit/services.py", " từ bản ghi này."): "the keying record's summary, " + _AUDIT,
    ("plans/deadline.py", "đĐðÐ"): "letters folded to «d» in plan documents, not a message",
}

# A period's Vietnamese name (``Period.label_vi``); the interface uses ``Period.label``.
for _part in ("Tuần ", "Tháng ", "Quý ", "6 tháng ", "đầu", "cuối", " năm ", "Năm "):
    CONTENT_STRINGS[("plans/periods.py", _part)] = (
        "a period's Vietnamese name, for the report sent upward (Vietnamese by law) and the "
        "alert texts and audit summaries stored once"
    )

# The head words of a unit cell in an indicator table (DESIGN §1).
for _head in (
    "Phòng", "Văn phòng", "Trung tâm", "Công an", "Công chức", "Cán bộ", "Ủy ban", "Uỷ ban",
    "Mặt trận", "Đảng ủy", "Đảng uỷ", "Chi bộ", "Trạm", "Tổ", "Các", "Cá nhân",
    "Doanh nghiệp", "Trường", "Hội", "Đoàn", "Bộ phận", "Chủ tịch", "Phó Chủ tịch",
    "Lãnh đạo", "Người đứng đầu", "Thường trực", "Hợp tác xã", "Bưu điện", "Ngân hàng",
    "Kho bạc", "Chi cục", "Cơ quan", "Đơn vị", "Tất cả",
):  # fmt: skip
    CONTENT_STRINGS[("importer/recognise/indicator_tables.py", _head)] = _PLAN_WORDS

MARKER = "Vietnamese on purpose"

VIETNAMESE = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE
)
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}

# The audit trail is one record in the ward's language, written once and read by everyone
# later, whatever the language of the page of the person who acted: its summaries are content.
AUDIT_SUMMARY = ("audit_record", "summary")


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_re_call(node: ast.Call) -> bool:
    """An argument of a ``re`` function: a pattern for Vietnamese words of plan documents."""
    func = node.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "re"
    )


def _docstrings(tree: ast.Module) -> set[ast.AST]:
    kinds = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return {
        node.body[0].value
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _marked_lines(source: str) -> tuple[set[int], set[int]]:
    """(lines holding a marker comment, lines that are only a comment)."""
    marked, comment_only = set(), set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            if MARKER in token.string:
                marked.add(token.start[0])
            if not token.line[: token.start[1]].strip():
                comment_only.add(token.start[0])
    return marked, comment_only


def _marked_above(line: int, marked: set[int], comment_only: set[int]) -> bool:
    line -= 1
    while line in comment_only:
        if line in marked:
            return True
        line -= 1
    return False


def _paragraph_starts(tree: ast.Module, comment_only: set[int]) -> dict[ast.AST, int]:
    """The first line of the paragraph each statement is in: the statements of one body with
    nothing but comment lines between them."""
    starts: dict[ast.AST, int] = {}
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if not isinstance(body, list):
                continue
            start, previous = None, None
            for statement in body:
                if not isinstance(statement, ast.stmt):
                    continue
                between = range(previous.end_lineno + 1, statement.lineno) if previous else ()
                if previous is None or any(line not in comment_only for line in between):
                    start = statement.lineno
                starts[statement] = start
                previous = statement
    return starts


def violations(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = _docstrings(tree)
    marked, comment_only = _marked_lines(source)
    paragraphs = _paragraph_starts(tree, comment_only)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if node in docstrings or not VIETNAMESE.search(node.value):
            continue
        allowed = node.lineno in marked or _marked_above(node.lineno, marked, comment_only)
        child, parent = node, parents.get(node)
        while parent is not None and not allowed:
            if isinstance(parent, ast.Call):
                name = _name(parent.func)
                allowed = (
                    name in GETTEXT
                    or _is_re_call(parent)
                    or (
                        name == AUDIT_SUMMARY[0]
                        and any(k.arg == AUDIT_SUMMARY[1] and k is child for k in parent.keywords)
                    )
                )
            if isinstance(parent, ast.stmt):
                allowed = allowed or any(
                    _marked_above(line, marked, comment_only)
                    for line in (parent.lineno, paragraphs.get(parent, parent.lineno))
                )
            child, parent = parent, parents.get(parent)
        module = path.relative_to(ROOT).as_posix()
        if not allowed and (module, node.value) not in CONTENT_STRINGS:
            where = path.relative_to(ROOT)
            found.append(f"{where}:{node.lineno}: {node.value[:60]!r}")
    return found


TOP_LEVEL = "(theodoi/*.py)"


def app_violations(app: str) -> list[str]:
    files = ROOT.glob("*.py") if app == TOP_LEVEL else (ROOT / app).rglob("*.py")
    found = []
    for path in sorted(files):
        relative = path.relative_to(ROOT).as_posix()
        if "migrations" in path.parts or relative in CONTENT_MODULES:
            continue
        found += violations(path)
    return found


APPS = sorted(p.name for p in ROOT.iterdir() if p.is_dir() and any(p.rglob("*.py"))) + [TOP_LEVEL]


@pytest.mark.parametrize("app", APPS)
def test_user_facing_text_goes_through_gettext(app):
    """Every app, a new one included, is held to it."""
    found = app_violations(app)
    assert found == [], "\n".join(found)


def test_the_scan_finds_a_hard_coded_message_and_honours_the_marker(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "from django.utils.translation import gettext as _\n"
        'WORDS = {"có"}  # Vietnamese on purpose: what people type\n'
        "# Vietnamese on purpose: the stored name\n"
        'def name():\n    return "Tự đánh giá"\n'
        'def fine():\n    return _("Không được")\n'
        'def record():\n    audit_record(action="x", summary=f"{1} đơn vị")\n'
        'def wrong():\n    raise ValueError("Hãy chọn một đơn vị.")\n',
        encoding="utf-8",
    )
    global ROOT
    root, ROOT = ROOT, tmp_path
    try:
        assert violations(module) == ["module.py:11: 'Hãy chọn một đơn vị.'"]
    finally:
        ROOT = root


def test_every_allow_listed_entry_still_exists():
    """An entry whose module or string is gone would silently allow the next one."""
    for module in CONTENT_MODULES:
        assert (ROOT / module).is_file(), module
    for module, text in CONTENT_STRINGS:
        assert text in (ROOT / module).read_text(encoding="utf-8"), (module, text)
