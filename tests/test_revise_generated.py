"""Generated revisions of the demo transcripts: every coding ends on its own words or is flagged.

Each demo transcript is written back as a file of ``[time] Label: text``
paragraphs, and an edit is made on that paragraph list (a name fixed, a turn
inserted or deleted, a paragraph split or merged, lines re-wrapped,
timestamps dropped, punctuation re-transcribed). The edit also yields the
exact canonical-text replacements it makes, which is the ground truth the
test holds the revision against — worked out here, apart from the
alignment code.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from casebook.codes.io import import_codebook
from casebook.core.codings import add_coding, check_quotes
from casebook.core.documents import DocumentMeta, document_text, import_file, segments_of
from casebook.store.project import Project, open_project
from casebook.versions.revise import revise_document

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TRANSCRIPTS = [
    REPO / "corpus" / "lindeveen" / "LIN_2021_vmbo_Esdal.txt",
    REPO / "corpus" / "duinmond" / "DUI_2022_gemeente.txt",
    REPO / "corpus" / "ruwaard" / "RUW_2022_programmamanager.txt",
]
WORD = re.compile(r"\w+")


@dataclass
class Para:
    label: str | None
    time: float | None
    text: str


@dataclass
class Change:
    start: int  # canonical offsets in the old text
    end: int
    new: str
    kind: str  # word | space | punct | insert | delete


def _clock(t: float) -> str:
    s = int(t)
    return f"[{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}] "


def render(paras: list[Para], *, times: bool = True) -> str:
    out = []
    for p in paras:
        head = ""
        if p.label:
            head = (_clock(p.time) if times and p.time is not None else "") + f"{p.label}: "
        out.append(head + p.text)
    return "\n\n".join(out) + "\n"


def paragraphs(project: Project, doc_id: str) -> list[Para]:
    text = document_text(project, doc_id)
    turns = {s["start"]: s for s in segments_of(project, doc_id, "turn")}
    out = []
    for s in segments_of(project, doc_id, "paragraph"):
        t = turns.get(s["start"])
        out.append(
            Para(t["label"] if t else None, t["time"] if t else None, text[s["start"] : s["end"]])
        )
    return out


def starts(paras: list[Para]) -> list[int]:
    pos, out = 0, []
    for p in paras:
        out.append(pos)
        pos += len(p.text) + 1
    return out


# --- the edits: each returns the new paragraphs and the canonical replacements ----------------------


def fix_names(paras: list[Para], rng: random.Random) -> tuple[list[Para], list[Change]]:
    """Typo and name fixes: a few long words get one letter changed, as a corrector would."""
    new = [Para(p.label, p.time, p.text) for p in paras]
    at = starts(paras)
    changes = []
    for k in rng.sample(range(len(paras)), min(6, len(paras))):
        words = [
            m for m in WORD.finditer(paras[k].text) if len(m.group()) >= 6 and m.group().isalpha()
        ]
        if not words:
            continue
        m = rng.choice(words)
        w = m.group()
        fixed = w[:-2] + w[-1] if w[-2] != w[-1] else w[:-1]
        new[k].text = paras[k].text[: m.start()] + fixed + paras[k].text[m.end() :]
        changes.append(Change(at[k] + m.start(), at[k] + m.end(), fixed, "word"))
    return new, changes


def insert_turns(paras: list[Para], rng: random.Random) -> tuple[list[Para], list[Change]]:
    k = rng.randrange(1, len(paras))
    added = [
        Para("I", paras[k].time, "En hoe ging het daarna verder met de roosters?"),
        Para("R", paras[k].time, "Daar zijn we nog niet helemaal uit, eerlijk gezegd."),
    ]
    at = starts(paras)
    text = "".join(p.text + "\n" for p in added)
    return paras[:k] + added + paras[k:], [Change(at[k], at[k], text, "insert")]


def delete_turn(paras: list[Para], rng: random.Random) -> tuple[list[Para], list[Change]]:
    k = rng.randrange(1, len(paras) - 1)
    at = starts(paras)
    return paras[:k] + paras[k + 1 :], [Change(at[k], at[k + 1], "", "delete")]


def split_paragraph(paras: list[Para], rng: random.Random) -> tuple[list[Para], list[Change]]:
    at = starts(paras)
    options = [
        (k, m)
        for k, p in enumerate(paras)
        if p.label
        for m in re.finditer(r"(?<=[.?!]) (?=[A-Z])", p.text)
    ]
    k, m = rng.choice(options)
    p = paras[k]
    first, second = (
        Para(p.label, p.time, p.text[: m.start()]),
        Para(p.label, p.time, p.text[m.end() :]),
    )
    return paras[:k] + [first, second] + paras[k + 1 :], [
        Change(at[k] + m.start(), at[k] + m.end(), "\n", "space")
    ]


def merge_paragraphs(paras: list[Para], rng: random.Random) -> tuple[list[Para], list[Change]]:
    at = starts(paras)
    options = [k for k in range(len(paras) - 1) if paras[k].label and paras[k + 1].label]
    k = rng.choice(options)
    merged = Para(paras[k].label, paras[k].time, paras[k].text + " " + paras[k + 1].text)
    return paras[:k] + [merged] + paras[k + 2 :], [Change(at[k + 1] - 1, at[k + 1], " ", "space")]


def rewrap(paras: list[Para], rng: random.Random) -> tuple[list[Para], list[Change]]:
    """Hard line breaks at about 70 columns, as a word processor's 'save as text' does."""
    at = starts(paras)
    new, changes = [], []
    for k, p in enumerate(paras):
        if len(p.text) < 140 or rng.random() < 0.5:
            new.append(p)
            continue
        pieces, pos = [], 0
        while len(p.text) - pos > 70:
            cut = p.text.rfind(" ", pos, pos + 70)
            if cut <= pos:
                break
            pieces.append(p.text[pos:cut])
            changes.append(Change(at[k] + cut, at[k] + cut + 1, "\n", "space"))
            pos = cut + 1
        pieces.append(p.text[pos:])
        new.append(Para(p.label, p.time, pieces[0]))
        new.extend(Para(None, None, piece) for piece in pieces[1:])
    return new, changes


def drop_timestamps(paras: list[Para], rng: random.Random) -> tuple[list[Para], list[Change]]:
    return paras, []  # rendered without times by the caller


def repunctuate(paras: list[Para], rng: random.Random) -> tuple[list[Para], list[Change]]:
    """A re-transcription: commas dropped and '...' written as '…' in a third of the paragraphs."""
    at = starts(paras)
    new, changes = [], []
    for k, p in enumerate(paras):
        if rng.random() > 0.35:
            new.append(p)
            continue
        out, pos = [], 0
        for m in re.finditer(r",(?= )|\.\.\.", p.text):
            out.append(p.text[pos : m.start()])
            rep = "" if m.group() == "," else "…"
            out.append(rep)
            changes.append(Change(at[k] + m.start(), at[k] + m.end(), rep, "punct"))
            pos = m.end()
        out.append(p.text[pos:])
        new.append(Para(p.label, p.time, "".join(out)))
    return new, changes


EDITS = {
    "names": fix_names,
    "insert": insert_turns,
    "delete": delete_turn,
    "split": split_paragraph,
    "merge": merge_paragraphs,
    "rewrap": rewrap,
    "timestamps": drop_timestamps,
    "punctuation": repunctuate,
}


# --- ground truth ---------------------------------------------------------------------


def expected(s: int, e: int, changes: list[Change]) -> tuple[str, int | None, int | None]:
    """The outcome and new span a coding must get, from the edit's own replacements."""
    inside = [
        c for c in changes if (c.start < e and s < c.end) or (c.start == c.end and s < c.start < e)
    ]
    shift_s = sum(len(c.new) - (c.end - c.start) for c in changes if c.end <= s)
    shift_e = sum(
        len(c.new) - (c.end - c.start)
        for c in changes
        if c.end <= e and not (c.start == c.end == e)
    )
    if not inside:
        return "same", s + shift_s, e + shift_e
    deletes = [c for c in inside if c.kind == "delete"]
    if any(c.start <= s and e <= c.end for c in deletes):
        return "lost", None, None
    if deletes:
        return "partial", None, None
    return "edited", s + shift_s, e + shift_e


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def _surviving_words(old: str, s: int, e: int, changes: list[Change]) -> list[str]:
    keep = "".join(
        ch
        for i, ch in enumerate(old[s:e], start=s)
        if not any(c.kind == "delete" and c.start <= i < c.end for c in changes)
    )
    return _words(keep)


def _coded_project(tmp_path: Path, source: Path) -> tuple[Project, str, list[Para]]:
    project = open_project(tmp_path / "p.db", coder="anouk")
    import_codebook(project, FIXTURES / "small-codebook.yaml")
    original = import_file(project, source, DocumentMeta(case="Lindeveen", role="vmbo"))
    paras = paragraphs(project, original.document_id)
    for n, p in enumerate(paras):  # files without times get some, so dropping them is an edit
        if p.label and p.time is None:
            p.time = 4.0 + 9 * n
    rebuilt = tmp_path / "v1" / source.name
    rebuilt.parent.mkdir()
    rebuilt.write_text(render(paras), encoding="utf-8")
    project.close()
    (tmp_path / "p.db").unlink()
    project = open_project(tmp_path / "p.db", coder="anouk")
    import_codebook(project, FIXTURES / "small-codebook.yaml")
    doc_id = import_file(project, rebuilt, DocumentMeta(case="Lindeveen", role="vmbo")).document_id
    assert document_text(project, doc_id) == "\n".join(p.text for p in paras), (
        "the rebuilt file reads back the same"
    )
    # kinds of passage get codes of their own, so no two ever become one coding (tested apart)
    codes = [r["id"] for r in project.query("SELECT id FROM codes ORDER BY path")]
    assert len(codes) >= 7
    text = document_text(project, doc_id)
    rng = random.Random(7)
    sentences = segments_of(project, doc_id, "sentence")
    for n, sent in enumerate(sentences):
        add_coding(project, doc_id, codes[n % 3], sent["start"], sent["end"])
    for a, b in zip(
        sentences, sentences[1:], strict=False
    ):  # two-sentence passages, across paragraphs too
        add_coding(project, doc_id, codes[3 + a["start"] % 3], a["start"], b["end"])
    for m in rng.sample(
        [m for m in WORD.finditer(text) if len(m.group()) >= 6], 40
    ):  # single words
        add_coding(project, doc_id, codes[-1], m.start(), m.end())
    turns = segments_of(project, doc_id, "turn")
    for t in turns[: len(turns) // 2 : 3]:  # whole turns, possibly across paragraphs
        add_coding(project, doc_id, codes[6], t["start"], t["end"])
    return project, doc_id, paras


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("source", TRANSCRIPTS, ids=lambda p: p.stem)
def test_generated_revision(tmp_path: Path, source: Path, edit: str) -> None:
    project, doc_id, paras = _coded_project(tmp_path, source)
    old_text = document_text(project, doc_id)
    before = {
        r["id"]: r for r in project.query("SELECT * FROM codings WHERE document_id = ?", (doc_id,))
    }
    new_paras, changes = EDITS[edit](paras, random.Random(sum(map(ord, edit))))
    revised = tmp_path / "v2" / source.name
    revised.parent.mkdir()
    revised.write_text(render(new_paras, times=edit != "timestamps"), encoding="utf-8")
    report = revise_document(project, doc_id, revised, take_backup=False)
    new_text = document_text(project, doc_id)
    assert new_text == "\n".join(p.text for p in new_paras)
    outcomes = {
        i["target_id"]: i
        for i in project.query(
            "SELECT * FROM revision_items WHERE revision_id = ? AND kind = 'coding'",
            (report.revision_id,),
        )
    }
    after = {
        r["id"]: r for r in project.query("SELECT * FROM codings WHERE document_id = ?", (doc_id,))
    }
    assert check_quotes(project) == []
    wrong = []
    for cid, k in before.items():
        want, ws, we = expected(k["start"], k["end"], changes)
        got = outcomes[cid]["outcome"]
        if want != got:
            wrong.append((k["quote"][:50], want, got))
            continue
        if want == "lost":
            assert cid not in after
            continue
        row = after[cid]
        assert row["quote"] == new_text[row["start"] : row["end"]]
        if want in ("same", "edited"):
            assert (row["start"], row["end"]) == (ws, we), k["quote"][:60]
        else:
            assert _words(row["quote"]) == _surviving_words(old_text, k["start"], k["end"], changes)
    assert not wrong, wrong[:5]
    nonsame = sum(1 for i in outcomes.values() if i["outcome"] != "same")
    assert len(report.flagged) == nonsame
    if edit == "timestamps":
        assert nonsame == 0
    elif edit == "insert":  # inserted between turns: nothing changes, but what follows moves
        assert any(after[c]["start"] != k["start"] for c, k in before.items())
    else:
        assert nonsame > 0, "the edit touched no coding; the generator is too timid"
    project.close()
