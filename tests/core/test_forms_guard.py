"""Every POST is read by a Django form: a view hands ``request.POST`` / ``request.FILES`` to a
``…Form(…)`` and reads only ``form.cleaned_data``. Parsing the raw dictionary by hand
(``request.POST.get(``, ``request.POST[``, ``.getlist(``, ``.items()``, an alias
``post = request.POST``) is how "²" once reached ``int()`` and answered 500.

The scan covers every module of the package (views and the helpers they call), with ``ast``
so that comments and strings do not count."""

import ast
from pathlib import Path

import theodoi

PACKAGE = Path(theodoi.__file__).parent
RAW = {"POST", "FILES"}

# TEMPORARY, removed by the lead at merge: helper `pages` converts these two modules on its
# own branch at the same time; listing them here keeps this branch green meanwhile.
TEMPORARY = {
    "plans/views.py",
    "reporting/views.py",
}

# Reads that are not form input, each with its reason.
ALLOWED = {
    # The ``next`` address after a form: checked against the site's own host and ignored when
    # foreign, never parsed into data (core.inputs.safe_next, used by GET and POST pages).
    ("core/inputs.py", "safe_next"),
}


def _is_raw(node: ast.AST) -> bool:
    """``request.POST`` or ``self.request.POST`` (or FILES)."""
    if not (isinstance(node, ast.Attribute) and node.attr in RAW):
        return False
    owner = node.value
    return (isinstance(owner, ast.Name) and owner.id == "request") or (
        isinstance(owner, ast.Attribute) and owner.attr == "request"
    )


def _is_form_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return name.endswith("Form")


def violations(source: str, path: str) -> list[str]:
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent
    found = []
    for node in ast.walk(tree):
        if not _is_raw(node):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.keyword):
            parent = parents.get(parent)
        if _is_form_call(parent) and node is not getattr(parent, "func", None):
            continue
        function = parents.get(node)
        while function is not None and not isinstance(
            function, ast.FunctionDef | ast.AsyncFunctionDef
        ):
            function = parents.get(function)
        name = function.name if function is not None else "<module>"
        if (path, name) in ALLOWED:
            continue
        found.append(f"{path}:{node.lineno} in {name}: request.{node.attr} read by hand")
    return found


def _scan(skip: set[str]) -> list[str]:
    found = []
    for file in sorted(PACKAGE.rglob("*.py")):
        path = file.relative_to(PACKAGE).as_posix()
        if "/migrations/" in path or path in skip:
            continue
        found += violations(file.read_text(encoding="utf-8"), path)
    return found


def test_every_post_is_read_through_a_form():
    """No module reads request.POST or request.FILES other than by passing it to a form."""
    assert _scan(TEMPORARY) == []


def test_the_temporary_list_names_only_files_that_exist():
    """The lead removes TEMPORARY at merge; until then it names real modules."""
    for path in TEMPORARY:
        assert (PACKAGE / path).exists(), path


def test_the_guard_sees_hand_parsing():
    """The scan catches each way of reading the raw dictionary, and lets a form through."""
    bad = """
def view(request):
    a = request.POST.get("x")
    b = request.POST["y"]
    c = request.POST.getlist("z")
    post = request.POST
    f = request.FILES.get("file")
    d = self.request.POST.items()
"""
    assert len(violations(bad, "app/views.py")) == 6
    good = """
def view(request):
    form = ThingForm(request.POST, request.FILES)
    other = forms.OtherForm(data=request.POST, definition=None)
"""
    assert violations(good, "app/views.py") == []
