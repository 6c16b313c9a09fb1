"""A coder file made before a revision merges onto the new version, with the revision's outcomes."""

from __future__ import annotations

import shutil
from pathlib import Path

from casebook.core.codings import check_quotes, code_quote
from casebook.core.documents import DocumentMeta, document_text, import_file
from casebook.store.project import Project, open_project
from casebook.team.merge import merge_project
from casebook.versions.revise import review_items, revise_document
from tests.test_revise import V1, V2

QUOTES = [
    ("samenwerking met Zandrijck", "BEV.VISIE"),
    ("Eerlijk gezegd kost het veel tijd.", "BEL.TIJD"),
    ("De docenten hebben geen ruimte.", "BEL.TIJD.RUIMTE"),
    ("kost het veel tijd. De docenten hebben geen ruimte.", "BEL"),
    ("We plannen nu een vaste middag in het rooster.", "BEL.TIJD"),
    ("Iedereen weet waar we naartoe willen.", "BEV.VISIE"),
]


def test_merge_of_a_file_made_before_a_revision(
    coded_project: tuple[Project, str], tmp_path: Path
) -> None:
    project, _ = coded_project
    src = tmp_path / "v1" / "maasdelta-mbo.txt"
    src.parent.mkdir()
    src.write_text(V1, encoding="utf-8")
    doc_id = import_file(project, src, DocumentMeta(case="Maasdelta", role="mbo")).document_id
    mine = {q: code_quote(project, doc_id, code, q) for q, code in QUOTES}
    # the second coder works on a copy made now, before the revision
    project.conn.execute("PRAGMA wal_checkpoint(FULL)")
    other_path = tmp_path / "bram.db"
    shutil.copy(project.path, other_path)
    with open_project(other_path, coder="bram") as other:
        theirs = {q: code_quote(other, doc_id, code, q) for q, code in QUOTES}
        text = document_text(other, doc_id)
        s = text.index("Zandrijck")
        other.conn.execute(
            "INSERT INTO mentions (document_id, start, end, surface, method, status) VALUES (?,?,?,?,?,?)",
            (doc_id, s, s + 9, "Zandrijck", "manual", "confirmed"),
        )
        other.conn.commit()
    new = tmp_path / "v2" / "maasdelta-mbo.txt"
    new.parent.mkdir()
    new.write_text(V2, encoding="utf-8")
    revise_document(project, doc_id, new, take_backup=False)
    outcome = {i["target_id"]: i["outcome"] for i in project.query("SELECT * FROM revision_items")}
    report = merge_project(project, other_path)
    assert (
        project.scalar("SELECT count(*) FROM documents") == 2
    )  # no stranded copy of the old version
    after = {
        i["target_id"]: i
        for i in project.query("SELECT * FROM revision_items WHERE via LIKE 'merge:%'")
    }
    for q, _code in QUOTES:
        assert after[theirs[q]]["outcome"] == outcome[mine[q]], q
    rows = {
        r["id"]: r for r in project.query("SELECT * FROM codings WHERE document_id = ?", (doc_id,))
    }
    for q, _code in QUOTES:
        if outcome[mine[q]] == "lost":
            assert theirs[q] not in rows
        else:
            assert (rows[theirs[q]]["start"], rows[theirs[q]]["end"]) == (
                rows[mine[q]]["start"],
                rows[mine[q]]["end"],
            )
    assert check_quotes(project) == []
    assert report.added.get("codings through versions (lost)") == 1
    assert (
        project.scalar("SELECT surface FROM mentions WHERE document_id = ?", (doc_id,))
        == "Zandrijk"
    )
    flagged = review_items(project, doc_id)
    assert sum(1 for f in flagged if f["coder"] == "bram" or f["via"].startswith("merge:")) == 3
    # merging the same file again changes nothing
    again = merge_project(project, other_path)
    assert not any(k.startswith("codings") for k in again.added)


def test_merge_of_a_file_revised_there(coded_project: tuple[Project, str], tmp_path: Path) -> None:
    """The other coder revised the document in their file: it is revised here too, not doubled."""
    project, _ = coded_project
    src = tmp_path / "v1" / "maasdelta-mbo.txt"
    src.parent.mkdir()
    src.write_text(V1, encoding="utf-8")
    doc_id = import_file(project, src, DocumentMeta(case="Maasdelta", role="mbo")).document_id
    mine = {q: code_quote(project, doc_id, code, q) for q, code in QUOTES[:3]}
    project.conn.execute("PRAGMA wal_checkpoint(FULL)")
    other_path = tmp_path / "bram.db"
    shutil.copy(project.path, other_path)
    new = tmp_path / "v2" / "maasdelta-mbo.txt"
    new.parent.mkdir()
    new.write_text(V2, encoding="utf-8")
    with open_project(other_path, coder="bram") as other:
        revise_document(other, doc_id, new, take_backup=False)
        theirs = code_quote(other, doc_id, "BEV", "Die is helder.")
    report = merge_project(project, other_path)
    assert report.added.get("document versions") == 1
    assert project.scalar("SELECT count(*) FROM documents") == 2
    assert project.scalar("SELECT version FROM documents WHERE id = ?", (doc_id,)) == 2
    rows = {
        r["id"]: r for r in project.query("SELECT * FROM codings WHERE document_id = ?", (doc_id,))
    }
    assert rows[theirs]["quote"] == "Die is helder."
    assert rows[mine["samenwerking met Zandrijck"]]["quote"] == "samenwerking met Zandrijk"
    assert mine["De docenten hebben geen ruimte."] not in rows
    assert check_quotes(project) == []


def test_undo_after_a_merge_takes_the_merged_codings_back_too(
    coded_project: tuple[Project, str], tmp_path: Path
) -> None:
    from casebook.versions.revise import undo_revision

    project, _ = coded_project
    src = tmp_path / "v1" / "maasdelta-mbo.txt"
    src.parent.mkdir()
    src.write_text(V1, encoding="utf-8")
    doc_id = import_file(project, src, DocumentMeta(case="Maasdelta", role="mbo")).document_id
    project.conn.execute("PRAGMA wal_checkpoint(FULL)")
    other_path = tmp_path / "bram.db"
    shutil.copy(project.path, other_path)
    with open_project(other_path, coder="bram") as other:
        theirs = {q: code_quote(other, doc_id, code, q) for q, code in QUOTES}
    new = tmp_path / "v2" / "maasdelta-mbo.txt"
    new.parent.mkdir()
    new.write_text(V2, encoding="utf-8")
    revise_document(project, doc_id, new, take_backup=False)
    merge_project(project, other_path)
    undo_revision(project, doc_id)
    assert document_text(project, doc_id) == V1.replace("Interviewer: ", "").replace(
        "Marieke: ", ""
    ).rstrip("\n")
    quotes = {
        r["id"]: r["quote"]
        for r in project.query("SELECT * FROM codings WHERE document_id = ?", (doc_id,))
    }
    assert {q: quotes.get(cid) for q, cid in theirs.items()} == {q: q for q in theirs}
    assert check_quotes(project) == []
