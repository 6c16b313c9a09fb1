"""Issue 14: lone words and letter abbreviations offered for review (casebook/partners/lone.py).

Invented names only. A lone candidate resolves nothing; these tests hold
what is offered and what is kept out.
"""

from __future__ import annotations

import os

from casebook.partners.candidates import Taken
from casebook.partners.detection import Detector
from casebook.partners.lone import lone_names
from casebook.partners.registry import Organisation


def _offered(text: str, **kw) -> list[str]:
    return [s for _, _, s in lone_names(text, Taken([]), **kw)]


def test_a_lone_name_after_bij_met_or_an_article_is_offered() -> None:
    text = "We lopen stage bij Kraaiwerf en overleggen met Duinhorst. Het Stokland doet niet mee."
    assert _offered(text) == ["Kraaiwerf", "Duinhorst", "Stokland"]
    assert _offered("Ik werk samen met de Zilverhal, al jaren.") == ["Zilverhal"]


def test_abbreviations_are_offered_but_not_everyday_ones_codes_or_speakers() -> None:
    text = "HB: Wij doen het met de KVO en de MBO-afdeling. R1 zei dat DUO betaalt, en de gemeente ook."
    assert _offered(text) == ["KVO"]


def test_places_given_names_rejections_and_sentence_openers_are_left_out() -> None:
    text = "Samen met Ellemeet gaan we naar de Stokhal. Overleg met Marieke over het Brakhuis."
    assert _offered(text, blocked=["Ellemeet", "Brakhuis"]) == ["Stokhal"]
    assert _offered("Kraaiwerf doet mee.") == []  # opens the sentence: could be anything
    assert _offered("bij Kraaiwerf Installaties") == []  # a longer name: the run pass has it


def test_type_words_are_not_lone_names() -> None:
    assert _offered("Overleg met het College en de KVO, bij Stichting.") == ["KVO"]


def test_a_heading_in_capitals_offers_nothing() -> None:
    assert _offered("VERSLAG OVERLEG KVO EN PARTNERS\nDe KVO was er.") == ["KVO"]


def test_the_detector_keeps_lone_candidates_off_resolved_mentions() -> None:
    os.environ.setdefault("CASEBOOK_BLANK_NLP", "1")
    orgs = [Organisation("w", "c", "Bouwbedrijf Kraaiwerf B.V.", "bedrijf")]
    found = Detector(orgs, [], use_model=False).detect(
        "Stage bij Kraaiwerf en bij Duinhorst, en de OKV betaalt."
    )
    by_surface = {f.surface: (f.organisation_id, f.status) for f in found}
    assert by_surface["Kraaiwerf"] == ("w", "auto")
    assert by_surface["Duinhorst"] == (None, "candidate")
    assert by_surface["OKV"] == (None, "candidate")
