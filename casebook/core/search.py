"""Searching the project's text: full-text (FTS5), lemma-based and fuzzy.

The index holds one row per sentence with its surface text and its lemmas,
so "werkte" finds "werken" in lemma mode. Fuzzy search scores every
sentence with rapidfuzz and so tolerates misspellings like "Maasdleta".
"""

from __future__ import annotations

import re
from typing import Any

from casebook.errors import InvalidInput
from casebook.store.project import Project
from casebook.text import nlp

MODES = ("fts", "lemma", "fuzzy")
_WORD = re.compile(r"\w+", re.UNICODE)


def _fts_query(words: list[str]) -> str:
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def search(
    project: Project,
    query: str,
    *,
    mode: str = "fts",
    limit: int = 200,
    document_id: str | None = None,
) -> list[dict[str, Any]]:
    """Hits as dicts with document, case, offsets, sentence text and score."""
    if mode not in MODES:
        raise InvalidInput(f"unknown search mode '{mode}'; use {', '.join(MODES)}")
    words = _WORD.findall(query)
    if not words:
        raise InvalidInput("the search query has no words")
    if mode == "fuzzy":
        return _fuzzy(project, query, limit, document_id)
    if mode == "lemma":
        lemmas = nlp.lemmatise(query) or [w.lower() for w in words]
        match = "lemmas : (" + _fts_query(lemmas) + ")"
    else:
        match = "text : (" + _fts_query(words) + ")"
    sql = """
        SELECT f.segment_id, f.document_id, s.start, s.end, f.text, d.name AS document,
               c.name AS case_name, bm25(segments_fts) AS score
        FROM segments_fts f
        JOIN segments s ON s.id = f.segment_id
        JOIN documents d ON d.id = f.document_id
        LEFT JOIN cases c ON c.id = d.case_id
        WHERE segments_fts MATCH ?
    """
    params: list[Any] = [match]
    if document_id:
        sql += " AND f.document_id = ?"
        params.append(document_id)
    sql += " ORDER BY " + ("s.start" if document_id else "score") + " LIMIT ?"
    params.append(limit)
    return project.query(sql, params)


def _fuzzy(
    project: Project, query: str, limit: int, document_id: str | None
) -> list[dict[str, Any]]:
    # rapidfuzz is a compiled library; --help does not load it
    from rapidfuzz import fuzz, process

    sql = """
        SELECT f.segment_id, f.document_id, s.start, s.end, f.text, d.name AS document,
               c.name AS case_name
        FROM segments_fts f
        JOIN segments s ON s.id = f.segment_id
        JOIN documents d ON d.id = f.document_id
        LEFT JOIN cases c ON c.id = d.case_id
    """
    params: list[Any] = []
    if document_id:
        sql += " WHERE f.document_id = ?"
        params.append(document_id)
    rows = project.query(sql, params)
    scored = process.extract(
        query.lower(),
        [r["text"].lower() for r in rows],
        scorer=fuzz.partial_ratio,
        limit=limit,
        score_cutoff=80,
    )
    hits = []
    for _text, score, index in scored:
        row = dict(rows[index])
        row["score"] = float(score)
        hits.append(row)
    if document_id:
        hits.sort(key=lambda r: r["start"])
    return hits
