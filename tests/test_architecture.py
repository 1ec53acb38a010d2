"""The package's layers point down only: no import cycle, no core module importing a face, no
module importing another module's private name. Every import counts: module level and inside
functions (what runs at some point); ``if TYPE_CHECKING:`` imports count for layers and private
names, not for cycles (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "medspa_kit"

# From the bottom up. A module may import its own layer or any layer below, never one above.
LAYERS = [
    {"_lazy", "_listen", "_public", "errors", "arguments", "money", "vector", "codes", "fields", "files", "vocabulary"},
    {"catalog"},
    {"model"},
    {"columns", "rules", "cost", "facts", "outcome"},
    {"engine", "batch_cells", "batch"},
    {"presets", "explain", "client_data", "payments", "lessons", "batch_io", "batch_csv", "edi"},
    {"year", "members", "clinic", "validation"},
    {"report", "ui", "command", "cli",
     "cli_batch", "batch_dask", "cli_finance", "cli_edi", "cli_year", "lab", "workshop", "_notebooks"},
]
CORE = {"catalog", "model", "rules", "cost", "facts", "engine", "batch", "batch_cells", "columns", "fields", "files", "money",
        "vector", "outcome", "vocabulary", "errors", "arguments", "codes", "_public"}
FACES = {"ui", "report", "command",
         "cli", "cli_batch", "batch_dask", "cli_finance", "cli_edi", "cli_year", "lab", "workshop"}


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str, root: Path) -> bool:
    path = root.parent / Path(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def resolve(importer: str, level: int, module: str | None, root: Path) -> str:
    """The absolute module a relative ``from ... import`` names."""
    if level == 0:
        return module or ""
    base = importer.split(".")
    if not (root.parent / Path(*base) / "__init__.py").is_file():
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def imports(path: Path, root: Path = PACKAGE) -> list[tuple[str, str | None, bool, int]]:
    """(module, name or None, type-checking only, line) for every import in one file."""
    importer = module_name(path, root)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(n) for child in node.body for n in ast.walk(child))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((alias.name, None, id(node) in typing_only, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            target = resolve(importer, node.level, node.module, root)
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if is_module(sub, root):
                    found.append((sub, None, id(node) in typing_only, node.lineno))  # a submodule
                else:
                    found.append((target, alias.name, id(node) in typing_only, node.lineno))
        elif isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) for k in node.keys):
            # the lazy attribute tables of package __init__ files: {"evaluate": ".engine", ...}
            for value in node.values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value.startswith("."):
                    found.append((resolve(importer, 1, value.value[1:], root), None, False, node.lineno))
    return found


def top(name: str) -> str:
    """The layer unit of a module: ``medspa_kit.rules.base`` → ``rules``."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer(name: str) -> int:
    unit = top(name)
    for i, units in enumerate(LAYERS):
        if unit in units:
            return i
    raise AssertionError(f"{name} is in no layer of this test: add it to LAYERS")


def graph(root: Path = PACKAGE) -> dict[str, list[tuple[str, str | None, bool, int]]]:
    """Every module of the package and the package imports it makes."""
    return {module_name(p, root): [i for i in imports(p, root) if i[0].startswith("medspa_kit")]
            for p in sorted(root.rglob("*.py"))}


def problems(edges: dict[str, list[tuple[str, str | None, bool, int]]]) -> list[str]:
    out = []
    for importer, found in edges.items():
        for module, name, _, line in found:
            where = f"{importer}:{line} imports {module}" + (f".{name}" if name else "")
            if top(importer) and top(module) and layer(module) > layer(importer):
                out.append(f"{where}: a lower layer imports a higher one")
            if top(importer) in CORE and top(module) in FACES:
                out.append(f"{where}: a core module imports a face")
            if name and name.startswith("_") and not name.startswith("__") and module != importer:
                out.append(f"{where}: another module's private name")
            private = [p for p in module.split(".") if p.startswith("_") and not p.startswith("__")]
            if private:
                owner = module.rsplit(".", 1)[0]
                if not importer.startswith(owner):
                    out.append(f"{where}: a private module from outside its package")
    out += [f"import cycle: {' → '.join(cycle)}" for cycle in cycles(edges)]
    return out


def cycles(edges: dict[str, list[tuple[str, str | None, bool, int]]]) -> list[list[str]]:
    """Import cycles among modules, counting the imports that run (not type-checking ones)."""
    runs = {m: sorted({target for target, _, typing_only, _ in found if not typing_only and target != m
                       and target in edges}) for m, found in edges.items()}
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in runs[node]:
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in runs:
        if node not in state:
            visit(node)
    return found


def test_the_package_has_no_upward_import_no_cycle_and_no_private_import():
    assert problems(graph()) == []


def test_every_module_sits_in_a_layer():
    for module in graph():
        if top(module):
            layer(module)


@pytest.mark.parametrize("importer,line,expected", [
    ("catalog/store.py", "from ..batch import evaluate_frame", "a lower layer imports a higher one"),
    ("engine.py", "from .report import html", "a core module imports a face"),
    ("batch.py", "from .engine import _priced", "another module's private name"),
    ("catalog/store.py", "from ..model import Scenario", "import cycle"),
])
def test_the_check_fails_on_a_deliberate_violation(tmp_path, importer, line, expected):
    import shutil

    copy = tmp_path / "medspa_kit"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "datasets", "notebooks"))
    target = copy / importer
    target.write_text(target.read_text(encoding="utf-8") + f"\n\ndef _added():\n    {line}\n", encoding="utf-8")
    found = problems(graph(copy))
    assert any(expected in problem for problem in found), found
