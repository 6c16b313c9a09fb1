"""Coding queries: which passages are coded X, near (or not near) Y?

The query starts from the passages of ``codes`` (an OR: any of them), then
keeps a passage only if, for every ``all_of`` code, a passage of that code
is *related* to it, and drops it if any ``none_of`` passage is related.
Relations:

* ``overlap``      the two ranges share at least one character;
* ``turn``         they touch a common speaker turn;
* ``paragraph``    they touch a common paragraph (or table row);
* ``sentences:N``  at most N sentences lie between them (0 = a shared sentence).

A passage is related to itself, so ``--code BEL --not BEL.TIJD`` drops the
passages coded ``BEL.TIJD`` too. The coder filter applies to both sides; the
other filters choose the starting passages (the related ones are in the same
document anyway).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from casebook.codes.codebook import descendants, resolve_code
from casebook.core.filters import PassageFilter
from casebook.core.query import fetch_passages, marks
from casebook.errors import InvalidInput
from casebook.store.project import Project

RELATIONS = ("overlap", "turn", "paragraph", "sentences:N")
_SENTENCES = re.compile(r"^sentences?[:=]?(\d+)$")


@dataclass
class CodingQuery:
    codes: list[str]
    all_of: list[str] = field(default_factory=list)
    none_of: list[str] = field(default_factory=list)
    within: str = "overlap"
    children: bool = True


@dataclass(frozen=True)
class Relation:
    kind: str  # overlap | turn | paragraph | sentences
    distance: int = 0

    @property
    def segment_kinds(self) -> tuple[str, ...]:
        return {
            "overlap": (),
            "turn": ("turn",),
            "paragraph": ("paragraph", "table_row"),
            "sentences": ("sentence",),
        }[self.kind]


def parse_relation(text: str) -> Relation:
    low = text.strip().lower().replace(" ", "")
    if low in ("overlap", "overlapping", "overlaps"):
        return Relation("overlap")
    if low in ("turn", "speaker", "same-turn"):
        return Relation("turn")
    if low in ("paragraph", "para", "same-paragraph"):
        return Relation("paragraph")
    if low in ("sentence", "sentences"):
        return Relation("sentences", 0)
    m = _SENTENCES.match(low)
    if m:
        return Relation("sentences", int(m.group(1)))
    raise InvalidInput(f"--within '{text}' is not known; use one of: {', '.join(RELATIONS)}")


def _code_ids(project: Project, refs: Sequence[str], children: bool) -> set[str]:
    out: set[str] = set()
    for ref in refs:
        code = resolve_code(project, ref)
        out |= set(descendants(project, code["id"])) if children else {code["id"]}
    return out


class Units:
    """The segments of one kind in one document, as sorted ranges for bisecting."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans.sort()
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def touched(self, start: int, end: int) -> tuple[int, int] | None:
        """Index range [i, j] of units overlapping [start, end), or None."""
        i = bisect_right(self.ends, start)  # first unit ending after start
        j = bisect_left(self.starts, end) - 1  # last unit starting before end
        return (i, j) if i <= j else None


def load_units(project: Project, doc_ids: list[str], kinds: tuple[str, ...]) -> dict[str, Units]:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        for d, s, e in project.conn.execute(
            f"SELECT document_id, start, end FROM segments WHERE kind IN ({marks(kinds)})"
            f" AND document_id IN ({marks(chunk)})",
            [*kinds, *chunk],
        ):
            spans[d].append((s, e))
    return {d: Units(v) for d, v in spans.items()}


def _related(rel: Relation, units: Units | None, a: tuple[int, int], b: tuple[int, int]) -> bool:
    if rel.kind == "overlap":
        return a[0] < b[1] and b[0] < a[1]
    if units is None:
        return False
    ra, rb = units.touched(*a), units.touched(*b)
    if ra is None or rb is None:
        return False
    gap = max(rb[0] - ra[1], ra[0] - rb[1], 0)
    return gap <= (rel.distance if rel.kind == "sentences" else 0)


def run_query(
    project: Project, query: CodingQuery, filters: PassageFilter | None = None
) -> list[dict[str, Any]]:
    """Passages matching the query, each with ``matched``: the related codes that let it through."""
    if not query.codes:
        raise InvalidInput("give at least one --code")
    filters = filters or PassageFilter()
    rel = parse_relation(query.within)
    base = _code_ids(project, query.codes, query.children)
    need = [_code_ids(project, [ref], query.children) for ref in query.all_of]
    avoid = _code_ids(project, query.none_of, query.children) if query.none_of else set()

    sql = filters.sql()
    sql.where.append((f"k.code_id IN ({marks(sorted(base))})", sorted(base)))
    anchors = fetch_passages(project, sql)
    if not (need or avoid) or not anchors:
        for p in anchors:
            p["matched"] = []
        return anchors

    doc_ids = sorted({p["document_id"] for p in anchors})
    other = sorted(set().union(*need, avoid))
    neighbours: dict[str, list[tuple[str, str, int, int, str]]] = defaultdict(list)
    coder_sql = f" AND k.coder_id IN ({marks(filters.coder_ids)})" if filters.coder_ids else ""
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        for row in project.conn.execute(
            "SELECT k.id, k.document_id, k.start, k.end, k.code_id, x.path FROM codings k"
            " JOIN codes x ON x.id = k.code_id"
            f" WHERE k.document_id IN ({marks(chunk)}) AND k.code_id IN ({marks(other)}){coder_sql}",
            [*chunk, *other, *filters.coder_ids],
        ):
            cid, doc, s, e, code_id, path = row
            neighbours[doc].append((cid, code_id, s, e, path))
    units = load_units(project, doc_ids, rel.segment_kinds) if rel.segment_kinds else {}

    out: list[dict[str, Any]] = []
    for p in anchors:
        span = (p["start"], p["end"])
        doc_units = units.get(p["document_id"])
        near = [
            n
            for n in neighbours.get(p["document_id"], [])
            if n[0] == p["coding_id"] or _related(rel, doc_units, span, (n[2], n[3]))
        ]
        if any(n[1] in avoid for n in near):
            continue
        matched: list[str] = []
        ok = True
        for ids in need:
            hits = [n for n in near if n[1] in ids]
            if not hits:
                ok = False
                break
            matched += [n[4] for n in hits if n[0] != p["coding_id"]]
        if ok:
            p["matched"] = sorted(set(matched))
            out.append(p)
    return out
