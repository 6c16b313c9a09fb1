from __future__ import annotations

import csv
from pathlib import Path

from casebook.privacy.names import find_names, given_names, name_variants
from casebook.privacy.pseudonymise import Pseudonymiser, case_codes, leftovers


def test_given_name_list_is_real_and_clean() -> None:
    names = given_names()
    assert len(names) > 300
    assert {"Marieke", "Jeroen", "Fatima", "Mohamed"} <= names
    assert all(n[0].isupper() for n in names)


def test_find_names_with_particles_and_titles() -> None:
    text = "Gisteren sprak ik Jan van der Berg. Daarna belde mevrouw De Wit over Noor."
    found = [h.text for h in find_names(text)]
    assert found == ["Jan van der Berg", "De Wit", "Noor"]


def test_everyday_words_are_not_names_at_sentence_start() -> None:
    assert [h.text for h in find_names("Ben jij er morgen? Ik ben er wel.")] == []
    assert [h.text for h in find_names("Ik heb het aan Ben gevraagd.")] == ["Ben"]


def test_variants() -> None:
    assert name_variants("Anke van der Heijden") >= {
        "Anke",
        "van der Heijden",
        "Heijden",
        "Van der Heijden",
    }


def test_consistent_replacement_variants_and_misspelling(tmp_path: Path) -> None:
    p = Pseudonymiser()
    p.add("person", "Marieke Jansen", "[programmamanager]")
    p.add("person", "Anke van der Heijden", "[naam]")
    p.add("case", "Lindeveen", "regio A")
    text = (
        "Marieke Jansen uit Lindeveen zegt dat mevrouw Van der Heijde het plan schreef. "
        "Later zei Marieke dat Jansen en Anke het eens waren."
    )
    out = p.replace(text)
    assert (
        "Marieke" not in out and "Jansen" not in out and "Heijde" not in out and "Anke" not in out
    )
    assert "Lindeveen" not in out and "regio A" in out
    assert out.lower().count("[programmamanager]") == 3
    assert out.startswith("[Programmamanager] uit")
    assert leftovers(out, ["Marieke Jansen", "Anke van der Heijden"]) == []
    key = tmp_path / "key.csv"
    p.write_key(key)
    rows = list(csv.DictReader(key.open(encoding="utf-8")))
    person = next(r for r in rows if r["original"] == "Marieke Jansen")
    assert "Marieke" in person["seen_as"] and person["replacement"] == "[programmamanager]"


def test_leftovers_reports_unregistered_names() -> None:
    assert leftovers("Dat zei Sophie Bakker gisteren.", []) == ["Sophie Bakker"]


def test_case_codes_are_stable() -> None:
    assert case_codes(["Ruwaard", "Duinmond", "Lindeveen"]) == {
        "Duinmond": "regio A",
        "Lindeveen": "regio B",
        "Ruwaard": "regio C",
    }
