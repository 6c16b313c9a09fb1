"""A codebook file of any format into the project: YAML and CSV by ``codes.io``, REFI-QDA here.

The codebook package knows its own plain formats; a .qdpx or .qdc codebook
goes through the REFI-QDA reader, whose guids become code ids and which adds
the coders too. Front ends call this module, so codes never imports exchange.
"""

from __future__ import annotations

from pathlib import Path

from casebook.codes import io as codes_io
from casebook.codes.codebook import CodeSpec
from casebook.exchange.qdpx import import_codebook_file, read_codebook_specs
from casebook.store.project import Project

REFI_QDA = (".qdpx", ".qdc")


def read_codebook(path: Path) -> list[CodeSpec]:
    """The code tree of a codebook file as CodeSpecs, whatever its format."""
    if path.suffix.lower() in REFI_QDA and path.exists():
        return read_codebook_specs(path)
    return codes_io.read_codebook(path)


def import_codebook(project: Project, path: Path, notes: list[str] | None = None) -> dict[str, int]:
    """Merge a codebook file into the project; counts of added, updated and unchanged codes."""
    if path.suffix.lower() in REFI_QDA:
        return import_codebook_file(project, path)
    return codes_io.import_codebook(project, path, notes)
