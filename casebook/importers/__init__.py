"""Format readers, one module per format, chosen by file extension.

Modules are imported only when a file of their kind is read, so the CLI
starts without loading python-docx, PDFium or pdfplumber.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from casebook.errors import ImportFailed
from casebook.importers.base import Block, ImportedText, Reader, ReadResult, Segment

_READERS: dict[str, str] = {
    ".txt": "casebook.importers.plaintext:PlainTextReader",
    ".md": "casebook.importers.plaintext:PlainTextReader",
    ".text": "casebook.importers.plaintext:PlainTextReader",
    ".docx": "casebook.importers.word:DocxReader",
    ".odt": "casebook.importers.opendocument:OdtReader",
    ".vtt": "casebook.importers.captions:VttReader",
    ".srt": "casebook.importers.captions:SrtReader",
    ".pdf": "casebook.importers.pdf:PdfReader",
}

SUPPORTED = tuple(sorted(_READERS))


def reader_for(path: Path) -> Reader:
    ext = path.suffix.lower()
    target = _READERS.get(ext)
    if target is None:
        raise ImportFailed(
            path,
            f"unknown file type '{ext or '(none)'}'; casebook reads {', '.join(SUPPORTED)}",
        )
    module_name, cls_name = target.split(":")
    module = importlib.import_module(module_name)
    return getattr(module, cls_name)()


__all__ = ["Block", "ImportedText", "ReadResult", "Reader", "Segment", "reader_for", "SUPPORTED"]
