"""Merging a second coder's file: registry, review decisions, mention verdicts and links travel."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.codes.codebook import resolve_code
from casebook.codes.io import import_codebook
from casebook.core.codings import add_coding
from casebook.core.documents import DocumentMeta, document_text, import_file
from casebook.partners.links import linked_partners, set_partners
from casebook.partners.mentions import detect_case, list_mentions, set_mention
from casebook.partners.registry import (
    add_alias,
    import_partners_csv,
    resolve_organisation,
    set_type,
)
from casebook.partners.review import list_candidates, reject_candidate
from casebook.partners.teammerge import merge_partners
from casebook.store.project import Project, open_project
from tests.conftest import FIXTURES, REPO
from tests.test_partners_mentions import TRANSCRIPT


def setup(path: Path, transcript: Path, coder: str) -> Project:
    p = open_project(path, coder=coder)
    import_codebook(p, REPO / "codebooks" / "sto.yaml")
    import_partners_csv(p, FIXTURES / "partners_gold.csv")
    import_file(p, transcript, DocumentMeta(case="Kraaienburg", role="mbo"))
    return p


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Project, Project]:
    from casebook.team import merge

    monkeypatch.setattr(merge, "EXTRA_STEPS", [("partners", merge_partners)])
    transcript = tmp_path / "mbo.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    mine = setup(tmp_path / "mine.db", transcript, "anouk")
    theirs = setup(tmp_path / "theirs.db", transcript, "bram")
    yield mine, theirs
    mine.close()
    theirs.close()


def test_registry_verdicts_and_links_are_merged(files: tuple[Project, Project]) -> None:
    from casebook.team.merge import merge_project

    mine, theirs = files
    case = theirs.scalar("SELECT id FROM cases")
    roc = resolve_organisation(theirs, "ROC Maasdelta")["id"]
    add_alias(theirs, roc, "Maasdelta College")
    set_type(theirs, resolve_organisation(theirs, "Technova Systems")["id"], "overig")
    detect_case(theirs, case)
    reject_candidate(theirs, list_candidates(theirs, case)[0]["id"])
    doc = theirs.scalar("SELECT id FROM documents")
    technova = next(m for m in list_mentions(theirs, document_id=doc) if m["surface"] == "Technova")
    set_mention(theirs, technova["id"], None, reject=True)
    text = document_text(theirs, doc)
    quote = "Wij werken met Het Windhoek College aan een techlab."
    start = text.index(quote)
    coding = add_coding(
        theirs, doc, resolve_code(theirs, "SAM.VMBO_MBO")["id"], start, start + len(quote)
    )
    set_partners(theirs, coding, [roc, resolve_organisation(theirs, "Het Windhoek College")["id"]])
    theirs.close()

    report = merge_project(mine, theirs.path)
    assert report.matched["organisations"] == 14 and "organisations" not in report.added
    assert report.added["organisation aliases"] == 1 and report.added["partner links"] == 2
    assert any("type of Technova Systems" in c for c in report.conflicts)
    my_roc = resolve_organisation(mine, "Maasdelta College")
    assert my_roc["name"] == "ROC Maasdelta" and my_roc["type"] == "mbo"
    assert resolve_organisation(mine, "Technova Systems")["type"] == "bedrijf"
    my_case = mine.scalar("SELECT id FROM cases")
    detect_case(mine, my_case)
    assert list_candidates(mine, my_case) == []
    my_doc = mine.scalar("SELECT id FROM documents")
    rejected = [m for m in list_mentions(mine, document_id=my_doc) if m["status"] == "rejected"]
    assert [(m["surface"], m["start"]) for m in rejected] == [("Technova", technova["start"])]
    merged_coding = mine.scalar("SELECT id FROM codings")
    assert {p["name"] for p in linked_partners(mine, merged_coding)} == {
        "ROC Maasdelta",
        "Het Windhoek College",
    }
    again = merge_project(mine, theirs.path)
    assert "partner links" not in again.added and "organisation aliases" not in again.added
