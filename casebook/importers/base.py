"""The small interface every format reader implements.

A reader turns one file into a list of ``Block``s (paragraph-level units in
reading order, with what the format itself knows: heading level, a speaker
label from a table cell or bold run, a cue time, a page number). Everything
after that — canonical text, offsets, speaker turns, sections, pages,
sentences — is built once, in ``casebook.importers.assemble``, so offsets
mean the same thing for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass
class Block:
    text: str
    kind: str = "paragraph"  # paragraph | heading | table_row | header (metadata lines)
    level: int | None = None  # heading level, 1 = top
    speaker: str | None = None  # a label the format gave explicitly
    time: float | None = None  # seconds from the start of the recording
    page: int | None = None  # 1-based page number (PDF)


@dataclass
class ReadResult:
    blocks: list[Block]
    format: str
    n_pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    # True when the format already marked speakers (tables, VTT voices), so
    # free-text label detection should not run over the paragraphs.
    speakers_marked: bool = False


@dataclass
class Segment:
    kind: str  # page | section | paragraph | turn | sentence | table_row
    start: int
    end: int
    label: str | None = None
    speaker_kind: str | None = None  # interviewer | respondent (turns)
    role: str | None = None
    organisation: str | None = None
    time: float | None = None
    level: int | None = None


@dataclass
class ImportedText:
    text: str
    segments: list[Segment]
    format: str
    n_pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    lemmas: dict[tuple[int, int], str] = field(default_factory=dict)  # per sentence span
    header: dict[str, str] = field(default_factory=dict)  # metadata lines: label -> value
    kind: str | None = None  # the document kind it was assembled for
    kind_reason: str | None = None  # why, when the kind was decided rather than given

    def of_kind(self, kind: str) -> list[Segment]:
        return [s for s in self.segments if s.kind == kind]


class Reader(Protocol):
    """Reads one format. Raise ``ImportFailed`` with a one-line reason on bad input."""

    extensions: tuple[str, ...]

    def read(self, path: Path) -> ReadResult: ...
