"""A large plain-text transcript, imported whole, against bare ``nlp.pipe`` on its lines.

Run from the repository root:  python bench/bigtext.py [--mb 10] [--repeat N]

The text is generated (fictional interview turns, fixed seed). ``casebook``
is a full ``import_file`` into a fresh project: decoding, speaker detection,
assembling, spaCy sentences and lemmas, and the database with its search
index. The baseline is the same spaCy pipeline's ``nlp.pipe`` over the same
paragraphs, consuming each document and nothing else. Target: the import
runs at >= 50% of the baseline's throughput, and grows linearly (the half-size
file takes about half the time). Times are CPU seconds of this process
(``time.process_time``), so other work on a shared machine does not skew the
ratio; both sides run in one process.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

WORDS = (
    "de het een en van in op met voor naar dat die niet ook maar wel nog al zo dan heel "
    "samenwerking school bedrijf tijd rooster docent leerling plan regio mbo vmbo techniek "
    "stage gemeente subsidie praktijk lokaal opleiding werkplaats begeleiding visie afspraak"
).split()
SPEAKERS = ("Interviewer", "Respondent", "Interviewer", "Docent")


def make_text(megabytes: float, seed: int = 7) -> str:
    """Turns of 1–3 sentences; about one line per 60 characters."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    lines: list[str] = []
    size = 0
    i = 0
    while size < target:
        sentences = []
        for _ in range(rng.randint(1, 3)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(4, 14))]
            sentences.append(" ".join(words).capitalize() + rng.choice(".?."))
        line = f"{SPEAKERS[i % len(SPEAKERS)]}: {' '.join(sentences)}"
        lines.append(line)
        size += len(line) + 1
        i += 1
    return "\n".join(lines) + "\n"


def bare_pipe(lines: list[str]) -> int:
    from casebook.text import nlp

    n = 0
    for doc in nlp.pipeline().pipe(lines, batch_size=256):
        n += len(doc)
    return n


def full_import(path: Path) -> float:
    from casebook.core.documents import DocumentMeta, import_file
    from casebook.store.project import open_project

    with tempfile.TemporaryDirectory() as tmp:
        project = open_project(Path(tmp) / "bench.db")
        try:
            start = time.process_time()
            outcome = import_file(project, path, DocumentMeta(case="Bench"))
            seconds = time.process_time() - start
            assert outcome.status == "imported", outcome
            return seconds
        finally:
            project.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--mb", type=float, default=10.0, help="size of the generated text (default 10 MB)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per timing; the best counts")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from casebook.text import nlp

    nlp.pipeline()
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for mb in (args.mb / 2, args.mb):
            text = make_text(mb)
            path = Path(tmp) / f"transcript-{mb:g}mb.txt"
            path.write_text(text, encoding="utf-8")
            lines = [ln.split(": ", 1)[1] for ln in text.splitlines() if ln]
            t_pipe = min(_timed(lambda lines=lines: bare_pipe(lines)) for _ in range(args.repeat))
            t_full = min(full_import(path) for _ in range(args.repeat))
            rows.append((mb, len(lines), t_pipe, t_full))
    print(f"{'text':>8} {'lines':>9} {'nlp.pipe s':>11} {'import s':>9} {'import/pipe':>12}")
    for mb, n, t_pipe, t_full in rows:
        print(f"{mb:7.1f}M {n:9,} {t_pipe:11.2f} {t_full:9.2f} {t_pipe / t_full:11.0%}")
    (_mb1, _n1, _p1, half), (_mb2, _n2, _p2, full) = rows
    share = rows[-1][2] / full
    print(
        f"\nimport throughput = {share:.0%} of bare nlp.pipe (target >= 50%): {'met' if share >= 0.5 else 'NOT met'}"
    )
    print(f"doubling the text multiplies import time by {full / half:.2f} (linear = 2.0)")
    return 0


def _timed(fn) -> float:  # noqa: ANN001
    start = time.process_time()
    fn()
    return time.process_time() - start


if __name__ == "__main__":
    raise SystemExit(main())
