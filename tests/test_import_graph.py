"""Our packages' import graph, read from the source (ast): no cycle, nothing imports upward.

Every import statement counts, including those inside functions (a lazy import is still a
dependency); only `if TYPE_CHECKING:` blocks are left out, since they never run. Layers, bottom
up: analyzers, indexer, search_web; `indexer.cli` is the entry that registers both faces.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("analyzers", "indexer", "search_web")
LAYERS = {"analyzers": 0, "indexer": 1, "search_web": 2}
ENTRY = "indexer.cli"


def our_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST):
    for node in ast.iter_child_nodes(tree):
        skipped = isinstance(node, ast.If) and _is_type_checking(node)
        for child in node.orelse if skipped else [node]:
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child
            yield from _import_nodes(child)


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of ours that `name` imports (`from pkg import sub` counts as pkg.sub)."""

    def ours(dotted: str) -> str | None:
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(m for alias in node.names if (m := ours(alias.name)))
            continue
        base = node.module or ""
        if node.level:
            head = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*head, base] if base else head)
        for alias in node.names:
            full = f"{base}.{alias.name}"
            target = full if full in modules else ours(base)
            if target:
                found.add(target)
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = our_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(importer, imported) pairs where a lower layer imports a higher one, the entry excepted."""
    return sorted(
        (src, dst)
        for src, targets in graph.items()
        for dst in targets
        if src != ENTRY and LAYERS[dst.split(".")[0]] > LAYERS[src.split(".")[0]]
    )


def test_the_import_graph_has_no_cycle():
    assert cycles(import_graph()) == []


def test_nothing_imports_upward():
    assert upward_imports(import_graph()) == []


def test_the_cli_registers_its_faces_by_import_statements():
    graph = import_graph()
    assert {"search_web.serve", "indexer.crawl.cli"} <= graph[ENTRY]
    assert not any(dst == ENTRY for targets in graph.values() for dst in targets)


def test_the_checks_catch_what_they_look_for():
    """The finder sees a cycle through three modules and an upward import, and lazy imports too."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert upward_imports({"indexer.search": {"search_web.ui"}}) == [("indexer.search", "search_web.ui")]
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import x\ndef f():\n    import y\n"
    names = [a.name for n in _import_nodes(ast.parse(source)) for a in n.names]
    assert names == ["TYPE_CHECKING", "y"]


def test_the_cli_starts_without_flask():
    """`migrantlex index` does not pay for the web: importing the CLI leaves Flask unloaded."""
    code = "import sys, indexer.cli; print('flask' in sys.modules, 'search_web.serve' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["False", "True"]
