"""Carrying spans made on an older version through later revisions (team merge)."""

from __future__ import annotations

from typing import Any

from casebook.store.project import Project
from casebook.versions.align import Alignment, Carried
from casebook.versions.items import OUTCOMES, insert_items, revision_item

# --- carrying spans made on an older version (merge) -----------------------------------------


class VersionChain:
    """The revisions from one earlier version of a document to its current one, aligned once."""

    def __init__(self, project: Project, document_id: str, version: int) -> None:
        self.steps: list[tuple[str, Alignment]] = []
        current = project.scalar("SELECT version FROM documents WHERE id = ?", (document_id,))
        for v in range(version, current):
            rev = project.query_one(
                "SELECT id, method FROM revisions WHERE document_id = ? AND to_version = ? AND undone = 0",
                (document_id, v + 1),
            )
            old, new = (
                project.scalar(
                    "SELECT text FROM document_versions WHERE document_id = ? AND version = ?",
                    (document_id, n),
                )
                for n in (v, v + 1)
            )
            assert rev is not None and old is not None and new is not None
            self.steps.append((rev["id"], Alignment(old, new, rev["method"])))

    def carry(
        self, start: int, end: int, quote: str, kind: str, target_id: str
    ) -> tuple[Carried, list[dict]]:
        """The span through every revision; the worst outcome on the way is its outcome.

        Returns the outcome and one review item per revision passed, so undoing
        a revision moves what a merge brought in as well.
        """
        rank = {o: n for n, o in enumerate(OUTCOMES)}
        outcome = "same"
        items = []
        for rid, al in self.steps:
            c = al.carry(start, end)
            item = revision_item(kind, target_id, start, end, quote, c, al.new)
            item["revision_id"] = rid
            items.append(item)
            if c.outcome == "lost":
                return c, items
            outcome = max(outcome, c.outcome, key=rank.__getitem__)
            start, end, quote = c.start, c.end, al.new[c.start : c.end]  # type: ignore[assignment,index]
        return Carried(outcome, start, end), items


def record_merged(
    project: Project, items: list[dict[str, Any]], source: str, row: str | None = None
) -> None:
    """Codings a merge carried through versions are listed with each revision, marked with their file."""
    for item in items:
        if item["outcome"] == "lost":
            item["row"] = row
        insert_items(project, item["revision_id"], [item], f"merge:{source}")
