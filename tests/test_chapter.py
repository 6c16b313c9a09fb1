"""The cross-case chapter: hand-counted denominators on the demo, figures equal to matrix cells,
quantifiers, quotes, contrasts, summaries, ranking and pseudonymisation."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.core.filters import parse_filters
from casebook.errors import CasebookError, InvalidInput
from casebook.reports.chapter_export import export_synthesis
from casebook.store.project import Project, open_project
from casebook.synthesis.chapter import build_chapter, cut_quote
from casebook.synthesis.contrasts import add_contrast, list_contrasts, remove_contrast
from casebook.synthesis.denominators import count_denominators
from casebook.synthesis.quantify import default_quantifier, load_quantifier
from casebook.synthesis.rank import rank_codes
from casebook.synthesis.summaries import get_summary, prefill, save_summary, summary_or_prefill
from casebook.writers.wordml import document_text


@pytest.fixture
def demo_file(demo_db: Path) -> Path:
    return demo_db


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Project:
    """A private copy per test, so contrasts and summaries written by one test stay there."""
    copy = tmp_path / "casebook.db"
    shutil.copy(demo_file, copy)
    p = open_project(copy, coder="analyst")
    yield p
    p.close()


def run(args: list[str], project: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, CASEBOOK_PROJECT=str(project))
    return subprocess.run(
        [sys.executable, "-m", "casebook", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=project.parent,
    )


# --- hand counts (from corpus/manifest.csv and corpus/codings.csv) -------------------


def test_denominators_hand_counted(demo: Project) -> None:
    # manifest: 3 regions with interviews, 3 progress reports; respondents by stable id:
    # LIN-PM interviewed in 2021 and 2022 counts once, so 3 programme managers.
    den = count_denominators(demo, parse_filters(demo, []))
    assert len(den.cases) == 3 and len(den.reports) == 3
    assert {r: len(v) for r, v in den.respondents.items()} == {
        "programmamanager": 3,
        "vmbo": 3,
        "mbo": 3,
        "bedrijfsleven": 3,
        "po": 2,
        "gemeente": 1,
    }
    r2022 = count_denominators(demo, parse_filters(demo, ["round=2022"]))
    assert {r: len(v) for r, v in r2022.respondents.items()} == {
        "programmamanager": 3,
        "vmbo": 1,
        "mbo": 3,
        "bedrijfsleven": 1,
        "po": 2,
        "gemeente": 1,
    }
    assert len(r2022.reports) == 0  # the demo's reports are all from 2021


def test_facilitators_theme_hand_counted(demo: Project) -> None:
    # codings.csv has three BEV passages: LIN 2021 programme manager (VISIE), DUI 2022 mbo and
    # DUI 2022 programme manager (ONAFHANKELIJK_PM); none in a progress report.
    theme = build_chapter(demo, ["BEV"]).themes[0]
    assert (theme.regions.n, theme.regions.total) == (2, 3)
    roles = {r: (f.n, f.total) for r, f in theme.roles}
    assert (
        roles["programmamanager"] == (2, 3) and roles["mbo"] == (1, 3) and roles["vmbo"] == (0, 3)
    )
    assert theme.reports is not None and (theme.reports.n, theme.reports.total) == (0, 3)
    q = default_quantifier()
    assert q.phrase(2, 3, "regio's") == "de meeste regio's (2 van de 3)"
    # BEV is positive in the codebook, so every respondent who names it names a facilitator
    pm = next(p for p in theme.perspective if p.role == "programmamanager")
    assert (pm.respondents, pm.positive, pm.negative) == (2, 2, 0)

    in2022 = build_chapter(demo, ["BEV"], round_="2022", compare_round="2021").themes[0]
    assert (in2022.regions.n, in2022.regions.total) == (1, 3)
    assert q.phrase(1, 3, "regio's") == "één van de regio's (1 van de 3)"
    change = in2022.change
    assert change is not None
    # new in Duinmond (2022 only), gone in Lindeveen (2021 only); all three regions in both rounds
    assert (change.new, change.gone, change.both, change.comparable) == (1, 1, 0, 3)


def test_every_figure_is_the_matching_matrix_cell(demo: Project) -> None:
    chapter = build_chapter(demo, None)  # every top-level theme
    demo.close()
    cache: dict[str, dict] = {}
    checked = 0
    for theme in chapter.themes:
        for fig in theme.figures():
            spec = fig.spec
            args = [
                "matrix",
                "--rows",
                spec.rows,
                "--cols",
                "code",
                "--measure",
                spec.measure,
                "--codes",
                ",".join(t.path for t in chapter.themes),
                "--ids",  # column labels as code ids, which the themes carry
                "--json",
            ]
            for f in spec.filters:
                args += ["--filter", f]
            key = " ".join(args)
            if key not in cache:
                proc = run(args, Path(demo.path))
                assert proc.returncode == 0, proc.stderr
                cache[key] = json.loads(proc.stdout)
            m = cache[key]
            col = m["columns"]["labels"].index(theme.path)
            rows = m["rows"]["keys"]
            expected = m["cells"][rows.index(fig.row)][col] if fig.row in rows else 0
            assert fig.n == expected, (theme.path, fig.row, spec.measure)
            assert 0 <= fig.n <= fig.total
            checked += 1
    assert checked >= 13 * 3


@pytest.mark.parametrize(
    ("n", "total", "word"),
    [
        (20, 20, "alle"),
        (18, 20, "vrijwel alle"),
        (12, 20, "de meeste"),
        (9, 20, "ongeveer de helft van de"),
        (5, 20, "een deel van de"),
        (3, 20, "enkele"),
        (1, 20, "één van de"),
        (0, 20, "geen van de"),
    ],
)
def test_quantifier_bands(n: int, total: int, word: str) -> None:
    assert default_quantifier().word(n, total) == word


def test_quantifier_file(tmp_path: Path) -> None:
    good = tmp_path / "q.yaml"
    good.write_text(
        "- {at_least: 0.75, word: driekwart of meer van de}\n- {at_least: 0, word: minder dan driekwart van de}\n"
    )
    q = load_quantifier(good)
    assert (
        q.word(16, 20) == "driekwart of meer van de"
        and q.word(14, 20) == "minder dan driekwart van de"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {at_least: 0.5, word: veel}\n")
    with pytest.raises(InvalidInput, match="lowest band must start at 0"):
        load_quantifier(bad)


# --- quotes ------------------------------------------------------------------------


def test_quotes_spread_regions_and_are_used_once(demo: Project) -> None:
    chapter = build_chapter(demo, ["SAM", "VORM", "BEL"])
    seen: set[str] = set()
    for theme in chapter.themes:
        assert 2 <= len(theme.quotes) <= 5
        # spread: never two quotes from one region while another region with passages is left out
        cases = [q.case_id for q in theme.quotes]
        assert len(set(cases)) == min(len(cases), theme.regions.n)
        for q in theme.quotes:
            assert q.coding_id not in seen
            seen.add(q.coding_id)
            assert q.role not in (None, "interviewer")


def test_cut_quote_marks_cuts() -> None:
    assert (
        cut_quote(
            "en dat we een visie hebben opgeschreven.", "Het werkt omdat we samen zijn begonnen, "
        )
        == "[…] en dat we een visie hebben opgeschreven."
    )
    assert cut_quote("Dat gaat goed.", "Vraag? ") == "Dat gaat goed."
    long = "Eerste zin is kort. " + "Tweede zin loopt heel lang door " * 20 + "en eindigt."
    cut = cut_quote(long, "")
    assert cut == "Eerste zin is kort. […]"
    assert cut_quote("We doen het samen, maar", ". ").endswith("maar […]")


# --- contrasts -----------------------------------------------------------------------


def _codings(demo: Project, code_prefix: str) -> list[str]:
    return [
        r["id"]
        for r in demo.query(
            "SELECT k.id FROM codings k JOIN codes c ON c.id = k.code_id WHERE c.path LIKE ? ORDER BY k.id",
            (code_prefix + "%",),
        )
    ]


def test_contrasts_are_listed_per_theme_and_in_the_chapter(demo: Project, tmp_path: Path) -> None:
    a, b = _codings(demo, "BEV")[:2]
    cid = add_contrast(demo, [a[:8], b[:8]], note="onafhankelijk of niet", kind="perspective")
    assert [c.id for c in list_contrasts(demo, "BEV")] == [cid]
    assert list_contrasts(demo, "RES") == []
    theme = build_chapter(demo, ["BEV"]).themes[0]
    assert [c.note for c in theme.contrasts] == ["onafhankelijk of niet"]
    out = export_synthesis(demo, tmp_path / "h.md", themes=["BEV"]).path
    text = out.read_text(encoding="utf-8")
    assert "Verschil in perspectief: onafhankelijk of niet" in text
    with pytest.raises(InvalidInput, match="at least two different codings"):
        add_contrast(demo, [a, a])
    remove_contrast(demo, cid[:8])
    assert list_contrasts(demo) == []


def test_contrast_cli_errors_are_one_line(demo_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "c.db"
    shutil.copy(demo_file, copy)
    proc = run(["contrast", "nosuchcoding", "another"], copy)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert [line for line in proc.stderr.splitlines() if line.startswith("error:")] == [
        "error: no coding 'nosuchcoding'; list them with `casebook codings`"
    ]


# --- summaries -----------------------------------------------------------------------


def test_summary_prefill_links_evidence_and_survives_rewrites(demo: Project) -> None:
    summary, made = summary_or_prefill(demo, "Lindeveen")
    assert made and summary.text.startswith("# Regiosamenvatting Lindeveen")
    assert summary.links and not summary.broken
    lindeveen = demo.query_one("SELECT id FROM cases WHERE name = 'Lindeveen'")["id"]
    assert {p["case_id"] for p in summary.links} == {lindeveen}
    for p in summary.links:  # every linked passage is cited in the text
        assert f"[#{p['coding_id'][:8]}]" in summary.text
    again, made = summary_or_prefill(demo, "Lindeveen")
    assert not made and again.text == summary.text
    keep = summary.links[0]["coding_id"]
    rewritten = f"De regio werkt samen aan keuzevakken [#{keep[:8]}]. Onbekend [#abcdef99]."
    saved = save_summary(demo, "Lindeveen", rewritten)
    assert [p["coding_id"] for p in saved.links] == [keep]
    assert saved.broken == ["abcdef99"]
    assert get_summary(demo, "Lindeveen").text == rewritten
    assert get_summary(demo, "Ruwaard") is None
    with pytest.raises(InvalidInput):
        save_summary(demo, "Lindeveen", "  \n")


def test_summary_cli_from_file_and_prefill(demo_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "s.db"
    shutil.copy(demo_file, copy)
    proc = run(["summary", "Ruwaard"], copy)
    assert proc.returncode == 0 and "prefilled the summary of Ruwaard" in proc.stderr
    assert "## " in proc.stdout
    note = tmp_path / "note.md"
    note.write_text("Ruwaard werkt breed samen.\n", encoding="utf-8")
    proc = run(["summary", "Ruwaard", "--from", str(note)], copy)
    assert proc.returncode == 0 and "0 linked passages" in proc.stdout
    assert run(["summary", "Ruwaard"], copy).stdout == "Ruwaard werkt breed samen.\n"
    proc = run(["summary", "Nergenshuizen"], copy)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr


def test_prefill_names_themes_without_passages(demo: Project) -> None:
    text = prefill(demo, "Ruwaard", ["HYP", "SAM"])
    assert "## Samenwerking" in text
    assert "Niet besproken in deze regio: " in text and "Hypothesen" in text or "HYP" in text


# --- ranking -------------------------------------------------------------------------


def test_rank_against_a_code_and_an_attribute(demo: Project) -> None:
    ranking = rank_codes(demo, "BEV", against="RES")
    # RES is coded in Duinmond and Lindeveen, not in Ruwaard
    assert [(s.label, len(s.cases)) for s in ranking.splits] == [
        ("with RES", 2),
        ("without RES", 1),
    ]
    top = {c.path: (c.regions, c.against) for c in ranking.codes[:2]}
    assert top == {"BEV.ONAFHANKELIJK_PM": (1, [1, 0]), "BEV.VISIE": (1, [1, 0])}
    by_krimp = rank_codes(demo, "BEV", against="krimp")
    assert sorted((s.label, len(s.cases)) for s in by_krimp.splits) == [
        ("krimp = geen krimp", 2),
        ("krimp = krimp", 1),
    ]
    with pytest.raises(CasebookError):
        rank_codes(demo, "BEV", against="nosuchthing")
    with pytest.raises(InvalidInput, match="no child codes"):
        rank_codes(demo, "BEV.VISIE")


def test_rank_cli_json_and_xlsx(demo_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "r.db"
    shutil.copy(demo_file, copy)
    proc = run(["rank", "--group", "BEL", "--json", "--xlsx", str(tmp_path / "r.xlsx")], copy)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    regions = [c["regions"] for c in data["codes"]]
    assert regions == sorted(regions, reverse=True) and data["regions"] == 3
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "r.xlsx").active
    assert ws.cell(1, 2).value == "code" and ws.max_row == len(data["codes"]) + 1


# --- the written chapter -------------------------------------------------------------


def test_markdown_and_word_say_the_same(demo: Project, tmp_path: Path) -> None:
    md = export_synthesis(demo, tmp_path / "h.md", themes=["BEL", "SAM"], round_="2022").path
    docx = export_synthesis(demo, tmp_path / "h.docx", themes=["BEL", "SAM"], round_="2022").path
    word = document_text(docx)
    text = md.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("> “"):
            quote = line[3 : line.index("” — ")]
            assert quote in word
    assert "alle regio's (3 van de 3)" in text and "alle regio's (3 van de 3)" in word
    assert "(3 van de 3)" in word


def test_pseudonymised_chapter_names_no_region_and_no_person(demo: Project, tmp_path: Path) -> None:
    from casebook.privacy.registry import scan_persons

    scan_persons(demo)  # an export reads the registry but never writes it; fill it first
    out = tmp_path / "hoofdstuk.docx"
    result = export_synthesis(demo, out, pseudonymise=True, key=tmp_path / "keys" / "k.csv")
    text = document_text(out)

    def named(name: str, in_text: str) -> bool:
        return re.search(rf"\b{re.escape(name)}\b", in_text) is not None

    for (name,) in demo.conn.execute("SELECT name FROM cases"):
        assert not named(name, text), name
    persons = [
        r[0] for r in demo.conn.execute("SELECT name FROM persons WHERE status <> 'rejected'")
    ]
    assert persons, "the demo has people in its transcripts"
    for name in persons:
        assert not named(name, text), name
    assert result.key is not None and result.key.exists()
    plain = tmp_path / "plain.docx"
    export_synthesis(demo, plain)
    plain_text = document_text(plain)
    assert any(named(name, plain_text) for name in persons)  # the check above can fail


def test_bad_input_is_one_line(demo_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "b.db"
    shutil.copy(demo_file, copy)
    cases = [
        (["export", "synthesis", str(tmp_path / "x.pdf")], "unknown export format"),
        (
            ["export", "synthesis", str(tmp_path / "x.md"), "--compare-round", "2021"],
            "needs --round",
        ),
        (
            ["export", "synthesis", str(tmp_path / "x.md"), "--round", "1999"],
            "no documents in round '1999'",
        ),
        (["export", "synthesis", str(tmp_path / "nofolder" / "x.md")], "does not exist"),
        (["export", "synthesis", str(tmp_path / "x.md"), "--themes", "NOPE"], "NOPE"),
    ]
    for args, needle in cases:
        proc = run(args, copy)
        assert proc.returncode != 0, args
        assert "Traceback" not in proc.stderr
        errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and needle in errors[0], (args, proc.stderr)


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_chapter_renders_in_libreoffice(demo: Project, tmp_path: Path) -> None:
    out = export_synthesis(
        demo,
        tmp_path / "hoofdstuk.docx",
        themes=["BEV", "BEL"],
        round_="2022",
        compare_round="2021",
    ).path
    proc = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "hoofdstuk.pdf"
    assert pdf.exists(), proc.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Belemmerende factoren" in text and "van de 3" in text
