"""The composed pages and the progress chain live above the apps they compose: plans imports
none of reporting, alerts and exports, and reporting does not import alerts, not even inside
a function (a function-local import only hides the cycle)."""

import ast
from pathlib import Path

import theodoi

ROOT = Path(theodoi.__file__).parent

FORBIDDEN = {
    "plans": ("theodoi.reporting", "theodoi.alerts", "theodoi.exports", "theodoi.tracking"),
    "reporting": ("theodoi.alerts", "theodoi.tracking"),
    "alerts": ("theodoi.tracking",),
}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
    return found


def _violations() -> list[str]:
    problems = []
    for app, forbidden in FORBIDDEN.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            for line, module in _imports(path):
                if module.startswith(forbidden):
                    problems.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return problems


def test_plans_and_reporting_import_nothing_above_them():
    assert _violations() == []
