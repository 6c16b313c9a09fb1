"""The partner registry: import, add, rename, merge, aliases, types, respondents."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.core.cases import ensure_case
from casebook.core.documents import DocumentMeta, import_file
from casebook.errors import Ambiguous, ImportFailed, InvalidInput, NotFound
from casebook.partners.registry import (
    add_alias,
    add_organisation,
    get_organisation,
    import_partners_csv,
    list_organisations,
    load_registry,
    merge_organisations,
    normalise_type,
    remove_alias,
    rename_organisation,
    resolve_organisation,
    respondent_organisations,
    set_type,
)
from casebook.store.project import Project
from tests.conftest import FIXTURES

GOLD_CSV = FIXTURES / "partners_gold.csv"


def test_import_partner_list_types_and_aliases(project: Project) -> None:
    assert import_partners_csv(project, GOLD_CSV) == 14
    orgs = {o.name: o for o in load_registry(project)}
    assert len(orgs) == 14
    assert orgs["Het Windhoek College"].type == "vmbo-penvoerder"
    assert orgs["Bouwmensen Kraaienburg"].type == "branche"
    assert orgs["Pabo Lindenhof"].aliases == ["Hogeschool Lindenhof"]
    assert project.scalar("SELECT count(*) FROM cases WHERE name = 'Kraaienburg'") == 1


def test_reimport_keeps_ids_and_adds_aliases(project: Project, tmp_path: Path) -> None:
    import_partners_csv(project, GOLD_CSV)
    before = {o.name: o.id for o in load_registry(project)}
    changed = tmp_path / "more.csv"
    changed.write_text(
        "case;organisation;type;aliases\nKraaienburg;ROC Maasdelta;mbo;Maasdelta College|het Maasdelta\n",
        encoding="utf-8",
    )
    assert import_partners_csv(project, changed) == 1
    after = {o.name: o for o in load_registry(project)}
    assert {k: v.id for k, v in after.items()} == before
    assert sorted(after["ROC Maasdelta"].aliases) == ["Maasdelta College", "het Maasdelta"]


def test_corpus_style_types(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "region.csv"
    path.write_text(
        "case,organisation,type,aliases\n"
        "Noord,Werkgevers Noord,branche/werkgeversorganisatie,\n"
        "Noord,Gemeente Noord,gemeente/overheid,de gemeente\n",
        encoding="utf-8",
    )
    import_partners_csv(project, path)
    assert {o.name: o.type for o in load_registry(project)} == {
        "Gemeente Noord": "gemeente",
        "Werkgevers Noord": "branche",
    }


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("", "empty"),
        ("organisation,type\nX,bedrijf\n", "missing column(s) case"),
        ("case,organisation,type\nNoord,X,2024\n", "line 2: '2024' is not an organisation type"),
        ("case,organisation,type\nNoord,,bedrijf\n", "line 2: needs both"),
    ],
)
def test_bad_partner_lists_fail_cleanly(
    project: Project, tmp_path: Path, content: str, needle: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        import_partners_csv(project, path)
    assert needle in str(info.value)
    assert project.scalar("SELECT count(*) FROM organisations") == 0


def test_missing_partner_list(project: Project, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="cannot read"):
        import_partners_csv(project, tmp_path / "nope.csv")


def test_types_normalise() -> None:
    assert normalise_type("Penvoerder") == "vmbo-penvoerder"
    assert normalise_type("  VSO ") == "vso/pro"
    assert normalise_type("") == "overig"
    with pytest.raises(InvalidInput, match="unknown organisation type"):
        normalise_type("kerkgenootschap")


def test_add_rename_keeps_old_name_as_alias(project: Project) -> None:
    case = ensure_case(project, "Noord")
    org = add_organisation(project, case, "ROC Noordkust", "mbo", ["Noordkust"])
    with pytest.raises(InvalidInput, match="already"):
        add_organisation(project, case, "roc noordkust", "mbo")
    with pytest.raises(InvalidInput, match="already names"):
        add_organisation(project, case, "Ander ROC", "mbo", ["Noordkust"])
    rename_organisation(project, org, "Noordkust College")
    row = get_organisation(project, org)
    assert row["name"] == "Noordkust College"
    assert sorted(row["aliases"]) == ["Noordkust", "ROC Noordkust"]
    assert resolve_organisation(project, "roc noordkust")["id"] == org
    set_type(project, org, "vmbo")
    assert get_organisation(project, org)["type"] == "vmbo"
    assert project.scalar("SELECT count(*) FROM audit_log WHERE entity = 'organisation'") == 3


def test_aliases_add_and_remove(project: Project) -> None:
    case = ensure_case(project, "Noord")
    org = add_organisation(project, case, "Bouwbedrijf Kramer", "bedrijf")
    assert add_alias(project, org, "Kramer") is True
    assert add_alias(project, org, "Kramer") is False
    remove_alias(project, org, "Kramer")
    with pytest.raises(NotFound):
        remove_alias(project, org, "Kramer")


def test_merge_moves_names_mentions_and_links(project: Project) -> None:
    case = ensure_case(project, "Noord")
    a = add_organisation(project, case, "Technova", "bedrijf", ["TNV"])
    b = add_organisation(project, case, "Technova Systems B.V.", "bedrijf")
    other_case = ensure_case(project, "Zuid")
    c = add_organisation(project, other_case, "Technova Zuid", "bedrijf")
    merge_organisations(project, a, b)
    row = get_organisation(project, b)
    assert sorted(row["aliases"]) == ["TNV", "Technova"]
    with pytest.raises(NotFound):
        get_organisation(project, a)
    assert (
        project.scalar("SELECT target_id FROM organisation_merges WHERE source_id = ?", (a,)) == b
    )
    with pytest.raises(InvalidInput, match="different cases"):
        merge_organisations(project, b, c)
    with pytest.raises(InvalidInput, match="itself"):
        merge_organisations(project, b, b)


def test_resolve_across_cases_is_ambiguous(project: Project) -> None:
    add_organisation(
        project, ensure_case(project, "Noord"), "Gemeente Noord", "gemeente", ["de gemeente"]
    )
    add_organisation(
        project, ensure_case(project, "Zuid"), "Gemeente Zuid", "gemeente", ["de gemeente"]
    )
    with pytest.raises(Ambiguous, match="add --case"):
        resolve_organisation(project, "de gemeente")
    zuid = project.scalar("SELECT id FROM cases WHERE name = 'Zuid'")
    assert resolve_organisation(project, "de gemeente", zuid)["name"] == "Gemeente Zuid"
    with pytest.raises(NotFound, match="did you mean 'Gemeente Noord'"):
        resolve_organisation(project, "Gemeente Nord")


def test_respondent_organisations_link_to_registry(project: Project, tmp_path: Path) -> None:
    import_partners_csv(project, GOLD_CSV)
    path = tmp_path / "r.txt"
    path.write_text("I: Hoe gaat het?\nR: Goed, dank je.\n", encoding="utf-8")
    # The manifest spells the organisation differently from the registry.
    doc = import_file(
        project, path, DocumentMeta(case="Kraaienburg", organisation="Windhoek College")
    ).document_id
    org = resolve_organisation(project, "Het Windhoek College")
    assert respondent_organisations(project) == {doc: org["id"]}
    listed = {r["name"]: r for r in list_organisations(project)}
    assert listed["Het Windhoek College"]["respondents"] == 1
    assert listed["ROC Maasdelta"]["respondents"] == 0
