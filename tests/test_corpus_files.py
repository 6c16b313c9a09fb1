"""The bundled demo corpus: files, tables, import and the demo coding.

The corpus is what new users and the other tests' demos start from, so every
delivered file must import cleanly, every quote in codings.csv must be found in
the text as casebook reads it, and rebuilding from ``corpus/sources`` must give
the committed bytes.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from casebook.core.documents import DocumentMeta, document_text, import_batch, segments_of
from casebook.store.project import open_project

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
CASES = ("Lindeveen", "Duinmond", "Ruwaard")
MANIFEST_COLUMNS = [
    "file",
    "case",
    "kind",
    "role",
    "round",
    "date",
    "organisation",
    "interviewer",
    "respondent",
]
PARTNER_TYPES = {
    "vmbo",
    "vmbo-penvoerder",
    "mbo",
    "po",
    "vso/pro",
    "hbo/pabo",
    "bedrijf",
    "branche/werkgeversorganisatie",
    "gemeente/overheid",
    "ondersteuning",
    "overig",
}
ROLES = {"programmamanager", "vmbo", "vmbo-penvoerder", "mbo", "bedrijfsleven", "po", "gemeente"}


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def manifest() -> list[dict[str, str]]:
    columns, rows = read_csv(CORPUS / "manifest.csv")
    assert columns == MANIFEST_COLUMNS
    return rows


@pytest.fixture(scope="module")
def codings() -> list[dict[str, str]]:
    columns, rows = read_csv(CORPUS / "codings.csv")
    assert columns == ["file", "code", "coder", "quote", "occurrence", "memo"]
    return rows


@pytest.fixture(scope="module")
def imported(
    manifest: list[dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Every manifest file imported once into a fresh project (spaCy runs once per module)."""
    workdir = tmp_path_factory.mktemp("corpus")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CASEBOOK_CONFIG_DIR", str(workdir / "config"))
        project = open_project(workdir / "p.db", coder="corpus-test")
        items = [
            (
                CORPUS / row["file"],
                DocumentMeta(
                    case=row["case"],
                    kind=row["kind"],
                    role=row["role"] or None,
                    round=row["round"] or None,
                    date=row["date"] or None,
                    organisation=row["organisation"] or None,
                    interviewer=row["interviewer"] or None,
                    respondent=row["respondent"] or None,
                ),
            )
            for row in manifest
        ]
        outcomes = import_batch(project, items)
        docs: dict[str, dict[str, Any]] = {}
        for row, outcome in zip(manifest, outcomes, strict=True):
            entry: dict[str, Any] = {"row": row, "outcome": outcome}
            if outcome.status == "imported":
                entry["text"] = document_text(project, outcome.document_id)
                entry["turns"] = segments_of(project, outcome.document_id, "turn")
            docs[row["file"]] = entry
        yield {"project": project, "docs": docs}
        project.close()


# --- files and tables -----------------------------------------------------------


def test_manifest_files_exist_and_values_are_valid(manifest: list[dict[str, str]]) -> None:
    assert manifest, "manifest.csv is empty"
    files = [r["file"] for r in manifest]
    assert len(files) == len(set(files)), "a file is listed twice"
    for row in manifest:
        assert (CORPUS / row["file"]).is_file(), row["file"]
        assert row["case"] in CASES
        assert row["kind"] in ("interview", "progress_report")
        assert row["round"] in ("2021", "2022")
        if row["kind"] == "interview":
            assert row["role"] in ROLES, row
            assert row["interviewer"] and row["respondent"], row


def test_each_region_has_enough_interviews_and_one_report(manifest: list[dict[str, str]]) -> None:
    for case in CASES:
        rows = [r for r in manifest if r["case"] == case]
        interviews = [r for r in rows if r["kind"] == "interview"]
        reports = [r for r in rows if r["kind"] == "progress_report"]
        assert len(interviews) >= 4, case
        assert len(reports) == 1 and reports[0]["file"].endswith(".pdf"), case
        roles = Counter(r["role"] for r in interviews)
        assert roles["programmamanager"] >= 1, case
        assert {"mbo", "vmbo"} <= set(roles), case


def test_formats_cover_every_reader(manifest: list[dict[str, str]]) -> None:
    suffixes = {Path(r["file"]).suffix.lower().lstrip(".") for r in manifest}
    assert {"docx", "odt", "txt", "vtt", "srt", "pdf", "md"} <= suffixes


def test_a_respondent_is_interviewed_in_both_rounds(manifest: list[dict[str, str]]) -> None:
    by_respondent: dict[str, set[str]] = defaultdict(set)
    for row in manifest:
        if row["kind"] == "interview":
            assert row["round"] not in by_respondent[row["respondent"]], (
                f"{row['respondent']} twice in a round"
            )
            by_respondent[row["respondent"]].add(row["round"])
    assert any(rounds == {"2021", "2022"} for rounds in by_respondent.values())


def test_cases_csv(manifest: list[dict[str, str]]) -> None:
    columns, rows = read_csv(CORPUS / "cases.csv")
    assert columns[0] == "case"
    expected = {
        "regio_type",
        "krimp",
        "provincie",
        "subsidie",
        "cofinanciering_pct",
        "programmamanager",
        "planfocus",
        "fase_2021",
    }
    assert expected <= set(columns)
    assert {r["case"] for r in rows} == {r["case"] for r in manifest} == set(CASES)
    for row in rows:
        assert row["regio_type"] in ("techniekregio", "techniekarme regio")
        assert row["krimp"] in ("krimp", "geen krimp")
        assert row["programmamanager"] in ("intern", "extern")
        assert 1_000_000 <= int(row["subsidie"]) <= 20_000_000
        assert 10 <= float(row["cofinanciering_pct"]) <= 47


def test_partner_lists(manifest: list[dict[str, str]]) -> None:
    for case in CASES:
        columns, rows = read_csv(CORPUS / "partners" / f"{case.lower()}.csv")
        assert columns == ["case", "organisation", "type", "aliases"]
        assert 8 <= len(rows) <= 15, case
        assert all(r["case"] == case and r["type"] in PARTNER_TYPES for r in rows), case
        assert Counter(r["type"] for r in rows)["vmbo-penvoerder"] == 1, case
        known = {r["organisation"].lower() for r in rows}
        known |= {a.strip().lower() for r in rows for a in r["aliases"].split(";") if a.strip()}
        for row in manifest:
            if row["case"] == case:
                assert row["organisation"].lower() in known, (case, row["organisation"])


def test_corpus_is_small() -> None:
    total = sum(
        p.stat().st_size for p in CORPUS.rglob("*") if p.is_file() and "sources" not in p.parts
    )
    assert total < 2_000_000


def test_rebuilding_gives_identical_files(tmp_path: Path) -> None:
    # A fresh process, as a user runs it: odfpy keeps namespace declarations
    # process-wide, so a build after other odfpy use in this process would differ.
    proc = subprocess.run(
        [sys.executable, str(CORPUS / "make_corpus.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) >= 20
    for path in written:
        rel = path.relative_to(tmp_path)
        assert (CORPUS / rel).read_bytes() == path.read_bytes(), (
            f"{rel} differs; rerun corpus/make_corpus.py"
        )


# --- import ----------------------------------------------------------------------


def test_every_file_imports(imported: dict[str, Any]) -> None:
    failed = {
        f: d["outcome"].message
        for f, d in imported["docs"].items()
        if d["outcome"].status != "imported"
    }
    assert not failed


def test_interviews_have_interviewer_and_respondent_turns(imported: dict[str, Any]) -> None:
    for file, doc in imported["docs"].items():
        if doc["row"]["kind"] != "interview":
            continue
        turns = doc["turns"]
        kinds = Counter(t["speaker_kind"] for t in turns)
        assert len(turns) >= 2 and kinds["interviewer"] >= 1 and kinds["respondent"] >= 1, (
            file,
            kinds,
        )
        text = doc["text"]
        assert "[00:" not in text and not text.startswith(("I:", "R:")), (
            f"{file}: labels left in the text"
        )
        interviewer = doc["row"]["interviewer"].lower()
        for turn in turns:
            label = turn["label"].lower()
            if turn["speaker_kind"] == "interviewer" and label not in ("i", "interviewer"):
                assert label in interviewer, (file, turn["label"], interviewer)


def test_text_lengths(imported: dict[str, Any]) -> None:
    for file, doc in imported["docs"].items():
        words = len(doc["text"].split())
        row = doc["row"]
        if row["kind"] == "progress_report":
            assert 3 <= (doc["outcome"].n_pages or 0) <= 6, file
            assert words >= 500, file
        elif row["role"] == "programmamanager":
            assert 1_100 <= words <= 2_100, (file, words)
        else:
            assert 450 <= words <= 1_100, (file, words)


# --- codings ---------------------------------------------------------------------


def _code_paths() -> set[str]:
    data = yaml.safe_load((REPO / "codebooks" / "sto.yaml").read_text(encoding="utf-8"))
    paths: set[str] = set()

    def walk(nodes: list[dict[str, Any]], prefix: str) -> None:
        for node in nodes:
            path = f"{prefix}{node['name']}"
            paths.add(path)
            walk(node.get("children") or [], path + ".")

    walk(data["codes"], "")
    return paths


def test_codings_use_codebook_paths(codings: list[dict[str, str]]) -> None:
    unknown = {r["code"] for r in codings} - _code_paths()
    assert not unknown


def test_coding_counts_and_double_coding(
    codings: list[dict[str, str]], manifest: list[dict[str, str]]
) -> None:
    assert 80 <= len(codings) <= 150
    assert {r["coder"] for r in codings} == {"anouk", "bram"}
    files = {r["file"] for r in manifest}
    assert {r["file"] for r in codings} <= files
    coders_per_file: dict[str, set[str]] = defaultdict(set)
    for r in codings:
        coders_per_file[r["file"]].add(r["coder"])
    double = [f for f, c in coders_per_file.items() if len(c) == 2]
    assert len(double) == 3
    for file in double:
        a = {
            (r["code"], r["quote"]) for r in codings if r["file"] == file and r["coder"] == "anouk"
        }
        b = {(r["code"], r["quote"]) for r in codings if r["file"] == file and r["coder"] == "bram"}
        assert a & b, f"{file}: the coders never agree"
        assert a - b and b - a, f"{file}: the coders agree on everything"


def test_collaboration_is_double_coded(codings: list[dict[str, str]]) -> None:
    dyads = {
        "SAM.VMBO_VMBO",
        "SAM.VMBO_MBO",
        "SAM.VMBO_BEDRIJF",
        "SAM.VMBO_PO",
        "SAM.GEMEENTE",
        "SAM.HBO_PABO",
    }
    forms = {(r["file"], r["coder"], r["quote"]) for r in codings if r["code"].startswith("VORM.")}
    for r in codings:
        if r["code"] in dyads:
            assert (r["file"], r["coder"], r["quote"]) in forms, (
                f"no VORM code with {r['code']}: {r['quote'][:50]}"
            )


def test_every_quote_is_in_its_document(
    imported: dict[str, Any], codings: list[dict[str, str]]
) -> None:
    problems = []
    for r in codings:
        doc = imported["docs"][r["file"]]
        text = doc["text"]
        quote = r["quote"]
        count = text.count(quote)
        occurrence = int(r["occurrence"]) if r["occurrence"] else None
        if "\n" in quote or not quote.strip():
            problems.append(("not one paragraph", r["file"], quote))
        elif count == 0:
            problems.append(("missing", r["file"], quote))
        elif occurrence is None and count > 1:
            problems.append((f"occurs {count} times; give an occurrence", r["file"], quote))
        elif occurrence is not None and not (count > 1 and 1 <= occurrence <= count):
            problems.append((f"occurrence {occurrence} of {count}", r["file"], quote))
    assert not problems


def test_quotes_are_spoken_by_respondents(
    imported: dict[str, Any], codings: list[dict[str, str]]
) -> None:
    for r in codings:
        doc = imported["docs"][r["file"]]
        if doc["row"]["kind"] != "interview":
            continue
        text = doc["text"]
        n = int(r["occurrence"] or 1)
        start = -1
        for _ in range(n):
            start = text.index(r["quote"], start + 1)
        end = start + len(r["quote"])
        turn = next((t for t in doc["turns"] if t["start"] <= start and end <= t["end"]), None)
        assert turn is not None and turn["speaker_kind"] == "respondent", (
            r["file"],
            r["quote"][:50],
        )
