"""Revision speed: re-anchoring 500 codings on a 25,000-word transcript against importing it.

Run from the repository root:  python bench/revise.py [--repeat N] [--words N] [--codings N]

It builds a long transcript from the demo corpus's plain-text interviews
(with a numbered heading per copy), imports it, codes 500 random sentence
and two-sentence passages, and writes a corrected version (names fixed,
turns deleted and inserted, paragraphs split, lines re-wrapped). Then, in one
run, side by side:

- import: ``documents.import_file`` of the corrected file into a fresh
  project — the baseline, what the new version costs on its own;
- re-anchoring: aligning old and new text and carrying every coding and
  mention (``Alignment`` + the revision's planning step), with rapidfuzz
  (the default) and with difflib, the two libraries the design allows;
- the whole ``casebook revise`` (analysis of the new file, backup left out,
  re-anchoring, writing versions, items, segments and search index).

Target: re-anchoring costs at most 1x the import. Each timing is the best of N.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted((REPO / "corpus").glob("*/*.txt"))


def best_of(n: int, fn: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(n):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def long_transcript(words: int) -> str:
    from casebook.importers.plaintext import decode_bytes

    if not SOURCES:
        sys.exit("no demo transcripts under corpus/; build the demo corpus first")
    parts, count, n = [], 0, 0
    while count < words:
        src = SOURCES[n % len(SOURCES)]
        body = decode_bytes(src, src.read_bytes())  # one demo file is Windows-1252, as in life
        parts.append(f"Deel {n + 1}: {src.stem}\n\n{body.strip()}\n")
        count += len(body.split())
        n += 1
    return "\n".join(parts)


def corrected(text: str, rng: random.Random) -> str:
    """Name fixes, deleted and inserted turns, split paragraphs, re-wrapped lines."""
    paras = text.split("\n\n")
    for _ in range(40):  # a letter dropped from a long word
        k = rng.randrange(len(paras))
        words = [m for m in re.finditer(r"\b[A-Za-z]{8,}\b", paras[k])]
        if words:
            m = rng.choice(words)
            paras[k] = paras[k][: m.end() - 2] + paras[k][m.end() - 1 :]
    for _ in range(15):
        del paras[rng.randrange(1, len(paras) - 1)]
    for _ in range(15):
        paras.insert(
            rng.randrange(1, len(paras)), "I: En hoe ging het daarna verder met de roosters?"
        )
    for _ in range(15):
        k = rng.randrange(len(paras))
        paras[k] = paras[k].replace(". ", ".\n\n", 1)
    for k in rng.sample(range(len(paras)), len(paras) // 10):
        line = paras[k]
        if len(line) > 160:
            cut = line.rfind(" ", 0, 80)
            if cut > 0:
                paras[k] = line[:cut] + "\n" + line[cut + 1 :]
    return "\n\n".join(paras)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--words", type=int, default=26_000, help="words in the file (labels and times included)"
    )
    ap.add_argument("--codings", type=int, default=500)
    args = ap.parse_args()

    from casebook.codes.io import import_codebook
    from casebook.core.codings import add_coding
    from casebook.core.documents import DocumentMeta, document_text, import_file, segments_of
    from casebook.store.project import open_project
    from casebook.versions.align import Alignment
    from casebook.versions.revise import _plan, revise_document

    rng = random.Random(10)
    tmp = Path(tempfile.mkdtemp(prefix="casebook-bench-revise-"))
    try:
        v1, v2 = tmp / "v1" / "lang-interview.txt", tmp / "v2" / "lang-interview.txt"
        v1.parent.mkdir()
        v2.parent.mkdir()
        text = long_transcript(args.words)
        v1.write_text(text, encoding="utf-8")
        v2.write_text(corrected(text, rng), encoding="utf-8")
        meta = DocumentMeta(case="Bench", role="mbo")

        import_file(
            open_project(tmp / "warm.db"), SOURCES[0], meta
        )  # load spaCy before timing anything

        def import_new() -> object:
            path = tmp / f"import-{time.perf_counter_ns()}.db"
            project = open_project(path)
            try:
                return import_file(project, v2, meta)
            finally:
                project.close()

        t_import, _ = best_of(args.repeat, import_new)

        base = tmp / "base.db"
        project = open_project(base, coder="bench")
        import_codebook(project, REPO / "codebooks" / "sto.yaml")
        doc_id = import_file(project, v1, meta).document_id
        codes = [r["id"] for r in project.query("SELECT id FROM codes")]
        sentences = segments_of(project, doc_id, "sentence")
        for s in rng.sample(range(len(sentences) - 1), args.codings):
            end = sentences[s + 1]["end"] if rng.random() < 0.3 else sentences[s]["end"]
            add_coding(project, doc_id, rng.choice(codes), sentences[s]["start"], end)
        old_text = document_text(project, doc_id)
        n_words = len(old_text.split())
        n_codings = project.scalar("SELECT count(*) FROM codings")
        reader = open_project(tmp / "read.db")
        new_doc = import_file(reader, v2, meta).document_id
        new_text = document_text(reader, new_doc)
        reader.close()

        timings = {}
        for method in ("rapidfuzz", "difflib"):
            t, _ = best_of(
                args.repeat,
                lambda m=method: _plan(project, doc_id, Alignment(old_text, new_text, m), new_text),
            )
            timings[method] = t
        t_align, _ = best_of(args.repeat, lambda: Alignment(old_text, new_text, "rapidfuzz"))
        project.close()

        def whole_revise() -> object:
            copy = tmp / f"rev-{time.perf_counter_ns()}.db"
            shutil.copy(base, copy)
            p = open_project(copy, coder="bench")
            try:
                return revise_document(p, doc_id, v2, take_backup=False)
            finally:
                p.close()

        t_revise, report = best_of(args.repeat, whole_revise)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"transcript: {n_words} words, {len(old_text)} characters; {n_codings} codings")
    print(f"outcomes: {report.counts}")  # type: ignore[attr-defined]
    print(f"import of the new version          {t_import:8.3f} s   (baseline)")
    print(
        f"re-anchoring, rapidfuzz (default)  {timings['rapidfuzz']:8.3f} s   "
        f"{timings['rapidfuzz'] / t_import:6.3f}x import   (alignment alone {t_align:.3f} s)"
    )
    print(
        f"re-anchoring, difflib              {timings['difflib']:8.3f} s   {timings['difflib'] / t_import:6.3f}x import"
    )
    print(
        f"whole `casebook revise`            {t_revise:8.3f} s   {t_revise / t_import:6.3f}x import"
    )
    ok = timings["rapidfuzz"] <= t_import
    print(f"target re-anchoring <= 1x import: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
