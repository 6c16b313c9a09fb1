"""Network metrics per case and pooled, gathered into one comparison table.

Density and degree centralisation are computed over all of a case's
registry partners (isolates included): a region where half the signed-up
partners never appear in a collaboration should look sparse. Type order,
the type a pair table counts a type as (``counts_as``) and the lead type whose
organisation gets its own columns (``lead``; the STO defaults: the penvoerder,
counted as vmbo in pairs) come from the project's organisation types, so a
project with its own types gets its own columns.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

from casebook.errors import InvalidInput
from casebook.orgtypes import DEFAULT_TYPES, Vocabulary
from casebook.partners.graph import Filters, build_graph
from casebook.store.project import Project
from casebook.writers.sheets import finish_sheet

TABLE_FORMATS = (".csv", ".xlsx", ".docx", ".json")


def _types(g: Any) -> Vocabulary:
    types: Vocabulary = g.graph.get("org_types") or DEFAULT_TYPES
    return types.with_types(d["type"] for _, d in g.nodes(data=True))


def degree_centralisation(g: Any) -> float:
    """Freeman's degree centralisation: 1 for a star, 0 when every node has the same degree."""
    n = g.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = [d for _, d in g.degree()]
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def graph_metrics(g: Any, case: str) -> dict[str, Any]:
    import networkx as nx  # lazy: networkx: only when a graph is built

    n = g.number_of_nodes()
    types = _types(g)
    order = types.order()
    active = [v for v in g.nodes if g.degree(v) > 0]
    by_type = Counter(d["type"] for _, d in g.nodes(data=True))
    active_by_type = Counter(g.nodes[v]["type"] for v in active)
    pairs: Counter[str] = Counter()
    for a, b in g.edges:
        ta, tb = sorted(
            (types.counts_as(g.nodes[a]["type"]), types.counts_as(g.nodes[b]["type"])),
            key=lambda t: order.get(t, len(order)),
        )
        pairs[f"{ta}–{tb}"] += 1
    betweenness = nx.betweenness_centrality(g) if n > 2 else {v: 0.0 for v in g.nodes}
    penvoerders = [v for v, d in g.nodes(data=True) if d["type"] in types.lead_types]
    pen = max(penvoerders, key=lambda v: (g.degree(v), g.nodes[v]["label"]), default=None)
    valence: Counter[str] = Counter()
    for _, _, e in g.edges(data=True):
        valence.update(e["valence"])
    return {
        "case": case,
        "nodes": n,
        "edges": g.number_of_edges(),
        "active_nodes": len(active),
        "isolates": n - len(active),
        "density": round(nx.density(g), 4) if n > 1 else 0.0,
        "degree_centralisation": round(degree_centralisation(g), 4),
        "components": nx.number_connected_components(g.subgraph(active)) if active else 0,
        "partner_share": round(len(active) / n, 4) if n else 0.0,
        "passages": len({p for _, _, e in g.edges(data=True) for p in e["passages"]}),
        "penvoerder": g.nodes[pen]["label"] if pen else None,
        "penvoerder_degree": g.degree(pen) if pen else None,
        "penvoerder_betweenness": round(betweenness[pen], 4) if pen else None,
        "edges_positive": valence.get("positive", 0),
        "edges_negative": valence.get("negative", 0),
        "edges_mixed": valence.get("mixed", 0),
        "nodes_by_type": {t: by_type[t] for t in types.keys if by_type[t]},
        "active_by_type": {t: active_by_type[t] for t in types.keys if active_by_type[t]},
        "edges_by_pair": dict(sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def comparison(
    project: Project,
    filters: Filters | None = None,
    *,
    case_ids: list[str] | None = None,
    pooled: bool = True,
) -> list[dict[str, Any]]:
    """One row of metrics per case, plus a pooled row across them."""
    filters = filters or Filters()
    ids = case_ids or [
        r["id"]
        for r in project.query(
            "SELECT DISTINCT c.id, c.name FROM cases c JOIN organisations o ON o.case_id = c.id ORDER BY c.name"
        )
    ]
    rows = []
    for cid in ids:
        name = project.scalar("SELECT name FROM cases WHERE id = ?", (cid,))
        f = Filters(cid, filters.round, filters.role, filters.code, filters.proposed)
        rows.append(graph_metrics(build_graph(project, f), name))
    if pooled and len(ids) > 1:
        f = Filters(None, filters.round, filters.role, filters.code, filters.proposed)
        g = build_graph(project, f, pooled=True)
        if case_ids:
            keep = [
                v for v, d in g.nodes(data=True) if set(d["cases"]) & set(_names(project, case_ids))
            ]
            g = g.subgraph(keep).copy()
        rows.append(graph_metrics(g, "(pooled)"))
    return rows


def _names(project: Project, case_ids: list[str]) -> list[str]:
    return [project.scalar("SELECT name FROM cases WHERE id = ?", (c,)) for c in case_ids]


SCALAR_COLUMNS = (
    "case",
    "nodes",
    "edges",
    "active_nodes",
    "isolates",
    "density",
    "degree_centralisation",
    "components",
    "partner_share",
    "passages",
    "penvoerder",
    "penvoerder_degree",
    "penvoerder_betweenness",
    "edges_positive",
    "edges_negative",
    "edges_mixed",
)


def flatten(
    rows: list[dict[str, Any]], vocabulary: Vocabulary | None = None
) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and flat rows: nodes per type and edges per type pair become columns.

    Types come in the order of ``vocabulary`` (the project's types; default: the
    default vocabulary), types it lacks after them.
    """
    vocab = (vocabulary or DEFAULT_TYPES).with_types(t for r in rows for t in r["nodes_by_type"])
    order = vocab.order()
    types = [t for t in vocab.keys if any(t in r["nodes_by_type"] for r in rows)]
    pairs = sorted(
        {p for r in rows for p in r["edges_by_pair"]},
        key=lambda p: tuple(order.get(x, len(order)) for x in p.split("–")),
    )
    columns = [*SCALAR_COLUMNS, *(f"nodes {t}" for t in types), *(f"edges {p}" for p in pairs)]
    flat = []
    for r in rows:
        row = {c: r[c] for c in SCALAR_COLUMNS}
        row.update({f"nodes {t}": r["nodes_by_type"].get(t, 0) for t in types})
        row.update({f"edges {p}": r["edges_by_pair"].get(p, 0) for p in pairs})
        flat.append(row)
    return columns, flat


def write_table(
    rows: list[dict[str, Any]],
    path: Path,
    *,
    title: str = "Collaboration networks",
    vocabulary: Vocabulary | None = None,
) -> Path:
    ext = path.suffix.lower()
    if ext not in TABLE_FORMATS:
        raise InvalidInput(
            f"{path}: unknown table format '{ext or '(none)'}'; use {', '.join(TABLE_FORMATS)}"
        )
    if path.parent and not path.parent.exists():
        raise InvalidInput(f"{path}: folder {path.parent} does not exist; create it first")
    columns, flat = flatten(rows, vocabulary)
    if ext == ".json":
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    elif ext == ".csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writer.writerows(flat)
    elif ext == ".xlsx":
        from openpyxl import Workbook  # lazy: openpyxl: only for .xlsx output
        from openpyxl.styles import Font  # lazy: openpyxl: only for .xlsx output

        wb = Workbook()
        ws = wb.active
        ws.title = "networks"
        ws.append(columns)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in flat:
            ws.append([r[c] for c in columns])
        ws.freeze_panes = "B2"
        finish_sheet(ws)
        wb.save(path)
    else:
        _write_docx(columns, flat, path, title)
    return path


def _write_docx(columns: list[str], flat: list[dict[str, Any]], path: Path, title: str) -> None:
    """Cases as columns, metrics as rows: a report table stays readable with many metrics."""
    from docx import Document  # lazy: python-docx: only for .docx output
    from docx.shared import Pt  # lazy: python-docx: only for .docx output

    doc = Document()
    doc.add_heading(title, level=1)
    doc.add_paragraph(
        "Nodes are each case's registered partner organisations; an edge joins two organisations named in "
        "the same coded collaboration passage, weighted by the number of passages. Density and degree "
        "centralisation include partners without any collaboration."
    )
    table = doc.add_table(rows=1, cols=len(flat) + 1)
    table.style = "Light Grid Accent 1"
    table.rows[0].cells[0].text = "metric"
    for j, r in enumerate(flat, start=1):
        table.rows[0].cells[j].text = str(r["case"])
    for c in columns[1:]:
        cells = table.add_row().cells
        cells[0].text = c.replace("_", " ")
        for j, r in enumerate(flat, start=1):
            v = r[c]
            cells[j].text = "" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))
    for row in table.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(9)
    doc.save(str(path))
