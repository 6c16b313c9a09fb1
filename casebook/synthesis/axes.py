"""Matrix axes: what a row or column stands for, as an SQL key and an ordered set of headers.

Headers list the whole domain (every case, every chosen code, every coder…)
so a zero is shown as a zero rather than a missing row; keys that only turn
up in the data (a role typed differently, a document without a round) are
appended. ``None`` keys are shown as "(none)".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from casebook.core.documents import KINDS
from casebook.core.filters import PassageFilter, case_attribute_id
from casebook.core.query import ROLE_SQL, marks
from casebook.errors import InvalidInput
from casebook.messages import message
from casebook.store.project import Project
from casebook.synthesis.codesets import CodeColumn

DIMENSIONS = ("case", "attribute:NAME", "role", "round", "document", "kind", "coder", "code")
NONE_LABEL = "(none)"
_ALIASES = {
    "case": "case",
    "cases": "case",
    "region": "case",
    "role": "role",
    "roles": "role",
    "speaker": "role",
    "round": "round",
    "rounds": "round",
    "document": "document",
    "documents": "document",
    "doc": "document",
    "kind": "kind",
    "coder": "coder",
    "coders": "coder",
    "code": "code",
    "codes": "code",
}


@dataclass(frozen=True)
class Header:
    key: Any
    label: str  # what a user types (--cell, find_header): a case name, a code's path
    title: str | None = None  # what a reader sees when it differs: a code's label


@dataclass
class Axis:
    name: str  # case | attribute | role | round | document | kind | coder | code
    title: str  # shown above the headers: "case", "krimp", "code"…
    expr: str  # SQL giving a passage's key on this axis
    headers: list[Header] = field(default_factory=list)
    turn: bool = False
    ctes: list[tuple[str, list[Any]]] = field(default_factory=list)
    joins: list[tuple[str, list[Any]]] = field(default_factory=list)
    where: list[tuple[str, list[Any]]] = field(default_factory=list)
    columns: list[CodeColumn] = field(default_factory=list)  # code axes only
    # Code axes only: the columns take in every code of the project, so the
    # axis restricts nothing and a query needs no code-id list for it.
    every_code: bool = False
    # Attribute axes only: the attribute's label per language ("Krimpregio").
    titles: dict[str, str] = field(default_factory=dict)

    def heading(self, language: str) -> str:
        """The axis title in a deliverable: "regio", "code", an attribute's label."""
        if self.name == "attribute":
            return self.titles.get(language) or self.title
        return message(language, "axes").get(self.name, self.title)

    def header_text(self, header: Header, language: str, ids: bool = False) -> str:
        """One header in a deliverable: code labels (paths with ``ids``), kinds and "(none)" in words."""
        if header.key is None:
            return message(language, "none")
        if self.name == "code":
            return header.label if ids or not header.title else header.title
        if self.name == "kind":
            return message(language, "kind_labels").get(header.key, header.label)
        return header.title or header.label

    def add_key(self, key: Any, label: str | None = None) -> None:
        if all(h.key != key for h in self.headers):
            self.headers.append(Header(key, label or (NONE_LABEL if key is None else str(key))))

    def restrict(self, key: Any) -> tuple[list[tuple[str, list[Any]]], list[tuple[str, list[Any]]]]:
        """CTEs and conditions that keep only the passages with ``key`` on this axis."""
        if self.name == "code" and self.ctes:
            col = next((c for c in self.columns if c.key == key), None)
            ids = col.code_ids if col else []
            alias = self.expr.split(".")[0]
            pairs = [(cid, key) for cid in ids] or [("", key)]
            cte = f"{alias}(code_id, col) AS (VALUES {', '.join('(?, ?)' for _ in pairs)})"
            return [(cte, [v for p in pairs for v in p])], []
        if key is None:
            return list(self.ctes), [(f"{self.expr} IS NULL", [])]
        return list(self.ctes), [(f"{self.expr} = ?", [key])]


def canonical(name: str) -> str:
    low = name.strip().lower()
    if low in _ALIASES:
        return _ALIASES[low]
    return name.strip()


def make_axis(
    project: Project,
    name: str,
    alias: str,
    filters: PassageFilter,
    columns: list[CodeColumn] | None = None,
) -> Axis:
    """Build one axis; ``alias`` ('r' or 'c') keeps two axes' joins apart."""
    dim = canonical(name)
    if dim == "case":
        return _case_axis(project, filters)
    if dim == "role":
        return _role_axis(project, filters)
    if dim == "round":
        return _round_axis(project, filters)
    if dim == "document":
        return _document_axis(project, filters)
    if dim == "kind":
        return _kind_axis(project, filters)
    if dim == "coder":
        return _coder_axis(project, filters)
    if dim == "code":
        if not columns:
            raise InvalidInput("a code axis needs codes; give --codes or --level")
        ids = {cid for c in columns for cid in c.code_ids}
        every = len(ids) >= project.scalar("SELECT count(*) FROM codes")
        return _code_axis(columns, alias, every)
    return _attribute_axis(project, dim, alias, filters)


def _where_sql(clauses: list[tuple[str, list[Any]]]) -> tuple[str, list[Any]]:
    if not clauses:
        return "", []
    return " WHERE " + " AND ".join(c for c, _ in clauses), [v for _, p in clauses for v in p]


def _case_axis(project: Project, filters: PassageFilter) -> Axis:
    where, params = _where_sql(filters.case_clauses("cs.id"))
    rows = project.query(f"SELECT cs.id, cs.name FROM cases cs{where} ORDER BY cs.name", params)
    return Axis("case", "case", "d.case_id", [Header(r["id"], r["name"]) for r in rows])


def _documents(project: Project, filters: PassageFilter) -> list[dict[str, Any]]:
    where, params = _where_sql(filters.document_clauses())
    return project.query(
        "SELECT d.id, d.name, d.kind, d.round, d.role, cs.name AS case_name FROM documents d"
        f" LEFT JOIN cases cs ON cs.id = d.case_id{where} ORDER BY cs.name, d.name",
        params,
    )


def _role_axis(project: Project, filters: PassageFilter) -> Axis:
    docs = _documents(project, filters)
    roles = {r["role"] for r in docs if r["role"]}
    if docs:
        ids = [d["id"] for d in docs]
        roles |= {
            r["role"]
            for r in project.query(
                "SELECT DISTINCT role FROM segments WHERE kind = 'turn' AND role IS NOT NULL"
                f" AND document_id IN ({marks(ids)})",
                ids,
            )
        }
    if filters.roles:
        roles = {r for r in roles if r.lower() in filters.roles}
    headers = [Header(r, r) for r in sorted(roles, key=str.lower)]
    return Axis("role", "role", ROLE_SQL, headers, turn=True)


def _round_axis(project: Project, filters: PassageFilter) -> Axis:
    rounds = sorted({d["round"] for d in _documents(project, filters) if d["round"]})
    return Axis("round", "round", "d.round", [Header(r, r) for r in rounds])


def _document_axis(project: Project, filters: PassageFilter) -> Axis:
    headers = [Header(d["id"], d["name"]) for d in _documents(project, filters)]
    return Axis("document", "document", "k.document_id", headers)


def _kind_axis(project: Project, filters: PassageFilter) -> Axis:
    present = {d["kind"] for d in _documents(project, filters)}
    return Axis("kind", "kind", "d.kind", [Header(k, k) for k in KINDS if k in present])


def _coder_axis(project: Project, filters: PassageFilter) -> Axis:
    rows = project.query("SELECT id, name FROM coders ORDER BY name")
    if filters.coder_ids:
        rows = [r for r in rows if r["id"] in filters.coder_ids]
    return Axis("coder", "coder", "k.coder_id", [Header(r["id"], r["name"]) for r in rows])


def _code_axis(columns: list[CodeColumn], alias: str, every: bool = False) -> Axis:
    """A code axis; ``every`` (all codes chosen) drops the code-id list, which then filters nothing."""
    headers = [Header(c.key, c.label, c.title or None) for c in columns]
    if all(c.code_ids == [c.key] for c in columns):
        ids = [c.key for c in columns]
        where = [] if every else [(f"k.code_id IN ({marks(ids)})", ids)]
        return Axis(
            "code", "code", "k.code_id", headers, where=where, columns=columns, every_code=every
        )
    name = f"cm_{alias}"
    pairs = [(cid, c.key) for c in columns for cid in c.code_ids]
    cte = f"{name}(code_id, col) AS (VALUES {', '.join('(?, ?)' for _ in pairs)})"
    return Axis(
        "code",
        "code",
        f"{name}.col",
        headers,
        ctes=[(cte, [v for p in pairs for v in p])],
        joins=[(f"JOIN {name} ON {name}.code_id = k.code_id", [])],
        columns=columns,
        every_code=every,
    )


def _attribute_axis(project: Project, name: str, alias: str, filters: PassageFilter) -> Axis:
    try:
        attr_id = case_attribute_id(project, name)
    except InvalidInput as exc:
        dims = ", ".join(DIMENSIONS)
        raise InvalidInput(f"'{name}' is neither an axis ({dims}) nor a case attribute") from exc
    attr = project.query_one("SELECT name, type, labels FROM attributes WHERE id = ?", (attr_id,))
    assert attr is not None
    where, params = _where_sql(filters.case_clauses("cs.id"))
    rows = project.query(
        "SELECT cs.id, ca.value FROM cases cs LEFT JOIN case_attributes ca"
        f" ON ca.case_id = cs.id AND ca.attribute_id = ?{where}",
        [attr_id, *params],
    )
    values = {r["value"] for r in rows if r["value"] not in (None, "")}

    def order(v: str) -> tuple[int, float, str]:
        if attr["type"] == "number":
            try:
                return (0, float(v), "")
            except ValueError:
                pass
        return (1, 0.0, v.lower())

    headers = [Header(v, v) for v in sorted(values, key=order)]
    if any(r["value"] in (None, "") for r in rows):
        headers.append(Header(None, NONE_LABEL))
    a = f"a_{alias}"
    return Axis(
        "attribute",
        attr["name"],
        f"nullif({a}.value, '')",
        headers,
        joins=[
            (
                f"LEFT JOIN case_attributes {a} ON {a}.case_id = d.case_id AND {a}.attribute_id = ?",
                [attr_id],
            )
        ],
        titles=json.loads(attr["labels"] or "{}"),
    )
