"""`casebook demo` never rebuilds over work done in the demo project without --force."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.cli import cli
from casebook.store.backup import list_backups
from casebook.store.project import open_project


@pytest.fixture
def tiny_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A one-interview corpus (the real one takes a minute to import)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Interviewer: Hoe gaat het?\nJan (Bouwbedrijf Noord): Goed. We hebben weinig tijd.\n",
        encoding="utf-8",
    )
    (corpus / "manifest.csv").write_text(
        "file,case,kind,role,round\na.txt,Noord,interview,mbo,2022\n", encoding="utf-8"
    )
    (corpus / "codings.csv").write_text(
        "file,code,coder,quote,occurrence,memo\na.txt,BEL,anouk,We hebben weinig tijd.,,\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CASEBOOK_CORPUS", str(corpus))
    return corpus


def demo(folder: Path, *extra: str):
    return CliRunner().invoke(
        cli, ["--coder", "me", "demo", "--dir", str(folder), "--no-tui", *extra]
    )


def count(path: Path, sql: str) -> int:
    p = open_project(path, create=False)
    try:
        return p.scalar(sql)
    finally:
        p.close()


def test_second_demo_refuses_over_changes_and_force_takes_a_backup(
    tiny_corpus, tmp_path: Path
) -> None:
    folder = tmp_path / "demo-project"
    db = folder / "casebook.db"
    first = demo(folder)
    assert first.exit_code == 0, first.output
    assert "reopen later: casebook --project" in first.output
    # untouched: a rebuild is harmless and allowed
    assert demo(folder).exit_code == 0
    assert count(db, "SELECT count(*) FROM codings") == 1

    # practice work in the demo
    p = open_project(db, create=False, coder="me")
    try:
        from casebook.core.codings import code_quote

        doc = p.scalar("SELECT id FROM documents")
        code_quote(p, doc, "BEV", "Goed.")
    finally:
        p.close()
    refused = demo(folder)
    assert refused.exit_code != 0
    assert "1 change since it was built" in refused.output and "--force" in refused.output
    assert count(db, "SELECT count(*) FROM codings") == 2  # untouched
    assert not (folder / "casebook.db.backups").exists()

    forced = demo(folder, "--force")
    assert forced.exit_code == 0, forced.output
    assert count(db, "SELECT count(*) FROM codings") == 1
    p = open_project(db, create=False)
    try:
        backups = list_backups(p)
    finally:
        p.close()
    assert len(backups) == 1 and str(backups[0]) in forced.output
    assert count(backups[0], "SELECT count(*) FROM codings") == 2
    assert not list(folder.glob(".casebook.db.rebuild*"))


def test_demo_over_another_project_is_refused(tiny_corpus, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    open_project(folder / "casebook.db").close()
    result = demo(folder, "--force")
    assert result.exit_code != 0 and "not a demo project" in result.output
