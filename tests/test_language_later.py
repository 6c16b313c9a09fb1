"""The language layer built after the import: the same rows, never half done, no spaCy on import."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.cli import cli
from casebook.core import language
from casebook.core.documents import (
    DocumentMeta,
    import_batch,
    import_file,
    segments_of,
    set_kind,
)
from casebook.manifest import read_manifest
from casebook.store.project import Project, open_project

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
sys.path.insert(0, str(REPO / "bench"))
from tablereport import build  # noqa: E402

TRANSCRIPT = """\
Interviewer: Hoe begon de samenwerking met de bedrijven? Vertel eens.
Marieke (ROC Maasdelta): Het begon in 2019 met een werkplaats, bijv. voor de derde klas. Daarna kwamen de gastlessen.
Interviewer: En wat liep er mis?
Marieke (ROC Maasdelta): Er was te weinig tijd... De docenten hadden geen ruimte in het rooster [onverstaanbaar] en de subsidie stopte.
"""


def rows(project: Project, document_id: str) -> tuple[list[tuple], list[tuple]]:
    """A document's segments and search rows, without the row ids (which depend on insert order)."""
    segs = project.conn.execute(
        "SELECT kind, start, end, label, speaker_kind, role, organisation, time, level"
        " FROM segments WHERE document_id = ? ORDER BY kind, start, end",
        (document_id,),
    ).fetchall()
    fts = project.conn.execute(
        "SELECT s.kind, s.start, s.end, f.text, f.lemmas FROM segments_fts f"
        " JOIN segments s ON s.id = f.segment_id WHERE f.document_id = ?"
        " ORDER BY s.start",
        (document_id,),
    ).fetchall()
    return segs, fts


def sources(tmp_path: Path) -> list[tuple[Path, DocumentMeta]]:
    """Every format of the demo corpus, a transcript with marks, and a report with ruled tables."""
    items = read_manifest(CORPUS / "manifest.csv")
    by_format: dict[str, tuple[Path, DocumentMeta]] = {}
    for path, meta in items:
        by_format.setdefault(path.suffix, (path, meta))
    talk = tmp_path / "gesprek.txt"
    talk.write_text(TRANSCRIPT, encoding="utf-8")
    report = build(tmp_path / "rapport.pdf", pages=4)
    return [
        *by_format.values(),
        (talk, DocumentMeta(case="Noord")),
        (report, DocumentMeta(case="Noord", kind="progress_report")),
    ]


def test_later_then_complete_gives_the_rows_an_import_gives_at_once(tmp_path: Path) -> None:
    items = sources(tmp_path)
    assert {p.suffix for p, _m in items} >= {".txt", ".docx", ".odt", ".md", ".vtt", ".pdf"}
    with open_project(tmp_path / "now.db") as now, open_project(tmp_path / "later.db") as later:
        done_now = import_batch(now, items)
        done_later = import_batch(later, items, language="later")
        assert (
            [o.status for o in done_now]
            == [o.status for o in done_later]
            == ["imported"] * len(items)
        )
        assert language.waiting(now) == 0
        assert language.waiting(later) == len(items)
        for o in done_later:
            assert segments_of(later, o.document_id, "sentence") == []
            assert rows(later, o.document_id)[1] == []
            assert segments_of(later, o.document_id, "paragraph") != []
        assert later.scalar("SELECT count(*) FROM segments WHERE kind = 'table_row'") > 0
        heard: list[tuple[int, int, str]] = []
        assert language.complete(later, lambda *a: heard.append(a)) == len(items)
        assert [h[:2] for h in heard] == [(i, len(items)) for i in range(1, len(items) + 1)]
        assert language.waiting(later) == 0 and language.pending(later) == []
        for a, b in zip(done_now, done_later, strict=True):
            segs_now, fts_now = rows(now, a.document_id)
            assert any(s[0] == "sentence" for s in segs_now) and fts_now
            assert rows(later, b.document_id) == (segs_now, fts_now), a.path
        assert language.complete(later) == 0  # nothing waits: nothing doubled


def test_a_kill_between_import_and_completion_leaves_a_project_that_completes_later(
    tmp_path: Path,
) -> None:
    """Killed with the first document's sentences written but not committed, then between documents."""
    first, second = tmp_path / "een.txt", tmp_path / "twee.txt"
    first.write_text(TRANSCRIPT, encoding="utf-8")
    second.write_text(TRANSCRIPT.replace("Marieke", "Ahmed").replace("2019", "2020"), "utf-8")
    path = tmp_path / "p.db"
    with open_project(path) as project:
        for f in (first, second):
            import_file(project, f, DocumentMeta(case="Noord"), language="later")
    script = textwrap.dedent(
        """
        import os, sys
        from casebook.core import language
        from casebook.store.project import open_project

        real = language.insert_segment_rows
        def then_die(*args, **kwargs):
            real(*args, **kwargs)
            if sys.argv[2] == "inside":
                os._exit(9)  # rows written, transaction not committed
        language.insert_segment_rows = then_die
        project = open_project(sys.argv[1], create=False)
        language.complete(project, lambda done, total, name: os._exit(9))
        """
    )
    inside = subprocess.run([sys.executable, "-c", script, str(path), "inside"], check=False)
    assert inside.returncode == 9
    with open_project(path, create=False) as project:
        assert language.waiting(project) == 2
        assert project.scalar("SELECT count(*) FROM segments WHERE kind = 'sentence'") == 0
        assert project.scalar("SELECT count(*) FROM segments_fts") == 0
        assert project.scalar("PRAGMA integrity_check") == "ok"
    between = subprocess.run([sys.executable, "-c", script, str(path), "between"], check=False)
    assert between.returncode == 9
    with open_project(path, create=False) as project:
        assert language.waiting(project) == 1  # the first is whole, the second untouched
        (done,) = project.query("SELECT id FROM documents WHERE language_pending = 0")
        (left,) = language.pending(project)
        assert segments_of(project, done["id"], "sentence") != []
        assert segments_of(project, left["id"], "sentence") == []
        assert language.complete(project) == 1
        assert language.waiting(project) == 0
        with open_project(tmp_path / "now.db") as now:
            for f, doc_id in ((first, done["id"]), (second, left["id"])):
                at_once = import_file(now, f, DocumentMeta(case="Noord")).document_id
                assert rows(project, doc_id) == rows(now, at_once)


def test_an_import_that_leaves_the_language_for_later_never_loads_spacy(tmp_path: Path) -> None:
    talk = tmp_path / "gesprek.txt"
    talk.write_text(TRANSCRIPT, encoding="utf-8")
    report = build(tmp_path / "rapport.pdf", pages=2)
    code = textwrap.dedent(
        f"""
        import sys
        from click.testing import CliRunner
        from casebook.cli import cli
        r = CliRunner().invoke(
            cli, ["--project", {str(tmp_path / "p.db")!r}, "import", "--case", "Noord",
                  {str(talk)!r}, {str(report)!r}]
        )
        assert r.exit_code == 0, r.output
        print("spacy" in sys.modules, r.output.splitlines()[-1] if r.output else "")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("False"), out.stdout + out.stderr
    with open_project(tmp_path / "p.db", create=False) as project:
        assert language.waiting(project) == 2


def test_cli_import_then_search_finds_the_sentences(tmp_path: Path) -> None:
    talk = tmp_path / "gesprek.txt"
    talk.write_text(TRANSCRIPT, encoding="utf-8")
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    imported = runner.invoke(cli, ["--project", db, "import", "--case", "Noord", str(talk)])
    assert imported.exit_code == 0, imported.output
    assert "follow at the next command" in imported.output
    with open_project(db, create=False) as project:
        assert language.waiting(project) == 1
    found = runner.invoke(cli, ["--project", db, "search", "subsidie"])
    assert found.exit_code == 0, found.output
    assert "preparing sentences and search index for 1 document(s)" in found.output
    assert "De docenten hadden geen ruimte" in found.output and "1 hit" in found.output
    again = runner.invoke(cli, ["--project", db, "search", "werkplaats"])
    assert again.exit_code == 0 and "preparing" not in again.output
    assert "werkplaats" in again.output
    with open_project(db, create=False) as project:
        assert language.waiting(project) == 0


def test_analyse_now_builds_the_sentences_during_the_import(tmp_path: Path) -> None:
    talk = tmp_path / "gesprek.txt"
    talk.write_text(TRANSCRIPT, encoding="utf-8")
    db = str(tmp_path / "p.db")
    result = CliRunner().invoke(
        cli, ["--project", db, "import", "--case", "Noord", "--analyse-now", str(talk)]
    )
    assert result.exit_code == 0, result.output
    assert "follow at the next command" not in result.output
    with open_project(db, create=False) as project:
        assert language.waiting(project) == 0
        assert project.scalar("SELECT count(*) FROM segments_fts") > 0


@pytest.mark.parametrize("kind", ["progress_report", "plan"])
def test_a_waiting_document_can_change_kind(tmp_path: Path, kind: str) -> None:
    """Re-segmenting builds every segment, sentences included, and clears the mark."""
    talk = tmp_path / "gesprek.txt"
    talk.write_text(TRANSCRIPT, encoding="utf-8")
    with open_project(tmp_path / "p.db") as project:
        doc = import_file(project, talk, DocumentMeta(case="Noord"), language="later").document_id
        set_kind(project, doc, kind)
        assert language.waiting(project) == 0
        if kind == "progress_report":  # turns became text: sentences cover the labels too
            assert segments_of(project, doc, "turn") == []
        sentences = segments_of(project, doc, "sentence")
        assert sentences and len(rows(project, doc)[1]) == len(sentences)
        assert language.complete(project) == 0


def test_a_waiting_document_can_be_revised(tmp_path: Path) -> None:
    """A revision first completes the old version, which it stores with its sentences."""
    from casebook.versions.revise import revise_document

    old, new = tmp_path / "v1.txt", tmp_path / "v2.txt"
    old.write_text(TRANSCRIPT, encoding="utf-8")
    new.write_text(TRANSCRIPT.replace("te weinig tijd", "veel te weinig tijd"), encoding="utf-8")
    with open_project(tmp_path / "p.db") as project:
        doc = import_file(project, old, DocumentMeta(case="Noord"), language="later").document_id
        revise_document(project, doc, new)
        assert language.waiting(project) == 0
        sentences = segments_of(project, doc, "sentence")
        assert len(rows(project, doc)[1]) == len(sentences) > 0
        stored = project.scalar(
            "SELECT segments FROM document_versions WHERE document_id = ? AND version = 1", (doc,)
        )
        assert '"sentence"' in stored
