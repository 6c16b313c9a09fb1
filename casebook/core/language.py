"""The language layer of documents imported without it: sentences and their search rows.

``casebook import`` stores a document's text and structural segments
(paragraphs, turns, table rows, pages, sections) and marks it
``language_pending`` instead of loading spaCy, which costs about a CPU
second before the first word is read (see ``documents.import_file`` with
``language="later"``). Like the background indexing of desktop QDA tools, the
sentences and the ``segments_fts`` rows with their lemmas follow: the next
command that opens the project, or the workbench, calls ``complete``.

They are built from the stored text and paragraph/table-row segments with the
same function an import uses, so the result equals an import that did it at
once. Each document is one transaction that also clears its mark: a crash
leaves a document waiting, never half done, and the next run picks it up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casebook.core.documents import SENTENCE_PARENTS, insert_segment_rows, sentence_segments
from casebook.core.query import marks
from casebook.store.project import Project

# hears (documents done, documents waiting, name of the one just done)
Progress = Callable[[int, int, str], None]
_ATTEMPTS = 3  # analysis runs outside the write lock; a document changed meanwhile is read again


def waiting(project: Project) -> int:
    """How many documents wait for their language layer (one lookup in a partial index)."""
    return int(project.scalar("SELECT count(*) FROM documents WHERE language_pending = 1") or 0)


def pending(project: Project) -> list[dict[str, Any]]:
    """The waiting documents (id and name), oldest import first."""
    return project.query(
        "SELECT id, name FROM documents WHERE language_pending = 1 ORDER BY imported_at, id"
    )


def complete(project: Project, on_progress: Progress | None = None) -> int:
    """Build sentences and search rows for every waiting document; returns how many were done."""
    docs = pending(project)
    done = 0
    for doc in docs:
        if complete_document(project, doc["id"]):
            done += 1
        if on_progress:
            on_progress(done, len(docs), doc["name"])
    return done


def complete_document(project: Project, document_id: str) -> bool:
    """Give one waiting document its language layer; False if it was not waiting (any more).

    The analysis (spaCy) runs before the write transaction, so other programs
    are not locked out meanwhile; inside it the mark and the paragraphs are
    read again, and if another program re-segmented the document in between,
    the work is redone on what is there now.
    """
    for _ in range(_ATTEMPTS):
        state = _state(project, document_id)
        if state is None:
            return False
        text, parents = state
        found, lemmas = sentence_segments(text, parents)
        with project.transaction():
            # write first: the write lock is taken (waiting for another writer) before the
            # re-read, since a read transaction that later writes is refused, not queued
            project.conn.execute(
                "UPDATE documents SET language_pending = 1 WHERE id = ? AND language_pending = 1",
                (document_id,),
            )
            if _state(project, document_id) != state:
                continue
            # a document revised while waiting already has sentences: replace, never double
            project.conn.execute("DELETE FROM segments_fts WHERE document_id = ?", (document_id,))
            project.conn.execute(
                "DELETE FROM segments WHERE document_id = ? AND kind = 'sentence'", (document_id,)
            )
            insert_segment_rows(project, document_id, text, found, lemmas)
            project.conn.execute(
                "UPDATE documents SET language_pending = 0 WHERE id = ?", (document_id,)
            )
        return True
    return False


def _state(project: Project, document_id: str) -> tuple[str, list[tuple[int, int]]] | None:
    """A waiting document's text and sentence-bearing spans (in import order), else None."""
    if not project.scalar("SELECT language_pending FROM documents WHERE id = ?", (document_id,)):
        return None
    text = project.scalar("SELECT text FROM document_texts WHERE document_id = ?", (document_id,))
    if text is None:
        return None
    rows = project.conn.execute(
        f"SELECT start, end FROM segments WHERE document_id = ? AND kind IN ({marks(SENTENCE_PARENTS)})"
        " ORDER BY start, kind",
        (document_id, *SENTENCE_PARENTS),
    ).fetchall()
    return text, [(a, b) for a, b in rows]
