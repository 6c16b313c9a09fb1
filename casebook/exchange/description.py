"""A code's guidance fields folded into the one REFI-QDA ``Description`` and back.

QDA programs have a single description per code; casebook keeps definition,
when to use, when not to use and an example apart. Exporting writes them as
labelled paragraphs, which read naturally in NVivo or ATLAS.ti, and importing
splits such paragraphs back so a round trip loses nothing.

A last paragraph ``casebook code: BEL.TIJD`` carries the code's path when
the code has guidance of its own: the other program has only one name per
code (the label goes there), while definitions refer to other codes by
path. A code without guidance gets no description at all: nothing is
invented for the other program to show. A code's collaboration role travels
the same way, as a paragraph ``casebook collaboration: dyad; partner types:
vmbo, mbo`` before the path.
"""

from __future__ import annotations

import re

SECTIONS = (
    ("when_to_use", "When to use"),
    ("when_not_to_use", "When not to use"),
    ("example", "Example"),
)
PATH_CAPTION = "casebook code"
_PATH_LINE = re.compile(
    r"(?:^|\n)[ \t]*casebook code:[ \t]*([A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*)\s*$", re.IGNORECASE
)
COLLABORATION_CAPTION = "casebook collaboration"
_COLLAB_LINE = re.compile(
    r"(?:^|\n)[ \t]*casebook collaboration:[ \t]*(dyad|form|none)[ \t]*(?:;[ \t]*partner types:[ \t]*([^\n]*))?[ \t]*$",
    re.IGNORECASE,
)
_CAPTIONS = {caption.lower(): key for key, caption in SECTIONS}
_SPLIT = re.compile(
    r"\n\s*\n(?=(?:" + "|".join(re.escape(c) for _k, c in SECTIONS) + r"):[ \t]*)", re.IGNORECASE
)


def compose(row: dict[str, str | None]) -> str | None:
    parts = [row.get("definition") or ""]
    for key, caption in SECTIONS:
        if row.get(key):
            parts.append(f"{caption}: {row[key]}")
    if row.get("collaboration") or row.get("partner_types"):
        tag = f"{COLLABORATION_CAPTION}: {row.get('collaboration') or 'none'}"
        if row.get("partner_types"):
            tag += f"; partner types: {', '.join(t for t in (row['partner_types'] or '').split(',') if t)}"
        parts.append(tag)
    if not "".join(parts).strip():
        return None
    if row.get("path"):
        parts.append(f"{PATH_CAPTION}: {row['path']}")
    text = "\n\n".join(parts).strip()
    return text or None


def split(description: str | None) -> dict[str, str | None]:
    """definition, when_to_use, when_not_to_use, example and casebook name from a description."""
    out: dict[str, str | None] = {
        "definition": None, "when_to_use": None, "when_not_to_use": None, "example": None, "name": None,
        "collaboration": None, "partner_types": None,
    }  # fmt: skip
    if description is None:
        return out
    text = description.replace("\r\n", "\n").strip()
    m = _PATH_LINE.search(text)
    if m:
        out["name"] = m.group(1).rsplit(".", 1)[-1]
        text = text[: m.start()].strip()
    m = _COLLAB_LINE.search(text)
    if m:
        out["collaboration"] = m.group(1).lower()
        types = [t.strip() for t in re.split(r"[,;]", m.group(2) or "") if t.strip()]
        out["partner_types"] = ",".join(types) or None
        if out["collaboration"] == "none" and out["partner_types"]:
            out["collaboration"] = None  # only partner types were set; the role is inherited
        text = text[: m.start()].strip()
    if not text:
        return out
    chunks = _SPLIT.split("\n\n" + text)
    head = chunks[0].strip()
    if head:
        out["definition"] = head
    for chunk in chunks[1:]:
        caption, _, body = chunk.partition(":")
        key = _CAPTIONS.get(caption.strip().lower())
        if key and body.strip():
            out[key] = body.strip()
    return out
