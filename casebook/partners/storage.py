"""Mentions in the project: detection per case, stored spans, coders' verdicts.

Detection reruns only when something it depends on changed (registry,
documents, review decisions); mentions a coder confirmed, rejected or added
by hand survive every rerun.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casebook.core.filters import PassageFilter
from casebook.core.query import marks
from casebook.errors import InvalidInput, NotFound
from casebook.orgtypes import MUNICIPALITY
from casebook.partners.candidates import Taken
from casebook.partners.detection import Detector, Found, SpeakerSpan
from casebook.partners.regionword import shared_region_words
from casebook.partners.registry import Organisation, load_registry, respondent_organisations
from casebook.partners.variants import DETECTOR_VERSION, VariantIndex
from casebook.partners.words import TYPE_WORDS
from casebook.store.project import Project, new_id, now

# --- the project side ------------------------------------------------------------------


@dataclass
class DetectionSummary:
    case: str
    documents: int = 0
    mentions: int = 0
    resolved: int = 0
    unresolved: int = 0
    candidates: int = 0
    skipped: bool = False


def speaker_spans(
    project: Project, document_id: str, respondent_org: str | None, index: VariantIndex
) -> list[SpeakerSpan]:
    """Who speaks where, as organisations: a label's organisation, else the document's respondent."""
    out: list[SpeakerSpan] = []
    turns = project.query(
        "SELECT start, end, organisation, speaker_kind FROM segments WHERE document_id = ? AND kind = 'turn' "
        "ORDER BY start",
        (document_id,),
    )
    if all(t["speaker_kind"] == "interviewer" for t in turns):
        # Notes that open with 'Interviewer: P. Jansen.' have no one else speaking: the line names
        # who wrote them, and the text reports the respondent, as a document without turns does.
        turns = []
    for t in turns:
        org = index.lookup(t["organisation"]) if t["organisation"] else None
        if org is None and t["speaker_kind"] != "interviewer":
            org = respondent_org
        out.append(SpeakerSpan(t["start"], t["end"], org))
    if not out and respondent_org:
        out.append(SpeakerSpan(0, 1 << 62, respondent_org))
    return out


_TOWN_ATTRIBUTES = ("towns", "town", "plaatsen", "plaats", "places", "gemeenten", "steden")


def case_places(project: Project, case_id: str) -> list[str]:
    """The case's own place names: its name, a ``towns`` attribute, its gemeenten, its region word.

    A place name is never a variant on its own ('Haverdijk' for the town,
    not the Haverdijk Lyceum) and never counts as a distinctive word.
    """
    places: list[str] = []
    name = project.scalar("SELECT name FROM cases WHERE id = ?", (case_id,))
    if name:
        places.append(name)
    for r in project.query(
        "SELECT v.value FROM case_attributes v JOIN attributes a ON a.id = v.attribute_id "
        f"WHERE v.case_id = ? AND lower(a.name) IN ({marks(_TOWN_ATTRIBUTES)})",
        (case_id, *_TOWN_ATTRIBUTES),
    ):
        places += [p.strip() for p in re.split(r"[;,|/]", r["value"] or "") if p.strip()]
    for org in load_registry(project, case_id):
        if not org.is_a(MUNICIPALITY):
            continue
        rest = [w for w in org.name.split() if w.lower() not in TYPE_WORDS]
        if rest and len(rest) < len(org.name.split()):
            places.append(" ".join(rest))
    names = [
        r["name"]
        for r in project.query("SELECT name FROM organisations WHERE case_id = ?", (case_id,))
    ]
    places += shared_region_words(names)  # the region word the registry's names end on
    return list(dict.fromkeys(places))


def switched_off_forms(project: Project, case_id: str) -> list[str]:
    return [
        r["form"]
        for r in project.query(
            "SELECT form FROM variant_switches WHERE case_id = ? ORDER BY form", (case_id,)
        )
    ]


@functools.lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    """A digest of the code and word lists detection runs on, so an upgrade re-detects.

    Rules change every round; stored mentions found by older rules would
    otherwise stay until the registry or a document changed. Reading the
    package's own files once per process costs a few milliseconds.
    """
    root = Path(__file__).resolve().parent
    files = sorted(root.glob("*.py")) + sorted((root.parent / "data").glob("*.toml"))
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()


def _fingerprint(
    project: Project,
    case_id: str,
    orgs: Sequence[Organisation],
    docs: list[dict[str, Any]],
    case_names: list[str],
) -> str:
    decided = project.query(
        "SELECT name, status FROM organisation_candidates WHERE case_id = ? AND status <> 'pending' ORDER BY name",
        (case_id,),
    )
    payload = {
        "v": DETECTOR_VERSION,
        "rules": rules_fingerprint(),
        "orgs": [(o.id, o.name, o.type, sorted(o.aliases), sorted(o.kinds)) for o in orgs],
        "docs": [(d["id"], d["sha256"], d["org"]) for d in docs],
        "decided": [(r["name"], r["status"]) for r in decided],
        "cases": sorted(case_names),
        "places": case_places(project, case_id),
        "off": switched_off_forms(project, case_id),
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def detect_case(
    project: Project, case_id: str, *, force: bool = False, use_model: bool | None = None
) -> DetectionSummary:
    """(Re)detect mentions in every document of a case, unless nothing changed since last time.

    Mentions a coder confirmed, rejected or added by hand are kept, and
    detection never puts a new mention over them.
    """
    case_name = project.scalar("SELECT name FROM cases WHERE id = ?", (case_id,))
    summary = DetectionSummary(case_name or case_id)
    orgs = load_registry(project, case_id)
    case_names = [r["name"] for r in project.query("SELECT name FROM cases")]
    docs = project.query(
        "SELECT d.id, d.sha256, d.organisation AS org FROM documents d WHERE d.case_id = ? ORDER BY d.name",
        (case_id,),
    )
    summary.documents = len(docs)
    key = f"partners.mentions.{case_id}"
    fingerprint = _fingerprint(project, case_id, orgs, docs, case_names)
    if not force and project.get_meta(key) == fingerprint:
        summary.skipped = True
        _count(project, case_id, summary)
        return summary
    rejected = [
        r["name"]
        for r in project.query(
            "SELECT name FROM organisation_candidates WHERE case_id = ? AND status = 'rejected'",
            (case_id,),
        )
    ]
    detector = Detector(
        orgs,
        case_names,
        use_model=use_model,
        rejected=rejected,
        places=case_places(project, case_id),
        switched_off=switched_off_forms(project, case_id),
    )
    respondents = respondent_organisations(project, case_id)
    texts = [
        project.scalar("SELECT text FROM document_texts WHERE document_id = ?", (d["id"],)) or ""
        for d in docs
    ]
    speakers = [
        speaker_spans(project, d["id"], respondents.get(d["id"]), detector.index) for d in docs
    ]
    results = detector.detect_many(texts, speakers)
    with project.transaction():
        conn = project.conn
        conn.execute(
            "UPDATE organisation_candidates SET count = 0, example = NULL WHERE case_id = ? AND status = 'pending'",
            (case_id,),
        )
        for doc, text, found in zip(docs, texts, results, strict=True):
            conn.execute(
                "DELETE FROM mentions WHERE document_id = ? AND status IN ('auto', 'unresolved', 'candidate')",
                (doc["id"],),
            )
            kept = Taken(
                (r["start"], r["end"])
                for r in project.query(
                    "SELECT start, end FROM mentions WHERE document_id = ?", (doc["id"],)
                )
            )
            rows = []
            for f in found:
                if not kept.free(f.start, f.end) or f.end <= f.start:
                    continue
                rows.append(
                    (
                        doc["id"],
                        f.start,
                        f.end,
                        f.organisation_id,
                        f.surface,
                        f.method,
                        f.status,
                        f.score,
                        json.dumps(f.choices) if f.choices else None,
                    )
                )
                if f.candidate:
                    _note_candidate(project, case_id, f, text)
            conn.executemany(
                "INSERT INTO mentions (document_id, start, end, organisation_id, surface, method, status, score,"
                " choices) VALUES (?,?,?,?,?,?,?,?,?)",
                rows,
            )
        conn.execute(
            "DELETE FROM organisation_candidates WHERE case_id = ? AND status = 'pending' AND count = 0",
            (case_id,),
        )
        project.set_meta(key, fingerprint)
    _count(project, case_id, summary)
    return summary


def _note_candidate(project: Project, case_id: str, f: Found, text: str) -> None:
    a = max(0, f.start - 60)
    example = text[a : f.end + 60].replace("\n", " ")
    name = f.candidate or f.surface
    row = project.query_one(
        "SELECT id, status FROM organisation_candidates WHERE case_id = ? AND name = ?",
        (case_id, name),
    )
    if row is None:
        project.conn.execute(
            "INSERT INTO organisation_candidates (id, case_id, name, suggested_type, source, count, example, created_at)"
            " VALUES (?,?,?,?,?,1,?,?)",
            (
                new_id(),
                case_id,
                name,
                f.suggested_type,
                "model" if f.method == "model" else "pattern",
                example,
                now(),
            ),
        )
    elif row["status"] == "pending":
        project.conn.execute(
            "UPDATE organisation_candidates SET count = count + 1, example = coalesce(example, ?) WHERE id = ?",
            (example, row["id"]),
        )


def _count(project: Project, case_id: str, summary: DetectionSummary) -> None:
    rows = project.query(
        "SELECT m.status, count(*) AS n FROM mentions m JOIN documents d ON d.id = m.document_id "
        "WHERE d.case_id = ? GROUP BY m.status",
        (case_id,),
    )
    counts = {r["status"]: r["n"] for r in rows}
    summary.resolved = counts.get("auto", 0) + counts.get("confirmed", 0)
    summary.unresolved = counts.get("unresolved", 0)
    summary.mentions = sum(v for k, v in counts.items() if k != "rejected")
    summary.candidates = project.scalar(
        "SELECT count(*) FROM organisation_candidates WHERE case_id = ? AND status = 'pending'",
        (case_id,),
    )


def detect_all(
    project: Project, case_id: str | None = None, *, force: bool = False
) -> list[DetectionSummary]:
    ids = (
        [case_id]
        if case_id
        else [r["id"] for r in project.query("SELECT id FROM cases ORDER BY name")]
    )
    return [detect_case(project, cid, force=force) for cid in ids]


def list_mentions(
    project: Project,
    *,
    case_id: str | None = None,
    document_id: str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    sql = """
        SELECT m.id, m.document_id, d.name AS document, c.name AS case_name, m.start, m.end, m.surface,
               m.organisation_id, o.name AS organisation, o.type, m.method, m.status, m.score, m.choices
        FROM mentions m JOIN documents d ON d.id = m.document_id
        LEFT JOIN cases c ON c.id = d.case_id
        LEFT JOIN organisations o ON o.id = m.organisation_id
    """
    where = PassageFilter(case_ids=[case_id] if case_id else []).case_clauses("d.case_id")
    where.equal("m.document_id", document_id).equal("m.status", status)
    rows = project.query(sql + where.sql() + " ORDER BY c.name, d.name, m.start", where.params)
    names: dict[str, str] | None = None
    for r in rows:
        ids = json.loads(r["choices"]) if r["choices"] else []
        if ids and names is None:
            names = {
                o["id"]: o["name"] for o in project.query("SELECT id, name FROM organisations")
            }
        # An ambiguous form's possible organisations, for the coder to pick from.
        r["choices"] = [names.get(i, i) for i in ids] if names else []
    return rows


def mentions_in(project: Project, document_id: str) -> list[dict[str, Any]]:
    """Spans to highlight in a reader: every mention that was not rejected."""
    return [m for m in list_mentions(project, document_id=document_id) if m["status"] != "rejected"]


def set_mention(
    project: Project, mention_id: int, organisation_id: str | None, *, reject: bool = False
) -> None:
    """A coder's verdict on one mention: the right organisation, or not an organisation at all."""
    row = project.query_one("SELECT * FROM mentions WHERE id = ?", (mention_id,))
    if row is None:
        raise NotFound(f"no mention {mention_id}; list them with `casebook partners mentions`")
    status = "rejected" if reject else "confirmed"
    with project.transaction():
        project.conn.execute(
            "UPDATE mentions SET organisation_id = ?, status = ? WHERE id = ?",
            (None if reject else organisation_id, status, mention_id),
        )
        project.audit(
            "mention",
            "mention",
            str(mention_id),
            before={"organisation_id": row["organisation_id"], "status": row["status"]},
            after={"organisation_id": None if reject else organisation_id, "status": status},
        )


def add_manual_mention(
    project: Project, document_id: str, start: int, end: int, organisation_id: str
) -> int:
    text = (
        project.scalar("SELECT text FROM document_texts WHERE document_id = ?", (document_id,))
        or ""
    )
    if not 0 <= start < end <= len(text):
        raise InvalidInput(f"range {start}–{end} is outside the document (0–{len(text)})")
    with project.transaction():
        project.conn.execute(
            "DELETE FROM mentions WHERE document_id = ? AND start < ? AND ? < end AND status IN ('auto','unresolved','candidate')",
            (document_id, end, start),
        )
        cur = project.conn.execute(
            "INSERT INTO mentions (document_id, start, end, organisation_id, surface, method, status)"
            " VALUES (?,?,?,?,?,'manual','confirmed')",
            (document_id, start, end, organisation_id, text[start:end]),
        )
        project.audit(
            "add",
            "mention",
            str(cur.lastrowid),
            after={
                "document_id": document_id,
                "start": start,
                "end": end,
                "organisation_id": organisation_id,
            },
        )
    return int(cur.lastrowid or 0)
