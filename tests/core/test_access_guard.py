"""Every "may this person do this" is decided in ``theodoi/core/access.py`` (in the spirit of
Zulip's lint rules in ``tools/linter_lib/custom_check.py``).

The test reads every module of the package and fails on a role or superuser/staff check
anywhere else: a comparison with ``Role.*`` or with a ``.role``, a read of ``.is_superuser`` or
``.is_staff``, or a query filtering on ``role``/``is_superuser``/``is_staff``. A rule found here
belongs in ``core.access`` as an Action of ``RULES`` (or a named function there), and the caller
asks ``can(user, Action…, obj)``.

When this guard was written it found 19 such checks in 11 modules (22 in 13 with the three
allowed below); after moving them into ``core.access`` only the allow-list is left, and it holds
only what is not a permission decision.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "theodoi"
HOME = "core/access.py"

# (module, the offending expression as ast.unparse writes it): why it is not a permission rule.
ALLOWED: dict[tuple[str, str], str] = {
    ("org/services.py", "User(is_staff=…)"): (
        "user_create stores the admin site flag it derives from the role (next entry)"
    ),
    ("org/services.py", "role == Role.ADMIN"): (
        "user_create derives the admin site flag is_staff from the role it stores"
    ),
    ("demo/services.py", "role == 'upper_level'"): (
        "demo data: places the demo's upper-level people in the province"
    ),
}

_FLAGS = ("is_superuser", "is_staff")
_QUERY_METHODS = {"filter", "exclude", "get", "Q", "update"}
_QUERY_KEYS = {"role", "role__in", *_FLAGS}
# A user object built with rights (once an unsaved superuser acting for the commands).
_CONSTRUCTORS = {"User"}


def _is_role_member(node: ast.AST) -> bool:
    """``Role.X``, or a tuple/list/set of them."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "Role"
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_role_member(item) for item in node.elts)
    return False


def _is_role_read(node: ast.AST) -> bool:
    """``something.role`` or a bare ``role`` variable."""
    return (isinstance(node, ast.Attribute) and node.attr == "role") or (
        isinstance(node, ast.Name) and node.id == "role"
    )


def _is_role_literal(node: ast.AST, other: ast.AST) -> bool:
    return _is_role_read(other) and isinstance(node, ast.Constant) and isinstance(node.value, str)


def violations(root: Path = PACKAGE) -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(root.rglob("*.py")):
        module = path.relative_to(root).as_posix()
        if module == HOME or "/migrations/" in module:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                if any(_is_role_member(o) or _is_role_read(o) for o in operands) or any(
                    _is_role_literal(a, b) or _is_role_literal(b, a)
                    for a, b in zip(operands, operands[1:], strict=False)
                ):
                    found.append((module, node.lineno, ast.unparse(node)))
            elif isinstance(node, ast.Attribute) and node.attr in _FLAGS:
                if isinstance(node.ctx, ast.Load):
                    found.append((module, node.lineno, ast.unparse(node)))
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                keys = (
                    _QUERY_KEYS
                    if name in _QUERY_METHODS
                    else set(_FLAGS)
                    if name in _CONSTRUCTORS
                    else set()
                )
                if keys:
                    for keyword in node.keywords:
                        if keyword.arg in keys:
                            found.append((module, node.lineno, f"{name}({keyword.arg}=…)"))
    return found


def test_no_role_or_superuser_check_outside_core_access():
    unexpected = [
        f"theodoi/{module}:{line}: {code}"
        for module, line, code in violations()
        if (module, code) not in ALLOWED
    ]
    assert unexpected == [], (
        "A permission is decided outside theodoi/core/access.py; add an Action to its RULES "
        "(or a named function there) and ask can(user, action, obj):\n" + "\n".join(unexpected)
    )


def test_every_allowed_entry_is_still_there():
    """An allow-list entry whose code is gone would silently allow it again elsewhere."""
    present = {(module, code) for module, _line, code in violations()}
    assert set(ALLOWED) <= present, set(ALLOWED) - present


def test_the_guard_sees_each_kind_of_check(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "access.py").write_text("ok = user.role == Role.ADMIN\n")
    (tmp_path / "views.py").write_text(
        "a = user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD)\n"
        "b = user.role == 'leader'\n"
        "if user.is_superuser:\n    pass\n"
        "c = User.objects.filter(role__in=ROLES)\n"
        "d = User(username='system', is_superuser=True)\n"
        "user.is_staff = True\n"  # a write is no check
        "e = User(username='demo', role=Role.LEADER)\n"  # demo data: a role stored, not checked
    )
    codes = [code for _module, _line, code in violations(tmp_path)]
    assert codes == [
        "user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD)",
        "user.role == 'leader'",
        "user.is_superuser",
        "filter(role__in=…)",
        "User(is_superuser=…)",
    ]
