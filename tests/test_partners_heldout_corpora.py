"""Issue 14: the held-out partner corpora stay well formed.

partners-heldout, partners-heldout2, partners-heldout3, partners-heldout4,
partners-heldout5 to partners-heldout14
were written apart from the detection rules and are only measured
(bench/partners_eval.py), never held to thresholds here. What is checked
is the gold itself: every mark parses, every gold organisation is in the
registry (official names, no aliases), and every passage carries a
collaboration code of the codebook the corpus is scored with, so a typo in
the markup cannot silently shift the scores.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from casebook.codes.codebook import CodeSpec
from casebook.codes.io import read_codebook
from casebook.demo import codebook_file
from casebook.errors import InvalidInput
from casebook.partners.evaluation import strip_marks
from tests.conftest import FIXTURES

HELDOUT = [
    FIXTURES / "partners-heldout",
    FIXTURES / "partners-heldout2",
    FIXTURES / "partners-heldout3",
    FIXTURES / "partners-heldout4",
    FIXTURES / "partners-heldout5",
    FIXTURES / "partners-heldout6",
    FIXTURES / "partners-heldout7",
    FIXTURES / "partners-heldout8",
    FIXTURES / "partners-heldout9",
    FIXTURES / "partners-heldout10",
    FIXTURES / "partners-heldout11",
    FIXTURES / "partners-heldout12",
    FIXTURES / "partners-heldout13",
    FIXTURES / "partners-heldout14",
]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _collaboration(specs: list[CodeSpec], prefix: str = "", inherited: str | None = None):
    """Each code path with its collaboration kind, inherited from the nearest ancestor that says."""
    kinds: dict[str, str | None] = {}
    for spec in specs:
        path = f"{prefix}{spec.name}"
        kind = spec.collaboration or inherited
        kinds[path] = kind
        kinds.update(_collaboration(spec.children, f"{path}.", kind))
    return kinds


@pytest.mark.parametrize("corpus", HELDOUT, ids=lambda p: p.name)
def test_heldout_corpus_gold_is_well_formed(corpus: Path) -> None:
    cases = {row["case"] for row in _rows(corpus / "cases.csv")}
    registry: dict[str, set[str]] = {}
    for row in _rows(corpus / "partners.csv"):
        assert not (row.get("aliases") or "").strip(), f"{row['organisation']} has aliases"
        registry.setdefault(row["case"], set()).add(row["organisation"].casefold())
    assert set(registry) <= cases
    book = corpus / "codebook.yaml"
    kinds = _collaboration(read_codebook(book if book.exists() else codebook_file()))
    mentions = passages = 0
    for row in _rows(corpus / "manifest.csv"):
        path = corpus / row["file"]
        orgs = registry[row["case"]]
        marked = strip_marks(path.read_text(encoding="utf-8"), str(path))
        assert "[[" not in marked.text and "{{" not in marked.text and "}}" not in marked.text
        for g in marked.mentions:
            assert marked.text[g.start : g.end] == g.surface
            assert g.organisation.casefold() in orgs, (path.name, g.organisation)
        for p in marked.passages:
            assert kinds.get(p.code) in {"dyad", "form"}, (path.name, p.code)
            assert p.partners, (path.name, p.code)
            assert {n.casefold() for n in p.partners} <= orgs, (path.name, p.partners)
        mentions += len(marked.mentions)
        passages += len(marked.passages)
    assert mentions >= 60 and passages >= 12


def test_a_passage_left_open_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not closed"):
        strip_marks("{{SAM.GEMEENTE|Gemeente X: de [[gemeente|Gemeente X]] betaalt", "t.txt")
