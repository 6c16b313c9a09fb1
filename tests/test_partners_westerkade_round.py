"""Issue 14, Westerkade round: renamings said in a sentence of their own, departments, labels.

Renamings said as a sentence ('X. Vroeger Y', 'we heten X, maar iedereen zegt
nog Y', 'de naamswijziging van Y naar X', 'Y voert sinds … de naam X') and the
acronym of an old name ('het ROC'); a municipal department named for its
organisation and its initials ('W&I'); a family firm's initials around the
ampersand; a compound trade said without its ending; a name's type words
without its place; a name's adjective describing a subject; bare type words
as labels in attendance lists; 'de twee mbo's' as a group; the grid operator by its trade; a town after
'vanuit'; a speaker label written in a form only the text defines. All names
are invented for these tests (region Zilverstrand: towns Duinrade, Zeedorp,
Molenveld).
"""

from __future__ import annotations

from pathlib import Path

from casebook.codes.codebook import resolve_code
from casebook.codes.io import import_codebook
from casebook.core.cases import ensure_case
from casebook.core.codings import add_coding
from casebook.core.documents import DocumentMeta, document_text, import_file
from casebook.partners.detection import Detector
from casebook.partners.links import _counted, group_references, propose_partners
from casebook.partners.registry import Organisation, add_organisation
from casebook.partners.renamings import renamed_forms
from casebook.partners.variants import derive
from casebook.store.project import Project
from tests.conftest import REPO

TOWNS = ["Duinrade", "Zeedorp", "Molenveld"]


def _orgs() -> list[Organisation]:
    return [
        Organisation("tl", "c", "Technisch Lyceum Duinrade", "vmbo-penvoerder"),
        Organisation("zc", "c", "Zandpoort College", "mbo"),
        Organisation("aa", "c", "Agrarische Academie Molenveld", "mbo"),
        Organisation("gem", "c", "Gemeente Duinrade", "gemeente"),
        Organisation("hs", "c", "Hogeschool Kustland", "hbo/pabo"),
        Organisation("smit", "c", "Smit & Zonen Installatietechniek B.V.", "bedrijf"),
        Organisation("bg", "c", "Duinlicht Bouwgroep B.V.", "bedrijf"),
        Organisation("net", "c", "Zeestroom Netbeheer N.V.", "bedrijf"),
        Organisation("vz", "c", "Vakschool Zeedorp", "vmbo"),
    ]


def _detector() -> Detector:
    return Detector(_orgs(), ["Zilverstrand"], use_model=False, places=TOWNS)


def _hits(text: str) -> dict[str, str | None]:
    # a few capitalised names first, so the text reads as ordinarily capitalised prose
    prefix = "Wij spraken Jan Bakker en Els Mol over Zandpoort College. "
    found = _detector().detect(prefix + text)
    return {f.surface: f.organisation_id for f in found if f.start >= len(prefix)}


def _spans(text: str, name: str, org: str) -> list[tuple[int, int, str]]:
    start = text.index(name)
    return [(start, start + len(name), org)]


def test_a_renaming_said_in_a_sentence_of_its_own_gives_the_old_name() -> None:
    cases = [
        "We gaan naar het Zandpoort College. Vroeger ROC Strandvliet, ze hebben een nieuwe naam.",
        "We heten sinds maart Zandpoort College, maar iedereen zegt nog ROC Strandvliet, hoor.",
        "- Punt 3: de naamswijziging van ROC Strandvliet naar Zandpoort College is rond.",
        "ROC Strandvliet voert sinds 1 maart 2024 de naam Zandpoort College.",
    ]
    for text in cases:
        forms = renamed_forms(text, _spans(text, "Zandpoort College", "zc"))
        assert ("ROC Strandvliet", "zc") in forms, text
        assert ("ROC", "zc") in forms, text  # the acronym of the old name: 'het ROC'
    # a sentence that starts with 'Vroeger' but names nothing gives nothing
    text = "We gaan naar het Zandpoort College. Vroeger hadden we dat niet."
    assert renamed_forms(text, _spans(text, "Zandpoort College", "zc")) == []
    # 'maar ... zegt nog' needs a verb of naming before the name too
    text = "We werken met Zandpoort College, maar iedereen zegt nog Ja tegen alles."
    assert renamed_forms(text, _spans(text, "Zandpoort College", "zc")) == []


def test_the_old_name_and_its_acronym_resolve_elsewhere_in_the_case() -> None:
    hits = _hits(
        "Het Zandpoort College. Vroeger ROC Strandvliet, nu anders. "
        "Maar het ROC blijft voor mij het ROC Strandvliet."
    )
    assert hits["ROC"] == "zc" and hits["ROC Strandvliet"] == "zc"


def test_a_department_of_the_organisation_and_its_initials() -> None:
    text = "Ellen (W&I, afdeling Werk en Inkomen van de gemeente) schuift aan."
    start = text.index("de gemeente")
    forms = renamed_forms(text, [(start, start + 11, "gem")])
    assert forms == [("Werk en Inkomen", "gem"), ("W&I", "gem")]
    found = _detector().detect(text + " Later betaalt Werk en Inkomen de huur, zegt W&I.")
    resolved = [f.surface for f in found if f.organisation_id == "gem"]
    assert resolved == ["W&I", "Werk en Inkomen", "de gemeente", "Werk en Inkomen", "W&I"]
    # 'afdeling' without a known organisation after 'van' names nothing
    assert renamed_forms("de afdeling Zorg van Jan", []) == []


def test_a_family_firm_is_said_by_the_initials_around_its_ampersand() -> None:
    forms = dict(derive("Smit & Zonen Installatietechniek B.V.", set(), company=True))
    assert forms["S&Z"] == "initials"
    assert _hits("Kees (S&Z) levert de opdracht.")["S&Z"] == "smit"


def test_a_compound_trade_is_said_without_its_ending_and_alone() -> None:
    forms = derive("Duinlicht Bouwgroep B.V.", set(), company=True)
    assert ("Duinlicht Bouw", "trade-stem") in forms
    assert ("Bouwgroep", "type-word") in forms
    hits = _hits("De pakketjes gaan naar Duinlicht Bouw, en de Bouwgroep tekent ook.")
    assert hits["Duinlicht Bouw"] == "bg" and hits["Bouwgroep"] == "bg"
    # a school's type word is no trade: no stem for 'Vakschool Zeedorp'
    assert not any(o == "trade-stem" for _, o in derive("Vakschool Zeedorp", {"zeedorp"}))


def test_the_type_words_without_the_place_are_a_name_only_with_capitals() -> None:
    forms = derive("Technisch Lyceum Duinrade", {"duinrade"})
    assert ("Technisch Lyceum", "type-phrase") in forms
    hits = _hits("Ze maken het op het Technisch Lyceum. Dat is een technisch lyceum als elk ander.")
    assert hits == {"Technisch Lyceum": "tl"}


def test_a_names_adjective_before_a_subject_describes_the_subject() -> None:
    hits = _hits("Onze kinderen gaan voor Agrarische techniek naar Zeedorp.")
    assert "aa" not in hits.values()
    hits = _hits("Ik sprak met de Agrarische, die doet mee.")
    assert hits.get("Agrarische") == "aa"
    # in lowercase, after 'de' and before a comma, the adjective stands for the school
    hits = _hits("Niet de agrarische, die zit nog in de pijplijn.")
    assert hits.get("agrarische") == "aa"


def test_bare_type_words_as_labels_of_an_attendance_list() -> None:
    text = (
        "Aanwezig:\n- Anouk de Wit (HK, pabo)\n- Piet Zand (pabo)\n"
        "- Gemeente: de wethouder komt langs.\n- Technisch Lyceum Duinrade (penvoerder): notulen.\n"
    )
    found = _detector().detect(text)
    labels = [(f.surface, f.organisation_id) for f in found if f.method == "generic"]
    assert labels == [("pabo", "hs"), ("pabo", "hs"), ("Gemeente", "gem")]
    # the role after a partner's own name is not a label
    assert not any(f.surface == "penvoerder" for f in found)


def test_the_grid_operator_is_the_company_that_manages_the_grid() -> None:
    assert _hits("Die campagne van de netbeheerder liep goed.")["netbeheerder"] == "net"


def test_a_town_after_vanuit_is_the_town() -> None:
    orgs = [*_orgs()[:-1], Organisation("vz", "c", "Vakschool Zeedorp", "vmbo")]
    detector = Detector(orgs, ["Zilverstrand"], use_model=False, places=TOWNS)
    text = "Wij spraken Jan Bakker. Al is het vanuit Zeedorp een eind fietsen."
    assert not [f for f in detector.detect(text) if f.surface == "Zeedorp" and f.organisation_id]


def test_a_speaker_label_in_a_form_the_text_defines_gives_the_speakers_organisation(
    project: Project, tmp_path: Path
) -> None:
    import_codebook(project, REPO / "codebooks" / "sto.yaml")
    case = ensure_case(project, "Zilverstrand")
    gem = add_organisation(project, case, "Gemeente Duinrade", "gemeente")
    add_organisation(project, case, "Zandpoort College", "mbo")
    path = tmp_path / "focus.txt"
    path.write_text(
        "Focusgroep Zilverstrand\n"
        "Aan tafel: Petra (Zandpoort College) en Ellen (W&I, afdeling Werk en Inkomen van de "
        "gemeente).\n\n"
        "GL: Met wie werkt u samen?\n\n"
        "Ellen (W&I): Wij betalen de loketmedewerker samen met Zandpoort College.\n\n"
        "Petra (Zandpoort College): Klopt.\n\n"
        "GL: En verder?\n\n"
        "Ellen (W&I): Verder niet.\n\n"
        "Petra (Zandpoort College): Nee.\n",
        encoding="utf-8",
    )
    doc = import_file(
        project, path, DocumentMeta(case="Zilverstrand", kind="interview", role="focusgroep")
    ).document_id
    text = document_text(project, doc)
    quote = "Wij betalen de loketmedewerker samen met Zandpoort College."
    start = text.index(quote)
    code = resolve_code(project, "SAM.GEMEENTE")["id"]
    coding = add_coding(project, doc, code, start, start + len(quote))
    proposal = {p.organisation_id: p.reasons for p in propose_partners(project, coding)}
    assert "the speaker's organisation" in proposal[gem]


def test_the_two_mbos_are_a_group_of_the_mbo_partners() -> None:
    assert group_references("en de twee mbo's leveren een voorlichter") == [
        ("de twee mbo's", frozenset({"mbo"}))
    ]
    # the vmbo's stay the vmbo schools: 'mbo's' is not read inside 'vmbo's'
    assert [g for g, _ in group_references("de drie vmbo's")] == ["de drie vmbo's"]
    assert group_references("de drie vmbo's")[0][1] != frozenset({"mbo"})


def test_the_other_two_schools_are_the_speakers_peers() -> None:
    def org(i: str, t: str) -> Organisation:
        return Organisation(i, "c", f"School {i}", t)

    schools = [
        org("a", "vmbo-penvoerder"),
        org("b", "vmbo"),
        org("c", "vmbo"),
        org("m1", "mbo"),
        org("m2", "mbo"),
        org("p1", "po"),
        org("p2", "po"),
    ]
    speaker = schools[1]
    assert [o.id for o in _counted("de andere twee scholen", schools, speaker)] == ["a", "c"]
    # without 'andere', or without a speaker among them, the count alone cannot choose
    assert _counted("de twee scholen", schools, speaker) == schools
    assert _counted("de andere twee scholen", schools, Organisation("f", "c", "F", "bedrijf")) == (
        schools
    )


def test_the_schools_of_a_board_are_the_board() -> None:
    # 'de andere scholen van de stichting': the board, named right after, stands for its schools
    assert group_references("haken de andere scholen van de stichting ook aan") == []
    assert group_references("haken alle basisscholen van het bestuur aan") == []
    # a group without an owner after it still counts
    assert group_references("haken de andere basisscholen ook aan") != []
