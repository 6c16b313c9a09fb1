from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from casebook.codes.codebook import add_code
from casebook.core.codings import code_quote, list_codings
from casebook.core.memos import get_memo, set_memo
from casebook.store.backup import list_backups
from casebook.store.project import Project, connect, open_project
from casebook.team.merge import merge_project
from casebook.team.packs import export_coder_pack, import_coder_pack


def clone(project: Project, path: Path, coder: str) -> Project:
    dest = connect(path, create=True)
    project.conn.backup(dest)
    dest.close()
    return open_project(path, coder=coder)


def snapshot(p: Project) -> dict[str, list]:
    return {
        "codings": sorted(
            (r["document"], r["code"], r["coder"], r["start"], r["end"], r["memo"] or "")
            for r in list_codings(p)
        ),
        "codes": sorted(r["path"] for r in p.query("SELECT path FROM codes")),
        "memos": sorted(
            (r["target_kind"], r["body"]) for r in p.query("SELECT target_kind, body FROM memos")
        ),
        "documents": sorted(r["sha256"] for r in p.query("SELECT sha256 FROM documents")),
        "conflicts": sorted(
            (r["column_name"], r["theirs"]) for r in p.query("SELECT * FROM merge_conflicts")
        ),
    }


@pytest.fixture
def two_coders(coded_project, tmp_path: Path):
    base, doc = coded_project
    set_memo(base, "document", doc, "basismemo")
    a = clone(base, tmp_path / "anouk.db", "anouk")
    b = clone(base, tmp_path / "bram.db", "bram")
    # Anouk codes, edits the shared memo, adds a code
    code_quote(a, doc, "BEL.TIJD", "Eerlijk gezegd kost het veel tijd.")
    code_quote(a, doc, "BEV.VISIE", "Die is helder.", memo="visie anouk")
    add_code(a, "BEL.WERKDRUK", label="Werkdruk")
    # Bram codes partly the same, adds a near-duplicate code and codes with it
    code_quote(b, doc, "BEL.TIJD", "Eerlijk gezegd kost het veel tijd.")
    code_quote(b, doc, "BEV.VISIE", "Iedereen weet waar we naartoe willen.")
    add_code(b, "BEL.WERK_DRUK", label="Werk druk")
    code_quote(b, doc, "BEL.WERK_DRUK", "De docenten hebben geen ruimte.")
    base.close()
    return a, b, doc


def test_merge_both_ways_and_twice(two_coders, tmp_path: Path) -> None:
    a, b, doc = two_coders
    set_memo(a, "document", doc, "memo van anouk")
    set_memo(
        b, "document", doc, "memo van bram", coder="anouk"
    )  # same memo row edited in both files
    b.close()
    report = merge_project(a, tmp_path / "bram.db", accept_similar=lambda s: False)
    assert report.backup and Path(report.backup).exists() and list_backups(a)
    assert any(
        "WERK_DRUK" in s.source_path and "WERKDRUK" in s.target_path for s in report.suggestions
    )
    after_first = snapshot(a)
    # nothing lost: every coding of both coders is there, none doubled
    coders = [c[2] for c in after_first["codings"]]
    assert coders.count("anouk") == 2 and coders.count("bram") == 3
    assert "BEL.WERKDRUK" in after_first["codes"] and "BEL.WERK_DRUK" in after_first["codes"]
    assert get_memo(a, "document", doc, coder="anouk") == "memo van anouk"
    assert ("body", "memo van bram") in after_first["conflicts"]
    # idempotent
    again = merge_project(a, tmp_path / "bram.db")
    assert not again.changed
    assert snapshot(a) == after_first
    a.close()
    # the other way round gives the same set of codings
    b = open_project(tmp_path / "bram.db", coder="bram")
    merge_project(b, tmp_path / "anouk.db", accept_similar=lambda s: False)
    assert snapshot(b)["codings"] == after_first["codings"]
    assert snapshot(b)["codes"] == after_first["codes"]
    b.close()


def test_accepting_a_suggestion_maps_the_code(two_coders, tmp_path: Path) -> None:
    a, b, doc = two_coders
    b.close()
    merge_project(a, tmp_path / "bram.db", accept_similar=lambda s: True)
    paths = [r["path"] for r in a.query("SELECT path FROM codes")]
    assert "BEL.WERK_DRUK" not in paths
    coded = [
        c for c in list_codings(a) if c["coder"] == "bram" and c["quote"].startswith("De docenten")
    ]
    assert coded and coded[0]["code"] == "BEL.WERKDRUK"
    a.close()


def test_dry_run_changes_nothing(two_coders, tmp_path: Path) -> None:
    a, b, doc = two_coders
    b.close()
    before = snapshot(a)
    report = merge_project(a, tmp_path / "bram.db", dry_run=True)
    assert report.added.get("codings") == 3 and report.dry_run
    assert snapshot(a) == before
    assert report.backup is None
    a.close()


def test_new_documents_come_with_text_and_index(coded_project, tmp_path: Path) -> None:
    base, doc = coded_project
    other = open_project(tmp_path / "other.db", coder="bram")
    src = tmp_path / "x.txt"
    src.write_text("I: Hoe gaat het?\nR: De stagebegeleiding loopt goed.\n", encoding="utf-8")
    from casebook.core.documents import DocumentMeta, import_file

    import_file(other, src, DocumentMeta(case="Duinmond"))
    other.close()
    merge_project(base, tmp_path / "other.db")
    from casebook.core.search import search

    assert [h["document"] for h in search(base, "stagebegeleiding")] == ["x.txt"]
    assert base.scalar("SELECT count(*) FROM segments WHERE kind = 'turn'") >= 6


def test_coder_pack_round_trip(coded_project, tmp_path: Path) -> None:
    base, doc = coded_project
    pack = tmp_path / "pack.db"
    assert export_coder_pack(base, pack, [doc], coder="bram") == 1
    coder = open_project(pack, coder="bram")
    code_quote(coder, doc, "BEV.VISIE", "Die is helder.")
    coder.close()
    report = import_coder_pack(base, pack)
    assert report.added.get("codings") == 1
    assert [c["coder"] for c in list_codings(base)] == ["bram"]


def test_merge_killed_midway_leaves_target_unchanged(two_coders, tmp_path: Path) -> None:
    a, b, doc = two_coders
    b.close()
    before = snapshot(a)
    a.close()
    script = f"""
import os, signal
from pathlib import Path
from casebook.store.project import connect, open_project
from casebook.team import merge
def die(ctx):
    os.kill(os.getpid(), signal.SIGKILL)
merge.EXTRA_STEPS.append(("die", die))
p = open_project({str(tmp_path / "anouk.db")!r})
merge.merge_project(p, Path({str(tmp_path / "bram.db")!r}))
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode != 0
    a = open_project(tmp_path / "anouk.db")
    assert a.scalar("PRAGMA integrity_check") == "ok"
    assert snapshot(a) == before
    a.close()


def test_merge_refuses_itself_and_bad_files(coded_project, tmp_path: Path) -> None:
    base, _doc = coded_project
    from casebook.errors import CasebookError

    with pytest.raises(CasebookError):
        merge_project(base, base.path)
    junk = tmp_path / "junk.db"
    junk.write_text("nope", encoding="utf-8")
    with pytest.raises(CasebookError, match="not a casebook project"):
        merge_project(base, junk)
