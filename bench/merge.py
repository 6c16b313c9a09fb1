"""Merge speed: ``merge_project`` against a bare SQL copy of the same rows.

Run from the repository root:  python bench/merge.py [--codings N] [--documents N] [--keep DIR]

It builds a source project with 20 cases, 400 short interview-like documents
(text, paragraph/sentence/turn segments, full-text rows), a 60-code codebook,
three coders and 60,000 codings, written straight through SQL so the set-up
takes seconds, yet valid for the schema (foreign keys on, quotes equal to the
text). A second project of the same size (the same cases, codebook and
coders, other documents and codings: a team member's share) fills a
*populated* target. Then, in one process, best of ``--repeat`` runs each on
a fresh copy of its target, it times

- ``casebook.team.merge.merge_project`` into an empty project and into the
  populated one, which includes the backup, the private migrated copy of the
  source and the audit entry;
- the same merge a second time (everything matches, nothing is added);
- the baseline, a bare copy into the same two targets: ATTACH plus
  ``INSERT INTO … SELECT`` for coders, cases, documents, texts, segments,
  full-text rows, codes and codings in one transaction.

Target: each merge within about 5x its bare copy (both ratios printed).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SUBJECTS = ["De docenten", "Onze school", "Het ROC", "De bedrijven", "De gemeente", "Het regioteam"]
VERBS = ["organiseren", "bespreken", "plannen", "ontwikkelen", "verbeteren", "evalueren"]
OBJECTS = [
    "gastlessen in de werkplaats",
    "een doorlopende leerlijn techniek",
    "bedrijfsbezoeken voor de derde klas",
    "gezamenlijke scholing voor docenten",
    "een techniekdag voor de basisscholen",
]
TAILS = [
    "maar daar is nog weinig tijd voor.",
    "en dat werkt eigenlijk heel goed.",
    "hoewel de planning vaak schuift.",
    "want zonder de bedrijven lukt het niet.",
]
STAMP = "2024-03-01T09:00:00.000Z"
FIXED = uuid.UUID("6d1c7a52-0b8e-4e0a-9d5f-3f1a2b4c5d6e")


def uid(*parts: object) -> str:
    """Deterministic ids, so two runs build the same file."""
    return str(uuid.uuid5(FIXED, "|".join(map(str, parts))))


def make_document(rng: random.Random, n_paragraphs: int) -> tuple[str, list[tuple]]:
    """Fictional interview text with its segments: (kind, start, end, label, speaker_kind)."""
    text = ""
    segments: list[tuple] = []
    for p in range(n_paragraphs):
        if text:
            text += "\n"
        start = len(text)
        if p % 3 == 0:
            body = "Hoe kijkt u terug op het afgelopen jaar?"
            segments.append(("sentence", start, start + len(body), None, None))
            speaker = ("Interviewer", "interviewer")
        else:
            sentences = []
            pos = start
            for _ in range(rng.randint(2, 4)):
                s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, {rng.choice(TAILS)}"
                sentences.append(s)
                segments.append(("sentence", pos, pos + len(s), None, None))
                pos += len(s) + 1
            body = " ".join(sentences)
            speaker = ("Marieke", "respondent")
        text += body
        segments.append(("paragraph", start, len(text), None, None))
        segments.append(("turn", start, len(text), *speaker))
    return text, segments


def build_source(
    path: Path, n_documents: int, n_codings: int, seed: int = 11, tag: str = "source"
) -> dict[str, int]:
    """A project file; ``tag`` names its documents and codings (cases, codes, coders are shared)."""
    from casebook.store.project import open_project

    rng = random.Random(seed)
    project = open_project(path, coder="bench")
    conn = project.conn
    coders = [(uid("coder", n), n) for n in ("anouk", "bram", "chris")]
    cases = [uid("case", i) for i in range(20)]
    codes: list[str] = []
    with project.transaction():
        conn.executemany(
            "INSERT INTO coders (id, name, created_at) VALUES (?,?,?)",
            [(c, n, STAMP) for c, n in coders],
        )
        conn.executemany(
            "INSERT INTO cases (id, name, created_at) VALUES (?,?,?)",
            [(c, f"Regio {i:02d}", STAMP) for i, c in enumerate(cases)],
        )
        for t in range(10):
            top = uid("code", t)
            conn.execute(
                "INSERT INTO codes (id, parent_id, name, path, label, created_at, modified_at)"
                " VALUES (?,?,?,?,?,?,?)",
                (top, None, f"T{t}", f"T{t}", f"Thema {t}", STAMP, STAMP),
            )
            codes.append(top)
            for s in range(5):
                child = uid("code", t, s)
                conn.execute(
                    "INSERT INTO codes (id, parent_id, name, path, label, created_at, modified_at)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (child, top, f"S{s}", f"T{t}.S{s}", f"Subthema {t}.{s}", STAMP, STAMP),
                )
                codes.append(child)
        per_doc = n_codings // n_documents
        extra = n_codings - per_doc * n_documents
        written = 0
        for d in range(n_documents):
            doc = uid(tag, "document", d)
            text, segments = make_document(rng, rng.randint(6, 12))
            conn.execute(
                "INSERT INTO documents (id, case_id, name, kind, round, role, source_name, source_size,"
                " sha256, format, n_chars, status, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc,
                    cases[d % len(cases)],
                    f"{tag}-{d:03d}.txt",
                    "interview",
                    "2023",
                    "mbo",
                    f"{tag}-{d:03d}.txt",
                    len(text.encode()),
                    hashlib.sha256(text.encode()).hexdigest(),
                    "txt",
                    len(text),
                    "in_progress",
                    STAMP,
                ),
            )
            conn.execute("INSERT INTO document_texts (document_id, text) VALUES (?,?)", (doc, text))
            for kind, s, e, label, speaker_kind in segments:
                cur = conn.execute(
                    "INSERT INTO segments (document_id, kind, start, end, label, speaker_kind)"
                    " VALUES (?,?,?,?,?,?)",
                    (doc, kind, s, e, label, speaker_kind),
                )
                if kind == "sentence":
                    conn.execute(
                        "INSERT INTO segments_fts (text, lemmas, segment_id, document_id) VALUES (?,?,?,?)",
                        (text[s:e], text[s:e].lower(), cur.lastrowid, doc),
                    )
            want = per_doc + (1 if d < extra else 0)
            seen: set[tuple] = set()
            rows = []
            while len(rows) < want:
                start = rng.randrange(0, len(text) - 10)
                end = min(len(text), start + rng.randint(10, 200))
                key = (rng.choice(codes), rng.choice(coders)[0], start, end)
                if key in seen:
                    continue
                seen.add(key)
                rows.append(
                    (
                        uid(tag, "coding", d, len(rows)),
                        doc,
                        key[0],
                        key[1],
                        start,
                        end,
                        text[start:end],
                        "memo" if rng.random() < 0.05 else None,
                        STAMP,
                        STAMP,
                    )
                )
            conn.executemany(
                "INSERT INTO codings (id, document_id, code_id, coder_id, start, end, quote, memo, created_at,"
                " modified_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            written += len(rows)
    counts = {
        t: project.scalar(f"SELECT count(*) FROM {t}")
        for t in ("cases", "documents", "segments", "codes", "codings")
    }
    project.close()
    assert counts["codings"] == written == n_codings
    return counts


BARE_TABLES = (
    "coders",
    "cases",
    "documents",
    "document_texts",
    "segments",
    "segments_fts",
    "codes",
    "codings",
)


SHARED = ("coders", "cases", "codes")  # the same rows may already be in a populated target


def bare_copy(target_path: Path, source: Path) -> None:
    """What a merge costs at minimum: the same rows moved by SQLite alone.

    Rows the target already holds (shared cases, codes, coders with the same
    ids) are skipped; segment ids are shifted past the target's own.
    """
    conn = sqlite3.connect(target_path)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("ATTACH DATABASE ? AS src", (str(source),))
        shift = conn.execute("SELECT coalesce(max(id), 0) FROM main.segments").fetchone()[0]
        columns = [r[1] for r in conn.execute("PRAGMA src.table_info(segments)")]
        segment_cols = ", ".join("id + ?" if c == "id" else c for c in columns)
        with conn:
            for table in BARE_TABLES:
                verb = "INSERT OR IGNORE" if table in SHARED else "INSERT"
                if table == "codes":  # parents before children
                    conn.execute(
                        f"{verb} INTO codes SELECT * FROM src.codes "
                        "ORDER BY length(path) - length(replace(path, '.', ''))"
                    )
                elif table == "segments":
                    conn.execute(
                        f"INSERT INTO segments SELECT {segment_cols} FROM src.segments", (shift,)
                    )
                elif table == "segments_fts":
                    conn.execute(
                        "INSERT INTO segments_fts (text, lemmas, segment_id, document_id) "
                        "SELECT text, lemmas, segment_id + ?, document_id FROM src.segments_fts",
                        (shift,),
                    )
                else:
                    conn.execute(f"{verb} INTO {table} SELECT * FROM src.{table}")
        conn.execute("DETACH DATABASE src")
    finally:
        conn.close()


def codings_in(path: Path) -> int:
    check = sqlite3.connect(path)
    try:
        return check.execute("SELECT count(*) FROM codings").fetchone()[0]
    finally:
        check.close()


def fresh(template: Path, path: Path) -> Path:
    """A copy of a closed project file (its WAL is checkpointed on close)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, path)
    return path


def best_merge(
    template: Path, run: Path, source: Path, repeat: int, expect: int
) -> tuple[float, Path]:
    """Best of ``repeat`` merges of ``source``, each into a fresh copy of ``template``."""
    from casebook.store.project import open_project
    from casebook.team.merge import merge_project

    times = []
    for _ in range(repeat):
        target = open_project(fresh(template, run), create=False)
        try:
            t0 = time.perf_counter()
            report = merge_project(target, source)
            times.append(time.perf_counter() - t0)
        finally:
            target.close()
        assert report.added.get("codings") == expect, report.added
    return min(times), run


def best_bare(template: Path, run: Path, source: Path, repeat: int, expect: int) -> float:
    times = []
    for _ in range(repeat):
        fresh(template, run)
        t0 = time.perf_counter()
        bare_copy(run, source)
        times.append(time.perf_counter() - t0)
        assert codings_in(run) == expect
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=60_000)
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument(
        "--repeat", type=int, default=3, help="Runs per figure; the best is printed."
    )
    parser.add_argument("--keep", type=Path, help="Build the files in this folder and keep them.")
    args = parser.parse_args()

    from casebook.store.project import open_project
    from casebook.team.merge import merge_project

    folder = args.keep or Path(tempfile.mkdtemp(prefix="casebook-bench-merge-"))
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.db*"):
        old.unlink()
    source, other = folder / "source.db", folder / "other.db"

    t0 = time.perf_counter()
    counts = build_source(source, args.documents, args.codings)
    build_source(other, args.documents, args.codings, seed=12, tag="other")
    print(
        f"two sources built in {time.perf_counter() - t0:.1f} s, each: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
    )
    n = counts["codings"]

    empty = folder / "empty.db"
    open_project(empty, coder="bench").close()
    populated = folder / "populated.db"
    with open_project(fresh(empty, populated), create=False) as target:
        merge_project(target, other)
    bare_populated = folder / "bare-populated.db"
    bare_copy(fresh(empty, bare_populated), other)
    have = codings_in(populated)
    assert have == codings_in(bare_populated) == n

    merge_empty, merged = best_merge(empty, folder / "run.db", source, args.repeat, n)
    with open_project(merged, create=False) as target:
        t0 = time.perf_counter()
        again = merge_project(target, source)
        again_s = time.perf_counter() - t0
    assert not again.added.get("codings"), again.added
    merge_full, _ = best_merge(populated, folder / "run.db", source, args.repeat, n)
    bare_empty = best_bare(empty, folder / "bare.db", source, args.repeat, n)
    bare_full = best_bare(bare_populated, folder / "bare.db", source, args.repeat, have + n)

    print(f"best of {args.repeat}, merging {n:,} codings")
    print(f"{'':<38}{'merge':>9}{'bare copy':>11}{'ratio':>8}")
    for name, merge_s, bare_s in (
        ("into an empty project", merge_empty, bare_empty),
        (f"into a project with {have:,} codings", merge_full, bare_full),
    ):
        ratio = merge_s / bare_s
        print(
            f"{name:<38}{merge_s:>8.2f}s{bare_s:>10.2f}s{ratio:>7.1f}x"
            f"  (target about 5x: {'met' if ratio <= 5 else 'NOT met'})"
        )
    print(f"merge again (all matched):            {again_s:7.2f} s")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
