"""The person registry: scanning, review commands, replacement and merging coders' files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.cli import cli
from casebook.demo import build_demo
from casebook.errors import InvalidInput, NotFound
from casebook.privacy.names import find_names
from casebook.privacy.policy import PrivacyOptions, build_privacy
from casebook.privacy.pseudonymise import Pseudonymiser, leftovers
from casebook.privacy.registry import (
    add_person,
    confirm_person,
    list_persons,
    reject_person,
    resolve_person,
    scan_persons,
)
from casebook.store.project import Project, open_project


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "casebook.db"
    build_demo(path)
    return path


def _copy(demo_db: Path, folder: Path) -> Project:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(demo_db, folder / "casebook.db")
    return open_project(folder / "casebook.db", create=False, coder="tester")


@pytest.fixture
def demo(demo_db: Path, tmp_path: Path) -> Project:
    p = _copy(demo_db, tmp_path / "a")
    yield p
    p.close()


def _by_name(project: Project) -> dict[str, object]:
    return {p.name: p for p in list_persons(project)}


def test_scan_registers_speakers_interviewers_and_candidates(demo: Project) -> None:
    labels = {
        r["label"]
        for r in demo.query(
            "SELECT DISTINCT label FROM segments WHERE kind = 'turn' AND speaker_kind = 'respondent'"
        )
    }
    summary = scan_persons(demo)
    persons = _by_name(demo)
    assert summary.documents == demo.scalar("SELECT count(*) FROM documents")
    pm = persons["Marloes Hendriks"]
    assert (pm.status, pm.role, pm.case, pm.source) == (
        "confirmed",
        "programmamanager",
        "Lindeveen",
        "speaker",
    )
    # respondent labels that are names are all registered
    assert {n for n in labels if n not in ("R",)} <= set(persons)
    # interviewers come from turn labels and the documents' interviewer field; short forms join them
    sanne = persons["Sanne Verbeek"]
    assert sanne.role == "interviewer" and sanne.case is None and "Sanne" in sanne.aliases
    assert "Sanne" not in persons
    interviewers = {
        r["interviewer"]
        for r in demo.query("SELECT DISTINCT interviewer FROM documents WHERE interviewer <> ''")
    }
    assert interviewers <= set(persons)
    # names mentioned in the text become candidates with an example to review
    candidates = [p for p in persons.values() if p.status == "candidate" and p.source == "pattern"]
    assert candidates
    for c in candidates:
        assert c.example and c.name.split()[-1] in c.example
    # generic labels never become persons
    assert not {"Interviewer", "I", "R"} & set(persons)


def test_rescan_is_idempotent_and_keeps_decisions(demo: Project) -> None:
    scan_persons(demo)
    before = {p.name: (p.status, p.count) for p in list_persons(demo)}
    some = next(p for p in list_persons(demo, "candidate"))
    reject_person(demo, some.name)
    again = scan_persons(demo)
    assert again.candidates_new == 0 and again.speakers == 0
    after = {p.name: (p.status, p.count) for p in list_persons(demo)}
    assert set(after) == set(before)
    assert after[some.name][0] == "rejected"
    assert all(after[n][1] == before[n][1] for n in before)


def test_review_commands(demo: Project) -> None:
    runner = CliRunner()
    base = ["--project", str(demo.path), "persons"]
    res = runner.invoke(cli, [*base, "scan"])
    assert res.exit_code == 0 and "new name candidates" in res.output
    res = runner.invoke(cli, [*base, "list", "--status", "candidate"])
    assert res.exit_code == 0 and "candidate" in res.output
    res = runner.invoke(cli, [*base, "confirm", "Fenna de Boer", "--role", "coördinator"])
    assert res.exit_code == 0, res.output
    assert resolve_person(demo, "Fenna de Boer").status == "confirmed"
    res = runner.invoke(cli, [*base, "confirm", "Fenna", "--alias-of", "Fenna de Boer"])
    assert res.exit_code == 0, res.output
    fenna = resolve_person(demo, "Fenna")
    assert (
        fenna.name == "Fenna de Boer" and "Fenna" in fenna.aliases and fenna.role == "coördinator"
    )
    res = runner.invoke(cli, [*base, "reject", "Smeenk"])
    assert res.exit_code == 0 and "rejected" in res.output
    res = runner.invoke(
        cli,
        [
            *base,
            "add",
            "Karel Appelman",
            "--role",
            "wethouder",
            "--case",
            "Duinmond",
            "--alias",
            "Appelman",
        ],
    )
    assert res.exit_code == 0, res.output
    karel = resolve_person(demo, "Appelman")
    assert (karel.status, karel.role, karel.case, karel.source) == (
        "confirmed",
        "wethouder",
        "Duinmond",
        "manual",
    )
    res = runner.invoke(cli, [*base, "confirm", "Marlous Hendrix"])
    assert res.exit_code == 1 and "did you mean Marloes Hendriks" in res.output
    res = runner.invoke(cli, [*base, "list", "--json"])
    assert res.exit_code == 0 and '"name": "Karel Appelman"' in res.output


def test_registry_errors(demo: Project) -> None:
    scan_persons(demo)
    with pytest.raises(NotFound):
        resolve_person(demo, "Niemand Bekend")
    with pytest.raises(InvalidInput):
        add_person(demo, "   ")
    with pytest.raises(InvalidInput, match="already the person"):
        add_person(demo, "Ilse Veldkamp", aliases=["Marloes Hendriks"])
    with pytest.raises(InvalidInput, match="alias of itself"):
        confirm_person(demo, "Ilse Veldkamp", alias_of="Ilse Veldkamp")


def test_replacement_labels_follow_the_registry(demo: Project) -> None:
    scan_persons(demo)
    text = "Marloes Hendriks vertelde dat Sanne het verslag had. Later belde mevrouw Hendriks nog."
    privacy = build_privacy(demo, PrivacyOptions(persons=True))
    out = privacy.text(text)
    assert out == (
        "[Programmamanager] vertelde dat [interviewer] het verslag had. "
        "Later belde mevrouw [programmamanager] nog."
    )
    named = build_privacy(demo, PrivacyOptions(persons=True, person_label="name", language="en"))
    assert named.text(text).startswith("[Name] vertelde dat [name]")
    assert "Hendriks" not in named.text(text)


def test_lower_case_words_are_not_names() -> None:
    p = Pseudonymiser()
    p.add("person", "Ben Smit", "[naam]")
    p.add("person", "Wouter van Beek", "[vmbo]")
    out = p.replace("Ik ben blij dat Ben kwam. Bij de beek stond Van Beek, ofwel Wouter.")
    assert out == "Ik ben blij dat [naam] kwam. Bij de beek stond [vmbo], ofwel [vmbo]."
    assert leftovers(out, ["Ben Smit", "Wouter van Beek"]) == []
    assert leftovers("ik ben er", ["Ben Smit"]) == []
    assert leftovers("Dan Ben ik er", ["Ben Smit"]) == ["Ben"]


def test_many_names_and_a_misspelling() -> None:
    p = Pseudonymiser()
    for i in range(2000):
        p.add("person", f"Persoon{i} Achternaam{i}x", "[naam]")
    p.add("person", "Annelies Hekkert", "[bedrijfsleven]")
    text = "Volgens Annelies Hekert en Persoon1999 gaat het goed; Persoon12 Achternaam12x ook."
    assert p.replace(text) == "Volgens [bedrijfsleven] en [naam] gaat het goed; [naam] ook."


def test_name_detection_stops_at_organisations() -> None:
    found = [
        h.text
        for h in find_names("Annelies Hekkert van Hekkert Metaaltechniek belde. Zeg maar Gert-Jan.")
    ]
    assert found == ["Annelies Hekkert", "Gert-Jan"]


def test_merging_coders_registries(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casebook.privacy.teammerge import merge_persons
    from casebook.team import merge as team_merge

    monkeypatch.setattr(team_merge, "EXTRA_STEPS", [("persons", merge_persons)])
    a = _copy(demo_db, tmp_path / "a")
    b = _copy(demo_db, tmp_path / "b")
    scan_persons(a)
    scan_persons(b)
    confirm_person(b, "Ilse Veldkamp", role="docent")
    reject_person(b, "Smeenk")
    confirm_person(a, "Smeenk")
    add_person(b, "Karel Appelman", aliases=["Appelman"])
    b.close()
    report = team_merge.merge_project(a, tmp_path / "b" / "casebook.db")
    ilse = resolve_person(a, "Ilse Veldkamp")
    assert (ilse.status, ilse.role) == ("confirmed", "docent")
    assert resolve_person(a, "Appelman").name == "Karel Appelman"
    assert resolve_person(a, "Smeenk").status == "confirmed"
    assert any("Smeenk" in c for c in report.conflicts)
    assert report.added.get("persons") == 1
    again = team_merge.merge_project(a, tmp_path / "b" / "casebook.db")
    assert not again.added.get("persons") and not again.added.get("person aliases")
    a.close()
