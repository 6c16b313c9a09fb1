"""Limits on input (issue 15, point 8): hostile or broken files are refused fast.

The zip bomb is generated here: a 1 MB .docx whose document.xml unpacks to
400 MB. It is imported in a child process (the real CLI code path), which
measures the refusal's wall time and its own peak memory with the resource
module, so nothing else the test run loaded counts against the limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from casebook.core.documents import DocumentMeta, import_file
from casebook.errors import ImportFailed
from casebook.exchange.qde import read_qda
from casebook.importers import limits
from casebook.store.project import Project

_ROW = b"<w:p><w:r><w:t>" + b"a" * 1000 + b"</w:t></w:r></w:p>"


def _bomb(path: Path, member: str, unpacked: int, extra: dict[str, bytes] | None = None) -> Path:
    chunk = _ROW * 1000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
        with zf.open(member, "w", force_zip64=True) as fh:
            for _ in range(unpacked // len(chunk)):
                fh.write(chunk)
    return path


@pytest.fixture(scope="module")
def docx_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _bomb(
        tmp_path_factory.mktemp("bomb") / "rapport.docx",
        "word/document.xml",
        400 * 1024 * 1024,
        {"[Content_Types].xml": b"<Types/>"},
    )


_DRIVER = """
import json, resource, sys, time
from pathlib import Path
from casebook.core.documents import DocumentMeta, import_file
from casebook.errors import CasebookError
from casebook.store.project import open_project
project = open_project(Path(sys.argv[2]), coder="tester")
start = time.perf_counter()
try:
    import_file(project, Path(sys.argv[1]), DocumentMeta(case="Bomb"))
    message = None
except CasebookError as exc:
    message = str(exc)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
n_docs = project.scalar("SELECT count(*) FROM documents")
print(json.dumps({"elapsed": elapsed, "peak": peak, "message": message, "docs": n_docs}))
"""


def _limit_memory() -> None:
    # a safety net so a regression cannot take the machine down: 4 GB of address space
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def test_docx_bomb_is_refused_in_time_and_memory(docx_bomb: Path, tmp_path: Path) -> None:
    assert docx_bomb.stat().st_size < 2 * 1024 * 1024  # a 1 MB file …
    with zipfile.ZipFile(docx_bomb) as zf:  # … that unpacks to 400 MB
        assert zf.getinfo("word/document.xml").file_size >= 400 * 1024 * 1024 - len(_ROW) * 1000
    env = {**os.environ, "CASEBOOK_CONFIG_DIR": str(tmp_path / "cfg")}
    env.pop("CASEBOOK_MAX_CHARS", None)
    run = subprocess.run(
        [sys.executable, "-c", _DRIVER, str(docx_bomb), str(tmp_path / "p.db")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        preexec_fn=_limit_memory,
    )
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["message"] and "rapport.docx" in got["message"]
    assert "word/document.xml" in got["message"]
    assert got["docs"] == 0
    print(f"bomb refused in {got['elapsed']:.3f} s, peak memory {got['peak'] / 2**20:.0f} MB")
    assert got["elapsed"] < 2.0, got
    assert got["peak"] < 500 * 1024 * 1024, got


def test_cli_names_the_bomb_in_one_line(docx_bomb: Path, tmp_path: Path) -> None:
    cli = Path(sys.executable).with_name("casebook")
    env = {**os.environ, "CASEBOOK_CONFIG_DIR": str(tmp_path / "cfg")}
    run = subprocess.run(
        [str(cli), "--project", str(tmp_path / "p.db"), "import", str(docx_bomb), "--case", "X"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert run.returncode != 0
    # the import command's batch report: the file and its reason on one line, no traceback
    reasons = [line for line in run.stderr.splitlines() if "unpacks to 400.0 MB" in line]
    assert reasons and all("rapport.docx" in line for line in reasons), run.stderr
    assert "Traceback" not in run.stderr


def test_odt_with_an_absurd_ratio_is_refused(project: Project, tmp_path: Path) -> None:
    path = _bomb(tmp_path / "notes.odt", "content.xml", 8 * 1024 * 1024, {"mimetype": b"x"})
    with pytest.raises(ImportFailed, match="content.xml"):
        import_file(project, path, DocumentMeta(case="X"))
    assert project.scalar("SELECT count(*) FROM documents") == 0


def test_qdpx_bomb_is_refused(tmp_path: Path) -> None:
    path = _bomb(
        tmp_path / "export.qdpx",
        "sources/a.txt",
        8 * 1024 * 1024,
        {"project.qde": b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'},
    )
    with pytest.raises(ImportFailed, match="sources/a.txt"):
        read_qda(path)


def test_member_size_limit_follows_the_configured_limit(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEBOOK_MAX_CHARS", "10000")
    assert limits.max_chars() == 10_000
    path = tmp_path / "big.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:  # no compression: only the size
        zf.writestr("word/document.xml", b"x" * 200_000)
    with pytest.raises(ImportFailed, match="unpacks to"):
        import_file(project, path, DocumentMeta(case="X"))


def test_plain_text_over_the_limit_is_refused(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEBOOK_MAX_CHARS", "1000")
    near = tmp_path / "near.txt"
    near.write_text("Dit is een zin over de school. " * 100, encoding="utf-8")  # 3,100 chars
    with pytest.raises(ImportFailed, match="3,100 characters, more than the 1,000"):
        import_file(project, near, DocumentMeta(case="X"))
    huge = tmp_path / "huge.vtt"
    huge.write_bytes(b"WEBVTT\n\n" + b"a" * 5000)
    with pytest.raises(ImportFailed, match="more than a document of 1,000 characters"):
        import_file(project, huge, DocumentMeta(case="X"))
    assert project.scalar("SELECT count(*) FROM documents") == 0


def test_the_limit_can_live_in_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from casebook.config import save_settings

    monkeypatch.delenv("CASEBOOK_MAX_CHARS", raising=False)
    assert limits.max_chars() == limits.DEFAULT_MAX_CHARS == 20_000_000
    save_settings({"max_chars": 5_000_000})
    assert limits.max_chars() == 5_000_000


def test_ordinary_documents_pass(project: Project, tmp_path: Path) -> None:
    from tests.conftest import REPO

    for name in ("duinmond/DUI_2022_programmamanager.docx", "lindeveen/LIN_2022_mbo_Veenpoort.odt"):
        outcome = import_file(project, REPO / "corpus" / name, DocumentMeta(case="X"))
        assert outcome.status == "imported"


def test_pdf_text_over_the_limit_stops_while_reading(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import REPO

    monkeypatch.setenv("CASEBOOK_MAX_CHARS", "2000")
    pdf = REPO / "corpus" / "lindeveen" / "LIN_2021_voortgangsrapportage.pdf"
    with pytest.raises(ImportFailed, match="more than the 2,000 allowed"):
        import_file(project, pdf, DocumentMeta(case="X"))
    assert project.scalar("SELECT count(*) FROM documents") == 0
