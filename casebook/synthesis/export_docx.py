"""Writing synthesis tables to .docx for the report team.

Matrices become one shaded table; framework matrices a table per theme (or
per case) with the analyst's summary beside the supporting passages; a round
comparison a section per case with its table and the passages that are new.
Passages are attributed by role and document, as the report does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from casebook.errors import InvalidInput
from casebook.messages import format_number, message
from casebook.synthesis.heat import dark, heat_hex
from casebook.synthesis.passages import short_quote
from casebook.writers.files import saving
from casebook.writers.fit import fit_columns
from casebook.writers.wordml import WordWriter


def _new_document() -> Any:
    from docx import Document  # python-docx loads lxml; only Word files need it

    return Document()


def _save(doc: Any, path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise InvalidInput(f"{path}: give a file name ending in .docx")
    with saving(path):
        doc.save(str(path))
    return path


def _shade(cell: Any, hex_colour: str) -> None:
    # python-docx loads lxml; only Word files need it
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_colour)
    props.append(shd)


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.1f}"
    return str(v)


def add_grid_table(
    doc: Any, grid: Sequence[Sequence[Any]], *, heat: bool = True, totals: bool = True
) -> Any:
    """A table from a header row + body rows, shaded by value; bold headers and totals."""
    n_rows, n_cols = len(grid), max(len(r) for r in grid)
    table = doc.add_table(rows=n_rows, cols=n_cols)
    table.style = "Table Grid"
    body = [
        v
        for r in (grid[1:-1] if totals else grid[1:])
        for v in (r[1:-1] if totals else r[1:])
        if isinstance(v, int | float)
    ]
    vmax = max(body, default=0)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.text = _fmt(value)
            run = cell.paragraphs[0].runs[0] if cell.paragraphs[0].runs else None
            is_total = totals and i > 0 and j > 0 and (i == n_rows - 1 or j == n_cols - 1)
            if i == 0 or j == 0 or is_total:
                if run is not None:
                    run.bold = True
            elif heat and isinstance(value, int | float) and value:
                _shade(cell, heat_hex(value, vmax))
                if dark(value, vmax) and run is not None:
                    # python-docx loads lxml; only Word files need it
                    from docx.shared import RGBColor

                    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    return table


def write_table_docx(
    path: str | Path,
    title: str,
    grid: Sequence[Sequence[Any]],
    *,
    note: str | None = None,
    heat: bool = True,
    totals: bool = True,
    language: str = "nl",
) -> Path:
    """One table fitted to its content (landscape when wide), header repeated, heat as cell fills."""
    w = WordWriter(language=language)
    n_rows, n_cols = len(grid), max(len(r) for r in grid)
    # Numbers as the language writes them: 41,7 and 12.500 in Dutch, 41.7 and 12,500 in English.
    rows = [
        [
            format_number(v, language, 1 if isinstance(v, float) else 0)
            if isinstance(v, int | float) and not isinstance(v, bool)
            else v
            for v in r
        ]
        for r in grid
    ]
    size = 18 if n_cols > 10 else None
    bold = {0, n_rows - 1} if totals else {0}

    def too_wide(width: int) -> bool:
        return fit_columns(rows, width, size=size or 22, bold_rows=bold).too_wide

    # Wide tables put the whole document on landscape pages (title included); when even
    # landscape is too narrow for the column headers' longest words, they are turned upright.
    portrait = w.text_width()
    if n_cols > 7 or too_wide(portrait):
        w.landscape_from_here()
    rotate = too_wide(w.text_width())
    w.properties(title=title, author="casebook", language=language)
    w.heading(1, title, toc=False)
    if note:
        w.paragraph(note, "ReportNote")
    body = [
        v
        for r in (grid[1:-1] if totals else grid[1:])
        for v in (r[1:-1] if totals else r[1:])
        if isinstance(v, int | float)
    ]
    vmax = max(body, default=0)
    fills = {}
    if heat:
        for i, row in enumerate(grid):
            for j, value in enumerate(row):
                is_total = totals and (i == n_rows - 1 or j == n_cols - 1)
                if i and j and not is_total and isinstance(value, int | float) and value:
                    fills[(i, j)] = (heat_hex(value, vmax), dark(value, vmax))
    w.table(rows, totals=totals, fills=fills, size=size, rotate_header=rotate)
    return w.save(Path(path))


def _evidence(passages: Sequence[dict[str, Any]], language: str = "nl") -> str:
    no_role = message(language, "no_role_short")
    return "\n".join(
        f"{p.get('role') or no_role}, {p['document']}: “{short_quote(p['quote'])}”"
        for p in passages
    )


def theme_text(theme: Any, ids: bool = False, *, heading: bool = False) -> str:
    """A framework theme as a reader sees it: its label; with ``ids`` its code id (path).

    A heading with ``ids`` carries both ("BEL.TIJD — Tijd"); a table header
    only the id, which keeps columns narrow.
    """
    if not theme.label:
        return theme.path
    if ids:
        return f"{theme.path} — {theme.label}" if heading else theme.path
    return theme.label


def write_framework_docx(
    path: str | Path, grid: Any, *, by: str = "theme", language: str = "nl", ids: bool = False
) -> Path:
    """One table per theme (rows = cases) or per case (rows = themes)."""
    if by not in ("theme", "case"):
        raise InvalidInput("--by is theme or case")
    words = message(language, "framework_columns")
    doc = _new_document()
    fw = grid.framework
    doc.add_heading(fw.name, level=1)
    if fw.description:
        doc.add_paragraph(fw.description)
    if fw.filters:
        doc.add_paragraph(message(language, "filters_note").format(x="; ".join(fw.filters)))
    if by == "theme":
        groups = [
            (
                theme_text(t, ids, heading=True),
                words["case"],
                [(c.label, grid.cell(c.key, t.code_id)) for c in grid.cases],
            )
            for t in grid.themes
        ]
    else:
        groups = [
            (
                c.label,
                words["theme"],
                [(theme_text(t, ids), grid.cell(c.key, t.code_id)) for t in grid.themes],
            )
            for c in grid.cases
        ]
    for heading, first, rows in groups:
        doc.add_heading(heading, level=2)
        table = doc.add_table(rows=1 + len(rows), cols=3)
        table.style = "Table Grid"
        for j, text in enumerate((first, words["summary"], words["passages"])):
            table.cell(0, j).text = text
            table.cell(0, j).paragraphs[0].runs[0].bold = True
        for i, (label, cell) in enumerate(rows, start=1):
            table.cell(i, 0).text = label
            table.cell(i, 1).text = cell.summary if cell.stored else ""
            table.cell(i, 2).text = _evidence(cell.links, language)
    return _save(doc, path)


def write_rounds_docx(
    path: str | Path, comparison: Any, *, language: str = "nl", ids: bool = False
) -> Path:
    """'What is new': per case, the code table for both rounds (fitted to its words) and the new passages."""
    a, b = comparison.round_a, comparison.round_b
    no_role = message(language, "no_role_short")
    title = message(language, "rounds_title").format(a=a, b=b)
    w = WordWriter(language=language)
    w.properties(title=title, author="casebook", language=language)
    w.heading(1, title, toc=False)
    measure = message(language, "measures").get(comparison.measure, comparison.measure)
    w.paragraph(
        message(language, "rounds_measure").format(x=measure)
        + (
            " " + message(language, "filters_note").format(x="; ".join(comparison.filters))
            if comparison.filters
            else ""
        )
    )
    grid = comparison.grid(language=language, ids=ids)
    lines = list(zip(comparison.cells, grid[1:], strict=True))
    for case, cells in comparison.by_case().items():
        w.heading(2, case, toc=False)
        rows = [grid[0][1:]] + [line[1:] for c, line in lines if c.case == case]
        w.table(rows)
        new = [c for c in cells if c.new_passages]
        if new:
            w.paragraph(message(language, "rounds_new_in").format(x=b), keep_next=True)
            for c in new:
                for p in c.new_passages:
                    w.paragraph(
                        f"{c.text(ids)} — {p.get('role') or no_role}, {p['document']}: “{short_quote(p['quote'])}”",
                        "ListBullet",
                    )
    return w.save(Path(path))
