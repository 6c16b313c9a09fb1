"""The quote bank as a flat list: one row per quote, for spreadsheets and scripts.

Every row carries all attributes and the code path (dotted and with labels).
Under pseudonymisation the speaker label and the respondent id are left out
(both name or point at people), and document names become stand-ins.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from casebook.errors import InvalidInput
from casebook.reports.quotebank import QuoteBank

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
                respondent = respondent_codes.setdefault(q.respondent, f"R{len(respondent_codes) + 1:03d}")
        else:
            document, respondent = q.document, q.respondent
        rows.append(
            {
                "code": q.code,
                "code_path": _label_path(bank, q.code_id),
                "code_label": info.label if info else None,
                "case": q.case,
                "document": document,
                "kind": q.kind,
                "round": q.round,
                "date": q.date,
                "role": q.role,
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
    try:
        fh = path.open("w", newline="", encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InvalidInput(f"{path}: folder {path.parent} does not exist; create it first") from exc
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write here ({exc.strerror})") from exc
    with fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for row in quote_rows(bank):
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return path


def write_quotes_xlsx(bank: QuoteBank, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = bank.labels["quote_bank"][:31]
    ws.append(list(COLUMNS))
    for row in quote_rows(bank):
        ws.append([_cell(row[c]) for c in COLUMNS])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # quoted text, never a formula
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="D9E2F3")
    for cell in ws[1]:
        cell.font, cell.fill = head_font, head_fill
    widths = {"quote": 80, "question": 50, "attribution": 40, "memos": 40, "code_path": 40}
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, name in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(name, 14)
        if name in widths:
            for cell in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell[0].alignment = wrap
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    about = wb.create_sheet("Selectie" if bank.labels.language == "nl" else "Selection")
    for label, value in bank.description:
        about.append([label, value])
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 80
    try:
        wb.save(path)
    except FileNotFoundError as exc:
        raise InvalidInput(f"{path}: folder {path.parent} does not exist; create it first") from exc
    except PermissionError as exc:
        raise InvalidInput(f"{path}: cannot write here (permission denied, or the file is open elsewhere)") from exc
    return path


def _cell(value: Any) -> Any:
    """Control characters are not allowed in XLSX cells."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def table_text(path: Path) -> str:
    """Everything written to a CSV, XLSX or Markdown export, for the leftover check."""
    if path.suffix.lower() in (".csv", ".md"):
        return path.read_text(encoding="utf-8-sig")
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    chunks = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            chunks.append("\t".join("" if v is None else str(v) for v in row))
    wb.close()
    return "\n".join(chunks)
