from __future__ import annotations

from pathlib import Path

import pytest

from casebook.codes import codebook as cb
from casebook.codes.io import export_codebook, import_codebook, read_codebook
from casebook.core.codings import code_quote
from casebook.errors import Ambiguous, CodebookError, NotFound
from casebook.store.backup import list_backups
from tests.conftest import FIXTURES, REPO


def test_import_builds_tree_with_paths(project) -> None:
    counts = import_codebook(project, FIXTURES / "small-codebook.yaml")
    assert counts == {"added": 7, "updated": 0, "unchanged": 0}
    paths = [r["path"] for r in cb.code_tree(project)]
    assert paths == [
        "BEL",
        "BEL.TIJD",
        "BEL.TIJD.RUIMTE",
        "BEV",
        "BEV.VISIE",
        "SAM",
        "SAM.VMBO_MBO",
    ]


def test_reimport_is_idempotent(project) -> None:
    import_codebook(project, FIXTURES / "small-codebook.yaml")
    again = import_codebook(project, FIXTURES / "small-codebook.yaml")
    assert again["added"] == 0 and again["updated"] == 0


def test_resolve_by_path_label_path_name_and_label(project) -> None:
    import_codebook(project, FIXTURES / "small-codebook.yaml")
    tijd = cb.resolve_code(project, "BEL.TIJD")
    assert cb.resolve_code(project, "bel.tijd")["id"] == tijd["id"]
    assert cb.resolve_code(project, "Belemmerende factoren/Tijd")["id"] == tijd["id"]
    assert cb.resolve_code(project, "TIJD")["id"] == tijd["id"]
    assert cb.resolve_code(project, "Visie")["path"] == "BEV.VISIE"
    with pytest.raises(NotFound, match="did you mean"):
        cb.resolve_code(project, "BEL.TIJDD")


def test_ambiguous_bare_name(project) -> None:
    import_codebook(project, FIXTURES / "small-codebook.yaml")
    cb.add_code(project, "BEV.TIJD", label="Tijd gegeven")
    with pytest.raises(Ambiguous):
        cb.resolve_code(project, "TIJD")


def test_rename_and_move_keep_codings(coded_project) -> None:
    project, doc = coded_project
    code_quote(project, doc, "BEL.TIJD.RUIMTE", "De docenten hebben geen ruimte.")
    assert cb.rename_code(project, "BEL.TIJD", "TIJDGEBREK") == "BEL.TIJDGEBREK"
    assert cb.resolve_code(project, "BEL.TIJDGEBREK.RUIMTE")
    assert cb.move_code(project, "BEL.TIJDGEBREK", "BEV") == "BEV.TIJDGEBREK"
    row = project.query_one("SELECT x.path FROM codings k JOIN codes x ON x.id = k.code_id")
    assert row["path"] == "BEV.TIJDGEBREK.RUIMTE"
    actions = [
        r["action"] for r in project.query("SELECT action FROM audit_log WHERE entity = 'code'")
    ]
    assert "rename" in actions and "move" in actions
    assert list_backups(project), "moving a code takes a backup first"


def test_move_under_own_child_is_refused(project) -> None:
    import_codebook(project, FIXTURES / "small-codebook.yaml")
    with pytest.raises(CodebookError, match="descendant"):
        cb.move_code(project, "BEL", "BEL.TIJD")


def test_merge_moves_codings_and_dedupes(coded_project) -> None:
    project, doc = coded_project
    quote = "Eerlijk gezegd kost het veel tijd."
    code_quote(project, doc, "BEL.TIJD", quote)
    code_quote(project, doc, "BEL.TIJD.RUIMTE", quote)  # same span, will collide
    code_quote(project, doc, "BEL.TIJD.RUIMTE", "We plannen nu een vaste middag in het rooster.")
    cb.merge_codes(project, "BEL.TIJD.RUIMTE", "BEL.TIJD")
    rows = project.query(
        "SELECT x.path, k.quote FROM codings k JOIN codes x ON x.id = k.code_id ORDER BY k.start"
    )
    assert [r["path"] for r in rows] == ["BEL.TIJD", "BEL.TIJD"]
    assert project.query_one("SELECT id FROM codes WHERE path = 'BEL.TIJD.RUIMTE'") is None
    assert list_backups(project)


def test_delete_refuses_used_code(coded_project) -> None:
    project, doc = coded_project
    code_quote(project, doc, "BEV.VISIE", "Die is helder.")
    with pytest.raises(CodebookError, match="merge"):
        cb.delete_code(project, "BEV.VISIE")


def test_shortcuts_must_be_unique(project) -> None:
    import_codebook(project, FIXTURES / "small-codebook.yaml")
    with pytest.raises(CodebookError, match="already used"):
        cb.update_code(project, "SAM.VMBO_MBO", shortcut="1")


@pytest.mark.parametrize("ext", [".yaml", ".csv"])
def test_export_import_round_trip(project, tmp_path: Path, ext: str) -> None:
    import_codebook(project, FIXTURES / "small-codebook.yaml")
    out = tmp_path / f"book{ext}"
    export_codebook(project, out)
    specs = read_codebook(out)
    assert [s.name for s in specs] == ["BEL", "BEV", "SAM"]
    assert specs[0].children[0].shortcut == "1"
    from casebook.store.project import open_project

    other = open_project(tmp_path / "other.db")
    import_codebook(other, out)
    assert [r["path"] for r in cb.code_tree(other)] == [r["path"] for r in cb.code_tree(project)]
    other.close()


def test_export_docx_lists_definitions(project, tmp_path: Path) -> None:
    from docx import Document

    import_codebook(project, FIXTURES / "small-codebook.yaml")
    out = tmp_path / "book.docx"
    export_codebook(project, out)
    doc = Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "BEL.TIJD — Tijd" in headings
    assert any("Lack of time." in p.text for p in doc.paragraphs)


def test_bad_yaml_gives_line(tmp_path: Path, project) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n  - name: A\n   label: [unclosed\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="not valid YAML at line"):
        import_codebook(project, bad)


def test_invalid_code_name(tmp_path: Path, project) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n  - name: A.B\n", encoding="utf-8")
    with pytest.raises(Exception, match="not valid"):
        import_codebook(project, bad)


def test_shipped_sto_codebook_imports(project) -> None:
    path = REPO / "codebooks" / "sto.yaml"  # shipped with casebook: missing is a failure
    counts = import_codebook(project, path)
    assert counts["added"] > 100
    for required in (
        "BEL.TIJD",
        "BEV.VISIE",
        "SAM.VMBO_MBO",
        "VORM.STAGE",
        "VGR.BEGROTING",
        "HYP.H1",
    ):
        assert cb.resolve_code(project, required)
