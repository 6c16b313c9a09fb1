"""Issue 14, fifth round of rules: type phrases and their initials, kind nouns, a town that acts,
kinds of business, lowercase initials, persons named like a firm, numbered group references.

All names are invented for these tests (region Lommerdal: towns Sterkwijk, Haverlo).
"""

from __future__ import annotations

from pathlib import Path

from casebook.core.cases import ensure_case
from casebook.partners.detection import Detector
from casebook.partners.links import _counted
from casebook.partners.registry import Organisation
from casebook.partners.variants import derive
from casebook.store.project import Project

TOWNS = ["Sterkwijk", "Haverlo"]


def _orgs() -> list[Organisation]:
    return [
        Organisation("roc", "c", "Stichting Regionaal Opleidingscentrum Dwarsveld", "mbo"),
        Organisation("lab", "c", "Stichting Maaklab Oostkamp", "ondersteuning"),
        Organisation("csg", "c", "Christelijke Scholengemeenschap Haverlo", "vmbo"),
        Organisation("gem", "c", "Gemeente Sterkwijk", "gemeente"),
        Organisation("ovs", "c", "Ondernemersvereniging Sterkwijk", "branche"),
        Organisation("voi", "c", "Van Oorschot Installatietechniek B.V.", "bedrijf"),
        Organisation("kui", "c", "Loonbedrijf Kuipers & Zonen V.O.F.", "bedrijf"),
        Organisation("met", "c", "Metaalwerken Brons B.V.", "bedrijf"),
    ]


def _detector(orgs: list[Organisation] | None = None) -> Detector:
    return Detector(orgs or _orgs(), ["Lommerdal"], use_model=False, places=TOWNS)


def _resolved(d: Detector, text: str) -> list[tuple[str, str | None]]:
    return [(f.surface, f.organisation_id) for f in d.detect(text) if f.status == "auto"]


def test_a_type_phrase_is_said_by_its_initials_and_the_name_after_it_alone() -> None:
    forms = dict(derive("Stichting Regionaal Opleidingscentrum Dwarsveld", TOWNS))
    assert forms["ROC Dwarsveld"] == "type-initials"
    assert forms["Dwarsveld"] == "no-type-words"
    found = _resolved(
        _detector(), "Met Dwarsveld hebben we afspraken. De bbl'ers van ROC Dwarsveld zijn goed."
    )
    assert found == [("Dwarsveld", "roc"), ("ROC Dwarsveld", "roc")]


def test_a_kind_noun_compound_names_the_foundation_and_its_head_after_a_determiner() -> None:
    forms = dict(derive("Stichting Maaklab Oostkamp", TOWNS))
    assert forms["Maaklab"] == "kind-noun"
    assert forms["lab"] == "head-noun"
    # a company's first word is its own rule; a surname after a kind noun is not split off
    assert "kind-noun" not in dict(derive("Bouwbedrijf Kramer", TOWNS, company=True)).values()
    text = "Het Maaklab heeft printers. Wie betaalt dat lab eigenlijk? Een lab heeft elke school."
    assert _resolved(_detector(), text) == [("Maaklab", "lab"), ("lab", "lab")]


def test_a_town_that_acts_is_its_municipality_a_town_as_place_is_not() -> None:
    d = _detector()
    # the employers' body no longer takes the town as its only distinctive word
    assert "sterkwijk" not in d.index.by_norm
    text = (
        "Sterkwijk betaalt de bus. In Sterkwijk betaalt men parkeergeld. "
        "Sterkwijk ligt aan de rivier. Sterkwijk zelf subsidieert de lessen."
    )
    assert _resolved(d, text) == [("Sterkwijk", "gem"), ("Sterkwijk", "gem")]


def test_the_kind_of_business_names_the_one_company_in_that_trade() -> None:
    d = _detector()
    text = (
        "Het installatiebedrijf stuurt een monteur. Dat metaalbedrijf ook. Een installatiebedrijf."
    )
    assert _resolved(d, text) == [("installatiebedrijf", "voi"), ("metaalbedrijf", "met")]
    two = [*_orgs(), Organisation("x", "c", "Installatiegroep Maas", "bedrijf")]
    assert ("installatiebedrijf", "voi") not in _resolved(_detector(two), text)


def test_initials_in_lowercase_count_when_the_texts_write_them_in_capitals() -> None:
    d = _detector()
    found = d.detect_many(["Met de CSG gaat het goed.", "Die van de csg komen op dinsdag."])
    assert [(f.surface, f.organisation_id) for f in found[1]] == [("csg", "csg")]
    assert d.detect("Die van de csg komen op dinsdag.") == []  # never written in capitals


def test_a_capitalised_tussenvoegsel_gives_its_letter() -> None:
    assert _resolved(_detector(), "Zo staat het op de busjes van VOI.") == [("VOI", "voi")]


def test_a_surname_after_a_naming_verb_and_a_person_noun_is_a_person() -> None:
    d = _detector()
    assert _resolved(d, "Onze techniekdocent heet toevallig ook Kuipers, lastig.") == []
    assert _resolved(d, "Grappig genoeg heet onze juf van groep acht ook Kuipers.") == []
    assert _resolved(d, "Kuipers wil graag meedoen.") == [("Kuipers", "kui")]


def test_a_leading_adjective_said_alone_stands_for_the_school() -> None:
    d = _detector()
    assert _resolved(d, "Vooral met de christelijke, die zit hier om de hoek.") == [
        ("christelijke", "csg")
    ]
    assert _resolved(d, "De christelijke basisscholen doen niet mee.") == []


def test_an_employers_association_by_its_kind() -> None:
    orgs = [Organisation("v", "c", "Vereniging Maakindustrie Oostkamp", "branche")]
    assert _resolved(_detector(orgs), "Via de werkgeversvereniging kwam het.") == [
        ("de werkgeversvereniging", "v")
    ]
    # a partner named so is meant before the type rule, even with two employers' bodies
    both = [*orgs, *_orgs()]
    assert _resolved(_detector(both), "Via de ondernemersvereniging kwam het.") == [
        ("ondernemersvereniging", "ovs")
    ]


def test_and_co_is_dropped_like_and_sons() -> None:
    forms = dict(derive("Timmerfabriek Wolters & Co V.O.F.", TOWNS, company=True))
    assert forms["Wolters"] == "no-type-words"


def test_a_head_noun_before_an_apposition_leaves_it_to_the_name() -> None:
    orgs = [Organisation("s", "c", "Stichting Bouwvak Oostkamp", "overig")]
    found = _resolved(_detector(orgs), "En die stichting, Bouwvak? Dat is echt bouw.")
    assert ("stichting", "s") not in found


def test_numbered_group_references_take_the_type_with_that_many_partners() -> None:
    def org(i: str, t: str) -> Organisation:
        return Organisation(i, "c", i, t)

    schools = [org("a", "vmbo-penvoerder"), org("b", "vmbo"), org("c", "mbo"), org("d", "po")]
    assert [o.id for o in _counted("de twee scholen", schools)] == ["a", "b"]
    assert _counted("alle scholen", schools) == schools  # no number: every partner of the types
    firms = [org("x", "bedrijf"), org("y", "bedrijf")]
    assert _counted("een stuk of tien bedrijven", firms) == []  # more than the registry holds
    vmbo = [org("a", "vmbo-penvoerder"), org("b", "vmbo")]
    assert _counted("de drie vmbo-scholen", vmbo) == vmbo  # a noun for one kind keeps them


def test_notes_whose_only_label_is_the_interviewer_report_the_respondent(
    project: Project, tmp_path: Path
) -> None:
    from casebook.core.documents import DocumentMeta, import_file
    from casebook.partners.registry import add_organisation
    from casebook.partners.storage import speaker_spans
    from casebook.partners.variants import VariantIndex

    case_id = ensure_case(project, "Lommerdal")
    org = add_organisation(project, case_id, "Christelijke Scholengemeenschap Haverlo", "vmbo")
    path = tmp_path / "notities.txt"
    path.write_text(
        "Gespreksnotities\n\nInterviewer: P. Jansen. Respondent: A. de Wit (R.).\n\n"
        "R. vertelt dat de school met het ROC een leerroute heeft.\n",
        encoding="utf-8",
    )
    doc = import_file(project, path, DocumentMeta(case="Lommerdal")).document_id
    assert project.scalar(
        "SELECT count(*) FROM segments WHERE document_id = ? AND kind = 'turn'", (doc,)
    )  # the 'Interviewer:' line reads as a turn
    spans = speaker_spans(project, doc, org, VariantIndex([]))
    assert [(s.start, s.organisation_id) for s in spans] == [(0, org)]
