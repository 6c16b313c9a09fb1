"""Header blocks become document attributes, never turns (issue 15, point 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.core import cases as cases_mod
from casebook.core.documents import DocumentMeta, analyse_file, import_file
from casebook.store.project import Project
from casebook.text.headers import header_line
from tests.conftest import EXTERNAL, REPO

HEADED = (
    "Respondent: J. de Wit, teamleider techniek, Esdal Vakcollege\n"
    "Interviewer: S. Yilmaz\n"
    "Datum en plaats: 12 mei 2022, Esdal\n"
    "Duur: 45 minuten\n"
    "Transcriptie: woordelijk, door de onderzoeker\n"
    "\n"
    "Interviewer: Hoe kijkt u aan tegen het programma?\n"
    "Respondent: Gemengd. Het idee is goed, de uitvoering loopt achter.\n"
    "Interviewer: Kunt u een voorbeeld geven?\n"
    "Respondent: Het techlab staat ver weg.\n"
)


def _turn_texts(imported) -> list[tuple[str, str]]:
    return [(t.speaker_kind, imported.text[t.start : t.end]) for t in imported.of_kind("turn")]


def test_metadata_lines_are_no_turns(tmp_path: Path) -> None:
    path = tmp_path / "dewit.txt"
    path.write_text(HEADED, encoding="utf-8")
    imported = analyse_file(path, DocumentMeta(case="Esdal"))
    turns = _turn_texts(imported)
    assert [k for k, _ in turns] == ["interviewer", "respondent", "interviewer", "respondent"]
    assert turns[0][1] == "Hoe kijkt u aan tegen het programma?"
    assert not any("Yilmaz" in t or "12 mei" in t for _, t in turns)
    assert imported.header == {
        "Respondent": "J. de Wit, teamleider techniek, Esdal Vakcollege",
        "Interviewer": "S. Yilmaz",
        "Datum en plaats": "12 mei 2022, Esdal",
        "Duur": "45 minuten",
        "Transcriptie": "woordelijk, door de onderzoeker",
    }
    # nothing is lost: the lines stay in the text
    assert imported.text.startswith("Respondent: J. de Wit")


def test_header_becomes_document_attributes(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "dewit.txt"
    path.write_text(HEADED, encoding="utf-8")
    # an earlier document declared "Duur" as a number: the header value goes beside it
    cases_mod.add_case(project, "Esdal")
    outcome = import_file(
        project, path, DocumentMeta(case="Esdal", attributes={"Transcriptie": "samenvatting"})
    )
    doc = outcome.document_id
    rows = project.query(
        "SELECT a.name, a.type, v.value FROM document_attributes v JOIN attributes a ON a.id = v.attribute_id "
        "WHERE v.document_id = ? ORDER BY a.name",
        (doc,),
    )
    got = {r["name"]: r["value"] for r in rows}
    assert got["Datum en plaats"] == "12 mei 2022, Esdal"
    assert got["Duur"] == "45 minuten"
    assert got["Transcriptie"] == "samenvatting"  # the given value wins
    assert {r["type"] for r in rows if r["name"] != "Transcriptie"} == {"text"}
    row = project.query_one("SELECT respondent, interviewer FROM documents WHERE id = ?", (doc,))
    assert (row["respondent"], row["interviewer"]) == (None, "S. Yilmaz")
    assert (
        project.scalar(
            "SELECT count(*) FROM segments WHERE document_id = ? AND kind = 'turn'", (doc,)
        )
        == 4
    )


def test_a_typed_attribute_of_the_same_name_does_not_block_the_import(
    project: Project, tmp_path: Path
) -> None:
    cases_mod.attribute_id(project, "document", "Duur", "number")
    path = tmp_path / "dewit.txt"
    path.write_text(HEADED, encoding="utf-8")
    doc = import_file(project, path, DocumentMeta(case="Esdal")).document_id
    names = {
        r["name"]
        for r in project.query(
            "SELECT a.name FROM document_attributes v JOIN attributes a ON a.id = v.attribute_id WHERE v.document_id = ?",
            (doc,),
        )
    }
    assert "header Duur" in names


@pytest.mark.parametrize(
    "line, expected",
    [
        (
            "Respondent: J. de Wit, teamleider techniek",
            ("Respondent", "J. de Wit, teamleider techniek"),
        ),
        ("Interviewer: S. Yilmaz", ("Interviewer", "S. Yilmaz")),
        ("I: Sanne de Groot (onderzoeker)", ("I", "Sanne de Groot (onderzoeker)")),
        ("Datum: 5 april 2022", ("Datum", "5 april 2022")),
        ("Plaats: OBS De Klimop", ("Plaats", "OBS De Klimop")),
        ("Date: 2022-04-05", ("Date", "2022-04-05")),
        ("Interviewer: Goedemiddag, fijn dat u tijd heeft.", None),
        ("Interviewer: Hoe gaat het met het techlab?", None),
        ("Respondent: Ja.", None),
        ("Respondent: Nou, dat is een lang verhaal", None),
        ("Conclusie: het loopt goed", None),
        ("Marieke: Ik ben teamleider", None),
    ],
)
def test_header_line_shapes(line: str, expected) -> None:
    assert header_line(line) == expected


def test_header_only_before_speech(tmp_path: Path) -> None:
    path = tmp_path / "late.txt"
    path.write_text(
        "Interviewer: Wie bent u?\nRespondent: Ik ben teamleider.\nDatum: 5 april 2022\n"
        "Interviewer: S. Yilmaz\n",
        encoding="utf-8",
    )
    imported = analyse_file(path, DocumentMeta(case="X"))
    assert imported.header == {}
    assert len(imported.of_kind("turn")) >= 2


CORPUS_INTERVIEWS = sorted(
    p
    for p in (REPO / "corpus").glob("*/*")
    if p.suffix in {".txt", ".md", ".docx", ".odt", ".vtt", ".srt"}
)


@pytest.mark.parametrize("path", CORPUS_INTERVIEWS, ids=lambda p: p.name)
def test_demo_corpus_header_styles(path: Path) -> None:
    """The demo's title and intro lines are no header lines and no turns; speech starts after them."""
    imported = analyse_file(path, DocumentMeta(case="X"))
    assert imported.header == {}
    turns = imported.of_kind("turn")
    assert turns
    first = turns[0]
    before = imported.text[: first.start]
    assert "gesprek" not in imported.text[first.start : first.end].lower()[:20]
    assert all(not line.endswith(":") for line in before.splitlines())


def _external(name: str) -> Path:
    path = EXTERNAL / "qualcoder-examples" / name
    if not path.exists():
        pytest.skip(f"{path} is missing (shared external test files)")
    return path


def test_qualcoder_examples_keep_their_turns() -> None:
    imported = analyse_file(_external("transcript.txt"), DocumentMeta(case="X"))
    assert imported.header == {}
    assert [t.label for t in imported.of_kind("turn")] == [
        "id1",
        "id2",
        "id3",
        "id1",
        "id3",
        "id1",
        "id2",
    ]
    for name in ("ID1.docx", "ID2.odt", "NOTES.txt"):
        imported = analyse_file(_external(name), DocumentMeta(case="X"))
        assert imported.header == {}, name


def test_external_style_header_on_a_qualcoder_transcript(tmp_path: Path) -> None:
    """A header written above QualCoder's [id1] turns is taken off them."""
    body = _external("transcript.txt").read_text(encoding="utf-8")
    path = tmp_path / "focus.txt"
    path.write_text(
        "Date: 12 March 2021\nLocation: online\nModerator: A. Smith\n\n" + body, encoding="utf-8"
    )
    imported = analyse_file(path, DocumentMeta(case="X"))
    assert imported.header == {
        "Date": "12 March 2021",
        "Location": "online",
        "Moderator": "A. Smith",
    }
    assert [t.label for t in imported.of_kind("turn")][:3] == ["id1", "id2", "id3"]
