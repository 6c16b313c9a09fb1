"""Issue 14, Valleirand round: kinds in compounds, family firms, the article, chats, two gemeenten.

A compound that says what kind of organisation a name is ('Kindcentrum X',
'Opleidingsbedrijf X') leaves the name proper as the short form, and a
one-word name ending in its kind gives its front ('het Brink' for the
Brinkcollege); 'Gebr.' and 'Fa.' mark a family firm called by the family
name; the article before a shared word picks the partner whose name takes
it ('het Hoefslag' is the college, not the vakschool); a chat line typed
without capitals counts its lowercase names; with two municipalities 'de
gemeente' is the speaker's own when a municipal officer says it; a plural
compound on a shared word without a hyphen is a group. All names are
invented for these tests (region Heuvelzoom: towns Ravenhorst, Molendaal).
"""

from __future__ import annotations

from casebook.orgtypes import DEFAULT_TYPES
from casebook.partners.cues import typed_in_lowercase
from casebook.partners.detection import Detector, SpeakerSpan
from casebook.partners.gender import agreeing, name_article
from casebook.partners.groups import shared_name_groups
from casebook.partners.registry import Organisation
from casebook.partners.variants import VariantIndex, derive

TOWNS = ["Ravenhorst", "Molendaal"]


def _orgs() -> list[Organisation]:
    rows = [
        ("kc", "Keienberg College", "vmbo-penvoerder"),
        ("kv", "Keienberg Vakschool", "vmbo"),
        ("ks", "Stichting Keienberg Onderwijsgroep", "overig"),
        ("lc", "Tolbergcollege Molendaal", "vmbo"),
        ("kind", "Kindcentrum Zonnewijzer", "po"),
        ("ob", "Opleidingsbedrijf Bouw Heuvelzoom", "branche"),
        ("gb", "Bouwbedrijf Gebr. Stokman B.V.", "bedrijf"),
        ("gr", "Gemeente Ravenhorst", "gemeente"),
        ("gm", "Gemeente Molendaal", "gemeente"),
    ]
    return [Organisation(i, "c", name, t, kinds=DEFAULT_TYPES.answers_to(t)) for i, name, t in rows]


def _detector() -> Detector:
    return Detector(_orgs(), ["Heuvelzoom"], use_model=False, places=TOWNS)


def _found(text: str, speakers: list[SpeakerSpan] | None = None) -> dict[str, str | None]:
    prefix = "Wij spraken Jan Bakker en Els Mol over Gemeente Ravenhorst. "
    spans = [
        SpeakerSpan(s.start + len(prefix), s.end + len(prefix), s.organisation_id)
        for s in speakers or []
    ]
    found = _detector().detect(prefix + text, spans)
    return {f.surface: f.organisation_id for f in found if f.start >= len(prefix)}


def test_a_kind_compound_leaves_the_name_proper_and_names_the_kind() -> None:
    forms = dict(derive("Kindcentrum Zonnewijzer"))
    assert forms.get("Zonnewijzer") == "no-type-words"
    assert forms.get("Kindcentrum") == "type-word"
    assert (
        dict(derive("Opleidingsbedrijf Bouw Heuvelzoom", ["Heuvelzoom"])).get("Opleidingsbedrijf")
        == "type-word"
    )
    # a compound ending in 'vereniging' keeps its own rule: the kind is what people call it
    assert "Esveld" not in dict(derive("Ondernemersvereniging Esveld Noord"))


def test_a_family_firm_marker_leaves_the_family_name() -> None:
    forms = dict(derive("Bouwbedrijf Gebr. Stokman B.V.", company=True))
    assert forms.get("Stokman") == "no-type-words"
    assert "Gebr. Stokman" not in forms
    assert dict(derive("Fa. Jansen Installaties", company=True)).get("Jansen") is not None


def test_a_one_word_name_ending_in_its_kind_gives_its_front() -> None:
    assert dict(derive("Tolbergcollege Molendaal", TOWNS)).get("Tolberg") == "compound-front"
    assert _found("De rector van het Tolberg belde.").get("Tolberg") == "lc"
    # too short a front, or a lowercase word inside, gives none
    assert "Vak" not in dict(derive("Vakcollege Molendaal", TOWNS))


def test_the_article_picks_the_partner_whose_name_takes_it() -> None:
    assert name_article("Keienberg College") == "het"
    assert name_article("Keienberg Vakschool") == "de"
    assert name_article("Brinkcollege") == "het"
    assert name_article("Technova Systems") is None
    names = [(o.id, o.name) for o in _orgs() if o.id in ("kc", "kv", "ks")]
    assert agreeing("het", names) == ["kc"]
    assert sorted(agreeing("de", names)) == ["ks", "kv"]  # two 'de' names: still a choice
    found = _found("Wij huren de hal achter het Keienberg, aan de Industrieweg.")
    assert found.get("Keienberg") == "kc"
    found = _found("Twee docenten van de Keienberg komen langs.")
    assert found.get("Keienberg") is None  # vakschool or onderwijsgroep: the analyst decides


def test_a_chat_line_typed_without_capitals_counts_its_lowercase_names() -> None:
    chat = (
        "Export van de groepsapp, met toestemming.\n"
        "[17-01-22 08:05] Bart Stokman: ik breng de jongens naar zonnewijzer. daarna naar huis\n"
        "[17-01-22 08:07] Els Mol: Prima. Ik Zie Jullie Daar.\n"
    )
    assert typed_in_lowercase(chat, chat.index("zonnewijzer"))
    assert not typed_in_lowercase(chat, chat.index("Zie"))
    prose = "We gingen naar de school.\nDaarna spraken we nog over zonnewijzer en zo.\n"
    assert not typed_in_lowercase(prose, prose.index("zonnewijzer"))  # sentence opens capitalised
    found = {f.surface: f.organisation_id for f in _detector().detect(chat)}
    assert found.get("zonnewijzer") == "kind"


def test_with_two_municipalities_de_gemeente_is_the_municipal_speakers_own() -> None:
    text = "De gemeente betaalt de helft van de bus."
    assert _found(text).get("De gemeente") is None
    spoken = _found(text, [SpeakerSpan(0, len(text), "gm")])
    assert spoken.get("De gemeente") == "gm"
    by_school = _found(text, [SpeakerSpan(0, len(text), "kc")])
    assert by_school.get("De gemeente") is None  # a school's speaker has no gemeente of its own


def test_a_plural_compound_on_a_shared_word_is_the_group() -> None:
    index = VariantIndex(_orgs(), ["Heuvelzoom"], TOWNS)
    groups = shared_name_groups("met de docenten van beide keienbergscholen", index)
    assert [sorted(ids) for _, ids in groups] == [["kc", "ks", "kv"]]
    assert shared_name_groups("de twee Keienbergmiddagen", index) == []


def test_a_town_after_an_office_with_a_name_or_as_a_subordinate_subject_is_its_municipality() -> (
    None
):
    hits = _found(
        '"Dat is duur," zegt wethouder Froukje de Boer van Molendaal. '
        "De beleidsadviseur meldt dat Molendaal ook in 2022 een derde van de huur betaalt."
    )
    assert [s for s, o in hits.items() if o == "gm"] == ["Molendaal"]
    found = _detector().detect(
        "Zegt wethouder Froukje de Boer van Molendaal. Hij meldt dat Molendaal ook betaalt."
    )
    assert len([f for f in found if f.organisation_id == "gm"]) == 2
    # the town as a place in a subordinate clause stays the town
    found = _detector().detect("Ze zegt dat Molendaal een mooi dorp aan de rivier is.")
    assert [f for f in found if f.organisation_id == "gm"] == []
