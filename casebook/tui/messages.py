"""Values and messages passed between the workbench's screens."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.message import Message


@dataclass(frozen=True)
class Jump:
    """Open a document and select a passage in it."""

    document_id: str
    start: int
    end: int


@dataclass
class SearchOutcome:
    """The hits of a search and the one the user chose (n / N walk the rest)."""

    query: str
    hits: list[dict[str, Any]]
    index: int = 0


@dataclass
class ImportRequest:
    paths: list[Path]
    case: str
    kind: str | None = None
    role: str | None = None
    round: str | None = None
    organisation: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


class ProjectChanged(Message):
    """Something outside the reader changed the project (an import, a codebook edit)."""
