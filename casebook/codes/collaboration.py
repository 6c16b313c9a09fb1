"""Which codes describe collaboration: a property of the codebook, not of code names.

A code may carry ``collaboration: dyad`` (it and its descendants describe
collaboration with a partner; ``partner_types`` names the kinds of partner
it is about), ``collaboration: form`` (a form of collaboration, such as a
shared techlab or work placements) or ``collaboration: none`` (stops the
inheritance, e.g. for quality-of-collaboration codes under a dyad group).
Both properties are inherited by descendants until one sets its own.
Partner links, proposals, graphs and network metrics read these properties,
so they work for any codebook that declares them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from casebook.codes.codebook import resolve_code
from casebook.errors import InvalidInput
from casebook.orgtypes import DEFAULT_TYPES, clean_key
from casebook.store.orgtypes import known_type, resolve_types
from casebook.store.project import Project, now

KINDS = ("dyad", "form", "none")


@dataclass(frozen=True)
class CodeRole:
    """A code's effective collaboration role after inheritance."""

    kind: str | None  # dyad | form | None (not a collaboration code)
    partner_types: frozenset[str]
    within: bool  # inside a collaboration group, even if switched off ('none'): part of the passage

    @property
    def collaboration(self) -> bool:
        return self.kind in ("dyad", "form")


def check_kind(value: str | None) -> str | None:
    if value is None:
        return None
    key = str(value).strip().lower()
    if key in ("", "inherit"):
        return None
    if key not in KINDS:
        raise InvalidInput(f"collaboration '{value}' is not one of: {', '.join(KINDS)}")
    return key


def check_partner_types(value: str | Iterable[str] | None) -> str | None:
    """Partner types as written in a codebook, comma-joined ('vmbo,mbo'); None when not given.

    Without a project at hand a type is taken as given (a spelling of a default
    type becomes its key); only garbage is refused. Which types a project
    knows is settled when the codebook enters it (``adopt_partner_types``).
    """
    if value is None:
        return None
    items = re.split(r"[,;|]", value) if isinstance(value, str) else [str(v) for v in value]
    keys = [DEFAULT_TYPES.resolve(i) or clean_key(i) for i in items if i.strip()]
    return ",".join(dict.fromkeys(keys)) or None


def project_partner_types(
    project: Project,
    value: str | Iterable[str] | None,
    new_types: list[str] | None = None,
    *,
    add: bool = False,
) -> str | None:
    """Partner types as the project stores them: its own keys.

    A type the project lacks is an error naming the fix, or with ``add`` is
    added to the project's types (its key goes into ``new_types``).
    """
    checked = check_partner_types(value)
    if checked is None:
        return None
    keys = checked.split(",")
    if add:
        return ",".join(resolve_types(project, keys, new_types)) or None
    return ",".join(dict.fromkeys(known_type(project, k) for k in keys)) or None


def adopt_partner_types(project: Project, *, add: bool = False) -> list[str]:
    """Map every code's partner types onto the project's types; returns the types this added.

    Run after a codebook entered the project, inside its transaction: a codebook
    file is checked (an unknown type is an error naming the code), a QDPX
    project from another program brings its types along (``add``).
    """
    new_types: list[str] = []
    for r in project.query(
        "SELECT id, path, partner_types FROM codes WHERE partner_types IS NOT NULL"
    ):
        try:
            stored = project_partner_types(project, r["partner_types"], new_types, add=add)
        except InvalidInput as exc:
            raise InvalidInput(f"{r['path']}: {exc}") from exc
        if stored != r["partner_types"]:
            project.conn.execute(
                "UPDATE codes SET partner_types = ? WHERE id = ?", (stored, r["id"])
            )
    return new_types


def code_roles(project: Project) -> dict[str, CodeRole]:
    """Every code's effective role, keyed by code id and by upper-case path."""
    rows = {
        r["id"]: r
        for r in project.query(
            "SELECT id, parent_id, path, collaboration, partner_types FROM codes"
        )
    }
    cache: dict[str, CodeRole] = {}

    def role(code_id: str) -> CodeRole:
        if code_id in cache:
            return cache[code_id]
        r = rows[code_id]
        parent = (
            role(r["parent_id"]) if r["parent_id"] in rows else CodeRole(None, frozenset(), False)
        )
        own = r["collaboration"]
        kind = parent.kind if own is None else (None if own == "none" else own)
        types = (
            frozenset(t for t in r["partner_types"].split(",") if t)
            if r["partner_types"]
            else parent.partner_types
        )
        within = parent.within or parent.kind is not None or kind is not None
        cache[code_id] = CodeRole(kind, types, within)
        return cache[code_id]

    out: dict[str, CodeRole] = {}
    for cid, r in rows.items():
        out[cid] = role(cid)
        out[r["path"].upper()] = out[cid]
    return out


def role_of(project: Project, path: str) -> CodeRole:
    return code_roles(project).get(path.upper(), CodeRole(None, frozenset(), False))


def collaboration_code_ids(project: Project, *, within: bool = False) -> list[str]:
    """Ids of the codes that take partners (and, with ``within``, the codes switched off inside them)."""
    roles = code_roles(project)
    return [
        r["id"]
        for r in project.query("SELECT id FROM codes ORDER BY path")
        if roles[r["id"]].collaboration or (within and roles[r["id"]].within)
    ]


def set_collaboration(
    project: Project,
    ref: str,
    kind: str | None,
    partner_types: str | Iterable[str] | None = None,
) -> dict[str, Any]:
    """Mark a code as a collaboration dyad or form (or 'none', or 'inherit'), optionally with partner types.

    ``kind`` None keeps the code's setting; ``partner_types`` None keeps its
    types and an empty list clears them (so they are inherited again). A
    partner type the project lacks is an error saying how to add it.
    """
    code = resolve_code(project, ref)
    new_kind = code["collaboration"] if kind is None else check_kind(kind)  # 'inherit' clears it
    before = {"collaboration": code["collaboration"], "partner_types": code["partner_types"]}
    with project.transaction():
        new_types = (
            project_partner_types(project, partner_types)
            if partner_types is not None
            else code["partner_types"]
        )
        if partner_types is not None and not new_types:
            new_types = None
        after = {"collaboration": new_kind, "partner_types": new_types}
        project.conn.execute(
            "UPDATE codes SET collaboration = ?, partner_types = ?, modified_at = ? WHERE id = ?",
            (new_kind, new_types, now(), code["id"]),
        )
        project.audit("update", "code", code["id"], before=before, after=after)
    return {**code, **after}


def describe(role: CodeRole) -> str:
    if not role.collaboration:
        return ""
    types = f" ({', '.join(sorted(role.partner_types))})" if role.partner_types else ""
    return f"{role.kind}{types}"
