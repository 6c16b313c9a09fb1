"""Plain text and Markdown transcripts in whatever encoding they arrive."""

from __future__ import annotations

import re
from pathlib import Path

from casebook.errors import ImportFailed
from casebook.importers import limits
from casebook.importers.base import Block, ReadResult

# Guesses that, for NUL-free bytes, mean "some Western single-byte text".
_WESTERN_DOUBT = ("utf_16", "utf_32", "cp1252", "cp1250", "cp1257", "latin_1", "iso8859_15",
                  "iso8859_2", "mac_latin2", "mac_roman", "cp775", "cp437", "cp850")  # fmt: skip
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def decode_bytes(path: Path, data: bytes) -> str:
    """Decode text of unknown encoding: BOMs first, then charset-normalizer.

    Binary data (NUL bytes outside UTF-16, or nothing decodable) is refused
    rather than imported as garbage.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and "\x00" not in text:
        return text
    # charset-normalizer takes ~60 ms to load; only files that are not UTF-8 need it
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if b"\x00" not in data and (best is None or best.encoding.startswith(_WESTERN_DOUBT)):
        # Without NUL bytes the file is not UTF-16, and among the single-byte
        # Western code pages Windows-1252 is what Dutch files are written in
        # (cp1250 would turn "geïnterviewde" into "geďnterviewde").
        try:
            western = data.decode("cp1252")
        except UnicodeDecodeError:
            western = None
        if western is not None and _control_share(western) <= 0.05:
            return western
    if best is None:
        raise ImportFailed(
            path, "this is not a text file (binary data); check the file or its extension"
        )
    text = str(best)
    if "\x00" in text or _control_share(text) > 0.05:
        raise ImportFailed(
            path, "this is not a text file (binary data); check the file or its extension"
        )
    return text


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / len(text)


class PlainTextReader:
    extensions = (".txt", ".md", ".text")

    def read(self, path: Path) -> ReadResult:
        limits.check_file_size(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFailed(path, f"cannot read the file ({exc.strerror})") from exc
        if not data.strip():
            raise ImportFailed(path, "the file is empty; nothing to import")
        text = decode_bytes(path, data)
        markdown = path.suffix.lower() == ".md"
        blocks: list[Block] = []
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            if not line.strip():
                continue
            if markdown:
                m = _MD_HEADING.match(line)
                if m:
                    blocks.append(Block(m.group(2), kind="heading", level=len(m.group(1))))
                    continue
            blocks.append(Block(line))
        if not blocks:
            raise ImportFailed(path, "the file has no text; nothing to import")
        return ReadResult(blocks, format="markdown" if markdown else "text")
