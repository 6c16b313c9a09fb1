"""From a reader's blocks to canonical text and structural segments.

Canonical text: Unicode NFC, ``\\n`` newlines, one block per line-group,
blocks separated by a single ``\\n``. Speaker labels and turn-start
timestamps are removed from the text and kept on the turn segment, so quotes
and codings never carry a name tag.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from casebook.importers.base import Block, ImportedText, ReadResult, Segment
from casebook.text import headers, speakers

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # category Cc except tab and newline


def normalise(text: str) -> str:
    """NFC, ``\\n`` line ends, no zero-width or soft-hyphen characters, single spaces."""
    if (
        text.isprintable()  # no control, format (zero-width, soft hyphen) or odd space characters
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
        and unicodedata.is_normalized("NFC", text)
    ):
        return text  # already canonical: the common case, one transcript line at a time
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n").replace("\x0b", "\n").replace("\f", "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def assemble(
    result: ReadResult,
    *,
    interviewer: str | None = None,
    role: str | None = None,
    organisation: str | None = None,
    detect_speakers: bool = True,
) -> ImportedText:
    blocks = [b for b in (_clean(b) for b in result.blocks) if b.text]
    header = _mark_header(blocks) if detect_speakers else {}
    labelled = _apply_labels(blocks, detect_speakers and not result.speakers_marked)

    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    para_spans: list[tuple[int, int, Block, str | None, str | None, float | None]] = []
    for block, label, org, time in labelled:
        start = pos
        parts.append(block.text)
        pos += len(block.text)
        para_spans.append((start, pos, block, label, org, time))
        parts.append("\n")
        pos += 1
    text = "".join(parts)[:-1] if parts else ""

    for start, end, block, *_ in para_spans:
        kind = "table_row" if block.kind == "table_row" else "paragraph"
        segments.append(
            Segment(kind, start, end, level=block.level if block.kind == "heading" else None)
        )

    segments += _sections(para_spans, len(text))
    segments += _turns(para_spans, interviewer, role, organisation)
    if result.n_pages:
        segments += _pages(para_spans, result.n_pages, len(text))
    segments.sort(key=lambda s: (s.start, s.kind))
    out = ImportedText(text, segments, result.format, result.n_pages, list(result.warnings))
    out.header = header
    return out


def _mark_header(blocks: list[Block]) -> dict[str, str]:
    """Mark the metadata lines a transcript opens with; return them as label -> value.

    They stay in the text (nothing is lost) but never open or join a turn.
    """
    found = headers.header_block(
        [(f"{b.speaker}: {b.text}" if b.speaker else b.text, b.kind == "heading") for b in blocks]
    )
    out: dict[str, str] = {}
    for i, (label, value) in found.items():
        blocks[i].kind = "header"
        out.setdefault(label, value)
    return out


def _clean(block: Block) -> Block:
    # a paragraph never spans lines: stray line or page breaks inside a block are spaces
    block.text = " ".join(line for line in normalise(block.text).split("\n") if line)
    if block.speaker:
        block.speaker = normalise(block.speaker).rstrip(":").strip() or None
    return block


def _apply_labels(
    blocks: list[Block], detect: bool
) -> list[tuple[Block, str | None, str | None, float | None]]:
    """Each block with the speaker label that opens a turn there (or None)."""
    out: list[tuple[Block, str | None, str | None, float | None]] = []
    # Each paragraph is matched once; the document's conventions then decide which labels count.
    spoken = [detect and b.kind not in ("heading", "header") for b in blocks]
    matches = [
        speakers.match_label(b.text) if s else None for b, s in zip(blocks, spoken, strict=True)
    ]
    trusted = (
        speakers.trusted_from_matches(m for m, s in zip(matches, spoken, strict=True) if s)
        if detect
        else set()
    )
    for block, found in zip(blocks, matches, strict=True):
        if block.kind == "header":
            out.append((block, None, None, None))
            continue
        if block.speaker:
            name, org = _split_org(block.speaker)
            out.append((block, name, org, block.time))
            continue
        if detect and block.kind not in ("heading", "header"):
            m = speakers.resolve_match(block.text, found, trusted)
            if m:
                body = block.text[m.body_start :].strip()
                if m.label is None:
                    # A bare timestamp: keep the time, the speaker continues.
                    block.text = body
                    out.append((block, None, None, m.time))
                    continue
                block.text = body
                out.append((block, m.label, m.organisation, m.time))
                continue
        out.append((block, None, None, block.time))
    # Blocks that became empty after removing a label still open a turn but
    # carry no text; fold their label onto the next block.
    folded: list[tuple[Block, str | None, str | None, float | None]] = []
    pending: tuple[str | None, str | None, float | None] | None = None
    for block, label, org, time in out:
        if not block.text:
            if label is not None or time is not None:
                pending = (label, org, time)
            continue
        if pending and label is None:
            label, org, time = pending[0], pending[1], time if time is not None else pending[2]
        pending = None
        folded.append((block, label, org, time))
    return folded


def _split_org(label: str) -> tuple[str, str | None]:
    m = re.match(r"^(.*?)\s*\(([^()]+)\)\s*$", label)
    if m and m.group(1):
        return m.group(1).strip(), m.group(2).strip()
    return label, None


def _sections(spans: list, n: int) -> list[Segment]:
    heads = [(s, b.level or 1, b.text) for s, _e, b, *_ in spans if b.kind == "heading"]
    out: list[Segment] = []
    for i, (start, level, title) in enumerate(heads):
        end = n
        for later_start, later_level, _t in heads[i + 1 :]:
            if later_level <= level:
                end = max(start, later_start - 1)
                break
        out.append(Segment("section", start, end, label=title[:200], level=level))
    return out


def _turns(
    spans: list, interviewer: str | None, role: str | None, organisation: str | None
) -> list[Segment]:
    raw: list[list] = []  # [label, org, time, start, end, n_questions, n_paras]
    current: list | None = None
    for start, end, block, label, org, time in spans:
        if block.kind in ("heading", "table_row", "header"):
            # headings, header lines and data-table rows are never part of what someone said
            current = None
            continue
        if label is not None:
            if (
                current is not None
                and speakers.label_key(current[0]) == speakers.label_key(label)
                and block.speaker
            ):
                # consecutive cues or rows of one speaker merge into one turn
                current[4] = end
                current[5] += block.text.rstrip().endswith("?")
                continue
            current = [label, org, time, start, end, int(block.text.rstrip().endswith("?")), 1]
            raw.append(current)
        elif current is not None:
            current[4] = end
            current[5] += block.text.rstrip().endswith("?")
            if current[2] is None and time is not None:
                current[2] = time
    if not raw:
        return []
    questions: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for label, _org, _t, _s, _e, q, _n in raw:
        questions[speakers.label_key(label)][0] += q
        questions[speakers.label_key(label)][1] += 1
    share = {k: q / n for k, (q, n) in questions.items() if n}
    out = []
    kinds: dict[str, str] = {}  # per label: the same answer for every turn of one speaker
    for label, org, time, start, end, _q, _n in raw:
        kind = kinds.get(label)
        if kind is None:
            kind = kinds[label] = speakers.speaker_kind(label, interviewer, share)
        turn_role = None if kind == "interviewer" else role
        if org and speakers.bracket_is_role(org, role):
            # "Respondent (mbo):" gives the speaker's role, not an organisation "mbo"
            turn_role, org = org.strip(), None
        out.append(
            Segment(
                "turn",
                start,
                end,
                label=label,
                speaker_kind=kind,
                role=turn_role,
                organisation=org if org else (None if kind == "interviewer" else organisation),
                time=time,
            )
        )
    return out


def _pages(spans: list, n_pages: int, n: int) -> list[Segment]:
    """Pages tile the text: each runs from its first block to the next page's first block."""
    first: dict[int, int] = {}
    for start, _e, block, *_ in spans:
        if block.page is not None and block.page not in first:
            first[block.page] = start
    out: list[Segment] = []
    starts = []
    for page in range(1, n_pages + 1):
        starts.append(first.get(page))
    # pages with no text start where the next page with text starts
    resolved: list[int] = [0] * n_pages
    nxt = n
    for i in range(n_pages - 1, -1, -1):
        start = starts[i]
        if start is not None:
            nxt = start
        resolved[i] = nxt
    resolved[0] = 0
    for i in range(n_pages):
        end = resolved[i + 1] if i + 1 < n_pages else n
        out.append(Segment("page", resolved[i], max(resolved[i], end), label=str(i + 1)))
    return out
