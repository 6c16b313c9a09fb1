"""The one query builder for coded passages, and the SQL that defines a passage.

Every listing of codings (retrieval, synthesis matrices and queries, the quote
bank, partner listings, auto-coding scopes) builds its WHERE clause from
``Where`` and, when it selects codings, its whole statement from ``Sql``, so a
filter means the same rows wherever it is applied. Values are always bound as
``?`` parameters; only column names and fixed SQL fragments are written into the
text.

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
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

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


def marks(values: Collection[Any]) -> str:
    """One ``?`` per value, for an ``IN (...)`` list."""
    return ", ".join("?" for _ in values)


class Where(list[tuple[str, list[Any]]]):
    """Conditions ANDed together, each a SQL fragment with its bound parameters.

    The helpers skip a condition whose value is missing (None, empty string or
    empty list), which is what every optional filter argument means: "no
    restriction", never "nothing matches".
    """

    def add(self, clause: str, *params: Any) -> Where:
        self.append((clause, list(params)))
        return self

    def equal(self, column: str, value: Any, *, nocase: bool = False) -> Where:
        if value is not None and value != "":
            self.add(f"{column} = ?" + (" COLLATE NOCASE" if nocase else ""), value)
        return self

    def among(self, column: str, values: Iterable[Any] | None) -> Where:
        vals = list(values or ())
        if vals:
            self.append((f"{column} IN ({marks(vals)})", vals))
        return self

    @property
    def params(self) -> list[Any]:
        return [p for _, ps in self for p in ps]

    def sql(self) -> str:
        """`` WHERE a AND b`` (with a leading space), or nothing when there is no condition."""
        return " WHERE " + " AND ".join(c for c, _ in self) if self else ""


@dataclass
class Sql:
    """A SELECT over ``codings k JOIN documents d`` assembled from parts, parameters in order."""

    ctes: list[tuple[str, list[Any]]] = field(default_factory=list)
    joins: list[tuple[str, list[Any]]] = field(default_factory=list)
    where: list[tuple[str, list[Any]]] = field(default_factory=Where)
    turn: bool = False

    def copy(self) -> Sql:
        return Sql(list(self.ctes), list(self.joins), Where(self.where), self.turn)

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
