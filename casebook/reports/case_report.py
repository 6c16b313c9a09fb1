"""One case's report: attributes, material, framework-matrix row, network picture, key quotes.

The framework row and the network picture come from the synthesis and
partners modules when the project has them; when it has none, the section
says so instead of silently disappearing. Key quotes per theme are chosen
to show several voices: quotes the analyst linked to a framework cell come
first, then one quote per respondent in turn, preferring quotes of a
readable length.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.errors import CasebookError, InvalidInput
from casebook.privacy.policy import Privacy, PrivacyOptions, build_privacy
from casebook.reports.export import ExportResult, check_privacy_flags, finish_private_export
from casebook.reports.labels import Labels
from casebook.reports.quotebank import Quote, QuoteOptions, QuoteQuery, build_quote_bank, count_line
from casebook.reports.wordml import WordWriter, run
from casebook.store.project import Project

READABLE = (80, 450)


@dataclass
class CaseReportOptions:
    framework: str | None = None
    per_theme: int = 3
    themes: list[str] = field(default_factory=list)
    graph: bool = True
    language: str = "nl"
    title: str | None = None


def export_case_report(
    project: Project,
    case_ref: str,
    out: Path,
    options: CaseReportOptions | None = None,
    privacy_options: PrivacyOptions | None = None,
    *,
    key: Path | None = None,
    strict: bool = False,
) -> ExportResult:
    from casebook.cases import resolve_case

    options = options or CaseReportOptions()
    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise InvalidInput(f"{out}: a case report is a Word file; give a name ending in .docx")
    if not out.parent.exists():
        raise InvalidInput(f"{out}: folder {out.parent} does not exist; create it first")
    if options.per_theme < 1:
        raise InvalidInput("--per-theme must be at least 1")
    case = resolve_case(project, case_ref)
    privacy_options = privacy_options or PrivacyOptions(language=options.language)
    privacy_options.language = options.language
    check_privacy_flags(privacy_options, key=key, strict=strict)
    privacy = build_privacy(project, privacy_options)
    lb = Labels(options.language)
    label = lb.case_title(privacy.case(case["name"]))
    bank = build_quote_bank(
        project,
        QuoteQuery(cases=[case["id"]]),
        QuoteOptions(language=options.language, fields=("role", "round")),
        privacy,
    )
    w = WordWriter(language=options.language)
    name = privacy.text(project.get_meta("name") or project.path.stem)
    title = options.title or f"{lb['case_report']} — {label}"
    w.heading(0, title, toc=False)
    w.paragraph(lb.date(), "Subtitle")
    n_docs = project.scalar("SELECT count(*) FROM documents WHERE case_id = ?", (case["id"],))
    w.table(
        [
            [lb["project"], name],
            [lb["date"], lb.date()],
            [lb.case_word.capitalize(), label],
            [lb["material"], lb.count_plain("n_documents", n_docs)],
            [lb["n_quotes"], str(len(bank.quotes))],
            [lb["pseudonymised"], privacy.options.describe() or lb["no"]],
        ],
        widths=[3000, 6000],
        header=False,
        numeric_from=99,
    )
    w.page_break()
    w.toc(lb["contents"], lb["toc_note"])
    _attributes(w, project, case, privacy, lb)
    fw_themes = _framework(w, project, case, privacy, lb, options)
    if options.graph:
        _network(w, project, case, privacy, lb, label)
    _key_quotes(w, project, bank.quotes, bank.codes, fw_themes, lb, options)
    w.save(out)
    result = ExportResult(out, _quote_count(w), notes=list(privacy.notes))
    finish_private_export(project, out, privacy, result, key=key, strict=strict)
    return result


def _quote_count(w: WordWriter) -> int:
    return sum(1 for p in w.parts if '<w:pStyle w:val="Quote"/>' in p)


def _attributes(w: WordWriter, project: Project, case: dict[str, Any], privacy: Privacy, lb: Labels) -> None:
    w.heading(1, lb["attributes"], page_break_before=True)
    attrs = project.query(
        "SELECT coalesce(a.label, a.name) AS name, ca.value FROM case_attributes ca"
        " JOIN attributes a ON a.id = ca.attribute_id WHERE ca.case_id = ? ORDER BY a.name",
        (case["id"],),
    )
    if attrs:
        w.table([[lb["attribute"], lb["value"]], *[[a["name"], privacy.text(a["value"])] for a in attrs]],
                widths=[3000, 6000], numeric_from=99)
    w.heading(2, lb["material"])
    docs = project.query(
        "SELECT d.name, d.kind, d.round, d.role, (SELECT count(*) FROM codings k WHERE k.document_id = d.id) AS n"
        " FROM documents d WHERE d.case_id = ? ORDER BY d.round, d.kind, d.name",
        (case["id"],),
    )
    header = [lb["col_document"], lb["col_kind"], lb["col_round"], lb["col_role"], lb["col_codings"]]
    rows = [
        [privacy.document(d["name"], lb.kind(d["kind"])), lb.kind(d["kind"]), d["round"] or "",
         lb.role(d["role"]) or "", d["n"]]
        for d in docs
    ]
    w.table([header, *rows], widths=[2500, 2200, 900, 2300, 1100], numeric_from=4)


def _framework(
    w: WordWriter, project: Project, case: dict[str, Any], privacy: Privacy, lb: Labels, options: CaseReportOptions
) -> list[str]:
    """The case's row of each framework matrix; returns the theme code ids for the key quotes."""
    w.heading(1, lb["framework"], page_break_before=True)
    try:
        from casebook.synthesis.framework import framework_grid, get_framework, list_frameworks
    except ImportError:
        w.paragraph(lb["framework_missing"], "ReportNote")
        return []
    refs = [options.framework] if options.framework else [f["id"] for f in list_frameworks(project)]
    if not refs:
        w.paragraph(lb["framework_missing"], "ReportNote")
        return []
    themes: list[str] = []
    for ref in refs:
        fw = get_framework(project, ref)
        try:
            grid = framework_grid(project, fw)
        except CasebookError as exc:
            w.heading(2, fw.name)
            w.paragraph(str(exc), "ReportNote")
            continue
        w.heading(2, fw.name)
        if fw.description:
            w.paragraph(privacy.text(fw.description))
        rows = [[lb["theme"], lb["summary"], lb["passages"]]]
        for t in grid.themes:
            cell = grid.cells.get((case["id"], t.code_id))
            if cell is None:
                continue
            summary = cell.summary if cell.stored else ""
            rows.append([t.label or t.path, privacy.text(summary.strip()), len(cell.passages)])
            themes.append(t.code_id)
        if len(rows) == 1:
            w.paragraph(f"{lb.case_title(privacy.case(case['name']))}: —", "ReportNote")
            continue
        w.table(rows, widths=[2400, 5700, 900], numeric_from=2)
    return list(dict.fromkeys(themes))


def _network(w: WordWriter, project: Project, case: dict[str, Any], privacy: Privacy, lb: Labels, label: str) -> None:
    w.heading(1, lb["network"], page_break_before=True)
    try:
        from casebook.partners import ORG_TYPES
        from casebook.partners.draw import draw_graph
        from casebook.partners.graph import Filters, build_graph
    except ImportError:
        w.paragraph(lb["network_missing"], "ReportNote")
        return
    n_orgs = project.scalar("SELECT count(*) FROM organisations WHERE case_id = ?", (case["id"],)) or 0
    if not n_orgs:
        w.paragraph(lb["network_missing"], "ReportNote")
        return
    g = build_graph(project, Filters(case_id=case["id"]))
    if g.number_of_edges() == 0:
        # No partners confirmed yet: show the partners proposed from mentions, and say so.
        g = build_graph(project, Filters(case_id=case["id"], proposed=True))
    if privacy.options.organisations:
        numbers: dict[str, int] = defaultdict(int)
        for _node, data in sorted(g.nodes(data=True), key=lambda nd: (nd[1]["type"], nd[1]["label"])):
            numbers[data["type"]] += 1
            data["label"] = f"{ORG_TYPES.get(data['type'], data['type'])} {numbers[data['type']]}"
    g.graph["filters"] = ""
    with tempfile.TemporaryDirectory(prefix="casebook-graph-") as tmp:
        png = Path(tmp) / "network.png"
        draw_graph(g, png, title=f"{lb['network']} — {label}", print_width_cm=16.0)
        w.picture(png, 16.0)
    w.paragraph(lb["network_caption"], "Caption")


def pick_key_quotes(quotes: list[Quote], n: int, preferred: set[str] | None = None) -> list[Quote]:
    """Up to n quotes: linked ones first, then a readable quote from each respondent in turn."""
    preferred = preferred or set()

    def score(q: Quote) -> tuple[int, int, int]:
        linked = 0 if preferred.intersection(q.coding_ids) else 1
        readable = 0 if READABLE[0] <= len(q.text) <= READABLE[1] else 1
        return (linked, readable, -min(len(q.text), READABLE[1]))

    by_voice: dict[str, list[Quote]] = defaultdict(list)
    for q in sorted(quotes, key=score):
        by_voice[q.respondent or q.document_id].append(q)
    voices = sorted(by_voice.values(), key=lambda qs: score(qs[0]))
    out: list[Quote] = []
    while len(out) < n and any(voices):
        for qs in voices:
            if qs and len(out) < n:
                out.append(qs.pop(0))
    return out


def _key_quotes(
    w: WordWriter,
    project: Project,
    quotes: list[Quote],
    codes: dict[str, Any],
    fw_themes: list[str],
    lb: Labels,
    options: CaseReportOptions,
) -> None:
    from casebook.codes.codebook import descendants, resolve_code

    w.heading(1, lb["key_quotes"], page_break_before=True)
    if options.themes:
        theme_ids = [resolve_code(project, t)["id"] for t in options.themes]
    elif fw_themes:
        theme_ids = fw_themes
    else:
        theme_ids = [c.id for c in sorted(codes.values(), key=lambda c: c.order) if c.depth == 0]
    linked = {
        r["coding_id"] for r in project.query("SELECT coding_id FROM framework_links")
    } if _has_table(project, "framework_links") else set()
    shown = 0
    for tid in theme_ids:
        members = set(descendants(project, tid))
        mine = [q for q in quotes if q.code_id in members]
        if not mine:
            continue
        info = codes[tid]
        w.heading(2, info.title)
        w.paragraph(count_line(lb, mine, with_cases=False), "QuoteCount")
        for q in pick_key_quotes(mine, options.per_theme, linked):
            w.paragraph(run(f"“{q.text}”"), "Quote", raw=True)
            w.paragraph(q.attribution, "QuoteAttribution")
            shown += 1
    if not shown:
        w.paragraph(lb["empty"], "ReportNote")


def _has_table(project: Project, name: str) -> bool:
    return bool(project.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)))
