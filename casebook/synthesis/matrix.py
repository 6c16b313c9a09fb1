"""Matrices: a measure of coded passages cross-tabulated by two axes.

One module: planning a matrix, its SQL and its totals change together whenever a measure
is added.

Measures (see docs/synthesis.md for the exact definitions):

* ``segments``    the number of codings (coded passages). A passage coded
  twice (two coders, or two child codes rolled into one parent) counts twice.
* ``documents``   distinct documents.
* ``respondents`` distinct respondents (see ``passages``); interviewer
  passages do not count.
* ``cases``       distinct cases.
* ``characters``  characters covered by the passages; overlapping passages
  count once, so a cell never exceeds the text it covers.
* ``presence``    1 when the cell has any passage, else 0.

Totals are the same measure over the union of a row's (column's) passages,
so a document coded with two codes counts once in the row total. For
``presence`` a total is the number of present cells ("in 7 of 20 cases").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from casebook.core.filters import PassageFilter, parse_filters
from casebook.core.query import RESPONDENT_SQL, Sql, fetch_passages, marks
from casebook.errors import InvalidInput
from casebook.messages import LANGUAGES, message
from casebook.store.project import Project
from casebook.synthesis.axes import NONE_LABEL, Axis, Header, canonical, make_axis
from casebook.synthesis.codesets import code_columns

MEASURES = ("segments", "documents", "respondents", "cases", "characters", "presence")
PERCENT_MODES = ("row", "col")
ANY = object()  # "any key on this axis", for drilling into a total


@dataclass
class MatrixSpec:
    """What the analyst asked for, in the words of the command line (storable as JSON)."""

    rows: str = "case"
    cols: str = "code"
    measure: str = "segments"
    codes: list[str] | None = None
    level: int | None = None
    children: bool = True
    filters: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """A spec resolved against the project: axes, filters and the shared SQL."""

    spec: MatrixSpec
    rows: Axis
    cols: Axis
    filters: PassageFilter

    def sql(
        self, row_key: Any = ANY, col_key: Any = ANY, *, turn: bool = False, flat: bool = False
    ) -> Sql:
        """The shared query; ``flat`` leaves a code axis as ``k.code_id`` (one row per coding)."""
        q = self.filters.sql()
        q.turn = q.turn or turn or self.rows.turn or self.cols.turn
        for axis, key in ((self.rows, row_key), (self.cols, col_key)):
            if flat and axis.name == "code" and key is ANY:
                # One row per coding keyed by its own code: only codes outside
                # the axis need keeping out, and there are none when it holds all.
                if not axis.every_code:
                    ids = sorted({cid for col in axis.columns for cid in col.code_ids})
                    q.where.append((f"k.code_id IN ({marks(ids)})", ids))
                continue
            if key is ANY:
                q.ctes += axis.ctes
                q.where += axis.where
            else:
                ctes, where = axis.restrict(key)
                q.ctes += ctes
                q.where += axis.where + where
            q.joins += axis.joins
        return q

    def flat_expr(self, axis: Axis) -> str:
        return "k.code_id" if axis.name == "code" else axis.expr

    def code_map(self) -> tuple[str | None, dict[str, list[str]]]:
        """Which axis holds codes ('rows'/'cols'/None) and each code's columns on it."""
        for side, axis in (("rows", self.rows), ("cols", self.cols)):
            if axis.name == "code":
                cmap: dict[str, list[str]] = defaultdict(list)
                for col in axis.columns:
                    for cid in col.code_ids:
                        cmap[cid].append(col.key)
                return side, dict(cmap)
        return None, {}


@dataclass
class Matrix:
    plan: Plan
    rows: list[Header]
    cols: list[Header]
    cells: dict[tuple[Any, Any], int]
    row_totals: dict[Any, int]
    col_totals: dict[Any, int]
    total: int

    @property
    def measure(self) -> str:
        return self.plan.spec.measure

    @property
    def row_title(self) -> str:
        return self.plan.rows.title

    @property
    def col_title(self) -> str:
        return self.plan.cols.title

    @property
    def filters(self) -> str:
        return self.plan.filters.describe()

    def value(self, row: Any, col: Any) -> int:
        return self.cells.get((row, col), 0)

    def percent(self, row: Any, col: Any, of: str) -> float | None:
        total = self.row_totals.get(row, 0) if of == "row" else self.col_totals.get(col, 0)
        return None if not total else 100.0 * self.value(row, col) / total

    def max_value(self) -> int:
        return max(self.cells.values(), default=0)

    def row_text(self, header: Header, language: str = "nl", ids: bool = False) -> str:
        return self.plan.rows.header_text(header, language, ids)

    def col_text(self, header: Header, language: str = "nl", ids: bool = False) -> str:
        return self.plan.cols.header_text(header, language, ids)

    def measure_name(self, language: str = "nl") -> str:
        return message(language, "measures").get(self.measure, self.measure)

    def title(self, language: str = "nl") -> str:
        """ "gecodeerde passages: regio × code (role=mbo)": what the table counts, by what."""
        rows, cols = self.plan.rows.heading(language), self.plan.cols.heading(language)
        text = f"{self.measure_name(language)}: {rows} × {cols}"
        return text + (f" ({self.filters})" if self.filters else "")

    def grid(
        self,
        percent: str | None = None,
        *,
        totals: bool = True,
        language: str = "nl",
        ids: bool = False,
    ) -> list[list[Any]]:
        """Header row, one row per row header, and a totals row: what CSV/XLSX/DOCX write.

        With ``percent`` the cells are percentages of their row (column) total
        and the totals stay counts, so the denominators remain visible.
        Headers are in ``language``; a code axis shows code labels, or the
        code ids (paths) when ``ids`` is set.
        """
        check_percent(self.measure, percent)
        total_word = message(language, "total")
        head: list[Any] = [
            self.plan.rows.heading(language),
            *(self.col_text(c, language, ids) for c in self.cols),
        ]
        if totals:
            head.append(total_word)
        out: list[list[Any]] = [head]
        for r in self.rows:
            line: list[Any] = [self.row_text(r, language, ids)]
            for c in self.cols:
                if percent:
                    p = self.percent(r.key, c.key, percent)
                    line.append(None if p is None else round(p, 1))
                else:
                    line.append(self.value(r.key, c.key))
            if totals:
                line.append(self.row_totals.get(r.key, 0))
            out.append(line)
        if totals:
            last: list[Any] = [
                total_word,
                *(self.col_totals.get(c.key, 0) for c in self.cols),
                self.total,
            ]
            out.append(last)
        return out

    def as_dict(
        self, percent: str | None = None, *, language: str = "nl", ids: bool = False
    ) -> dict[str, Any]:
        """JSON: machine keys, the measure's own name, and labels as a reader would see them.

        A code axis also lists its code ids (paths), whichever labels are shown.
        """
        check_percent(self.measure, percent)
        body = [
            [
                (round(p, 1) if (p := self.percent(r.key, c.key, percent)) is not None else None)
                if percent
                else self.value(r.key, c.key)
                for c in self.cols
            ]
            for r in self.rows
        ]

        def axis(plan_axis: Axis, headers: list[Header]) -> dict[str, Any]:
            out = {
                "axis": plan_axis.heading(language),
                "keys": [h.key for h in headers],
                "labels": [plan_axis.header_text(h, language, ids) for h in headers],
            }
            if plan_axis.name == "code":
                out["ids"] = [h.label for h in headers]
            return out

        return {
            "measure": self.measure,
            "measure_name": self.measure_name(language),
            "language": language,
            "percent": percent,
            "rows": axis(self.plan.rows, self.rows),
            "columns": axis(self.plan.cols, self.cols),
            "cells": body,
            "row_totals": [self.row_totals.get(r.key, 0) for r in self.rows],
            "column_totals": [self.col_totals.get(c.key, 0) for c in self.cols],
            "total": self.total,
            "filters": self.plan.filters.items,
        }


def check_percent(measure: str, percent: str | None) -> None:
    if percent is None:
        return
    if percent not in PERCENT_MODES:
        raise InvalidInput(f"percent of '{percent}'? use row or col")
    if measure == "presence":
        raise InvalidInput(
            "presence is 1 or 0; its totals already say 'in k of n', so no percentages"
        )


def plan_matrix(project: Project, spec: MatrixSpec) -> Plan:
    if spec.measure not in MEASURES:
        raise InvalidInput(f"unknown measure '{spec.measure}'; use one of: {', '.join(MEASURES)}")
    if canonical(spec.rows) == canonical(spec.cols):
        if canonical(spec.rows) == "code":
            raise InvalidInput("code × code is a co-occurrence table; use `casebook cooccurrence`")
        raise InvalidInput(f"rows and columns are both '{spec.rows}'; choose two different axes")
    filters = parse_filters(project, spec.filters)
    columns = None
    if "code" in (canonical(spec.rows), canonical(spec.cols)):
        columns = code_columns(project, spec.codes, level=spec.level, children=spec.children)
    elif spec.codes or spec.level:
        # Without a code axis the chosen codes narrow which passages count.
        chosen = code_columns(project, spec.codes, level=spec.level, children=spec.children)
        ids = sorted({cid for c in chosen for cid in c.code_ids})
        if filters.code_ids:  # both given: passages must satisfy both ("" matches nothing)
            ids = [i for i in filters.code_ids if i in set(ids)] or [""]
        filters.code_ids = ids
        filters.items.append("codes=" + ",".join(c.label for c in chosen))
    rows = make_axis(project, spec.rows, "r", filters, columns)
    cols = make_axis(project, spec.cols, "c", filters, columns)
    return Plan(spec, rows, cols, filters)


def build_matrix(project: Project, spec: MatrixSpec) -> Matrix:
    return compute(project, plan_matrix(project, spec))


DISTINCT_KEYS = {"documents": "k.document_id", "cases": "d.case_id", "respondents": RESPONDENT_SQL}


def measure_sql(plan: Plan) -> tuple[str, list[Any]]:
    """The one query ``compute`` runs for the plan's measure (shown in docs/synthesis.md)."""
    measure = plan.spec.measure
    r, c = plan.flat_expr(plan.rows), plan.flat_expr(plan.cols)
    if measure in ("segments", "presence"):
        return plan.sql(flat=True).render(f"{r} AS r, {c} AS c, count(*) AS n", "GROUP BY 1, 2")
    if measure == "characters":
        return plan.sql(flat=True).render(f"{r} AS r, {c} AS c, k.document_id, k.start, k.end")
    key = DISTINCT_KEYS[measure]
    return plan.sql(turn=measure == "respondents", flat=True).render(
        f"{r} AS r, {c} AS c, {key} AS x", "GROUP BY 1, 2, 3"
    )


def compute(project: Project, plan: Plan) -> Matrix:
    """Cells and totals from one query.

    The query returns one group per *code*, never per column, and the code →
    column map (a code counts for every chosen ancestor) is applied here. So
    a coding is read once however many columns it counts for, and a row
    total can count it once while each of its columns counts it too.
    """
    measure = plan.spec.measure
    side, cmap = plan.code_map()
    text, params = measure_sql(plan)

    def fetch() -> list[Any]:
        rows = project.conn.execute(text, params).fetchall()
        if side is None or not (plan.rows if side == "rows" else plan.cols).every_code:
            return rows  # no code axis, or the query lists its codes
        # A code added after planning (the query does not list the axis's
        # codes when they were all of them) has no column: leave it out.
        at = 0 if side == "rows" else 1
        if all(code in cmap for code in {r[at] for r in rows}):
            return rows
        return [r for r in rows if r[at] in cmap]

    def pairs(rk: Any, ck: Any) -> list[tuple[Any, Any]] | tuple[tuple[Any, Any]]:
        if side == "cols":
            return [(rk, col) for col in cmap[ck]]
        if side == "rows":
            return [(row, ck) for row in cmap[rk]]
        return ((rk, ck),)

    cells: dict[tuple[Any, Any], int] = defaultdict(int)
    row_tot: dict[Any, int] = defaultdict(int)
    col_tot: dict[Any, int] = defaultdict(int)
    total = 0
    if measure in ("segments", "presence"):
        flat = fetch()
        for rk, ck, n in flat:
            for cell in pairs(rk, ck):
                cells[cell] += n
        if measure == "presence":
            cells = defaultdict(int, {k: 1 for k, v in cells.items() if v})
            for (rk, ck), v in cells.items():
                row_tot[rk] += v
                col_tot[ck] += v
            total = sum(cells.values())
        else:
            # Each flat group holds codings of one code, so summing the groups
            # counts a coding once even where it feeds several columns.
            for rk, ck, n in flat:
                total += n
                if side == "cols":
                    row_tot[rk] += n
                elif side == "rows":
                    col_tot[ck] += n
            for (rk, ck), v in cells.items():
                if side != "cols":
                    row_tot[rk] += v
                if side != "rows":
                    col_tot[ck] += v
    elif measure == "characters":
        cells, row_tot, col_tot, total = _characters(fetch(), side, cmap)
    else:
        cell_sets: dict[tuple[Any, Any], set] = defaultdict(set)
        row_sets: dict[Any, set] = defaultdict(set)
        col_sets: dict[Any, set] = defaultdict(set)
        every: set = set()
        for rk, ck, x in fetch():
            if x is None:
                continue
            every.add(x)
            for cell in pairs(rk, ck):
                cell_sets[cell].add(x)
                row_sets[cell[0]].add(x)
                col_sets[cell[1]].add(x)
        cells = defaultdict(int, {k: len(v) for k, v in cell_sets.items()})
        row_tot = defaultdict(int, {k: len(v) for k, v in row_sets.items()})
        col_tot = defaultdict(int, {k: len(v) for k, v in col_sets.items()})
        total = len(every)
    _add_missing(plan.rows, {rk for rk, _ in cells} | set(row_tot))
    _add_missing(plan.cols, {ck for _, ck in cells} | set(col_tot))
    return Matrix(
        plan,
        list(plan.rows.headers),
        list(plan.cols.headers),
        dict(cells),
        dict(row_tot),
        dict(col_tot),
        total,
    )


def _add_missing(axis: Axis, keys: set[Any]) -> None:
    """Keys found in the data but not in the axis's domain go last, ``None`` at the very end."""
    known = {h.key for h in axis.headers}
    for key in sorted(keys - known, key=lambda k: (k is None, str(k).lower())):
        axis.add_key(key)


def _characters(
    rows: list[tuple[Any, Any, str, int, int]], side: str | None, cmap: dict[str, list[str]]
) -> tuple[dict, dict, dict, int]:
    """Covered characters per cell, row, column and in all: interval unions, vectorised.

    Within a group (a cell, row, column or everything) and a document,
    intervals sorted by start each add what lies beyond the furthest end
    seen before them. numpy does the sorting and the running maximum, so
    60,000 codings take milliseconds rather than a Python loop's seconds.
    """
    import numpy as np  # numpy is slow to load; only this computation needs it

    if not rows:
        return {}, {}, {}, 0
    n = len(rows)
    r_keys: dict[Any, int] = {}
    c_keys: dict[Any, int] = {}
    d_keys: dict[Any, int] = {}
    rid = np.fromiter((r_keys.setdefault(x[0], len(r_keys)) for x in rows), np.int64, n)
    cid = np.fromiter((c_keys.setdefault(x[1], len(c_keys)) for x in rows), np.int64, n)
    doc = np.fromiter((d_keys.setdefault(x[2], len(d_keys)) for x in rows), np.int64, n)
    start = np.fromiter((x[3] for x in rows), np.int64, n)
    end = np.fromiter((x[4] for x in rows), np.int64, n)
    r_list, c_list = list(r_keys), list(c_keys)

    # Expand the code axis: a coding feeds every chosen column above its code.
    def expand(ids: Any, keys: list[Any]) -> tuple[Any, Any, list[Any]]:
        targets = [cmap[k] for k in keys]
        out_keys: list[Any] = list(dict.fromkeys(t for ts in targets for t in ts))
        pos = {k: i for i, k in enumerate(out_keys)}
        lens = np.array([len(ts) for ts in targets], np.int64)
        flat = np.array([pos[t] for ts in targets for t in ts], np.int64)
        first = np.concatenate(([0], np.cumsum(lens)[:-1]))
        reps = lens[ids]
        take = np.repeat(np.arange(n), reps)
        within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
        return take, flat[first[ids][take] + within], out_keys

    if side == "cols":
        take, cid_x, c_list_x = expand(cid, c_list)
        rid_x = rid[take]
    elif side == "rows":
        take, rid_x, r_list_x = expand(rid, r_list)
        cid_x = cid[take]
    else:
        take, rid_x, cid_x = np.arange(n), rid, cid
    if side != "cols":
        c_list_x = c_list
    if side != "rows":
        r_list_x = r_list
    big = int(end.max()) + 2
    n_docs = len(d_keys)

    def cover(group: Any, idx: Any, n_groups: int) -> Any:
        d, s, e = doc[idx], start[idx], end[idx]
        order = np.lexsort((s, d, group))
        seg = group[order] * n_docs + d[order]
        ss = s[order] + seg * big
        ee = e[order] + seg * big
        reach = np.maximum.accumulate(ee)
        prev = np.concatenate(([-1], reach[:-1]))
        gain = np.maximum(0, ee - np.maximum(ss, prev))
        return np.bincount(group[order], weights=gain, minlength=n_groups).round().astype(np.int64)

    n_cols = len(c_list_x)
    cell_cov = cover(rid_x * n_cols + cid_x, take, len(r_list_x) * n_cols)
    row_cov = cover(rid_x, take, len(r_list_x))
    col_cov = cover(cid_x, take, n_cols)
    total = int(cover(np.zeros(n, np.int64), np.arange(n), 1)[0])
    cells = {
        (r_list_x[i // n_cols], c_list_x[i % n_cols]): int(v)
        for i, v in enumerate(cell_cov.tolist())
        if v
    }
    row_tot = {r_list_x[i]: int(v) for i, v in enumerate(row_cov.tolist()) if v}
    col_tot = {c_list_x[i]: int(v) for i, v in enumerate(col_cov.tolist()) if v}
    return cells, row_tot, col_tot, total


def cell_passages(
    project: Project, plan: Plan, row_key: Any = ANY, col_key: Any = ANY
) -> list[dict[str, Any]]:
    """The passages behind one cell (or a row's or column's total, with ``ANY``), each once."""
    return fetch_passages(project, plan.sql(row_key, col_key, flat=True))


def matrix_passages(project: Project, plan: Plan) -> list[dict[str, Any]]:
    """Every passage of the matrix with its row and column (a passage may sit in several cells).

    ``row`` and ``column`` are the headers' labels as a user types them (a
    code's path); ``reader_labels`` turns them into a deliverable's words.
    """
    rows = fetch_passages(
        project, plan.sql(), extra=f"{plan.rows.expr} AS row_key, {plan.cols.expr} AS col_key"
    )
    rlab = {h.key: h.label for h in plan.rows.headers}
    clab = {h.key: h.label for h in plan.cols.headers}
    for p in rows:
        p["row"] = rlab.get(p["row_key"], NONE_LABEL if p["row_key"] is None else str(p["row_key"]))
        p["column"] = clab.get(
            p["col_key"], NONE_LABEL if p["col_key"] is None else str(p["col_key"])
        )
    return rows


def reader_labels(
    plan: Plan, passages: list[dict[str, Any]], language: str = "nl", ids: bool = False
) -> list[dict[str, Any]]:
    """The passages with ``row`` and ``column`` as the matrix export shows its headers."""

    def labeller(axis: Axis) -> Any:
        known = {h.key: axis.header_text(h, language, ids) for h in axis.headers}
        none = message(language, "none")
        return lambda key: known.get(key, none if key is None else str(key))

    row_of, col_of = labeller(plan.rows), labeller(plan.cols)
    return [{**p, "row": row_of(p["row_key"]), "column": col_of(p["col_key"])} for p in passages]


def find_header(headers: Sequence[Header], ref: str, what: str) -> Header:
    """A header by its label or reader's title (case-insensitive) or key, for ``--cell ROW COL``."""
    low = ref.strip().lower()
    for h in headers:
        if (
            h.label.lower() == low
            or (h.title or "").lower() == low
            or (isinstance(h.key, str) and h.key == ref)
        ):
            return h
    hits = [h for h in headers if low in h.label.lower() or low in (h.title or "").lower()]
    if len(hits) == 1:
        return hits[0]
    names = ", ".join(h.label for h in list(hits or headers)[:8])
    raise InvalidInput(
        f"no {what} '{ref}' in the matrix; {'matches' if hits else 'there are'}: {names}"
    )


def header_key(headers: Sequence[Header], ref: str, what: str) -> Any:
    """``find_header``'s key, or ``ANY`` for a total ("Total", "Totaal") — a whole row or column."""
    if ref.strip().lower() in {message(lang, "total").lower() for lang in LANGUAGES}:
        return ANY
    return find_header(headers, ref, what).key
