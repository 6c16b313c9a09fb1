"""Short quotes for synthesis views.

What a passage is and how views filter passages live in the core:
``casebook.core.query`` (the SQL) and ``casebook.core.filters`` (the filter model).
"""

from __future__ import annotations


def short_quote(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
