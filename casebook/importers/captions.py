"""Caption transcripts from Teams, Zoom and transcription services (.vtt, .srt).

A caption file cuts speech into cues of a few seconds, often mid-sentence.
Consecutive cues of one speaker are joined into one paragraph (a new
paragraph starts after a long pause or once a paragraph is long and a
sentence has ended), so sentences and codings are not chopped at cue edges.
Each paragraph keeps the start time of its first cue.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from casebook.errors import ImportFailed
from casebook.importers import limits
from casebook.importers.base import Block, ReadResult
from casebook.importers.plaintext import decode_bytes
from casebook.text import speakers

_STAMP = r"(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIMING = re.compile(rf"^\s*(?P<start>{_STAMP})\s*-->\s*(?P<end>{_STAMP})")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+(?P<name>[^>]*))?>", re.I)
_TAG = re.compile(r"</?[^<>]*>")
_ASS = re.compile(r"\{\\[^{}]*\}")
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*$")
_LONG_PAUSE = 10.0
_LONG_PARAGRAPH = 600


@dataclass
class _Cue:
    start: float
    end: float
    lines: list[str]


@dataclass
class _Piece:
    speaker: str | None
    text: str
    start: float
    end: float


def _seconds(stamp: str) -> float:
    return round(speakers.parse_time(stamp), 3)


def _cues(text: str) -> tuple[list[_Cue], list[int]]:
    """Cues in file order, and the first line numbers of blocks that looked like cues but had no timing.

    Headers, NOTE, STYLE and REGION blocks and cue ids are dropped quietly.
    """
    cues: list[_Cue] = []
    broken: list[int] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    block: list[str] = []
    first_line = 0
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            if not block:
                first_line = number
            block.append(line)
            continue
        if block:
            cue = _cue(block)
            if cue is not None:
                cues.append(cue)
            elif not _header(block):
                broken.append(first_line)
            block = []
    return cues, broken


def _header(block: list[str]) -> bool:
    first = block[0].strip()
    return first.startswith(("NOTE", "STYLE", "REGION", "WEBVTT")) and "-->" not in first


def _cue(block: list[str]) -> _Cue | None:
    if _header(block):
        return None
    for i, line in enumerate(block[:3]):
        m = _TIMING.match(line)
        if m:
            return _Cue(_seconds(m.group("start")), _seconds(m.group("end")), block[i + 1 :])
    return None


def _clean(text: str) -> str:
    text = _ASS.sub("", _TAG.sub("", text))
    return " ".join(html.unescape(text).split())


def _voice_pieces(cue: _Cue) -> list[_Piece]:
    """Split a cue at its ``<v Name>`` tags; text before any tag has no voice."""
    payload = "\n".join(cue.lines)
    pieces: list[_Piece] = []
    pos = 0
    voice: str | None = None
    for m in _VOICE.finditer(payload):
        chunk = _clean(payload[pos : m.start()].replace("\n", " "))
        if chunk:
            pieces.append(_Piece(voice, chunk, cue.start, cue.end))
        voice = _clean(m.group("name") or "") or None
        pos = m.end()
    chunk = _clean(payload[pos:].replace("\n", " "))
    if chunk:
        pieces.append(_Piece(voice, chunk, cue.start, cue.end))
    return pieces


def _label_pieces(cues: list[_Cue]) -> tuple[list[_Piece], bool]:
    """Pieces for files without voice tags, with ``Name: text`` lines as speakers."""
    lines = [(_clean(line), cue) for cue in cues for line in cue.lines]
    lines = [(re.sub(r"^[-–]\s+", "", text), cue) for text, cue in lines if text]
    found = [speakers.match_label(text) for text, _c in lines]
    keys = {speakers.label_key(m.label) for m in found if m and m.label}
    trusted = speakers.trusted_labels(text for text, _c in lines)
    if len(keys) >= 2:
        trusted |= keys
    pieces: list[_Piece] = []
    any_label = False
    for (text, cue), m in zip(lines, found, strict=True):
        if m and m.label and speakers.label_key(m.label) in trusted:
            name = f"{m.label} ({m.organisation})" if m.organisation else m.label
            body = text[m.body_start :].strip()
            pieces.append(_Piece(name, body, cue.start, cue.end))
            any_label = True
        elif pieces and pieces[-1].start == cue.start:
            pieces[-1].text = f"{pieces[-1].text} {text}".strip()
        else:
            pieces.append(_Piece(None, text, cue.start, cue.end))
    return pieces, any_label


def _merge(pieces: list[_Piece]) -> list[Block]:
    """Consecutive pieces of one speaker become one paragraph; unnamed pieces continue the last speaker."""
    blocks: list[Block] = []
    current: Block | None = None
    last_end = 0.0
    for piece in pieces:
        speaker = (
            piece.speaker if piece.speaker is not None else (current.speaker if current else None)
        )
        new = (
            current is None
            or (
                piece.speaker is not None
                and speakers.label_key(piece.speaker) != speakers.label_key(current.speaker or "")
            )
            or piece.start - last_end >= _LONG_PAUSE
            or (
                len(current.text) >= _LONG_PARAGRAPH
                and _SENTENCE_END.search(current.text) is not None
            )
        )
        if new or current is None:
            current = Block(piece.text, speaker=speaker, time=piece.start)
            blocks.append(current)
        else:
            current.text = f"{current.text} {piece.text}".strip()
        last_end = max(last_end, piece.end)
    return blocks


class _CaptionReader:
    format = ""
    name = ""

    def read(self, path: Path) -> ReadResult:
        limits.check_file_size(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFailed(path, f"cannot read the file ({exc.strerror})") from exc
        if not data.strip():
            raise ImportFailed(path, "the file is empty; nothing to import")
        text = decode_bytes(path, data).lstrip("\ufeff")
        cues, broken = _cues(text)
        if not cues:
            raise ImportFailed(
                path,
                f"no subtitle cues found (no 'start --> end' lines); check that this is a {self.name} file",
            )
        voiced = any(_VOICE.search(line) for cue in cues for line in cue.lines)
        if voiced:
            pieces = [p for cue in cues for p in _voice_pieces(cue)]
            marked = True
        else:
            pieces, marked = _label_pieces(cues)
        blocks = [b for b in _merge(pieces) if b.text.strip()]
        if not blocks:
            raise ImportFailed(path, "the captions hold no text; nothing to import")
        warnings = []
        if broken:
            shown = ", ".join(str(n) for n in broken[:10]) + (" …" if len(broken) > 10 else "")
            warnings.append(
                f"skipped {len(broken)} cue(s) without a valid 'start --> end' timing line "
                f"(at line {shown}); their text is not imported — fix the timing and import again"
            )
        return ReadResult(blocks, format=self.format, speakers_marked=marked, warnings=warnings)


class VttReader(_CaptionReader):
    extensions = (".vtt",)
    format = "vtt"
    name = "WebVTT (.vtt)"


class SrtReader(_CaptionReader):
    extensions = (".srt",)
    format = "srt"
    name = "SubRip (.srt)"
