"""Limits on input, checked before a file is unpacked or read into memory.

A 1 MB .docx can unpack to 400 MB of XML (by accident or on purpose); read
naively it takes minutes and gigabytes. Every importer and the QDPX reader
call these checks first, so such a file is refused with one line in well
under a second, without decompressing anything:

- the text a document may hold is capped at ``max_chars()`` characters
  (default 20 million; ``CASEBOOK_MAX_CHARS`` or ``"max_chars"`` in the user
  settings change it);
- a zip member may not declare more than ``max_member_bytes()`` uncompressed
  (ten bytes of markup per allowed character), nor a compression ratio above
  ``MAX_RATIO`` when it is bigger than ``RATIO_FLOOR`` bytes (Office XML
  compresses 5–30×; a bomb compresses hundreds of times);
- a plain file may not be bigger than four bytes per allowed character.

``zipfile`` stops a member at its declared size and fails the CRC when the
data goes on, so a lying header cannot get past the member limit either.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from casebook.config import load_settings
from casebook.errors import ImportFailed

DEFAULT_MAX_CHARS = 20_000_000
MAX_RATIO = 150
RATIO_FLOOR = 4 * 1024 * 1024
_HOW = "if it is genuine, raise the limit with CASEBOOK_MAX_CHARS"


def max_chars() -> int:
    """The most characters one document may hold (environment, then settings, then default)."""
    raw = os.environ.get("CASEBOOK_MAX_CHARS")
    if raw is None:
        raw = load_settings().get("max_chars")
    try:
        value = int(str(raw).replace("_", "")) if raw is not None else DEFAULT_MAX_CHARS
    except ValueError:
        value = DEFAULT_MAX_CHARS
    return value if value > 0 else DEFAULT_MAX_CHARS


def max_member_bytes() -> int:
    return 10 * max_chars()


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def zip_member_names(path: Path, not_this: str) -> set[str]:
    """The member names of an Office package, after the size check; ``not_this`` when it is no zip."""
    if not zipfile.is_zipfile(path):
        raise ImportFailed(path, not_this)
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(path, zf)
            return set(zf.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFailed(path, not_this) from exc


def check_zip(path: Path, zf: zipfile.ZipFile, *, total: bool = True) -> None:
    """Refuse an archive whose members would unpack to an absurd size (reads headers only).

    ``total=False`` skips the limit on the sum (a QDPX project carries many sources).
    """
    limit = max_member_bytes()
    summed = 0
    for info in zf.infolist():
        summed += info.file_size
        if info.file_size > limit:
            raise ImportFailed(
                path,
                f"{info.filename} in the archive unpacks to {_size(info.file_size)}, more than the "
                f"{_size(limit)} allowed; the file is damaged or hostile ({_HOW})",
            )
        packed = max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and info.file_size / packed > MAX_RATIO:
            raise ImportFailed(
                path,
                f"{info.filename} in the archive unpacks {info.file_size // packed}× "
                f"({_size(packed)} to {_size(info.file_size)}); that is a zip bomb or a damaged "
                f"file, not a document — re-save it from its program",
            )
    if total and summed > 2 * limit:
        raise ImportFailed(
            path,
            f"the archive unpacks to {_size(summed)}, more than the {_size(2 * limit)} allowed; "
            f"the file is damaged or hostile ({_HOW})",
        )


def check_file_size(path: Path) -> None:
    """Refuse a plain file too big to hold an allowed amount of text, before reading it."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader reports unreadable files in its own words
    if size > 4 * max_chars():
        raise ImportFailed(
            path,
            f"the file is {_size(size)}, more than a document of {max_chars():,} characters "
            f"can be; split it ({_HOW})",
        )


def check_text(path: Path, n_chars: int) -> None:
    """Refuse text longer than the limit (after reading, before analysis)."""
    if n_chars > max_chars():
        raise ImportFailed(
            path,
            f"the document holds {n_chars:,} characters, more than the {max_chars():,} allowed; "
            f"split it ({_HOW})",
        )
