"""Agreement through a real project: codings stored by several coders, read back and compared.

The statistics themselves are checked in test_agreement_stats.py; here the
question is whether the project's codings become the right reliability data
(units, coverage rule, merging, missing coders) and whether the command
reports it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from casebook.agreement.compute import compare_document, compute_agreement
from casebook.agreement.units import unit_matrix
from casebook.codes.codebook import resolve_code
from casebook.core.codings import add_coding, find_quote
from casebook.core.documents import DocumentMeta, document_text, import_file, segments_of
from casebook.errors import InvalidInput, NotFound
from tests.test_cli import assert_one_line_error, run

WORDS = (
    "de regio plant een techniekdag voor alle leerlingen van groep acht en het bedrijf levert "
    "materiaal"
).split()


def make_text(n: int) -> str:
    """Original filler of exactly ``n`` characters: sentences, three to a paragraph."""
    paras: list[str] = []
    sentences: list[str] = []
    i = 0
    while True:
        sentences.append(" ".join(WORDS[(i + k) % len(WORDS)] for k in range(9)).capitalize() + ".")
        i += 5
        if len(sentences) == 3:
            paras.append(" ".join(sentences))
            sentences = []
        text = "\n".join(paras)
        if len(text) >= n:
            return text[: n - 1] + "."


@pytest.fixture
def nvivo(coded_project, tmp_path: Path):
    """NVivo's example: 1,000 characters, A codes 150, B codes 100, 50 of them shared."""
    project, _transcript = coded_project
    path = tmp_path / "duizend.txt"
    path.write_text(make_text(1000), encoding="utf-8")
    doc = import_file(project, path, DocumentMeta(case="Lindeveen", role="po")).document_id
    assert len(document_text(project, doc)) == 1000
    code = resolve_code(project, "BEL.TIJD")["id"]
    add_coding(project, doc, code, 100, 250, coder="A")
    add_coding(project, doc, code, 200, 300, coder="B")
    return project, doc


def code_on(project, doc: str, code: str, quote: str, coder: str) -> None:
    start, end = find_quote(document_text(project, doc), quote)
    add_coding(project, doc, resolve_code(project, code)["id"], start, end, coder=coder)


@pytest.fixture
def transcript(coded_project):
    """Two coders on the small transcript; expected values are worked out by hand below."""
    project, doc = coded_project
    code_on(project, doc, "BEL.TIJD", "Eerlijk gezegd kost het veel tijd.", "anouk")
    code_on(project, doc, "BEL.TIJD", "We plannen nu een vaste middag", "anouk")
    code_on(project, doc, "BEL.TIJD", "kost het veel tijd. De docenten", "bram")
    code_on(project, doc, "BEL.TIJD", "Die is helder.", "bram")
    code_on(project, doc, "BEV.VISIE", "Iedereen weet waar we naartoe willen.", "anouk")
    code_on(project, doc, "BEV.VISIE", "Iedereen weet waar we naartoe willen.", "bram")
    return project, doc


def by_code(result):
    return {c.code: c for c in result.per_code}


def test_nvivo_example_through_the_database(nvivo) -> None:
    project, doc = nvivo
    result = compute_agreement(project, documents=[doc], codes=["BEL.TIJD"], resamples=200)
    tijd = by_code(result)["BEL.TIJD"]
    assert tijd.units == 1000
    assert tijd.coded == {"A": 150, "B": 100}
    assert tijd.percent.value == pytest.approx(0.85)
    assert tijd.cohen.value == pytest.approx(0.07 / 0.22)
    assert round(tijd.cohen.value, 3) == 0.318
    assert tijd.cohen.expected == pytest.approx(0.78)

    import krippendorff

    a = np.zeros(1000)
    a[100:250] = 1
    b = np.zeros(1000)
    b[200:300] = 1
    expected = krippendorff.alpha(np.vstack([a, b]), level_of_measurement="nominal")
    assert tijd.alpha.point.value == pytest.approx(expected, abs=1e-9)
    assert tijd.alpha.low <= tijd.alpha.point.value <= tijd.alpha.high
    # one code: the pooled table is that code's table
    assert result.pooled.cohen.value == pytest.approx(tijd.cohen.value)
    spans = [(d.start, d.end, d.coded_by, d.not_coded_by) for d in result.disagreements]
    assert spans == [(100, 200, ("A",), ("B",)), (250, 300, ("B",), ("A",))]
    assert "1,000 units" in result.method and "each character" in result.method
    assert "2 coders (A, B)" in result.method


def test_sentence_level_by_hand(transcript) -> None:
    project, doc = transcript
    result = compute_agreement(project, unit="sentence", resamples=200)
    assert [d["id"] for d in result.documents] == [doc]
    codes = by_code(result)
    assert list(codes) == ["BEL.TIJD", "BEV.VISIE"]
    tijd = codes["BEL.TIJD"]
    # sentences: 0 question, 1 "Eerlijk…tijd.", 2 "De docenten…", 3 "We plannen…", 4 question,
    # 5 "Die is helder.", 6 "Iedereen…"; anouk codes 1, 3; bram 1, 2, 5
    assert tijd.units == 7
    assert tijd.coded == {"anouk": 2, "bram": 3}
    assert tijd.percent.value == pytest.approx(4 / 7)
    assert tijd.cohen.value == pytest.approx(2 / 23)
    # coincidences: o00 = 6, o11 = 2, o01 = o10 = 3; n0 = 9, n1 = 5, n = 14
    assert tijd.alpha.point.value == pytest.approx(1 - 13 * 6 / (2 * 9 * 5))
    assert codes["BEV.VISIE"].percent.value == 1.0
    assert result.pooled.units == 14
    assert result.pooled.percent.value == pytest.approx(11 / 14)
    text = document_text(project, doc)
    found = [(text[d.start : d.end], d.code, d.coded_by) for d in result.disagreements]
    assert found == [
        ("De docenten hebben geen ruimte.", "BEL.TIJD", ("bram",)),
        ("We plannen nu een vaste middag in het rooster.", "BEL.TIJD", ("anouk",)),
        ("Die is helder.", "BEL.TIJD", ("bram",)),
    ]


def test_majority_rule_and_other_units_by_hand(transcript) -> None:
    project, _doc = transcript
    # majority: bram's "De docenten" is 10 of 27 non-space characters of sentence 2: not coded
    tijd = by_code(compute_agreement(project, unit="sentence", rule="majority", resamples=50))[
        "BEL.TIJD"
    ]
    assert tijd.coded == {"anouk": 2, "bram": 2}
    assert tijd.percent.value == pytest.approx(5 / 7)
    assert tijd.cohen.value == pytest.approx(0.3)
    para = by_code(compute_agreement(project, unit="paragraph", resamples=50))["BEL.TIJD"]
    assert (para.units, para.coded, para.percent.value) == (5, {"anouk": 2, "bram": 2}, 3 / 5)
    turn = by_code(compute_agreement(project, unit="turn", resamples=50))["BEL.TIJD"]
    assert (turn.units, turn.coded, turn.percent.value) == (4, {"anouk": 1, "bram": 2}, 3 / 4)
    whole = compute_agreement(project, unit="document", resamples=50)
    tijd = by_code(whole)["BEL.TIJD"]
    assert (tijd.units, tijd.percent.value) == (1, 1.0)
    assert tijd.cohen.value is None and "no variation" in tijd.cohen.reason
    assert tijd.alpha.point.value is None
    assert "rule 'any-overlap'" in whole.method and "each whole document" in whole.method


def test_own_overlapping_codings_count_once(coded_project, tmp_path: Path) -> None:
    project, doc = coded_project
    code = resolve_code(project, "BEL.TIJD")["id"]
    add_coding(project, doc, code, 39, 73, coder="anouk")
    add_coding(project, doc, code, 50, 105, coder="anouk")  # overlaps her first coding
    add_coding(project, doc, code, 39, 105, coder="bram")
    for unit in ("character", "sentence"):
        tijd = by_code(compute_agreement(project, unit=unit, resamples=20))["BEL.TIJD"]
        assert tijd.coded["anouk"] == tijd.coded["bram"]
        assert tijd.percent.value == 1.0
        assert tijd.cohen.value == 1.0
    assert compute_agreement(project, resamples=20).disagreements == []


def test_child_codings_count_for_the_parent_only_when_asked(transcript) -> None:
    project, doc = transcript
    code_on(project, doc, "BEL.TIJD.RUIMTE", "Iedereen weet waar", "anouk")
    plain = by_code(compute_agreement(project, unit="sentence", codes=["BEL.TIJD"], resamples=20))
    assert plain["BEL.TIJD"].coded == {"anouk": 2, "bram": 3}
    rolled = compute_agreement(
        project, unit="sentence", codes=["BEL.TIJD"], children=True, resamples=20
    )
    assert by_code(rolled)["BEL.TIJD"].coded == {"anouk": 3, "bram": 3}
    assert "descendants counted" in rolled.method
    default = by_code(compute_agreement(project, unit="sentence", children=True, resamples=20))
    assert {"BEL", "BEL.TIJD", "BEL.TIJD.RUIMTE", "BEV", "BEV.VISIE"} == set(default)


def test_three_coders_missing_document_matches_krippendorff(transcript, nvivo) -> None:
    project, small = transcript
    _, big = nvivo
    add_coding(project, big, resolve_code(project, "BEL.TIJD")["id"], 120, 260, coder="anouk")
    add_coding(project, big, resolve_code(project, "BEL.TIJD")["id"], 180, 240, coder="bram")
    code_on(project, small, "BEL.TIJD", "De docenten hebben geen ruimte.", "chris")
    result = compute_agreement(
        project,
        coders=["anouk", "bram", "chris"],
        codes=["BEL.TIJD"],
        unit="sentence",
        resamples=50,
    )
    # chris never coded the 1,000-character document: missing there, not "not coded"
    coders = {d["id"]: d["coders"] for d in result.documents}
    assert coders == {small: ["anouk", "bram", "chris"], big: ["anouk", "bram"]}
    rows = []
    for doc in (d["id"] for d in result.documents):
        text = document_text(project, doc)
        units = [(s["start"], s["end"]) for s in segments_of(project, doc, "sentence")]
        ranges: dict[str, list] = {}
        for r in project.query(
            "SELECT o.name, k.start, k.end FROM codings k JOIN coders o ON o.id = k.coder_id "
            "JOIN codes c ON c.id = k.code_id WHERE k.document_id = ? AND c.path = 'BEL.TIJD'",
            (doc,),
        ):
            ranges.setdefault(r["name"], []).append((r["start"], r["end"]))
        m = unit_matrix(text, units, ranges, ["anouk", "bram", "chris"]).astype(float)
        if doc == big:
            m[2] = np.nan
        rows.append(m)
    data = np.hstack(rows)
    import krippendorff

    tijd = by_code(result)["BEL.TIJD"]
    expected = krippendorff.alpha(data, level_of_measurement="nominal")
    assert tijd.alpha.point.value == pytest.approx(expected, abs=1e-9)
    assert tijd.cohen is None
    assert set(tijd.pairwise) == {"anouk|bram", "anouk|chris", "bram|chris"}
    complete = data[:, ~np.isnan(data).any(axis=0)]
    assert tijd.fleiss.n_units == complete.shape[1]
    assert "3 coders (anouk, bram, chris)" in result.method


def test_bad_selections_raise_one_line_errors(transcript) -> None:
    project, _doc = transcript
    with pytest.raises(NotFound, match="no coder 'nobody'"):
        compute_agreement(project, coders=["anouk", "nobody"])
    with pytest.raises(InvalidInput, match="at least two coders"):
        compute_agreement(project, coders=["anouk"])
    with pytest.raises(NotFound):
        compute_agreement(project, codes=["GEEN.CODE"])
    with pytest.raises(NotFound):
        compute_agreement(project, documents=["geen-document"])


@pytest.fixture
def on_disk(transcript):
    project, doc = transcript
    path = project.path
    project.close()
    return path, doc


def test_cli_json(on_disk) -> None:
    path, _doc = on_disk
    proc = run(
        [
            "-p",
            str(path),
            "agreement",
            "--unit",
            "sentence",
            "--codes",
            "BEL.TIJD",
            "--resamples",
            "100",
            "--json",
        ],
        path.parent,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    tijd = data["per_code"][0]
    assert tijd["code"] == "BEL.TIJD" and tijd["units"] == 7
    assert tijd["percent_agreement"]["value"] == pytest.approx(4 / 7)
    assert tijd["cohen_kappa"]["value"] == pytest.approx(2 / 23)
    alpha = tijd["krippendorff_alpha"]
    assert alpha["ci_low"] <= alpha["value"] <= alpha["ci_high"] and alpha["resamples"] == 100
    assert len(data["disagreements"]) == 3
    assert data["disagreements"][0]["coded_by"] == ["bram"]
    assert "each sentence" in data["method"]


def test_cli_human_output_and_xlsx(on_disk, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path, _doc = on_disk
    out = tmp_path / "agreement.xlsx"
    proc = run(
        [
            "-p",
            str(path),
            "agreement",
            "--unit",
            "sentence",
            "--resamples",
            "100",
            "--disagreements",
            "--xlsx",
            str(out),
        ],
        path.parent,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    tijd = next(line for line in lines if line.startswith("BEL.TIJD"))
    assert "57.1%" in tijd and "0.087" in tijd
    assert any(line.startswith("(pooled)") and "78.6%" in line for line in lines)
    assert "“De docenten hebben geen ruimte.”" in proc.stdout
    assert "Method" in lines and "Krippendorff" in proc.stdout

    wb = load_workbook(out)
    assert wb.sheetnames == ["per code", "pooled", "disagreements", "method"]
    per_code = list(wb["per code"].iter_rows(values_only=True))
    head, rows = per_code[0], {r[0]: r for r in per_code[1:]}
    assert set(rows) == {"BEL.TIJD", "BEV.VISIE"}
    assert rows["BEL.TIJD"][head.index("percent agreement")] == pytest.approx(4 / 7)
    assert rows["BEL.TIJD"][head.index("Cohen's kappa")] == pytest.approx(2 / 23)
    assert rows["BEL.TIJD"][head.index("coded by bram")] == 3
    pooled = list(wb["pooled"].iter_rows(values_only=True))
    assert pooled[1][0] == "(pooled)" and pooled[1][head.index("units")] == 14
    dis = list(wb["disagreements"].iter_rows(values_only=True))
    assert len(dis) == 1 + 3 and dis[1][-1] == "De docenten hebben geen ruimte."
    method = {r[0]: r[1] for r in wb["method"].iter_rows(values_only=True)}
    assert "each sentence" in method["method"] and method["unit"] == "sentence"


def test_cli_unknown_coder_is_one_line(on_disk) -> None:
    path, _doc = on_disk
    proc = run(["-p", str(path), "agreement", "--coders", "anouk,nobody"], path.parent)
    assert_one_line_error(proc, "no coder 'nobody'")
    proc = run(["-p", str(path), "agreement", "--coders", "anouk"], path.parent)
    assert_one_line_error(proc, "at least two coders")
    proc = run(["-p", str(path), "agreement", "--json", "--xlsx", "x.xlsx"], path.parent)
    assert_one_line_error(proc, "choose one output")


def test_compare_document_for_the_side_by_side_view(transcript) -> None:
    project, doc = transcript
    cmp = compare_document(project, doc, "anouk", "bram")
    assert [c["path"] for c in cmp.codes] == ["BEL.TIJD", "BEV.VISIE"]
    tijd = resolve_code(project, "BEL.TIJD")["id"]
    assert cmp.ranges[tijd]["anouk"][0] == find_quote(
        cmp.text, "Eerlijk gezegd kost het veel tijd."
    )
    spans = [cmp.text[d.start : d.end] for d in cmp.disagreements]
    assert spans == [
        "Eerlijk gezegd",
        "De docenten",
        "We plannen nu een vaste middag",
        "Die is helder.",
    ]
