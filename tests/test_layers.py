"""The apps import downward only: the layers declared once in pyproject.toml
([tool.importlinter]) are checked here too, so that `make test` and CI keep them, and no import
inside a function reaches into another app (the usual way to dodge a cycle)."""

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "theodoi"


def test_layer_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _function_local_imports(path: Path):
    """(line, imported module) of every `theodoi.*` import inside a function of ``path``."""

    def walk(node, in_function: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)) and in_function:
                if isinstance(child, ast.ImportFrom):
                    names = [child.module or ""] if child.level == 0 else []
                else:
                    names = [alias.name for alias in child.names]
                for name in names:
                    if name == "theodoi" or name.startswith("theodoi."):
                        yield child.lineno, name
            yield from walk(
                child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            )

    yield from walk(ast.parse(path.read_text(encoding="utf-8")), False)


def test_no_function_local_import_reaches_another_app():
    """An import inside a function hides a dependency from the layer contracts; between apps it
    only ever served to dodge a cycle. Within one app it may defer a heavy reader (the PDF
    library), and AppConfig.ready() loads its own app's signals and checks."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        relative = path.relative_to(ROOT).as_posix()
        own_app = _app_of(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for line, module in _function_local_imports(path):
            if module == "theodoi" or _app_of(module) == own_app:
                continue
            found.append(f"{relative}:{line} imports {module} inside a function")
    assert not found, "\n".join(found)


def _contract_layers() -> list[set[str]]:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return [{name.strip(" ()") for name in layer.split("|")} for layer in contract["layers"]]


def test_the_readme_describes_the_layers_of_the_contract_in_its_order():
    """The README's layout list is the contract in words: the same apps, grouped the same way,
    from the top down, so the two cannot drift apart."""
    layers = _contract_layers()
    apps = set().union(*layers)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    listing = text.split("From the top:", 1)[1].split("\n\n", 1)[0]
    described = []
    for bullet in listing.split("\n  - ")[1:]:
        names = {name.removesuffix(".py") for name in re.findall(r"`([\w./]+)`", bullet)}
        described.append(names & apps)
    assert described == layers
