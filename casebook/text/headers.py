"""Header blocks: the metadata lines a transcript opens with.

Transcribers often start with ``Respondent: J. de Wit, teamleider techniek``,
``Interviewer: S. Yilmaz``, ``Datum en plaats: 12 mei 2022, Esdal`` or
``Duur: 45 minuten``. Read as speaker labels, the first two would become a
respondent turn and an interviewer turn that could be coded and exported as
if someone had said them. This module finds such lines before the first real
turn, so they become document attributes instead.

A line belongs to the header when it has the shape ``Label: value`` and

- the label is a metadata word (``Datum``, ``Plaats``, ``Duur``,
  ``Transcriptie`` and a few more, in Dutch and English), or
- the label names a speaker role and the value reads as a description of a
  person, not as speech: it starts with a name (``J. de Wit``), has no
  question or exclamation mark and does not end like a sentence (one word
  such as ``Prima`` or ``Nou, …`` is speech, not a name).

Only lines before the first line that is speech count; headings and a few
short untagged lines (a title, an italic intro) may sit between header lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from casebook.text import speakers

# Words that open a metadata line (the whole label, or its first word).
META_WORDS = {
    "datum", "plaats", "locatie", "duur", "tijd", "tijdstip", "transcriptie", "transcript",
    "getranscribeerd", "uitgewerkt", "opname", "opgenomen", "interviewdatum", "gespreksdatum",
    "gesprek", "onderwerp", "project", "casus", "regio", "ronde", "organisatie", "functie",
    "aanwezig", "aanwezigen", "bestand", "versie", "taal", "setting", "vorm",
    "date", "place", "location", "duration", "length", "time", "transcription", "transcribed",
    "transcriber", "recording", "recorded", "subject", "topic", "file", "language", "present",
}  # fmt: skip
# A header sits at the top: a title or intro line or two may come before or
# between its lines, but body text (a long paragraph) ends it.
MAX_INTRO = 300
MAX_OTHERS = 3
_LINE = re.compile(r"^(?P<key>[^:\n]{1,40}?)\s*:\s+(?P<value>\S.{0,200})$")
_SENTENCE_END = re.compile(r"[.!?…]$")
_INITIAL_END = re.compile(r"(?:^|\s)[A-ZÀ-Þ]\.$")


def _is_meta_key(key: str) -> bool:
    words = re.findall(r"[^\W\d_]+", key.lower())
    return bool(words) and (words[0] in META_WORDS or " ".join(words) in META_WORDS)


def _describes_person(value: str) -> bool:
    if re.search(r"[?!]", value) or len(value.split()) > 16:
        return False
    if _SENTENCE_END.search(value) and not _INITIAL_END.search(value):
        return False
    name = re.split(r"[,;(–—]| - ", value, maxsplit=1)[0].strip()
    # "J. de Wit", "Sanne de Groot": two words at least, so "Nou, …" or "Prima" stay speech
    return (
        len(name.split()) >= 2 and speakers.looks_like_label(name) and not speakers.is_generic(name)
    )


def header_line(text: str) -> tuple[str, str] | None:
    """(label, value) when this paragraph is a metadata line, else None."""
    m = _LINE.match(text.strip())
    if not m:
        return None
    key, value = m.group("key").strip(), m.group("value").strip()
    if _is_meta_key(key) and len(key.split()) <= 4:
        return key, value
    if speakers.is_generic(key) and _describes_person(value):
        return key, value
    return None


def header_block(paragraphs: Sequence[tuple[str, bool]]) -> dict[int, tuple[str, str]]:
    """Indexes of the header lines among ``(text, is_heading)`` paragraphs, with label and value.

    Scanning stops at the first paragraph that opens with a speaker label (or
    a recording time) and is not a header line: that is where speech begins.
    """
    found: dict[int, tuple[str, str]] = {}
    others = 0
    for i, (text, is_heading) in enumerate(paragraphs):
        if is_heading:
            continue
        pair = header_line(text)
        if pair:
            found[i] = pair
            continue
        others += 1
        if speakers.match_label(text) is not None or len(text) > MAX_INTRO or others > MAX_OTHERS:
            break
    return found
