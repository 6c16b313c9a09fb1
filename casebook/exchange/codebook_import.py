"""Merging a REFI-QDA codebook and user list into a project.

A QDA code finds its casebook code by id first (the guid, when casebook
exported it or imported it before), then under the same parent by label or
name; only then is it added. Like every casebook codebook import it never
deletes, moves or renames an existing code, so codings stay where they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from casebook.codes.codebook import CodeSpec
from casebook.codes.collaboration import adopt_partner_types
from casebook.core.query import marks
from casebook.exchange import description
from casebook.exchange.ids import norm_guid, safe_name, unique_name
from casebook.exchange.qde import QdaCode, QdaProject, QdaUser
from casebook.store.orgtypes import new_types_notice
from casebook.store.project import Project, new_id, now

_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


@dataclass
class CodebookResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    coders_added: int = 0
    code_ids: dict[str, str] = field(default_factory=dict)  # QDA guid (as written) -> casebook id
    coder_names: dict[str, str] = field(default_factory=dict)  # QDA user guid -> coder name
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "coders": self.coders_added,
        }


def colour_of(value: str | None) -> str | None:
    """casebook colours are ``#rrggbb``; REFI-QDA also allows ``#rgb``."""
    if not value:
        return None
    m = _HEX.match(value.strip())
    if not m:
        return None
    digits = m.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits.lower()


def _values(code: QdaCode) -> tuple[str, dict[str, str | None]]:
    """The casebook name to use for a new code, and the code's fields."""
    fields = description.split(code.description)
    hint = fields.pop("name")
    name = hint or safe_name(code.name)
    label = code.name or None
    if label is not None and label == name:
        label = None  # the other program only knew the short name
    return name, {"label": label, "colour": colour_of(code.color), **fields}


def code_specs(codes: list[QdaCode]) -> list[CodeSpec]:
    """The tree as casebook CodeSpecs (names made safe, originals kept as labels), without ids."""
    out: list[CodeSpec] = []
    taken: set[str] = set()
    for code in codes:
        base, values = _values(code)
        name = unique_name(base, taken)
        taken.add(name.upper())
        out.append(CodeSpec(name=name, **values, children=code_specs(code.children)))
    return out


def apply_users(project: Project, users: list[QdaUser], result: CodebookResult) -> None:
    for user in users:
        guid = norm_guid(user.guid)
        name = (user.name or "").strip() or f"user-{(guid or user.guid or 'unknown')[:8]}"
        row = project.query_one("SELECT id, name FROM coders WHERE name = ?", (name,))
        if row is None and guid:
            row = project.query_one("SELECT id, name FROM coders WHERE id = ?", (guid,))
        if row is None:
            cid = guid or new_id()
            project.conn.execute(
                "INSERT INTO coders (id, name, created_at) VALUES (?, ?, ?)", (cid, name, now())
            )
            project.audit("add", "coder", cid, after={"name": name, "from": "qdpx"})
            result.coders_added += 1
            row = {"id": cid, "name": name}
        result.coder_names[user.guid] = row["name"]


def apply_codes(project: Project, qda: QdaProject, result: CodebookResult) -> None:
    """Merge the code tree; call inside the caller's transaction."""
    claimed: set[str] = set()
    folders = _count_folders(qda.codes)
    _merge_level(project, qda.codes, None, claimed, result)
    added_types = adopt_partner_types(project, add=True)  # another program's types come along
    if added_types:
        result.warnings.append(new_types_notice(added_types))
    if folders:
        result.warnings.append(
            f"{folders} code folders (not codable in the source program) imported as ordinary codes"
        )


def _count_folders(codes: list[QdaCode]) -> int:
    return sum((0 if c.codable else 1) + _count_folders(c.children) for c in codes)


def _merge_level(
    project: Project,
    codes: list[QdaCode],
    parent: dict[str, Any] | None,
    claimed: set[str],
    result: CodebookResult,
) -> None:
    siblings = project.query(
        "SELECT * FROM codes WHERE parent_id IS ?", (parent["id"] if parent else None,)
    )
    taken = {s["name"].upper() for s in siblings}
    for order, code in enumerate(codes):
        base, values = _values(code)
        row = _find(project, code, base, siblings, claimed)
        if row is None:
            row = _insert(project, code, base, parent, order, taken, values)
            result.added += 1
        else:
            if code.name.upper() == row["name"].upper():
                values["label"] = None  # the other program only knew the short name
            changed = {k: v for k, v in values.items() if v is not None and row[k] != v}
            if changed:
                sets = ", ".join(f"{k} = ?" for k in changed)
                project.conn.execute(
                    f"UPDATE codes SET {sets}, modified_at = ? WHERE id = ?",
                    [*changed.values(), now(), row["id"]],
                )
                project.audit(
                    "update", "code", row["id"], before={k: row[k] for k in changed}, after=changed
                )
                result.updated += 1
                row = {**row, **changed}
            else:
                result.unchanged += 1
        claimed.add(row["id"])
        taken.add(row["name"].upper())
        result.code_ids[code.guid] = row["id"]
        _merge_level(project, code.children, row, claimed, result)


def _find(
    project: Project, code: QdaCode, base: str, siblings: list[dict[str, Any]], claimed: set[str]
) -> dict[str, Any] | None:
    guid = norm_guid(code.guid)
    if guid and guid not in claimed:
        row = project.query_one("SELECT * FROM codes WHERE id = ?", (guid,))
        if row:
            return row
    free = [s for s in siblings if s["id"] not in claimed]
    label = code.name.casefold()
    for s in free:
        if (s["label"] or "").casefold() == label:
            return s
    names = {base.upper(), safe_name(code.name).upper()}
    for s in free:
        if s["name"].upper() in names:
            return s
    return None


def _insert(
    project: Project,
    code: QdaCode,
    base: str,
    parent: dict[str, Any] | None,
    order: int,
    taken: set[str],
    values: dict[str, str | None],
) -> dict[str, Any]:
    name = unique_name(base, taken)
    path = f"{parent['path']}.{name}" if parent else name
    while project.query_one("SELECT 1 FROM codes WHERE path = ?", (path,)):
        taken.add(name.upper())
        name = unique_name(name, taken)
        path = f"{parent['path']}.{name}" if parent else name
    guid = norm_guid(code.guid)
    code_id = (
        guid
        if guid and not project.query_one("SELECT 1 FROM codes WHERE id = ?", (guid,))
        else new_id()
    )
    stamp = now()
    row = {
        "id": code_id,
        "parent_id": parent["id"] if parent else None,
        "name": name,
        "path": path,
        "label": values["label"],
        "definition": values["definition"],
        "when_to_use": values["when_to_use"],
        "when_not_to_use": values["when_not_to_use"],
        "example": values["example"],
        "colour": values["colour"],
        "collaboration": values.get("collaboration"),
        "partner_types": values.get("partner_types"),
        "shortcut": None,
        "sort_order": order,
        "created_at": stamp,
        "modified_at": stamp,
    }
    cols = ", ".join(row)
    project.conn.execute(f"INSERT INTO codes ({cols}) VALUES ({marks(row)})", list(row.values()))
    project.audit("add", "code", code_id, after={"path": path, "from": "qdpx"})
    return row
