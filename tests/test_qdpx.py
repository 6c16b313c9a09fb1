"""REFI-QDA exchange: the ATLAS.ti sample imports, exports validate against the XSD, round trips hold."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.codes.codebook import NAME_RE, code_tree, rename_code, resolve_code
from casebook.codes.io import import_codebook
from casebook.core import cases as cases_mod
from casebook.core.codings import add_coding, code_quote, set_coding_memo
from casebook.core.documents import DocumentMeta, document_text, import_file
from casebook.core.memos import set_memo
from casebook.errors import CasebookError, ImportFailed
from casebook.exchange import description
from casebook.exchange.ids import safe_name
from casebook.exchange.qdpx import (
    export_qdpx,
    import_codebook_file,
    import_qdpx,
    read_codebook_specs,
)
from casebook.store.project import Project, open_project
from tests.conftest import EXTERNAL, FIXTURES, REPO

REFI = EXTERNAL / "refi-qda"
XSD = REFI / "Project-mrt2019.xsd"
ATLAS = REFI / "atlas-ti-codebook-sample.qdpx"
NS = {"q": "urn:QDA-XML:project:1.0"}

INTERVIEW = (
    "Interviewer: Hoe verloopt het overleg tussen de scholen?\n"
    "Femke (Techniekcollege Oost): We zien elkaar elke maand, maar het rooster knelt steeds.\n"
    "Docenten krijgen geen uren voor de gezamenlijke lessen.\n"
    "Interviewer: Wat helpt wel?\n"
    "Femke (Techniekcollege Oost): De bedrijven in de regio denken mee en leveren gastdocenten.\n"
)
REPORT = (
    "Voortgang 2022\n"
    "Het netwerk van scholen en bedrijven is gegroeid; er doen nu negen bedrijven mee.\n"
    "Door de lockdown zijn twee excursies naar volgend jaar verschoven.\n"
)


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(
            f"{path} is missing; the shared/external test material is not beside the repository"
        )
    return path


def _schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(_need(XSD))))


def _qde(path: Path):
    from lxml import etree

    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("project.qde")), {n: zf.read(n) for n in zf.namelist()}


def _tree(project: Project) -> list[tuple]:
    fields = ("id", "parent_id", "path", "label", "definition", "when_to_use", "when_not_to_use")
    return [
        (*(c[f] for f in fields), c["example"], c["colour"], c["depth"]) for c in code_tree(project)
    ]


def _codings(project: Project) -> list[tuple]:
    return sorted(
        (
            r["document"],
            r["case_name"],
            r["code"],
            r["coder"],
            r["start"],
            r["end"],
            r["quote"],
            r["memo"],
        )
        for r in project.query(
            "SELECT d.name AS document, c.name AS case_name, x.path AS code, o.name AS coder, k.start, "
            "k.end, k.quote, k.memo FROM codings k JOIN documents d ON d.id = k.document_id "
            "LEFT JOIN cases c ON c.id = d.case_id JOIN codes x ON x.id = k.code_id "
            "JOIN coders o ON o.id = k.coder_id"
        )
    )


@pytest.fixture
def demo_like(project: Project, tmp_path: Path) -> Project:
    """The STO codebook, two cases with attributes, two documents, two coders, memos."""
    import_codebook(project, REPO / "codebooks" / "sto.yaml")
    lin = cases_mod.add_case(
        project, "Lindeveen", {"subsidie:number": "3450000", "provincie": "Overijssel"}
    )
    cases_mod.add_case(
        project, "Duinmond", {"subsidie:number": "1850000.5", "start:date": "2021-09-01"}
    )
    src = tmp_path / "src"
    src.mkdir()
    (src / "LIN_mbo.txt").write_text(INTERVIEW, encoding="utf-8")
    (src / "DUI_rapport.txt").write_text(REPORT, encoding="utf-8")
    interview = import_file(
        project,
        src / "LIN_mbo.txt",
        DocumentMeta(case="Lindeveen", role="mbo", round="2022", attributes={"duur": "45"}),
    ).document_id
    report = import_file(
        project,
        src / "DUI_rapport.txt",
        DocumentMeta(case="Duinmond", kind="progress_report", round="2022"),
    ).document_id
    code_quote(project, interview, "BEL.TIJD", "het rooster knelt steeds", coder="anouk")
    code_quote(project, interview, "BEL.TIJD", "het rooster knelt steeds", coder="bram")
    k = code_quote(project, interview, "BEV", "De bedrijven in de regio denken mee", coder="bram")
    set_coding_memo(project, k, "Bedrijven als motor; vergelijk met Duinmond.")
    code_quote(project, report, "CTX.CORONA", "Door de lockdown zijn twee excursies", coder="anouk")
    set_memo(project, "project", None, "Eerste ronde afgerond.", coder="anouk")
    set_memo(
        project, "code", resolve_code(project, "BEL.TIJD")["id"], "Let op roosters.", coder="bram"
    )
    set_memo(project, "document", report, "Rapport kwam laat binnen.", coder="anouk")
    set_memo(project, "case", lin, "Sterke regio.", coder="anouk")
    return project


# --- the ATLAS.ti sample ------------------------------------------------------------------


def test_atlas_sample_imports_codebook_tree_and_users(project: Project) -> None:
    counts = import_codebook_file(project, _need(ATLAS))
    assert counts == {"added": 3, "updated": 0, "unchanged": 0, "coders": 2}
    tree = code_tree(project)
    assert [(c["depth"], c["label"]) for c in tree] == [
        (0, "Commits"),
        (1, "2022-05-10T02:05:59Z 19e4dce"),
        (1, "2022-02-11T10:39:25Z cdbfd92"),
    ]
    assert all(NAME_RE.match(c["name"]) for c in tree)
    assert tree[1]["path"] == "COMMITS.2022-05-10T020559Z_19E4DCE"
    assert tree[0]["id"] == "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6"
    coders = {r["name"]: r["id"] for r in project.query("SELECT id, name FROM coders")}
    assert coders["Enric Llagostera"] == "088b08ac-d5cd-4adb-8b71-b4f3459c177f"
    assert "ATLAS.ti" in coders
    # importing again matches every code and user by guid: nothing new
    again = import_codebook_file(project, ATLAS)
    assert again == {"added": 0, "updated": 0, "unchanged": 3, "coders": 0}
    assert len(code_tree(project)) == 3


def test_atlas_sample_as_codespecs_and_full_import(project: Project) -> None:
    specs = read_codebook_specs(_need(ATLAS))
    assert [s.name for s in specs] == ["COMMITS"] and len(specs[0].children) == 2
    result = import_qdpx(project, ATLAS)
    assert result.origin.startswith("ATLAS.ti")
    assert result.codebook.added == 3 and result.sources.documents_added == 0
    assert project.scalar("SELECT count(*) FROM documents") == 0


def test_reimport_matches_renamed_code_by_guid(project: Project) -> None:
    import_codebook_file(project, _need(ATLAS))
    rename_code(project, "COMMITS", "GIT")
    counts = import_codebook_file(project, ATLAS)
    assert counts["added"] == 0
    assert [c["path"] for c in code_tree(project)][0] == "GIT"


# --- names, guids and descriptions --------------------------------------------------------


def _write_qdc(path: Path, codes_xml: str) -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Hand made"><Codes>'
        f"{codes_xml}</Codes></CodeBook>",
        encoding="utf-8",
    )
    return path


def test_qdc_names_guids_colours_and_sections(project: Project, tmp_path: Path) -> None:
    qdc = _write_qdc(
        tmp_path / "book.qdc",
        '<Code guid="{5215cc69-b628-4e02-afb9-9beeaee55808}" name="Samenwerking" isCodable="false">'
        '  <Code guid="d7aa29da-519b-4946-9b90-253b6db8fd0a" name="Vmbo &amp; mbo" isCodable="true" color="#f80">'
        "    <Description>Working together.\n\nWhen to use: joint lessons.\n\nExample: Wij delen lokalen.</Description>"
        "  </Code>"
        '  <Code guid="not-a-guid" name="vmbo mbo!" isCodable="true"/>'
        '  <Code guid="0dcef2f5-e55c-49da-8c33-9b0803c7aeb4" name="Één école" isCodable="true"/>'
        '  <Code guid="9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520" name="研究" isCodable="true"/>'
        "</Code>",
    )
    counts = import_codebook_file(project, qdc)
    assert counts["added"] == 5 and counts["coders"] == 0
    rows = {c["label"]: c for c in code_tree(project)}
    assert rows["Samenwerking"]["id"] == "5215cc69-b628-4e02-afb9-9beeaee55808"
    first = rows["Vmbo & mbo"]
    assert first["path"] == "SAMENWERKING.VMBO_MBO"
    assert first["colour"] == "#ff8800"
    assert (first["definition"], first["when_to_use"], first["example"]) == (
        "Working together.",
        "joint lessons.",
        "Wij delen lokalen.",
    )
    second = rows["vmbo mbo!"]
    assert second["path"] == "SAMENWERKING.VMBO_MBO_2"  # de-duplicated among siblings
    assert NAME_RE.match(second["id"]) and second["id"] != "not-a-guid"
    assert rows["Één école"]["name"] == "EEN_ECOLE"
    assert rows["研究"]["name"] == "CODE"


def test_yaml_and_qdc_codebooks_meet_by_label(project: Project, tmp_path: Path) -> None:
    """A codebook from another program finds casebook's own codes by label under the same parent."""
    import_codebook(project, FIXTURES / "small-codebook.yaml")
    qdc = _write_qdc(
        tmp_path / "other.qdc",
        '<Code guid="e3aabcc1-84e7-48d4-b059-50ff914ed1e2" name="Belemmerende factoren" isCodable="true">'
        '  <Code guid="ae6d04ce-d987-4fc8-af97-d72ca6ffd08f" name="Tijd" isCodable="true">'
        "    <Description>Not enough hours.</Description></Code>"
        '  <Code guid="3dd1a2a6-3aef-4a4c-9138-718e9ce2386d" name="Geld" isCodable="true"/>'
        "</Code>",
    )
    counts = import_codebook_file(project, qdc)
    assert counts["added"] == 1 and counts["updated"] == 1
    assert resolve_code(project, "BEL.TIJD")["definition"] == "Not enough hours."
    assert resolve_code(project, "BEL.GELD")["label"] == "Geld"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_safe_name_is_always_a_valid_code_name(text: str) -> None:
    name = safe_name(text)
    assert NAME_RE.match(name) and "." not in name and len(name) <= 40


_field = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1).map(str.strip),
)


@settings(max_examples=100, deadline=None)
@given(_field, _field, _field, _field)
def test_description_sections_round_trip(definition, when, when_not, example) -> None:
    row = {
        "definition": definition,
        "when_to_use": when,
        "when_not_to_use": when_not,
        "example": example,
    }
    row = {k: (v or None) for k, v in row.items()}
    composed = description.compose({**row, "path": "BEL.TIJD"})
    if not any(row.values()):
        assert composed is None  # no guidance, no description: nothing is invented (issue 19)
        return
    back = description.split(composed)
    assert back.pop("name") == "TIJD"
    assert back.pop("collaboration") is None and back.pop("partner_types") is None
    if all(v is None or ("\n" not in v and ":" not in v) for v in row.values()):
        assert back == row


# --- export -------------------------------------------------------------------------------


def test_export_is_valid_and_consistent(demo_like: Project, tmp_path: Path) -> None:
    schema = _schema()
    out = tmp_path / "export.qdpx"
    summary = export_qdpx(demo_like, out)
    root, files = _qde(out)
    assert schema.validate(root), schema.error_log

    assert summary.documents == 2 and summary.codings == 4 and summary.coders == 2
    assert summary.codes == len(code_tree(demo_like))
    guids = {el.get("guid") for el in root.iter() if el.get("guid")}
    refs = [el.get("targetGUID") for el in root.iter() if el.get("targetGUID")]
    assert refs and set(refs) <= guids  # every CodeRef/SourceRef/NoteRef/VariableRef resolves
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    codes = {c.get("guid"): c for c in root.iter("{urn:QDA-XML:project:1.0}Code")}
    tijd = resolve_code(demo_like, "BEL.TIJD")
    assert codes[tijd["id"]].get("name") == tijd["label"]

    sources = root.findall("q:Sources/q:TextSource", NS)
    assert len(sources) == 2
    seen = []
    for src in sources:
        assert src.find("q:PlainTextContent", NS) is None  # the text is in the archive, not both
        path = src.get("plainTextPath")
        assert path == f"internal://{src.get('guid')}.txt"
        text = files[f"sources/{src.get('guid')}.txt"].decode("utf-8")
        # the text as it was: speaker labels at turn starts (issue 19), the canonical text otherwise
        canonical = document_text(demo_like, src.get("guid"))
        assert re.sub(r"(?m)^[^:\n]{1,60}: ", "", text).replace("\f", "") == re.sub(
            r"(?m)^[^:\n]{1,60}: ", "", canonical
        )
        labels = demo_like.query(
            "SELECT DISTINCT label FROM segments WHERE document_id = ? AND kind = 'turn' AND label <> ''",
            (src.get("guid"),),
        )
        assert all(f"{r['label']}: " in text for r in labels)
        for sel in src.findall("q:PlainTextSelection", NS):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            code_guid = sel.find("q:Coding/q:CodeRef", NS).get("targetGUID")
            row = demo_like.query_one("SELECT * FROM codings WHERE id = ?", (sel.get("guid"),))
            assert text[start:end] == row["quote"]
            assert code_guid == row["code_id"] and users[sel.get("creatingUser")]
            assert sel.find("q:Coding", NS).get("creationDateTime").endswith("Z")
            seen.append((users[sel.get("creatingUser")], text[start:end]))
    both = {(coder, "het rooster knelt steeds") for coder in ("anouk", "bram")}
    assert both <= set(seen)

    cases = {c.get("name"): c for c in root.iterfind("q:Cases/q:Case", NS)}
    assert set(cases) == {"Lindeveen", "Duinmond"}
    assert len(cases["Lindeveen"].findall("q:SourceRef", NS)) == 1
    variables = {
        v.get("guid"): (v.get("name"), v.get("typeOfVariable"))
        for v in root.iterfind("q:Variables/q:Variable", NS)
    }
    assert ("subsidie", "Float") in variables.values() and ("start", "Date") in variables.values()
    values = {
        variables[vv.find("q:VariableRef", NS).get("targetGUID")][0]: vv[1].text
        for vv in cases["Duinmond"].findall("q:VariableValue", NS)
    }
    assert values == {"subsidie": "1850000.5", "start": "2021-09-01"}
    notes = [n.find("q:PlainTextContent", NS).text for n in root.iterfind("q:Notes/q:Note", NS)]
    assert sorted(notes) == sorted(
        [
            "Eerste ronde afgerond.",
            "Let op roosters.",
            "Rapport kwam laat binnen.",
            "Sterke regio.",
            "Bedrijven als motor; vergelijk met Duinmond.",
        ]
    )
    assert len(root.findall("q:NoteRef", NS)) == 1  # the project memo


def test_inline_export_validates_and_carries_text(demo_like: Project, tmp_path: Path) -> None:
    schema = _schema()
    out = tmp_path / "inline.qdpx"
    export_qdpx(demo_like, out, inline=True)
    root, files = _qde(out)
    assert schema.validate(root), schema.error_log
    assert list(files) == ["project.qde"]
    texts = sorted(
        s.find("q:PlainTextContent", NS).text for s in root.iterfind("q:Sources/q:TextSource", NS)
    )
    # every canonical text is there, with the speaker labels put back at turn starts
    canonical = sorted(r["text"] for r in demo_like.query("SELECT text FROM document_texts"))
    strip = re.compile(r"(?m)^[^:\n]{1,60}: ")
    assert sorted(strip.sub("", t) for t in texts) == sorted(strip.sub("", t) for t in canonical)


def test_export_survives_odd_characters(demo_like: Project, tmp_path: Path) -> None:
    schema = _schema()
    demo_like.conn.execute(
        "UPDATE codes SET label = 'Tijd \x01 & <rooster>', colour = 'red' WHERE path = 'BEL.TIJD'"
    )
    set_memo(demo_like, "project", None, "Regel\x0bmet stuurteken", coder="anouk")
    out = tmp_path / "odd.qdpx"
    export_qdpx(demo_like, out)
    root, _files = _qde(out)
    assert schema.validate(root), schema.error_log


def test_export_refuses_bad_targets(demo_like: Project, tmp_path: Path) -> None:
    with pytest.raises(CasebookError, match=r"\.qdpx"):
        export_qdpx(demo_like, tmp_path / "out.zip")
    with pytest.raises(CasebookError, match="does not exist"):
        export_qdpx(demo_like, tmp_path / "missing" / "out.qdpx")
    assert not list(tmp_path.glob("**/*.qdpx")) and not list(tmp_path.glob(".casebook-*"))


def test_qdc_export_is_a_valid_codebook_and_round_trips(demo_like: Project, tmp_path: Path) -> None:
    from lxml import etree

    schema = _schema()
    out = tmp_path / "book.qdc"
    summary = export_qdpx(demo_like, out)
    assert summary.codes == len(code_tree(demo_like))
    book = etree.parse(str(out)).getroot()
    assert {etree.QName(el).namespace for el in book.iter()} == {"urn:QDA-XML:codebook:1.0"}
    # Only the project schema is at hand; its CodeType is the codebook's plus optional NoteRefs,
    # so the same codes moved into the project namespace must validate there.
    wrapped = etree.Element("{urn:QDA-XML:project:1.0}Project", name="check")
    for el in book.iter():
        el.tag = "{urn:QDA-XML:project:1.0}" + etree.QName(el).localname
    del book.attrib["origin"]
    wrapped.append(book)
    assert schema.validate(wrapped), schema.error_log
    fresh = open_project(tmp_path / "fresh.db", coder="someone")
    try:
        assert import_codebook_file(fresh, out)["added"] == summary.codes
        assert _tree(fresh) == _tree(demo_like)
    finally:
        fresh.close()


def test_codebook_import_command_takes_qdpx(tmp_path: Path) -> None:
    proc = _run(["-p", "p.db", "codebook", "import", str(_need(ATLAS))], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("3 added")


# --- round trips --------------------------------------------------------------------------


def test_codebook_round_trip_into_fresh_project(demo_like: Project, tmp_path: Path) -> None:
    out = tmp_path / "book.qdpx"
    export_qdpx(demo_like, out)
    fresh = open_project(tmp_path / "fresh.db", coder="someone")
    try:
        counts = import_codebook_file(fresh, out)
        assert counts["added"] == len(code_tree(demo_like))
        assert _tree(fresh) == _tree(demo_like)
        assert {r["name"] for r in fresh.query("SELECT name FROM coders")} == {"anouk", "bram"}
        assert fresh.scalar("SELECT count(*) FROM documents") == 0
    finally:
        fresh.close()


def test_project_round_trip_keeps_texts_codings_cases_and_memos(
    demo_like: Project, tmp_path: Path
) -> None:
    out = tmp_path / "all.qdpx"
    export_qdpx(demo_like, out)
    fresh = open_project(tmp_path / "fresh.db", coder="someone")
    try:
        result = import_qdpx(fresh, out)
        assert result.sources.documents_added == 2 and result.sources.codings_added == 4
        assert _tree(fresh) == _tree(demo_like)
        assert _codings(fresh) == _codings(demo_like)
        docs = "SELECT d.name, d.kind, d.round, d.role, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id ORDER BY d.name"
        assert fresh.query(docs) == demo_like.query(docs)
        assert [(c["name"], c["attributes"]) for c in cases_mod.list_cases(fresh)] == [
            (c["name"], c["attributes"]) for c in cases_mod.list_cases(demo_like)
        ]
        memos = "SELECT m.target_kind, m.body, c.name FROM memos m JOIN coders c ON c.id = m.coder_id WHERE m.target_kind IN ('project', 'code', 'document') ORDER BY m.body"
        assert fresh.query(memos) == demo_like.query(memos)
        assert any("notes not attached" in w for w in result.warnings)  # the case memo
        again = import_qdpx(fresh, out)
        assert again.sources.codings_added == 0 and again.sources.documents_found == 2
        assert again.codebook.added == 0 and again.backup is not None
        assert len(_codings(fresh)) == 4
    finally:
        fresh.close()


@pytest.mark.slow
def test_demo_project_round_trip(tmp_path: Path) -> None:
    from casebook.demo import build_demo

    schema = _schema()
    build_demo(tmp_path / "demo.db")
    demo = open_project(tmp_path / "demo.db", create=False)
    fresh = open_project(tmp_path / "fresh.db", coder="someone")
    try:
        out = tmp_path / "demo.qdpx"
        summary = export_qdpx(demo, out)
        root, _files = _qde(out)
        assert schema.validate(root), schema.error_log
        assert summary.codings == demo.scalar("SELECT count(*) FROM codings") > 0
        import_qdpx(fresh, out)
        assert _tree(fresh) == _tree(demo)
        assert _codings(fresh) == _codings(demo)
        # issue 19: documents and codings keep their guids across the round trip
        ids = "SELECT id FROM documents UNION ALL SELECT id FROM codings ORDER BY 1"
        assert [r["id"] for r in fresh.query(ids)] == [r["id"] for r in demo.query(ids)]
        # and the exported source shows who speaks: the speaker labels are in the text, offsets mapped
        zf = zipfile.ZipFile(out)
        doc = demo.query_one(
            "SELECT id FROM documents WHERE name = 'LIN_2021_programmamanager.docx'"
        )
        text = zf.read(f"sources/{doc['id']}.txt").decode("utf-8")
        labels = {
            r["label"]
            for r in demo.query(
                "SELECT label FROM segments WHERE document_id = ? AND kind = 'turn' AND label <> ''",
                (doc["id"],),
            )
        }
        assert labels and all(f"\n{label}: " in "\n" + text for label in labels)
        out2 = tmp_path / "again.qdpx"
        export_qdpx(fresh, out2)
        guids = sorted(s.get("guid") for s in _qde(out2)[0].iterfind(".//q:PlainTextSelection", NS))
        assert guids == sorted(s.get("guid") for s in root.iterfind(".//q:PlainTextSelection", NS))
    finally:
        demo.close()
        fresh.close()


def test_taguette_codebook_csv_and_qdc_round_trip(project: Project, tmp_path: Path) -> None:
    import csv

    from casebook.exchange.taguette import write_taguette_csv

    import_codebook(project, Path(__file__).parent / "fixtures" / "small-codebook.yaml")
    n_codes = project.scalar("SELECT count(*) FROM codes")
    out = tmp_path / "taguette.csv"
    assert write_taguette_csv(project, out) == n_codes
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0])[:2] == ["tag", "description"]
    assert {r["tag"] for r in rows} == {r["path"] for r in project.query("SELECT path FROM codes")}
    # Taguette's .qdc: one flat level of codes named by dotted path, a Sets element, no descriptions
    codes = "".join(
        f'<Code guid="{i:08d}-0000-4000-8000-000000000000" name="{r["tag"]}" isCodable="true"/>'
        for i, r in enumerate(rows, start=1)
    )
    qdc = tmp_path / "taguette.qdc"
    qdc.write_text(
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette"><Codes>{codes}</Codes><Sets/></CodeBook>',
        encoding="utf-8",
    )
    result = import_qdpx(project, qdc)
    # into a project that has the codebook: every code found by name under its parent, none added
    assert project.scalar("SELECT count(*) FROM codes") == n_codes
    assert not any("code sets" in w for w in getattr(result, "warnings", []))
    fresh = open_project(tmp_path / "fresh.db", coder="x")
    try:
        import_qdpx(fresh, qdc)
        # into an empty project: the hierarchy comes back from the dotted names
        assert sorted(r["path"] for r in fresh.query("SELECT path FROM codes")) == sorted(
            r["path"] for r in project.query("SELECT path FROM codes")
        )
        assert fresh.scalar("SELECT count(*) FROM codes WHERE parent_id IS NOT NULL") > 0
    finally:
        fresh.close()


def test_codes_without_guidance_get_no_description(project: Project, tmp_path: Path) -> None:
    from casebook.codes.codebook import add_code

    add_code(project, "LEEG", label="Zonder uitleg")
    out = tmp_path / "c.qdc"
    export_qdpx(project, out)
    text = out.read_text(encoding="utf-8")
    assert "Zonder uitleg" in text and "casebook code" not in text


# --- text from other programs ----------------------------------------------------------------


def test_foreign_text_selections_land_on_canonical_text(project: Project, tmp_path: Path) -> None:
    text = (
        "Interviewer:\r\n"
        "Hoe  gaat het met de samenwerking?\r\n\r\n"
        "Respondent: Eerlijk gezegd kost het veel tijd.\r\n"
        "Interviewer: En verder?\r\n"
        "Respondent: De visie is helder en iedereen doet mee.\r\n"
    )
    user, code_a, code_b = (
        "11111111-1111-4111-8111-111111111111",
        "22222222-2222-4222-8222-222222222222",
        "33333333-3333-4333-8333-333333333333",
    )

    def sel(quote: str, code: str, n: int) -> str:
        s = text.index(quote)
        return (
            f'<PlainTextSelection guid="aaaaaaaa-0000-4000-8000-00000000000{n}" startPosition="{s}" '
            f'endPosition="{s + len(quote)}" creatingUser="{user}">'
            f'<Coding guid="bbbbbbbb-0000-4000-8000-00000000000{n}"><CodeRef targetGUID="{code}"/></Coding>'
            "</PlainTextSelection>"
        )

    qde = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Elders gecodeerd" origin="Other QDA 1.0">'
        f'<Users><User guid="{user}" name="Sanne"/></Users>'
        f'<CodeBook><Codes><Code guid="{code_a}" name="Tijd" isCodable="true"/>'
        f'<Code guid="{code_b}" name="Visie" isCodable="true"/></Codes></CodeBook>'
        '<Sources><TextSource guid="44444444-4444-4444-8444-444444444444" name="Interview Sanne.docx" '
        'plainTextPath="internal://44444444-4444-4444-8444-444444444444.txt">'
        f"{sel('kost het veel tijd', code_a, 1)}{sel('De visie is helder', code_b, 2)}"
        f"{sel('Respondent: Eerlijk', code_a, 3)}{sel('Interviewer:', code_b, 4)}"
        "</TextSource></Sources></Project>"
    )
    path = tmp_path / "other.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
        zf.writestr("Sources/44444444-4444-4444-8444-444444444444.txt", text.encode("utf-8"))
    result = import_qdpx(project, path)
    assert result.sources.codings_added == 3 and result.sources.codings_skipped == 1
    rows = project.query(
        "SELECT k.quote, x.path, o.name AS coder, c.name AS case_name FROM codings k JOIN codes x ON x.id = k.code_id "
        "JOIN coders o ON o.id = k.coder_id JOIN documents d ON d.id = k.document_id "
        "JOIN cases c ON c.id = d.case_id ORDER BY k.start"
    )
    assert [(r["quote"], r["path"], r["coder"]) for r in rows] == [
        ("Eerlijk", "TIJD", "Sanne"),
        ("kost het veel tijd", "TIJD", "Sanne"),
        ("De visie is helder", "VISIE", "Sanne"),
    ]
    assert {r["case_name"] for r in rows} == {"Elders gecodeerd"}
    assert any("not in the imported document" in w for w in result.warnings)


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("broken.qdpx", b"PK\x03\x04 this is not really a zip", "not a zip"),
        ("empty.qdpx", b"", "empty"),
        ("notes.qdc", b"<CodeBook><Codes><Code", "not well-formed XML"),
        ("other.qdc", b"<Lijst><Item/></Lijst>", "<Lijst>"),
        ("report.docx", b"\x00\x01binary", "not a REFI-QDA file"),
    ],
)
def test_bad_files_fail_cleanly(
    project: Project, tmp_path: Path, name: str, content: bytes, needle: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=needle):
        import_qdpx(project, path)
    assert project.scalar("SELECT count(*) FROM codes") == 0


def test_zip_without_project_qde(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "nothing.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hallo")
    with pytest.raises(ImportFailed, match="no project.qde"):
        import_codebook_file(project, path)


def test_missing_and_unsupported_sources_are_reported(project: Project, tmp_path: Path) -> None:
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="x">'
        '<CodeBook><Codes><Code guid="22222222-2222-4222-8222-222222222222" name="Tijd" isCodable="true"/>'
        "</Codes></CodeBook><Sources>"
        '<TextSource guid="44444444-4444-4444-8444-444444444444" name="gone.txt" plainTextPath="internal://gone.txt"/>'
        '<PictureSource guid="55555555-4444-4444-8444-444444444444" name="foto.jpg" path="internal://foto.jpg"/>'
        "</Sources></Project>"
    )
    path = tmp_path / "partial.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
    result = import_qdpx(project, path)
    assert result.codebook.added == 1
    assert any("missing from the archive" in w for w in result.warnings)
    assert any("picture sources" in w for w in result.warnings)


# --- the command line ---------------------------------------------------------------------


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "casebook", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
    )


def test_cli_export_and_import(coded_project, tmp_path: Path) -> None:
    project, doc_id = coded_project
    add_coding(project, doc_id, resolve_code(project, "BEL.TIJD")["id"], 0, 11, coder="anouk")
    n_codes = len(code_tree(project))
    project.close()
    proc = _run(["-p", "project.db", "qdpx", "export", "out.qdpx"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "1 documents, 1 codings" in proc.stdout and "not in the file" in proc.stderr
    proc = _run(["-p", "copy.db", "qdpx", "import", "out.qdpx", "--codebook-only"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"codes {n_codes} added" in proc.stdout
    assert "1 sources not imported (codebook only)" in proc.stderr
    bad = _run(["-p", "copy.db", "qdpx", "import", "missing.qdpx"], tmp_path)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert [line for line in bad.stderr.splitlines() if line.startswith("error:")] == [
        "error: missing.qdpx: no such file; check the path"
    ]


def test_exchange_codebooks_takes_yaml_and_qdc(project: Project, tmp_path: Path) -> None:
    """One entry point for codebook files: REFI-QDA through exchange, YAML through codes.io."""
    from casebook.exchange import codebooks

    counts = codebooks.import_codebook(project, FIXTURES / "small-codebook.yaml")
    n = len(code_tree(project))
    assert counts["added"] == n > 0
    qdc = tmp_path / "book.qdc"
    export_qdpx(project, qdc)
    roots = codebooks.read_codebook(qdc)
    assert len(roots) == len(codebooks.read_codebook(FIXTURES / "small-codebook.yaml")) > 0
    again = codebooks.import_codebook(project, qdc)
    assert again["added"] == 0 and len(code_tree(project)) == n
