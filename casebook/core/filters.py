"""The one filter model for "which coded passages": ``PassageFilter``.

Retrieval, synthesis (matrices, coding queries, frameworks, rounds), the quote
bank, partner graphs and auto-coding scopes all narrow coded passages the same
way, so they share this dataclass and turn it into SQL with ``core.query``.
Every list is an OR; different lists AND together; an empty list restricts
nothing. ``parse_filters`` reads the ``key=value[,value]`` items both front
ends accept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from casebook.codes.codebook import descendants, resolve_code
from casebook.core.cases import resolve_case
from casebook.core.documents import normalise_kind, resolve_document
from casebook.core.query import ROLE_SQL, Sql, Where, fetch_passages, marks
from casebook.errors import InvalidInput, NotFound
from casebook.store.project import Project

FILTER_KEYS = ("case", "document", "kind", "role", "round", "coder", "code")


@dataclass
class PassageFilter:
    """Restrictions on which codings count; every list is an OR, lists AND together."""

    case_ids: list[str] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # speaker role (see core.query), lower case
    document_roles: list[str] = field(default_factory=list)  # documents.role, lower case
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

    def case_clauses(self, case_col: str) -> Where:
        """Conditions on a case id column (cases, documents.case_id)."""
        out = Where().among(case_col, self.case_ids)
        for attr_id, values in self.attributes:
            out.append(
                (
                    f"{case_col} IN (SELECT ca.case_id FROM case_attributes ca WHERE ca.attribute_id = ?"
                    f" AND lower(ca.value) IN ({marks(values)}))",
                    [attr_id, *values],
                )
            )
        return out

    def document_clauses(self) -> Where:
        """Conditions on ``documents d`` alone."""
        out = self.case_clauses("d.case_id")
        out.among("d.id", self.document_ids).among("d.kind", self.kinds)
        out.among("d.round", self.rounds)
        out.among("lower(coalesce(d.role, ''))", self.document_roles)
        return out

    def coding_clauses(self, *, roles: bool = True) -> Where:
        """Conditions on ``codings k`` joined to ``documents d`` (and the turn ``t``)."""
        out = self.document_clauses()
        out.among("k.coder_id", self.coder_ids).among("k.code_id", self.code_ids)
        if roles:
            out.among(f"lower({ROLE_SQL})", self.roles)
        return out

    def sql(self) -> Sql:
        """The passage query this filter chooses (joins the speaker turn only when needed)."""
        return Sql(where=self.coding_clauses(), turn=self.needs_turn)


def passages(project: Project, filters: PassageFilter | None = None) -> list[dict[str, Any]]:
    """The coded passages a filter chooses, in reading order per case."""
    return fetch_passages(project, (filters or PassageFilter()).sql())


def _split_values(raw: str) -> list[str]:
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if not values:
        raise InvalidInput(f"filter '{raw}' has no value after '='")
    return values


def parse_filters(project: Project, items: Iterable[str]) -> PassageFilter:
    """``key=value[,value]`` items: case, document, kind, role, round, coder, code or a case attribute."""
    f = PassageFilter()
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
