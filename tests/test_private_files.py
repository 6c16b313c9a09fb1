"""Files with personal data are owner-only; shared exports are not; keys list one row per person."""

from __future__ import annotations

import csv
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.cli import cli
from casebook.privacy.pseudonymise import Pseudonymiser
from casebook.store.backup import backup
from casebook.store.project import open_project
from tests.conftest import FIXTURES, TRANSCRIPT


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_private_files_under_a_permissive_umask(tmp_path: Path, umask_022: None) -> None:
    db = tmp_path / "casebook.db"
    transcript = tmp_path / "lindeveen.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    runner = CliRunner()
    base = ["--project", str(db), "--coder", "tester"]
    res = runner.invoke(cli, [*base, "codebook", "import", str(FIXTURES / "small-codebook.yaml")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        cli, [*base, "import", str(transcript), "--case", "Lindeveen", "--role", "mbo"]
    )
    assert res.exit_code == 0, res.output
    project = open_project(db, create=False)
    try:
        assert _mode(db) == 0o600
        for suffix in ("-wal", "-shm"):
            side = Path(f"{db}{suffix}")
            if side.exists():
                assert _mode(side) == 0o600, suffix
        copy = backup(project, "test")
        assert _mode(copy) == 0o600 and _mode(copy.parent) == 0o700
    finally:
        project.close()

    pack = tmp_path / "pack.db"
    res = runner.invoke(cli, [*base, "coder-pack", "export", str(pack), "--case", "Lindeveen"])
    assert res.exit_code == 0, res.output
    assert _mode(pack) == 0o600

    out = tmp_path / "shared" / "quotes.csv"
    out.parent.mkdir()
    res = runner.invoke(cli, [*base, "export", "quotes", str(out), "--pseudonymise"])
    assert res.exit_code == 0, res.output
    keys = list((tmp_path / "pseudonymisation-keys").glob("*.csv"))
    assert len(keys) == 1
    assert _mode(keys[0]) == 0o600 and _mode(keys[0].parent) == 0o700
    assert _mode(out) == 0o644  # meant to be shared: the usual mode
    assert _mode(transcript) == 0o644  # the umask is left as it was


def test_opening_a_readable_project_warns_with_the_fix(tmp_path: Path) -> None:
    db = tmp_path / "casebook.db"
    open_project(db).close()
    os.chmod(db, 0o644)
    res = CliRunner().invoke(cli, ["--project", str(db), "cases"])
    assert res.exit_code == 0, res.output
    warning = [line for line in res.stderr.splitlines() if "readable" in line]
    assert len(warning) == 1 and f"chmod go-rwx '{db}'" in warning[0]
    os.chmod(db, 0o600)
    res = CliRunner().invoke(cli, ["--project", str(db), "cases"])
    assert "readable" not in res.stderr


def test_key_file_has_one_row_per_person_with_only_their_forms(tmp_path: Path) -> None:
    p = Pseudonymiser()
    # Both persons share one replacement, as with --person-label name: rows must not mix.
    p.add("person", "Marieke Jansen", "[naam]")
    p.add("person", "Anke van der Heijden", "[naam]")
    p.add("person", "Joost Veenstra", "[naam]")
    p.context = "interview Marieke.docx"
    p.replace("Marieke zei tegen Anke dat Jansen later kwam.")
    p.context = "verslag 2022.pdf"
    p.replace("Mevrouw Van der Heijden schreef het plan.")
    key = tmp_path / "keys" / "key.csv"
    p.write_key(key)
    rows = list(csv.DictReader(key.open(encoding="utf-8")))
    assert [r["original"] for r in rows] == [
        "Marieke Jansen",
        "Anke van der Heijden",
        "Joost Veenstra",
    ]
    by_name = {r["original"]: r for r in rows}
    assert set(by_name["Marieke Jansen"]["seen_as"].split("; ")) == {"Marieke", "Jansen"}
    assert set(by_name["Anke van der Heijden"]["seen_as"].split("; ")) == {
        "Anke",
        "Van der Heijden",
    }
    assert by_name["Joost Veenstra"]["seen_as"] == ""
    assert by_name["Marieke Jansen"]["documents"] == "interview Marieke.docx"
    assert (
        by_name["Anke van der Heijden"]["documents"] == "interview Marieke.docx; verslag 2022.pdf"
    )
    assert _mode(key) == 0o600 and _mode(key.parent) == 0o700


def test_numbered_pseudonyms_follow_one_voice(tmp_path: Path) -> None:
    p = Pseudonymiser(numbered="Respondent")
    p.add("person", "Marieke Jansen", "")
    p.add("person", "Anke van der Heijden", "")
    p.add("person", "Joost Veenstra", "")
    out = p.replace(
        "Anke belde Marieke. Later zei Anke van der Heijden het opnieuw; Marieke Jansen knikte."
    )
    assert (
        out
        == "[Respondent 1] belde [Respondent 2]. Later zei [Respondent 1] het opnieuw; [Respondent 2] knikte."
    )
    key = tmp_path / "key.csv"
    p.write_key(key)
    rows = {r["original"]: r["replacement"] for r in csv.DictReader(key.open(encoding="utf-8"))}
    assert rows == {"Anke van der Heijden": "[Respondent 1]", "Marieke Jansen": "[Respondent 2]"}


def test_registry_organisations_are_never_person_candidates(coded_project) -> None:
    from casebook.core.cases import ensure_case
    from casebook.partners.registry import add_organisation
    from casebook.privacy.registry import _insert, replaceable_persons, scan_persons

    project, _doc = coded_project
    with project.transaction():  # proposed before the partner registry existed
        _insert(project, "Hekkert", status="candidate")
    case_id = ensure_case(project, "Lindeveen")
    add_organisation(project, case_id, "Hekkert Installatietechniek B.V.", "bedrijf")
    names = {p.name for p in replaceable_persons(project)}
    assert "Hekkert" not in names
    scan_persons(project)
    assert "Hekkert" not in {p.name for p in replaceable_persons(project)}


def test_pseudonymised_quote_list_hides_coders_and_numbers_respondents(
    coded_project, tmp_path: Path
) -> None:
    project, doc_id = coded_project
    res = CliRunner().invoke(
        cli,
        [
            "--project",
            str(project.path),
            "--coder",
            "Annelies",
            "code",
            doc_id,
            "--code",
            "BEL.TIJD",
            "--quote",
            "Eerlijk gezegd kost het veel tijd.",
            "--memo",
            "Marieke noemde dit twee keer",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = _export_rows(project, tmp_path)
    assert rows and all(r["coders"] == "coder 1" for r in rows)
    assert all("Marieke" not in r["memos"] + r["quote"] for r in rows)
    assert rows[0]["memos"] == "coder 1: [Respondent 1] noemde dit twee keer"


def _export_rows(project, tmp_path: Path) -> list[dict[str, str]]:
    out = tmp_path / "quotes.csv"
    key = tmp_path / "keys" / "key.csv"
    res = CliRunner().invoke(
        cli,
        [
            "--project",
            str(project.path),
            "--coder",
            "tester",
            "export",
            "quotes",
            str(out),
            "--pseudonymise",
            "--person-label",
            "pseudonym",
            "--key",
            str(key),
        ],
    )
    assert res.exit_code == 0, res.output
    keyrows = list(csv.DictReader(key.open(encoding="utf-8")))
    assert any(r["replacement"] == "[Respondent 1]" and r["documents"] for r in keyrows)
    from casebook.reports.labels import Labels

    # the CSV's headers are the catalogue's words; read the rows by column key
    names = {v: k for k, v in Labels("nl")["columns"].items()}
    return [
        {names.get(k, k): v for k, v in r.items()}
        for r in csv.DictReader(out.open(encoding="utf-8-sig"))
    ]
