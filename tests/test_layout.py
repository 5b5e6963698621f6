"""The package's shape: imports go one way, and no module grows past a reader's patience.

The import graph is read from the source (every ``import`` anywhere in a file, inside
functions and ``TYPE_CHECKING`` blocks too): an edge runs from a module to each dragoman
module it names. No module may reach itself through these edges. (Python also runs a
package's ``__init__`` before any of its submodules; that implicit step is not an edge
here — a data-model module such as ``extract/actors/kb.py`` imports nothing that imports
it back, which is what the rule is for.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PKG = SRC / "dragoman"
MAX_LINES = 900


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    _module_name(p): p for p in PKG.rglob("*.py") if "data" not in p.relative_to(PKG).parts[:1]
}


def _resolve(name: str) -> str | None:
    """The longest known module that ``name`` (a dotted import target) is or lies in."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    package = module if is_pkg else module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base)
                head = f"{prefix}.{node.module}" if node.module else prefix
            else:
                head = node.module or ""
            # "from pkg import sub" names the submodule when there is one, else pkg itself
            targets = [f"{head}.{a.name}" if f"{head}.{a.name}" in MODULES else head
                       for a in node.names]
        for t in targets:
            if not t.startswith("dragoman"):
                continue
            hit = _resolve(t)
            if hit is not None and hit != module:
                out.add(hit)
    return out


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def _cycle_from(start: str) -> list[str] | None:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(GRAPH.get(node, ())):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_the_graph_is_read() -> None:
    assert "dragoman.extract.context" in GRAPH["dragoman.pipeline"] or any(
        "dragoman.extract" in deps for deps in GRAPH.values())
    assert len(MODULES) > 40


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_itself_back(module: str) -> None:
    cycle = _cycle_from(module)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_the_line_limit(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[module]} has {lines} lines (> {MAX_LINES}): split it"
