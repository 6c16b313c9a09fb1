"""The command line as a user runs it: real binary, real files, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, TRANSCRIPT


def run(
    args: list[str], cwd: Path, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "casebook", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, proc.stderr
    for needle in needles:
        assert needle in errors[0]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "mbo.txt").write_text(TRANSCRIPT, encoding="utf-8")
    return tmp_path


def test_import_code_list_search_flow(workdir: Path) -> None:
    assert (
        run(["codebook", "import", str(FIXTURES / "small-codebook.yaml")], workdir).returncode == 0
    )
    proc = run(
        ["import", "mbo.txt", "--case", "Lindeveen", "--role", "mbo", "--round", "2022"], workdir
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 imported" in proc.stdout
    again = run(["import", "mbo.txt", "--case", "Lindeveen"], workdir)
    assert again.returncode == 0 and "1 already in the project" in again.stdout
    assert "already imported as mbo.txt" in again.stderr

    docs = json.loads(run(["docs", "--json"], workdir).stdout)
    assert len(docs) == 1 and docs[0]["turns"] == 4 and docs[0]["case_name"] == "Lindeveen"

    proc = run(
        [
            "--coder",
            "anouk",
            "code",
            "mbo.txt",
            "--code",
            "Belemmerende factoren/Tijd",
            "--quote",
            "kost het veel tijd",
        ],
        workdir,
    )
    assert proc.returncode == 0, proc.stderr
    codings = json.loads(run(["codings", "--json"], workdir).stdout)
    assert [(c["code"], c["coder"], c["quote"]) for c in codings] == [
        ("BEL.TIJD", "anouk", "kost het veel tijd")
    ]

    shown = run(["show", "mbo.txt", "--no-pager"], workdir).stdout
    assert "[Marieke]" in shown and "↳ BEL.TIJD (anouk" in shown

    hits = json.loads(run(["search", "rooster", "--json"], workdir).stdout)
    assert len(hits) == 1 and "vaste middag" in hits[0]["text"]
    fuzzy = json.loads(run(["search", "roostre", "--fuzzy", "--json"], workdir).stdout)
    assert any("rooster" in h["text"] for h in fuzzy)

    coding_id = codings[0]["id"]
    # anouk's coding: another coder is asked first (no terminal here: refused, naming her)
    refused = run(["uncode", coding_id[:8]], workdir)
    assert_one_line_error(refused, "anouk's, not yours", "--yes")
    assert len(json.loads(run(["codings", "--json"], workdir).stdout)) == 1
    assert run(["uncode", coding_id[:8], "--yes"], workdir).returncode == 0
    assert json.loads(run(["codings", "--json"], workdir).stdout) == []

    stats = json.loads(run(["stats", "--json"], workdir).stdout)
    assert stats["documents"] == 1 and stats["codes"] == 7


def test_project_option_and_env(workdir: Path) -> None:
    other = workdir / "other.db"
    run(["--project", str(other), "case", "add", "Duinmond", "--attr", "krimp=krimp"], workdir)
    assert other.exists()
    cases = json.loads(run(["cases", "--json"], workdir, {"CASEBOOK_PROJECT": str(other)}).stdout)
    assert cases[0]["name"] == "Duinmond" and cases[0]["attributes"] == {"krimp": "krimp"}


def test_case_attributes_typed(workdir: Path) -> None:
    run(["case", "add", "Lindeveen"], workdir)
    ok = run(
        ["case", "set", "Lindeveen", "subsidie:number=2400000", "start:date=2020-01-15"], workdir
    )
    assert ok.returncode == 0, ok.stderr
    bad = run(["case", "set", "Lindeveen", "subsidie=veel"], workdir)
    assert_one_line_error(bad, "subsidie", "number")
    csv_file = workdir / "cases.csv"
    csv_file.write_text(
        "case;regio_type;subsidie\nLindeveen;techniekregio;2500000\nRuwaard;techniekarme regio;1800000\n",
        encoding="utf-8",
    )
    assert run(["case", "import", str(csv_file)], workdir).returncode == 0
    cases = {
        c["name"]: c["attributes"] for c in json.loads(run(["cases", "--json"], workdir).stdout)
    }
    assert cases["Ruwaard"]["regio_type"] == "techniekarme regio"
    assert cases["Lindeveen"]["subsidie"] == "2500000"


def test_manifest_import_goes_on_past_bad_files(workdir: Path) -> None:
    (workdir / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (workdir / "empty.txt").write_bytes(b"")
    (workdir / "manifest.csv").write_text(
        "file,case,kind,role,round\n"
        "mbo.txt,Lindeveen,interview,mbo,2022\n"
        "binary.txt,Lindeveen,interview,mbo,2022\n"
        "empty.txt,Lindeveen,interview,mbo,2022\n"
        "missing.docx,Lindeveen,interview,mbo,2022\n",
        encoding="utf-8",
    )
    proc = run(["import", "--manifest", "manifest.csv"], workdir)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "1 imported, 0 already in the project, 3 failed" in proc.stdout
    assert "binary.txt: this is not a text file" in proc.stderr
    assert "empty.txt: the file is empty" in proc.stderr
    assert "missing.docx: no such file" in proc.stderr
    docs = json.loads(run(["docs", "--json"], workdir).stdout)
    assert [d["name"] for d in docs] == ["mbo.txt"]


@pytest.mark.parametrize(
    "args,needles",
    [
        (["import", "mbo.txt"], ["--case"]),
        (["import", "notes.xyz", "--case", "A"], []),
        (["import", "mbo.txt", "--case", "A", "--kind", "podcast"], ["podcast"]),
        (["show", "nothing-like-this"], ["no document matches"]),
        (["codebook", "import", "missing.yaml"], ["missing.yaml"]),
        (["--project", "folder-db", "docs"], ["folder"]),
    ],
)
def test_bad_input_gets_one_line(workdir: Path, args: list[str], needles: list[str]) -> None:
    (workdir / "notes.xyz").write_text("hello", encoding="utf-8")
    (workdir / "folder-db").mkdir()
    run(["case", "add", "A"], workdir)
    proc = run(args, workdir)
    if args[0] == "import" and args[1] == "notes.xyz":
        assert proc.returncode == 1 and "unknown file type '.xyz'" in proc.stderr
        assert "Traceback" not in proc.stderr
        return
    assert_one_line_error(proc, *needles)


def test_damaged_project_file(workdir: Path) -> None:
    bad = workdir / "broken.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00\xff" * 500)
    proc = run(["--project", str(bad), "docs"], workdir)
    assert_one_line_error(proc)


def test_coder_set_is_per_user(workdir: Path, tmp_path: Path) -> None:
    env = {"CASEBOOK_CONFIG_DIR": str(tmp_path / "cfg")}
    assert run(["coder", "set", "anouk"], workdir, env).returncode == 0
    assert run(["coder", "show"], workdir, env).stdout.strip() == "anouk"
    assert (tmp_path / "cfg" / "settings.json").exists()


def test_tui_refuses_without_terminal(workdir: Path) -> None:
    run(["case", "add", "A"], workdir)
    proc = run(["tui"], workdir)
    assert_one_line_error(proc, "terminal")


def test_failed_first_import_leaves_no_project_file(tmp_path: Path) -> None:
    proc = run(["-p", "new.db", "import", "missing.docx", "--case", "X"], tmp_path)
    assert proc.returncode != 0 and "missing.docx" in proc.stderr
    assert not any(tmp_path.glob("new.db*"))
    # a partly successful first import keeps the project with what it did import
    (tmp_path / "a.txt").write_text("Interviewer: Vraag?\nJan: Antwoord.\n", encoding="utf-8")
    proc = run(["-p", "new.db", "import", "a.txt", "missing.docx", "--case", "X"], tmp_path)
    assert proc.returncode != 0 and (tmp_path / "new.db").exists()
    # and a failure on an existing project never removes it, even an empty one
    from casebook.store.project import open_project

    open_project(tmp_path / "empty.db").close()
    assert (
        run(["-p", "empty.db", "import", "missing.docx", "--case", "X"], tmp_path).returncode != 0
    )
    assert (tmp_path / "empty.db").exists()


def test_code_says_when_nothing_was_added_or_codings_were_joined(workdir: Path) -> None:
    run(["codebook", "import", str(FIXTURES / "small-codebook.yaml")], workdir)
    run(["import", "mbo.txt", "--case", "Lindeveen"], workdir)
    first = run(["code", "mbo.txt", "--code", "BEL.TIJD", "--start", "0", "--end", "10"], workdir)
    again = run(["code", "mbo.txt", "--code", "BEL.TIJD", "--start", "2", "--end", "8"], workdir)
    assert again.returncode == 0 and again.stdout == first.stdout
    assert "already coded with BEL.TIJD" in again.stderr
    joined = run(["code", "mbo.txt", "--code", "BEL.TIJD", "--start", "10", "--end", "20"], workdir)
    assert joined.returncode == 0 and "now covers 0–20" in joined.stderr
    listed = json.loads(run(["codings", "--json"], workdir).stdout)
    assert [(c["start"], c["end"]) for c in listed] == [(0, 20)]
