"""The layering holds: no import cycles, the library never imports a front end, no ``sys.path`` edits.

Imports are read from the source with :mod:`ast` (module level and inside functions alike; those
under ``if TYPE_CHECKING:`` do not run and are left out), so a cycle hidden behind a lazy import
counts too.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {"matcher": ROOT / "src" / "matcher", "matcher_service": ROOT / "service" / "matcher_service"}


def _modules() -> dict[str, Path]:
    found = {}
    for name, folder in SOURCES.items():
        for path in folder.rglob("*.py"):
            parts = [name, *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                stack.extend(child.orelse)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child
            stack.append(child)


def _package_of(module: str) -> str:
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    if node.level:
        base = _package_of(module)
        for _ in range(node.level - 1):
            base = base.rpartition(".")[0]
        origin = f"{base}.{node.module}" if node.module else base
    else:
        origin = node.module or ""
    for alias in node.names:
        submodule = f"{origin}.{alias.name}"
        yield submodule if submodule in MODULES else origin


def import_graph() -> dict[str, set[str]]:
    """Module → the project modules it imports."""
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(module, node):
                while target and target not in MODULES:
                    target = target.rpartition(".")[0]  # `import matcher.x.y` names a module or a package
                if target and target != module:
                    graph[module].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _layer(module: str) -> str:
    """``matcher.store.runs`` → ``matcher.store``; a top-level module is its own layer."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "matcher" else parts[0]


def test_the_graph_sees_known_imports() -> None:
    graph = import_graph()
    assert "matcher.store" in graph["matcher.batch.run"]
    assert "matcher.app" in graph["matcher.cli"]
    assert len(MODULES) > 80


def test_no_import_cycles_between_modules() -> None:
    assert cycles(import_graph()) == []


def test_no_import_cycles_between_packages() -> None:
    layers: dict[str, set[str]] = defaultdict(set)
    for module, targets in import_graph().items():
        for target in targets:
            if _layer(target) != _layer(module):
                layers[_layer(module)].add(_layer(target))
    assert cycles(layers) == []


def test_the_library_never_imports_the_service() -> None:
    offenders = {
        module: sorted(t for t in targets if t.startswith("matcher_service"))
        for module, targets in import_graph().items()
        if module.startswith("matcher.")
    }
    assert {m: t for m, t in offenders.items() if t} == {}


def test_the_service_reaches_the_engine_through_the_app_layer_for_use_cases() -> None:
    """Routes call matcher.app for what the CLI also does; they never run the batch or import code themselves."""
    graph = import_graph()
    direct = {
        module: sorted(t for t in targets if _layer(t) in ("matcher.batch", "matcher.imports", "matcher.review"))
        for module, targets in graph.items()
        if module.startswith("matcher_service.routes")
    }
    assert {m: t for m, t in direct.items() if t} == {}


@pytest.mark.parametrize("folder", ["src", "service", "tests", "benchmarks", "tools"])
def test_nothing_edits_sys_path(folder: str) -> None:
    needles = ("sys.path." + "insert", "sys.path." + "append")  # spelled apart so this file does not find itself
    hits = [
        str(path.relative_to(ROOT))
        for path in (ROOT / folder).rglob("*.py")
        if any(needle in path.read_text(encoding="utf-8") for needle in needles)
    ]
    assert hits == []


def test_a_cycle_is_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
