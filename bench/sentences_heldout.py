"""Sentence units on held-out transcripts: the share that carries unbalanced transcription marks.

The transcripts in bench/data/sentences-heldout were written apart from the
sentence rules (casebook.text.sentences), in three styles, with the marks an
interviewer meets: (lacht), [onverstaanbaar], [00:12:31], „…", ellipses,
fillers. A sentence whose brackets or quotation marks do not pair up is one
a coder would select with a stray mark in its quote.

    python bench/sentences_heldout.py [-v]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from casebook.core.documents import DocumentMeta, import_file  # noqa: E402
from casebook.store.project import open_project  # noqa: E402

DATA = ROOT / "bench" / "data" / "sentences-heldout"
PAIRS = {"(": ")", "[": "]"}


def balanced(s: str) -> bool:
    stack: list[str] = []
    for ch in s:
        if ch in PAIRS:
            stack.append(PAIRS[ch])
        elif ch in PAIRS.values() and (not stack or stack.pop() != ch):
            return False
    quotes = s.replace("\u201e", '"').replace("\u201c", '"').replace("\u201d", '"')
    return not stack and quotes.count('"') % 2 == 0


def main() -> None:
    verbose = "-v" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        project = open_project(Path(tmp) / "p.db", coder="bench")
        bad = total = 0
        for path in sorted(DATA.glob("*.txt")):
            doc = import_file(
                project, path, DocumentMeta(case="X", role="vmbo", kind="interview")
            ).document_id
            text = project.scalar("SELECT text FROM document_texts WHERE document_id = ?", (doc,))
            for r in project.query(
                "SELECT start, end FROM segments WHERE document_id = ? AND kind = 'sentence' ORDER BY start",
                (doc,),
            ):
                sentence = text[r["start"] : r["end"]]
                total += 1
                if not balanced(sentence):
                    bad += 1
                    if verbose:
                        print("unbalanced:", repr(sentence))
        project.close()
    print(f"sentences {total}, unbalanced {bad} ({bad / total:.1%})")


if __name__ == "__main__":
    main()
