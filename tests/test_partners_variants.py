"""Issue 14: variants derived from the registry, ambiguity, guards, span boundaries, group references."""

from __future__ import annotations

import pytest

from casebook.errors import InvalidInput
from casebook.partners.detection import Detector
from casebook.partners.evaluation import offset_map, strip_marks
from casebook.partners.links import group_references
from casebook.partners.registry import Organisation
from casebook.partners.variants import derive

TOWNS = ["Heuvelland", "Zandstad"]


def _detector(orgs: list[Organisation], places: list[str] = TOWNS) -> Detector:
    return Detector(orgs, [], use_model=False, places=places)


def _found(d: Detector, text: str) -> list[tuple[str, str | None, str]]:
    return [(f.surface, f.organisation_id, f.status) for f in d.detect(text)]


def test_derived_variants_carry_their_origin() -> None:
    forms = dict(derive("Metaalbedrijf Verhoeven B.V.", TOWNS))
    assert forms["Verhoeven"] == "no-type-words"
    assert forms["Metaalbedrijf Verhoeven"] == "no-legal-form"
    assert dict(derive("Vmbo De Horizon", TOWNS))["De Horizon"] == "no-type-words"
    assert dict(derive("Stichting Rivierscholen", TOWNS))["Rivierscholen"] == "no-legal-form"
    assert dict(derive("Techniekpartners Heuvelland", TOWNS))["Techniekpartners"] == "no-place"
    assert dict(derive("Heuvelland College", TOWNS))["HC"] == "initials"
    assert dict(derive("Stichting Primair Onderwijs Heuvelland", TOWNS))["SPOH"] == "initials"
    assert dict(derive("Vakcollege Zandstad", TOWNS))["Vakcollege"] == "type-word"
    # The place name alone is never a form of the organisation.
    assert "Van der Heijden" in dict(derive("Van der Heijden Installatietechniek B.V."))


def test_issue_examples_resolve_with_official_names_only() -> None:
    orgs = [
        Organisation("hc", "c", "Heuvelland College", "vmbo-penvoerder"),
        Organisation("spoh", "c", "Stichting Primair Onderwijs Heuvelland", "po"),
        Organisation("wsp", "c", "Werkgeversservicepunt Heuvelland", "branche"),
        Organisation("tp", "c", "Techniekpartners Heuvelland", "branche"),
        Organisation("ver", "c", "Metaalbedrijf Verhoeven BV", "bedrijf"),
        Organisation("hor", "c", "Vmbo De Horizon", "vmbo"),
        Organisation("riv", "c", "Rivierpoort Vakcollege", "vmbo"),
        Organisation("std", "c", "Stedelijk College Zandstad", "vmbo"),
        Organisation("rs", "c", "Stichting Rivierscholen", "po"),
    ]
    d = _detector(orgs)
    text = (
        "Met het HC en SPOH praten we via het WSP met Techniekpartners. Verhoeven levert stages, "
        "De Horizon doet mee, Rivierpoort in Zandstad ook, en BWI van het Stedelijk. De Rivierscholen "
        "sturen groep acht. In Heuvelland is dat nieuw."
    )
    found = {s: (o, st) for s, o, st in _found(d, text)}
    assert found["HC"] == ("hc", "auto") and found["SPOH"] == ("spoh", "auto")
    assert found["WSP"] == ("wsp", "auto") and found["Techniekpartners"] == ("tp", "auto")
    assert found["Verhoeven"] == ("ver", "auto") and found["De Horizon"] == ("hor", "auto")
    assert found["Rivierpoort"] == ("riv", "auto")  # not 'Rivierpoort in Zandstad'
    assert found["Stedelijk"] == ("std", "auto")  # a course at het Stedelijk
    assert found["Rivierscholen"] == ("rs", "auto")
    assert "Heuvelland" not in found and "Zandstad" not in found  # places, not organisations


def test_unique_type_word_resolves_and_shared_one_lists_the_choices() -> None:
    one = [
        Organisation("vc", "c", "Vakcollege Zandstad", "vmbo"),
        Organisation("roc", "c", "ROC Noord", "mbo"),
    ]
    assert ("Vakcollege", "vc", "auto") in _found(
        _detector(one), "Leerlingen van het Vakcollege gaan mee."
    )
    # Without an article it is an ordinary capitalised word, and 'het College van Bestuur' is a board.
    two = [
        Organisation("a", "c", "Stedelijk College Zandstad", "vmbo"),
        Organisation("b", "c", "Heuvelland College", "vmbo"),
    ]
    hits = _detector(two).detect("Het College doet mee. Het College van Bestuur besluit.")
    assert [(f.surface, f.status, sorted(f.choices)) for f in hits] == [
        ("College", "unresolved", ["a", "b"])
    ]


def test_shared_form_resolves_after_an_earlier_full_mention() -> None:
    orgs = [
        Organisation("bv", "c", "Noorderkwartier Installatietechniek B.V.", "bedrijf"),
        Organisation("po", "c", "Stichting Noorderkwartier Onderwijs", "po"),
    ]
    d = _detector(orgs)
    alone = d.detect("Met Noorderkwartier hebben we contact.")
    assert [(f.surface, f.organisation_id, f.status) for f in alone] == [
        ("Noorderkwartier", None, "unresolved")
    ]
    assert sorted(alone[0].choices) == ["bv", "po"]
    after = d.detect(
        "Stichting Noorderkwartier Onderwijs doet mee. Later belde Noorderkwartier nog."
    )
    assert [(f.surface, f.organisation_id) for f in after][-1] == ("Noorderkwartier", "po")


def test_ordinary_words_and_given_names_are_not_used_alone() -> None:
    orgs = [
        Organisation("p", "c", "Scholengemeenschap De Ploeg", "vmbo"),
        Organisation("j", "c", "Bouwbedrijf Jan", "bedrijf"),
    ]
    d = _detector(orgs)
    # 'ploeg' is an ordinary word in this text, so a sentence-opening 'Ploeg' is not the school…
    text = "De ploeg van de werkplaats is klein. Ploeg na ploeg komt binnen. Jan belde. Met de Ploeg gaat het goed."
    found = _found(d, text)
    assert found == [("de Ploeg", "p", "auto")]  # …but 'de Ploeg' mid-sentence is


def test_persons_named_after_the_company_are_not_the_company() -> None:
    d = _detector([Organisation("d", "c", "Metaalbedrijf Dijkhuis B.V.", "bedrijf")])
    found = _found(d, "Henk Dijkhuis vertelde dat Dijkhuis stages biedt; meneer Dijkhuis is trots.")
    assert found == [("Dijkhuis", "d", "auto")]


def test_candidates_never_swallow_a_preposition_phrase() -> None:
    d = _detector([Organisation("x", "c", "Stedelijk College Zandstad", "vmbo")])
    cands = {
        f.candidate
        for f in d.detect(
            "Gisteren sprak ik Sandra ter Horst van HR. Wij werken met Techniekhuis Oost in Zandstad samen."
        )
        if f.status == "candidate"
    }
    assert cands == {"Techniekhuis Oost"}


def test_group_references_denote_types() -> None:
    vmbo = frozenset({"vmbo", "vmbo-penvoerder"})
    assert group_references("Alle drie de vmbo-scholen doen mee") == [
        ("Alle drie de vmbo-scholen", frozenset({"vmbo"}))  # the word the vmbo types answer to
    ]
    assert group_references("met de andere scholen", vmbo) == [("de andere scholen", vmbo)]
    assert group_references("met de scholen") == []  # too vague without a code that says which
    assert group_references("met de scholen", vmbo) == [("de scholen", vmbo)]
    assert group_references("de andere scholen", frozenset({"gemeente"})) == []


def test_marks_strip_to_plain_offsets() -> None:
    marked = "Wij en [[het HC|Heuvelland College]]. {{SAM.VMBO_PO|Heuvelland College;X: Met [[SPOH|S P O H]] samen.}} Eind."
    mt = strip_marks(marked)
    assert mt.text == "Wij en het HC. Met SPOH samen. Eind."
    assert [(mt.text[m.start : m.end], m.organisation) for m in mt.mentions] == [
        ("het HC", "Heuvelland College"),
        ("SPOH", "S P O H"),
    ]
    (p,) = mt.passages
    assert mt.text[p.start : p.end] == "Met SPOH samen." and p.partners == [
        "Heuvelland College",
        "X",
    ]
    with pytest.raises(InvalidInput):
        strip_marks("open [[mark zonder einde")
    with pytest.raises(InvalidInput):
        strip_marks("{{A|B: niet gesloten")
    mapping = offset_map("a b  c", "a b c")
    assert mapping[5] == 4 and mapping[6] == 5


def test_one_decision_per_surface_form_resolves_all_its_mentions_and_survives_detection(
    tmp_path,
) -> None:
    from casebook.core.cases import ensure_case
    from casebook.core.documents import DocumentMeta, import_file
    from casebook.partners.forms import assign_form, switch_form, variant_table
    from casebook.partners.registry import add_organisation
    from casebook.partners.storage import detect_case, list_mentions
    from casebook.store.project import open_project

    project = open_project(tmp_path / "p.db", coder="tester")
    case = ensure_case(project, "Heuvelland")
    pact = add_organisation(project, case, "Techniekpact Heuvelland", "branche")
    add_organisation(project, case, "Heuvelland College", "vmbo")
    for i in range(3):
        path = tmp_path / f"d{i}.txt"
        path.write_text(
            # 'Tepa': a nickname no rule derives ('het Pact' is now derived as the compound's head)
            f"Gesprek {i}. Tepa regelt veel. Met het HC en Tepa gaat het goed.\n",
            encoding="utf-8",
        )
        import_file(project, path, DocumentMeta(case="Heuvelland"))
    detect_case(project, case)

    def pact_mentions() -> int:
        return sum(
            1
            for m in list_mentions(project, case_id=case)
            if m["surface"] == "Tepa" and m["organisation_id"] == pact
        )

    assert pact_mentions() == 0
    decision = assign_form(project, case, "Tepa", pact)
    assert (
        decision.mentions_after == 6
        and decision.changed == 6
        and "6 mention(s)" in decision.describe()
    )
    detect_case(project, case, force=True)
    assert pact_mentions() == 6  # the decision is kept, not just its effect
    forms = {(f["organisation"], f["form"]): f for f in variant_table(project, case)}
    assert forms[("Heuvelland College", "HC")]["origin"] == "initials"
    assert forms[("Heuvelland College", "HC")]["mentions"] == 3
    off = switch_form(project, case, "HC", on=False)
    assert off.mentions_before == 3 and off.mentions_after == 0
    detect_case(project, case, force=True)
    assert not [m for m in list_mentions(project, case_id=case) if m["surface"] == "HC"]
    assert {(f["form"], f["state"]) for f in variant_table(project, case)} >= {("HC", "off")}
    on = switch_form(project, case, "HC", on=True)
    assert on.mentions_after == 3
    project.close()


def test_a_type_word_in_the_middle_splits_the_name_into_two_forms() -> None:
    forms = dict(derive("Katholiek Lyceum De Wissel", TOWNS))
    assert forms["De Wissel"] == "distinctive" and forms["Wissel"] == "distinctive-bare"
    assert forms["Katholiek"] == "distinctive"
    assert "Katholiek Wissel" not in forms  # joined, the parts make a form nobody says
    d = _detector([Organisation("kl", "c", "Katholiek Lyceum De Wissel", "vmbo")])
    found = {
        s: o for s, o, _ in _found(d, "Met de Wissel gaat het goed; het Katholiek doet ook mee.")
    }
    assert found == {"de Wissel": "kl", "Katholiek": "kl"}


def test_a_lowercase_head_noun_names_the_one_partner_so_called() -> None:
    orgs = [
        Organisation("ov", "c", "Ondernemersvereniging Zandstad", "branche"),
        Organisation("toc", "c", "Technisch Opleidingscentrum Heuvelland", "branche"),
        Organisation("sg", "c", "Scholengemeenschap Rivierduin", "vmbo"),
    ]
    d = _detector(orgs)
    text = "We praten met de ondernemersvereniging en het opleidingscentrum; de scholengemeenschap ook."
    assert {o for _, o, st in _found(d, text) if st == "auto"} == {"ov", "toc", "sg"}
    # Without a definite article, or with a 'van'-phrase that says whose, it is a description.
    for text in (
        "Er komt een opleidingscentrum bij.",
        "Elke ondernemersvereniging wil dat.",
        "Dat is het opleidingscentrum van de bouwbedrijven.",
    ):
        assert [o for _, o, _ in _found(d, text) if o] == [], text
    # A type noun with an everyday meaning is not a name in lowercase ('het college' is also B&W).
    d1 = _detector([Organisation("mc", "c", "Markveld College", "vmbo")], ["Markveld"])
    assert [o for _, o, _ in _found(d1, "Dat moet het college nog goedkeuren.") if o] == []
    # Two partners with the same head noun: no lowercase reference resolves.
    d2 = _detector([*orgs, Organisation("sg2", "c", "Scholengemeenschap Vlietland", "vmbo")])
    assert [o for _, o, _ in _found(d2, "Op de scholengemeenschap is het druk.") if o] == []


def test_the_municipality_as_territory_is_not_the_organisation() -> None:
    d = _detector([Organisation("gem", "c", "Gemeente Zandstad", "gemeente")])
    assert _found(d, "Er zijn elf basisscholen in de gemeente.") == []
    assert _found(d, "Binnen de gemeente is dat geregeld.") == []
    assert [o for _, o, _ in _found(d, "We hebben subsidie gekregen van de gemeente.")] == ["gem"]


def test_possessive_group_reference_is_the_speakers_own() -> None:
    assert group_references("zes van onze scholen deden mee", frozenset({"vmbo", "po"})) == []
    assert group_references("de andere scholen deden mee", frozenset({"vmbo", "po"})) != []


def test_a_collaboration_reported_between_others_leaves_the_speaker_out() -> None:
    from casebook.partners.links import _about_others

    assert _about_others("De Wissel en het HC trekken samen op.", {"a", "b"})
    assert _about_others("De Wissel en het HC kennen elkaar goed.", {"a", "b"})
    assert not _about_others("Samen met de Wissel en het HC doen we dat.", {"a", "b"})
    assert not _about_others("De Wissel en het HC werken samen met ons.", {"a", "b"})
    assert not _about_others("De Wissel en het HC sturen leerlingen.", {"a", "b"})
    assert not _about_others("De Wissel werkt samen met het HC.", {"a"})


# --- how people talk about family firms, towns, national bodies (second round of rules) ----------

HILL_TOWNS = ["Dorrewijk", "Hoogerzand", "Kampersveld"]


def _hill_orgs() -> list[Organisation]:
    return [
        Organisation("smed", "c", "Elektrotechniek Smedinga & Zonen B.V.", "bedrijf"),
        Organisation("tenb", "c", "Ten Brinke Installaties B.V.", "bedrijf"),
        Organisation("vdl", "c", "Aannemersbedrijf Van de Laar B.V.", "bedrijf"),
        Organisation("vcd", "c", "Vakcollege Dorrewijk", "vmbo"),
        Organisation("okh", "c", "Ondernemerskring Techniek Hoogerzand", "branche"),
        Organisation("sbh", "c", "Stichting Bouwopleiding Hoogerzand", "branche"),
        Organisation("gem", "c", "Gemeente Hoogerzand", "gemeente"),
    ]


def _hill_detector() -> Detector:
    return Detector(_hill_orgs(), ["Hoogerzand"], use_model=False, places=HILL_TOWNS)


def test_family_business_suffix_and_surname_forms_are_derived() -> None:
    forms = dict(derive("Elektrotechniek Smedinga & Zonen B.V.", HILL_TOWNS, company=True))
    assert forms["Smedinga"] in ("no-type-words", "distinctive")
    assert forms["Smedinga en Zonen"] == "family" and forms["Smedinga & Zn"] == "family"
    forms = dict(derive("Ten Brinke Installaties B.V.", HILL_TOWNS, company=True))
    assert forms["Tenbrinke"] == "joined" and forms["Brinke"] == "surname-tail"
    forms = dict(derive("Aannemersbedrijf Van de Laar B.V.", HILL_TOWNS, company=True))
    assert forms["VDL"] == "initials"  # tussenvoegsels give letters
    assert dict(derive("Vakcollege Dorrewijk", HILL_TOWNS))["Dorrewijk"] == "place-school"
    assert dict(derive("Ondernemerskring Techniek Hoogerzand", HILL_TOWNS))["kring"] == "head-noun"


def test_family_firm_is_found_by_its_family_name_but_not_a_person_of_that_name() -> None:
    d = _hill_detector()
    text = (
        "We werken met Smedinga en Zonen. Bij Smedinga lopen drie leerlingen stage. "
        "Meneer Smedinga kwam zelf langs, en ook een Smedinga van de jongere generatie. "
        "De VDL bouwt mee; Gert, de oude Van de Laar, kent iedereen."
    )
    found = _found(d, text)
    resolved = [(s, o) for s, o, st in found if st == "auto"]
    assert ("Smedinga en Zonen", "smed") in resolved
    assert ("Smedinga", "smed") in resolved
    # not 'Meneer Smedinga', not 'een Smedinga'
    assert sum(1 for s, o in resolved if o == "smed") == 2
    assert ("VDL", "vdl") in resolved
    assert not any(o == "vdl" and s == "Van de Laar" for s, o in resolved)


def test_a_surname_typed_in_lowercase_counts_an_ordinary_word_does_not() -> None:
    d = _hill_detector()
    texts = [
        "Met Smedinga gaat het goed. Smedinga levert ook een docent.",
        "Ja, smedinga en tenbrinke doen mee. Na de bouwopleiding gaan ze werken.",
    ]
    found = d.detect_many(texts)
    second = [(f.surface, f.organisation_id) for f in found[1] if f.status == "auto"]
    assert ("smedinga", "smed") in second and ("tenbrinke", "tenb") in second
    assert not any(s == "bouwopleiding" for s, _ in second)


def test_a_town_that_is_a_schools_only_distinctive_word() -> None:
    d = _hill_detector()
    text = (
        "Met Dorrewijk hebben we een route. In Dorrewijk zelf is weinig werk. "
        "De kernen zijn Hoogerzand, Kampersveld en Dorrewijk."
    )
    found = [(f.surface, f.organisation_id, f.start) for f in d.detect(text) if f.status == "auto"]
    assert [(s, o) for s, o, _ in found] == [("Dorrewijk", "vcd")]
    assert found[0][2] == text.index("Dorrewijk")


def test_two_partners_in_one_town_leave_the_town_alone() -> None:
    orgs = [
        Organisation("a", "c", "Vakcollege Dorrewijk", "vmbo"),
        Organisation("b", "c", "Ondernemersvereniging Dorrewijk", "branche"),
    ]
    d = Detector(orgs, ["Hoogerzand"], use_model=False, places=HILL_TOWNS)
    assert not [f for f in d.detect("Met Dorrewijk praten we veel.") if f.status == "auto"]


def test_head_noun_and_legal_form_after_an_article() -> None:
    d = _hill_detector()
    text = (
        "De Ondernemerskring Techniek Hoogerzand organiseert de beurs. De kring zoekt nog mensen. "
        "Stichting Bouwopleiding Hoogerzand heeft een hal; de stichting betaalt de huur."
    )
    resolved = [(f.surface, f.organisation_id) for f in d.detect(text) if f.status == "auto"]
    assert ("kring", "okh") in resolved
    assert ("stichting", "sbh") in resolved


def test_national_bodies_are_not_a_partners_initials() -> None:
    orgs = [Organisation("s", "c", "Stichting Bouwscholen Brabantse", "branche")]
    forms = dict(derive("Stichting Bouwscholen Brabantse"))
    assert "SBB" not in forms
    d = Detector(orgs, [], use_model=False)
    assert not [f for f in d.detect("Dat loopt via SBB, voor de erkenning.") if f.organisation_id]


def test_generic_reference_followed_by_a_named_apposition_is_not_the_case_roc() -> None:
    orgs = [Organisation("r", "c", "ROC Kampersveld", "mbo")]
    d = Detector(orgs, [], use_model=False, places=HILL_TOWNS)
    found = d.detect("Die zijn daar bij het roc daar, ROC Elders, aangehaakt. En het roc doet mee.")
    generic = [(f.surface, f.organisation_id) for f in found if f.method == "generic"]
    assert generic == [("het roc", "r")]


def test_a_compound_of_a_name_words_front_and_the_legal_form() -> None:
    d = _hill_detector()
    text = "Met de bouwstichting doen we veel. Een bouwstichting heeft elke stad. De zorgstichting niet."
    resolved = [(f.surface, f.organisation_id) for f in d.detect(text) if f.status == "auto"]
    assert resolved == [("bouwstichting", "sbh")]  # only after 'de'/'het', only a fitting front


MARSH = ["Lintveld"]


def test_the_head_after_a_linking_s_names_the_one_partner_so_called() -> None:
    assert dict(derive("Botenwerf Lintveld B.V.", MARSH)).get("werf") is None  # no linking s
    assert dict(derive("Jachtswerf Aalbers B.V.", MARSH))["werf"] == "compound-head"
    assert dict(derive("Stichting Techniekspunt De Zwaluw", MARSH))["punt"] == "compound-head"
    # heads every firm or school has, and cuts that are not where the parts meet, give nothing
    for name in (
        "Sportsbedrijf Aalbers",
        "Scholengemeenschap De Ploeg",
        "Huisartsenpraktijk Aalbers",
    ):
        assert "compound-head" not in dict(derive(name, MARSH)).values()
    orgs = [
        Organisation("j", "c", "Jachtswerf Aalbers B.V.", "bedrijf"),
        Organisation("s", "c", "Stichting Techniekspunt De Zwaluw", "po"),
    ]
    d = Detector(orgs, [], use_model=False, places=MARSH)
    text = (
        "Op de werf lopen drie leerlingen stage. Wethouder De Werf kwam kijken. "
        "Het punt in Lintveld opent in maart. Een werf zoek je hier niet."
    )
    resolved = [(f.surface, f.organisation_id) for f in d.detect(text) if f.status == "auto"]
    assert resolved == [("werf", "j"), ("punt", "s")]


def test_an_article_inside_a_name_starts_its_name_proper() -> None:
    forms = dict(derive("Stichting Natuurleerpunt De Egelantier", MARSH))
    assert forms["De Egelantier"] == "distinctive"
    assert forms["Egelantier"] == "distinctive-bare"
    orgs = [Organisation("e", "c", "Stichting Natuurleerpunt De Egelantier", "po")]
    d = Detector(orgs, [], use_model=False, places=MARSH)
    found = [
        (f.surface, f.organisation_id) for f in d.detect("Wij gaan met de klas naar De Egelantier.")
    ]
    assert ("De Egelantier", "e") in found


def test_a_registered_alias_with_its_article_keeps_the_whole_phrase() -> None:
    orgs = [Organisation("j", "c", "Jachtswerf Aalbers B.V.", "bedrijf", ["de werf"])]
    d = Detector(orgs, [], use_model=False, places=MARSH)
    assert "werf" not in d.index.by_norm  # the alias says it already, article and all
    found = [(f.surface, f.organisation_id) for f in d.detect("Morgen gaan we naar de werf.")]
    assert found == [("de werf", "j")]
