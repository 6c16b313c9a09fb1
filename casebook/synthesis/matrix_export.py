"""Writing a matrix to CSV, Excel or Word: the one export the command line and the workbench call.

``casebook matrix --xlsx/--docx/--csv`` and the matrix screen's x / w / c
keys both end here, so the same matrix with the same options gives the same
file from either front end. What a file says follows two options:
``language`` (nl or en: axis titles, measure names, "Totaal"/"Total", sheet
names) and ``ids`` (code ids instead of code labels in the headers).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casebook.errors import InvalidInput
from casebook.messages import LANGUAGES, message
from casebook.store.project import Project
from casebook.synthesis.export_docx import write_table_docx
from casebook.synthesis.export_xlsx import Sheet, passage_sheet, write_workbook
from casebook.synthesis.matrix import Matrix, Plan, check_percent, matrix_passages, reader_labels
from casebook.writers.files import open_for_writing

FORMATS = ("csv", "xlsx", "docx")


@dataclass(frozen=True)
class MatrixExport:
    """How to write a matrix: percentages, totals, language, code ids."""

    percent: str | None = None
    totals: bool = True
    language: str = "nl"
    ids: bool = False

    def check(self, measure: str) -> None:
        if self.language not in LANGUAGES:
            raise InvalidInput(f"language '{self.language}'? use {' or '.join(LANGUAGES)}")
        check_percent(measure, self.percent)


def export_format(path: str | Path) -> str:
    """csv, xlsx or docx from a file name's suffix."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InvalidInput(f"{path}: give a file name ending in .csv, .xlsx or .docx")
    return suffix


def matrix_grid(m: Matrix, options: MatrixExport) -> list[list[Any]]:
    """The table as CSV and Word show it (percentages when asked)."""
    options.check(m.measure)
    return m.grid(
        options.percent, totals=options.totals, language=options.language, ids=options.ids
    )


def matrix_sheets(project: Project, plan: Plan, m: Matrix, options: MatrixExport) -> list[Any]:
    """Counts, percentages when asked, and the passages behind the cells: the workbook's sheets."""
    options.check(m.measure)
    lang, ids, totals = options.language, options.ids, options.totals
    sheets = [
        Sheet(
            m.measure_name(lang),
            m.grid(None, totals=totals, language=lang, ids=ids),
            heat=True,
            totals=totals,
        )
    ]
    if options.percent:
        sheets.append(
            Sheet(
                message(lang, "percent_of")[options.percent],
                m.grid(options.percent, totals=totals, language=lang, ids=ids),
                heat=True,
                totals=totals,
            )
        )
    passages = reader_labels(plan, matrix_passages(project, plan), lang, ids)
    sheets.append(passage_sheet(passages, language=lang, ids=ids))
    return sheets


def matrix_note(m: Matrix, options: MatrixExport) -> str | None:
    """The line under a Word table's title: the filters, when there are any."""
    return message(options.language, "filters_note").format(x=m.filters) if m.filters else None


def export_matrix(
    project: Project,
    plan: Plan,
    m: Matrix,
    path: str | Path,
    options: MatrixExport | None = None,
    *,
    kind: str | None = None,
) -> Path:
    """Write ``m`` to ``path`` as ``kind`` (csv, xlsx, docx; from the suffix when not given).

    ``path`` "-" with kind csv writes to standard output.
    """
    options = options or MatrixExport()
    options.check(m.measure)
    kind = kind or export_format(path)
    if kind not in FORMATS:
        raise InvalidInput(f"export as {kind}? use one of: {', '.join(FORMATS)}")
    if kind == "csv":
        return write_csv(matrix_grid(m, options), path)
    if kind == "xlsx":
        return write_workbook(path, matrix_sheets(project, plan, m, options))
    return write_table_docx(
        path,
        m.title(options.language),
        matrix_grid(m, options),
        note=matrix_note(m, options),
        totals=options.totals,
        language=options.language,
    )


@contextmanager
def csv_writer(target: str | Path) -> Iterator[Any]:
    """A CSV writer on a file (UTF-8 with a byte-order mark, so Excel reads accents) or stdout ("-")."""
    if str(target) == "-":
        yield csv.writer(sys.stdout)
        return
    fh = open_for_writing(target, "utf-8-sig")
    with fh:
        yield csv.writer(fh)


def write_csv(grid: Sequence[Sequence[Any]], target: str | Path) -> Path:
    """A grid (header row first) as CSV; empty cells for ``None``."""
    with csv_writer(target) as writer:
        for row in grid:
            writer.writerow(["" if v is None else v for v in row])
    return Path(target)
