"""Walking folders for ``casebook import DIR``.

A folder of transcripts often holds more than transcripts: hidden files,
Word's lock files (``~$verslag.docx``), spreadsheets, notes. Walking keeps
only files a reader exists for and skips the rest quietly; a folder that
yields nothing is named, so a mistyped path or a folder of .doc files does
not end in a vague "nothing to import".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from casebook.errors import InvalidInput
from casebook.importers import SUPPORTED


@dataclass
class FolderFile:
    path: Path
    case: str | None  # from the first folder level under DIR, with case_from_folder


@dataclass
class FolderWalk:
    files: list[FolderFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was skipped and why


def skipped_name(name: str) -> bool:
    """Hidden files and folders, Office lock files and editors' temporary copies."""
    return name.startswith((".", "~$", "~", "#")) or name.endswith(("~", ".tmp"))


def _importable(folder: Path) -> list[Path]:
    found: list[Path] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).parts
        if any(skipped_name(part) for part in rel):
            continue
        if path.is_file() and path.suffix.lower() in SUPPORTED:
            found.append(path)
    return found


def walk_paths(
    paths: list[Path] | tuple[Path, ...], *, case_from_folder: bool = False
) -> FolderWalk:
    """The files to import from files and folders as given on the command line."""
    walk = FolderWalk()
    for given in paths:
        if not given.is_dir():
            if case_from_folder:
                raise InvalidInput(
                    f"{given}: --case-from-folder takes folders (each subfolder is a case); "
                    "give the folder, or use --case NAME for single files"
                )
            walk.files.append(
                FolderFile(given, None)
            )  # a missing or odd file fails with its own message
            continue
        if not case_from_folder:
            files = _importable(given)
            if not files:
                raise InvalidInput(_nothing(given))
            walk.files += [FolderFile(f, None) for f in files]
            continue
        before = len(walk.files)
        for child in sorted(given.iterdir()):
            if skipped_name(child.name):
                continue
            if child.is_file():
                if child.suffix.lower() in SUPPORTED:
                    walk.notes.append(f"skipped {child}: not inside a case folder")
                continue
            files = _importable(child)
            if not files:
                walk.notes.append(f"skipped folder {child}: nothing casebook can import")
                continue
            walk.files += [FolderFile(f, child.name) for f in files]
        if len(walk.files) == before:
            raise InvalidInput(_nothing(given, in_subfolders=True))
    return walk


def _nothing(folder: Path, in_subfolders: bool = False) -> str:
    where = "in its subfolders" if in_subfolders else "in it"
    return (
        f"{folder}: no file casebook can import {where} ({' '.join(SUPPORTED)}); "
        "check the folder, or convert the files first"
    )
