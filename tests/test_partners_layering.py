"""Issue 16, item 2: no import cycles inside casebook.partners, none between privacy and partners.

Every import counts, the ones inside functions too: a function-level import
hides a cycle from Python, not from the next reader. The graph is built from
the source (ast), so the test needs no imports of its own and fails on a new
cycle however it is written.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.test_layering import strongly_connected

PACKAGE = Path(__file__).resolve().parents[1] / "casebook"
MAX_LINES = 800


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _target(name: str, modules: dict[str, Path]) -> str | None:
    """The casebook module an imported name lives in ('casebook.a.b.func' → 'casebook.a.b')."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module → the casebook modules it imports, at any level of the file."""
    graph: dict[str, set[str]] = {}
    for mod, path in modules.items():
        edges: set[str] = set()
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base]) if base else ".".join(up)
                names = [f"{base}.{a.name}" for a in node.names]
            for n in names:
                if n.startswith("casebook"):
                    t = _target(n, modules)
                    if t and t != mod and t != "casebook":
                        edges.add(t)
        graph[mod] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    return strongly_connected(graph)


def _ours(module: str) -> bool:
    return module.startswith(("casebook.partners", "casebook.privacy"))


def test_no_cycle_reaches_partners() -> None:
    found = [
        c
        for c in cycles(import_graph(_modules()))
        if any(m.startswith("casebook.partners") for m in c)
    ]
    assert found == []


def test_no_cycle_among_partners_and_privacy() -> None:
    # Cycles through other packages (core reaching up into reports) belong to the package
    # layering test; here: the two packages and the modules between them.
    graph = import_graph(_modules())
    ours = {m: {t for t in ts if _ours(t)} for m, ts in graph.items() if _ours(m)}
    assert cycles(ours) == []


def test_partners_does_not_import_privacy() -> None:
    graph = import_graph(_modules())
    upward = {
        (m, t)
        for m, ts in graph.items()
        if m.startswith("casebook.partners")
        for t in ts
        if t.startswith("casebook.privacy")
    }
    assert upward == set()  # the name lists both use live in casebook.text.names


def test_partners_and_privacy_modules_stay_under_the_size_limit() -> None:
    sizes = {
        m: len(p.read_text(encoding="utf-8").splitlines())
        for m, p in _modules().items()
        if _ours(m)
    }
    assert {m: n for m, n in sizes.items() if n > MAX_LINES} == {}


def test_the_check_finds_a_cycle_when_one_is_added() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    graph = import_graph(_modules())
    assert "casebook.partners.variants" in graph["casebook.partners.registry"]
    graph["casebook.partners.variants"].add("casebook.partners.registry")  # the old cycle
    assert any("casebook.partners.registry" in c for c in cycles(graph))


def test_function_level_imports_of_ours_are_seen(tmp_path: Path) -> None:
    pkg = tmp_path / "casebook"
    (pkg / "x").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "x" / "__init__.py").write_text("")
    (pkg / "x" / "a.py").write_text("def f():\n    from casebook.x.b import g\n")
    (pkg / "x" / "b.py").write_text("from . import a\n")
    mods = {
        "casebook": pkg / "__init__.py",
        "casebook.x": pkg / "x" / "__init__.py",
        "casebook.x.a": pkg / "x" / "a.py",
        "casebook.x.b": pkg / "x" / "b.py",
    }
    assert cycles(import_graph(mods)) == [["casebook.x.a", "casebook.x.b"]]
