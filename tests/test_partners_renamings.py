"""Issue 14, Esveld round: names the texts give an organisation, forms from a name's parts, and cues.

Old names after a merger or a renaming and buildings standing for their
owner, read from what the texts say next to a known name; initials of a
hyphenated name and of a family firm said family first; initials with
hyphens or in lowercase with stops; the gemeentehuis and the wethouder; the
installer for the installation firm; a two-word surname after a given name;
counted groups. All names are invented for these tests (region Haverland:
towns Rijsdam, Markelo, Kleiwijk).
"""

from __future__ import annotations

from functools import partial

from casebook.partners.detection import Detector
from casebook.partners.dotted import dotted_initials, initials_of
from casebook.partners.links import group_references
from casebook.partners.parties import counted_parties, previous_sentence
from casebook.partners.registry import Organisation
from casebook.partners.renamings import renamed_forms
from casebook.partners.variants import VariantIndex, derive

TOWNS = ["Rijsdam", "Markelo", "Kleiwijk"]


def _orgs() -> list[Organisation]:
    return [
        Organisation("sgv", "c", "Scholengroep Veldhof", "vmbo-penvoerder"),
        Organisation("mar", "c", "Vmbo De Marke", "vmbo"),
        Organisation("roc", "c", "ROC Noord-Westerveld", "mbo"),
        Organisation("gem", "c", "Gemeente Rijsdam", "gemeente"),
        Organisation("tim", "c", "Timmerfabriek Groot Roessink B.V.", "bedrijf"),
        Organisation("ins", "c", "Installatiebedrijf Krol & Zn. B.V.", "bedrijf"),
        Organisation("zor", "c", "Zorggroep Lindehof", "bedrijf"),
        Organisation("tvb", "c", "Stichting Techniekverbond Westerveld", "ondersteuning"),
    ]


def _detector(orgs: list[Organisation] | None = None) -> Detector:
    return Detector(orgs or _orgs(), ["HVL"], use_model=False, places=TOWNS)


def _resolved(d: Detector, *texts: str) -> list[tuple[str, str | None]]:
    return [
        (f.surface, f.organisation_id)
        for found in d.detect_many(list(texts))
        for f in found
        if f.status == "auto"
    ]


def _spans(text: str, name: str, org: str) -> list[tuple[int, int, str]]:
    start = text.index(name)
    return [(start, start + len(name), org)]


# --- names the texts give ------------------------------------------------------------------------


def test_old_names_after_voorheen_and_tot_a_year_are_read() -> None:
    text = "Penvoerder: Scholengroep Veldhof (SGV, voorheen Bonifatius College en Mavo Kleiwijk)."
    forms = renamed_forms(text, _spans(text, "Scholengroep Veldhof", "sgv"))
    assert ("Bonifatius College", "sgv") in forms
    assert ("Mavo Kleiwijk", "sgv") in forms
    assert ("Bonifatius", "sgv") in forms  # a type word and one more word: that word alone
    text = "Het mbo is ROC Noord-Westerveld, tot 2024 Westerveld College."
    # 'Westerveld' is a word of another partner's name: the old name gives no bare word
    forms = renamed_forms(
        text, _spans(text, "ROC Noord-Westerveld", "roc"), {"techniekverbond", "westerveld"}
    )
    assert forms == [("Westerveld College", "roc")]


def test_an_old_name_resolves_in_every_document_of_the_case() -> None:
    report = "Penvoerder: Scholengroep Veldhof (SGV, voorheen Bonifatius College)."
    interview = "Vorig jaar heette het nog het Bonifatius, en daar werken we nog steeds mee."
    assert ("Bonifatius", "sgv") in _resolved(_detector(), report, interview)
    # without the report nothing says what 'het Bonifatius' is
    assert not [s for s, _ in _resolved(_detector(), interview) if "Bonifatius" in s]


def test_merged_into_and_building_of_are_read_before_the_known_name() -> None:
    text = "Klopt, het Netwerk Techniek Rijsdam is opgegaan in het Techniekverbond."
    forms = renamed_forms(text, _spans(text, "Techniekverbond", "tvb"))
    assert [k for k, _ in forms] == ["het Netwerk Techniek Rijsdam"]
    text = "De Smidse is die grote praktijkhal van het ROC op het industrieterrein."
    start = text.index("het ROC")
    assert renamed_forms(text, [(start, start + 7, "roc")]) == [("De Smidse", "roc")]
    text = "We gaan naar De Smidse, het gebouw van ROC Noord-Westerveld."
    assert renamed_forms(text, _spans(text, "ROC Noord-Westerveld", "roc")) == [
        ("De Smidse", "roc")
    ]
    text = "Het Leerbedrijf Kleiwijk (nu onderdeel van ROC Noord-Westerveld) stopt."
    assert renamed_forms(text, _spans(text, "ROC Noord-Westerveld", "roc")) == [
        ("Het Leerbedrijf Kleiwijk", "roc")
    ]
    # one of its buildings is not its name; 'nu' in a running sentence is 'now'
    text = "De Bongerd is een sporthal van de gemeente."
    start = text.index("de gemeente")
    assert renamed_forms(text, [(start, start + 11, "gem")]) == []
    text = "We hadden Jan Smit, nu het ROC meer doet gaat het beter."
    start = text.index("het ROC")
    assert renamed_forms(text, [(start, start + 7, "roc")]) == []
    d = _detector()
    found = _resolved(
        d, "De Smidse is de praktijkhal van het ROC.", "Groep acht ging naar de Smidse."
    )
    assert found.count(("Smidse", "roc")) == 2  # the defining sentence and the other document


def test_two_names_after_a_verb_of_saying_are_one_organisation() -> None:
    text = 'De leerlingen zeggen gewoon SGV, of "de Linde", naar het gebouw.'
    assert renamed_forms(text, _spans(text, "SGV", "sgv")) == [("de Linde", "sgv")]
    # 'of' between two names without a verb of saying is a choice between two organisations
    text = "Ze gaan naar SGV of De Marke, dat weten we nog niet."
    assert renamed_forms(text, _spans(text, "SGV", "sgv")) == []


# --- forms from a name's parts -------------------------------------------------------------------


def test_a_hyphenated_name_gives_the_initials_of_its_parts() -> None:
    forms = dict(derive("ROC Noord-Westerveld", TOWNS))
    assert forms["NW"] == "initials"
    assert forms["ROC NW"] == "type-initials"
    assert ("NW", "roc") in _resolved(_detector(), "De punten tellen ook bij NW mee.")
    # two places joined by a hyphen are no name to abbreviate
    assert "MK" not in dict(derive("Ondernemersvereniging Markelo-Kleiwijk", TOWNS))


def test_a_trade_first_family_firm_is_also_said_family_first() -> None:
    forms = dict(derive("Timmerfabriek Groot Roessink B.V.", TOWNS, company=True))
    assert forms["Groot Roessink Timmerfabriek"] == "family-first"
    assert forms["GRT"] == "initials"
    assert forms["GRTF"] == "initials"  # 'Timmer|fabriek' gives two letters
    forms = dict(derive("Installatiebedrijf Krol & Zn. B.V.", TOWNS, company=True))
    assert forms["KI"] == "initials"
    # a firm named family first has nothing to turn round; a school is no family firm
    assert "family-first" not in dict(derive("Krol Bouw B.V.", TOWNS, company=True)).values()
    assert "family-first" not in dict(derive("Scholengroep Veldhof", TOWNS)).values()


def test_initials_with_hyphens_and_in_lowercase_with_stops() -> None:
    index = VariantIndex(_orgs(), ["HVL"], TOWNS)
    text = "In mijn notities: K-I voor de installateur, G-R-T voor de timmerfabriek, X-Y onbekend."
    found = [(text[s:e], o) for s, e, o in dotted_initials(text, partial(initials_of, index))]
    assert found == [("K-I", "ins"), ("G-R-T", "tim")]
    orgs = [*_orgs(), Organisation("bos", "c", "Stichting Bouwopleiding Oost", "ondersteuning")]
    index = VariantIndex(orgs, ["HVL"], TOWNS)
    text = "De s.b.o. belt de leden, d.w.z. de bedrijven; ook de s.b.o.o. doet mee."
    found = [(text[s:e], o) for s, e, o in dotted_initials(text, partial(initials_of, index))]
    # three lowercase letters with stops read as an everyday abbreviation ('d.w.z.'); four count
    assert found == [("s.b.o.o.", "bos")]
    index = VariantIndex(
        [Organisation("swk", "c", "Stichting Werkend Kleiwijk Breed", "ondersteuning")], [], []
    )
    text = "Met de s.w.k.b. is afgesproken dat d.w.z. niets betekent."
    found = [(text[s:e], o) for s, e, o in dotted_initials(text, partial(initials_of, index))]
    assert found == [("s.w.k.b.", "swk")]


def test_initials_written_as_a_word_count_when_the_case_writes_them_in_capitals() -> None:
    orgs = [Organisation("spo", "c", "Stichting Primair Onderwijs Haverland Oost", "po")]
    d = Detector(orgs, ["HVL"], use_model=False, places=TOWNS)
    found = _resolved(d, "Het bestuur is SPOHO.", "We vallen onder Spoho, dat is het bestuur.")
    assert ("Spoho", "spo") in found
    assert not [s for s, _ in _resolved(d, "We vallen onder Spoho.") if s == "Spoho"]


def test_the_family_suffix_with_its_stop_is_part_of_the_name() -> None:
    found = _resolved(_detector(), "Bij Krol & Zn. lopen twee leerlingen stage.")
    assert ("Krol & Zn.", "ins") in found


# --- cues around a word ----------------------------------------------------------------------------


def test_a_place_is_never_a_misspelling_of_a_name() -> None:
    d = _detector()
    found = _resolved(d, "De krimp in Markelo raakt De Marke het hardst; Markelo zelf groeit niet.")
    assert found == [("De Marke", "mar")]
    # a real misspelling still counts
    assert ("De Markke", "mar") in _resolved(d, "Met De Markke doen we de keuzevakken.")


def test_the_town_hall_and_the_alderman_stand_for_the_municipality() -> None:
    d = _detector()
    found = _resolved(
        d,
        "Het gemeentehuis betaalt de bus. De wethouder van Rijsdam wil meer. "
        "In Rijsdam wonen veel ouders.",
    )
    assert ("Het gemeentehuis", "gem") in found
    assert ("Rijsdam", "gem") in found
    assert len([s for s, o in found if s == "Rijsdam"]) == 1  # 'in Rijsdam' is the town


def test_the_installer_is_the_installation_firm_when_the_case_has_one() -> None:
    d = _detector()
    assert ("installateur", "ins") in _resolved(d, "Met de installateur doen we het meest.")
    assert _resolved(d, "Er is ook een installateur in het dorp.") == []
    two = [
        *_orgs(),
        Organisation("in2", "c", "Installatiebedrijf Nijboer B.V.", "bedrijf"),
    ]
    assert not [s for s, _ in _resolved(_detector(two), "Met de installateur.") if s]


def test_a_care_group_is_called_by_its_type_in_lowercase() -> None:
    found = _resolved(_detector(), "Twee leerlingen lopen mee bij de zorggroep.")
    assert found == [("zorggroep", "zor")]


def test_a_two_word_surname_after_a_given_name_is_the_person() -> None:
    d = _detector()
    found = _resolved(d, "Bij Groot Roessink zijn we welkom. Karin Groot Roessink is de eigenaar.")
    assert found == [("Groot Roessink", "tim")]


# --- counted groups in proposals ---------------------------------------------------------------------


def test_a_counted_group_of_parties_points_back_at_the_sentence_before() -> None:
    text = (
        "Het convenant is getekend door ons, het ROC, De Marke en de gemeente. "
        "Alle vier de partijen betalen mee."
    )
    start = text.index("Alle")
    lo, hi = previous_sentence(text, start)
    assert text[lo:hi].strip().startswith("Het convenant")
    passage = text[start:]
    assert counted_parties(passage, text[lo:hi], ["roc", "mar", "gem"], "sgv") == (
        "Alle vier de partijen",
        ["roc", "mar", "gem", "sgv"],
    )
    # the count does not fit: nothing is inferred
    assert counted_parties(passage, text[lo:hi], ["roc", "mar"], "sgv") is None
    # no first-person word: the speaker is not one of the parties
    assert counted_parties(
        "De drie partners betalen.",
        "Het ROC, De Marke en de gemeente.",
        [
            "roc",
            "mar",
            "gem",
        ],
        "sgv",
    ) == ("drie partners", ["roc", "mar", "gem"])


def test_an_adjective_after_a_count_keeps_the_group() -> None:
    assert group_references("Alle zes openbare basisscholen doen mee.") == [
        ("Alle zes openbare basisscholen", frozenset({"basisschool"}))
    ]
    # without a count the adjective describes: 'het bestuur van de openbare basisscholen'
    assert group_references("Dat is het bestuur van de openbare basisscholen.") == []
