"""Ruled tables read from PDFium alone agree with pdfplumber's table finder, which is not opened."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import casebook.importers.pdf as pdf_module
from casebook.importers.pdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from tablereport import build  # noqa: E402


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("tables") / "report.pdf", pages=9)


def test_grid_tables_without_pdfplumber(report: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = PdfReader().read(report)
    rows = [b for b in fast.blocks if b.kind == "table_row"]
    assert len({b.page for b in rows}) == 6  # pages 1, 2, 4, 5, 7, 8 carry a table
    assert rows[0].text == "Post | Begroot (€) | Besteed (€) | Verschil (€) | Toelichting"
    assert all(b.text.count(" | ") >= 3 for b in rows)

    # the same file through pdfplumber's finder only gives the same blocks
    monkeypatch.setattr(pdf_module, "_pdfium_tables", lambda *_args: False)
    slow = PdfReader().read(report)
    assert [(b.kind, b.text, b.page) for b in slow.blocks] == [
        (b.kind, b.text, b.page) for b in fast.blocks
    ]


def test_pdfplumber_is_not_opened_for_grid_tables(
    report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self, page, index):  # noqa: ANN001, ANN202
        raise AssertionError(f"pdfplumber asked for page {index + 1}")

    monkeypatch.setattr(pdf_module._Plumber, "tables", refuse)
    result = PdfReader().read(report)
    assert sum(b.kind == "table_row" for b in result.blocks) > 40
