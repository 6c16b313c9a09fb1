"""One case's report: attributes, material, framework-matrix row, network picture, key quotes.

The framework row and the network picture come from the synthesis and
partners modules when the project has them; a section with nothing to show
is left out (the reader gets no instructions to run commands). Key quotes
per theme are chosen to show several voices: quotes the analyst linked to a
framework cell come first, then one quote per respondent in turn, preferring
whole sentences of a readable length. A passage is shown once per report,
under the first theme that picks it, and the title page counts the quotes the
report really contains.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.codes.codebook import descendants, resolve_code
from casebook.core.cases import resolve_case, shown_attributes
from casebook.errors import CasebookError, InvalidInput
from casebook.partners.draw import draw_graph
from casebook.partners.graph import Filters, build_graph
from casebook.privacy.policy import Privacy, PrivacyOptions, build_privacy
from casebook.reports.export import ExportResult, check_privacy_flags, finish_private_export
from casebook.reports.labels import Labels
from casebook.reports.quotebank import Quote, QuoteOptions, QuoteQuery, build_quote_bank, count_line
from casebook.store.project import Project
from casebook.synthesis.framework import framework_grid, get_framework, list_frameworks
from casebook.writers.wordml import WordWriter, run

READABLE = (80, 450)


@dataclass
class CaseReportOptions:
    framework: str | None = None
    per_theme: int = 3
    themes: list[str] = field(default_factory=list)
    graph: bool = True
    language: str = "nl"
    title: str | None = None
    ids: bool = False


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
        QuoteOptions(language=options.language, fields=("role", "round"), ids=options.ids),
        privacy,
    )
    fw_rows = _framework_rows(project, case, privacy, options)
    fw_themes = list(dict.fromkeys(t for _fw, rows, _err in fw_rows for t, *_ in rows))
    chosen = _choose_key_quotes(project, bank.quotes, bank.codes, fw_themes, options)
    w = WordWriter(language=options.language)
    w.properties(
        title=options.title or f"{lb['case_report']} — {label}",
        author=_author(project),
        language=options.language,
    )
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
            [lb["material"], lb.count("documents_n", n_docs)],
            [lb["n_quotes"], str(sum(len(qs) for _t, qs, _n in chosen))],
            [lb["pseudonymised"], privacy.options.describe() or lb["no"]],
        ],
        widths=[1, 3],
        header=False,
        numeric_from=99,
    )
    w.page_break()
    w.toc(lb["contents"], lb["toc_note"])
    _attributes(w, project, case, privacy, lb)
    _framework(w, fw_rows, case, privacy, lb)
    if options.graph:
        _network(w, project, case, privacy, lb, label)
    _key_quotes(w, chosen, bank.codes, lb, options)
    w.save(out)
    result = ExportResult(out, _quote_count(w), notes=list(privacy.notes))
    finish_private_export(project, out, privacy, result, key=key, strict=strict)
    return result


def _quote_count(w: WordWriter) -> int:
    return sum(1 for p in w.parts if '<w:pStyle w:val="Quote"/>' in p)


def _attributes(
    w: WordWriter, project: Project, case: dict[str, Any], privacy: Privacy, lb: Labels
) -> None:
    w.heading(1, lb["attributes"], page_break_before=True)

    attrs = shown_attributes(project, case["id"], lb.language)
    if attrs:
        w.table(
            [
                [lb["attribute"], lb["value"]],
                *[[name, privacy.text(value)] for name, value in attrs],
            ],
            widths=[1, 2],
            numeric_from=1,
        )
    w.heading(2, lb["material"])
    docs = project.query(
        "SELECT d.name, d.kind, d.round, d.role, (SELECT count(*) FROM codings k WHERE k.document_id = d.id) AS n"
        " FROM documents d WHERE d.case_id = ? ORDER BY d.round, d.kind, d.name",
        (case["id"],),
    )
    header = [
        lb["col_document"],
        lb["col_kind"],
        lb["col_round"],
        lb["col_role"],
        lb["col_codings"],
    ]
    rows = [
        [
            privacy.document(d["name"], lb.kind(d["kind"])),
            lb.kind(d["kind"]),
            d["round"] or "",
            lb.role(d["role"]) or "",
            d["n"],
        ]
        for d in docs
    ]
    w.table([header, *rows], widths=[3, 2, 1, 2, 1], numeric_from=4)


def _framework_rows(
    project: Project, case: dict[str, Any], privacy: Privacy, options: CaseReportOptions
) -> list[tuple[Any, list[tuple[str, str, str, int]], str | None]]:
    """Per framework: (framework, [(theme code id, label, summary, passages)], error)."""
    refs = [options.framework] if options.framework else [f["id"] for f in list_frameworks(project)]
    out: list[tuple[Any, list[tuple[str, str, str, int]], str | None]] = []
    for ref in refs:
        fw = get_framework(project, ref)
        try:
            grid = framework_grid(project, fw)
        except CasebookError as exc:
            out.append((fw, [], str(exc)))
            continue
        rows = []
        for t in grid.themes:
            cell = grid.cells.get((case["id"], t.code_id))
            if cell is None:
                continue
            summary = cell.summary if cell.stored else ""
            rows.append(
                (t.code_id, t.label or t.path, privacy.text(summary.strip()), len(cell.passages))
            )
        out.append((fw, rows, None))
    return out


def _framework(
    w: WordWriter,
    fw_rows: list[tuple[Any, list[tuple[str, str, str, int]], str | None]],
    case: dict[str, Any],
    privacy: Privacy,
    lb: Labels,
) -> None:
    """The case's row of each framework matrix; left out when the project has no framework."""
    if not fw_rows:
        return
    w.heading(1, lb["framework"], page_break_before=True)
    for fw, rows, error in fw_rows:
        w.heading(2, fw.name)
        if error:
            w.paragraph(error, "ReportNote")
            continue
        if fw.description:
            w.paragraph(privacy.text(fw.description))
        if not rows:
            w.paragraph(f"{lb.case_title(privacy.case(case['name']))}: —", "ReportNote")
            continue
        w.table(
            [
                [lb["theme"], lb["summary"], lb["passages"]],
                *[[label, summary, n] for _t, label, summary, n in rows],
            ],
            widths=[2, 5, 1],
            numeric_from=2,
        )


def _author(project: Project) -> str:
    """The exporting team: the project's team name when set, else the project's name."""
    return project.get_meta("team") or project.get_meta("name") or project.path.stem


def _network(
    w: WordWriter, project: Project, case: dict[str, Any], privacy: Privacy, lb: Labels, label: str
) -> None:
    n_orgs = (
        project.scalar("SELECT count(*) FROM organisations WHERE case_id = ?", (case["id"],)) or 0
    )
    if not n_orgs:
        return  # no partner registry for this case: nothing to draw, and nothing to tell the reader
    w.heading(1, lb["network"], page_break_before=True)
    g = build_graph(project, Filters(case_id=case["id"]))
    proposed = False
    if g.number_of_edges() == 0:
        # No partners confirmed yet: draw the partners proposed from mentions, and say so in the caption.
        g = build_graph(project, Filters(case_id=case["id"], proposed=True))
        proposed = True
    if privacy.options.organisations:
        numbers: dict[str, int] = defaultdict(int)
        for _node, data in sorted(
            g.nodes(data=True), key=lambda nd: (nd[1]["type"], nd[1]["label"])
        ):
            numbers[data["type"]] += 1
            data["label"] = (
                f"{lb.org_type(data['type'], g.graph.get('org_types'))} {numbers[data['type']]}"
            )
    with tempfile.TemporaryDirectory(prefix="casebook-graph-") as tmp:
        png = Path(tmp) / "network.png"
        draw_graph(
            g, png, title=f"{lb['network']} — {label}", language=lb.language, proposed=proposed
        )
        w.picture(png, 16.0)
    w.paragraph(lb["network_caption_proposed" if proposed else "network_caption"], "Caption")


def pick_key_quotes(quotes: list[Quote], n: int, preferred: set[str] | None = None) -> list[Quote]:
    """Up to n quotes: linked ones first, then a readable whole-sentence quote from each respondent in turn."""
    preferred = preferred or set()

    def score(q: Quote) -> tuple[int, int, int, int]:
        linked = 0 if preferred.intersection(q.coding_ids) else 1
        cut = 1 if "[…]" in q.text else 0
        readable = 0 if READABLE[0] <= len(q.text) <= READABLE[1] else 1
        return (linked, cut, readable, -min(len(q.text), READABLE[1]))

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


def _choose_key_quotes(
    project: Project,
    quotes: list[Quote],
    codes: dict[str, Any],
    fw_themes: list[str],
    options: CaseReportOptions,
) -> list[tuple[str, list[Quote], int]]:
    """(theme code id, key quotes, quotes of the theme) per theme; a passage is used once per report."""
    if options.themes:
        theme_ids = [resolve_code(project, t)["id"] for t in options.themes]
    elif fw_themes:
        theme_ids = fw_themes
    else:
        theme_ids = [c.id for c in sorted(codes.values(), key=lambda c: c.order) if c.depth == 0]
    linked = (
        {r["coding_id"] for r in project.query("SELECT coding_id FROM framework_links")}
        if _has_table(project, "framework_links")
        else set()
    )
    used: list[tuple[str, int, int]] = []
    out = []
    for tid in theme_ids:
        members = set(descendants(project, tid))
        mine = [q for q in quotes if q.code_id in members]
        fresh = [q for q in mine if not _overlaps_used(q, used)]
        picked = pick_key_quotes(fresh, options.per_theme, linked)
        used += [(q.document_id, q.start, q.end) for q in picked]
        if picked:
            out.append((tid, picked, len(mine)))
    return out


def _overlaps_used(q: Quote, used: list[tuple[str, int, int]]) -> bool:
    return any(doc == q.document_id and a < q.end and q.start < b for doc, a, b in used)


def _key_quotes(
    w: WordWriter,
    chosen: list[tuple[str, list[Quote], int]],
    codes: dict[str, Any],
    lb: Labels,
    options: CaseReportOptions,
) -> None:
    w.heading(1, lb["key_quotes"], page_break_before=True)
    for tid, picked, _total in chosen:
        w.heading(2, codes[tid].title_with(options.ids))
        w.paragraph(count_line(lb, picked, with_cases=False), "QuoteCount")
        for q in picked:
            w.paragraph(run(f"“{q.text}”"), "Quote", raw=True)
            w.paragraph(q.attribution, "QuoteAttribution")
    if not chosen:
        w.paragraph(lb["empty"], "ReportNote")


def _has_table(project: Project, name: str) -> bool:
    return bool(
        project.scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        )
    )
