"""Issue 14, Lauwerskwartier round: who speaks in mail threads and surveys, and groups by name.

The writer of each mail of a pasted e-mail thread (sender line or signature);
a survey respondent known only by type ('Respondent 6 (mbo):') or naming
their organisation outright ('wij zijn X', 'Wij (X)', 'Vanuit X:'); plurals
built on a type word ('de vmbo- en pro-scholen'); the partners sharing a name
word as a group ('de twee Noorderlicht-scholen'); a family firm's surname
after an unknown given name or a verb of saying; a region word opening with
a compass point; a lowercase 'de x' typed for a name; a town alone on an
address line; a part of the municipality's territory; brands spelt with an
inner capital offered for review. All names are invented for these tests
(region Wadland: towns Helmdijk, Stormwoude, Kwelderwerd).
"""

from __future__ import annotations

from pathlib import Path

from casebook.codes.codebook import resolve_code
from casebook.codes.io import import_codebook
from casebook.core.cases import ensure_case
from casebook.core.codings import add_coding
from casebook.core.documents import DocumentMeta, document_text, import_file
from casebook.orgtypes import DEFAULT_TYPES
from casebook.partners.candidates import Taken
from casebook.partners.detection import Detector
from casebook.partners.groups import group_references, shared_name_groups
from casebook.partners.links import propose_partners
from casebook.partners.lone import lone_names
from casebook.partners.regionword import shared_region_words
from casebook.partners.registry import Organisation, add_organisation
from casebook.partners.senders import mails, sender_organisations
from casebook.partners.variants import VariantIndex
from casebook.store.project import Project
from tests.conftest import REPO

TOWNS = ["Helmdijk", "Stormwoude", "Kwelderwerd"]


def _orgs() -> list[Organisation]:
    rows = [
        ("nh", "Noorderlicht College Helmdijk", "vmbo-penvoerder"),
        ("ns", "Noorderlicht College Stormwoude", "vmbo"),
        ("ri", "Christelijk Vmbo De Ridsel", "vmbo"),
        ("pk", "Praktijkschool Kwelderwerd", "vso/pro"),
        ("roc", "ROC Wadkust", "mbo"),
        ("wsp", "Werkgeversservicepunt Wadkust", "overig"),
        ("gem", "Gemeente Helmdijk", "gemeente"),
        ("hof", "Metaalbedrijf Hofstra & Zn.", "bedrijf"),
    ]
    return [Organisation(i, "c", name, t, kinds=DEFAULT_TYPES.answers_to(t)) for i, name, t in rows]


def _detector() -> Detector:
    places = [*TOWNS, *shared_region_words(o.name for o in _orgs())]
    return Detector(_orgs(), ["Wadland"], use_model=False, places=places)


def _hits(text: str) -> dict[str, str | None]:
    prefix = "Wij spraken Jan Bakker en Els Mol over ROC Wadkust. "
    found = _detector().detect(prefix + text)
    return {f.surface: f.organisation_id for f in found if f.start >= len(prefix)}


def test_a_region_word_opening_with_a_compass_point_is_the_region() -> None:
    assert shared_region_words(["ROC Zeekust", "Werkgeversservicepunt Zeekust"]) == []
    assert shared_region_words(["ROC Noordkust", "Werkgeversservicepunt Noordkust"]) == [
        "Noordkust"
    ]
    # an ordinary word two firms end on is still no region
    assert shared_region_words(["Smit Installatietechniek", "Groen Installatietechniek"]) == []


def test_without_the_region_word_the_initials_and_the_head_name_the_partner() -> None:
    orgs = [
        Organisation("roc", "c", "ROC Noordkust", "mbo"),
        Organisation("wsp", "c", "Werkgeversservicepunt Noordkust", "overig"),
    ]
    places = shared_region_words(o.name for o in orgs)
    d = Detector(orgs, [], use_model=False, places=places)
    text = "Via het WSP kwamen ze bij ons. Het Werkgeversservicepunt helpt ook zij-instromers."
    found = {f.surface: f.organisation_id for f in d.detect(text)}
    assert found.get("WSP") == "wsp"
    assert found.get("Werkgeversservicepunt") == "wsp"


def test_an_unknown_given_name_or_a_verb_of_saying_makes_the_surname_a_person() -> None:
    hits = _hits(
        "Bij Hofstra lopen twee stagiairs. Wiebo Hofstra wil er meer. "
        '"Dat kost tijd," zegt Hofstra. Het gebouw van Hofstra staat aan de haven.'
    )
    assert hits.get("Hofstra") == "hof"  # 'Bij Hofstra' and 'van Hofstra': the firm
    found = _detector().detect("Wiebo Hofstra wil er meer. Dat zegt Hofstra ook.")
    assert [f for f in found if f.organisation_id == "hof"] == []
    # a known word before it is no given name: the firm's own type word, a place
    assert _hits("Het Metaalbedrijf Hofstra zoekt mensen.").get("Metaalbedrijf Hofstra") == "hof"


def test_a_name_typed_in_lowercase_after_its_article_still_counts() -> None:
    text = (
        "De Ridsel doet mee. Met De Ridsel gaat het goed. Bij De Ridsel staat de lasrobot.\n"
        "respondent 2: gastlessen op de ridsel, 2x per jaar."
    )
    found = {f.surface: f.organisation_id for f in _detector().detect(text)}
    assert found.get("de ridsel") == "ri"


def test_a_town_alone_on_an_address_line_or_after_a_comparison_is_the_town() -> None:
    hits = _hits(
        "Harm Vonk\ndirecteur\nMetaalbedrijf Hofstra & Zn.\nKwelderwerd\n\n"
        "Voor een school in een dorp als Kwelderwerd is dat duur. "
        "Volgende week komt Kwelderwerd langs met twintig leerlingen."
    )
    assert [s for s, o in hits.items() if o == "pk"] == ["Kwelderwerd"]
    found = _detector().detect("Voor een dorp als Kwelderwerd.\nKwelderwerd\n")
    assert [f for f in found if f.organisation_id == "pk"] == []


def test_a_part_of_the_municipality_is_the_territory() -> None:
    hits = _hits("In het noorden van de gemeente moet een techniekaanbod blijven.")
    assert "de gemeente" not in hits
    assert _hits("Daarover praten we met de gemeente.").get("de gemeente") == "gem"


def test_plurals_built_on_type_words_and_coordinated_fronts() -> None:
    refs = dict(group_references("alle vier de vmbo- en pro-scholen staan er"))
    (types,) = refs.values()
    fits = {o.id for o in _orgs() if o.is_a(types)}
    assert fits == {"nh", "ns", "ri", "pk"}
    refs = dict(group_references("beide roc's leveren studenten"))
    assert {o.id for o in _orgs() if o.is_a(next(iter(refs.values())))} == {"roc"}


def test_a_word_partners_share_counted_as_a_plural_names_all_of_them() -> None:
    index = VariantIndex(_orgs(), ["Wadland"], TOWNS)
    for passage in (
        "Vroeger waren de twee Noorderlicht-scholen concurrenten.",
        "Samen met de twee locaties van Noorderlicht maken ze een route.",
        "beide noorderlicht-locaties doen mee",
    ):
        groups = shared_name_groups(passage, index)
        assert [sorted(ids) for _, ids in groups] == [["nh", "ns"]], passage
    # counted, but the count is about something else: 'drie stagiairs van het Noorderlicht'
    assert shared_name_groups("Wij hebben drie stagiairs van het Noorderlicht.", index) == []
    assert shared_name_groups("Noorderlicht doet mee.", index) == []


THREAD = """Onderwerp: techniekdag

Van: Anneke Bosma
Aan: partners
Datum: 17 januari 2022

Wij als penvoerder sturen de uitnodigingen.

Groet,
Anneke

Anneke Bosma
coördinator
Noorderlicht College Helmdijk

Van: Harm Hofstra
Aan: Anneke Bosma
Datum: 17 januari 2022

Wij doen mee met de lasrobot.

mvg Harm
Metaalbedrijf Hofstra & Zn.
Kwelderwerd

> Wij als penvoerder sturen de uitnodigingen.
> Noorderlicht College Helmdijk
"""


def test_each_mail_of_a_thread_is_written_by_its_signatures_organisation() -> None:
    found = mails(THREAD)
    assert len(found) == 2
    first, second = found
    assert THREAD[first.start :].startswith("Van: Anneke")
    sig = THREAD[second.signature[0] : second.signature[1]]
    assert sig.startswith("mvg Harm") and ">" not in sig  # the quoted mail below is not his
    nh = THREAD.index("Noorderlicht College Helmdijk")
    hof = THREAD.index("Metaalbedrijf Hofstra")
    quoted = THREAD.index("> Noorderlicht") + 2
    mentions = [(nh, "nh"), (hof, "hof"), (quoted, "nh")]
    assert [org for _, _, org in sender_organisations(THREAD, mentions)] == ["nh", "hof"]
    # one sender line is a letter, not a thread: nobody is read from it
    assert mails("Van: Anneke\nAan: iedereen\n\nTekst.\n") == []


def _survey_project(project: Project, tmp_path: Path, text: str) -> tuple[str, str]:
    import_codebook(project, REPO / "codebooks" / "sto.yaml")
    case = ensure_case(project, "Wadland")
    ids = {
        o.id: add_organisation(project, case, o.name, o.type)
        for o in _orgs()
        if o.id in ("nh", "ns", "ri", "roc", "pk", "hof")
    }
    path = tmp_path / "peiling.txt"
    path.write_text(text, encoding="utf-8")
    doc = import_file(
        project, path, DocumentMeta(case="Wadland", kind="other", role="peiling")
    ).document_id
    return doc, ids


def test_a_respondent_known_by_type_or_naming_their_organisation_speaks_for_it(
    project: Project, tmp_path: Path
) -> None:
    doc, ids = _survey_project(
        project,
        tmp_path,
        "Partnerpeiling Wadland\n\n"
        "Respondent 1 (mbo): We hebben een afspraak met De Ridsel over doorstroomdagen.\n\n"
        "Respondent 2 (vmbo): Wij (Noorderlicht College Stormwoude) delen een docent met "
        "De Ridsel.\n\n"
        "Respondent 3 (bedrijf): Vanuit Metaalbedrijf Hofstra: we leveren stageplekken aan "
        "De Ridsel.\n\n"
        "Respondent 4 (vmbo): We werken vooral met De Ridsel.\n",
    )
    text = document_text(project, doc)
    code = resolve_code(project, "SAM.VMBO_MBO")["id"]
    proposed = []
    for quote in (
        "We hebben een afspraak met De Ridsel over doorstroomdagen.",
        "delen een docent met De Ridsel.",
        "we leveren stageplekken aan De Ridsel.",
        "We werken vooral met De Ridsel.",
    ):
        start = text.index(quote)
        coding = add_coding(project, doc, code, start, start + len(quote))
        proposed.append({p.organisation_id for p in propose_partners(project, coding)})
    assert proposed[0] == {ids["roc"], ids["ri"]}  # the case's one mbo partner answered
    assert proposed[1] == {ids["ns"], ids["ri"]}  # 'Wij (X)'
    assert proposed[2] == {ids["hof"], ids["ri"]}  # 'Vanuit X:' opening the answer
    assert proposed[3] == {ids["ri"]}  # one of three vmbo schools: nobody can say which


def test_a_brand_spelt_with_an_inner_capital_is_offered_for_review() -> None:
    text = "We doen dat samen met de jongens van FrostLine. Onze McDonald-vestiging niet."
    found = [s for _, _, s in lone_names(text, Taken([]))]
    assert "FrostLine" in found
    assert lone_names("FrostLine", Taken([(0, 9)])) == []  # never over a resolved mention
