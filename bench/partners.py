"""Mention detection speed against bare spaCy on the same texts.

Run from the repository root:  python bench/partners.py [--words N] [--repeat N]

Builds the demo project (corpus/) in a temporary folder, takes every
document's canonical text and replicates the set to about a million words
(``--words``). Each case's texts are run through that case's ``Detector``
(entity rulers of the registry, generic references, rapidfuzz over
capitalised runs, candidate detection) and, for comparison, through
``nlp.pipe`` of the same pipeline without the matchers (``spacy.blank("nl")``,
which is the tokenizer). Each timing is the
best of N interleaved runs. Target: detection at least 50% of the bare rate.

A replicated corpus repeats its names, so the normalisation cache and the
de-duplicated fuzzy queries work better than on fresh text; the single pass
over the unreplicated corpus is printed too.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def best_of(n: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import spacy

    from casebook.demo import build_demo
    from casebook.partners.mentions import Detector
    from casebook.partners.registry import load_registry
    from casebook.partners.storage import case_places
    from casebook.store.project import open_project

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "casebook.db"
        build_demo(target)
        project = open_project(target)
        case_names = [r["name"] for r in project.query("SELECT name FROM cases")]
        by_case: dict[str, list[str]] = {}
        for r in project.query(
            "SELECT d.case_id, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id"
        ):
            by_case.setdefault(r["case_id"], []).append(r["text"])
        registries = {cid: load_registry(project, cid) for cid in by_case}
        places = {cid: case_places(project, cid) for cid in by_case}
        project.close()

    unique_words = sum(len(t.split()) for texts in by_case.values() for t in texts)
    reps = max(1, round(args.words / unique_words))
    big = {cid: texts * reps for cid, texts in by_case.items()}
    words = unique_words * reps
    n_orgs = sum(len(r) for r in registries.values())
    print(
        f"corpus: {unique_words:,} words in {sum(map(len, by_case.values()))} documents, "
        f"{len(by_case)} cases, {n_orgs} registered organisations; replicated ×{reps} → {words:,} words"
    )

    t0 = time.perf_counter()
    # With the richer variants of issue 14: derived forms, initials, type words, place names of the case.
    detectors = {
        cid: Detector(registries[cid], case_names, use_model=False, places=places[cid])
        for cid in by_case
    }
    print(f"building the detectors: {time.perf_counter() - t0:.2f} s")

    first = time.perf_counter()
    found_once = sum(
        len(f) for cid, texts in by_case.items() for f in detectors[cid].detect_many(texts)
    )
    first = time.perf_counter() - first
    print(f"first pass, unreplicated: {unique_words / first:,.0f} words/s ({found_once} mentions)")

    bare = spacy.blank("nl")

    def run_bare() -> None:
        for texts in big.values():
            for _ in bare.pipe(texts, batch_size=64):
                pass

    counts: dict[str, int] = {}

    def run_detect() -> None:
        for cid, texts in big.items():
            counts[cid] = sum(len(f) for f in detectors[cid].detect_many(texts))

    # Interleaved, so a busy moment on the machine does not land on one side only.
    t_bare = t_detect = float("inf")
    for _ in range(args.repeat):
        t_bare = min(t_bare, best_of(1, run_bare))
        t_detect = min(t_detect, best_of(1, run_detect))
    print(f"bare nlp.pipe (spacy.blank('nl')):      {words / t_bare:>10,.0f} words/s")
    print(
        f"mention detection (rulers+fuzzy+review): {words / t_detect:>10,.0f} words/s "
        f"({sum(counts.values()):,} mentions)"
    )
    ratio = t_bare / t_detect
    print(
        f"detection / bare = {ratio:.0%}  (target >= 50%)  {'OK' if ratio >= 0.5 else 'BELOW TARGET'}"
    )


if __name__ == "__main__":
    main()
