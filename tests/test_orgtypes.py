"""Organisation types are data: a team with its own partner types imports, codes, links and draws them.

The team here studies a fictional healthcare programme in the region Rivierdal:
care organisations, GP practices and the municipality. Nothing in casebook
knows these types; they come from the team's partner list and codebook.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import matplotlib
import pytest

from casebook.codes.codebook import resolve_code
from casebook.codes.collaboration import check_partner_types, role_of, set_collaboration
from casebook.codes.io import import_codebook, read_yaml
from casebook.core.codings import add_coding
from casebook.core.documents import DocumentMeta, document_text, import_file
from casebook.errors import CodebookError, ImportFailed, InvalidInput
from casebook.messages import MESSAGES
from casebook.orgtypes import DEFAULT_TYPES, DEFAULTS_FILE, ORG_TYPES, PALETTE, normalise_type
from casebook.partners.draw import draw_graph
from casebook.partners.graph import Filters, build_graph, node_rows
from casebook.partners.links import list_links, set_partners
from casebook.partners.metrics import flatten, graph_metrics
from casebook.partners.registry import (
    import_partners_csv,
    load_registry,
    resolve_organisation,
    set_type,
)
from casebook.store.orgtypes import (
    OWN_TYPES_META,
    add_synonym,
    add_type,
    project_types,
    remove_type,
    rename_type,
    set_label,
    type_rows,
)
from casebook.store.project import Project, open_project
from casebook.store.schema import MIGRATIONS, SCHEMA_VERSION
from tests.conftest import REPO

REGISTRY = """\
case,organisation,type,aliases
Rivierdal,Zorggroep Rivierdal,Zorginstelling,Zorggroep
Rivierdal,Thuiszorg Oosterveld,zorginstelling,
Rivierdal,Huisartsenpraktijk De Linde,Huisartsenpraktijk,De Linde
Rivierdal,Gemeente Rivierdal,gemeente,
"""
CODEBOOK = """\
codes:
  - name: samenwerking
    collaboration: dyad
    children:
      - name: eerstelijn
        partner_types: [zorginstelling, huisartsenpraktijk]
      - name: wijk
        partner_types: [zorginstelling, Gemeente]
  - name: ervaring
"""
DOC = (
    "Interviewer: Met wie werkt u samen?\n"
    "Els (Zorggroep Rivierdal): Met Huisartsenpraktijk De Linde bespreken we elke week de "
    "kwetsbare ouderen. Met de Gemeente Rivierdal maken we afspraken over de wijkteams.\n"
)


def _healthcare(project: Project, tmp_path: Path) -> tuple[str, list[str]]:
    reg = tmp_path / "partners.csv"
    reg.write_text(REGISTRY, encoding="utf-8")
    added: list[str] = []
    assert import_partners_csv(project, reg, added) == 4
    cb = tmp_path / "zorg.yaml"
    cb.write_text(CODEBOOK, encoding="utf-8")
    import_codebook(project, cb)
    return project.scalar("SELECT id FROM cases WHERE name = 'Rivierdal'"), added


def test_the_defaults_live_in_a_data_file_and_read_as_before() -> None:
    assert DEFAULTS_FILE.exists() and DEFAULTS_FILE.suffix == ".toml"
    assert list(ORG_TYPES)[0] == "vmbo-penvoerder" and list(ORG_TYPES)[-1] == "overig"
    assert MESSAGES["nl"]["org_types"]["branche"] == "branche/werkgeversorganisatie"
    assert MESSAGES["en"]["org_types"]["gemeente"] == "municipality/government"
    assert normalise_type("ROC") == "mbo" and normalise_type("") == "overig"
    with pytest.raises(InvalidInput, match="unknown organisation type 'zorginstelling'"):
        normalise_type("zorginstelling")  # the default vocabulary alone still refuses
    assert DEFAULT_TYPES.counts_as("vmbo-penvoerder") == "vmbo"
    assert DEFAULT_TYPES.lead_types == {"vmbo-penvoerder"}


def test_a_partner_list_with_its_own_types_adds_them_to_the_project(
    project: Project, tmp_path: Path
) -> None:
    case_id, added = _healthcare(project, tmp_path)
    assert added == ["zorginstelling", "huisartsenpraktijk"]  # gemeente is a default type
    assert {o.name: o.type for o in load_registry(project, case_id)} == {
        "Gemeente Rivierdal": "gemeente",
        "Huisartsenpraktijk De Linde": "huisartsenpraktijk",
        "Thuiszorg Oosterveld": "zorginstelling",
        "Zorggroep Rivierdal": "zorginstelling",
    }
    rows = {r["key"]: r for r in type_rows(project)}
    assert rows["zorginstelling"]["organisations"] == 2
    assert rows["huisartsenpraktijk"]["organisations"] == 1
    assert rows["zorginstelling"]["codes"] == 2  # both dyad codes name it
    assert rows["gemeente"]["organisations"] == 1 and rows["vmbo"]["organisations"] == 0
    # Re-importing adds nothing new.
    again: list[str] = []
    import_partners_csv(project, tmp_path / "partners.csv", again)
    assert again == []


def test_garbage_types_are_refused_in_one_line(project: Project, tmp_path: Path) -> None:
    for cell in ("1234", "-", "een zin die veel te lang is om een soort organisatie te zijn " * 2):
        path = tmp_path / "bad.csv"
        path.write_text(f"case,organisation,type\nNoord,X,{cell}\n", encoding="utf-8")
        with pytest.raises(ImportFailed, match="line 2: .* is not an organisation type") as info:
            import_partners_csv(project, path)
        assert "\n" not in str(info.value)
    assert project.scalar("SELECT count(*) FROM organisations") == 0
    assert project.get_meta(OWN_TYPES_META) is None


def test_codebook_partner_types_are_checked_against_the_project(
    project: Project, tmp_path: Path
) -> None:
    cb = tmp_path / "zorg.yaml"
    cb.write_text(CODEBOOK, encoding="utf-8")
    # A bare check takes the types as given (a default type's spelling becomes its key).
    specs = read_yaml(cb)
    assert specs[0].children[1].partner_types == "zorginstelling,gemeente"
    assert check_partner_types("Huisartsenpraktijk; ROC") == "huisartsenpraktijk,mbo"
    # Into a project that does not know them yet: one line naming the code and the fix, nothing imported.
    with pytest.raises(
        CodebookError, match="samenwerking.eerstelijn: unknown organisation type"
    ) as e:
        import_codebook(project, cb)
    assert "casebook partners types add zorginstelling" in str(e.value)
    assert project.scalar("SELECT count(*) FROM codes") == 0
    _healthcare(project, tmp_path)
    role = role_of(project, "samenwerking.eerstelijn")
    assert role.kind == "dyad" and role.partner_types == {"zorginstelling", "huisartsenpraktijk"}
    assert role_of(project, "samenwerking.wijk").partner_types == {"zorginstelling", "gemeente"}
    with pytest.raises(InvalidInput, match="unknown organisation type 'ziekenhuis'"):
        set_collaboration(project, "samenwerking.wijk", None, "ziekenhuis")
    set_collaboration(project, "samenwerking.wijk", None, "Zorginstelling,Huisartsenpraktijk")
    assert role_of(project, "samenwerking.wijk").partner_types == {
        "zorginstelling",
        "huisartsenpraktijk",
    }


def test_own_types_carry_through_links_graph_metrics_and_legend(
    project: Project, tmp_path: Path
) -> None:
    case_id, _ = _healthcare(project, tmp_path)
    set_label(project, "zorginstelling", "zorgorganisatie (VVT)")
    set_label(project, "zorginstelling", "care organisation", "en")
    path = tmp_path / "els.txt"
    path.write_text(DOC, encoding="utf-8")
    doc = import_file(
        project, path, DocumentMeta(case="Rivierdal", kind="interview", role="zorg")
    ).document_id
    text = document_text(project, doc)
    own = resolve_organisation(project, "Zorggroep Rivierdal", case_id)["id"]
    for code, quote, partner in (
        ("samenwerking.eerstelijn", "bespreken we elke week de kwetsbare ouderen", "De Linde"),
        ("samenwerking.wijk", "maken we afspraken over de wijkteams", "Gemeente Rivierdal"),
    ):
        start = text.index(quote)
        cid = add_coding(project, doc, resolve_code(project, code)["id"], start, start + len(quote))
        set_partners(project, cid, [own, resolve_organisation(project, partner, case_id)["id"]])
    links = list_links(project, case_id)
    assert len(links) == 2 and all("Zorggroep Rivierdal" in r["partners"] for r in links)

    g = build_graph(project, Filters(case_id=case_id))
    assert g.number_of_edges() == 2
    nodes = {r["organisation"]: r for r in node_rows(g)}
    assert nodes["Zorggroep Rivierdal"]["type"] == "zorginstelling"
    m = graph_metrics(g, "Rivierdal")
    # Project order: the default gemeente first, then the types in the order the list brought them.
    assert list(m["nodes_by_type"]) == ["gemeente", "zorginstelling", "huisartsenpraktijk"]
    assert m["edges_by_pair"] == {
        "gemeente–zorginstelling": 1,
        "zorginstelling–huisartsenpraktijk": 1,
    }
    assert m["penvoerder"] is None  # no lead type among this project's types
    columns, _ = flatten([m], project_types(project))
    assert columns[-2:] == [
        "edges gemeente–zorginstelling",
        "edges zorginstelling–huisartsenpraktijk",
    ]

    colours = project_types(project).colours()
    assert colours["gemeente"] == DEFAULT_TYPES.colours()["gemeente"]
    assert colours["zorginstelling"] in PALETTE and colours["huisartsenpraktijk"] in PALETTE
    assert colours["zorginstelling"] != colours["huisartsenpraktijk"]
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text, so the legend can be read
    try:
        nl = draw_graph(g, tmp_path / "nl.svg").read_text(encoding="utf-8")
        en = draw_graph(g, tmp_path / "en.svg", language="en").read_text(encoding="utf-8")
    finally:
        matplotlib.rcParams["svg.fonttype"] = "path"
    assert "zorgorganisatie (VVT)" in nl and "huisartsenpraktijk" in nl
    assert "gemeente/overheid" in nl
    assert "care organisation" in en and "municipality/government" in en
    assert colours["zorginstelling"] in nl  # the node and legend colour come from the palette


def test_rename_merge_synonym_and_remove(project: Project, tmp_path: Path) -> None:
    case_id, _ = _healthcare(project, tmp_path)
    result = rename_type(project, "huisartsenpraktijk", "huisarts")
    assert result == {"key": "huisarts", "merged": False, "organisations": 1, "codes": 1}
    assert role_of(project, "samenwerking.eerstelijn").partner_types == {
        "zorginstelling",
        "huisarts",
    }
    # The old key stays a spelling of the type, so the old partner list still imports.
    import_partners_csv(project, tmp_path / "partners.csv")
    assert "huisartsenpraktijk" not in project_types(project)
    assert {o.type for o in load_registry(project, case_id)} == {
        "zorginstelling",
        "huisarts",
        "gemeente",
    }
    add_type(project, "thuiszorg", {"nl": "thuiszorg", "en": "home care"}, ["wijkverpleging"])
    org = resolve_organisation(project, "Thuiszorg Oosterveld", case_id)["id"]
    assert set_type(project, org, "Wijkverpleging") == "thuiszorg"
    merged = rename_type(project, "thuiszorg", "zorginstelling")
    assert merged["merged"] and merged["organisations"] == 1
    assert project_types(project).resolve("wijkverpleging") == "zorginstelling"
    add_synonym(project, "zorginstelling", "VVT")
    assert project_types(project).resolve("vvt") == "zorginstelling"
    with pytest.raises(InvalidInput, match="already names"):
        add_type(project, "VVT")
    with pytest.raises(InvalidInput, match="used by 1 organisation"):
        remove_type(project, "gemeente")
    remove_type(project, "vmbo")
    assert "vmbo" not in project_types(project)


def test_an_sto_project_keeps_the_defaults_untouched(project: Project) -> None:
    added: list[str] = []
    import_partners_csv(project, REPO / "tests" / "fixtures" / "partners_gold.csv", added)
    assert added == []
    assert project.get_meta(OWN_TYPES_META) is None
    assert project.scalar("SELECT count(*) FROM org_types") == 0
    assert project_types(project) is DEFAULT_TYPES


def test_the_migration_keeps_organisations_and_drops_the_fixed_type_list(tmp_path: Path) -> None:
    """A project written before types were data opens with its organisations, aliases and links."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    # the schema as it stood just before the migration that made types data
    before = next(i for i, script in enumerate(MIGRATIONS) if "CREATE TABLE org_types" in script)
    for script in MIGRATIONS[:before]:
        conn.executescript(script)
    conn.execute(f"PRAGMA user_version = {before}")
    conn.executescript(
        """
        INSERT INTO cases (id, name, created_at) VALUES ('c1', 'Noord', 'now');
        INSERT INTO organisations (id, case_id, name, type, created_at, modified_at)
            VALUES ('o1', 'c1', 'ROC Noord', 'mbo', 'now', 'now');
        INSERT INTO organisation_aliases (organisation_id, alias) VALUES ('o1', 'het ROC');
        """
    )
    with pytest.raises(sqlite3.IntegrityError):  # the old schema fixed the list of types
        conn.execute(
            "INSERT INTO organisations (id, case_id, name, type, created_at, modified_at) "
            "VALUES ('o2', 'c1', 'Zorggroep', 'zorginstelling', 'now', 'now')"
        )
    conn.commit()
    conn.close()
    project = open_project(path, create=False)
    try:
        assert project.scalar("PRAGMA user_version") == SCHEMA_VERSION
        assert project.query("SELECT name, type FROM organisations") == [
            {"name": "ROC Noord", "type": "mbo"}
        ]
        assert project.scalar("SELECT alias FROM organisation_aliases") == "het ROC"
        assert not project.query("PRAGMA foreign_key_check")
        assert project.scalar("PRAGMA foreign_keys") == 1
        added: list[str] = []
        set_type(project, "o1", "zorginstelling", added)
        assert added == ["zorginstelling"]
        project.conn.execute("DELETE FROM organisations WHERE id = 'o1'")  # cascades still work
        assert project.scalar("SELECT count(*) FROM organisation_aliases") == 0
    finally:
        project.close()


def test_role_nouns_are_bundled_data_and_a_team_file_goes_on_top(tmp_path: Path) -> None:
    from casebook.reports.chapter_text import (
        ROLE_NOUNS_FILE,
        ChapterText,
        load_role_names,
        load_role_nouns,
    )

    assert ROLE_NOUNS_FILE.suffix == ".toml" and ROLE_NOUNS_FILE.exists()
    assert load_role_nouns()["en"]["po"] == (
        "a respondent from primary education",
        "respondents from primary education",
    )
    nl = ChapterText("nl")
    assert nl.role_many("mbo") == "geïnterviewden vanuit het mbo"
    assert nl.role_many("zorg") == "geïnterviewden (rol: zorg)"  # no entry: the neutral form
    own = tmp_path / "rollen.yaml"
    own.write_text(
        "zorg: [een zorgverlener, zorgverleners]\nmbo: [een mbo-docent, mbo-docenten]\n",
        encoding="utf-8",
    )
    team = ChapterText("nl", load_role_names(own))
    assert team.role_many("zorg") == "zorgverleners" and team.role_one("MBO") == "een mbo-docent"
    assert team.role_many("gemeente") == "geïnterviewden vanuit gemeenten"  # defaults stay


def test_cli_partners_types(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from casebook.cli import cli

    db = str(tmp_path / "zorg.db")
    reg = tmp_path / "partners.csv"
    reg.write_text(REGISTRY, encoding="utf-8")
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli, ["--project", db, *args])

    res = run("partners", "import", str(reg))
    assert res.exit_code == 0, res.output
    notice = [line for line in res.output.splitlines() if "organisation type" in line]
    assert len(notice) == 1 and "zorginstelling, huisartsenpraktijk" in notice[0]
    assert "partners types rename" in notice[0]
    res = run("partners", "types")
    row = next(line for line in res.output.splitlines() if line.startswith("zorginstelling"))
    assert row.split()[:3] == ["zorginstelling", "zorginstelling", "zorginstelling"]
    assert row.split()[3] == "2"  # organisations
    res = run("partners", "types", "add", "woningcorporatie", "--label-en", "housing association")
    assert res.exit_code == 0 and "added organisation type woningcorporatie" in res.output
    res = run("partners", "types", "rename", "huisartsenpraktijk", "zorginstelling")
    assert res.exit_code == 0 and "merged huisartsenpraktijk into zorginstelling" in res.output
    res = run("partners", "types", "label", "zorginstelling", "zorgorganisatie")
    assert res.exit_code == 0
    rows = {r["key"]: r for r in json.loads(run("partners", "types", "--json").output)}
    assert rows["zorginstelling"]["organisations"] == 3
    assert rows["zorginstelling"]["label"] == "zorgorganisatie"
    assert rows["woningcorporatie"]["label_en"] == "housing association"
    assert "huisartsenpraktijk" in rows["zorginstelling"]["synonyms"]
    res = run("partners", "types", "remove", "zorginstelling")
    assert res.exit_code != 0 and "used by 3 organisation" in res.output
    res = run("partners", "add", "X", "--case", "Rivierdal", "--type", "!!")
    assert res.exit_code != 0 and "is not an organisation type" in res.output


def test_a_coders_own_types_travel_with_a_team_merge(tmp_path: Path) -> None:
    from casebook.team.merge import merge_project

    theirs = open_project(tmp_path / "theirs.db", coder="bram")
    _healthcare(theirs, tmp_path)
    set_label(theirs, "huisartsenpraktijk", "Huisartsenpraktijk (eerste lijn)")
    theirs.close()
    mine = open_project(tmp_path / "mine.db", coder="anouk")
    try:
        assert "zorginstelling" not in project_types(mine)
        report = merge_project(mine, tmp_path / "theirs.db")
        assert report.added["org_types"] == 2  # gemeente was known already
        types = project_types(mine)
        assert types.resolve("Huisartsenpraktijk (eerste lijn)") == "huisartsenpraktijk"
        assert types.get("huisartsenpraktijk").labels["nl"] == "Huisartsenpraktijk (eerste lijn)"
        rows = {r["key"]: r for r in type_rows(mine)}
        assert rows["zorginstelling"]["organisations"] == 2
        assert list(rows).index("vmbo") < list(rows).index("zorginstelling")  # defaults first
        assert merge_project(mine, tmp_path / "theirs.db").added.get("org_types") is None
    finally:
        mine.close()
