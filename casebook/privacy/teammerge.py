"""Merging another coder's person registry into this project.

A step for ``casebook.team.merge.EXTRA_STEPS``; it runs after cases are
mapped. Persons match by id, then by name or alias. A decision beats an open
candidate; two different decisions (one coder confirmed, the other rejected)
keep this project's and set the other aside as a merge conflict. Empty
fields (role, label, organisation) are filled from the other file; aliases
are added where no other person already has them.
"""

from __future__ import annotations

from typing import Any

FILLABLE = ("role", "label", "organisation", "case_id")


def merge_persons(ctx: Any) -> None:
    target = ctx.target
    tables = {r["name"] for r in ctx.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "persons" not in tables:
        return
    mapped: dict[str, str] = ctx.extra.setdefault("persons", {})
    src_aliases: dict[str, list[str]] = {}
    for r in ctx.rows("SELECT person_id, alias FROM person_aliases"):
        src_aliases.setdefault(r["person_id"], []).append(r["alias"])
    for row in ctx.rows("SELECT * FROM persons ORDER BY created_at"):
        row = dict(row)
        if row["case_id"]:
            row["case_id"] = ctx.cases.get(row["case_id"], row["case_id"])
        mine = _find(target, row["id"], [row["name"], *src_aliases.get(row["id"], [])])
        if mine is None:
            target.conn.execute(
                "INSERT INTO persons (id, name, role, case_id, organisation, label, status, source, count,"
                " example, created_at, modified_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                tuple(
                    row[k]
                    for k in (
                        "id",
                        "name",
                        "role",
                        "case_id",
                        "organisation",
                        "label",
                        "status",
                        "source",
                        "count",
                        "example",
                        "created_at",
                        "modified_at",
                    )
                ),
            )
            mapped[row["id"]] = row["id"]
            ctx.report.add("persons")
            continue
        mapped[row["id"]] = mine["id"]
        ctx.report.match("persons")
        changes = {k: row[k] for k in FILLABLE if mine[k] is None and row[k] is not None}
        if mine["status"] == "candidate" and row["status"] != "candidate":
            changes["status"] = row["status"]
        elif row["status"] != "candidate" and mine["status"] != row["status"]:
            ctx.conflict(
                "persons",
                mine["id"],
                "status",
                mine["status"],
                row["status"],
                f"status of person {mine['name']}",
            )
        if changes:
            sets = ", ".join(f"{k} = ?" for k in changes)
            target.conn.execute(
                f"UPDATE persons SET {sets} WHERE id = ?", [*changes.values(), mine["id"]]
            )
        if mine["name"].lower() != row["name"].lower():
            _alias(target, mine["id"], row["name"], ctx)
    for src_id, aliases in src_aliases.items():
        if src_id in mapped:
            for alias in aliases:
                _alias(target, mapped[src_id], alias, ctx)


def _find(target: Any, person_id: str, names: list[str]) -> dict[str, Any] | None:
    row = target.query_one("SELECT * FROM persons WHERE id = ?", (person_id,))
    if row is not None:
        return row
    for name in names:
        row = target.query_one("SELECT * FROM persons WHERE name = ?", (name,))
        if row is None:
            owner = target.query_one(
                "SELECT person_id FROM person_aliases WHERE alias = ?", (name,)
            )
            if owner:
                row = target.query_one("SELECT * FROM persons WHERE id = ?", (owner["person_id"],))
        if row is not None:
            return row
    return None


def _alias(target: Any, person_id: str, alias: str, ctx: Any) -> None:
    taken = target.scalar(
        "SELECT count(*) FROM persons p WHERE p.name = ? OR p.id IN"
        " (SELECT person_id FROM person_aliases WHERE alias = ?)",
        (alias, alias),
    )
    if not taken:
        target.conn.execute(
            "INSERT INTO person_aliases (person_id, alias) VALUES (?, ?)", (person_id, alias)
        )
        ctx.report.add("person aliases")
