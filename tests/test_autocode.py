"""Autocoding on the demo corpus: exact suggestion sets per rule kind, the queue, and bad input.

Every expected set here is computed by a plain scan of the stored text and
segments (tokens with ``\\w+``, substring checks on headings, the segments
table), never by calling the rule code, so a wrong rule shows up as a
difference.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.autocode import queue
from casebook.autocode.rules import find_matches, make_rule, run_rule, run_saved
from casebook.autocode.units import Scope
from casebook.cli import cli
from casebook.core.documents import DocumentMeta, import_file
from casebook.errors import InvalidInput
from casebook.store.project import Project, open_project

WORD = re.compile(r"\w+")


@pytest.fixture
def demo(demo_db: Path, tmp_path: Path) -> Project:
    copy = tmp_path / "casebook.db"
    shutil.copy(demo_db, copy)
    p = open_project(copy, create=False, coder="tester")
    yield p
    p.close()


# --- independent expectations ---------------------------------------------------------


def _texts(p: Project) -> dict[str, str]:
    return {
        r["document_id"]: r["text"] for r in p.query("SELECT document_id, text FROM document_texts")
    }


def _segments(p: Project, *kinds: str) -> list[dict]:
    marks = ", ".join("?" for _ in kinds)
    return p.query(f"SELECT * FROM segments WHERE kind IN ({marks}) AND end > start", kinds)


def _coded(p: Project, code: str) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for r in p.query(
        "SELECT k.document_id, k.start, k.end FROM codings k JOIN codes x ON x.id = k.code_id WHERE x.path = ?",
        (code,),
    ):
        out.setdefault(r["document_id"], []).append((r["start"], r["end"]))
    return out


def _minus_coded(
    p: Project, code: str, spans: set[tuple[str, int, int]]
) -> set[tuple[str, int, int]]:
    texts, coded = _texts(p), _coded(p, code)
    keep = set()
    for d, s, e in spans:
        hit = any(
            max(s, cs) < min(e, ce) and texts[d][max(s, cs) : min(e, ce)].strip()
            for cs, ce in coded.get(d, [])
        )
        if not hit:
            keep.add((d, s, e))
    return keep


def _sentences_with_tokens(p: Project, forms: set[str]) -> set[tuple[str, int, int]]:
    texts = _texts(p)
    return {
        (s["document_id"], s["start"], s["end"])
        for s in _segments(p, "sentence")
        if forms & {w.lower() for w in WORD.findall(texts[s["document_id"]][s["start"] : s["end"]])}
    }


def _got(matches) -> set[tuple[str, int, int]]:
    return {(m.document_id, m.start, m.end) for m in matches}


# --- one exact set per rule kind ------------------------------------------------------


def test_words_rule_suggests_exactly_the_sentences_with_those_words(demo: Project) -> None:
    rule = make_rule(demo, "BEL.TIJD", "words", "tijd, Uren")
    matches, left_out = find_matches(demo, rule)
    everything = _sentences_with_tokens(demo, {"tijd", "uren"})
    expected = _minus_coded(demo, "BEL.TIJD", everything)
    assert len(expected) > 20
    assert _got(matches) == expected
    assert left_out == len(everything) - len(expected)


def test_words_rule_matches_whole_words_only(demo: Project) -> None:
    # "tijd" must not match inside "tijdens" or "werktijd"
    matches, _ = find_matches(demo, make_rule(demo, "VGR.LERAREN", "words", "tijd"))
    texts = _texts(demo)
    for m in matches:
        assert "tijd" in {w.lower() for w in WORD.findall(texts[m.document_id][m.start : m.end])}
    assert _got(matches) == _sentences_with_tokens(demo, {"tijd"})


def test_lemma_rule_finds_every_inflection(demo: Project) -> None:
    matches, _ = find_matches(demo, make_rule(demo, "VGR.LERAREN", "lemma", "docenten"))
    expected = _sentences_with_tokens(demo, {"docent", "docenten"})
    assert len(expected) > 20
    assert _got(matches) == expected
    singular = _sentences_with_tokens(demo, {"docent"})
    plural = _sentences_with_tokens(demo, {"docenten"})
    assert singular - plural and plural - singular  # both forms really occur


def test_pattern_rule_by_paragraph(demo: Project) -> None:
    matches, _ = find_matches(
        demo, make_rule(demo, "VGR.LERAREN", "pattern", r"\b(?:19|20)\d\d\b", unit="paragraph")
    )
    texts = _texts(demo)
    expected = {
        (s["document_id"], s["start"], s["end"])
        for s in _segments(demo, "paragraph", "table_row")
        if any(
            len(w) == 4 and w.isdigit() and w[:2] in ("19", "20")
            for w in WORD.findall(texts[s["document_id"]][s["start"] : s["end"]])
        )
    }
    assert len(expected) > 10
    assert _got(matches) == expected
    assert all(m.score >= 1 for m in matches)


def test_speaker_role_rule_takes_every_turn_of_that_role(demo: Project) -> None:
    matches, _ = find_matches(demo, make_rule(demo, "VGR.LERAREN", "speaker_role", "mbo"))
    expected = {
        (s["document_id"], s["start"], s["end"])
        for s in _segments(demo, "turn")
        if s["role"] == "mbo"
    }
    assert len(expected) > 10
    assert _got(matches) == expected


def test_section_rule_takes_the_whole_section_and_tolerates_typos(demo: Project) -> None:
    expected = {
        (s["document_id"], s["start"], s["end"])
        for s in _segments(demo, "section")
        if s["label"].endswith("Lerarenbestand en lerarentekort")
    }
    assert len(expected) == 3
    for heading in ("Lerarenbestand en lerarentekort", "lerarenbestand en lerarentekrot"):
        matches, _ = find_matches(demo, make_rule(demo, "VGR.LERAREN", "section", heading))
        assert _got(matches) == expected


def test_section_rule_by_sentence_and_already_coded_sections(demo: Project) -> None:
    rule = make_rule(demo, "VGR.CORONA", "section", "Gevolgen van corona", unit="sentence")
    matches, _ = find_matches(demo, rule)
    sections = [s for s in _segments(demo, "section") if s["label"].endswith("Gevolgen van corona")]
    inside = {
        (s["document_id"], s["start"], s["end"])
        for s in _segments(demo, "sentence")
        for sec in sections
        if sec["document_id"] == s["document_id"]
        and sec["start"] <= s["start"]
        and s["end"] <= sec["end"]
    }
    assert _got(matches) == _minus_coded(demo, "VGR.CORONA", inside)
    whole, left_out = find_matches(
        demo, make_rule(demo, "VGR.CORONA", "section", "Gevolgen van corona")
    )
    coded_docs = set(_coded(demo, "VGR.CORONA"))
    assert {m.document_id for m in whole} == {s["document_id"] for s in sections} - coded_docs
    assert left_out == len(coded_docs & {s["document_id"] for s in sections})


def test_scope_limits_cases_kinds_and_roles(demo: Project) -> None:
    case_id = demo.scalar("SELECT id FROM cases WHERE name = 'Lindeveen'")
    allowed = {
        r["id"]
        for r in demo.query(
            "SELECT id FROM documents WHERE case_id = ? AND kind = 'interview' AND role = 'mbo'",
            (case_id,),
        )
    }
    rule = make_rule(
        demo,
        "VGR.LERAREN",
        "words",
        "docenten",
        scope=Scope(("Lindeveen",), ("interview",), ("mbo",)),
    )
    matches, _ = find_matches(demo, rule)
    assert matches and {m.document_id for m in matches} <= allowed
    expected = {x for x in _sentences_with_tokens(demo, {"docenten"}) if x[0] in allowed}
    assert _got(matches) == expected


# --- the queue -------------------------------------------------------------------------


def _codings(p: Project) -> list[tuple]:
    return [tuple(r.values()) for r in p.query("SELECT * FROM codings ORDER BY id")]


def test_nothing_becomes_a_coding_until_accepted(demo: Project) -> None:
    before = _codings(demo)
    audit_before = demo.scalar("SELECT count(*) FROM audit_log WHERE entity = 'coding'")
    results = [
        run_rule(demo, make_rule(demo, "BEL.TIJD", "words", "tijd")),
        run_rule(demo, make_rule(demo, "VGR.LERAREN", "lemma", "docent")),
        run_rule(demo, make_rule(demo, "VGR.LERAREN", "pattern", r"\d{4}")),
        run_rule(demo, make_rule(demo, "VGR.LERAREN", "speaker_role", "interviewer")),
        run_rule(demo, make_rule(demo, "VGR.CORONA", "section", "corona")),
        run_rule(demo, make_rule(demo, "SAM.VMBO_MBO", "like", min_score=0.0, top=30)),
    ]
    queued = demo.scalar("SELECT count(*) FROM suggestions")
    assert queued == sum(r.added for r in results) > 100
    assert _codings(demo) == before
    assert demo.scalar("SELECT count(*) FROM audit_log WHERE entity = 'coding'") == audit_before

    pending = queue.list_suggestions(demo, code="BEL.TIJD")
    first, second = pending[0], pending[1]
    decision = queue.accept(demo, [first["id"]])
    after = demo.query(
        "SELECT k.*, o.name AS coder FROM codings k JOIN coders o ON o.id = k.coder_id"
        " WHERE k.id = ?",
        (decision.coding_ids[0],),
    )[0]
    assert (after["document_id"], after["start"], after["end"]) == (
        first["document_id"],
        first["start"],
        first["end"],
    )
    assert after["coder"] == "tester" and after["quote"] == first["quote"]
    assert len(_codings(demo)) == len(before) + 1
    origin = queue.coding_origin(demo, after["id"])
    assert origin["rule"] == results[0].rule.name and origin["suggestion"] == first["id"]

    queue.reject(demo, [second["id"]])
    assert len(_codings(demo)) == len(before) + 1
    assert queue.get_suggestion(demo, second["id"])["status"] == "rejected"
    again = run_rule(demo, make_rule(demo, "BEL.TIJD", "words", "tijd"))
    assert again.added == 0  # neither the rejected nor the accepted passage comes back
    assert queue.get_suggestion(demo, second["id"])["status"] == "rejected"


def test_dry_run_writes_nothing(demo: Project) -> None:
    seq = demo.scalar("SELECT max(seq) FROM audit_log")
    result = run_rule(demo, make_rule(demo, "BEL.TIJD", "words", "tijd"), dry_run=True)
    assert result.matches
    assert demo.scalar("SELECT count(*) FROM suggestions") == 0
    assert demo.scalar("SELECT count(*) FROM autocode_rules") == 0
    assert demo.scalar("SELECT max(seq) FROM audit_log") == seq


def test_accept_with_another_code_and_a_wider_passage_then_undo(demo: Project) -> None:
    from casebook.core import history

    run_rule(demo, make_rule(demo, "VGR.LERAREN", "lemma", "docent"))
    s = queue.list_suggestions(demo)[0]
    sentences = queue.sentence_spans(demo, s["document_id"])
    wider = queue.resize(sentences, (s["start"], s["end"]), "widen")
    assert wider[0] == s["start"] and wider[1] > s["end"]
    assert queue.resize(sentences, wider, "narrow") == (s["start"], s["end"])
    assert queue.resize(sentences, (s["start"], s["end"]), "narrow") == (s["start"], s["end"])
    decision = queue.accept(demo, [s["id"]], code="BEL.TIJD", span=wider)
    row = demo.query_one(
        "SELECT k.*, x.path FROM codings k JOIN codes x ON x.id = k.code_id WHERE k.id = ?",
        (decision.coding_ids[0],),
    )
    assert row["path"] == "BEL.TIJD" and (row["start"], row["end"]) == wider
    assert queue.coding_origin(demo, row["id"])["suggested_code"] == "VGR.LERAREN"
    history.undo(demo)
    assert demo.query_one("SELECT id FROM codings WHERE id = ?", (row["id"],)) is None
    back = queue.get_suggestion(
        demo, s["id"]
    )  # undoing the accept puts the suggestion back in the queue
    assert back["status"] == "pending" and back["coding_id"] is None and back["decided_by"] is None


def test_saved_rule_reruns_on_new_documents(demo: Project, tmp_path: Path) -> None:
    rule = make_rule(demo, "VGR.LERAREN", "words", "lerarentekort", name="tekort")
    first = run_rule(demo, rule, save=True)
    assert first.added > 0
    path = tmp_path / "LIN_2023_mbo_nieuw.txt"
    path.write_text(
        "Interviewer: Hoe gaat het?\nRespondent: Het lerarentekort raakt ons hard. "
        "Verder gaat het goed.\n",
        encoding="utf-8",
    )
    outcome = import_file(demo, path, DocumentMeta(case="Lindeveen", role="mbo", round="2023"))
    results = run_saved(demo, ["tekort"])
    assert results[0].added == 1
    new = queue.list_suggestions(demo, rule="tekort", document_id=outcome.document_id)
    assert [r["quote"] for r in new] == ["Het lerarentekort raakt ons hard."]


def test_like_ranks_uncoded_passages_and_respects_top(demo: Project) -> None:
    rule = make_rule(demo, "SAM.VMBO_MBO", "like", top=5, min_score=0.0)
    matches, left_out = find_matches(demo, rule)
    assert len(matches) == 5 and left_out > 0
    coded = _coded(demo, "SAM.VMBO_MBO")
    texts = _texts(demo)
    for m in matches:
        assert not any(
            max(m.start, s) < min(m.end, e)
            and texts[m.document_id][max(m.start, s) : min(m.end, e)].strip()
            for s, e in coded.get(m.document_id, [])
        )
    everything, _ = find_matches(demo, make_rule(demo, "SAM.VMBO_MBO", "like", min_score=0.0))
    best = sorted((m.score for m in everything), reverse=True)[:5]
    assert sorted((m.score for m in matches), reverse=True) == best


def test_like_without_examples_is_one_clear_error(demo: Project) -> None:
    with pytest.raises(InvalidInput, match="no coded passages"):
        find_matches(demo, make_rule(demo, "VGR.LERAREN", "like"))


# --- the command line ------------------------------------------------------------------


def _run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(db), "--coder", "anna", *args])


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--code", "BEL.TIJD", "--pattern", "(tijd"], "not a valid regular expression"),
        (
            ["--code", "VGR.CORONA", "--section", "Hoofdstuk over walvissen"],
            "no section heading like",
        ),
        (["--code", "VGR.LERAREN", "--like"], "VGR.LERAREN has no coded passages"),
        (
            ["--code", "BEL.TIJD", "--speaker-role", "astronaut"],
            "no speaker turn with role 'astronaut'",
        ),
        (["--code", "BEL.TIJD", "--words", "tijd", "--lemma", "tijd"], "exactly one rule"),
        (["--code", "BEL.NOPE", "--words", "tijd"], "BEL.NOPE"),
    ],
)
def test_bad_input_is_one_line(demo: Project, args: list[str], needle: str) -> None:
    result = _run(demo.path, "autocode", *args)
    assert result.exit_code != 0
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert "Traceback" not in result.output


def test_cli_round_trip(demo: Project) -> None:
    db = demo.path
    dry = _run(db, "autocode", "--code", "BEL.TIJD", "--words", "tijd", "--dry-run")
    assert dry.exit_code == 0 and "would suggest" in dry.output
    assert demo.scalar("SELECT count(*) FROM suggestions") == 0
    ran = _run(db, "autocode", "--code", "BEL.TIJD", "--words", "tijd", "--save", "tijd")
    assert ran.exit_code == 0, ran.output
    listed = _run(db, "suggestions", "--json")
    import json

    rows = json.loads(listed.output)
    assert rows and all(r["status"] == "pending" and r["rule"] == "tijd" for r in rows)
    ok = _run(db, "suggestions", "accept", str(rows[0]["id"]), str(rows[1]["id"]))
    assert ok.exit_code == 0 and "accepted 2" in ok.output
    no = _run(db, "suggestions", "reject", str(rows[2]["id"]))
    assert no.exit_code == 0 and "rejected 1" in no.output
    rest = _run(db, "suggestions", "accept", "--rule", "tijd")
    assert f"accepted {len(rows) - 3}" in rest.output
    coded = demo.query(
        "SELECT o.name FROM codings k JOIN coders o ON o.id = k.coder_id JOIN codes x"
        " ON x.id = k.code_id WHERE x.path = 'BEL.TIJD' AND o.name = 'anna'"
    )
    assert len(coded) == len(rows) - 1
    saved = _run(db, "autocode", "--list")
    assert "tijd" in saved.output and "rejected" in saved.output
    assert _run(db, "suggestions", "accept", "abc").exit_code == 2


def test_cli_help_is_instant() -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "casebook", "autocode", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and "--speaker-role" in proc.stdout
    assert "spacy" not in proc.stderr and "rapidfuzz" not in proc.stderr


# --- the honest --like evaluation ------------------------------------------------------


def test_default_threshold_comes_from_the_training_cases_only(demo: Project) -> None:
    from casebook.autocode import evaluate
    from casebook.autocode.like import DEFAULT_MIN_SCORE

    codes = evaluate.eligible_codes(demo, 8)
    assert codes and all(
        demo.scalar(
            "SELECT count(*) FROM codings k JOIN codes x ON x.id = k.code_id WHERE x.path = ?", (c,)
        )
        >= 8
        for c in codes
    )
    train, held_out = ["Duinmond", "Lindeveen"], ["Ruwaard"]
    result = evaluate.evaluate_split(demo, train, held_out, codes=codes)
    assert result.threshold == pytest.approx(DEFAULT_MIN_SCORE)
    # wiping the held-out case's codings cannot move the threshold: it never looks at them
    with demo.transaction():
        demo.conn.execute(
            "DELETE FROM codings WHERE document_id IN (SELECT d.id FROM documents d"
            " JOIN cases c ON c.id = d.case_id WHERE c.name = 'Ruwaard')"
        )
    blind = evaluate.evaluate_split(demo, train, held_out, codes=codes)
    assert blind.threshold == result.threshold
    assert all(c.relevant == 0 for c in blind.codes)
    for c in result.codes:
        assert 0 <= c.hits <= min(c.predicted, c.relevant)


# --- a rule as a coder in agreement ----------------------------------------------------


def test_rule_as_a_coder_in_agreement(demo: Project) -> None:
    from casebook.agreement.compute import compute_agreement

    run_rule(
        demo,
        make_rule(demo, "VGR.CORONA", "section", "Gevolgen van corona", name="corona"),
        save=True,
    )
    result = compute_agreement(
        demo, coders=["auto:corona", "anouk"], codes=["VGR.CORONA"], unit="sentence", resamples=50
    )
    assert result.coders == ["auto:corona", "anouk"]
    docs = {d["id"] for d in result.documents}
    anouk_docs = {
        r["document_id"]
        for r in demo.query(
            "SELECT DISTINCT k.document_id FROM codings k JOIN coders o ON o.id = k.coder_id WHERE o.name = 'anouk'"
        )
    }
    assert (
        docs == anouk_docs
    )  # the rule's scope is every document, so it takes part wherever anouk does
    sections = [
        s
        for s in _segments(demo, "section")
        if s["label"].endswith("Gevolgen van corona") and s["document_id"] in docs
    ]
    expected_rule = sum(
        1
        for s in _segments(demo, "sentence")
        for sec in sections
        if s["document_id"] == sec["document_id"] and sec["start"] <= s["start"] < sec["end"]
    )
    (code,) = result.per_code
    # the rule codes whole sections even where a person already coded part of one
    assert code.coded["auto:corona"] == expected_rule > 0
    texts = _texts(demo)
    anouk = list(
        demo.query(
            "SELECT k.document_id, k.start, k.end FROM codings k JOIN coders o ON o.id = k.coder_id"
            " JOIN codes x ON x.id = k.code_id WHERE o.name = 'anouk' AND x.path = 'VGR.CORONA'"
        )
    )
    expected_anouk = sum(
        1
        for s in _segments(demo, "sentence")
        if any(
            r["document_id"] == s["document_id"]
            and max(r["start"], s["start"]) < min(r["end"], s["end"])
            and texts[s["document_id"]][
                max(r["start"], s["start"]) : min(r["end"], s["end"])
            ].strip()
            for r in anouk
        )
        and s["document_id"] in docs
    )
    assert code.coded["anouk"] == expected_anouk
    cli_run = _run(
        demo.path,
        "agreement",
        "--coder",
        "auto:corona",
        "--coder",
        "anouk",
        "--codes",
        "VGR.CORONA",
        "--unit",
        "sentence",
        "--resamples",
        "20",
        "--json",
    )
    assert cli_run.exit_code == 0, cli_run.output
    bad = _run(demo.path, "agreement", "--coder", "auto:nothing")
    assert bad.exit_code != 0 and "no autocoding rule 'nothing'" in bad.stderr


# --- rules from data: the progress-report sections ------------------------------------


def test_shipped_rules_file_maps_each_report_section_to_its_code(demo: Project) -> None:
    import yaml

    from casebook.autocode.rules import rules_from_file

    path = Path(__file__).resolve().parents[1] / "codebooks" / "sto-autocode.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]
    rules = rules_from_file(demo, path)
    assert [r.name for r in rules] == [e["name"] for e in entries]
    sections = _segments(demo, "section")
    for entry, rule in zip(entries, rules, strict=True):
        matches, _ = find_matches(demo, rule, exclude_coded=False)
        expected = {
            (s["document_id"], s["start"], s["end"])
            for s in sections
            if re.sub(r"^\d+\.\s*", "", s["label"]) == entry["section"]
        }
        assert len(expected) == 3, entry
        assert _got(matches) == expected, entry["code"]
    result = _run(demo.path, "autocode", "--rules", str(path))
    assert result.exit_code == 0, result.output
    assert {r["name"] for r in demo.query("SELECT name FROM autocode_rules WHERE saved = 1")} == {
        e["name"] for e in entries
    }


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("rules: [", "not valid YAML"),
        ("something: else", "expected a 'rules:' list"),
        ("rules:\n  - {name: a, code: VGR.CORONA}", "rule 1: needs name, code and exactly one of"),
        (
            "rules:\n  - {name: a, code: VGR.CORONA, pattern: '(x'}",
            "rule 1 (a): --pattern '(x' is not a valid",
        ),
        (
            "rules:\n  - {name: a, code: VGR.CORONA, section: x, colour: red}",
            "unknown key(s) colour",
        ),
    ],
)
def test_bad_rules_file_is_one_line(
    demo: Project, tmp_path: Path, content: str, needle: str
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(content, encoding="utf-8")
    result = _run(demo.path, "autocode", "--rules", str(path))
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert result.exit_code != 0 and len(lines) == 1, result.stderr
    assert str(path) in lines[0] and needle in lines[0], lines[0]
    assert demo.scalar("SELECT count(*) FROM autocode_rules") == 0


def test_a_rules_file_runs_as_one_action(demo: Project, tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "rules:\n  - {name: ok, code: VGR.CORONA, section: Gevolgen van corona}\n"
        "  - {name: bad, code: VGR.RISICO, section: Hoofdstuk over walvissen}\n",
        encoding="utf-8",
    )
    result = _run(demo.path, "autocode", "--rules", str(path))
    assert (
        result.exit_code != 0
        and "no section heading like 'Hoofdstuk over walvissen'" in result.stderr
    )
    assert demo.scalar("SELECT count(*) FROM autocode_rules") == 0
    assert demo.scalar("SELECT count(*) FROM suggestions") == 0


def test_cli_saved_rules_run_all_list_and_delete(demo: Project, tmp_path: Path) -> None:
    db = demo.path
    assert _run(db, "autocode", "--run-all").exit_code != 0  # nothing saved yet: one clear line
    assert (
        _run(
            db, "autocode", "--code", "VGR.LERAREN", "--words", "lerarentekort", "--save", "tekort"
        ).exit_code
        == 0
    )
    assert (
        _run(
            db, "autocode", "--code", "BEL.TIJD", "--lemma", "rooster", "--save", "rooster"
        ).exit_code
        == 0
    )
    before = demo.scalar("SELECT count(*) FROM suggestions")
    path = tmp_path / "RUW_2023_po_nieuw.txt"
    path.write_text(
        "Interviewer: En verder?\nRespondent: Het rooster is vol en het lerarentekort groeit.\n",
        encoding="utf-8",
    )
    import_file(demo, path, DocumentMeta(case="Ruwaard", role="po", round="2023"))
    again = _run(db, "autocode", "--run-all")
    assert again.exit_code == 0, again.output
    assert (
        demo.scalar("SELECT count(*) FROM suggestions") == before + 2
    )  # the new sentence, once per rule
    listed = _run(db, "autocode", "--list").output
    assert "tekort" in listed and "rooster" in listed
    gone = _run(db, "autocode", "--delete", "rooster")
    assert gone.exit_code == 0 and "deleted rule rooster" in gone.output
    assert "rooster" not in _run(db, "autocode", "--list").output
    assert (
        demo.scalar(
            "SELECT count(*) FROM suggestions s JOIN autocode_rules r ON r.id = s.rule_id"
            " WHERE r.name = 'rooster'"
        )
        == 0
    )


def test_like_with_vectors_needs_an_installed_model(demo: Project) -> None:
    from casebook.autocode.like import vectors_available

    if vectors_available():
        pytest.skip("a Dutch model with vectors is installed here")
    result = _run(demo.path, "autocode", "--code", "SAM.VMBO_MBO", "--like", "--method", "vectors")
    assert result.exit_code == 2 and "no Dutch spaCy model with word vectors" in result.stderr
