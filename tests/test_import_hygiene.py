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
