"""Issue 14, Dravenstreek round: the region word read from the registry, initials written with
stops, and capitals inside a longer name that do not make a word a name on its own.

All names are invented for these tests (region Oldemark: towns Peelhuizen, Wartum).
"""

from __future__ import annotations

from functools import partial

from casebook.partners.candidates import inside_longer_name
from casebook.partners.detection import Detector
from casebook.partners.dotted import dotted_initials, initials_of
from casebook.partners.regionword import shared_region_words
from casebook.partners.registry import Organisation
from casebook.partners.variants import VariantIndex, derive

TOWNS = ["Peelhuizen", "Wartum"]


def _orgs() -> list[Organisation]:
    return [
        Organisation("vwo", "c", "Vereniging Werkgevers Oldemark", "branche"),
        Organisation("thk", "c", "Stichting Techniekhuis Oldemark", "ondersteuning"),
        Organisation("lyc", "c", "Wartums Lyceum", "vmbo"),
        Organisation("bak", "c", "Bakkers & Zonen B.V.", "bedrijf"),
    ]


def _detector(places: list[str]) -> Detector:
    return Detector(_orgs(), ["OLD"], use_model=False, places=places)


def _resolved(d: Detector, text: str) -> list[tuple[str, str | None]]:
    return [(f.surface, f.organisation_id) for f in d.detect(text) if f.status == "auto"]


def test_the_word_several_partner_names_end_on_is_the_region() -> None:
    names = [o.name for o in _orgs()]
    assert shared_region_words(names) == ["Oldemark"]
    # one name alone says nothing; family suffixes, type words and acronyms are never a region
    assert shared_region_words(["Stichting Techniekhuis Oldemark"]) == []
    assert shared_region_words(["Jansen & Zonen B.V.", "Pietersen & Zonen B.V."]) == []
    assert shared_region_words(["Smit Installatietechniek", "Groen Installatietechniek"]) == []
    assert shared_region_words(["Stichting Werk ROC", "Vereniging Leren ROC"]) == []


def test_with_the_region_word_as_a_place_the_initials_leave_it_out() -> None:
    without = {t for t, _ in derive("Vereniging Werkgevers Oldemark", TOWNS)}
    with_region = {t for t, _ in derive("Vereniging Werkgevers Oldemark", [*TOWNS, "Oldemark"])}
    assert "VW" not in without
    assert "VW" in with_region
    index = VariantIndex(_orgs(), ["OLD"], [*TOWNS, "Oldemark"])
    assert initials_of(index, "VW") == "vwo"


def test_the_region_word_lets_the_short_initials_resolve_in_a_text() -> None:
    text = "Met de VW hebben we een convenant over stageplekken."
    assert _resolved(_detector(TOWNS), text) == []
    assert _resolved(_detector([*TOWNS, "Oldemark"]), text) == [("VW", "vwo")]


def test_initials_with_stops_resolve_like_the_initials_without() -> None:
    index = VariantIndex(_orgs(), ["OLD"], [*TOWNS, "Oldemark"])
    text = "De bijdrage van de V.W. (in natura) is bevestigd; ook de K.L.M. doet mee."
    found = list(dotted_initials(text, partial(initials_of, index)))
    assert [(text[s:e], org) for s, e, org in found] == [("V.W.", "vwo")]
    d = _detector([*TOWNS, "Oldemark"])
    assert ("V.W.", "vwo") in _resolved(d, text)


def test_initials_with_stops_before_a_surname_are_a_person() -> None:
    index = VariantIndex(_orgs(), ["OLD"], [*TOWNS, "Oldemark"])
    for text in (
        "Namens de vereniging sprak V.W. de Graaf.",
        "Verslag: V.W. Hendriks, secretaris.",
    ):
        assert list(dotted_initials(text, partial(initials_of, index))) == []


def test_a_capital_after_another_name_word_is_part_of_the_longer_name() -> None:
    text = "de Vereniging Werkgevers Oldemark. Werkgevers zijn blij. De HR-adviseur Werkgevers"
    inner = text.index("Werkgevers")
    opener = text.index("Werkgevers", inner + 1)
    after_title = text.rindex("Werkgevers")
    assert inside_longer_name(text, inner)
    assert not inside_longer_name(text, opener)  # opens a sentence
    assert not inside_longer_name(text, after_title)  # 'HR-adviseur' is a title, not a name word


def test_a_plural_from_inside_a_name_typed_in_lowercase_is_not_the_organisation() -> None:
    orgs = [
        Organisation("ow", "c", "Vereniging Ondernemers Wartum", "branche"),
        Organisation("lyc", "c", "Wartums Lyceum", "vmbo"),
    ]
    d = Detector(orgs, ["OLD"], use_model=False, places=TOWNS)
    texts = [
        "De Vereniging Ondernemers Wartum vergadert maandelijks in Peelhuizen.",
        "Met de ondernemers praten we vaak. Het Wartums Lyceum doet mee.",
    ]
    found = [(f.surface, f.organisation_id) for f in d.detect_many(texts)[1] if f.status == "auto"]
    assert ("ondernemers", "ow") not in found
    assert ("Wartums Lyceum", "lyc") in found


def test_a_town_after_te_is_the_place_not_the_school_named_after_it() -> None:
    orgs = [Organisation("vsw", "c", "Vakschool Wartum", "vmbo")]
    d = Detector(orgs, ["OLD"], use_model=False, places=TOWNS)
    found = _resolved(d, "Het gaat om Vakschool Wartum te Wartum. Wartum doet mee aan de pilot.")
    assert found == [("Vakschool Wartum", "vsw"), ("Wartum", "vsw")]
