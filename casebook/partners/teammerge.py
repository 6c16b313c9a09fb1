"""Merging another coder's partner registry, verdicts and links into this project.

A step for ``casebook.team.merge.EXTRA_STEPS``; it runs after cases,
documents and codings are mapped. Organisations match by id (following
recorded merges), then by name or alias within the case; a differing type is
kept aside as a conflict. Aliases and review decisions are added, coders'
verdicts on mentions (confirmed, rejected, manual) are copied where this
project has none on those characters, and links of mapped codings are added.
Detected mentions are not copied: detection runs again here because the
registry changed. A coder's own organisation types (``partners types add``)
come along first, so their organisations keep their labels and colours here.
"""

from __future__ import annotations

import json
from typing import Any

from casebook.core.query import marks
from casebook.store.orgtypes import OWN_TYPES_META, add_type, project_types
from casebook.store.project import new_id, now


def _follow(target: Any, org_id: str) -> str:
    """Where an organisation went if this project merged it away."""
    seen = set()
    while org_id not in seen:
        seen.add(org_id)
        row = target.query_one(
            "SELECT target_id FROM organisation_merges WHERE source_id = ?", (org_id,)
        )
        if row is None:
            break
        org_id = row["target_id"]
    return org_id


def _types(ctx: Any) -> None:
    """Types the other project made itself and this one does not know; spellings it knows stay."""
    if not ctx.rows("SELECT 1 FROM meta WHERE key = ? AND value <> ''", (OWN_TYPES_META,)):
        return
    for row in ctx.rows("SELECT * FROM org_types ORDER BY position, key"):
        known = project_types(ctx.target)
        holder = known.resolve(row["key"])
        if holder is not None and holder in known:
            continue
        synonyms = [s for s in json.loads(row["synonyms"] or "[]") if known.resolve(s) not in known]
        add_type(
            ctx.target,
            row["key"],
            json.loads(row["labels"] or "{}"),
            synonyms,
            row["colour"],
            roles=json.loads(row["roles"] or "[]") if "roles" in row.keys() else (),
        )
        ctx.report.add("org_types")


def merge_partners(ctx: Any) -> None:
    target = ctx.target
    _types(ctx)
    orgs: dict[str, str] = ctx.extra.setdefault("organisations", {})
    src_aliases: dict[str, list[str]] = {}
    for r in ctx.rows("SELECT organisation_id, alias FROM organisation_aliases"):
        src_aliases.setdefault(r["organisation_id"], []).append(r["alias"])
    for row in ctx.rows("SELECT * FROM organisations ORDER BY created_at"):
        case_id = ctx.cases.get(row["case_id"], row["case_id"])
        mine = target.query_one(
            "SELECT * FROM organisations WHERE id = ?", (_follow(target, row["id"]),)
        )
        if mine is None:
            names = [row["name"], *src_aliases.get(row["id"], [])]
            listed = marks(names)
            mine = target.query_one(
                f"SELECT o.* FROM organisations o WHERE o.case_id = ? AND (o.name IN ({listed}) OR o.id IN "
                f"(SELECT organisation_id FROM organisation_aliases WHERE alias IN ({listed})))",
                (case_id, *names, *names),
            )
        if mine is not None:
            orgs[row["id"]] = mine["id"]
            ctx.report.match("organisations")
            if mine["type"] != row["type"]:
                ctx.conflict(
                    "organisations",
                    mine["id"],
                    "type",
                    mine["type"],
                    row["type"],
                    f"type of {mine['name']}",
                )
            continue
        target.conn.execute(
            "INSERT INTO organisations (id, case_id, name, type, created_at, modified_at) VALUES (?,?,?,?,?,?)",
            (row["id"], case_id, row["name"], row["type"], row["created_at"], row["modified_at"]),
        )
        orgs[row["id"]] = row["id"]
        ctx.report.add("organisations")
    for src_id, aliases in src_aliases.items():
        org_id = orgs.get(src_id)
        if org_id is None:
            continue
        case_id = target.scalar("SELECT case_id FROM organisations WHERE id = ?", (org_id,))
        for alias in aliases:
            taken = target.scalar(
                "SELECT o.id FROM organisations o WHERE o.case_id = ? AND (o.name = ? OR o.id IN "
                "(SELECT organisation_id FROM organisation_aliases WHERE alias = ?))",
                (case_id, alias, alias),
            )
            if taken is None:
                target.conn.execute(
                    "INSERT INTO organisation_aliases (organisation_id, alias) VALUES (?, ?)",
                    (org_id, alias),
                )
                ctx.report.add("organisation aliases")
    for row in ctx.rows("SELECT * FROM organisation_merges"):
        target.conn.execute(
            "INSERT OR IGNORE INTO organisation_merges (source_id, target_id, merged_at) VALUES (?,?,?)",
            (row["source_id"], orgs.get(row["target_id"], row["target_id"]), row["merged_at"]),
        )
    _candidates(ctx, orgs)
    _verdicts(ctx, orgs)
    _links(ctx, orgs)


def _candidates(ctx: Any, orgs: dict[str, str]) -> None:
    for row in ctx.rows("SELECT * FROM organisation_candidates WHERE status <> 'pending'"):
        case_id = ctx.cases.get(row["case_id"], row["case_id"])
        mine = ctx.target.query_one(
            "SELECT id, status FROM organisation_candidates WHERE case_id = ? AND name = ?",
            (case_id, row["name"]),
        )
        org_id = orgs.get(row["organisation_id"]) if row["organisation_id"] else None
        if mine is None:
            ctx.target.conn.execute(
                "INSERT INTO organisation_candidates (id, case_id, name, suggested_type, source, count, example, "
                "status, organisation_id, created_at, decided_at) VALUES (?,?,?,?,?,0,?,?,?,?,?)",
                (
                    new_id(),
                    case_id,
                    row["name"],
                    row["suggested_type"],
                    row["source"],
                    row["example"],
                    row["status"],
                    org_id,
                    row["created_at"],
                    row["decided_at"] or now(),
                ),
            )
            ctx.report.add("review decisions")
        elif mine["status"] == "pending":
            ctx.target.conn.execute(
                "UPDATE organisation_candidates SET status = ?, organisation_id = ?, decided_at = ? WHERE id = ?",
                (row["status"], org_id, row["decided_at"] or now(), mine["id"]),
            )
            ctx.report.add("review decisions")


def _verdicts(ctx: Any, orgs: dict[str, str]) -> None:
    for row in ctx.rows(
        "SELECT * FROM mentions WHERE status IN ('confirmed', 'rejected') OR method = 'manual' ORDER BY id"
    ):
        doc = ctx.documents.get(row["document_id"])
        if doc is None:
            continue
        if (
            row["document_id"] in ctx.versions
        ):  # revised here since: carry the verdict's span (issue 10)
            carried, _items = ctx.carry(
                row["document_id"], row["start"], row["end"], row["surface"], "mention", ""
            )
            if carried.outcome == "lost":
                continue
            text = ctx.target.scalar(
                "SELECT text FROM document_texts WHERE document_id = ?", (doc,)
            )
            row = dict(
                row, start=carried.start, end=carried.end, surface=text[carried.start : carried.end]
            )
        ctx.target.conn.execute(
            "DELETE FROM mentions WHERE document_id = ? AND start < ? AND ? < end "
            "AND status IN ('auto', 'unresolved', 'candidate')",
            (doc, row["end"], row["start"]),
        )
        clash = ctx.target.scalar(
            "SELECT count(*) FROM mentions WHERE document_id = ? AND start < ? AND ? < end",
            (doc, row["end"], row["start"]),
        )
        if clash:
            continue
        ctx.target.conn.execute(
            "INSERT INTO mentions (document_id, start, end, organisation_id, surface, method, status, score)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (
                doc,
                row["start"],
                row["end"],
                orgs.get(row["organisation_id"]) if row["organisation_id"] else None,
                row["surface"],
                row["method"],
                row["status"],
                row["score"],
            ),
        )
        ctx.report.add("mention verdicts")


def _links(ctx: Any, orgs: dict[str, str]) -> None:
    for row in ctx.rows("SELECT * FROM coding_partners"):
        coding = ctx.codings.get(row["coding_id"])
        org = orgs.get(row["organisation_id"])
        if coding is None or org is None:
            continue
        cur = ctx.target.conn.execute(
            "INSERT OR IGNORE INTO coding_partners (coding_id, organisation_id, coder_id, created_at) VALUES (?,?,?,?)",
            (
                coding,
                org,
                ctx.coders.get(row["coder_id"], row["coder_id"]) if row["coder_id"] else None,
                row["created_at"],
            ),
        )
        if cur.rowcount:
            ctx.report.add("partner links")
