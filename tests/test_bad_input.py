"""Bad input that used to slip through: each kind ends in one clear line (or a warning naming what was skipped)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.cli import cli
from casebook.codes.io import import_codebook
from casebook.errors import CodebookError
from casebook.store.project import open_project
from tests.conftest import FIXTURES, TRANSCRIPT


def _one_error_line(res, *needles: str) -> str:  # noqa: ANN001
    assert res.exit_code != 0, res.output
    assert (
        "Traceback" not in res.output
        and res.exception is None
        or isinstance(res.exception, SystemExit)
    )
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, res.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


# --- a read-only command on an empty file ------------------------------------------------


def test_read_only_command_on_empty_file_leaves_it_alone(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.db"
    empty.write_bytes(b"")
    res = CliRunner().invoke(cli, ["--project", str(empty), "cases"])
    _one_error_line(res, str(empty), "empty file, not a casebook project")
    assert empty.stat().st_size == 0


# --- Word files that declare entities -----------------------------------------------------


def test_docx_with_external_entity_is_refused(tmp_path: Path) -> None:
    from docx import Document

    plain = tmp_path / "plain.docx"
    doc = Document()
    doc.add_paragraph("Begin MARK einde")
    doc.save(str(plain))
    evil = tmp_path / "entity.docx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(evil, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                decl_end = text.index("?>") + 2
                text = (
                    text[:decl_end]
                    + '<!DOCTYPE w:document [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
                    + text[decl_end:].replace("MARK", "&e;")
                )
                data = text.encode("utf-8")
            dst.writestr(item, data)
    db = tmp_path / "p.db"
    res = CliRunner().invoke(cli, ["--project", str(db), "import", str(evil), "--case", "X"])
    assert res.exit_code == 1
    assert f"{evil}: word/document.xml inside the file declares XML entities" in res.stderr
    assert "0 imported" in res.output
    res = CliRunner().invoke(cli, ["--project", str(db), "import", str(plain), "--case", "X"])
    assert res.exit_code == 0, res.output


# --- codebooks ----------------------------------------------------------------------------


def _codebook(tmp_path: Path, text: str, name: str = "book.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_deeply_nested_codebook_is_refused(tmp_path: Path, project) -> None:  # noqa: ANN001
    depth = 2000
    lines = ["codes:"]
    for level in range(depth):
        pad = "  " * (2 * level)
        lines.append(f"{pad}  - name: C{level}")
        lines.append(f"{pad}    children:")
    lines.append("  " * (2 * depth) + "  - name: LEAF")
    path = _codebook(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(CodebookError, match="nested more than"):
        import_codebook(project, path)
    res = CliRunner().invoke(cli, ["--project", str(project.path), "codebook", "import", str(path)])
    _one_error_line(res, "nested more than")
    csv_path = _codebook(
        tmp_path, "path,label\n" + ".".join(f"C{i}" for i in range(40)) + ",x\n", "deep.csv"
    )
    with pytest.raises(CodebookError, match="line 2: codes are nested"):
        import_codebook(project, csv_path)


@pytest.mark.parametrize(
    "text,needle",
    [
        (
            "codes:\n  - name: TIJD\n    label: A\n  - name: TIJD\n    label: B\n",
            "'TIJD' appears twice at the top level",
        ),
        (
            "codes:\n  - name: BEL\n    children:\n      - name: Tijd\n      - name: TIJD\n",
            "appears twice under BEL (as 'Tijd' and 'TIJD')",
        ),
        (
            "codes:\n  - name: A\n    colour: notacolour\n",
            "A has colour 'notacolour', which is not #rrggbb",
        ),
        ("codes:\n  - name: A\n    colour: '#12345G'\n", "colour '#12345G'"),
        ("codes:\n  - name: A\n    shortcut: ab\n", "a shortcut is one key"),
    ],
)
def test_codebook_mistakes_are_refused_whole(
    tmp_path: Path, project, text: str, needle: str
) -> None:  # noqa: ANN001
    path = _codebook(tmp_path, text)
    with pytest.raises(CodebookError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        import_codebook(project, path)
    assert project.scalar("SELECT count(*) FROM codes") == 0


def test_csv_codebook_with_a_code_twice_is_refused(tmp_path: Path, project) -> None:  # noqa: ANN001
    path = _codebook(
        tmp_path, "path,label\nBEL,Belemmerend\nBEL.TIJD,Tijd\nbel.tijd,Tijd 2\n", "book.csv"
    )
    with pytest.raises(CodebookError, match="line 4: code bel.tijd is already defined on line 3"):
        import_codebook(project, path)


def test_codes_without_label_or_definition_are_named(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    res = CliRunner().invoke(
        cli, ["--project", str(db), "codebook", "import", str(FIXTURES / "small-codebook.yaml")]
    )
    assert res.exit_code == 0, res.output
    warnings = [line for line in res.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "5 codes have no definition" in warnings[0] and "BEV.VISIE" in warnings[0]


# --- manifests ----------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "mbo.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (tmp_path / "elsewhere.txt").write_text(TRANSCRIPT + "Anders.\n", encoding="utf-8")
    return tmp_path


def _manifest(folder: Path, text: str, name: str = "manifest.csv") -> list[str]:
    path = folder / "docs" / name
    path.write_text(text, encoding="utf-8")
    return ["--project", str(folder / "p.db"), "import", "--manifest", str(path)]


@pytest.mark.parametrize(
    "text,name,needle",
    [
        (
            "file,case,date\nmbo.txt,Lindeveen,2022-13-45\n",
            "manifest.csv",
            "line 2, date: '2022-13-45' is not a date",
        ),
        (
            "file,case,case\nmbo.txt,Lindeveen,Duinmond\n",
            "manifest.csv",
            "column 'case' appears more than once",
        ),
        (
            "file,case\n../elsewhere.txt,Lindeveen\n",
            "manifest.csv",
            "lies outside the manifest's folder",
        ),
        (
            "- file: mbo.txt\n  case: [Lindeveen, Duinmond]\n",
            "manifest.yaml",
            "'case' must be a single value, not a list",
        ),
    ],
)
def test_manifest_mistakes(folder: Path, text: str, name: str, needle: str) -> None:
    res = CliRunner().invoke(cli, _manifest(folder, text, name))
    _one_error_line(res, needle)
    assert not (folder / "p.db").exists()


def test_import_date_option_is_checked(folder: Path) -> None:
    res = CliRunner().invoke(
        cli,
        [
            "--project",
            str(folder / "p.db"),
            "import",
            str(folder / "docs" / "mbo.txt"),
            "--case",
            "X",
            "--date",
            "2022-99-99",
        ],
    )
    _one_error_line(res, "--date: '2022-99-99' is not a date")


def test_manifest_names_new_cases_and_refuses_near_misses(folder: Path) -> None:
    db = folder / "p.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--project", str(db), "case", "add", "Lindeveen"]).exit_code == 0
    res = runner.invoke(cli, _manifest(folder, "file,case\nmbo.txt,Lindeven\n"))
    _one_error_line(res, "case 'Lindeven' is not in the project but looks like 'Lindeveen'")
    res = runner.invoke(cli, _manifest(folder, "file,case\nmbo.txt,Ruwaard\n"))
    assert res.exit_code == 0, res.output
    assert "note: the manifest starts new cases: Ruwaard" in res.stderr
    project = open_project(db, create=False)
    try:
        assert {r["name"] for r in project.query("SELECT name FROM cases")} == {
            "Lindeveen",
            "Ruwaard",
        }
    finally:
        project.close()


# --- captions -----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".vtt", ".srt"])
def test_malformed_cues_are_named(tmp_path: Path, suffix: str) -> None:
    if suffix == ".vtt":
        text = (
            "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Anna>Goed dat je er bent.\n\n"
            "00:00:05.000 -> 00:00:08.000\n<v Bert>Deze zin verdwijnt anders.\n\n"
            "00:00:09.000 --> 00:00:12.000\n<v Bert>Dit blijft staan.\n"
        )
    else:
        text = (
            "1\n00:00:01,000 --> 00:00:04,000\nAnna: Goed dat je er bent.\n\n"
            "2\n00:00:05,000 tot 00:00:08,000\nBert: Deze zin verdwijnt anders.\n\n"
            "3\n00:00:09,000 --> 00:00:12,000\nBert: Dit blijft staan.\n"
        )
    path = tmp_path / f"gesprek{suffix}"
    path.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(
        cli, ["--project", str(tmp_path / "p.db"), "import", str(path), "--case", "X"]
    )
    assert res.exit_code == 0, res.output
    warning = [line for line in res.stderr.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1
    line = 6 if suffix == ".vtt" else 5
    assert (
        f"{path}: skipped 1 cue(s) without a valid 'start --> end' timing line (at line {line})"
        in warning[0]
    )
