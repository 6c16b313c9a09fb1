"""Layering: only casebook.tui imports Textual, and `casebook --help` stays light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "casebook"
HEAVY = (
    "spacy",
    "pdfplumber",
    "pypdfium2",
    "docx",
    "odf",
    "matplotlib",
    "networkx",
    "textual",
    "aiohttp",
)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_tui_imports_textual() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "tui" not in p.relative_to(PACKAGE).parts
        and {"textual", "textual_serve", "aiohttp"} & _imports(p)
    ]
    assert offenders == []


def test_help_does_not_load_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from casebook.cli import cli\n"
        "r = CliRunner().invoke(cli, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_importtime_of_help_excludes_spacy_and_pdfplumber() -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "casebook", "--help"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0
    loaded = {
        line.split("|")[-1].strip().split(".")[0]
        for line in proc.stderr.splitlines()
        if "|" in line
    }
    assert "spacy" not in loaded and "pdfplumber" not in loaded and "textual" not in loaded


# Packages `import casebook.cli` must not load: the command modules, the project store
# (sqlite-utils, numpy) and every format library load only when a command needs them.
NOT_AT_START = (*HEAVY, "pypdfium2", "sqlite_utils", "numpy", "yaml", "openpyxl", "rapidfuzz")
MAX_CASEBOOK_MODULES_AT_START = 5  # casebook, casebook.cli, casebook.errors today


def _loaded_after(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    marker = [ln for ln in out.stdout.splitlines() if ln.startswith("LOADED ")]
    assert marker, out.stdout + out.stderr
    return marker[-1].split()[1:]


def test_importing_the_cli_loads_no_command_and_no_heavy_package() -> None:
    loaded = _loaded_after(
        "import sys\nimport casebook.cli\nprint('LOADED', *sorted(sys.modules))\n"
    )
    tops = {m.split(".")[0] for m in loaded}
    assert [m for m in NOT_AT_START if m in tops] == []
    ours = [m for m in loaded if m == "casebook" or m.startswith("casebook.")]
    assert len(ours) <= MAX_CASEBOOK_MODULES_AT_START, ours


def test_an_import_loads_only_what_importing_needs(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from tablereport import build

    pdf = build(tmp_path / "report.pdf", pages=2)
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('LOADED', *sorted(sys.modules)))\n"
        f"sys.argv = ['casebook', '--project', {str(tmp_path / 'p.db')!r}, 'import', {str(pdf)!r},"
        " '--case', 'Aland']\n"
        "from casebook.cli import main\n"
        "main()\n"
    )
    loaded = set(_loaded_after(code))
    assert "casebook.importers.pdf" in loaded and "casebook.core.documents" in loaded
    tops = {m.split(".")[0] for m in loaded}
    assert {"networkx", "docx", "textual", "matplotlib", "openpyxl", "pdfplumber"} & tops == set()
    # the store speaks sqlite3 itself; sqlite-utils would bring numpy (about 0.2 CPU s)
    assert {"spacy", "sqlite_utils", "numpy"} & tops == set()
    for package in ("reports", "partners", "tui", "synthesis", "agreement", "autocode", "exchange"):
        assert not any(m.startswith(f"casebook.{package}") for m in loaded), package
    commands = sorted(m for m in loaded if m.startswith("casebook.cli."))
    assert commands == ["casebook.cli.imports", "casebook.cli.state"]
