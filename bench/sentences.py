"""Sentence boundaries on transcription conventions: an evaluation, not a test.

Run from the repository root:  python bench/sentences.py [--blank]

Reads ``bench/data/sentence-eval.txt`` (paragraphs with the boundaries a
careful reader would draw, written apart from the rules in
``casebook.text.sentences``) and reports, for ``casebook.text.nlp.analyse``:

- bad-boundary rate: predicted boundaries that are not a gold boundary, as a
  share of all predicted boundaries;
- missed: gold boundaries with no predicted boundary;
- unbalanced: sentences whose brackets or quotation marks do not pair up.

``--blank`` forces the blank Dutch pipeline (what CI and most laptops use).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "sentence-eval.txt"
MARK = "¦"
_ONE_MARK = re.compile(r"^\s*[\[(][^\[\]()]*[\])]\s*$")
_PAIRS = {"(": ")", "[": "]", "„": "”"}


def load(path: Path = DATA) -> list[tuple[str, list[set[int]]]]:
    """Each paragraph's clean text and its boundaries (sets of allowed sentence starts)."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text = ""
        positions: list[tuple[int, str]] = []  # (position, text since previous mark)
        last = 0
        for piece_i, piece in enumerate(line.split(MARK)):
            if piece_i:
                positions.append((len(text), text[last:]))
                last = len(text)
            text += piece
        groups: list[set[int]] = []
        for i, (pos, _before) in enumerate(positions):
            start = pos
            while start < len(text) and text[start].isspace():
                start += 1
            between = text[positions[i - 1][0] : pos] if i else ""
            if i and groups and _ONE_MARK.match(between):
                groups[-1].add(start)
            else:
                groups.append({start})
        items.append((text, groups))
    return items


def balanced(sentence: str) -> bool:
    stack: list[str] = []
    for ch in sentence:
        if ch in _PAIRS:
            stack.append(_PAIRS[ch])
        elif ch in _PAIRS.values():
            if not stack or stack.pop() != ch:
                return False
    return not stack


def evaluate(items: list[tuple[str, list[set[int]]]]) -> dict[str, float]:
    from casebook.text import nlp

    results = nlp.analyse([text for text, _ in items])
    predicted = bad = missed = n_gold = sentences = unbalanced = 0
    for (text, groups), (spans, _lemmas) in zip(items, results, strict=True):
        starts = [a for a, _b in spans[1:]]
        predicted += len(starts)
        n_gold += len(groups)
        hit: set[int] = set()
        for s in starts:
            owner = next((i for i, g in enumerate(groups) if s in g), None)
            if owner is None or owner in hit:
                bad += 1
            else:
                hit.add(owner)
        missed += len(groups) - len(hit)
        for a, b in spans:
            sentences += 1
            unbalanced += not balanced(text[a:b])
    return {
        "paragraphs": len(items),
        "gold boundaries": n_gold,
        "predicted boundaries": predicted,
        "bad boundaries": bad,
        "bad-boundary rate": bad / predicted if predicted else 0.0,
        "missed boundaries": missed,
        "missed rate": missed / n_gold if n_gold else 0.0,
        "sentences": sentences,
        "unbalanced sentences": unbalanced,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blank", action="store_true", help="use the blank Dutch pipeline")
    args = parser.parse_args(argv)
    if args.blank:
        os.environ["CASEBOOK_BLANK_NLP"] = "1"
    from casebook.text import nlp

    scores = evaluate(load())
    print(f"pipeline: {nlp.model_name()}")
    for key, value in scores.items():
        print(f"{key:>22}: {value:.3f}" if isinstance(value, float) else f"{key:>22}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
