"""Benchmark: matrices at the scale of a large evaluation.

Builds (or reuses) a project with 20 cases, 400 documents, 150 codes and
60,000 codings, then for each measure times a case × code matrix (the whole
``build_matrix``: planning, the query, totals) against a baseline written
by hand, apart from casebook's query builder: one SQL query per measure
giving the same cells (checked equal before timing; it computes no totals,
which the matrix does). Prints each ratio of CPU times (target <= 2x). It also times
opening one cell's passages.

    python bench/matrix.py                 # temporary project, removed afterwards
    python bench/matrix.py --keep big.db   # build once, reuse on later runs
    python bench/matrix.py --explain       # also print EXPLAIN QUERY PLAN of the main queries

The generated text is random fictional Dutch-like filler; it is written
straight into the tables (no spaCy), so building takes seconds.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from casebook.store.project import Project, new_id, now, open_project  # noqa: E402
from casebook.synthesis.matrix import (  # noqa: E402
    MEASURES,
    MatrixSpec,
    cell_passages,
    compute,
    plan_matrix,
)

N_CASES, N_DOCS, N_CODES, N_CODINGS = 20, 400, 150, 60_000
WORDS = (
    "de het een regio school leerling techniek docent mbo vmbo bedrijf samenwerking tijd rooster "
    "visie plan project werkgroep gemeente stage lessen keuze loopbaan ouders netwerk budget "
    "afspraak overleg praktijk ruimte middag week jaar kans zorg vraag ervaring begeleiding "
    "opleiding werkveld partner programma ontwikkeling aanpak nieuw goed lastig samen veel weinig "
    "blijft groeit loopt werkt vraagt kost helpt maakt krijgt zoekt"
).split()
ROLES = ("programmamanager", "vmbo", "mbo", "bedrijfsleven", "po", "gemeente")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + rng.choice((".", ".", ".", "?"))


def build(path: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    project = open_project(path, coder="bench")
    conn = project.conn
    stamp = now()
    t0 = time.perf_counter()
    with project.transaction():
        coders = {name: project.coder_id(name) for name in ("anouk", "bram", "chris")}
        krimp_id = new_id()
        conn.execute(
            "INSERT INTO attributes (id, scope, name, type) VALUES (?, 'case', 'krimp', 'category')",
            (krimp_id,),
        )
        cases = []
        for i in range(N_CASES):
            cid = new_id()
            cases.append(cid)
            conn.execute(
                "INSERT INTO cases (id, name, created_at) VALUES (?, ?, ?)",
                (cid, f"Regio {i + 1:02d}", stamp),
            )
            conn.execute(
                "INSERT INTO case_attributes (case_id, attribute_id, value) VALUES (?, ?, ?)",
                (cid, krimp_id, rng.choice(("ja", "nee"))),
            )
        # 10 themes × 7 children, 70 of the children with one grandchild each … trimmed to 150.
        codes: list[tuple[str, str | None, str]] = []
        for t in range(10):
            top = (new_id(), None, f"T{t:02d}")
            codes.append(top)
            for c in range(7):
                child = (new_id(), top[0], f"{top[2]}.C{c}")
                codes.append(child)
                codes.append((new_id(), child[0], f"{child[2]}.G"))
        codes = codes[:N_CODES]
        for n, (cid, parent, path_) in enumerate(codes):
            conn.execute(
                "INSERT INTO codes (id, parent_id, name, path, sort_order, created_at, modified_at) VALUES (?,?,?,?,?,?,?)",
                (cid, parent, path_.rsplit(".", 1)[-1], path_, n, stamp, stamp),
            )
        leaves = [c[0] for c in codes if not any(o[1] == c[0] for o in codes)]
        inner = [c[0] for c in codes if c[0] not in leaves]
        docs: list[tuple[str, list[tuple[int, int]]]] = []
        for i in range(N_DOCS):
            doc_id, case = new_id(), cases[i % N_CASES]
            rnd = "2021" if i < N_DOCS // 2 else "2022"
            role = ROLES[(i // N_CASES) % len(ROLES)]
            respondent = f"R{i % (N_DOCS // 2):03d}"  # the same person in both rounds
            parts, segs, pos = [], [], 0
            sentences: list[tuple[int, int]] = []
            for turn in range(60):
                interviewer = turn % 2 == 0
                t_start = pos
                for _p in range(1 if interviewer else rng.randint(1, 3)):
                    p_start = pos
                    for _s in range(1 if interviewer else rng.randint(1, 3)):
                        s = _sentence(rng)
                        if pos > p_start:
                            parts.append(" ")
                            pos += 1
                        segs.append(("sentence", pos, pos + len(s), None, None, None))
                        if not interviewer:
                            sentences.append((pos, pos + len(s)))
                        parts.append(s)
                        pos += len(s)
                    segs.append(("paragraph", p_start, pos, None, None, None))
                    parts.append("\n")
                    pos += 1
                label = "Interviewer" if interviewer else "Respondent"
                segs.append(
                    (
                        "turn",
                        t_start,
                        pos - 1,
                        label,
                        "interviewer" if interviewer else "respondent",
                        None if interviewer else role,
                    )
                )
            text = "".join(parts)[:-1]
            conn.execute(
                "INSERT INTO documents (id, case_id, name, kind, round, role, respondent, source_name, source_size,"
                " sha256, format, n_chars, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc_id,
                    case,
                    f"doc-{i:03d}.txt",
                    "interview",
                    rnd,
                    role,
                    respondent,
                    f"doc-{i:03d}.txt",
                    len(text),
                    new_id(),
                    "text",
                    len(text),
                    stamp,
                ),
            )
            conn.execute(
                "INSERT INTO document_texts (document_id, text) VALUES (?, ?)", (doc_id, text)
            )
            conn.executemany(
                "INSERT INTO segments (document_id, kind, start, end, label, speaker_kind, role) VALUES (?,?,?,?,?,?,?)",
                [(doc_id, *s) for s in segs],
            )
            docs.append((doc_id, sentences))
        n = 0
        text_cache: dict[str, str] = {}
        while n < N_CODINGS:
            doc_id, sentences = rng.choice(docs)
            if doc_id not in text_cache:
                text_cache.clear()
                text_cache[doc_id] = conn.execute(
                    "SELECT text FROM document_texts WHERE document_id = ?", (doc_id,)
                ).fetchone()[0]
            text = text_cache[doc_id]
            i = rng.randrange(len(sentences))
            j = min(len(sentences) - 1, i + rng.choice((0, 0, 0, 1, 2)))
            start, end = sentences[i][0], sentences[j][1]
            code = rng.choice(leaves) if rng.random() < 0.85 else rng.choice(inner)
            coder = rng.choices(list(coders.values()), weights=(6, 3, 1))[0]
            cur = conn.execute(
                "INSERT OR IGNORE INTO codings (id, document_id, code_id, coder_id, start, end, quote, created_at, modified_at)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (new_id(), doc_id, code, coder, start, end, text[start:end], stamp, stamp),
            )
            n += cur.rowcount
    conn.execute("ANALYZE")
    project.close()
    print(f"built {path} in {time.perf_counter() - t0:.1f} s", flush=True)


def _best(fn: Callable[[], Any], repeat: int) -> float:
    """Least CPU time of ``repeat`` runs after a warm-up.

    Both sides run in this process on one thread (SQLite included) and read a
    warm page cache, so CPU time is their cost; on a shared machine the wall
    clock mostly measures the neighbours.
    """
    fn()  # warm the page cache and the statement cache
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


# The baseline: what an analyst fluent in SQL would write for the same cells, by
# hand and apart from casebook's query builder (core/query.py and
# matrix.py are not used here). A column counts the codings of its code and,
# with children, of every code below it; ``under`` lists those pairs.
UNDER_WITH_CHILDREN = """
WITH RECURSIVE under(code_id, col) AS (
    SELECT id, id FROM codes
    UNION ALL
    SELECT c.id, u.col FROM codes c JOIN under u ON c.parent_id = u.code_id
)"""
UNDER_OWN_ONLY = "WITH under(code_id, col) AS (SELECT id, id FROM codes)"
HITS = """
SELECT d.case_id AS r, u.col AS c, k.document_id AS doc, k.start AS s, k.end AS e, {extra}
FROM codings k
JOIN documents d ON d.id = k.document_id
JOIN under u ON u.code_id = k.code_id
{join}"""
# The turn a coding starts in decides who speaks: turns do not overlap, so it
# is the last turn starting at or before the coding, if it still runs (the
# usual index-friendly idiom; a range join on start and end is far slower).
TURN = (
    "LEFT JOIN segments t ON t.id = (SELECT id FROM segments WHERE document_id = k.document_id"
    " AND kind = 'turn' AND start <= k.start ORDER BY start DESC LIMIT 1) AND k.start < t.end"
)
PERSON = """CASE
    WHEN t.speaker_kind = 'interviewer' THEN NULL
    WHEN d.respondent IS NOT NULL AND d.respondent <> '' THEN 'person ' || d.respondent
    WHEN t.id IS NULL THEN 'document ' || d.id
    ELSE 'document ' || d.id || ' speaker ' || lower(trim(ifnull(t.label, '')))
END"""
CELL = {
    "segments": "count(*)",
    "presence": "1",
    "documents": "count(DISTINCT doc)",
    "cases": "count(DISTINCT r)",
    "respondents": "count(DISTINCT person)",
}


def hand_sql(measure: str, children: bool) -> str:
    """Case × code cells for ``measure``, written by hand (see the comment above)."""
    under = UNDER_WITH_CHILDREN if children else UNDER_OWN_ONLY
    turn = measure == "respondents"
    hits = HITS.format(
        extra=PERSON + " AS person" if turn else "NULL AS person", join=TURN if turn else ""
    )
    if measure == "characters":
        # Passages sorted by start within a cell and document; each adds what
        # lies beyond the furthest end reached before it (overlaps count once).
        return f"""{under},
hits AS ({hits}),
reach AS (
    SELECT r, c, s, e, max(e) OVER (
        PARTITION BY r, c, doc ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS before
    FROM hits
)
SELECT r, c, sum(max(0, e - max(s, ifnull(before, s)))) FROM reach GROUP BY r, c"""
    return f"{under},\nhits AS ({hits})\nSELECT r, c, {CELL[measure]} FROM hits GROUP BY r, c"


def hand_cells(project: Project, measure: str, children: bool) -> dict[tuple[Any, Any], int]:
    return {
        (r, c): v for r, c, v in project.conn.execute(hand_sql(measure, children)).fetchall() if v
    }


def run(project: Project, repeat: int, explain: bool) -> None:
    from casebook.synthesis.matrix import build_matrix

    n = project.scalar("SELECT count(*) FROM codings")
    print(
        f"project: {project.scalar('SELECT count(*) FROM cases')} cases, "
        f"{project.scalar('SELECT count(*) FROM documents')} documents, "
        f"{project.scalar('SELECT count(*) FROM codes')} codes, {n} codings, "
        f"{project.scalar('SELECT count(*) FROM segments')} segments"
    )
    worst = 0.0
    for title, children in (
        ("case × 150 codes, each with its children", True),
        ("case × 150 codes, own codings only", False),
    ):
        print(f"\n{title} (CPU time, best of {repeat})")
        print(f"{'measure':<12} {'matrix':>9} {'by hand':>9} {'ratio':>6}")
        for measure in MEASURES:
            spec = MatrixSpec("case", "code", measure, children=children)
            cells = {k: v for k, v in build_matrix(project, spec).cells.items() if v}
            if cells != hand_cells(project, measure, children):
                raise SystemExit(f"{measure}: the matrix and the hand-written SQL disagree")
            t_matrix = _best(lambda spec=spec: build_matrix(project, spec), repeat)
            t_sql = _best(lambda m=measure, c=children: hand_cells(project, m, c), repeat)
            ratio = t_matrix / t_sql
            worst = max(worst, ratio)
            print(
                f"{measure:<12} {t_matrix * 1000:>7.1f}ms {t_sql * 1000:>7.1f}ms {ratio:>5.2f}x"
                + ("" if ratio <= 2 else "  over the target")
            )
    print(f"\nworst ratio {worst:.2f}x (target <= 2x: {'met' if worst <= 2 else 'NOT met'})")
    spec = MatrixSpec("case", "code", "segments")
    plan = plan_matrix(project, spec)
    m = compute(project, plan)
    cells = sorted(((v, k) for k, v in m.cells.items()), key=lambda x: x[0])
    for label, (value, (rk, ck)) in (
        ("median cell", cells[len(cells) // 2]),
        ("largest cell", cells[-1]),
    ):
        t = _best(lambda rk=rk, ck=ck: cell_passages(project, plan, rk, ck), repeat)
        print(f"\nopen one cell's passages ({label}, {value} passages): {t * 1000:.1f} ms")
    role = plan_matrix(project, MatrixSpec("role", "code", "respondents", level=1))
    t = _best(lambda: compute(project, role), repeat)
    print(f"role × top-level codes, respondents: {t * 1000:.1f} ms")
    if explain:
        _explain(project)


def _explain(project: Project) -> None:
    from casebook.core.query import PASSAGE_JOINS, PASSAGE_ORDER, PASSAGE_SELECT
    from casebook.synthesis.matrix import measure_sql

    plans = {
        "case × code, segments (150 codes with their children)": MatrixSpec(
            "case", "code", "segments"
        ),
        "case × code, documents": MatrixSpec("case", "code", "documents"),
        "role × code, respondents (speaker turn per coding)": MatrixSpec(
            "role", "code", "respondents", level=1
        ),
        "case × code, characters, filtered by coder": MatrixSpec(
            "case", "code", "characters", filters=["coder=bram"]
        ),
    }
    for title, spec in plans.items():
        text, params = measure_sql(plan_matrix(project, spec))
        _print_plan(project, title, text, params)
    plan = plan_matrix(project, MatrixSpec("case", "code", "segments"))
    m = compute(project, plan)
    rk, ck = max(m.cells, key=lambda k: m.cells[k])
    q = plan.sql(rk, ck, flat=True)
    q.turn = True
    q.joins = [(PASSAGE_JOINS, []), *q.joins]
    text, params = q.render(PASSAGE_SELECT, f"ORDER BY {PASSAGE_ORDER}")
    _print_plan(project, "one cell's passages (case × code with children)", text, params)


def _print_plan(project: Project, title: str, text: str, params: list[Any]) -> None:
    print(f"\n-- {title}")
    rows = project.conn.execute("EXPLAIN QUERY PLAN " + text, params).fetchall()
    depth: dict[int, int] = {0: 0}
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, 0) + 1
        print("  " * depth[node] + detail)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--keep", type=Path, help="Project file to build once and reuse.")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--explain", action="store_true")
    args = ap.parse_args()
    if args.keep:
        path = args.keep
        if not path.exists():
            build(path)
        with open_project(path, create=False) as project:
            run(project, args.repeat, args.explain)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        build(path)
        with open_project(path, create=False) as project:
            run(project, args.repeat, args.explain)


if __name__ == "__main__":
    main()
