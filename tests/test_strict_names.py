"""Issue 19, point 1: names of colleagues of any origin do not survive `--pseudonymise --strict`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebook.core.codings import code_quote
from casebook.core.documents import DocumentMeta, import_file
from casebook.errors import CasebookError
from casebook.privacy.names import find_names, given_names
from casebook.privacy.policy import PrivacyOptions
from casebook.reports.export import export_quotes
from casebook.reports.quotebank import QuoteOptions, QuoteQuery
from casebook.store.project import Project
from casebook.writers.wordml import document_text

# Fictional colleagues of several origins, each introduced the way people talk about colleagues.
INTERVIEW = (
    "Interviewer: Wie zijn er bij de stages betrokken?\n"
    "Denise Koster: Onze collega Yusuf regelt de stageplekken bij de bedrijven. Mijn manager, Agnieszka, "
    "heeft het plan goedgekeurd. Een van onze monteurs, Siobhan, geeft gastlessen in de werkplaats. "
    "Ik overleg elke week met mevrouw Benali van de school. Vorige week belde Krzysztof nog over het "
    "rooster, en Priya helpt bij de open dag.\n"
    "Interviewer: En de leerlingen?\n"
    "Denise Koster: Die vinden het prachtig. Olumide, een leerling uit klas drie, wil nu monteur worden.\n"
)
NAMES = [
    "Mike",
    "Yusuf",
    "Agnieszka",
    "Siobhan",
    "Benali",
    "Krzysztof",
    "Priya",
    "Olumide",
    "Denise",
]


def _add_interview(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "RUW_2022_bedrijf_stages.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    doc = import_file(
        project, path, DocumentMeta(case="Ruwaard", kind="interview", role="bedrijf", round="2022")
    )
    for para in ("Onze collega Yusuf", "Olumide, een leerling"):
        start = INTERVIEW.index(para)
        quote = INTERVIEW[start : INTERVIEW.index("\n", start)]
        code_quote(project, doc.document_id, "SAM.VMBO_BEDRIJF", quote, coder="tester")


def test_international_given_names_are_known() -> None:
    names = given_names()
    assert {
        "Mike",
        "Yusuf",
        "Agnieszka",
        "Krzysztof",
        "Siobhan",
        "Priya",
        "Mehmet",
        "Youssef",
    } <= names
    # everyday Dutch words are not in the list, however many languages use them as names
    assert not {"Dan", "Hoe", "Wat", "Toen", "Graag"} & names


def test_context_finds_names_no_list_knows() -> None:
    found = {h.text for h in find_names(INTERVIEW)}
    assert {"Olumide", "Benali", "Yusuf", "Agnieszka", "Siobhan"} <= found
    assert "Interviewer" not in found


def test_strict_export_replaces_names_of_every_origin(demo: Project, tmp_path: Path) -> None:
    _add_interview(demo, tmp_path)
    out = tmp_path / "out" / "sam.docx"
    out.parent.mkdir()
    export_quotes(
        demo,
        out,
        QuoteQuery(codes=["SAM.VMBO_BEDRIJF"], merge="none"),
        QuoteOptions(),
        PrivacyOptions(persons=True),
        strict=True,
    )
    text = document_text(out)
    assert "stageplekken" in text and "docentenpool" not in text or "engineers" in text
    for name in NAMES:
        assert not re.search(rf"\b{name}\b", text), name


def test_strict_fails_on_an_unexplained_capitalised_word(demo: Project, tmp_path: Path) -> None:
    k = demo.query_one(
        "SELECT k.id FROM codings k JOIN codes c ON c.id = k.code_id WHERE c.path = 'SAM.VMBO_BEDRIJF' LIMIT 1"
    )
    with demo.transaction():
        demo.conn.execute(
            "UPDATE codings SET memo = 'afstemmen met Zarvolt over het rooster' WHERE id = ?",
            (k["id"],),
        )
    out = tmp_path / "sam.docx"
    with pytest.raises(CasebookError) as info:
        export_quotes(
            demo,
            out,
            QuoteQuery(codes=["SAM.VMBO_BEDRIJF"], merge="none"),
            QuoteOptions(),
            PrivacyOptions(persons=True),
            strict=True,
        )
    message = str(info.value)
    assert "Zarvolt" in message and "afstemmen met Zarvolt over" in message
    assert not out.exists()
