"""Writing synthesis tables to .xlsx: one sheet per table, styled headers, frozen panes, heat.

The writer knows nothing about matrices: it takes ``Sheet``s of plain rows
(what ``Matrix.grid()``, ``RoundComparison.grid()`` … return), so each export
is query → model → grid → this file. Heat fills are written as cell fills,
not conditional formats, so they survive every spreadsheet program.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.errors import InvalidInput
from casebook.messages import message
from casebook.synthesis.export_docx import theme_text
from casebook.synthesis.heat import dark, heat_hex
from casebook.writers.files import saving
from casebook.writers.sheets import PERCENT, finish_sheet

HEADER_FILL = "DDE4EE"
TOTAL_FILL = "F2F2F2"
# Passage fields in sheet order; their headers come from the message catalogue.
PASSAGE_COLUMNS = (
    "row",
    "column",
    "case_name",
    "document",
    "kind",
    "round",
    "role",
    "coder",
    "code",
    "start",
    "end",
    "quote",
    "coding_id",
)


@dataclass
class Sheet:
    title: str
    rows: list[list[Any]]
    heat: bool = False
    totals: bool = False  # last row and last column are totals: bold, no heat
    wrap: bool = False
    widths: dict[int, float] = field(default_factory=dict)  # 1-based column -> width
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 1-based -> RRGGBB
    percent: bool = False  # values are shares (0.25) shown as percentages (25.0%)


def sheet_title(text: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "-", text).strip("'") or "Sheet"
    base = base[:31]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def passage_sheet(
    passages: Sequence[dict[str, Any]],
    title: str | None = None,
    *,
    language: str = "nl",
    ids: bool = False,
) -> Sheet:
    """The passages behind a table, one per row, headers in ``language``.

    The code column shows the code's label, or its id (path) with ``ids``;
    the coding id stays in its own column so a reader can find the passage.
    """
    names = message(language, "passage_columns")
    kinds = message(language, "kind_labels")
    cols = [c for c in PASSAGE_COLUMNS if any(c in p for p in passages[:1])] or list(
        PASSAGE_COLUMNS
    )
    rows: list[list[Any]] = [[names[c] for c in cols]]
    for p in passages:
        line: list[Any] = []
        for c in cols:
            value = p.get(c)
            if c == "code" and not ids and p.get("code_label"):
                value = p["code_label"]
            elif c == "kind" and value:
                value = kinds.get(value, value)
            line.append(value)
        rows.append(line)
    widths = {i + 1: 60.0 if k == "quote" else 16.0 for i, k in enumerate(cols)}
    return Sheet(title or message(language, "passages_sheet"), rows, wrap=True, widths=widths)


def write_workbook(path: str | Path, sheets: Sequence[Sheet]) -> Path:
    # openpyxl is slow to load; only .xlsx files need it
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InvalidInput(f"{path}: give a file name ending in .xlsx")
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor=HEADER_FILL)
    total_fill = PatternFill("solid", fgColor=TOTAL_FILL)
    for spec in sheets:
        ws = wb.create_sheet(sheet_title(spec.title, taken))
        for row in spec.rows:
            ws.append([_cell_value(v) for v in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # passage text, never a formula
        n_rows, n_cols = len(spec.rows), max((len(r) for r in spec.rows), default=0)
        body = _body_values(spec)
        vmax = max(body, default=0)
        for r_idx in range(1, n_rows + 1):
            for c_idx in range(1, n_cols + 1):
                cell = ws.cell(row=r_idx, column=c_idx)
                is_total = (
                    spec.totals and (r_idx == n_rows or c_idx == n_cols) and r_idx > 1 and c_idx > 1
                )
                if r_idx == 1 or c_idx == 1:
                    cell.font = bold
                    cell.fill = head_fill
                elif is_total:
                    cell.font = bold
                    cell.fill = total_fill
                elif spec.heat and isinstance(cell.value, int | float):
                    colour = heat_hex(cell.value, vmax)
                    cell.fill = PatternFill("solid", fgColor=colour)
                    if dark(cell.value, vmax):
                        cell.font = Font(color="FFFFFF")
                if (r_idx, c_idx) in spec.fills:
                    cell.fill = PatternFill("solid", fgColor=spec.fills[(r_idx, c_idx)])
                if spec.wrap:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "B2"
        formats = {c: PERCENT for c in range(2, n_cols + 1)} if spec.percent else {}
        finish_sheet(ws, formats=formats, widths=dict(spec.widths))
    with saving(path):
        wb.save(path)
    return path


def _cell_value(v: Any) -> Any:
    if v is None or isinstance(v, int | float | str):
        return v
    return str(v)


def _body_values(spec: Sheet) -> list[float]:
    rows = spec.rows[1:-1] if spec.totals else spec.rows[1:]
    out: list[float] = []
    for r in rows:
        cells = r[1:-1] if spec.totals else r[1:]
        out += [float(v) for v in cells if isinstance(v, int | float)]
    return out


def framework_sheets(grid: Any, *, language: str = "nl", ids: bool = False) -> list[Sheet]:
    """A framework as a case × theme sheet of summaries and a sheet of its supporting passages."""
    head = [
        message(language, "framework_columns")["case"],
        *(theme_text(t, ids) for t in grid.themes),
    ]
    rows: list[list[Any]] = [head]
    passages: list[dict[str, Any]] = []
    for c in grid.cases:
        line: list[Any] = [c.label]
        for t in grid.themes:
            cell = grid.cell(c.key, t.code_id)
            line.append(cell.summary if cell.stored else None)
            for p in cell.links:
                passages.append({**p, "row": c.label, "column": theme_text(t, ids)})
        rows.append(line)
    widths = {1: 18.0, **{i: 50.0 for i in range(2, len(head) + 1)}}
    return [
        Sheet(grid.framework.name, rows, wrap=True, widths=widths),
        passage_sheet(passages, language=language, ids=ids),
    ]


ROUND_FILLS = {"new": "C7E9C0", "gone": "FCBBA1"}


def rounds_sheets(comparison: Any, *, language: str = "nl", ids: bool = False) -> list[Sheet]:
    """A round comparison and the passages new in the second round; new and gone cells tinted."""
    grid = comparison.grid(language=language, ids=ids)
    fills = {
        (i, 6): ROUND_FILLS[c.status]
        for i, c in enumerate(comparison.cells, start=2)
        if c.status in ROUND_FILLS
    }
    new_in = message(language, "rounds_new_sheet").format(x=comparison.round_b)
    return [
        Sheet(f"{comparison.round_a} vs {comparison.round_b}", grid, fills=fills),
        passage_sheet(comparison.new_passages(), new_in, language=language, ids=ids),
    ]


def cooccurrence_sheets(co: Any, *, language: str = "nl", ids: bool = False) -> list[Sheet]:
    """Counts and Jaccard shares of a co-occurrence table, one sheet each."""
    counts, jaccard = co.sheet_names(language)
    return [
        Sheet(counts, co.grid(language=language, ids=ids), heat=True),
        Sheet(jaccard, co.grid(jaccard=True, language=language, ids=ids), heat=True),
    ]
