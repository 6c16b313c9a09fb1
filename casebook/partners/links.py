"""Collaboration links: which organisations a collaboration coding involves.

A coding with a partner-dyad code (``SAM.VMBO_MBO`` …, not the quality codes
under ``SAM.Q``) or a collaboration-form code (``VORM.*``) can be linked to
organisations. casebook proposes them from the mentions inside the coded
span, the speaker's own organisation, the other mentions in the same speaker
turn (or paragraph, in reports), and — for a dyad code — the case's only
organisation of a type the dyad names but nobody mentioned. The coder
confirms or edits the proposal; only confirmed links are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from casebook.codings import get_coding
from casebook.errors import InvalidInput
from casebook.store.project import Project, now

_VMBO = frozenset({"vmbo", "vmbo-penvoerder"})
# The organisation types each dyad code names; one set per side of the dyad.
DYAD_TYPES: dict[str, tuple[frozenset[str], ...]] = {
    "SAM.VMBO_VMBO": (_VMBO, _VMBO),
    "SAM.VMBO_MBO": (_VMBO, frozenset({"mbo"})),
    "SAM.VMBO_BEDRIJF": (_VMBO, frozenset({"bedrijf"})),
    "SAM.VMBO_PO": (_VMBO, frozenset({"po"})),
    "SAM.GEMEENTE": (frozenset({"gemeente"}),),
    "SAM.HBO_PABO": (frozenset({"hbo/pabo"}),),
    "SAM.VSO_PRO": (frozenset({"vso/pro"}),),
    "SAM.BRANCHE": (frozenset({"branche"}),),
    "SAM.ONDERSTEUNING": (frozenset({"ondersteuning"}),),
}


def is_collaboration_code(path: str) -> bool:
    p = path.upper()
    return (p.startswith("SAM.") and not (p == "SAM.Q" or p.startswith("SAM.Q."))) or p.startswith("VORM.")


def is_quality_code(path: str) -> bool:
    return path.upper().startswith("SAM.Q.")


def valence_of(path: str) -> str | None:
    """Barrier codes give a link negative valence, facilitator codes positive."""
    p = path.upper()
    if p == "BEL" or p.startswith("BEL."):
        return "negative"
    if p == "BEV" or p.startswith("BEV."):
        return "positive"
    return None


COLLABORATION_SQL = (
    "((x.path LIKE 'SAM.%' AND x.path NOT LIKE 'SAM.Q' AND x.path NOT LIKE 'SAM.Q.%') OR x.path LIKE 'VORM.%')"
)


@dataclass
class Proposal:
    organisation_id: str
    name: str
    type: str
    reasons: list[str] = field(default_factory=list)


def coding_context(project: Project, coding_id: str) -> dict[str, Any]:
    row = get_coding(project, coding_id)
    extra = project.query_one(
        "SELECT x.path AS code, d.case_id, d.name AS document FROM codings k JOIN codes x ON x.id = k.code_id "
        "JOIN documents d ON d.id = k.document_id WHERE k.id = ?",
        (row["id"],),
    )
    row.update(extra or {})
    return row


@dataclass
class CaseContext:
    """What proposals need from one case, loaded once for many codings."""

    case_id: str
    orgs: dict[str, Any]
    respondents: dict[str, str]
    index: Any


def case_context(project: Project, case_id: str, *, detect: bool = True) -> CaseContext:
    from casebook.partners.registry import load_registry, respondent_organisations
    from casebook.partners.storage import case_places, detect_case
    from casebook.partners.variants import VariantIndex

    if detect:
        detect_case(project, case_id)
    orgs = load_registry(project, case_id)
    case_names = [r["name"] for r in project.query("SELECT name FROM cases")]
    return CaseContext(
        case_id, {o.id: o for o in orgs}, respondent_organisations(project, case_id),
        VariantIndex(orgs, case_names, case_places(project, case_id)),
    )


def propose_partners(project: Project, coding_id: str, context: CaseContext | None = None) -> list[Proposal]:
    """Organisations this coding probably involves, each with why it is proposed."""
    from casebook.partners.mentions import speaker_spans

    k = coding_context(project, coding_id)
    if not k.get("case_id"):
        return []
    if context is None or context.case_id != k["case_id"]:
        context = case_context(project, k["case_id"])
    orgs = context.orgs
    out: dict[str, Proposal] = {}

    def add(org_id: str | None, reason: str) -> None:
        if not org_id or org_id not in orgs:
            return
        o = orgs[org_id]
        p = out.setdefault(org_id, Proposal(org_id, o.name, o.type))
        if reason not in p.reasons:
            p.reasons.append(reason)

    doc_id, start, end = k["document_id"], k["start"], k["end"]
    mentions = project.query(
        "SELECT start, end, organisation_id FROM mentions WHERE document_id = ? AND organisation_id IS NOT NULL "
        "AND status IN ('auto', 'confirmed') ORDER BY start",
        (doc_id,),
    )
    for m in mentions:
        if m["start"] < end and start < m["end"]:
            add(m["organisation_id"], "mentioned in the passage")
    spans = speaker_spans(project, doc_id, context.respondents.get(doc_id), context.index)
    turns = [s for s in spans if s.start < end and start < s.end]
    for t in turns:
        add(t.organisation_id, "the speaker's organisation")
    context_spans = [(t.start, t.end) for t in turns] or [
        (r["start"], r["end"])
        for r in project.query(
            "SELECT start, end FROM segments WHERE document_id = ? AND kind IN ('paragraph', 'table_row') "
            "AND start < ? AND ? < end",
            (doc_id, end, start),
        )
    ]
    where = "the speaker turn" if turns else "the paragraph"
    sides = DYAD_TYPES.get(k["code"].upper(), ())
    dyad_types = frozenset().union(*sides) if sides else None
    for m in mentions:
        if any(a <= m["start"] and m["end"] <= b for a, b in context_spans):
            org = orgs.get(m["organisation_id"])
            # Around the passage, a dyad code says which kinds of partner are meant.
            if org is not None and (dyad_types is None or org.type in dyad_types):
                add(m["organisation_id"], f"mentioned in {where}")
    for types in set(sides):
        covered = sum(1 for p in out.values() if p.type in types)
        if covered >= sides.count(types):
            continue
        fits = [o for o in orgs.values() if o.type in types and o.id not in out]
        if len(fits) == 1:
            add(fits[0].id, f"the case's only {'/'.join(sorted(types))} partner ({k['code']})")
    return list(out.values())


def linked_partners(project: Project, coding_id: str) -> list[dict[str, Any]]:
    return project.query(
        "SELECT o.id, o.name, o.type, p.created_at, c.name AS coder FROM coding_partners p "
        "JOIN organisations o ON o.id = p.organisation_id LEFT JOIN coders c ON c.id = p.coder_id "
        "WHERE p.coding_id = ? ORDER BY o.name",
        (coding_id,),
    )


def set_partners(project: Project, coding_id: str, organisation_ids: list[str]) -> list[str]:
    """Store the organisations a collaboration coding involves (replacing earlier ones)."""
    k = coding_context(project, coding_id)
    if not is_collaboration_code(k["code"]):
        raise InvalidInput(
            f"coding {k['id'][:8]} is coded {k['code']}; only collaboration codes (SAM.* dyads, VORM.*) take partners"
        )
    ids = list(dict.fromkeys(organisation_ids))
    for org_id in ids:
        case_id = project.scalar("SELECT case_id FROM organisations WHERE id = ?", (org_id,))
        if case_id is None:
            raise InvalidInput(f"no organisation {org_id}")
        if case_id != k["case_id"]:
            name = project.scalar("SELECT name FROM organisations WHERE id = ?", (org_id,))
            raise InvalidInput(f"{name} is a partner of another case than this coding's document")
    before = [r["id"] for r in linked_partners(project, k["id"])]
    coder_id = project.coder_id()
    with project.transaction():
        project.conn.execute("DELETE FROM coding_partners WHERE coding_id = ?", (k["id"],))
        stamp = now()
        project.conn.executemany(
            "INSERT INTO coding_partners (coding_id, organisation_id, coder_id, created_at) VALUES (?,?,?,?)",
            [(k["id"], org_id, coder_id, stamp) for org_id in ids],
        )
        project.audit("link", "coding_partners", k["id"], before={"partners": before}, after={"partners": ids})
    return ids


def resolve_partner_refs(project: Project, coding_id: str, refs: list[str]) -> list[str]:
    """Organisation ids for names, aliases or id prefixes, within the coding's case."""
    from casebook.partners.registry import resolve_organisation

    k = coding_context(project, coding_id)
    return [resolve_organisation(project, ref, k["case_id"])["id"] for ref in refs if ref.strip()]


def accept_proposals(project: Project, case_id: str | None = None, *, replace: bool = False) -> int:
    """Store the proposal of every collaboration coding that has no links yet; returns how many."""
    sql = (
        "SELECT k.id FROM codings k JOIN codes x ON x.id = k.code_id JOIN documents d ON d.id = k.document_id "
        f"WHERE {COLLABORATION_SQL}"
    )
    params: tuple[Any, ...] = ()
    if case_id:
        sql += " AND d.case_id = ?"
        params = (case_id,)
    if not replace:
        sql += " AND NOT EXISTS (SELECT 1 FROM coding_partners p WHERE p.coding_id = k.id)"
    sql = sql.replace("SELECT k.id", "SELECT k.id, d.case_id")
    count = 0
    contexts: dict[str, CaseContext] = {}
    with project.transaction():
        for row in project.query(sql, params):
            if row["case_id"] not in contexts:
                contexts[row["case_id"]] = case_context(project, row["case_id"])
            ids = [p.organisation_id for p in propose_partners(project, row["id"], contexts[row["case_id"]])]
            if ids:
                set_partners(project, row["id"], ids)
                count += 1
    return count


def passage_valence(project: Project, document_id: str, start: int, end: int) -> tuple[str | None, list[str]]:
    """positive / negative / mixed from barrier and facilitator codings on the same passage."""
    codes = [
        r["path"]
        for r in project.query(
            "SELECT DISTINCT x.path FROM codings k JOIN codes x ON x.id = k.code_id WHERE k.document_id = ? "
            "AND k.start < ? AND ? < k.end AND (x.path LIKE 'BEL%' OR x.path LIKE 'BEV%') ORDER BY x.path",
            (document_id, end, start),
        )
        if valence_of(r["path"])
    ]
    kinds = {valence_of(c) for c in codes}
    if not kinds:
        return None, []
    return (kinds.pop() if len(kinds) == 1 else "mixed"), codes


def list_links(project: Project, case_id: str | None = None, *, with_proposals: bool = True) -> list[dict[str, Any]]:
    """Every collaboration coding with its confirmed partners (or the proposal) and valence."""
    sql = f"""
        SELECT k.id, k.document_id, d.case_id, d.name AS document, c.name AS case_name, x.path AS code, k.start, k.end,
               k.quote, o.name AS coder
        FROM codings k JOIN codes x ON x.id = k.code_id JOIN documents d ON d.id = k.document_id
        LEFT JOIN cases c ON c.id = d.case_id JOIN coders o ON o.id = k.coder_id
        WHERE {COLLABORATION_SQL}
    """
    params: tuple[Any, ...] = ()
    if case_id:
        sql += " AND d.case_id = ?"
        params = (case_id,)
    rows = project.query(sql + " ORDER BY c.name, d.name, k.start, x.path", params)
    contexts: dict[str, CaseContext] = {}
    for r in rows:
        linked = linked_partners(project, r["id"])
        r["partners"] = [p["name"] for p in linked]
        r["confirmed"] = bool(linked)
        if not linked and with_proposals and r["case_id"]:
            if r["case_id"] not in contexts:
                contexts[r["case_id"]] = case_context(project, r["case_id"])
            r["proposed"] = [p.name for p in propose_partners(project, r["id"], contexts[r["case_id"]])]
        else:
            r["proposed"] = []
        r["valence"], r["valence_codes"] = passage_valence(project, r["document_id"], r["start"], r["end"])
    return rows
