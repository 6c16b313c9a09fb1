"""Partner detection and proposals scored on hand-marked corpora.

Run from the repository root:  python bench/partners_eval.py DIR [DIR …] [--json] [--details]

Each DIR holds cases.csv, partners.csv (official names only), manifest.csv,
the marked text files it names and optionally codebook.yaml; the marks are
``[[surface|Official Name]]`` for a partner mention and
``{{CODE|Org A;Org B: passage}}`` for a coded collaboration passage with its
gold partners (see casebook/partners/evaluation.py). Prints mention recall
and precision, the share of passages whose proposal holds every gold
partner, and the share of proposed partners that are not gold.
With --review the decisions `casebook partners review` offers are answered
from the gold (casebook/partners/review_replay.py): it prints how many
decisions that took, the scores after them, and how many gold mentions the
review never showed.
Targets (issue 14): recall ≥ 0.95, precision ≥ 0.90, passages ≥ 0.90,
extra ≤ 10 %.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path, help="gold corpus folders")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object per corpus in a list"
    )
    parser.add_argument(
        "--details", action="store_true", help="list misses, wrong hits and imperfect passages"
    )
    parser.add_argument(
        "--codebook", type=Path, help="codebook to use instead of DIR/codebook.yaml or sto.yaml"
    )
    parser.add_argument(
        "--review",
        action="store_true",
        help="also replay an analyst's review from the gold and score after it",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("CASEBOOK_BLANK_NLP", "1")
    from casebook.errors import CasebookError
    from casebook.partners.evaluation import evaluate_corpus, format_score

    results = []
    for d in args.dirs:
        try:
            score = evaluate_corpus(d, codebook=args.codebook, review=args.review)
        except CasebookError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        results.append(score)
        if not args.json:
            print(format_score(score, details=args.details))
    if args.json:
        print(
            json.dumps(
                [s.as_dict(details=args.details) for s in results], ensure_ascii=False, indent=2
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
