"""Layers import downward only, and no module imports itself back through others.

The layers, from the top: the ways in (cli, runner, tui, pytest plugin, ...), then config ->
engine -> actions -> backends -> templates -> readers -> voice -> trace -> errors (with the
leaves that import nothing of callsim: version, durations). A module may import its own layer
and the layers below it. Every import that runs counts, at the top of a module or inside a
function: a function-level import defers loading, it does not make an upward import acceptable.
Only a name imported under `if TYPE_CHECKING:` is exempt from the direction, since it is never
loaded: a lower layer may name the type of an object an upper layer hands it (the engine hands
an action its config model).

Circles: no circle of imports that run, and no circle closed by a function-level import, even
through a type-only one (a late import that dodges a circle is still a circle). A circle of a
module-level import and a type-only one back is two collaborators naming each other's types
(a policy is handed the session that holds it) and is allowed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src"

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ways in", ("callsim", "callsim.cli", "callsim.runner", "callsim.tui", "callsim.pytest_plugin",
                 "callsim.live", "callsim.bench", "callsim.coverage", "callsim.discover", "callsim.report",
                 "callsim.recordings")),
    ("config", ("callsim.config", "callsim.personas")),
    ("engine", ("callsim.engine",)),
    ("actions", ("callsim.actions",)),
    ("backends", ("callsim.backends",)),
    ("templates", ("callsim.templates",)),
    ("readers", ("callsim.readers",)),
    ("voice", ("callsim.voice",)),
    ("trace", ("callsim.trace",)),
    ("errors", ("callsim.errors", "callsim.version", "callsim.durations", "callsim.files", "callsim.patterns",
                "callsim.suggest", "callsim.terminal", "callsim.user_cache")),
)
"""From the top down; a module belongs to the layer of its longest matching prefix."""

RULE = "layers import downward only: " + " -> ".join(name for name, _ in LAYERS)


@dataclass(frozen=True)
class Import:
    """One `import`/`from ... import` of a callsim module, where it is and how it runs."""

    source: str
    target: str
    path: Path
    line: int
    kind: str  # "module" (runs on import), "function" (runs when called) or "typing" (never runs)

    def where(self) -> str:
        return f"{self.path.relative_to(SOURCE.parent)}:{self.line}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted((SOURCE / "callsim").rglob("*.py"))}


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    """Every callsim import in one file, however deeply nested, with the way it runs."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []

    def targets(node: ast.Import | ast.ImportFrom) -> list[str]:
        if isinstance(node, ast.Import):
            return [alias.name for alias in node.names]
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*anchor, *([base] if base else [])])
        # `from callsim.actions import booking` imports the module callsim.actions.booking
        named = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
        return named or [base]

    def visit(node: ast.AST, kind: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for statement in child.body:
                    visit_statement(statement, "typing")
                for statement in child.orelse:
                    visit_statement(statement, kind)
            else:
                visit_statement(child, kind)

    def visit_statement(node: ast.AST, kind: str) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            visit(node, "typing" if kind == "typing" else "function")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for target in targets(node):
                if target == "callsim" or target.startswith("callsim."):
                    found.append(Import(name, target, path, node.lineno, kind))
        else:
            visit(node, kind)

    visit(ast.parse(path.read_text(encoding="utf-8")), "module")
    return found


def layer_of(module: str) -> int:
    best, depth = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > depth:
                best, depth = index, len(prefix)
    return best


def all_imports() -> list[Import]:
    modules = all_modules()
    return [found for name, path in modules.items() for found in imports_of(name, path, modules)]


def upward(found: Import) -> str | None:
    """Why an import breaks the layering, or None when it does not."""
    if found.kind == "typing":
        return None
    source, target = layer_of(found.source), layer_of(found.target)
    if target >= source:
        return None
    how = "inside a function" if found.kind == "function" else "at module level"
    return (f"{found.where()}: {found.source} ({LAYERS[source][0]}) imports {found.target} "
            f"({LAYERS[target][0]}) {how}, which is upward")


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of a graph: one shortest circle per strongly connected component."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def connect(node: str) -> None:  # Tarjan's algorithm; the graph is small enough to recurse
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                components.append(component)

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return [_shortest_circle(component, edges) for component in components]


def _shortest_circle(component: set[str], edges: dict[str, set[str]]) -> list[str]:
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(edges.get(node, ())):
            if nxt == start:
                return [*paths[node], start]
            if nxt in component and nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return [start, start]


def import_graph(found: list[Import]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for item in found:
        if item.target != item.source:
            edges.setdefault(item.source, set()).add(item.target)
    return edges


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(name for name in all_modules() if layer_of(name) < 0)
    assert not unplaced, f"modules without a layer: {', '.join(unplaced)}; add them to LAYERS in {__file__}"


def test_layers_import_downward_only() -> None:
    problems = [reason for found in all_imports() if (reason := upward(found))]
    assert not problems, "\n".join([*problems, f"{RULE}; move the shared piece down, or pass it in "
                                                "(a registry, a callable, a Protocol)"])


def circles(found: list[Import]) -> list[str]:
    """Each forbidden circle, with the file and line of every import in it."""
    lines = {(item.source, item.target): item for item in found}
    running = [item for item in found if item.kind != "typing"]
    problems = [[lines[(a, b)] for a, b in zip(circle, circle[1:], strict=False)]
                for circle in cycles(import_graph(running))]
    everything = import_graph(found)
    for late in (item for item in found if item.kind == "function"):
        back = _path(everything, late.target, late.source)
        if back is not None:
            steps = [late, *(lines[(a, b)] for a, b in zip(back, back[1:], strict=False))]
            if not any({s.source for s in steps} == {s.source for s in known} for known in problems):
                problems.append(steps)
    return ["import circle: " + " -> ".join([steps[0].source, *(s.target for s in steps)]) + " ("
            + ", ".join(f"{s.where()} {'type-only' if s.kind == 'typing' else s.kind + '-level'}" for s in steps) + ")"
            for steps in problems]


def _path(edges: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """A shortest import path from `start` to `goal`, or None."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                if nxt == goal:
                    return paths[nxt]
                queue.append(nxt)
    return None


def test_no_import_circles() -> None:
    problems = circles(all_imports())
    assert not problems, "\n".join(problems) + "\nbreak each circle: move the shared piece down or pass it in"


# The checker itself: it must see through the forms that hide an import.
CASES = {
    "function-level": ("def f():\n    from callsim.runner import x\n", "function"),
    "method-level": ("class A:\n    def f(self):\n        import callsim.cli\n", "function"),
    "type-only": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from callsim.cli import x\n", "typing"),
    "module-level": ("from callsim.cli import x\n", "module"),
    "relative": ("from ..cli import x\n", "module"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_checker_finds_every_kind_of_import(case: str, tmp_path: Path) -> None:
    source, kind = CASES[case]
    path = SOURCE / "callsim" / "trace" / "probe.py"  # only named, never written
    modules = {"callsim.cli": path, "callsim.runner": path, "callsim.trace.probe": path}
    tree_file = tmp_path / "probe.py"
    tree_file.write_text(source)
    found = imports_of("callsim.trace.probe", tree_file, modules)
    assert [(f.target.split(".")[1], f.kind) for f in found] == [(("runner" if "runner" in source else "cli"), kind)]
    message = upward(Import(found[0].source, found[0].target, path, found[0].line, found[0].kind))
    assert (message is None) == (kind == "typing")
    if message:
        assert "callsim.trace.probe (trace) imports" in message and "upward" in message


def test_the_checker_names_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
