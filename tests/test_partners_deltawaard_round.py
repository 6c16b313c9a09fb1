"""Issue 14, Deltawaard round: names said to be one, the neighbouring gemeente, towns that act.

People tell an interviewer what they call a school ('De Zeester, dat is
"de Dijkstraat"'), ask back ('U zegt de Havencampus, dat is ROC X?') or
write that a firm succeeds an older one; the other name then counts as
the organisation wherever the case's documents write it. A municipal
officer's 'de buurgemeente' is the other of two municipalities; a town
one works 'samen met', or that is said to be a gemeente, is the
municipality. All names are invented for these tests (region Schorland:
towns Kwelderhaven, Slikdorp).
"""

from __future__ import annotations

from casebook.orgtypes import DEFAULT_TYPES
from casebook.partners.detection import Detector, SpeakerSpan
from casebook.partners.registry import Organisation
from casebook.partners.renamings import renamed_forms

TOWNS = ["Kwelderhaven", "Slikdorp"]


def _orgs() -> list[Organisation]:
    rows = [
        ("zs", "Scholengemeenschap De Zeester", "vmbo-penvoerder"),
        ("pm", "Praktijkschool De Boei", "vso/pro"),
        ("roc", "ROC Schorland", "mbo"),
        ("vis", "Visverwerking Slikdorp B.V.", "bedrijf"),
        ("gk", "Gemeente Kwelderhaven", "gemeente"),
        ("gs", "Gemeente Slikdorp", "gemeente"),
    ]
    return [Organisation(i, "c", name, t, kinds=DEFAULT_TYPES.answers_to(t)) for i, name, t in rows]


def _found(text: str, speakers: list[SpeakerSpan] | None = None) -> dict[str, str | None]:
    found = Detector(_orgs(), ["Schorland"], use_model=False, places=TOWNS).detect(
        text, speakers or []
    )
    return {f.surface: f.organisation_id for f in found}


def _renamed(text: str, names: dict[str, str]) -> dict[str, str]:
    spans = []
    for name, org in names.items():
        at = text.index(name)
        spans.append((at, at + len(name), org))
    return dict(renamed_forms(text, spans))


def test_a_name_said_to_be_the_same_is_the_same() -> None:
    text = (
        'Niemand zegt De Zeester, dat is "de Dijkstraat", en De Boei is "het Wachthuis". '
        "U zegt de Havencampus, dat is ROC Schorland? "
        "Visverwerking Slikdorp B.V. is sinds 2020 de rechtsopvolger van Rokerij Zeeuwenhoek."
    )
    forms = _renamed(
        text,
        {
            "De Zeester": "zs",
            "De Boei": "pm",
            "ROC Schorland": "roc",
            "Visverwerking Slikdorp B.V.": "vis",
        },
    )
    assert forms.get("de Dijkstraat") == "zs"
    assert forms.get("het Wachthuis") == "pm"
    assert forms.get("de Havencampus") == "roc"
    assert forms.get("Rokerij Zeeuwenhoek") == "vis"


def test_what_a_name_is_is_not_another_name() -> None:
    # without quotes a verb says what X is; lowercase words and a clause going on are no name
    text = "De Zeester is de Penvoerder van alles. De Boei, dat is de school die het meest doet."
    assert _renamed(text, {"De Zeester": "zs", "De Boei": "pm"}) == {}


def test_the_other_name_counts_later_in_the_text() -> None:
    found = _found(
        'De Zeester, dat is "de Dijkstraat", doet mee. Onze leerlingen gaan naar de Dijkstraat.'
    )
    assert found.get("Dijkstraat") == "zs"


def test_the_neighbouring_municipality_is_the_other_one() -> None:
    text = "Wij betalen de bus en de buurgemeente betaalt de helft."
    own = [SpeakerSpan(0, len(text), "gk")]
    assert _found(text, own).get("de buurgemeente") == "gs"
    # said by someone from neither, it could be either
    school = [SpeakerSpan(0, len(text), "zs")]
    assert _found(text, school).get("de buurgemeente") is None


def test_a_town_one_works_with_or_that_is_a_gemeente_is_the_municipality() -> None:
    found = _found("We hebben samen met Slikdorp de bus aangepast.")
    assert found.get("Slikdorp") == "gs"
    assert _found("Slikdorp is een kleine dorpsgemeente.").get("Slikdorp") == "gs"
    assert (
        _found("Kwelderhaven koppelt STO aan het arbeidsmarktbeleid.").get("Kwelderhaven") == "gk"
    )
    # the place stays the place
    assert _found("Slikdorp ligt aan de dijk.").get("Slikdorp") is None
    assert _found("We wonen in Slikdorp en gaan naar zee.").get("Slikdorp") is None
