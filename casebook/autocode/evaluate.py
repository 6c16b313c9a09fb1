"""An honest measure of "more like this": train on some cases, suggest for the others.

The coders' own codings are the answer key; they were written apart from the
similarity code. For a split of the cases (regions) into training and
held-out cases:

1. the threshold is chosen on the training cases only, by leaving out one
   training case at a time (examples from the other training cases, scores
   for the left-out one) and taking the cut that maximises F1 pooled over
   codes and folds;
2. the code's codings in all training cases are the examples; every unit of
   the held-out cases is scored, and a unit is predicted when its score
   reaches that threshold;
3. a held-out unit is relevant when a coding of the code (by any coder)
   covers a non-space character of it. Precision and recall are counted per
   code with at least ``min_examples`` codings in the project.

Run ``python -m casebook.autocode.evaluate PROJECT.db`` for the table in
docs/autocoding.md.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from casebook.autocode.like import example_tokens, sentence_lemmas, tfidf_scores, unit_rows
from casebook.autocode.units import Range, coded_ranges, overlaps_any
from casebook.store.project import Project, open_project

THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.05, 0.61, 0.01))


@dataclass
class CodeResult:
    code: str
    examples: int  # codings in the training cases
    relevant: int  # held-out units that carry the code
    predicted: int
    hits: int

    @property
    def precision(self) -> float | None:
        return self.hits / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.hits / self.relevant if self.relevant else None


@dataclass
class SplitResult:
    train: list[str]
    test: list[str]
    threshold: float
    train_f1: float
    codes: list[CodeResult] = field(default_factory=list)


@dataclass
class _Data:
    texts: dict[str, str]
    doc_case: dict[str, str]
    rows_by_case: dict[str, list[Any]]
    lemmas: dict[str, list[tuple[int, int, list[str]]]]
    coded: dict[str, dict[str, list[Range]]]  # code path -> doc -> ranges


def eligible_codes(project: Project, min_examples: int = 8) -> list[str]:
    return [
        r["path"]
        for r in project.query(
            "SELECT x.path FROM codes x JOIN codings k ON k.code_id = x.id GROUP BY x.id"
            " HAVING count(*) >= ? ORDER BY count(*) DESC, x.path",
            (min_examples,),
        )
    ]


def _load(project: Project, codes: Sequence[str], unit: str) -> _Data:
    docs = project.query(
        "SELECT d.id, c.name AS case_name FROM documents d JOIN cases c ON c.id = d.case_id"
    )
    doc_case = {d["id"]: d["case_name"] for d in docs}
    lemmas = sentence_lemmas(project, None)
    rows = unit_rows(project, list(doc_case), unit, lemmas)
    by_case: dict[str, list[Any]] = {}
    for r in rows:
        by_case.setdefault(doc_case[r.document_id], []).append(r)
    texts = {
        r["document_id"]: r["text"]
        for r in project.query("SELECT document_id, text FROM document_texts")
    }
    coded = {}
    for path in codes:
        code_id = project.scalar("SELECT id FROM codes WHERE path = ?", (path,))
        coded[path] = coded_ranges(project, code_id)
    return _Data(texts, doc_case, by_case, lemmas, coded)


def _score(
    project: Project, data: _Data, code: str, train: Sequence[str], test: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, int]:
    """Scores and truth for the test cases' units, with examples from the training cases."""
    examples = {d: rs for d, rs in data.coded[code].items() if data.doc_case.get(d) in set(train)}
    n_examples = sum(len(rs) for rs in examples.values())
    rows = [r for case in test for r in data.rows_by_case.get(case, [])]
    truth = np.asarray(
        [
            overlaps_any(
                (r.start, r.end), data.coded[code].get(r.document_id, ()), data.texts[r.document_id]
            )
            for r in rows
        ],
        dtype=bool,
    )
    ex = example_tokens(project, examples, data.lemmas)
    if not ex:
        return np.zeros(len(rows)), truth, 0
    return tfidf_scores([r.tokens for r in rows], ex), truth, n_examples


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def choose_threshold(
    project: Project, data: _Data, codes: Sequence[str], train: Sequence[str]
) -> tuple[float, float]:
    """The cut with the best pooled F1 when each training case in turn is held out."""
    pooled: list[tuple[np.ndarray, np.ndarray]] = []
    for left_out in train:
        rest = [c for c in train if c != left_out]
        for code in codes:
            scores, truth, n = _score(project, data, code, rest, [left_out])
            if n:
                pooled.append((scores, truth))
    best = (THRESHOLDS[0], -1.0)
    for t in THRESHOLDS:
        tp = fp = fn = 0
        for scores, truth in pooled:
            pred = scores >= t
            tp += int((pred & truth).sum())
            fp += int((pred & ~truth).sum())
            fn += int((~pred & truth).sum())
        f1 = _f1(tp, fp, fn)
        if f1 > best[1]:
            best = (t, f1)
    return best


def evaluate_split(
    project: Project,
    train: Sequence[str],
    test: Sequence[str],
    *,
    codes: Sequence[str] | None = None,
    unit: str = "sentence",
    min_examples: int = 8,
    threshold: float | None = None,
    data: _Data | None = None,
) -> SplitResult:
    codes = list(codes) if codes is not None else eligible_codes(project, min_examples)
    data = data or _load(project, codes, unit)
    if threshold is None:
        threshold, train_f1 = choose_threshold(project, data, codes, train)
    else:
        train_f1 = float("nan")
    result = SplitResult(list(train), list(test), threshold, train_f1)
    for code in codes:
        scores, truth, n = _score(project, data, code, train, test)
        pred = scores >= threshold if n else np.zeros(len(truth), dtype=bool)
        result.codes.append(
            CodeResult(code, n, int(truth.sum()), int(pred.sum()), int((pred & truth).sum()))
        )
    return result


def rotate(project: Project, *, unit: str = "sentence", min_examples: int = 8) -> list[SplitResult]:
    """Each case held out in turn, trained on the others."""
    cases = [r["name"] for r in project.query("SELECT name FROM cases ORDER BY name")]
    codes = eligible_codes(project, min_examples)
    data = _load(project, codes, unit)
    return [
        evaluate_split(
            project, [c for c in cases if c != held], [held], codes=codes, unit=unit, data=data
        )
        for held in cases
    ]


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def report(results: Sequence[SplitResult]) -> str:
    lines = [
        "| held out | trained on | threshold (train F1) | code | examples | relevant | suggested | precision | recall |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    totals: dict[str, list[int]] = {}
    for r in results:
        for c in r.codes:
            lines.append(
                f"| {', '.join(r.test)} | {', '.join(r.train)} | {r.threshold:.2f} ({r.train_f1:.2f}) | "
                f"{c.code} | {c.examples} | {c.relevant} | {c.predicted} | {_fmt(c.precision)} | {_fmt(c.recall)} |"
            )
            t = totals.setdefault(c.code, [0, 0, 0])
            t[0] += c.relevant
            t[1] += c.predicted
            t[2] += c.hits
    for code, (rel, pred, hit) in totals.items():
        lines.append(
            f"| all folds | | | {code} | | {rel} | {pred} | {_fmt(hit / pred if pred else None)} | "
            f"{_fmt(hit / rel if rel else None)} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(argv if argv is not None else sys.argv[1:])
    if not args:
        print("usage: python -m casebook.autocode.evaluate PROJECT.db [unit]", file=sys.stderr)
        raise SystemExit(2)
    unit = args[1] if len(args) > 1 else "sentence"
    with open_project(args[0], create=False) as project:
        print(report(rotate(project, unit=unit)))


if __name__ == "__main__":
    main()
