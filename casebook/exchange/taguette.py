"""The codebook as Taguette reads it: a CSV with ``tag`` and ``description`` columns.

Taguette imports codebooks only from CSV, by the header names it writes
itself (``tag``, ``description``, then counts). Its tags are hierarchical
by a dotted path, which is exactly a casebook code path, so a codebook
travels to Taguette and back (as Taguette's .qdc, see ``qde.unflatten``)
and lands on the same codes. The description is the code's label and
guidance, so Taguette users see the words, not only the path.
"""

from __future__ import annotations

import csv
from pathlib import Path

from casebook.codes.codebook import code_tree
from casebook.store.project import Project
from casebook.writers.files import open_for_writing

COLUMNS = ("tag", "description", "number of highlights", "number of documents")


def write_taguette_csv(project: Project, out: Path) -> int:
    """Write the codebook to ``out`` in Taguette's codebook CSV layout; returns the number of codes."""
    rows = code_tree(project)
    use = {
        r["code_id"]: r
        for r in project.query(
            "SELECT code_id, count(*) AS n, count(DISTINCT document_id) AS docs FROM codings GROUP BY code_id"
        )
    }
    fh = open_for_writing(out)
    with fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for r in rows:
            parts = [r["label"] or ""]
            if r["definition"]:
                parts.append(r["definition"])
            u = use.get(r["id"])
            writer.writerow(
                [
                    r["path"],
                    " — ".join(p for p in parts if p),
                    u["n"] if u else 0,
                    u["docs"] if u else 0,
                ]
            )
    return len(rows)
