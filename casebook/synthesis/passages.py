"""Short quotes for synthesis views, and the names the front ends still import from here.

The definition of a passage and the filters every view shares moved to
``casebook.core.query`` (the SQL) and ``casebook.core.filters`` (the filter
model); import them from there. The re-exports below remain only because
casebook/cli and casebook/tui import them from this module.
"""

from __future__ import annotations

from casebook.core.filters import parse_filters
from casebook.core.query import Sql, fetch_passages

__all__ = ["Sql", "fetch_passages", "parse_filters", "short_quote"]


def short_quote(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
