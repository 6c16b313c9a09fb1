"""The quote bank as a flat list: one row per quote, for spreadsheets and scripts.

Every row carries all attributes and the code path (dotted and with labels).
Under pseudonymisation the speaker label and the respondent id are left out
(both name or point at people), and document names become stand-ins.
Headers are in the export's language (the message catalogue). The workbook's
first sheet holds what a reader needs; internal ids (code ids, coding ids,
offsets) are on a sheet of their own for scripts and round trips.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from casebook.reports.quotebank import QuoteBank
from casebook.writers.files import open_for_writing, saving
from casebook.writers.sheets import finish_sheet

COLUMNS = (
    "code",
    "code_path",
    "code_label",
    "case",
    "document",
    "kind",
    "round",
    "date",
    "role",
    "respondent",
    "coders",
    "start",
    "end",
    "length",
    "quote",
    "attribution",
    "question",
    "memos",
    "coding_ids",
)


READER_COLUMNS = (
    "code_path",
    "case",
    "document",
    "kind",
    "round",
    "date",
    "role",
    "quote",
    "attribution",
    "question",
    "memos",
)
ID_COLUMNS = (
    "code",
    "code_label",
    "document",
    "respondent",
    "coders",
    "start",
    "end",
    "length",
    "coding_ids",
)


def _headers(bank: QuoteBank, columns: tuple[str, ...]) -> list[str]:
    names = bank.labels["columns"]
    return [names.get(c, c) for c in columns]


def _label_path(bank: QuoteBank, code_id: str) -> str:
    names: list[str] = []
    cid: str | None = code_id
    while cid is not None and cid in bank.codes:
        info = bank.codes[cid]
        names.append(info.label or info.path.rsplit(".", 1)[-1])
        cid = info.parent_id
    return " / ".join(reversed(names))


def quote_rows(bank: QuoteBank) -> list[dict[str, Any]]:
    private = bank.privacy.options.enabled
    respondent_codes: dict[str, str] = {}
    rows = []
    for q in bank.quotes:
        info = bank.codes.get(q.code_id)
        if private:
            document = bank.privacy.document(q.document, bank.labels.kind(q.kind))
            respondent = None
            if q.respondent:
                respondent = respondent_codes.setdefault(
                    q.respondent, f"R{len(respondent_codes) + 1:03d}"
                )
        else:
            document, respondent = q.document, q.respondent
        rows.append(
            {
                "code": q.code,
                "code_path": _label_path(bank, q.code_id),
                "code_label": info.label if info else None,
                "case": q.case,
                "document": document,
                "kind": bank.labels.kind(q.kind),
                "round": q.round,
                "date": q.date,
                "role": bank.labels.role(q.role),
                "respondent": respondent,
                "coders": "; ".join(q.coders),
                "start": q.start,
                "end": q.end,
                "length": len(q.text),
                "quote": q.text,
                "attribution": q.attribution,
                "question": q.question,
                "memos": " | ".join(f"{c}: {m}" if c else m for c, m in q.memos),
                "coding_ids": "; ".join(q.coding_ids),
            }
        )
    return rows


def write_quotes_csv(bank: QuoteBank, path: Path) -> Path:
    fh = open_for_writing(path, "utf-8-sig")
    with fh:
        writer = csv.writer(fh)
        writer.writerow(_headers(bank, COLUMNS))
        for row in quote_rows(bank):
            writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
    return path


def write_quotes_xlsx(bank: QuoteBank, path: Path) -> Path:
    # openpyxl is slow to import; only spreadsheets need it
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    lb = bank.labels
    rows = quote_rows(bank)
    wb = Workbook()
    ws = wb.active
    ws.title = lb["quotes_sheet"][:31]
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="D9E2F3")
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = {
        "quote": 80.0,
        "question": 50.0,
        "attribution": 36.0,
        "memos": 40.0,
        "code_path": 36.0,
    }

    def fill(sheet: Any, columns: tuple[str, ...]) -> None:
        sheet.append(_headers(bank, columns))
        for row in rows:
            sheet.append([_cell(row[c]) for c in columns])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # quoted text, never a formula
        for cell in sheet[1]:
            cell.font, cell.fill = head_font, head_fill
        for i, name in enumerate(columns, start=1):
            if name in widths:
                for cell in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell[0].alignment = wrap
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        finish_sheet(
            sheet, widths={i: widths[c] for i, c in enumerate(columns, start=1) if c in widths}
        )

    fill(ws, READER_COLUMNS)
    about = wb.create_sheet(lb["selection_sheet"][:31])
    for label, value in bank.description:
        about.append([label, value])
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 80
    fill(wb.create_sheet(lb["ids_sheet"][:31]), ID_COLUMNS)
    with saving(path):
        wb.save(path)
    return path


def _cell(value: Any) -> Any:
    """Control characters are not allowed in XLSX cells."""
    if isinstance(value, str):
        # openpyxl is slow to import; only spreadsheets need it
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def table_text(path: Path) -> str:
    """Everything written to a CSV, XLSX or Markdown export, for the leftover check."""
    if path.suffix.lower() in (".csv", ".md"):
        return path.read_text(encoding="utf-8-sig")
    # openpyxl is slow to import; only spreadsheets need it
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    chunks = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            chunks.append("\t".join("" if v is None else str(v) for v in row))
    wb.close()
    return "\n".join(chunks)
