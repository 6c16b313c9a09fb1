"""Region summaries: step one of the cross-case analysis, one editable text per case.

The analysis combines a region's interviews into a summary before reading
across regions. casebook prefills it from the region's coded passages,
structured by the theme tree (per theme: which documents and roles, the
strongest quotes), and the analyst rewrites it. A sentence keeps its
evidence by carrying a reference like ``[#1a2b3c4d]`` (the start of a
coding id); saving resolves the references into links, so the summary can
list its evidence and notice a reference whose coding is gone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from casebook.core.cases import resolve_case
from casebook.core.query import Sql, fetch_passages, marks
from casebook.errors import InvalidInput
from casebook.store.project import Project, now
from casebook.synthesis.chapter import choose_quotes
from casebook.synthesis.codesets import code_columns
from casebook.synthesis.matrix import MatrixSpec, build_matrix, matrix_passages

REF = re.compile(r"\[#([0-9a-f]{6,36})\]")
REF_LENGTH = 8


@dataclass
class Summary:
    case_id: str
    case: str
    text: str
    modified_at: str | None
    links: list[dict[str, Any]] = field(default_factory=list)  # passages
    broken: list[str] = field(default_factory=list)  # references that match no coding

    def as_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "text": self.text,
            "modified_at": self.modified_at,
            "links": [
                {k: p[k] for k in ("coding_id", "document", "role", "code", "quote")}
                for p in self.links
            ],
            "broken": self.broken,
        }


def ref(coding_id: str) -> str:
    return f"[#{coding_id[:REF_LENGTH]}]"


def prefill(
    project: Project, case_ref: str, themes: list[str] | None = None, *, per_theme: int = 3
) -> str:
    """The first draft: per theme (top level by default) the sources and the strongest quotes."""
    case = resolve_case(project, case_ref)
    columns = code_columns(project, themes or ["*"])
    codes = [c.key for c in columns]
    m = build_matrix(
        project, MatrixSpec("case", "code", "segments", codes, None, True, [f"case={case['name']}"])
    )
    by_theme: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in matrix_passages(project, m.plan):
        by_theme[p["col_key"]].append(p)
    labels = {
        r["id"]: r["label"] or r["path"]
        for r in project.query(
            f"SELECT id, path, label FROM codes WHERE id IN ({marks(codes)})", codes
        )
    }
    lines = [f"# Regiosamenvatting {case['name']}", ""]
    used: set[str] = set()
    empty: list[str] = []
    for col in columns:
        passages = by_theme.get(col.key, [])
        if not passages:
            empty.append(labels[col.key])
            continue
        lines.append(f"## {labels[col.key]}")
        docs = sorted({p["document"] for p in passages})
        roles = sorted({p["role"] or p["kind"] for p in passages})
        lines.append(
            f"Bronnen: {len(docs)} document{'en' if len(docs) != 1 else ''} "
            f"({', '.join(roles)}); {len(passages)} passage{'s' if len(passages) != 1 else ''}."
        )
        for q in choose_quotes(project, passages, used, most=per_theme, least=1):
            who = q.role or q.kind
            lines.append(f"- “{q.text}” ({who}) {ref(q.coding_id)}")
        lines += ["", "Samenvatting: …", ""]
    if empty:
        lines.append("Niet besproken in deze regio: " + ", ".join(empty) + ".")
    return "\n".join(lines).rstrip() + "\n"


def get_summary(project: Project, case_ref: str) -> Summary | None:
    case = resolve_case(project, case_ref)
    row = project.query_one(
        "SELECT text, modified_at FROM case_summaries WHERE case_id = ?", (case["id"],)
    )
    if row is None:
        return None
    summary = Summary(case["id"], case["name"], row["text"], row["modified_at"])
    linked = [
        r["coding_id"]
        for r in project.query(
            "SELECT coding_id FROM case_summary_links WHERE case_id = ?", (case["id"],)
        )
    ]
    if linked:
        q = Sql(where=[(f"k.id IN ({marks(linked)})", linked)])
        summary.links = fetch_passages(project, q)
    found = {p["coding_id"] for p in summary.links}
    summary.broken = [
        m
        for m in dict.fromkeys(REF.findall(row["text"]))
        if not any(cid.startswith(m) for cid in found)
    ]
    return summary


def save_summary(project: Project, case_ref: str, text: str) -> Summary:
    """Store the text and link every ``[#id]`` it names; unknown references are kept and reported."""
    case = resolve_case(project, case_ref)
    if not text.strip():
        raise InvalidInput(f"the summary of {case['name']} is empty; nothing saved")
    wanted = list(dict.fromkeys(REF.findall(text)))
    links: list[str] = []
    for prefix in wanted:
        rows = project.query(
            "SELECT k.id FROM codings k JOIN documents d ON d.id = k.document_id"
            " WHERE k.id LIKE ? AND d.case_id = ?",
            (prefix + "%", case["id"]),
        )
        if len(rows) == 1:
            links.append(rows[0]["id"])
    stamp = now()
    with project.transaction():
        before = project.query_one(
            "SELECT text FROM case_summaries WHERE case_id = ?", (case["id"],)
        )
        project.conn.execute(
            "INSERT INTO case_summaries (case_id, text, coder_id, created_at, modified_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(case_id) DO UPDATE SET text = excluded.text,"
            " coder_id = excluded.coder_id, modified_at = excluded.modified_at",
            (case["id"], text, project.coder_id(), stamp, stamp),
        )
        project.conn.execute("DELETE FROM case_summary_links WHERE case_id = ?", (case["id"],))
        project.conn.executemany(
            "INSERT OR IGNORE INTO case_summary_links (case_id, coding_id) VALUES (?, ?)",
            [(case["id"], cid) for cid in links],
        )
        project.audit(
            "update" if before else "add",
            "case_summary",
            case["id"],
            before={"text": before["text"]} if before else None,
            after={"links": len(links)},
        )
    summary = get_summary(project, case["id"])
    assert summary is not None
    return summary


def summary_or_prefill(
    project: Project, case_ref: str, themes: list[str] | None = None
) -> tuple[Summary, bool]:
    """The stored summary, or a new prefilled one stored now (True when it was just made)."""
    existing = get_summary(project, case_ref)
    if existing is not None:
        return existing, False
    return save_summary(project, case_ref, prefill(project, case_ref, themes)), True
