"""Long plain-text transcripts: same sentences as spaCy per paragraph, progress, linear work."""

from __future__ import annotations

import random
from pathlib import Path

from casebook.cli.imports import file_bar
from casebook.core.documents import DocumentMeta, import_file
from casebook.store.project import Project
from casebook.text import nlp


def _reference(texts: list[str]) -> list[tuple[list[tuple[int, int]], list[str]]]:
    """spaCy's own pipeline, one Doc per text, read through Token objects, boundaries repaired."""
    from casebook.text import sentences

    out = []
    for doc in nlp.pipeline().pipe(texts):
        starts = [sent.start_char for sent in doc.sents][1:]
        spans = sentences.spans_from_starts(doc.text, sentences.repair(doc.text, starts))
        words: list[list[str]] = [[] for _ in spans]
        i = 0
        for tok in doc:
            if tok.is_space:
                continue
            while i + 1 < len(spans) and tok.idx >= spans[i + 1][0]:
                i += 1
            if spans:
                words[i].append((tok.lemma_ or tok.text).lower())
        out.append((spans, [" ".join(w) for w in words]))
    return out


def test_fast_sentences_equal_spacy_per_paragraph() -> None:
    rng = random.Random(11)
    pieces = [
        "Ja.",
        "nee",
        "Dr.",
        "Jansen",
        "zei:",
        "‘ja’",
        "...",
        "?",
        "!",
        "(ok)",
        "“Hallo”",
        "3.5",
        "€10,-",
        "—",
        "Gingen",
        "huizen",
        "ÉÉN",
        "a/b",
        "'s",
        "🙂",
        "etc.",
        ";",
        "-",
        "”.",
        ".",
    ]
    texts = []
    for _ in range(1500):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        if rng.random() < 0.05:
            text = " " + text
        if rng.random() < 0.05:
            text = text.replace(" ", "\n", 1)
        texts.append(text)
    assert nlp.analyse(texts) == _reference(texts)


def _transcript(n_lines: int) -> str:
    rng = random.Random(5)
    words = "de het een samenwerking school bedrijf tijd rooster docent leerling plan regio stage".split()
    lines = []
    for i in range(n_lines):
        said = " ".join(rng.choice(words) for _ in range(rng.randint(5, 14))).capitalize()
        lines.append(
            f"{'Interviewer' if i % 2 == 0 else 'Respondent'}: {said}. Ja{'?' if i % 2 == 0 else '.'}"
        )
    return "\n".join(lines) + "\n"


def test_long_text_imports_whole_with_progress(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "lang.txt"
    path.write_text(_transcript(16_000), encoding="utf-8")
    assert path.stat().st_size > 1_000_000
    shares: list[float] = []
    outcome = import_file(project, path, DocumentMeta(case="Lang"), shares.append)
    assert outcome.status == "imported"
    assert shares == sorted(shares) and shares[-1] == 1.0 and len(shares) > 5
    counts = dict(
        project.conn.execute(
            "SELECT kind, count(*) FROM segments WHERE document_id = ? GROUP BY kind",
            (outcome.document_id,),
        ).fetchall()
    )
    assert (
        counts["paragraph"] == 16_000 and counts["turn"] == 16_000 and counts["sentence"] == 32_000
    )
    hits = project.scalar("SELECT count(*) FROM segments_fts WHERE segments_fts MATCH 'rooster'")
    assert hits > 1000


def test_file_bar() -> None:
    assert file_bar("lang.txt", 0.5, width=10) == f"{'lang.txt':<40} [#####-----]  50%"
    assert file_bar("lang.txt", 1.2, width=4).endswith("[####] 100%")
