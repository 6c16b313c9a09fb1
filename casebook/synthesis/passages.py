"""One definition of a coded passage, and the filters every synthesis view shares.

A *passage* is a coding seen in its context: case, document, kind, round,
coder, and two things that are not stored on the coding itself:

* the **speaker role**: the turn in which the coding starts decides it. An
  interviewer turn gives ``interviewer``; a respondent turn gives the turn's
  role, falling back to the document's role; outside any turn (reports,
  untranscribed text) the document's role.
* the **respondent**: ``documents.respondent`` when it is set (a stable id for
  a person interviewed in several rounds, so that person counts once);
  otherwise the document plus the speaker label of the turn (so two people in
  one group interview count twice); otherwise the document itself. Passages
  in interviewer turns have no respondent.

Matrices, coding queries, frameworks and round comparisons all build their
SQL from ``Sql`` below, so a cell count and the passages behind it use the
same joins and the same filters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from casebook.codes.codebook import descendants, resolve_code
from casebook.core.cases import resolve_case
from casebook.core.documents import normalise_kind, resolve_document
from casebook.errors import InvalidInput, NotFound
from casebook.store.project import Project

# The turn a coding starts in: turns never overlap, so the last turn starting
# at or before the coding is the only candidate; it must also still run.
TURN_JOIN = (
    "LEFT JOIN segments t ON t.id = (SELECT s.id FROM segments s WHERE s.document_id = k.document_id"
    " AND s.kind = 'turn' AND s.start <= k.start ORDER BY s.start DESC LIMIT 1) AND t.end > k.start"
)
ROLE_SQL = "(CASE WHEN t.speaker_kind = 'interviewer' THEN 'interviewer' ELSE coalesce(t.role, d.role) END)"
RESPONDENT_SQL = (
    "(CASE WHEN t.speaker_kind = 'interviewer' THEN NULL"
    " WHEN coalesce(d.respondent, '') <> '' THEN 'r:' || d.respondent"
    " WHEN t.id IS NOT NULL THEN 'd:' || d.id || ':' || lower(trim(coalesce(t.label, '')))"
    " ELSE 'd:' || d.id END)"
)

PASSAGE_SELECT = (
    "k.id AS coding_id, k.document_id, d.name AS document, d.kind, d.round, d.case_id,"
    " cs.name AS case_name, " + ROLE_SQL + " AS role, " + RESPONDENT_SQL + " AS respondent,"
    " t.label AS speaker, o.name AS coder, k.code_id, x.path AS code,"
    " coalesce(nullif(x.label, ''), x.name) AS code_label, k.start, k.end, k.quote, k.memo"
)
PASSAGE_JOINS = (
    "LEFT JOIN cases cs ON cs.id = d.case_id JOIN codes x ON x.id = k.code_id"
    " JOIN coders o ON o.id = k.coder_id"
)
PASSAGE_ORDER = "cs.name, d.name, k.start, k.end, x.path, o.name"

FILTER_KEYS = ("case", "document", "kind", "role", "round", "coder", "code")


def marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


@dataclass
class Filters:
    """Restrictions on which codings count; every list is an OR, lists AND together."""

    case_ids: list[str] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # lower case
    rounds: list[str] = field(default_factory=list)
    coder_ids: list[str] = field(default_factory=list)
    code_ids: list[str] = field(default_factory=list)  # with descendants already
    attributes: list[tuple[str, list[str]]] = field(
        default_factory=list
    )  # (attribute id, lower values)
    items: list[str] = field(default_factory=list)  # as the user wrote them

    @property
    def needs_turn(self) -> bool:
        return bool(self.roles)

    def describe(self) -> str:
        return "; ".join(self.items)

    def case_clauses(self, case_col: str) -> list[tuple[str, list[Any]]]:
        """Conditions on a case id column (cases, documents.case_id)."""
        out: list[tuple[str, list[Any]]] = []
        if self.case_ids:
            out.append((f"{case_col} IN ({marks(self.case_ids)})", list(self.case_ids)))
        for attr_id, values in self.attributes:
            out.append(
                (
                    f"{case_col} IN (SELECT ca.case_id FROM case_attributes ca WHERE ca.attribute_id = ?"
                    f" AND lower(ca.value) IN ({marks(values)}))",
                    [attr_id, *values],
                )
            )
        return out

    def document_clauses(self) -> list[tuple[str, list[Any]]]:
        """Conditions on ``documents d`` alone."""
        out = self.case_clauses("d.case_id")
        if self.document_ids:
            out.append((f"d.id IN ({marks(self.document_ids)})", list(self.document_ids)))
        if self.kinds:
            out.append((f"d.kind IN ({marks(self.kinds)})", list(self.kinds)))
        if self.rounds:
            out.append((f"d.round IN ({marks(self.rounds)})", list(self.rounds)))
        return out

    def coding_clauses(self, *, roles: bool = True) -> list[tuple[str, list[Any]]]:
        """Conditions on ``codings k`` joined to ``documents d`` (and the turn ``t``)."""
        out = self.document_clauses()
        if self.coder_ids:
            out.append((f"k.coder_id IN ({marks(self.coder_ids)})", list(self.coder_ids)))
        if self.code_ids:
            out.append((f"k.code_id IN ({marks(self.code_ids)})", list(self.code_ids)))
        if roles and self.roles:
            out.append((f"lower({ROLE_SQL}) IN ({marks(self.roles)})", list(self.roles)))
        return out


def _split_values(raw: str) -> list[str]:
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if not values:
        raise InvalidInput(f"filter '{raw}' has no value after '='")
    return values


def parse_filters(project: Project, items: Iterable[str]) -> Filters:
    """``key=value[,value]`` items: case, document, kind, role, round, coder, code or a case attribute."""
    f = Filters()
    for item in items:
        if "=" not in item:
            raise InvalidInput(
                f"filter '{item}' is not key=value (for example role=mbo or krimp=ja)"
            )
        key, raw = (part.strip() for part in item.split("=", 1))
        values = _split_values(raw)
        low = key.lower()
        f.items.append(f"{key}={','.join(values)}")
        if low == "case":
            f.case_ids += [resolve_case(project, v)["id"] for v in values]
        elif low in ("document", "doc"):
            f.document_ids += [resolve_document(project, v)["id"] for v in values]
        elif low == "kind":
            f.kinds += [normalise_kind(v) for v in values]
        elif low == "role":
            f.roles += [v.lower() for v in values]
        elif low == "round":
            f.rounds += values
        elif low == "coder":
            f.coder_ids += [coder_by_name(project, v) for v in values]
        elif low == "code":
            for v in values:
                f.code_ids += descendants(project, resolve_code(project, v)["id"])
        else:
            attr_id = case_attribute_id(project, key)
            f.attributes.append((attr_id, [v.lower() for v in values]))
    return f


def case_attribute_id(project: Project, name: str) -> str:
    bare = name.split(":", 1)[1] if name.lower().startswith(("attr:", "attribute:")) else name
    row = project.query_one(
        "SELECT id FROM attributes WHERE scope = 'case' AND name = ?", (bare.strip(),)
    )
    if row is None:
        names = [
            r["name"]
            for r in project.query("SELECT name FROM attributes WHERE scope = 'case' ORDER BY name")
        ]
        known = ", ".join([*FILTER_KEYS, *names])
        raise InvalidInput(f"unknown filter or case attribute '{bare}'; use one of: {known}")
    return row["id"]


def coder_by_name(project: Project, name: str) -> str:
    row = project.query_one("SELECT id FROM coders WHERE name = ? OR id = ?", (name, name))
    if row is None:
        names = ", ".join(r["name"] for r in project.query("SELECT name FROM coders ORDER BY name"))
        raise NotFound(f"no coder '{name}' in this project; coders: {names or 'none yet'}")
    return row["id"]


@dataclass
class Sql:
    """A SELECT over ``codings k JOIN documents d`` assembled from parts, parameters in order."""

    ctes: list[tuple[str, list[Any]]] = field(default_factory=list)
    joins: list[tuple[str, list[Any]]] = field(default_factory=list)
    where: list[tuple[str, list[Any]]] = field(default_factory=list)
    turn: bool = False

    def copy(self) -> Sql:
        return Sql(list(self.ctes), list(self.joins), list(self.where), self.turn)

    def render(self, select: str, tail: str = "") -> tuple[str, list[Any]]:
        params: list[Any] = []
        parts: list[str] = []
        if self.ctes:
            parts.append("WITH " + ", ".join(c for c, _ in self.ctes))
            for _, p in self.ctes:
                params += p
        parts.append(f"SELECT {select} FROM codings k JOIN documents d ON d.id = k.document_id")
        if self.turn:
            parts.append(TURN_JOIN)
        for j, p in self.joins:
            parts.append(j)
            params += p
        if self.where:
            parts.append("WHERE " + " AND ".join(w for w, _ in self.where))
            for _, p in self.where:
                params += p
        if tail:
            parts.append(tail)
        return "\n".join(parts), params


def base_sql(filters: Filters) -> Sql:
    return Sql(where=filters.coding_clauses(), turn=filters.needs_turn)


def fetch_passages(
    project: Project, sql: Sql, *, extra: str = "", order: str = PASSAGE_ORDER
) -> list[dict[str, Any]]:
    """Passages (see the module docstring) for a prepared query, in reading order per case."""
    q = sql.copy()
    q.turn = True
    q.joins = [(PASSAGE_JOINS, []), *q.joins]
    select = PASSAGE_SELECT + (f", {extra}" if extra else "")
    text, params = q.render(select, f"ORDER BY {order}")
    return project.query(text, params)


def passages(project: Project, filters: Filters | None = None) -> list[dict[str, Any]]:
    return fetch_passages(project, base_sql(filters or Filters()))


def short_quote(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
