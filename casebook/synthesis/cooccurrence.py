"""Code × code co-occurrence, by overlapping passages or by shared speaker turns.

``overlap``: a cell counts the pairs of *different* codings that overlap,
one in each code (a coding never co-occurs with itself, even when a code and
its child are both chosen). The Jaccard share is by characters: the text
coded with both codes over the text coded with either.

``turn``: the unit is the speaker turn. A cell counts the turns holding
passages of both codes; the Jaccard share is those turns over the turns
holding either. Passages outside any turn (reports) take no part.

The diagonal holds each code's own size: its codings (overlap) or turns (turn).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from casebook.core.filters import PassageFilter, parse_filters
from casebook.core.query import Sql, marks
from casebook.errors import InvalidInput
from casebook.messages import message
from casebook.store.project import Project
from casebook.synthesis.codesets import CodeColumn, code_columns
from casebook.synthesis.queries import load_units

MODES = ("overlap", "turn")


@dataclass
class Cooccurrence:
    codes: list[CodeColumn]
    within: str
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    jaccard: dict[tuple[str, str], float] = field(default_factory=dict)
    filters: list[str] = field(default_factory=list)

    def count(self, a: str, b: str) -> int:
        return self.counts.get((a, b), 0)

    def share(self, a: str, b: str) -> float:
        return self.jaccard.get((a, b), 0.0)

    def title(self, language: str = "nl", *, jaccard: bool = False) -> str:
        """ "Samen voorkomen per spreekbeurt (Jaccard)" / "Co-occurrence by turn"."""
        mode = message(language, "within_modes").get(self.within, self.within)
        text = message(language, "cooccurrence_title").format(x=mode)
        return text + (f" ({message(language, 'jaccard')})" if jaccard else "")

    def sheet_names(self, language: str = "nl") -> tuple[str, str]:
        mode = message(language, "within_modes").get(self.within, self.within)
        return (
            message(language, "cooccurrence_sheet").format(x=mode),
            message(language, "jaccard").lower(),
        )

    def grid(
        self, *, jaccard: bool = False, language: str = "nl", ids: bool = False
    ) -> list[list[Any]]:
        """Code × code with headers in ``language``: code labels, or code ids with ``ids``."""
        head = message(language, "axes")["code"]
        out: list[list[Any]] = [[head, *(c.text(ids) for c in self.codes)]]
        for a in self.codes:
            line: list[Any] = [a.text(ids)]
            for b in self.codes:
                line.append(
                    round(self.share(a.key, b.key), 3) if jaccard else self.count(a.key, b.key)
                )
            out.append(line)
        return out

    def as_dict(self, *, language: str = "nl", ids: bool = False) -> dict[str, Any]:
        return {
            "within": self.within,
            "codes": [c.label for c in self.codes],
            "labels": [c.text(ids) for c in self.codes],
            "counts": [[self.count(a.key, b.key) for b in self.codes] for a in self.codes],
            "jaccard": [
                [round(self.share(a.key, b.key), 4) for b in self.codes] for a in self.codes
            ],
            "filters": self.filters,
        }


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _intersection(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    i = j = n = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            n += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return n


def cooccurrence(
    project: Project,
    refs: Sequence[str] | None = None,
    *,
    level: int | None = None,
    children: bool = True,
    within: str = "overlap",
    filters: Sequence[str] = (),
) -> Cooccurrence:
    if within not in MODES:
        raise InvalidInput(f"co-occurrence is by overlap or turn, not '{within}'")
    cols = code_columns(project, refs, level=level, children=children)
    f: PassageFilter = parse_filters(project, filters)
    by_code: dict[str, list[str]] = defaultdict(list)
    for c in cols:
        for cid in c.code_ids:
            by_code[cid].append(c.key)
    sql = Sql(where=f.coding_clauses(), turn=f.needs_turn)
    ids = sorted(by_code)
    sql.where.append((f"k.code_id IN ({marks(ids)})", ids))
    text, params = sql.render(
        "k.id, k.document_id, k.code_id, k.start, k.end", "ORDER BY k.document_id, k.start"
    )
    per_doc: dict[str, list[tuple[str, str, int, int]]] = defaultdict(list)
    for kid, doc, code_id, s, e in project.conn.execute(text, params):
        per_doc[doc].append((kid, code_id, s, e))
    result = Cooccurrence(cols, within, filters=list(f.items))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    if within == "overlap":
        covered: dict[str, int] = defaultdict(int)
        both: dict[tuple[str, str], int] = defaultdict(int)
        for rows in per_doc.values():
            _overlap_doc(rows, by_code, counts, covered, both)
        for c in cols:
            for d in cols:
                if c.key == d.key:
                    result.jaccard[(c.key, c.key)] = 1.0 if covered[c.key] else 0.0
                    continue
                inter = both.get((c.key, d.key), 0)
                union = covered[c.key] + covered[d.key] - inter
                result.jaccard[(c.key, d.key)] = inter / union if union else 0.0
    else:
        units = load_units(project, sorted(per_doc), ("turn",))
        turns: dict[str, set[tuple[str, int]]] = defaultdict(set)
        for doc, rows in per_doc.items():
            u = units.get(doc)
            if u is None:
                continue
            for _kid, code_id, s, e in rows:
                hit = u.touched(s, e)
                if hit is None:
                    continue
                for key in by_code[code_id]:
                    turns[key].update((doc, i) for i in range(hit[0], hit[1] + 1))
        for c in cols:
            for d in cols:
                inter = len(turns[c.key] & turns[d.key])
                union = len(turns[c.key] | turns[d.key])
                counts[(c.key, d.key)] = inter
                result.jaccard[(c.key, d.key)] = inter / union if union else 0.0
    result.counts = dict(counts)
    return result


def _overlap_doc(
    rows: list[tuple[str, str, int, int]],
    by_code: dict[str, list[str]],
    counts: dict[tuple[str, str], int],
    covered: dict[str, int],
    both: dict[tuple[str, str], int],
) -> None:
    """Pairs of overlapping codings in one document (rows sorted by start), and coverage."""
    for _kid, code_id, _s, _e in rows:
        for key in by_code[code_id]:
            counts[(key, key)] += 1
    open_: list[tuple[str, str, int, int]] = []
    for row in rows:
        _kid, code_id, s, e = row
        open_ = [o for o in open_ if o[3] > s]
        for o in open_:
            pairs = {
                (a, b) if a < b else (b, a)
                for a in by_code[o[1]]
                for b in by_code[code_id]
                if a != b
            }
            for a, b in pairs:
                counts[(a, b)] += 1
                counts[(b, a)] += 1
        open_.append(row)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for _kid, code_id, s, e in rows:
        for key in by_code[code_id]:
            spans[key].append((s, e))
    merged = {k: _merge(v) for k, v in spans.items()}
    for k, v in merged.items():
        covered[k] += sum(e - s for s, e in v)
    for a, b in combinations(sorted(merged), 2):
        inter = _intersection(merged[a], merged[b])
        if inter:
            both[(a, b)] += inter
            both[(b, a)] += inter
