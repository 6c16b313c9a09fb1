"""More like this: rank passages by similarity to the passages coded with a code.

Offline and model-free by default: each unit (sentence, turn, paragraph or
section) becomes a TF-IDF vector over the lemmas the search index already
holds for its sentences (so no spaCy run is needed), with sublinear term
frequency and L2 normalisation. The coded passages are turned into vectors
the same way; a unit's score is its cosine with their centroid (Rocchio).
When a Dutch spaCy model with word vectors is installed, ``method="vectors"``
scores with its document vectors instead; nothing is ever downloaded.

The default threshold ``DEFAULT_MIN_SCORE`` was chosen on the training
regions of the demo corpus only; see docs/autocoding.md and
:mod:`casebook.autocode.evaluate` for how, and for the held-out numbers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any, NamedTuple

from casebook.autocode.units import (
    Match,
    Range,
    coded_ranges,
    document_texts,
    load_units,
    overlaps_any,
)
from casebook.errors import InvalidInput
from casebook.store.project import Project
from casebook.text import nlp

if TYPE_CHECKING:
    import numpy as np

DEFAULT_MIN_SCORE = 0.21  # chosen on the demo training cases Duinmond + Lindeveen; see evaluate.py
METHODS = ("tfidf", "vectors")
_TOKEN = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)


class UnitRow(NamedTuple):
    """A passage that can be suggested, with the lemma tokens of its sentences."""

    document_id: str
    start: int
    end: int
    tokens: list[str]


def sentence_lemmas(
    project: Project, doc_ids: Sequence[str] | None
) -> dict[str, list[tuple[int, int, list[str]]]]:
    """Per document: (start, end, lemma tokens) of each sentence, from the search index."""
    sql = (
        "SELECT f.document_id, s.start, s.end, f.lemmas FROM segments_fts f"
        " JOIN segments s ON s.id = f.segment_id"
    )
    out: dict[str, list[tuple[int, int, list[str]]]] = {}
    keep = set(doc_ids) if doc_ids is not None else None
    for doc_id, s, e, lemmas in project.conn.execute(sql).fetchall():
        if keep is None or doc_id in keep:
            # spaCy tokens joined by spaces; punctuation is dropped when vectors are built
            out.setdefault(doc_id, []).append((s, e, lemmas.split() if lemmas else []))
    for rows in out.values():
        rows.sort(key=lambda r: (r[0], r[1]))
    return out


def _tokens_in(sentences: Sequence[tuple[int, int, list[str]]], start: int, end: int) -> list[str]:
    """Lemmas of the sentences a range covers (at least half of each, or any when none is)."""
    inside = [t for s, e, t in sentences if min(e, end) - max(s, start) >= (e - s) / 2]
    if not inside:
        inside = [t for s, e, t in sentences if s < end and start < e]
    return [tok for toks in inside for tok in toks]


def unit_rows(
    project: Project,
    doc_ids: Sequence[str],
    unit: str,
    lemmas: dict[str, list[tuple[int, int, list[str]]]] | None = None,
) -> list[UnitRow]:
    lemmas = lemmas if lemmas is not None else sentence_lemmas(project, doc_ids)
    if unit == "sentence":  # the index rows are the sentences
        return [
            UnitRow(doc_id, s, e, t)
            for doc_id in doc_ids
            for s, e, t in lemmas.get(doc_id, [])
            if t
        ]
    units = load_units(project, doc_ids, unit)
    rows: list[UnitRow] = []
    for doc_id in doc_ids:
        sents = lemmas.get(doc_id, [])
        spans = (
            units[doc_id].of(unit)
            if unit != "section"
            else (units[doc_id].sections or units[doc_id].paragraphs)
        )
        for s, e in spans:
            toks = _tokens_in(sents, s, e)
            if toks:
                rows.append(UnitRow(doc_id, s, e, toks))
    return rows


def example_tokens(
    project: Project,
    examples: dict[str, list[Range]],
    lemmas: dict[str, list[tuple[int, int, list[str]]]] | None = None,
) -> list[list[str]]:
    lemmas = lemmas if lemmas is not None else sentence_lemmas(project, list(examples))
    out = []
    for doc_id, ranges in examples.items():
        for s, e in sorted(set(ranges)):
            toks = _tokens_in(lemmas.get(doc_id, []), s, e)
            if toks:
                out.append(toks)
    return out


def tfidf_scores(units: Sequence[list[str]], examples: Sequence[list[str]]) -> np.ndarray:
    """Cosine of each unit's TF-IDF vector with the centroid of the examples' vectors.

    Weights are (1 + log tf) · idf with idf = log((n + 1) / (df + 1)) + 1 over
    units and examples together; vectors are L2-normalised. Built with numpy
    from (row, term) pairs, so a million tokens take well under a second.
    """
    # numpy is slow to import; --help does not load it
    import numpy as np

    if not units:
        return np.zeros(0)
    vocab: defaultdict[str, int] = defaultdict()
    vocab.default_factory = vocab.__len__  # a new term gets the next id
    rows = list(units) + list(examples)
    ids = np.fromiter(map(vocab.__getitem__, chain.from_iterable(rows)), dtype=np.int64)
    lengths = np.fromiter((len(toks) for toks in rows), dtype=np.int64, count=len(rows))
    n_rows, n_terms = len(rows), max(len(vocab), 1)
    row_of = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
    # words only: at least two characters, starting with a letter (no punctuation, no numbers)
    is_word = np.fromiter(
        (len(t) > 1 and _TOKEN.fullmatch(t) is not None for t in vocab),
        dtype=bool,
        count=len(vocab),
    )
    if len(ids):
        words = is_word[ids]
        ids, row_of = ids[words], row_of[words]
    keys, counts = np.unique(row_of * n_terms + ids, return_counts=True)
    r, t = keys // n_terms, keys % n_terms
    df = np.bincount(t, minlength=n_terms)
    idf = np.log((n_rows + 1) / (df + 1)) + 1.0
    w = (1.0 + np.log(counts)) * idf[t]
    norms = np.sqrt(np.bincount(r, w * w, minlength=n_rows))
    norms[norms == 0] = 1.0
    w = w / norms[r]
    is_example = r >= len(units)
    centroid: np.ndarray = np.bincount(t[is_example], w[is_example], minlength=n_terms)
    length = float(np.linalg.norm(centroid))
    if length == 0.0:
        return np.zeros(len(units))
    centroid = centroid / length
    unit_part = ~is_example
    return np.bincount(r[unit_part], w[unit_part] * centroid[t[unit_part]], minlength=len(units))


def vectors_available() -> bool:
    """True when the installed Dutch pipeline has word vectors (never downloads one)."""
    pipe = nlp.pipeline()
    return bool(pipe.vocab.vectors.shape[0])


def _vector_scores(texts: Sequence[str], example_texts: Sequence[str]) -> np.ndarray:
    # numpy is slow to import; --help does not load it
    import numpy as np

    pipe = nlp.pipeline()

    def embed(items: Sequence[str]) -> np.ndarray:
        vecs = np.asarray([d.vector for d in pipe.pipe(items, batch_size=256)], dtype=float)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return vecs / norms

    centroid = embed(example_texts).mean(axis=0)
    norm = float(np.linalg.norm(centroid)) or 1.0
    return embed(texts) @ (centroid / norm)


def like_matches(
    project: Project, rule: Any, docs: Sequence[dict[str, Any]], *, exclude_coded: bool = True
) -> tuple[list[Any], int]:
    """Rank the scope's units against the code's coded passages (all documents, all coders)."""
    # numpy is slow to import; --help does not load it
    import numpy as np

    method = rule.query or "tfidf"
    if method not in METHODS:
        raise InvalidInput(f"unknown --like method '{method}'; use {' or '.join(METHODS)}")
    if method == "vectors" and not vectors_available():
        raise InvalidInput(
            "no Dutch spaCy model with word vectors is installed (e.g. nl_core_news_md); "
            "use the default TF-IDF similarity"
        )
    examples = coded_ranges(project, rule.code_id)
    if not examples:
        raise InvalidInput(
            f"{rule.code} has no coded passages yet; code a few examples before --like"
        )
    doc_ids = [d["id"] for d in docs]
    names = {d["id"]: d["name"] for d in docs}
    everything = project.scalar("SELECT count(*) FROM documents") == len(doc_ids)
    lemmas = sentence_lemmas(project, None if everything else list({*doc_ids, *examples}))
    rows = unit_rows(project, doc_ids, rule.unit, lemmas)
    ex_tokens = example_tokens(project, examples, lemmas)
    if not ex_tokens:
        raise InvalidInput(
            f"the passages coded {rule.code} have no words to compare; code longer passages"
        )
    if method == "vectors":
        texts = document_texts(project, list({*doc_ids, *examples}))
        scores = _vector_scores(
            [texts[r.document_id][r.start : r.end] for r in rows],
            [texts[d][s:e] for d, rs in examples.items() for s, e in rs],
        )
    else:
        scores = tfidf_scores([r.tokens for r in rows], ex_tokens)
    threshold = DEFAULT_MIN_SCORE if rule.min_score is None else rule.min_score
    order = np.flatnonzero((scores >= threshold) & (scores > 0))
    order = order[np.argsort(-scores[order], kind="stable")]  # best first, so --top can stop early
    texts = document_texts(project, list(examples)) if exclude_coded else {}
    out: list[Any] = []
    left_out = 0
    for i in order:
        if rule.top is not None and len(out) >= rule.top:
            break
        r = rows[i]
        if (
            exclude_coded
            and r.document_id in examples
            and overlaps_any((r.start, r.end), examples[r.document_id], texts[r.document_id])
        ):
            left_out += 1
            continue
        out.append(
            Match(r.document_id, names[r.document_id], r.start, r.end, round(float(scores[i]), 4))
        )
    out.sort(key=lambda m: (names[m.document_id], m.start))
    return out, left_out
