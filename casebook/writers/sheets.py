"""Finishing touches every spreadsheet deliverable shares: print settings, widths, number formats.

A sheet printed from Excel or LibreOffice should fit the page's width (many
columns: landscape), repeat its header row on every page, and show numbers
the way the command line shows them (99.5 %, 0.812, 1,234) rather than
0.994734. Column widths follow the longest word of each column, so
headers wrap between words instead of being cut off.
"""

from __future__ import annotations

from typing import Any

LANDSCAPE_FROM = 7  # columns
MAX_WIDTH = 60.0  # characters
PERCENT = "0.0%"
DECIMAL = "0.000"
INTEGER = "#,##0"


def finish_sheet(
    ws: Any,
    *,
    formats: dict[int, str] | None = None,
    header_rows: int = 1,
    widths: dict[int, float] | None = None,
    wrap_header: bool = True,
) -> None:
    """Print settings, fitted widths and number formats for one openpyxl worksheet.

    ``formats`` maps 1-based columns to an Excel number format; other numeric
    cells get a default by type (integers grouped, decimals to three places).
    """
    # openpyxl is slow to import; only spreadsheets need it
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    formats = formats or {}
    widths = widths or {}
    n_cols = ws.max_column
    longest_word = [0] * (n_cols + 1)
    longest = [0] * (n_cols + 1)
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        for cell in row:
            c = cell.column
            value = cell.value
            if value is None:
                continue
            if (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and cell.row > header_rows
            ):
                fmt = formats.get(c) or (INTEGER if isinstance(value, int) else DECIMAL)
                cell.number_format = fmt
                shown = (
                    len(f"{value:,.3f}")
                    if fmt == DECIMAL
                    else (6 if fmt == PERCENT else len(f"{value:,}"))
                )
                longest[c] = max(longest[c], shown)
                longest_word[c] = max(longest_word[c], shown)
                continue
            text = str(value)
            words = text.split() or [""]
            longest_word[c] = max(longest_word[c], max(len(w) for w in words))
            if cell.row > header_rows:
                longest[c] = max(
                    longest[c], max((len(line) for line in text.splitlines()), default=0)
                )
    for c in range(1, n_cols + 1):
        letter = get_column_letter(c)
        if c in widths:
            width = max(widths[c], longest_word[c] + 2)
        else:
            width = min(max(longest[c], longest_word[c], 6) + 2, MAX_WIDTH)
        ws.column_dimensions[letter].width = width
    if wrap_header:
        for cell in ws[1]:
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    ws.page_setup.orientation = "landscape" if n_cols >= LANDSCAPE_FROM else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_rows}"
