"""casebook import DIR: walking folders, cases from folder names, and folders with nothing to import."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from casebook.cli import cli
from casebook.core.documents import list_documents
from casebook.store.project import open_project
from tests.conftest import REPO, TRANSCRIPT

CORPUS = REPO / "corpus"


def test_demo_corpus_with_case_from_folder(tmp_path: Path) -> None:
    db = tmp_path / "casebook.db"
    runner = CliRunner()
    res = runner.invoke(cli, ["--project", str(db), "case", "import", str(CORPUS / "cases.csv")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["--project", str(db), "import", str(CORPUS), "--case-from-folder"])
    assert res.exit_code == 0, res.output
    assert f"skipped folder {CORPUS / 'partners'}: nothing casebook can import" in res.stderr
    assert f"skipped {CORPUS / 'README.md'}: not inside a case folder" in res.stderr
    project = open_project(db, create=False)
    try:
        for case, folder in (
            ("Duinmond", "duinmond"),
            ("Lindeveen", "lindeveen"),
            ("Ruwaard", "ruwaard"),
        ):
            names = {d["name"] for d in list_documents(project, case)}
            expected = {p.name for p in (CORPUS / folder).iterdir() if not p.name.startswith(".")}
            assert names == expected, case
        # lower-case folder names land in the existing cases, not in new ones
        names = {r["name"] for r in project.query("SELECT name FROM cases")}
        assert names == {
            "Duinmond",
            "Lindeveen",
            "Ruwaard",
            "sources",
        }  # sources/ holds generator inputs
    finally:
        project.close()


def test_walk_skips_hidden_lock_and_foreign_files(tmp_path: Path) -> None:
    folder = tmp_path / "interviews"
    (folder / ".git").mkdir(parents=True)
    (folder / "2022").mkdir()
    (folder / "2022" / "lin-mbo.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (folder / "~$lin-mbo.docx").write_bytes(b"lock")
    (folder / ".notes.txt").write_text("privé", encoding="utf-8")
    (folder / ".git" / "HEAD.txt").write_text("ref", encoding="utf-8")
    (folder / "planning.xlsx").write_bytes(b"PK")
    res = CliRunner().invoke(
        cli, ["--project", str(tmp_path / "p.db"), "import", str(folder), "--case", "Lindeveen"]
    )
    assert res.exit_code == 0, res.output
    assert "1 imported, 0 already in the project, 0 failed" in res.output


def test_folder_with_nothing_importable_is_named(tmp_path: Path) -> None:
    empty = tmp_path / "leeg"
    empty.mkdir()
    (empty / "notes.xlsx").write_bytes(b"PK")
    db = tmp_path / "p.db"
    for extra in (["--case", "X"], ["--case-from-folder"]):
        res = CliRunner().invoke(cli, ["--project", str(db), "import", str(empty), *extra])
        assert res.exit_code != 0
        assert res.stderr.startswith(f"error: {empty}: no file casebook can import")
        assert len(res.stderr.strip().splitlines()) == 1
        assert "Traceback" not in res.output
    assert not db.exists()


def test_case_from_folder_and_case_exclude_each_other(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        cli,
        [
            "--project",
            str(tmp_path / "p.db"),
            "import",
            str(tmp_path),
            "--case",
            "X",
            "--case-from-folder",
        ],
    )
    assert res.exit_code == 2 and "not both" in res.stderr
