"""The codebook as a Word document: one heading per code in tree order, with its rules and use.

Richer than ``codes.io``'s plain export: a title page, a table of contents,
definition / when to use / when not to use, the example in Word's Quote
style, and how often the code is used (codings, documents, cases).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from casebook.codes.codebook import code_tree
from casebook.reports.labels import Labels
from casebook.store.project import Project
from casebook.writers.wordml import WordWriter, run


def write_codebook_docx(
    project: Project,
    path: Path,
    *,
    language: str = "nl",
    title: str | None = None,
    ids: bool = False,
) -> int:
    """Headings are code labels (ids only with ``ids``); unused codes are listed once, at the end."""
    lb = Labels(language)
    rows = code_tree(project)
    use = {
        r["code_id"]: r
        for r in project.query(
            "SELECT k.code_id, count(*) AS n, count(DISTINCT k.document_id) AS docs,"
            " count(DISTINCT d.case_id) AS cases FROM codings k JOIN documents d ON d.id = k.document_id"
            " GROUP BY k.code_id"
        )
    }
    name = project.get_meta("name") or project.path.stem
    heading_title = title or f"{lb['codebook']} — {name}"
    w = WordWriter(language=language)
    w.properties(title=heading_title, author=project.get_meta("team") or name, language=language)
    w.heading(0, heading_title, toc=False)
    w.paragraph(lb.date(), "Subtitle")
    w.paragraph(f"{lb.count('codes_n', len(rows))}. {lb['codebook_note']}", "ReportNote")
    w.page_break()
    w.toc(lb["contents"], lb["toc_note"])
    unused: list[str] = []
    shown = _label_references(rows) if not ids else (lambda text: text)
    for i, r in enumerate(rows):
        level = min(r["depth"] + 1, 3)
        label = r["label"] or r["path"]
        heading = f"{r['label']} ({r['path']})" if ids and r["label"] else label
        w.heading(level, heading, page_break_before=i == 0 or (r["depth"] == 0 and i > 0))
        for key in ("definition", "when_to_use", "when_not_to_use"):
            if r[key]:
                w.paragraph(run(f"{lb[key]}: ", bold=True) + run(shown(r[key])), None, raw=True)
        if r["example"]:
            w.paragraph(run(f"{lb['example']}:", bold=True), None, raw=True, keep_next=True)
            w.paragraph(f"“{r['example']}”", "Quote")
        u = use.get(r["id"])
        extra = f" · {r['shortcut']}" if r["shortcut"] else ""
        if u:
            counts = (
                f"{lb.count('codings_n', u['n'])} {lb.count('in_documents_n', u['docs'])}, "
                f"{lb.count('regions_n', u['cases'])}"
            )
            w.paragraph(f"{lb['counts']}: {counts}{extra}", "QuoteCount")
        else:
            unused.append(label)
            if extra:
                w.paragraph(extra.lstrip(" ·"), "QuoteCount")
    if unused:
        w.heading(1, lb["unused_codes"], page_break_before=True)
        w.paragraph(f"{lb.count('codes_n', len(unused))}. {lb['unused_note']}", "ReportNote")
        w.paragraph(", ".join(unused) + ".")
    w.save(path)
    return len(rows)


def _label_references(rows: list[dict]) -> Callable[[str], str]:
    """Rules that name another code by id ("use BEL.TIJD") name it by its label in the reader's copy."""
    labels = {r["path"]: r["label"] for r in rows if r["label"]}
    if not labels:
        return lambda text: text
    pattern = re.compile(
        r"(?<![\w.])("
        + "|".join(re.escape(p) for p in sorted(labels, key=len, reverse=True))
        + r")(?![\w])"
    )
    return lambda text: pattern.sub(lambda m: f"‘{labels[m.group(1)]}’", text)
