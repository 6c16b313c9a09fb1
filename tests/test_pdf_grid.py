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


# --- which cell holds a character: the index agrees with the plain rule ------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from casebook.importers.pdf.grid import CellIndex, Grid  # noqa: E402

_COORD = st.sampled_from([0.0, 1.0, 2.5, 4.0, 5.0, 7.5, 10.0, float("nan")])


def _first_holding(found: list[Grid], x: float, y: float) -> tuple[int, int, int] | None:
    """The rule written plainly: grid box, then row band, then the first cell holding the point."""
    for gi, g in enumerate(found):
        flat = [c for row in g.rows for c in row]
        if not flat:
            continue
        x0, y0 = min(c[0] for c in flat), min(c[1] for c in flat)
        x1, y1 = max(c[2] for c in flat), max(c[3] for c in flat)
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            continue
        for ri, row in enumerate(g.rows):
            if not row or not (min(c[1] for c in row) <= y <= max(c[3] for c in row)):
                continue
            for ci, (a, b, c, d) in enumerate(row):
                if a <= x <= c and b <= y <= d:
                    return gi, ri, ci
    return None


# no timing checks: on a shared machine a slow draw says nothing about the index
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(st.lists(st.tuples(_COORD, _COORD, _COORD, _COORD), max_size=3), max_size=3),
        min_size=1,
        max_size=3,
    ),
    st.lists(st.tuples(_COORD, _COORD), min_size=1, max_size=12),
)
def test_cell_index_finds_the_first_cell_holding_a_point(
    grids: list[list[list[tuple[float, float, float, float]]]],
    points: list[tuple[float, float]],
) -> None:
    """Overlapping cells, shared rules, points on bounds, empty rows and NaN included."""
    found = [Grid(0, 0, 0, 0, rows) for rows in grids]
    texts = [[[[] for _c in row] for row in g.rows] for g in found]
    names = {
        id(texts[gi][ri][ci]): (gi, ri, ci)
        for gi, g in enumerate(found)
        for ri, row in enumerate(g.rows)
        for ci in range(len(row))
    }
    index = CellIndex(found, texts)
    for x, y in points:
        hit = index.at(x, y)
        assert (None if hit is None else names[id(hit)]) == _first_holding(found, x, y)


def test_a_character_on_a_shared_rule_goes_to_the_upper_left_cell() -> None:
    rows = [[(0.0, 10.0, 5.0, 20.0), (5.0, 10.0, 9.0, 20.0)], [(0.0, 0.0, 9.0, 10.0)]]
    texts = [[[[] for _c in row] for row in rows]]
    index = CellIndex([Grid(0, 0, 9, 20, rows)], texts)
    assert index.at(5.0, 15.0) is texts[0][0][0]
    assert index.at(5.0, 10.0) is texts[0][0][0]
    assert index.at(2.0, 5.0) is texts[0][1][0]
    assert index.at(9.5, 5.0) is None
