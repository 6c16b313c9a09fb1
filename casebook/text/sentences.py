"""Sentence units that respect transcription conventions.

A rule-based sentencizer splits on every full stop, question mark and
exclamation mark, so ``… een gedoe. (lacht) Maar goed …`` ends a sentence
after the ``(`` and the ``)`` opens the next one; quote banks then carry stray
brackets. Verbatim transcripts are full of such marks: ``[onverstaanbaar]``,
``(stilte)``, ``(…)``, ``[00:12:31]``, fillers with ellipses (``eh…``) and
quotations in ``„…”``. These rules repair the pipeline's boundaries, given as
character offsets where sentences start:

1. a sentence never starts inside a matched bracket or quotation pair, so a
   pair always stays whole inside one sentence;
2. after a closing bracket, quote or ellipsis, a lowercase word continues the
   sentence (``„Waarom niet?” vroeg ik.``);
3. between a sentence end (or an ellipsis) and a capitalised word, standalone
   marks belong to the sentence before them, a recording time to the one
   after it; an ellipsis followed by a capital ends a sentence (``Nou… Ik
   twijfel.``).

They work on offsets only, so any spaCy pipeline (blank or statistical) can
feed them.
"""

from __future__ import annotations

import bisect
import re

OPENERS = {"(": ")", "[": "]", "„": "”“", "“": "”", "«": "»"}
CLOSERS = set("".join(OPENERS.values()))
_PAIR_CHARS = re.compile("[" + re.escape("".join(OPENERS) + "".join(CLOSERS)) + "]")
_TIME_MARK = re.compile(r"^[\[(]\s*(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?\s*[\])]$")
# an end of sentence (or an ellipsis), then marks, then a capitalised word
_JOIN = re.compile(
    r"(?P<end>\.{3}|…|[.!?])[\"”“’»)\]]*"
    r"(?P<marks>(?:\s+[\[(][^\[\]()\n]{1,80}[\])])*)"
    r"\s+(?=[\"„“«(\[]?[A-ZÀ-Þ])"
)
_ELLIPSIS_BEFORE = re.compile(r"(?:\.{3}|…)[\"”“’»)\]]*\s*$")


def pairs(text: str) -> list[tuple[int, int]]:
    """Matched bracket and quotation pairs as (open, close) offsets; strays are ignored."""
    stack: list[tuple[str, int]] = []
    out: list[tuple[int, int]] = []
    for m in _PAIR_CHARS.finditer(text):
        i, ch = m.start(), m.group()
        if ch in CLOSERS and stack:
            for depth in range(len(stack) - 1, -1, -1):
                opener, where = stack[depth]
                if ch in OPENERS[opener]:
                    out.append((where, i))
                    del stack[depth:]
                    break
            else:
                if ch in OPENERS:  # “ opens as well as closes
                    stack.append((ch, i))
            continue
        if ch in OPENERS:
            stack.append((ch, i))
    return sorted(out)


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Matched pairs nest or are disjoint; keep the outer ones, in order."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a < out[-1][1]:
            continue
        out.append((a, b))
    return out


def _inside(pos: int, outer: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_left(outer, (pos, -1)) - 1
    return i >= 0 and outer[i][0] < pos <= outer[i][1]


def repair(text: str, starts: list[int]) -> list[int]:
    """The corrected sentence starts (offsets > 0) for one paragraph."""
    spans = _outermost(pairs(text))
    kept = {s for s in starts if 0 < s < len(text) and not _inside(s, spans)}
    for s in list(kept):
        if not text[s].islower():
            continue
        j = s
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if j and (text[j - 1] in CLOSERS or text[max(j - 3, 0) : j] == "..."):
            kept.discard(s)
    gaps: list[tuple[int, int]] = []  # (end mark, next word]: the pipeline's boundaries go
    added: list[int] = []
    for m in _JOIN.finditer(text):
        if _inside(m.start("end"), spans):
            continue
        marks = re.findall(r"[\[(][^\[\]()\n]*[\])]", m.group("marks"))
        is_ellipsis = m.group("end") in ("...", "…")
        if not marks and not is_ellipsis:
            continue  # a plain full stop: the pipeline knows its abbreviations
        if marks and _TIME_MARK.match(marks[0]):
            boundary = m.start("marks") + len(m.group("marks")) - len(m.group("marks").lstrip())
        else:
            boundary = m.end()
        gaps.append((m.start("end"), m.end()))
        added.append(boundary)
    # one pass over sorted starts and gaps (both in text order), so long paragraphs stay linear
    out: list[int] = []
    g = 0
    for s in sorted(kept):
        while g < len(gaps) and gaps[g][1] < s:
            g += 1
        if g < len(gaps) and gaps[g][0] < s <= gaps[g][1]:
            continue
        out.append(s)
    return sorted({s for s in (*out, *added) if 0 < s < len(text)})


def spans_from_starts(text: str, starts: list[int]) -> list[tuple[int, int]]:
    """Sentence spans with surrounding whitespace trimmed; empty ones dropped."""
    bounds = [0, *starts, len(text)]
    out: list[tuple[int, int]] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out
