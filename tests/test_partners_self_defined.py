"""Rules of the Lindewaard round, on invented names: what a document says about its own names.

A short name the text defines next to a registered one, a family name before
a trade compound, and a group interview's speaker who says where they work.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.core.documents import DocumentMeta, import_file
from casebook.partners.definitions import defined_forms, find_defined
from casebook.partners.detection import Detector
from casebook.partners.links import propose_partners
from casebook.partners.model import Organisation
from casebook.partners.variants import derived_variants
from casebook.store.project import Project
from tests.test_partners_graph import Net


@pytest.fixture
def net(project: Project, tmp_path: Path) -> Net:
    return Net(project, tmp_path)


def _orgs(*names: str) -> list[Organisation]:
    return [Organisation(f"o{i}", "c", n, "bedrijf") for i, n in enumerate(names)]


def test_a_bracketed_or_said_short_name_is_read_from_the_text() -> None:
    text = (
        "Plaatwerkerij Zonneveld B.V. (hierna: ZPW) levert materiaal. "
        "Iedereen kent Gieterij Holtkamp, al zegt iedereen hier Holmet, want zo heet het merk. "
        "De KVT (Kring Veldhoven Techniek) doet ook mee."
    )
    a = text.index("Plaatwerkerij")
    b = text.index("Gieterij")
    c = text.index("Kring")
    resolved = [
        (a, a + len("Plaatwerkerij Zonneveld B.V."), "o1"),
        (b, b + len("Gieterij Holtkamp"), "o2"),
        (c, c + len("Kring Veldhoven Techniek"), "o3"),
    ]
    assert defined_forms(text, resolved) == {"zpw": "o1", "holmet": "o2", "kvt": "o3"}


def test_a_person_with_an_organisation_in_brackets_defines_nothing() -> None:
    text = "Jan Smit (Gieterij Holtkamp) opende de vergadering. Gieterij Holtkamp (Oost) groeit."
    spans = [
        (text.index("Gieterij"), text.index("Gieterij") + 17, "o2"),
        (text.rindex("Gieterij"), text.rindex("Gieterij") + 17, "o2"),
    ]
    assert defined_forms(text, spans) == {}  # 'Smit' is a person, '(Oost)' no abbreviation
    assert defined_forms("Gieterij Holtkamp, al zegt iedereen Holmet.", [(0, 17, "o2")]) == {
        "holmet": "o2"
    }


def test_a_form_defined_for_two_organisations_is_dropped() -> None:
    text = "Firma Aap (AB) en Firma Noot (AB) werken samen."
    spans = [(0, 9, "o1"), (text.index("Firma Noot"), text.index("Firma Noot") + 10, "o2")]
    assert defined_forms(text, spans) == {}


def test_defined_forms_are_found_as_names_only() -> None:
    hits = find_defined("Holmet levert, Holmet-staal, holmet.", {"holmet": "o2"})
    assert hits == [(0, 6, "o2")]  # not inside a compound, not written in lowercase


def test_the_defined_form_resolves_in_every_document_of_the_case() -> None:
    det = Detector(_orgs("Gieterij Holtkamp B.V.", "Plaatwerkerij Zonneveld B.V."), use_model=False)
    first = "Gieterij Holtkamp, al zegt iedereen hier Holmet, levert de gietvormen."
    second = "Bij Holmet lopen nu twee leerlingen stage."
    found = det.detect_many([first, second])
    assert [(f.surface, f.organisation_id) for f in found[1] if f.organisation_id] == [
        ("Holmet", "o0")
    ]


def test_a_family_name_before_a_trade_compound_is_said_alone() -> None:
    assert "Jansen" in derived_variants("Jansen Agrotechniek B.V.")
    assert "Van der Velde" in derived_variants("Van der Velde Elektrotechniek V.O.F.")
    # a trade compound that opens the name stays a type word, the family name after it is the name
    assert "Rozenhout" in derived_variants("Metaalwarenfabriek Rozenhout B.V.")
    # a single word has nothing before the trade word: no bare type word comes out
    assert "Agrotechniek" not in derived_variants("Agrotechniek B.V.")


def test_a_group_interview_speaker_takes_the_organisation_they_introduce_themselves_with(
    net: Net, tmp_path: Path
) -> None:
    path = tmp_path / "groep.txt"
    path.write_text(
        "Groepsgesprek werkgroep techniek\n\n"
        "[00:00:05] Mira: Stellen jullie je even voor, met waar je werkt?\n\n"
        "[00:00:10] Koos: Ja, Koos Bril, ik werk bij Hekkert Metaal, al twintig jaar.\n\n"
        "[00:00:20] Anke: En ik ben Anke, docent op het Windhoek College.\n\n"
        "[00:00:30] Mira: Hoe werken jullie samen?\n\n"
        "[00:00:40] Koos: Wij hebben nu twee stagiairs die het heel goed doen.\n\n"
        "[00:00:50] Anke: En wij sturen ze graag.\n\n"
        "[00:01:00] Anke: Met Koos hebben we ook een opdracht gedaan.\n",
        encoding="utf-8",
    )
    meta = DocumentMeta(case="Kraaienburg", interviewer="Mira", respondent="Koos; Anke")
    doc = import_file(net.project, path, meta).document_id
    coding = net.code(doc, "VORM.STAGE", "Wij hebben nu twee stagiairs die het heel goed doen.")
    proposal = {p.name: p.reasons for p in propose_partners(net.project, coding)}
    assert proposal.get("Hekkert Metaal") == ["the speaker's organisation"]
    assert "Het Windhoek College" not in proposal  # Anke's school is Anke's, not this turn's
    coding = net.code(doc, "VORM.STAGE", "En wij sturen ze graag.")
    proposal = {p.name: p.reasons for p in propose_partners(net.project, coding)}
    assert proposal.get("Het Windhoek College") == ["the speaker's organisation"]

    coding = net.code(doc, "VORM.PRAKTIJKOPDRACHT", "Met Koos hebben we ook een opdracht gedaan.")
    proposal = {p.name: p for p in propose_partners(net.project, coding)}
    # the other participant named by first name stands for the organisation they introduced
    assert proposal["Hekkert Metaal"].inferred
    assert proposal["Hekkert Metaal"].reasons == ["a participant named in the passage (Koos)"]
    assert proposal["Het Windhoek College"].reasons == ["the speaker's organisation"]


def test_a_town_after_its_verb_or_with_an_abbreviated_type_word_is_the_municipality() -> None:
    from tests.test_partners_type_phrases import _detector, _resolved

    d = _detector()
    text = (
        "Dat betaalt Sterkwijk. Sterkwijk vond dat prima. Namens gem. Sterkwijk sprak de wethouder. "
        "Het vervoer naar Sterkwijk kost veel. Wij bezoeken Sterkwijk vaak. Ook ligt Sterkwijk ver weg. "
        "Sterkwijk heeft de huur al toegezegd. Sterkwijk heeft een station, betaald parkeren ook."
    )
    assert _resolved(d, text) == [
        ("Sterkwijk", "gem"),
        ("Sterkwijk", "gem"),
        ("gem. Sterkwijk", "gem"),
        ("Sterkwijk", "gem"),
    ]


def test_a_name_in_capitals_as_the_front_of_a_compound_is_a_mention() -> None:
    orgs = [
        Organisation("r", "c", "Stichting Regionaal Opleidingscentrum Noordmark", "mbo"),
        Organisation("b", "c", "Hekkert Bouw B.V.", "bedrijf"),
    ]
    text = "Twee ROC-docenten en de HB-monteurs komen; de MBO-opleiding en SBB-regels niet."
    found = Detector(orgs, use_model=False).detect(text)
    assert [(f.surface, f.organisation_id) for f in found if f.organisation_id] == [
        ("ROC", "r"),
        ("HB", "b"),
    ]
    two = [*orgs, Organisation("r2", "c", "ROC Zuidmark", "mbo")]
    found = Detector(two, use_model=False).detect("Twee ROC-docenten komen.")
    assert not [f for f in found if f.organisation_id]  # two ROCs: the front names neither


def test_each_of_a_kind_denotes_all_partners_of_that_kind() -> None:
    from casebook.partners.links import group_references

    text = "Het bestuur heeft iemand van elke vmbo-school en ieder bedrijf."
    assert dict(group_references(text)) == {"elke vmbo-school": {"vmbo"}}
    # a broad noun counts only where the code's partner types say which kind it is
    assert dict(group_references(text, frozenset({"bedrijf"}))) == {
        "elke vmbo-school": {"vmbo"},
        "ieder bedrijf": {"bedrijf"},
    }
    assert group_references("elke school doet mee", frozenset({"bedrijf"})) == []
    assert group_references("iedere school geeft het op eigen wijze") == []
    assert group_references("ze kennen elkaar, de school en het bedrijf") == []


def test_a_person_named_like_a_family_firm_brings_the_firm_into_the_passage() -> None:
    from casebook.partners.links import _family_members
    from casebook.partners.variants import VariantIndex

    orgs = [
        Organisation("k", "c", "Kremer Bouw B.V.", "bedrijf"),
        Organisation("s", "c", "Scholengemeenschap De Valk", "vmbo"),
    ]
    index = VariantIndex(orgs, [])
    assert _family_members("Daarna geeft Jan Kremer de gastles.", index) == [("Jan Kremer", "k")]
    # no given name before it, or a surname that is not the firm's leading word: nothing
    assert _family_members("Daarna geeft Kremer de gastles.", index) == []
    assert _family_members("Toen kwam Jan Valk langs.", index) == []
