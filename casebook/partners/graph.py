"""Collaboration graphs from linked passages (networkx).

A *passage* is a stretch of a document covered by overlapping collaboration
codings (a dyad code and its form codes are usually coded on the same words;
which codes these are is a codebook property, see
``casebook.codes.collaboration``), so one passage counts once in an edge's
weight however many codes it has. Its organisations are the union of its
codings' links; with ``proposed`` a coding without confirmed links
contributes its proposal instead. A passage with a dyad code connects the
speaker's organisation with each partner it names (a school telling about
its two companies does not make the companies partners of each other);
otherwise, and when the speaker's organisation is not among the partners,
each pair of its organisations is an edge.

Per case, nodes are the case's registry organisations (isolates included, so
density and the share of partners in any collaboration mean something).
Pooled across cases, organisations with the same name in several cases (an
ROC that partners in three regions) become one node.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from casebook.codes.collaboration import CodeRole, code_roles
from casebook.core.filters import PassageFilter
from casebook.core.query import Where, marks
from casebook.errors import InvalidInput
from casebook.partners.draw import draw_graph
from casebook.partners.links import (
    CaseContext,
    case_context,
    collaboration_where,
    passage_valence,
    propose_partners,
)
from casebook.partners.storage import detect_case, speaker_spans
from casebook.store.orgtypes import project_types
from casebook.store.project import Project

GRAPH_FORMATS = (".graphml", ".gexf", ".png", ".svg", ".json")


@dataclass
class Filters:
    """A graph's options: which passages (as a ``PassageFilter``, see ``passage_filter``),
    a code whose subtree a merged passage must touch, and whether to propose partners."""

    case_id: str | None = None
    round: str | None = None
    role: str | None = None
    code: str | None = None
    proposed: bool = False

    def describe(self) -> str:
        parts = [
            f"round {self.round}" if self.round else "",
            f"role {self.role}" if self.role else "",
            f"code {self.code}" if self.code else "",
            "unconfirmed partners proposed from mentions" if self.proposed else "",
        ]
        return ", ".join(p for p in parts if p) or "all passages"

    def passage_filter(self) -> PassageFilter:
        """Case, round and (document) role as the shared filter model."""
        return PassageFilter(
            case_ids=[self.case_id] if self.case_id else [],
            rounds=[self.round] if self.round else [],
            document_roles=[self.role.lower()] if self.role else [],
        )


@dataclass
class Passage:
    id: str
    document_id: str
    document: str
    case_id: str
    case: str
    start: int
    end: int
    respondent: str
    codes: list[str] = field(default_factory=list)
    coding_ids: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    proposed: bool = False
    valence: str | None = None
    valence_codes: list[str] = field(default_factory=list)
    kinds: dict[str, str | None] = field(default_factory=dict)  # code path → dyad | form | None
    speaker_org: str | None = None  # the organisation of who speaks at the passage

    @property
    def forms(self) -> list[str]:
        return [c for c in self.codes if self.kinds.get(c) == "form"]

    @property
    def dyads(self) -> list[str]:
        return [c for c in self.codes if self.kinds.get(c) == "dyad"]

    def pairs(self, partners: list[str]) -> list[tuple[str, str]]:
        """The organisation pairs this passage connects (see the module docstring)."""

        ids = list(dict.fromkeys(partners))
        if self.dyads and self.speaker_org in ids and len(ids) > 1:
            return [(self.speaker_org, o) for o in ids if o != self.speaker_org]
        return list(combinations(ids, 2))


def _code_matches(path: str, code: str) -> bool:
    p, c = path.upper(), code.upper()
    return p == c or p.startswith(c + ".")


def collect_passages(project: Project, filters: Filters) -> list[Passage]:
    where = collaboration_where(project, within=True)
    where += filters.passage_filter().document_clauses()
    sql = (
        "SELECT k.id, k.document_id, k.start, k.end, x.path AS code, d.name AS document, d.case_id,"
        " c.name AS case_name, coalesce(nullif(d.respondent, ''), d.name) AS respondent"
        " FROM codings k JOIN codes x ON x.id = k.code_id JOIN documents d ON d.id = k.document_id"
        " JOIN cases c ON c.id = d.case_id"
    )
    rows = project.query(
        sql + where.sql() + " ORDER BY c.name, d.name, d.id, k.start, k.end", where.params
    )
    links: dict[str, list[str]] = {}
    for r in project.query("SELECT coding_id, organisation_id FROM coding_partners"):
        links.setdefault(r["coding_id"], []).append(r["organisation_id"])
    passages: list[Passage] = []
    current: Passage | None = None
    for r in rows:
        if current is None or r["document_id"] != current.document_id or r["start"] >= current.end:
            current = Passage(
                r["id"],
                r["document_id"],
                r["document"],
                r["case_id"],
                r["case_name"],
                r["start"],
                r["end"],
                r["respondent"],
            )
            passages.append(current)
        current.end = max(current.end, r["end"])
        current.codes.append(r["code"])
        current.coding_ids.append(r["id"])
    out: list[Passage] = []
    contexts: dict[str, CaseContext] = {}
    roles = code_roles(project)
    none = CodeRole(None, frozenset(), False)
    for p in passages:
        p.codes = sorted(set(p.codes))
        p.kinds = {c: roles.get(c.upper(), none).kind for c in p.codes}
        if filters.code and not any(_code_matches(c, filters.code) for c in p.codes):
            continue
        if p.case_id not in contexts:
            contexts[p.case_id] = case_context(project, p.case_id, detect=False)
        ctx = contexts[p.case_id]
        speakers = [
            s
            for s in speaker_spans(
                project, p.document_id, ctx.respondents.get(p.document_id), ctx.index
            )
            if s.start <= p.start < s.end
        ]
        p.speaker_org = speakers[0].organisation_id if speakers else None
        collab = [
            cid
            for cid, code in zip(p.coding_ids, _codes_of(project, p.coding_ids), strict=True)
            if roles.get(code.upper(), none).collaboration
        ]
        partners = [o for cid in collab for o in links.get(cid, [])]
        if not partners and filters.proposed:
            partners = [
                pr.organisation_id for cid in collab for pr in propose_partners(project, cid, ctx)
            ]
            p.proposed = bool(partners)
        p.partners = list(dict.fromkeys(partners))
        p.valence, p.valence_codes = passage_valence(project, p.document_id, p.start, p.end)
        out.append(p)
    return out


def _codes_of(project: Project, coding_ids: list[str]) -> list[str]:
    slots = marks(coding_ids)
    paths = {
        r["id"]: r["path"]
        for r in project.query(
            f"SELECT k.id, x.path FROM codings k JOIN codes x ON x.id = k.code_id WHERE k.id IN ({slots})",
            coding_ids,
        )
    }
    return [paths[c] for c in coding_ids]


def build_graph(
    project: Project, filters: Filters | None = None, *, pooled: bool = False, detect: bool = True
) -> Any:
    """The collaboration graph of one case (``filters.case_id``) or of all cases.

    Mentions are brought up to date first (``detect``), since node sizes count them.
    """
    import networkx as nx  # lazy: networkx: only when a graph is built

    filters = filters or Filters()
    if not pooled and not filters.case_id:
        raise InvalidInput(
            "a per-case graph needs a case; give --case NAME, or ask for the pooled graph"
        )
    case_sql = (
        "SELECT id, name FROM cases"
        + (" WHERE id = ?" if filters.case_id else "")
        + " ORDER BY name"
    )
    cases = project.query(case_sql, (filters.case_id,) if filters.case_id else ())
    types = project_types(project)
    g = nx.Graph(
        name="pooled" if pooled else (cases[0]["name"] if cases else ""),
        filters=filters.describe(),
        org_types=types,  # labels, order and colours for tables and legends
    )
    if detect:
        for case in cases:
            detect_case(project, case["id"])
    key_of: dict[str, str] = {}
    mention_counts = _mention_counts(project, filters)
    for case in cases:
        for o in project.query(
            "SELECT id, name, type FROM organisations WHERE case_id = ? ORDER BY name",
            (case["id"],),
        ):
            key = o["name"].casefold() if pooled else o["id"]
            key_of[o["id"]] = key
            if key not in g:
                g.add_node(
                    key,
                    label=o["name"],
                    type=o["type"],
                    type_label=types.label(o["type"]),
                    cases=[],
                    mentions=0,
                    ids=[],
                )
            node = g.nodes[key]
            node["cases"].append(case["name"])
            node["ids"].append(o["id"])
            node["mentions"] += mention_counts.get(o["id"], 0)
    for p in collect_passages(project, filters):
        pairs = {
            tuple(sorted((key_of[a], key_of[b])))
            for a, b in p.pairs([o for o in p.partners if o in key_of])
        }
        for a, b in sorted(pairs):
            if a == b:
                continue
            if not g.has_edge(a, b):
                g.add_edge(
                    a,
                    b,
                    weight=0,
                    forms=Counter(),
                    dyads=Counter(),
                    valence=Counter(),
                    respondents=set(),
                    passages=[],
                    spans=[],
                    cases=set(),
                    proposed=0,
                )
            e = g.edges[a, b]
            e["weight"] += 1
            e["forms"].update(p.forms)
            e["dyads"].update(p.dyads)
            e["valence"][p.valence or "none"] += 1
            e["respondents"].add(p.respondent)
            e["passages"].append(p.id)
            e["spans"].append(
                {
                    "document_id": p.document_id,
                    "document": p.document,
                    "start": p.start,
                    "end": p.end,
                    "codes": p.codes,
                    "valence": p.valence,
                    "proposed": p.proposed,
                }
            )
            e["cases"].add(p.case)
            e["proposed"] += int(p.proposed)
    return g


def _mention_counts(project: Project, filters: Filters) -> dict[str, int]:
    where = Where().add("m.organisation_id IS NOT NULL AND m.status IN ('auto', 'confirmed')")
    where += filters.passage_filter().document_clauses()
    sql = (
        "SELECT m.organisation_id, count(*) AS n FROM mentions m JOIN documents d ON d.id = m.document_id"
        + where.sql()
    )
    params = where.params
    return {
        r["organisation_id"]: r["n"]
        for r in project.query(sql + " GROUP BY m.organisation_id", params)
    }


def edge_rows(g: Any) -> list[dict[str, Any]]:
    """The edge list as plain rows: for tables, JSON and the TUI."""
    rows = []
    for a, b, e in sorted(
        g.edges(data=True), key=lambda t: (-t[2]["weight"], g.nodes[t[0]]["label"])
    ):
        rows.append(
            {
                "source_key": a,
                "target_key": b,
                "source": g.nodes[a]["label"],
                "target": g.nodes[b]["label"],
                "source_type": g.nodes[a]["type"],
                "target_type": g.nodes[b]["type"],
                "weight": e["weight"],
                "forms": dict(e["forms"].most_common()),
                "dyads": dict(e["dyads"].most_common()),
                "positive": e["valence"].get("positive", 0),
                "negative": e["valence"].get("negative", 0),
                "mixed": e["valence"].get("mixed", 0),
                "respondents": sorted(e["respondents"]),
                "passages": list(e["passages"]),
                "spans": list(e["spans"]),
                "proposed": e["proposed"],
            }
        )
    return rows


def node_rows(g: Any) -> list[dict[str, Any]]:
    return sorted(
        (
            {
                "key": n,
                "ids": list(d["ids"]),
                "organisation": d["label"],
                "type": d["type"],
                "cases": d["cases"],
                "mentions": d["mentions"],
                "degree": g.degree(n),
                "weighted_degree": g.degree(n, weight="weight"),
            }
            for n, d in g.nodes(data=True)
        ),
        key=lambda r: (-r["degree"], -r["weighted_degree"], r["organisation"]),
    )


def _flat(g: Any) -> Any:
    """A copy with only scalar attributes, as GraphML and GEXF require."""
    import networkx as nx  # lazy: networkx: only when a graph is built

    h = nx.Graph(name=g.graph.get("name", ""), filters=g.graph.get("filters", ""))
    for n, d in g.nodes(data=True):
        h.add_node(
            n,
            label=d["label"],
            type=d["type"],
            type_label=d["type_label"],
            cases="; ".join(d["cases"]),
            mentions=int(d["mentions"]),
            degree=int(g.degree(n)),
        )
    for a, b, e in g.edges(data=True):
        h.add_edge(
            a,
            b,
            weight=int(e["weight"]),
            forms="; ".join(f"{k} ({v})" for k, v in e["forms"].most_common()),
            dyads="; ".join(f"{k} ({v})" for k, v in e["dyads"].most_common()),
            valence_positive=int(e["valence"].get("positive", 0)),
            valence_negative=int(e["valence"].get("negative", 0)),
            valence_mixed=int(e["valence"].get("mixed", 0)),
            respondents="; ".join(sorted(e["respondents"])),
            passages="; ".join(e["passages"]),
            cases="; ".join(sorted(e["cases"])),
            proposed=int(e["proposed"]),
        )
    return h


def write_graph(g: Any, path: Path, *, title: str | None = None, language: str = "nl") -> Path:
    """Write .graphml, .gexf (Gephi), .json (node-link), or draw .png/.svg."""
    import networkx as nx  # lazy: networkx: only when a graph is built

    ext = path.suffix.lower()
    if ext not in GRAPH_FORMATS:
        raise InvalidInput(
            f"{path}: unknown graph format '{ext or '(none)'}'; use {', '.join(GRAPH_FORMATS)}"
        )
    if path.parent and not path.parent.exists():
        raise InvalidInput(f"{path}: folder {path.parent} does not exist; create it first")
    if ext in (".png", ".svg"):
        draw_graph(g, path, title=title, language=language)
        return path
    flat = _flat(g)
    if ext == ".graphml":
        nx.write_graphml(flat, path)
    elif ext == ".gexf":
        nx.write_gexf(flat, path)
    else:
        data = nx.node_link_data(flat, edges="links")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
