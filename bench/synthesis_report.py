"""Benchmark: the cross-case chapter at the scale of a large evaluation.

Uses the project of bench/matrix.py (20 cases, 400 interviews in two rounds,
150 codes under 10 themes, 60,000 codings), marks two themes facilitating
and hindering, adds two contrasts, and times in the same process:

* the chapter's matrices alone: the ``build_matrix`` calls the chapter makes
  (regions by kind, reports by kind, respondents by role, and both rounds'
  case × theme for the round comparison) — the baseline;
* ``build_chapter`` (figures, perspectives, quotes, contrasts, round change);
* the whole export to .docx (``export_synthesis``).

Prints each as a ratio to the baseline (target for the whole chapter: <= 2x).

    python bench/synthesis_report.py                # temporary project
    python bench/synthesis_report.py --keep big.db  # build once, reuse later
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import matrix as matrix_bench  # noqa: E402

from casebook.reports.chapter_export import export_synthesis  # noqa: E402
from casebook.store.project import open_project  # noqa: E402
from casebook.synthesis.chapter import build_chapter  # noqa: E402
from casebook.synthesis.contrasts import add_contrast  # noqa: E402
from casebook.synthesis.matrix import MatrixSpec, build_matrix  # noqa: E402

THEMES = [f"T{t:02d}" for t in range(10)]


def prepare(path: Path) -> None:
    project = open_project(path, coder="bench")
    try:
        with project.transaction():
            project.conn.execute("UPDATE codes SET valence = 'positive' WHERE path = 'T00'")
            project.conn.execute("UPDATE codes SET valence = 'negative' WHERE path = 'T01'")
        if not project.scalar("SELECT count(*) FROM contrasts"):
            ids = [
                r["id"]
                for r in project.query(
                    "SELECT k.id FROM codings k JOIN codes c ON c.id = k.code_id WHERE c.path LIKE 'T02%' LIMIT 4"
                )
            ]
            add_contrast(project, ids[:2], note="bench")
            add_contrast(project, ids[2:4], note="bench", kind="perspective")
    finally:
        project.close()


def matrices_alone(path: Path) -> None:
    project = open_project(path, create=False)
    try:
        scope = ["round=2022"]
        build_matrix(project, MatrixSpec("kind", "code", "cases", THEMES, None, True, scope))
        build_matrix(project, MatrixSpec("kind", "code", "documents", THEMES, None, True, scope))
        build_matrix(
            project,
            MatrixSpec(
                "role", "code", "respondents", THEMES, None, True, [*scope, "kind=interview"]
            ),
        )
        for r in ("2022", "2021"):
            build_matrix(
                project,
                MatrixSpec(
                    "case", "code", "cases", THEMES, None, True, [f"round={r}", "kind=interview"]
                ),
            )
    finally:
        project.close()


def chapter_only(path: Path) -> None:
    project = open_project(path, create=False)
    try:
        build_chapter(project, THEMES, round_="2022", compare_round="2021")
    finally:
        project.close()


def whole_export(path: Path, out: Path) -> None:
    project = open_project(path, create=False)
    try:
        export_synthesis(project, out, themes=THEMES, round_="2022", compare_round="2021")
    finally:
        project.close()


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--keep", type=Path, help="Project file to build once and reuse.")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.db"
        if not path.exists():
            matrix_bench.build(path)
        prepare(path)
        out = Path(tmp) / "hoofdstuk.docx"
        base = matrix_bench._best(lambda: matrices_alone(path), args.repeat)
        chap = matrix_bench._best(lambda: chapter_only(path), args.repeat)
        whole = matrix_bench._best(lambda: whole_export(path, out), args.repeat)
        print(f"{'step':<34}{'seconds':>10}{'ratio':>9}")
        print(f"{'matrices alone (baseline)':<34}{base:>10.3f}{1:>9.2f}")
        print(f"{'build_chapter':<34}{chap:>10.3f}{chap / base:>9.2f}")
        verdict = "met" if whole / base <= 2 else "NOT met"
        print(
            f"{'export synthesis .docx':<34}{whole:>10.3f}{whole / base:>9.2f}  (target <= 2x: {verdict})"
        )


if __name__ == "__main__":
    main()
