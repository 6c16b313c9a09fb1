from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.tui.reader_model import GUTTER_LANES, DocumentModel, code_colour

TEXT = (
    "Hoe gaat het met de samenwerking?\n"
    "Goed. We plannen een vaste middag. Dat helpt echt.\n"
    "Tweede alinea van dezelfde beurt.\n"
    "En de visie?\n"
    "Die is helder."
)


def _segments(text: str) -> list[dict]:
    segs = []
    pos = 0
    for line in text.split("\n"):
        segs.append({"kind": "paragraph", "start": pos, "end": pos + len(line)})
        pos += len(line) + 1
    p = [(s["start"], s["end"]) for s in segs]
    segs += [
        {
            "kind": "turn",
            "start": p[0][0],
            "end": p[0][1],
            "label": "Interviewer",
            "speaker_kind": "interviewer",
        },
        {
            "kind": "turn",
            "start": p[1][0],
            "end": p[2][1],
            "label": "Marieke",
            "speaker_kind": "respondent",
            "role": "mbo",
        },
        {
            "kind": "turn",
            "start": p[3][0],
            "end": p[3][1],
            "label": "Interviewer",
            "speaker_kind": "interviewer",
        },
        {
            "kind": "turn",
            "start": p[4][0],
            "end": p[4][1],
            "label": "Marieke",
            "speaker_kind": "respondent",
        },
    ]
    for s, e in [(p[1][0], p[1][0] + 5), (p[1][0] + 6, p[1][0] + 34), (p[1][0] + 35, p[1][1])]:
        segs.append({"kind": "sentence", "start": s, "end": e})
    return segs


def _coding(cid: str, start: int, end: int, code: str = "BEL.TIJD") -> dict:
    return {"id": cid, "code_id": code, "code": code, "start": start, "end": end, "colour": None}


def test_layout_has_headers_and_maps_every_offset() -> None:
    model = DocumentModel.build(TEXT, _segments(TEXT))
    model.layout(20)
    kinds = [r.kind for r in model.rows]
    assert kinds[0] == "turn" and kinds.count("turn") == 4
    assert "blank" in kinds
    for offset in range(len(TEXT)):
        row, col = model.rowcol(offset)
        r = model.rows[row]
        assert r.kind == "text" and r.start <= offset < r.end
        assert model.offset_at(row, col) == offset
    for i, r in enumerate(model.rows):
        if r.kind == "text":
            assert len(model.row_text(i)) <= 20


def test_wrap_breaks_at_spaces_and_hard_breaks_long_words() -> None:
    text = "aaaa bbbb cccc " + "x" * 30
    model = DocumentModel.build(text, [])
    model.layout(10)
    rows = [model.row_text(i) for i, r in enumerate(model.rows) if r.kind == "text"]
    assert rows[0] == "aaaa bbbb "
    assert "".join(rows) == text
    assert all(len(r) <= 10 for r in rows)


def test_navigation_by_word_sentence_turn() -> None:
    model = DocumentModel.build(TEXT, _segments(TEXT))
    second = TEXT.index("Goed")
    assert model.next_word(0) == TEXT.index("gaat")
    assert model.prev_word(TEXT.index("gaat")) == 0
    assert model.word_at(1) == (0, 3)
    assert model.unit_at("sentence", second + 8) == (second + 6, second + 34)
    assert model.next_unit("sentence", second) == second + 6
    assert model.unit_at("turn", second + 3)[0] == second
    assert model.next_unit("turn", 0) == second
    assert model.unit_end_after("turn", second) == TEXT.index("\nEn de")
    assert model.prev_unit("turn", TEXT.index("En de")) == second


def test_sentences_fall_back_to_punctuation() -> None:
    model = DocumentModel.build("Een. Twee? Drie", [])
    assert model.unit_at("sentence", 6) == (5, 10)
    assert model.unit_at("sentence", 12) == (11, 15)


def test_codings_lanes_spans_and_gutter() -> None:
    model = DocumentModel.build(
        TEXT, _segments(TEXT), [_coding("a", 0, 20), _coding("b", 10, 60, "BEV.VISIE")]
    )
    model.layout(30)
    assert model.codings["a"].lane != model.codings["b"].lane
    row = model.row_of(12)
    spans = model.spans(row)
    covered = {(s.start, s.end): {c.id for c in s.codings} for s in spans}
    assert covered[(10, 20)] == {"a", "b"}
    cells = model.gutter(row)
    assert len(cells) == GUTTER_LANES and sum(c is not None for c in cells) == 2
    changed = model.add_coding(_coding("c", 25, 28, "SAM"))
    assert "c" in changed
    assert [c.id for c in model.codings_at(26)] == ["c", "b"]
    model.remove_coding("b")
    assert [c.id for c in model.codings_at(26)] == ["c"]


def test_many_overlaps_share_the_overflow_lane() -> None:
    codings = [_coding(str(i), 0, 40 + i) for i in range(GUTTER_LANES + 3)]
    model = DocumentModel.build(TEXT, _segments(TEXT), codings)
    model.layout(40)
    cells = model.gutter(model.row_of(0))
    assert cells[-1][0] == "+"


def test_colours_are_stable() -> None:
    assert code_colour("#123456", "X") == "#123456"
    assert code_colour(None, "BEL.TIJD") == code_colour(None, "BEL.GELD")


@settings(max_examples=60, deadline=None)
@given(
    paragraphs=st.lists(
        st.text(alphabet="ab cd.", min_size=0, max_size=80), min_size=1, max_size=8
    ),
    width=st.integers(min_value=8, max_value=40),
)
def test_every_offset_has_one_row(paragraphs: list[str], width: int) -> None:
    text = "\n".join(p.strip() or "x" for p in paragraphs)
    model = DocumentModel.build(text, [])
    model.layout(width)
    owners = [0] * (len(text) + 1)
    for r in model.rows:
        if r.kind == "text":
            for o in range(r.start, min(r.end, len(text) + 1)):
                owners[o] += 1
    assert owners[: len(text)] == [1] * len(text)
    for offset in range(len(text)):
        assert model.offset_at(*model.rowcol(offset)) == offset


@settings(max_examples=60, deadline=None)
@given(
    ops=st.lists(
        st.tuples(st.booleans(), st.integers(0, len(TEXT) - 2), st.integers(1, 60)),
        min_size=1,
        max_size=25,
    )
)
def test_overlapping_codings_never_share_a_lane(ops: list[tuple[bool, int, int]]) -> None:
    model = DocumentModel.build(TEXT, _segments(TEXT))
    live: list[str] = []
    for i, (add, start, length) in enumerate(ops):
        if add or not live:
            cid = f"c{i}"
            model.add_coding(_coding(cid, start, min(start + length, len(TEXT))))
            live.append(cid)
        else:
            model.remove_coding(live.pop(start % len(live)))
    codings = list(model.codings.values())
    for a in codings:
        for b in codings:
            if a.id < b.id and a.start < b.end and b.start < a.end:
                assert a.lane != b.lane
