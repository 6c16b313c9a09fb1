"""The rows a revision carries: one per coding or mention, with its old and new span."""

from __future__ import annotations

from collections import Counter
from typing import Any

from casebook.store.project import Project
from casebook.versions.align import Carried

OUTCOMES = ("same", "edited", "partial", "lost")


def revision_item(
    kind: str, target: str, start: int, end: int, quote: str, c: Carried, new_text: str
) -> dict[str, Any]:
    return {
        "kind": kind,
        "target_id": target,
        "outcome": c.outcome,
        "old_start": start,
        "old_end": end,
        "old_quote": quote,
        "new_start": c.start,
        "new_end": c.end,
        "new_quote": None if c.start is None else new_text[c.start : c.end],
        "row": None,
    }


def coding_bundle(project: Project, coding: dict[str, Any]) -> dict[str, Any]:
    return {
        "coding": coding,
        "framework_links": project.query(
            "SELECT * FROM framework_links WHERE coding_id = ?", (coding["id"],)
        ),
        "coding_partners": project.query(
            "SELECT * FROM coding_partners WHERE coding_id = ?", (coding["id"],)
        ),
    }


def count_outcomes(items: list[dict[str, Any]]) -> dict[str, int]:
    c = Counter(i["outcome"] for i in items)
    return {o: c.get(o, 0) for o in OUTCOMES}


def insert_items(project: Project, rid: str, items: list[dict[str, Any]], via: str) -> None:
    project.conn.executemany(
        "INSERT INTO revision_items (revision_id, kind, target_id, outcome, old_start, old_end, old_quote,"
        " new_start, new_end, new_quote, row, via, review) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                rid,
                i["kind"],
                i["target_id"],
                i["outcome"],
                i["old_start"],
                i["old_end"],
                i["old_quote"],
                i["new_start"],
                i["new_end"],
                i["new_quote"],
                i["row"],
                via,
                "accepted" if i["outcome"] == "same" else "open",
            )
            for i in items
        ],
    )
