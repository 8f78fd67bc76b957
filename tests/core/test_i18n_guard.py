"""Messages to people go through gettext (English msgids, Vietnamese in the catalogue), so a page
in English shows no Vietnamese error (issue 13).

The scan lists every string literal of theodoi/ (migrations left out) that holds a Vietnamese
letter and is not inside a gettext call. Such a literal is allowed only where it is content that
stays Vietnamese whatever the interface language, and the code says so: a comment containing
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

# The apps whose Python code is converted. The lead widens this set as the other apps are
# converted; the scan of the others only reports (and is skipped).
ENFORCED_APPS = {"assessment"}

# Modules that are content as a whole, each with the reason (paths relative to theodoi/).
CONTENT_MODULES: dict[str, str] = {}

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
                allowed = name in GETTEXT or (
                    name == AUDIT_SUMMARY[0]
                    and any(k.arg == AUDIT_SUMMARY[1] and k is child for k in parent.keywords)
                )
            if isinstance(parent, ast.stmt):
                allowed = allowed or any(
                    _marked_above(line, marked, comment_only)
                    for line in (parent.lineno, paragraphs.get(parent, parent.lineno))
                )
            child, parent = parent, parents.get(parent)
        if not allowed:
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
    found = app_violations(app)
    if app not in ENFORCED_APPS:
        pytest.skip(f"{app}: not converted yet, {len(found)} Vietnamese literals outside gettext")
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


def test_every_content_module_exists():
    assert [m for m in CONTENT_MODULES if not (ROOT / m).is_file()] == []
