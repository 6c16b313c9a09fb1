"""Person-name detection measured on a labelled set written apart from the rules.

    python bench/names_eval.py            # precision, recall and the misses of casebook's detection

Prints counts and ratios, never asserts: a rule change is judged by comparing
the numbers before and after (run the same script against the other
version's checkout). A found span counts as right when it equals a listed
name; a listed name counts as found when some span equals it.
"""

from __future__ import annotations

import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "names_eval.tsv"


def load() -> list[tuple[str, set[str]]]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, _, names = line.partition("\t")
        rows.append((text, {n for n in names.split("|") if n}))
    return rows


def main() -> None:
    from casebook.privacy.names import find_names

    rows = load()
    tp = fp = fn = 0
    misses: list[str] = []
    false: list[str] = []
    for text, names in rows:
        found = {h.text for h in find_names(text)}
        tp += len(found & names)
        fp += len(found - names)
        fn += len(names - found)
        misses += sorted(names - found)
        false += sorted(found - names)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"sentences {len(rows)}, names {tp + fn}: found {tp}, missed {fn}, false alarms {fp}")
    print(f"precision {precision:.2f}, recall {recall:.2f}")
    print("missed:", ", ".join(misses) or "-")
    print("false alarms:", ", ".join(false) or "-")


if __name__ == "__main__":
    sys.exit(main())
