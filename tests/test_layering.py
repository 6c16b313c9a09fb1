"""Layering: packages import only downwards, and no two packages import each other.

Every import in casebook/ counts, at module level and inside functions, because a
function-level import is still a dependency: it only hides a cycle from Python.
The order is written down once, in ``LAYERS`` (lowest first), and explained in
docs/decisions.md ("A map of the house"). A package may import packages of its
own layer or of a lower one; the package graph must have no cycle. Imports
inside functions are kept only for heavy optional libraries, each with a
comment saying why.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "casebook"

# Lowest first. "casebook" is the package's own __init__ (the version number).
LAYERS: list[set[str]] = [
    {"casebook", "errors", "config", "messages", "orgtypes"},
    {"store"},
    {"text", "writers"},
    {"importers", "kinds"},
    {"codes"},
    {"core", "manifest"},
    {"versions", "autocode"},
    {"partners"},
    {"privacy"},
    {"synthesis"},
    {"reports", "agreement", "exchange", "team"},
    {"demo"},
    {"tui"},
    {"cli", "__main__"},
]

# Upward imports still waiting for a change in a package another helper was
# editing, as (importing module, imported module). TODO(coordinator): remove each
# pair once the change it names has landed; the list must end empty.
PENDING: dict[tuple[str, str], str] = {}

# Upward imports that are the design, with the reason.
ALLOWED: dict[tuple[str, str], str] = {
    # A manifest row with `replaces` is a new version of a document: import_batch
    # hands it to versions, which is built on documents.
    ("casebook.core.documents", "casebook.versions.revise"): "manifest rows that revise",
}

# Libraries slow to import or optional at run time; only these may be imported
# inside a function (so `casebook --help` stays instant).
HEAVY = {
    "spacy",
    "pdfplumber",
    "pypdfium2",
    "docx",
    "odf",
    "openpyxl",
    "lxml",
    "rapidfuzz",
    "numpy",
    "sqlite_utils",  # imports numpy (and pandas if installed); only its table API needs it
    "matplotlib",
    "networkx",
    "textual",
    "textual_serve",
    "aiohttp",
    "sklearn",
    "statsmodels",
    "charset_normalizer",
}

# Our own packages that load a heavy library when imported, with the library:
# importing them from a function is as lazy as importing that library.
HEAVY_OWN: dict[str, str] = {
    "casebook.tui": "textual",  # the CLI starts the TUI only for `casebook` without a command
}

# Packages whose function-level imports are not hoisted yet; keep it empty.
NOT_YET_HOISTED: set[str] = set()

# Modules that import other modules by name (importlib), from a table of names: the
# loader and its tables. The modules a table names are dependencies of the loader like
# any import, so they join the graph (``dynamic_imports``); importlib anywhere else is
# a dependency nobody can see and is refused (``hidden_loaders``).
LOADERS: dict[str, tuple[str, ...]] = {
    # the root command group imports a command's module when that command runs
    "casebook.cli": ("COMMANDS", "ALSO_LOADS"),
    # a format's reader is imported when a file of that format is read
    "casebook.importers": ("_READERS",),
}

# Our own modules a module may import inside a function, with a reason, because it
# loads them by design only when needed: the root command group's callback loads the
# state the commands share (the project store: sqlite-utils, numpy) and, for the bare
# `casebook`, the TUI launcher, so that `casebook --help` loads neither.
LAZY_OWN: set[tuple[str, str]] = {
    ("casebook.cli", "casebook.cli.state"),
    ("casebook.cli", "casebook.cli.tui"),
}


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted
    target: str  # imported module, dotted
    path: Path
    line: int
    in_function: bool
    by_name: bool = False  # named in a loader's table, imported with importlib


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "casebook":
        return None
    return parts[1] if len(parts) > 1 else "casebook"


def _function_nodes(tree: ast.AST) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside.update(id(n) for n in ast.walk(node) if n is not node)
    return inside


def imports_of(path: Path, root: Path, modules: set[str]) -> Iterator[Import]:
    """Every import in one file, relative ones resolved, ``from pkg import mod`` as pkg.mod."""
    source = module_name(path, root)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside = _function_nodes(tree)
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = source.split(".") if is_package else source.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                targets.append(sub if sub in modules else module)
        for target in targets:
            yield Import(source, target, path, node.lineno, id(node) in inside)


def collect(root: Path, loaders: dict[str, tuple[str, ...]] | None = None) -> list[Import]:
    """Every import in the package, with those the ``loaders``' tables name (see ``LOADERS``)."""
    files = sorted(root.rglob("*.py"))
    modules = {module_name(p, root) for p in files}
    found = [imp for p in files for imp in imports_of(p, root, modules)]
    return found + dynamic_imports(root, modules, loaders or {})


def _path_of(root: Path, module: str) -> Path:
    rel = Path(*module.split(".")[1:])
    package = root / rel / "__init__.py"
    return package if package.exists() else (root / rel).with_suffix(".py")


def dynamic_imports(
    root: Path, modules: set[str], loaders: dict[str, tuple[str, ...]]
) -> list[Import]:
    """The modules named in the loaders' tables: each string in a table's values that
    names a module, dotted (``pkg.mod`` or ``pkg.mod:Class``) or under the loader."""
    found = []
    for loader, tables in loaders.items():
        path = _path_of(root, loader)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            target = (
                node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
            )
            value = getattr(node, "value", None)
            if not (isinstance(target, ast.Name) and target.id in tables) or value is None:
                continue
            for const in ast.walk(value):
                if not (isinstance(const, ast.Constant) and isinstance(const.value, str)):
                    continue
                name = const.value.split(":")[0]
                for candidate in (name, f"{loader}.{name}"):
                    if candidate in modules:
                        found.append(
                            Import(loader, candidate, path, const.lineno, True, by_name=True)
                        )
    return found


def hidden_loaders(root: Path, loaders: Iterable[str]) -> list[str]:
    """Calls of importlib.import_module or __import__ outside the declared loaders."""
    allowed = set(loaders)
    found = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        if module in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ("import_module", "__import__"):
                    found.append(f"{module}:{node.lineno} imports a module by name")
    return found


def rank_of(layers: list[set[str]]) -> dict[str, int]:
    return {pkg: i for i, layer in enumerate(layers) for pkg in layer}


def upward(
    imports: Iterable[Import], layers: list[set[str]], exempt: Iterable[tuple[str, str]]
) -> list[str]:
    """Imports of a higher layer (or of a package missing from ``layers``)."""
    rank = rank_of(layers)
    skip = set(exempt)
    found = []
    for imp in imports:
        src, dst = package_of(imp.source), package_of(imp.target)
        if src is None or dst is None or src == dst or (imp.source, imp.target) in skip:
            continue
        if src not in rank or dst not in rank:
            found.append(f"{imp.path.name}:{imp.line}: {src} or {dst} has no layer")
        elif rank[dst] > rank[src]:
            found.append(f"{imp.source}:{imp.line} imports {imp.target} (layer {src} < {dst})")
    return list(dict.fromkeys(found))


def cycles(imports: Iterable[Import], exempt: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Groups of packages that import each other, each a cycle to break."""
    skip = set(exempt)
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in imports:
        src, dst = package_of(imp.source), package_of(imp.target)
        if src and dst and src != dst and (imp.source, imp.target) not in skip:
            graph[src].add(dst)
    return strongly_connected(graph)


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
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
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def _top(module: str) -> str:
    return module.split(".")[0]


def is_heavy(module: str, heavy_own: Iterable[str] = HEAVY_OWN) -> bool:
    """A heavy library, or one of our packages that loads one at import."""
    return _top(module) in HEAVY or any(
        module == own or module.startswith(own + ".") for own in heavy_own
    )


def _has_reason(lines: list[str], line: int) -> bool:
    """A comment on the import's line, or just above its run of import lines."""
    if "#" in lines[line - 1]:
        return True
    i = line - 2
    while i >= 0 and lines[i].strip().startswith(("from ", "import ")):
        i -= 1
    return i >= 0 and lines[i].strip().startswith("#")


def unexplained_lazy(
    imports: Iterable[Import],
    not_yet: set[str],
    exempt: Iterable[tuple[str, str]] = (),
    heavy_own: Iterable[str] = HEAVY_OWN,
    lazy_own: Iterable[tuple[str, str]] = LAZY_OWN,
) -> list[str]:
    """Function-level imports that are not heavy libraries, or have no reason written.

    An exempted upward import has to stay inside its function (at module level
    it would be a circular import), so it is not reported here; nor are the
    modules a loader's table names (they are not import statements). A pair in
    ``lazy_own`` counts as heavy: it still needs its reason.
    """
    skip = set(exempt)
    lazy = set(lazy_own)
    found = []
    texts: dict[Path, list[str]] = {}
    for imp in imports:
        if not imp.in_function or package_of(imp.source) in not_yet:
            continue
        if (imp.source, imp.target) in skip:
            continue
        if imp.by_name:
            continue
        if (imp.source, imp.target) not in lazy and not is_heavy(imp.target, heavy_own):
            found.append(f"{imp.source}:{imp.line} imports {imp.target} inside a function")
            continue
        lines = texts.setdefault(imp.path, imp.path.read_text(encoding="utf-8").splitlines())
        if not _has_reason(lines, imp.line):
            found.append(f"{imp.source}:{imp.line}: lazy import of {imp.target} needs a reason")
    return list(dict.fromkeys(found))


@pytest.fixture(scope="module")
def tree_imports() -> list[Import]:
    return collect(PACKAGE, LOADERS)


def test_every_package_has_a_layer() -> None:
    packages = {package_of(module_name(p, PACKAGE)) for p in PACKAGE.rglob("*.py")}
    assert packages - set(rank_of(LAYERS)) == set()


def test_packages_import_only_downwards(tree_imports: list[Import]) -> None:
    assert upward(tree_imports, LAYERS, {**PENDING, **ALLOWED}) == []


def test_no_cycles_between_packages(tree_imports: list[Import]) -> None:
    assert cycles(tree_imports, {**PENDING, **ALLOWED}) == []


def test_function_level_imports_are_heavy_libraries_with_a_reason(
    tree_imports: list[Import],
) -> None:
    assert unexplained_lazy(tree_imports, NOT_YET_HOISTED, {**PENDING, **ALLOWED}) == []


def test_modules_are_imported_by_name_only_in_the_loaders() -> None:
    assert hidden_loaders(PACKAGE, LOADERS) == []


def test_the_loaders_tables_are_in_the_graph(tree_imports: list[Import]) -> None:
    """Each loader's table names modules, and they count as its imports."""
    for loader in LOADERS:
        named = {i.target for i in tree_imports if i.source == loader and i.in_function}
        assert len(named) >= 3, loader
    assert ("casebook.cli", "casebook.cli.imports") in {(i.source, i.target) for i in tree_imports}


def test_lazy_own_imports_are_still_lazy(tree_imports: list[Import]) -> None:
    """LAZY_OWN only shrinks: each pair is still imported inside a function."""
    lazy = {(i.source, i.target) for i in tree_imports if i.in_function}
    assert LAZY_OWN - lazy == set()


def test_heavy_own_packages_do_load_their_library(tree_imports: list[Import]) -> None:
    """HEAVY_OWN only shrinks: each package named there imports its library at module level."""
    for own, library in HEAVY_OWN.items():
        assert any(
            (i.source == own or i.source.startswith(own + "."))
            and not i.in_function
            and _top(i.target) == library
            for i in tree_imports
        ), f"{own} no longer imports {library} at module level: drop it from HEAVY_OWN"


def test_exemptions_are_still_needed(tree_imports: list[Import]) -> None:
    """An exemption whose import is gone must be deleted, so the lists only shrink."""
    present = {(i.source, i.target) for i in tree_imports}
    assert [pair for pair in {**PENDING, **ALLOWED} if pair not in present] == []


# --- the test of the test: a small synthetic package with the faults to catch ----


def _write(root: Path, files: dict[str, str]) -> Path:
    pkg = root / "casebook"
    for name, text in files.items():
        path = pkg / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return pkg


SMALL_LAYERS = [{"casebook"}, {"store"}, {"core"}, {"cli"}]


def test_an_upward_import_inside_a_function_is_caught(tmp_path: Path) -> None:
    pkg = _write(
        tmp_path,
        {
            "__init__.py": "",
            "store/__init__.py": "",
            "store/project.py": "def f():\n    from casebook.core import documents\n",
            "core/__init__.py": "",
            "core/documents.py": "from casebook.store.project import f\n",
            "cli/__init__.py": "from ..core import documents\n",
        },
    )
    found = collect(pkg)
    assert upward(found, SMALL_LAYERS, {}) == [
        "casebook.store.project:2 imports casebook.core.documents (layer store < core)"
    ]
    assert cycles(found, {}) == [["core", "store"]]
    assert unexplained_lazy(found, set()) == [
        "casebook.store.project:2 imports casebook.core.documents inside a function"
    ]
    # an exemption silences exactly that pair
    pair = ("casebook.store.project", "casebook.core.documents")
    assert upward(found, SMALL_LAYERS, [pair]) == []
    assert cycles(found, [pair]) == []


def test_a_cycle_within_one_layer_and_an_unknown_package_are_caught(tmp_path: Path) -> None:
    pkg = _write(
        tmp_path,
        {
            "__init__.py": "",
            "core/__init__.py": "",
            "core/a.py": "from casebook import extra\n",
            "extra/__init__.py": "from casebook.core import a\n",
            "store/x.py": "def f():\n    import spacy\n\n\ndef g():\n    # too slow to load at start\n    import spacy\n",
        },
    )
    found = collect(pkg)
    layers = [{"casebook"}, {"store"}, {"core", "extra"}]
    assert upward(found, layers, {}) == []
    assert cycles(found, {}) == [["core", "extra"]]
    assert upward(found, layers[:2] + [{"core"}], {}) != []
    assert unexplained_lazy(found, set()) == [
        "casebook.store.x:2: lazy import of spacy needs a reason"
    ]


def test_a_heavy_own_package_may_be_imported_lazily_with_a_reason(tmp_path: Path) -> None:
    pkg = _write(
        tmp_path,
        {
            "__init__.py": "",
            "tui/__init__.py": "",
            "tui/app.py": "import textual\n",
            "core/__init__.py": "",
            "cli/__init__.py": (
                "def f():\n    # the TUI loads Textual\n    from casebook.tui import app\n\n\n"
                "def g():\n    from casebook.tui.app import textual\n\n\n"
                "def h():\n    # not heavy\n    from casebook.core import x\n"
            ),
        },
    )
    found = collect(pkg)
    assert unexplained_lazy(found, set(), heavy_own={"casebook.tui"}) == [
        "casebook.cli:7: lazy import of casebook.tui.app needs a reason",
        "casebook.cli:12 imports casebook.core inside a function",
    ]
    assert len(unexplained_lazy(found, set(), heavy_own=())) == 3


def test_a_loader_table_joins_the_graph_and_importlib_elsewhere_is_caught(tmp_path: Path) -> None:
    pkg = _write(
        tmp_path,
        {
            "__init__.py": "",
            "core/__init__.py": "",
            "core/documents.py": "",
            "store/__init__.py": "",
            "store/project.py": "import importlib\nm = importlib.import_module('casebook.core')\n",
            "cli/__init__.py": (
                "import importlib\n\n"
                "COMMANDS = {'docs': ('docs', 'List documents.')}\n"
                "OTHER = {'x': 'casebook.core.documents'}\n\n\n"
                "def load(name):\n    return importlib.import_module(f'casebook.cli.{name}')\n\n\n"
                "def callback():\n    # the state loads the store\n    from casebook.cli import state\n\n\n"
                "def other():\n    from casebook.cli import docs\n"
            ),
            "cli/docs.py": "",
            "cli/state.py": "",
            "store/reader.py": "READERS = {'.x': 'casebook.cli.docs:Reader'}\n",
        },
    )
    loaders = {"casebook.cli": ("COMMANDS",), "casebook.store.reader": ("READERS",)}
    found = collect(pkg, loaders)
    named = {(i.source, i.target) for i in found if i.in_function}
    assert ("casebook.cli", "casebook.cli.docs") in named
    assert ("casebook.cli", "casebook.core.documents") not in named  # OTHER is not a table
    # a table that names a higher layer is an upward import like any other
    assert upward(found, SMALL_LAYERS, {}) == [
        "casebook.store.reader:1 imports casebook.cli.docs (layer store < cli)"
    ]
    assert hidden_loaders(pkg, loaders) == ["casebook.store.project:2 imports a module by name"]
    lazy = {("casebook.cli", "casebook.cli.state")}
    assert unexplained_lazy(found, set(), lazy_own=lazy) == [
        "casebook.cli:17 imports casebook.cli.docs inside a function"
    ]
    assert unexplained_lazy(found, set(), lazy_own=()) == [
        "casebook.cli:13 imports casebook.cli.state inside a function",
        "casebook.cli:17 imports casebook.cli.docs inside a function",
    ]
