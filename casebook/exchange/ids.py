"""GUIDs and code names across the border between casebook and REFI-QDA.

casebook ids are lower-case UUID text, so a QDA guid that is a valid UUID
becomes the casebook id as is and a later re-import finds the same row.
QDA code names are free text; casebook code names are one path segment.
"""

from __future__ import annotations

import re
import unicodedata
import uuid

# Fixed, so the same casebook row always gets the same derived guid.
NAMESPACE = uuid.UUID("6f0c5f3e-2b7a-4c1e-9a55-3b1f0f0c9e21")
MAX_NAME = 40


def norm_guid(value: str | None) -> str | None:
    """The casebook form of a QDA guid (lower case, no braces), or None if it is no UUID."""
    if not value:
        return None
    text = value.strip().strip("{}")
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def guid_for(casebook_id: str, role: str = "") -> str:
    """A GUID for a row: its own id when that is a UUID, else a stable derived one.

    ``role`` makes distinct guids for the several QDA elements one row turns
    into (a coding is both a selection and a coding).
    """
    own = norm_guid(casebook_id)
    if own and not role:
        return own
    return str(uuid.uuid5(NAMESPACE, f"{role}:{casebook_id}"))


def safe_name(text: str) -> str:
    """A code name (``^[A-Za-z0-9_-]+$``) made from a QDA code name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    name = re.sub(r"\s+", "_", ascii_text.strip())
    name = re.sub(r"[^A-Za-z0-9_\-]", "", name)
    name = re.sub(r"_{2,}", "_", name).strip("_")
    return name.upper()[:MAX_NAME].rstrip("_") or "CODE"


def unique_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base_2``, ``base_3``... whichever is not in ``taken`` (upper-cased keys)."""
    if base.upper() not in taken:
        return base
    n = 2
    while True:
        suffix = f"_{n}"
        candidate = base[: MAX_NAME - len(suffix)] + suffix
        if candidate.upper() not in taken:
            return candidate
        n += 1
