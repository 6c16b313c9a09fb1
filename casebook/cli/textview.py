"""A plain-text rendering of a document for `casebook show` and for reading in a pager.

Turn labels, page markers and section headings come from the segments;
codings are listed under the paragraph where they start, so overlapping
codings stay readable without colour.
"""

from __future__ import annotations

from casebook.core.documents import document_text, segments_of
from casebook.core.retrieval import document_codings
from casebook.store.project import Project
from casebook.versions.revise import codings_on_version, version_text


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def render_document(
    project: Project, document_id: str, *, width: int = 100, version: int | None = None
) -> str:
    """The current text, or with ``version`` an earlier one with the codings as they stood on it."""
    if version is not None:
        text, segs = version_text(project, document_id, version)
        codings = codings_on_version(project, document_id, version)
    else:
        text = document_text(project, document_id)
        segs = segments_of(project, document_id)
        codings = document_codings(project, document_id)
    turns = {s["start"]: s for s in segs if s["kind"] == "turn"}
    pages = {s["start"]: s for s in segs if s["kind"] == "page"}
    paras = [s for s in segs if s["kind"] in ("paragraph", "table_row")]
    lines: list[str] = []
    ci = 0
    seen_pages: set[int] = set()
    for p in paras:
        for start, page in pages.items():
            if start <= p["start"] and start not in seen_pages:
                seen_pages.add(start)
                lines.append(f"──── page {page['label']} " + "─" * 20)
        turn = turns.get(p["start"])
        if turn:
            who = turn["label"] or "?"
            extra = [x for x in (turn["speaker_kind"], turn["role"], turn["organisation"]) if x]
            time = f" {_clock(turn['time'])}" if turn["time"] is not None else ""
            lines.append("")
            lines.append(f"[{who}]{time}  ({', '.join(extra)})" if extra else f"[{who}]{time}")
        body = text[p["start"] : p["end"]]
        if p["level"]:
            lines.append("")
            lines.append("#" * int(p["level"]) + " " + body)
        else:
            lines.append(body)
        while ci < len(codings) and codings[ci]["start"] < p["end"] + 1:
            c = codings[ci]
            quote = c["quote"].replace("\n", " ")
            if len(quote) > width - 30:
                quote = quote[: width - 31] + "…"
            lines.append(f"    ↳ {c['path']} ({c['coder']}, {c['start']}–{c['end']}): “{quote}”")
            ci += 1
    return "\n".join(lines).strip("\n") + "\n"
