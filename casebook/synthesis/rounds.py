"""Round comparison: per case and code, round A against round B ("what is new this year").

Both rounds are the same case × code matrix with ``round=A`` or ``round=B``
added to the filters. A cell's status:

* ``new``    absent in A, present in B (its B passages are listed);
* ``gone``   present in A, absent in B;
* ``more`` / ``fewer`` / ``same``  present in both;
* ``only A`` / ``only B``  the case has no documents at all in the other
  round, so absence there says nothing.

Cells empty in both rounds are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from casebook.core.filters import parse_filters
from casebook.errors import InvalidInput, NotFound
from casebook.messages import message
from casebook.store.project import Project
from casebook.synthesis.matrix import (
    MatrixSpec,
    build_matrix,
    compute,
    matrix_passages,
    plan_matrix,
)

STATUSES = ("new", "gone", "more", "fewer", "same", "only A", "only B")


@dataclass
class RoundCell:
    case_id: str
    case: str
    code_id: str
    code: str
    a: int
    b: int
    status: str
    new_passages: list[dict[str, Any]] = field(default_factory=list)
    code_label: str | None = None  # what a reader sees; ``code`` is the path (the code id)

    @property
    def diff(self) -> int:
        return self.b - self.a

    def text(self, ids: bool = False) -> str:
        return self.code if ids or not self.code_label else self.code_label


@dataclass
class RoundComparison:
    round_a: str
    round_b: str
    measure: str
    cells: list[RoundCell]
    filters: list[str] = field(default_factory=list)

    def by_case(self) -> dict[str, list[RoundCell]]:
        out: dict[str, list[RoundCell]] = {}
        for c in self.cells:
            out.setdefault(c.case, []).append(c)
        return out

    def status_text(self, status: str, language: str = "nl") -> str:
        word = message(language, "round_statuses").get(status, status)
        return word.format(a=self.round_a, b=self.round_b)

    def grid(self, *, language: str = "nl", ids: bool = False) -> list[list[Any]]:
        """Case, code, both rounds, difference and status; headers and statuses in ``language``."""
        words = message(language, "rounds_columns")
        head: list[Any] = [
            words["case"],
            words["code"],
            self.round_a,
            self.round_b,
            words["difference"],
            words["status"],
        ]
        return [head] + [
            [c.case, c.text(ids), c.a, c.b, c.diff, self.status_text(c.status, language)]
            for c in self.cells
        ]

    def new_passages(self) -> list[dict[str, Any]]:
        return [p for c in self.cells for p in c.new_passages]

    def as_dict(self) -> dict[str, Any]:
        return {
            "round_a": self.round_a,
            "round_b": self.round_b,
            "measure": self.measure,
            "filters": self.filters,
            "cells": [
                {
                    "case": c.case,
                    "code": c.code,
                    "code_label": c.code_label,
                    "a": c.a,
                    "b": c.b,
                    "difference": c.diff,
                    "status": c.status,
                    "new_passages": [
                        {
                            k: p[k]
                            for k in (
                                "coding_id",
                                "document",
                                "role",
                                "coder",
                                "start",
                                "end",
                                "quote",
                            )
                        }
                        for p in c.new_passages
                    ],
                }
                for c in self.cells
            ],
        }


def _status(a: int, b: int, has_a: bool, has_b: bool) -> str:
    if not has_a:
        return "only B"
    if not has_b:
        return "only A"
    if a == 0:
        return "new"
    if b == 0:
        return "gone"
    return "more" if b > a else "fewer" if b < a else "same"


def compare_rounds(
    project: Project,
    round_a: str,
    round_b: str,
    *,
    codes: Sequence[str] | None = None,
    level: int | None = None,
    children: bool = True,
    measure: str = "segments",
    filters: Sequence[str] = (),
) -> RoundComparison:
    if measure not in ("segments", "documents", "respondents", "presence"):
        raise InvalidInput("compare rounds by segments, documents, respondents or presence")
    if round_a == round_b:
        raise InvalidInput("give two different rounds")
    if any(f.split("=", 1)[0].strip().lower() == "round" for f in filters):
        raise InvalidInput("the rounds are the two arguments; drop the round= filter")
    known = [
        r[0]
        for r in project.conn.execute(
            "SELECT DISTINCT round FROM documents WHERE round IS NOT NULL ORDER BY round"
        )
    ]
    for r in (round_a, round_b):
        if r not in known:
            raise NotFound(
                f"no documents in round '{r}'; rounds in this project: {', '.join(known) or 'none set'}"
            )
    spec = MatrixSpec("case", "code", measure, list(codes) if codes else None, level, children)
    ma = build_matrix(project, _with_round(spec, filters, round_a))
    plan_b = plan_matrix(project, _with_round(spec, filters, round_b))
    mb = compute(project, plan_b)
    doc_filters = parse_filters(project, filters)
    has = (
        _cases_with_documents(project, doc_filters, round_a),
        _cases_with_documents(project, doc_filters, round_b),
    )
    cells: list[RoundCell] = []
    for case in mb.rows:
        for code in mb.cols:
            a, b = ma.value(case.key, code.key), mb.value(case.key, code.key)
            if a == 0 and b == 0:
                continue
            status = _status(a, b, case.key in has[0], case.key in has[1])
            cells.append(
                RoundCell(
                    case.key,
                    case.label,
                    code.key,
                    code.label,
                    a,
                    b,
                    status,
                    code_label=code.title,
                )
            )
    new = {(c.case_id, c.code_id): c for c in cells if c.status == "new"}
    if new:
        for p in matrix_passages(project, plan_b):
            cell = new.get((p["row_key"], p["col_key"]))
            if cell is not None:
                cell.new_passages.append(p)
    return RoundComparison(round_a, round_b, measure, cells, list(filters))


def _with_round(spec: MatrixSpec, filters: Sequence[str], round_: str) -> MatrixSpec:
    return MatrixSpec(
        spec.rows,
        spec.cols,
        spec.measure,
        spec.codes,
        spec.level,
        spec.children,
        [*filters, f"round={round_}"],
    )


def _cases_with_documents(project: Project, filters: Any, round_: str) -> set[str]:
    clauses = filters.document_clauses() + [("d.round = ?", [round_])]
    where = " AND ".join(c for c, _ in clauses)
    params = [v for _, p in clauses for v in p]
    return {
        r[0]
        for r in project.conn.execute(
            f"SELECT DISTINCT d.case_id FROM documents d WHERE {where}", params
        )
    }
