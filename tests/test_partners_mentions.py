"""Mention detection: a gold list, generated variants, generic references, the project side."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from casebook.core.cases import ensure_case
from casebook.core.documents import DocumentMeta, import_file
from casebook.partners.mentions import (
    Detector,
    Found,
    SpeakerSpan,
    detect_case,
    list_mentions,
    set_mention,
)
from casebook.partners.registry import (
    Organisation,
    add_alias,
    add_organisation,
    import_partners_csv,
    normalise_type,
    resolve_organisation,
)
from casebook.partners.review import accept_candidate, list_candidates, reject_candidate
from casebook.store.project import Project
from tests.conftest import FIXTURES, REPO

GOLD_TEXT = FIXTURES / "partners_gold.txt"
GOLD_CSV = FIXTURES / "partners_gold.csv"
MARK = re.compile(r"\[\[([^|\]]+)\|([^\]]+)\]\]")


def gold_registry() -> list[Organisation]:
    with GOLD_CSV.open(encoding="utf-8", newline="") as fh:
        return [
            Organisation(
                f"org{i}",
                "case",
                r["organisation"],
                normalise_type(r["type"]),
                [a for a in r["aliases"].split(";") if a],
            )
            for i, r in enumerate(csv.DictReader(fh))
        ]


def gold_text() -> tuple[str, list[tuple[int, int, str]]]:
    """The text without markup, and (start, end, organisation name or '?') per marked mention."""
    raw = GOLD_TEXT.read_text(encoding="utf-8")
    text, spans, pos = "", [], 0
    for m in MARK.finditer(raw):
        text += raw[pos : m.start()]
        spans.append((len(text), len(text) + len(m.group(1)), m.group(2)))
        text += m.group(1)
        pos = m.end()
    return text + raw[pos:], spans


_DETECTORS: dict[tuple[str, ...], Detector] = {}


def detect(text: str, orgs: list[Organisation], speaker: str | None = None) -> list[Found]:
    key = tuple(f"{o.id}={o.name}={o.type}" for o in orgs)
    if key not in _DETECTORS:
        _DETECTORS[key] = Detector(orgs, ["Kraaienburg"], use_model=False)
    return _DETECTORS[key].detect(text, [SpeakerSpan(0, len(text), speaker)] if speaker else [])


def test_gold_recall_and_precision_on_registered_organisations() -> None:
    orgs = gold_registry()
    by_name = {o.name: o.id for o in orgs}
    text, gold = gold_text()
    found = detect(text, orgs, by_name["Het Windhoek College"])
    registered = [g for g in gold if g[2] != "?"]
    predicted = [f for f in found if f.organisation_id]
    hit_gold = [
        g
        for g in registered
        if any(
            f.start < g[1] and g[0] < f.end and f.organisation_id == by_name[g[2]]
            for f in predicted
        )
    ]
    correct = [
        f
        for f in predicted
        if any(
            f.start < g[1] and g[0] < f.end and f.organisation_id == by_name[g[2]]
            for g in registered
        )
    ]
    recall = len(hit_gold) / len(registered)
    precision = len(correct) / len(predicted)
    missed = [text[g[0] : g[1]] for g in registered if g not in hit_gold]
    wrong = [(f.surface, f.organisation_id) for f in predicted if f not in correct]
    assert len(registered) >= 50
    assert recall >= 0.95, missed
    assert precision >= 0.90, wrong


def test_gold_ambiguous_generic_stays_unresolved_and_unknowns_go_to_review() -> None:
    text, gold = gold_text()
    found = detect(text, gold_registry())
    for start, end, name in gold:
        if name == "?":
            hits = [f for f in found if f.start < end and start < f.end]
            assert [(f.status, f.organisation_id) for f in hits] == [("unresolved", None)]
    candidates = {f.candidate for f in found if f.status == "candidate"}
    assert {"Bouwbedrijf Kramer", "Stichting Techniekpact", "Provincie Noordmark"} <= candidates
    assert not any("Anouk" in c or "Wethouder" in c or "Meneer" in c for c in candidates if c)


def _delete_letter(word: str, i: int) -> str:
    return word[:i] + word[i + 1 :]


def test_generated_misspellings_resolve_to_the_right_organisation() -> None:
    orgs = gold_registry()
    misses: list[str] = []
    tried = 0
    for org in orgs:
        longest = max(org.name.split(), key=len)
        if len(longest) < 7:
            continue
        for i in range(1, len(longest) - 1):
            variant = org.name.replace(longest, _delete_letter(longest, i))
            text = f"Vorig jaar zijn we met {variant} een project begonnen rond het techlab."
            found = [f for f in detect(text, orgs) if f.organisation_id]
            tried += 1
            if [f.organisation_id for f in found] != [org.id]:
                misses.append(variant)
    assert tried > 60
    assert len(misses) / tried <= 0.05, misses


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("ROC MAASDELTA", "ROC Maasdelta"),
        ("Roc Maasdelta", "ROC Maasdelta"),
        ("Maasdelta's", "ROC Maasdelta"),
        ("Maasdelta", "ROC Maasdelta"),
        ("ROC-Maasdelta", "ROC Maasdelta"),
        ("Van der Heijden", "Van der Heijden Installatietechniek B.V."),
        ("Van der Heijde", "Van der Heijden Installatietechniek B.V."),
        ("van der Heijden Installatietechniek", "Van der Heijden Installatietechniek B.V."),
        ("Smits", "Bouwbedrijf Smits & Zonen"),
        ("Technova", "Technova Systems"),
        ("Lyceum Kraaienburg", "Kraaienburg Lyceum"),
        ("Regeboog", "OBS De Regenboog"),
    ],
)
def test_variants_abbreviations_and_misspellings(written: str, name: str) -> None:
    orgs = gold_registry()
    found = [
        f for f in detect(f"Daarna sprak ik met {written} over stages.", orgs) if f.organisation_id
    ]
    assert [next(o.name for o in orgs if o.id == f.organisation_id) for f in found] == [name]


@pytest.mark.parametrize(
    "sentence",
    [
        "Daarna zagen we de valk boven het veld.",  # lowercase common noun, not De Valk
        "Voor die leerlingen is dat een grote sprong.",
        "De regio Kraaienburg is groot.",  # the region, not Gemeente Kraaienburg
        "Ik sprak Anouk Smits in de pauze.",  # a person
        "Meneer Smits gaf een toelichting.",
        "Ook Jan de Valk was erbij.",
        "In het plan staat dat de gemeente Zandvoort wilde aansluiten.",  # another gemeente
    ],
)
def test_no_false_mentions(sentence: str) -> None:
    assert [f.surface for f in detect(sentence, gold_registry()) if f.organisation_id] == []


def test_generic_references_resolve_only_when_unambiguous() -> None:
    one_mbo = [
        Organisation("roc", "c", "ROC Maasdelta", "mbo"),
        Organisation("gem", "c", "Gemeente Kraaienburg", "gemeente"),
        Organisation("prov", "c", "Provincie Westerland", "gemeente"),
        Organisation("po1", "c", "OBS De Regenboog", "po"),
        Organisation("po2", "c", "CBS Het Kompas", "po"),
        Organisation("vmbo", "c", "Het Windhoek College", "vmbo-penvoerder"),
    ]
    text = (
        "Het ROC en de gemeente en de provincie en de basisschool en onze school en ons eigen ROC."
    )
    found = {f.surface: (f.organisation_id, f.status) for f in detect(text, one_mbo, "vmbo")}
    assert found == {
        "ROC": ("roc", "auto"),  # the only ROC; the article is not part of the name
        "de gemeente": ("gem", "auto"),
        "de provincie": ("prov", "auto"),
        "de basisschool": (None, "unresolved"),
        "onze school": ("vmbo", "auto"),
        "ons eigen ROC": ("roc", "auto"),
    }
    two_mbo = [*one_mbo, Organisation("roc2", "c", "ROC Zandrijk", "mbo")]
    hits = detect("Bij het ROC gaat het goed.", two_mbo)
    assert {f.surface: (f.organisation_id, f.status) for f in hits} == {"ROC": (None, "unresolved")}
    assert sorted(hits[0].choices) == ["roc", "roc2"]  # both ROCs offered to the coder
    # A possessive from someone working at one of the two ROCs names their own.
    found = {f.surface: f.organisation_id for f in detect("Ons ROC doet mee.", two_mbo, "roc2")}
    assert found == {"Ons ROC": "roc2"}


def test_lowercase_transcript_still_matches() -> None:
    orgs = gold_registry()
    found = detect("ja, en toen kwam de valk erbij, en ook roc maasdelta.", orgs)
    names = {
        next(o.name for o in orgs if o.id == f.organisation_id) for f in found if f.organisation_id
    }
    assert names == {"Scholengemeenschap De Valk", "ROC Maasdelta"}


# --- the project side ------------------------------------------------------------------


TRANSCRIPT = (
    "Interviewer: Hoe loopt de samenwerking met het ROC?\n"
    "Marieke (ROC Maasdelta): Goed. Wij werken met Het Windhoek College aan een techlab.\n"
    "Interviewer: En Bouwbedrijf Kramer?\n"
    "Marieke (ROC Maasdelta): Bouwbedrijf Kramer levert stageplekken, net als Van der Heijde.\n"
    "Interviewer: Doet Technova Systems mee?\n"
    "Marieke (ROC Maasdelta): Ons ROC wel, Technova nog niet.\n"
)


@pytest.fixture
def region(project: Project, tmp_path: Path) -> tuple[Project, str, str]:
    import_partners_csv(project, GOLD_CSV)
    path = tmp_path / "mbo.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    doc = import_file(project, path, DocumentMeta(case="Kraaienburg", role="mbo")).document_id
    case_id = project.scalar("SELECT id FROM cases WHERE name = 'Kraaienburg'")
    return project, case_id, doc


def test_detect_case_stores_spans_that_match_the_text(region: tuple[Project, str, str]) -> None:
    project, case_id, doc = region
    summary = detect_case(project, case_id)
    assert not summary.skipped and summary.documents == 1
    text = project.scalar("SELECT text FROM document_texts WHERE document_id = ?", (doc,))
    rows = list_mentions(project, document_id=doc)
    assert rows and all(text[r["start"] : r["end"]] == r["surface"] for r in rows)
    resolved = {(r["surface"], r["organisation"]) for r in rows if r["organisation"]}
    assert ("ROC", "ROC Maasdelta") in resolved  # "het ROC": the article is not part of the name
    assert ("Van der Heijde", "Van der Heijden Installatietechniek B.V.") in resolved
    # The speaker label says Marieke works at ROC Maasdelta, so 'Ons ROC' is hers.
    assert ("Ons ROC", "ROC Maasdelta") in resolved
    assert [c["name"] for c in list_candidates(project, case_id)] == ["Bouwbedrijf Kramer"]
    assert list_candidates(project, case_id)[0]["count"] == 2
    assert detect_case(project, case_id).skipped


def test_coder_verdicts_survive_detection(region: tuple[Project, str, str]) -> None:
    project, case_id, doc = region
    detect_case(project, case_id)
    techno = next(r for r in list_mentions(project, document_id=doc) if r["surface"] == "Technova")
    set_mention(project, techno["id"], None, reject=True)
    detect_case(project, case_id, force=True)
    rows = [r for r in list_mentions(project, document_id=doc) if r["start"] == techno["start"]]
    assert [(r["status"], r["organisation_id"]) for r in rows] == [("rejected", None)]


def test_registry_changes_trigger_detection_again(region: tuple[Project, str, str]) -> None:
    project, case_id, doc = region
    detect_case(project, case_id)
    cand = list_candidates(project, case_id)[0]
    org_id = accept_candidate(project, cand["id"], type_="bedrijf")
    assert not detect_case(project, case_id).skipped
    kramer = [r for r in list_mentions(project, document_id=doc) if r["organisation_id"] == org_id]
    assert len(kramer) == 2 and list_candidates(project, case_id) == []
    add_alias(project, resolve_organisation(project, "Technova Systems")["id"], "Techno-club")
    assert not detect_case(project, case_id).skipped


def test_rejected_candidates_stay_rejected(region: tuple[Project, str, str]) -> None:
    project, case_id, _ = region
    detect_case(project, case_id)
    cand = list_candidates(project, case_id)[0]
    reject_candidate(project, cand["id"])
    detect_case(project, case_id, force=True)
    assert list_candidates(project, case_id) == []
    assert list_candidates(project, case_id, status="rejected")[0]["name"] == "Bouwbedrijf Kramer"
    assert project.scalar("SELECT count(*) FROM mentions WHERE status = 'candidate'") == 0


def test_accept_candidate_as_alias(region: tuple[Project, str, str]) -> None:
    project, case_id, _ = region
    detect_case(project, case_id)
    cand = list_candidates(project, case_id)[0]
    org = accept_candidate(project, cand["id"], alias_of="Bouwbedrijf Smits & Zonen")
    assert resolve_organisation(project, "Bouwbedrijf Kramer", case_id)["id"] == org


def test_other_case_registry_is_not_used(project: Project, tmp_path: Path) -> None:
    add_organisation(project, ensure_case(project, "Noord"), "ROC Noordkust", "mbo")
    path = tmp_path / "zuid.txt"
    path.write_text("We werken samen met ROC Noordkust.\n", encoding="utf-8")
    doc = import_file(project, path, DocumentMeta(case="Zuid")).document_id
    for case_id in [r["id"] for r in project.query("SELECT id FROM cases")]:
        detect_case(project, case_id)
    assert [r["organisation_id"] for r in list_mentions(project, document_id=doc)] == [None]


# --- the demo corpus -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Project:
    if not (REPO / "corpus" / "manifest.csv").exists() or not list(
        (REPO / "corpus" / "partners").glob("*.csv")
    ):
        pytest.skip(
            "the demo corpus (corpus/manifest.csv, corpus/partners/*.csv) is not in this checkout"
        )
    from casebook.demo import build_demo
    from casebook.store.project import open_project

    target = tmp_path_factory.mktemp("demo") / "casebook.db"
    build_demo(target)
    p = open_project(target)
    yield p
    p.close()


def test_demo_every_full_name_in_the_text_is_found(demo: Project) -> None:
    from casebook.partners.mentions import detect_all

    detect_all(demo)
    checked = 0
    for doc in demo.query(
        "SELECT d.id, d.case_id, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id"
    ):
        mentions = list_mentions(demo, document_id=doc["id"])
        for org in demo.query(
            "SELECT id, name FROM organisations WHERE case_id = ?", (doc["case_id"],)
        ):
            for m in re.finditer(
                rf"(?<!\w){re.escape(org['name'])}(?!\w)", doc["text"], re.IGNORECASE
            ):
                checked += 1
                assert any(
                    r["start"] <= m.start() < r["end"] and r["organisation_id"] == org["id"]
                    for r in mentions
                ), (org["name"], doc["text"][max(0, m.start() - 40) : m.end() + 20])
    assert checked >= 30


def test_demo_mentions_are_plausible(demo: Project) -> None:
    from rapidfuzz import fuzz

    from casebook.partners.mentions import derived_variants, detect_all

    detect_all(demo)
    rows = list_mentions(demo)
    resolved = [r for r in rows if r["organisation_id"] and r["method"] != "generic"]
    assert len(resolved) >= 150
    names: dict[str, list[str]] = {}
    for r in demo.query(
        "SELECT o.id, o.name, a.alias FROM organisations o LEFT JOIN organisation_aliases a "
        "ON a.organisation_id = o.id"
    ):
        forms = names.setdefault(r["id"], [r["name"], *derived_variants(r["name"])])
        if r["alias"]:
            forms += [r["alias"], *derived_variants(r["alias"])]
    implausible = [
        r["surface"]
        for r in resolved
        if max(fuzz.ratio(r["surface"].lower(), n.lower()) for n in names[r["organisation_id"]])
        < 80
    ]
    assert implausible == []
    per_case = {r["case_name"] for r in resolved}
    assert per_case == {r["name"] for r in demo.query("SELECT name FROM cases")}


def test_new_detection_rules_detect_again(
    region: tuple[Project, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgrade that changes the rules must not leave mentions found by the old ones."""
    from casebook.partners import storage

    project, case_id, _ = region
    detect_case(project, case_id)
    assert detect_case(project, case_id).skipped
    monkeypatch.setattr(storage, "rules_fingerprint", lambda: "rules of another release")
    assert not detect_case(project, case_id).skipped
    assert detect_case(project, case_id).skipped
