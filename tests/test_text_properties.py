"""Invariants of canonical text and segments, on generated transcripts.

Whatever the paragraphs hold (labels or not, combining characters, CRLF,
odd whitespace), every segment family must be sorted, inside the text and
free of overlaps, sentences must sit inside paragraphs, and the text must be
NFC without carriage returns. These are the promises every later offset
(codings, quotes, search hits) relies on.
"""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.core.documents import add_sentences
from casebook.errors import ImportFailed
from casebook.importers.assemble import assemble
from casebook.importers.base import Block, ImportedText, ReadResult
from casebook.importers.plaintext import PlainTextReader

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LABELS = [
    "",
    "",
    "",
    "I: ",
    "R: ",
    "Interviewer: ",
    "Respondent:",
    "Marieke (ROC Maasdelta): ",
    "Jan: ",
    "[id1] ",
    "[id2]",
    "JUSTICE BREYER: ",
    "[00:12:31] ",
    "00:01:02 R: ",
    "Conclusie: ",
    "Let op: ",
    "https://example.org ",
    "om 10:30 uur ",
]
COMBINING = "\u0300\u0301\u0308\u0327\u0303\u20dd"
WORDS = [
    "de",
    "school",
    "café",
    "e\u0301e\u0301n",
    "naïef",
    "ROC",
    "techlab",
    "ideeën",
    "?",
    ".",
    "!",
    "—",
    "2021",
]

words = st.one_of(
    st.sampled_from(WORDS),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        min_size=1,
        max_size=8,
    ),
    st.builds(
        lambda base, marks: base + marks,
        st.sampled_from("aeouAEOUnc "),
        st.text(COMBINING, max_size=3),
    ),
)
separators = st.sampled_from(
    [" ", " ", " ", "  ", "\t", "\u00a0", "\r\n", "\n", "\r", "\u2028", ". ", "? "]
)


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(words, separators), min_size=0, max_size=14))
    body = "".join(w + s for w, s in parts)
    return draw(st.sampled_from(LABELS)) + body


@st.composite
def blocks(draw: st.DrawFn) -> list[Block]:
    out: list[Block] = []
    for text in draw(st.lists(paragraph(), min_size=1, max_size=12)):
        kind = draw(st.sampled_from(["paragraph"] * 6 + ["heading", "table_row"]))
        speaker = draw(st.sampled_from([None] * 5 + ["Sanne", "Piet (ROC Noord)", " : "]))
        page = draw(st.integers(min_value=1, max_value=3))
        out.append(
            Block(
                text,
                kind=kind,
                level=draw(st.integers(1, 3)) if kind == "heading" else None,
                speaker=speaker if kind == "paragraph" else None,
                time=draw(st.sampled_from([None, 0.0, 12.5])),
                page=page,
            )
        )
    out.sort(key=lambda b: b.page or 0)
    return out


def check_invariants(imported: ImportedText) -> None:
    text = imported.text
    assert "\r" not in text
    assert unicodedata.normalize("NFC", text) == text
    n = len(text)
    for seg in imported.segments:
        assert 0 <= seg.start <= seg.end <= n, seg
    for kinds in (("turn",), ("page",), ("paragraph", "table_row"), ("sentence",)):
        family = [s for s in imported.segments if s.kind in kinds]
        starts = [s.start for s in family]
        assert starts == sorted(starts), kinds
        for a, b in zip(family, family[1:], strict=False):
            assert a.end <= b.start, (kinds, a, b)
    paragraphs = [s for s in imported.segments if s.kind in ("paragraph", "table_row")]
    for para in paragraphs:
        piece = text[para.start : para.end]
        assert piece and piece == piece.strip() and "\n" not in piece
    for sent in imported.of_kind("sentence"):
        assert sent.end > sent.start
        assert any(p.start <= sent.start and sent.end <= p.end for p in paragraphs), sent
    for turn in imported.of_kind("turn"):
        assert turn.end > turn.start
        assert turn.speaker_kind in ("interviewer", "respondent")
        assert turn.label
        assert any(p.start == turn.start for p in paragraphs)
        assert any(p.end == turn.end for p in paragraphs)
    pages = imported.of_kind("page")
    if pages:
        assert pages[0].start == 0 and pages[-1].end == n
        for a, b in zip(pages, pages[1:], strict=False):
            assert a.end == b.start


@SETTINGS
@given(blocks(), st.booleans(), st.sampled_from([None, "Sanne de Wit"]))
def test_assembled_segments_are_well_formed(
    bs: list[Block], marked: bool, interviewer: str | None
) -> None:
    result = ReadResult(bs, format="text", n_pages=3, speakers_marked=marked)
    imported = assemble(result, interviewer=interviewer)
    add_sentences(imported)
    check_invariants(imported)


@SETTINGS
@given(
    st.lists(paragraph(), min_size=1, max_size=15),
    st.sampled_from(["\n", "\r\n", "\r\n\r\n", "\n\n"]),
)
def test_plain_text_files_are_well_formed(paras: list[str], newline: str) -> None:
    raw = newline.join(paras)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.txt"
        path.write_bytes(b"\xef\xbb\xbf" + raw.encode("utf-8"))
        if not raw.strip():
            # Only a file of nothing but white space may be refused (with a reason).
            with pytest.raises(ImportFailed, match="no text"):
                PlainTextReader().read(path)
            return
        # Valid UTF-8 after a BOM is text, whatever characters it holds: never refused.
        result = PlainTextReader().read(path)
    imported = assemble(result)
    add_sentences(imported)
    check_invariants(imported)
    assert all(ch not in imported.text for ch in "\ufeff\u200b")


@SETTINGS
@given(
    st.lists(
        st.tuples(st.sampled_from(["I", "R", "Interviewer", "Respondent 2", "id1"]), paragraph()),
        min_size=2,
        max_size=12,
    )
)
def test_every_generic_label_opens_a_turn(turns: list[tuple[str, str]]) -> None:
    """Paragraphs opened by a generic label or id tag always start a turn with that label."""
    texts = []
    expected = []
    for label, body in turns:
        body = body.replace("\r", " ").replace("\n", " ").replace("\u2028", " ")
        clean = " ".join(body.split())
        prefix = f"[{label}] " if label == "id1" else f"{label}: "
        texts.append(prefix + "x " + clean)
        expected.append(label)
    imported = assemble(ReadResult([Block(t) for t in texts], format="text"))
    check_invariants(imported)
    got = [t.label for t in imported.of_kind("turn")]
    assert got == expected
