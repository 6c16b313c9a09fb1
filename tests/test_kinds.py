"""Kind from the file name and content; `docs set --kind` re-segments (issue 15, point 3)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.cli import cli as main
from casebook.core.codings import add_coding
from casebook.core.documents import DocumentMeta, document_text, import_file, segments_of, set_kind
from casebook.importers.base import Block, ReadResult
from casebook.kinds import decide, kind_from_name
from casebook.store.project import Project
from tests.conftest import REPO


@pytest.mark.parametrize(
    "name, kind",
    [
        ("LIN_2021_voortgangsrapportage.pdf", "progress_report"),
        ("Duinmond voortgangsrapportage 2022.docx", "progress_report"),
        ("rapportage-q3.docx", "progress_report"),
        ("Jaarverslag2022.docx", "progress_report"),
        ("regioplan_lindeveen.pdf", "plan"),
        ("Plan van aanpak.docx", "plan"),
        ("interview over het regioplan.docx", "interview"),
        ("LIN_2021_programmamanager.docx", None),
        ("transport-bedrijf.txt", None),
        ("Esplanade.txt", None),
    ],
)
def test_kind_from_name(name: str, kind: str | None) -> None:
    got = kind_from_name(name)
    assert (got[0] if got else None) == kind


def test_content_decides_without_name_words() -> None:
    speech = ReadResult([Block("I: Hoe gaat het?"), Block("R: Goed."), Block("I: En nu?")], "txt")
    assert decide("notities.txt", speech).kind == "interview"
    report = ReadResult(
        [Block("Inleiding", kind="heading", level=1), Block("Het programma loopt."),
         Block("Resultaten", kind="heading", level=1), Block("Er zijn drie labs.")],
        "docx",
    )  # fmt: skip
    decision = decide("stand-van-zaken.docx", report)
    assert decision.kind == "other"
    assert decision.message() == "imported as other document: no speaker labels, 2 headings"


def test_glob_import_prints_the_decision(tmp_path: Path) -> None:
    for name in (
        "LIN_2021_voortgangsrapportage.pdf",
        "LIN_2021_vmbo_Esdal.txt",
        "LIN_2021_programmamanager.docx",
    ):
        shutil.copy(REPO / "corpus" / "lindeveen" / name, tmp_path / name)
    files = sorted(str(p) for p in tmp_path.iterdir())
    result = CliRunner().invoke(
        main, ["--project", str(tmp_path / "p.db"), "import", *files, "--case", "Lin"]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "imported as progress report: name says voortgangsrapportage" in out
    assert (
        "LIN_2021_vmbo_Esdal.txt — imported as interview: 26 paragraphs open with a speaker label"
        in out
    )
    assert (
        "LIN_2021_programmamanager.docx — imported as interview: the file marks its speakers" in out
    )
    listing = CliRunner().invoke(main, ["--project", str(tmp_path / "p.db"), "docs", "--json"])
    kinds = {r["name"]: (r["kind"], r["turns"]) for r in __import__("json").loads(listing.stdout)}
    assert kinds["LIN_2021_voortgangsrapportage.pdf"] == ("progress_report", 0)
    assert (
        kinds["LIN_2021_vmbo_Esdal.txt"][0] == "interview"
        and kinds["LIN_2021_vmbo_Esdal.txt"][1] > 20
    )


def test_a_given_kind_is_not_second_guessed(project: Project) -> None:
    path = REPO / "corpus" / "lindeveen" / "LIN_2021_voortgangsrapportage.pdf"
    outcome = import_file(project, path, DocumentMeta(case="Lin", kind="interview"))
    assert outcome.message == ""
    assert project.scalar("SELECT kind FROM documents") == "interview"


TRANSCRIPT = (
    "Interviewer: Hoe loopt het techlab?\n"
    "Marieke (ROC Maasdelta): Het loopt goed. De docenten zijn enthousiast.\n"
    "Interviewer: En de bedrijven?\n"
    "Marieke (ROC Maasdelta): Die betalen nu de helft van de uren.\n"
)


def test_set_kind_round_trip_keeps_codings_on_their_words(coded_project, tmp_path: Path) -> None:
    project, _ = coded_project
    path = tmp_path / "maasdelta.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    doc = import_file(project, path, DocumentMeta(case="Maasdelta", kind="interview")).document_id
    text = document_text(project, doc)
    quote = "Die betalen nu de helft van de uren."
    start = text.index(quote)
    code = project.scalar("SELECT id FROM codes WHERE name = 'TIJD'") or project.scalar(
        "SELECT id FROM codes LIMIT 1"
    )
    add_coding(project, doc, code, start, start + len(quote))
    turns = [(t["label"], t["speaker_kind"]) for t in segments_of(project, doc, "turn")]
    assert len(turns) == 4

    summary = set_kind(project, doc, "progress_report")
    assert "4 turn labels put back" in summary
    report_text = document_text(project, doc)
    assert report_text.splitlines()[1].startswith("Marieke (ROC Maasdelta): Het loopt goed.")
    assert segments_of(project, doc, "turn") == []
    row = project.query_one("SELECT start, end, quote FROM codings WHERE document_id = ?", (doc,))
    assert report_text[row["start"] : row["end"]] == row["quote"] == quote
    # sentences and search follow the new text
    sentences = [report_text[s["start"] : s["end"]] for s in segments_of(project, doc, "sentence")]
    assert sentences[-1] == "Marieke (ROC Maasdelta): " + quote

    set_kind(project, doc, "interview")
    assert document_text(project, doc) == text
    assert [(t["label"], t["speaker_kind"]) for t in segments_of(project, doc, "turn")] == turns
    row = project.query_one("SELECT start, end, quote FROM codings WHERE document_id = ?", (doc,))
    assert text[row["start"] : row["end"]] == quote
    assert project.scalar("SELECT kind FROM documents WHERE id = ?", (doc,)) == "interview"


def test_set_kind_refuses_when_a_coding_covers_a_label(coded_project, tmp_path: Path) -> None:
    project, _ = coded_project
    path = tmp_path / "report.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    doc = import_file(
        project, path, DocumentMeta(case="Maasdelta", kind="progress_report")
    ).document_id
    text = document_text(project, doc)
    code = project.scalar("SELECT id FROM codes LIMIT 1")
    add_coding(project, doc, code, 0, len("Interviewer: Hoe"))
    from casebook.errors import InvalidInput

    with pytest.raises(InvalidInput, match="covers a speaker label"):
        set_kind(project, doc, "interview")
    assert document_text(project, doc) == text
    assert project.scalar("SELECT kind FROM documents WHERE id = ?", (doc,)) == "progress_report"


def test_cli_docs_set(tmp_path: Path) -> None:
    path = tmp_path / "LIN_rapportage.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    out = runner.invoke(main, ["--project", db, "import", str(path), "--case", "Lin"])
    assert "imported as progress report: name says rapportage" in out.output
    out = runner.invoke(
        main, ["--project", db, "docs", "set", "LIN_rapportage", "--kind", "interview"]
    )
    assert out.exit_code == 0, out.output
    assert "progress_report -> interview; 4 turns found" in out.output
    bad = runner.invoke(main, ["--project", db, "docs", "set", "LIN_rapportage", "--kind", "memo"])
    assert bad.exit_code != 0 and "unknown document kind 'memo'" in bad.output
    assert "Traceback" not in bad.output
