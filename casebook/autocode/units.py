"""The passages autocoding can suggest: sentences, turns, paragraphs or sections.

A rule finds *hits* (character ranges); the unit decides how much text a
suggestion covers. Units come from the document's stored segments, so a
suggestion always starts and ends where the reader's own sentence, turn,
paragraph or section does. Where a document has no turns, a turn unit falls
back to paragraphs (as the reader's turn keys do); where it has no section
around a hit, a section unit falls back to the paragraph.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from casebook.core.cases import resolve_case
from casebook.core.documents import normalise_kind
from casebook.core.filters import PassageFilter
from casebook.core.query import marks
from casebook.errors import InvalidInput
from casebook.store.project import Project

UNITS = ("sentence", "turn", "paragraph", "section")
Range = tuple[int, int]


class Match(NamedTuple):
    """One proposed passage (a tuple: thousands are made per run)."""

    document_id: str
    document: str
    start: int
    end: int
    score: float


def document_texts(project: Project, doc_ids: Sequence[str]) -> dict[str, str]:
    """The canonical text of each listed document, read 500 at a time."""
    out: dict[str, str] = {}
    for start in range(0, len(doc_ids), 500):
        chunk = list(doc_ids[start : start + 500])
        for doc_id, text in project.conn.execute(
            f"SELECT document_id, text FROM document_texts WHERE document_id IN ({marks(chunk)})",
            chunk,
        ):
            out[doc_id] = text
    return out


@dataclass(frozen=True)
class Scope:
    """Where a rule may suggest: case names, document kinds, document roles (empty = all)."""

    cases: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    documents: tuple[
        str, ...
    ] = ()  # document ids; used after an import to run on new documents only

    def to_dict(self) -> dict[str, list[str]]:
        return {
            k: list(v)
            for k, v in (("case", self.cases), ("kind", self.kinds), ("role", self.roles))
            if v
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scope:
        return cls(
            tuple(data.get("case", ())), tuple(data.get("kind", ())), tuple(data.get("role", ()))
        )

    def describe(self) -> str:
        parts = [f"{k} {', '.join(v)}" for k, v in self.to_dict().items()]
        return "; ".join(parts) or "every document"


def split_values(values: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for item in values or () for v in item.split(",") if v.strip())


def check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise InvalidInput(f"unknown unit '{unit}'; use one of {', '.join(UNITS)}")
    return unit


def documents_in_scope(project: Project, scope: Scope) -> list[dict[str, Any]]:
    """Documents (id, name, case, kind, role) the scope allows, in case and name order."""
    where = PassageFilter(
        case_ids=[resolve_case(project, c)["id"] for c in scope.cases],
        kinds=[normalise_kind(k) for k in scope.kinds],
        document_roles=[r.lower() for r in scope.roles],
        document_ids=list(scope.documents),
    ).document_clauses()
    sql = (
        "SELECT d.id, d.name, d.kind, d.role, c.name AS case_name FROM documents d "
        "LEFT JOIN cases c ON c.id = d.case_id"
    )
    return project.query(sql + where.sql() + " ORDER BY c.name, d.name", where.params)


@dataclass
class DocUnits:
    """One document's segments of the kinds a rule needs, sorted by start."""

    document_id: str
    sentences: list[Range] = field(default_factory=list)
    paragraphs: list[Range] = field(default_factory=list)
    turns: list[Range] = field(default_factory=list)
    sections: list[Range] = field(default_factory=list)

    def of(self, unit: str) -> list[Range]:
        if unit == "sentence":
            return self.sentences
        if unit == "paragraph":
            return self.paragraphs
        if unit == "turn":
            return self.turns or self.paragraphs
        return self.sections


def load_units(project: Project, document_ids: Sequence[str], unit: str) -> dict[str, DocUnits]:
    """Segments per document for ``unit`` (and paragraphs, the fallback of turns and sections)."""
    kinds = {
        "sentence": ("sentence",),
        "paragraph": ("paragraph", "table_row"),
        "turn": ("turn", "paragraph", "table_row"),
        "section": ("section", "paragraph", "table_row"),
    }[unit]
    out = {d: DocUnits(d) for d in document_ids}
    if not document_ids:
        return out
    slots = marks(kinds)
    sql = f"SELECT kind, start, end FROM segments WHERE document_id = ? AND kind IN ({slots}) AND end > start"
    for doc_id in document_ids:  # one indexed lookup per document beats one big sorted IN query
        du = out[doc_id]
        for kind, s, e in project.conn.execute(sql, (doc_id, *kinds)):
            if kind == "sentence":
                du.sentences.append((s, e))
            elif kind == "turn":
                du.turns.append((s, e))
            elif kind == "section":
                du.sections.append((s, e))
            else:
                du.paragraphs.append((s, e))
    for du in out.values():
        for spans in (du.sentences, du.paragraphs, du.turns, du.sections):
            spans.sort()
    return out


def units_for_hits(du: DocUnits, unit: str, hits: Iterable[Range], text: str) -> dict[Range, int]:
    """The units the hits fall in, each with the number of hits in it.

    For sentence, turn and paragraph units every unit a hit overlaps (by a
    non-space character) counts; for sections the innermost section holding
    the hit's start, or the paragraph when no section holds it.
    """
    found: dict[Range, int] = {}
    if unit == "section":
        for s, e in hits:
            holder = _innermost(du.sections, s, e) or _first_overlap(du.paragraphs, s, e, text)
            if holder:
                found[holder] = found.get(holder, 0) + 1
        return found
    units = du.of(unit)
    starts = [u[0] for u in units]
    for s, e in hits:
        i = max(bisect.bisect_right(starts, s) - 1, 0)
        while i < len(units) and units[i][0] < e:
            us, ue = units[i]
            lo, hi = max(us, s), min(ue, e)
            if lo < hi and text[lo:hi].strip():
                found[units[i]] = found.get(units[i], 0) + 1
            i += 1
    return found


def _innermost(sections: Sequence[Range], s: int, e: int) -> Range | None:
    best: Range | None = None
    for us, ue in sections:
        if us <= s and e <= ue and (best is None or ue - us < best[1] - best[0]):
            best = (us, ue)
    return best


def _first_overlap(units: Sequence[Range], s: int, e: int, text: str) -> Range | None:
    for us, ue in units:
        if us < e and s < ue and text[max(us, s) : min(ue, e)].strip():
            return (us, ue)
    return None


def coded_ranges(
    project: Project, code_id: str, document_ids: Sequence[str] | None = None
) -> dict[str, list[Range]]:
    """Every coding of a code (any coder), per document."""
    out: dict[str, list[Range]] = {}
    for doc_id, s, e in project.conn.execute(
        "SELECT document_id, start, end FROM codings WHERE code_id = ? ORDER BY document_id, start",
        (code_id,),
    ):
        out.setdefault(doc_id, []).append((int(s), int(e)))
    if document_ids is not None:
        keep = set(document_ids)
        out = {k: v for k, v in out.items() if k in keep}
    return out


def overlaps_any(span: Range, ranges: Sequence[Range], text: str) -> bool:
    """True when a non-space character of ``span`` is already inside one of ``ranges``."""
    s, e = span
    for rs, re_ in ranges:
        lo, hi = max(s, rs), min(e, re_)
        if lo < hi and text[lo:hi].strip():
            return True
    return False
