"""Issue 14 (generality): partner rules reason with type roles, not with a programme's type names.

A team with its own organisation types (say 'onderwijs-vo', 'werkgever',
'overheid') gives them roles (school, company, municipality) and gets the same
mentions and group references as the default types, which carry those roles
in casebook/data/orgtypes.toml.
"""

from __future__ import annotations

import os

import pytest

from casebook.errors import InvalidInput
from casebook.orgtypes import DEFAULT_TYPES, OrgType, Vocabulary
from casebook.partners.detection import Detector
from casebook.partners.links import group_references
from casebook.partners.model import Organisation

OWN = Vocabulary(
    [
        OrgType("onderwijs-vo", {"nl": "voortgezet onderwijs"}, roles=("school",)),
        OrgType("onderwijs-po", {"nl": "basisonderwijs"}, roles=("school",)),
        OrgType("werkgever", {"nl": "werkgever"}, roles=("company",)),
        OrgType("overheid", {"nl": "overheid"}, roles=("municipality",)),
    ]
)
# the same registry twice: default type keys, and a team's own keys with roles
REGISTRY = [
    ("Metaalbedrijf Hoefnagel B.V.", "bedrijf", "werkgever"),
    ("Kolkman Aandrijvingen", "bedrijf", "werkgever"),
    ("Gemeente Ravenveld", "gemeente", "overheid"),
    ("Vakcollege Ravenveld", "vmbo", "onderwijs-vo"),
    ("Basisschool De Kwikstaart", "po", "onderwijs-po"),
]
TEXT = (
    "Ravenveld betaalt de helft van het lokaal. Bij Hoefnagel lopen zes leerlingen stage, "
    "en Kolkman levert de materialen. Jan Hoefnagel komt zelf lesgeven. "
    "De gemeente zit elke maand aan tafel met het Vakcollege en De Kwikstaart."
)


def _orgs(own: bool) -> list[Organisation]:
    vocab = OWN if own else DEFAULT_TYPES
    out = []
    for i, (name, default, mine) in enumerate(REGISTRY):
        t = mine if own else default
        out.append(Organisation(f"o{i}", "c", name, t, kinds=vocab.answers_to(t)))
    return out


def _mentions(own: bool) -> list[tuple[str, str | None, str]]:
    orgs = _orgs(own)
    names = {o.id: o.name for o in orgs}
    d = Detector(orgs, [], use_model=False, places=["Ravenveld"])
    return [(f.surface, names.get(f.organisation_id or ""), f.status) for f in d.detect(TEXT)]


def test_own_types_with_roles_find_what_the_default_types_find() -> None:
    with_defaults = _mentions(own=False)
    surfaces = {s for s, org, _ in with_defaults if org}
    # the rules that hang on roles are at work in this text at all
    assert {"Hoefnagel", "Kolkman", "Ravenveld", "De gemeente"} <= surfaces
    assert _mentions(own=True) == with_defaults


def test_own_types_without_roles_lose_exactly_the_role_rules() -> None:
    bare = Vocabulary(
        [OrgType(k) for k in ("onderwijs-vo", "onderwijs-po", "werkgever", "overheid")]
    )
    orgs = [
        Organisation(f"o{i}", "c", name, mine, kinds=bare.answers_to(mine))
        for i, (name, _, mine) in enumerate(REGISTRY)
    ]
    names = {o.id: o.name for o in orgs}
    found = {
        (f.surface, names.get(f.organisation_id or ""))
        for f in Detector(orgs, [], use_model=False, places=["Ravenveld"]).detect(TEXT)
    }
    assert ("Kolkman", "Kolkman Aandrijvingen") not in found  # a company's first word: role
    assert ("De gemeente", None) in found  # 'de gemeente' means the one municipality: role
    assert ("Ravenveld", "Gemeente Ravenveld") not in found  # the town for its municipality: role


def test_group_nouns_narrow_to_a_projects_own_school_types() -> None:
    own = frozenset({"onderwijs-vo"})
    assert group_references("met de andere scholen", own, OWN.answers_to) == [
        ("de andere scholen", own)
    ]
    assert group_references("met de andere scholen", frozenset({"werkgever"}), OWN.answers_to) == []
    # a synonym the team gave its type is as good as the default key
    syn = Vocabulary([OrgType("onderwijs-vo", {}, synonyms=("vmbo",))])
    assert group_references("alle drie de vmbo-scholen", own, syn.answers_to) == [
        ("alle drie de vmbo-scholen", own)
    ]


def test_roles_are_stored_changed_and_checked(tmp_path) -> None:
    from casebook.core.cases import ensure_case
    from casebook.core.documents import DocumentMeta, import_file
    from casebook.partners.registry import add_organisation, load_registry
    from casebook.partners.storage import detect_case, list_mentions
    from casebook.store.orgtypes import add_type, project_types, set_roles
    from casebook.store.project import open_project

    os.environ.setdefault("CASEBOOK_BLANK_NLP", "1")
    project = open_project(tmp_path / "p.db", coder="tester")
    try:
        add_type(project, "werkgever", {"nl": "werkgever"})
        case = ensure_case(project, "Ravenveld")
        firm = add_organisation(project, case, "Kolkman Aandrijvingen", "werkgever")
        path = tmp_path / "d.txt"
        path.write_text("Kolkman levert de materialen voor het lokaal.\n", encoding="utf-8")
        import_file(project, path, DocumentMeta(case="Ravenveld"))

        def firm_mentions() -> int:
            detect_case(project, case)  # no force: a role change must count as a change
            return sum(
                1 for m in list_mentions(project, case_id=case) if m["organisation_id"] == firm
            )

        assert firm_mentions() == 0
        assert set_roles(project, "werkgever", ["company"]) == ("company",)
        assert project_types(project).get("werkgever").roles == ("company",)
        assert "company" in load_registry(project, case)[0].kinds
        assert firm_mentions() == 1
        with pytest.raises(InvalidInput, match="unknown role 'bakker'"):
            set_roles(project, "werkgever", ["bakker"])
        set_roles(project, "werkgever", [])
        assert firm_mentions() == 0
    finally:
        project.close()


def test_a_municipality_of_an_own_type_gives_the_case_its_town(tmp_path) -> None:
    from casebook.core.cases import ensure_case
    from casebook.partners.registry import add_organisation
    from casebook.partners.storage import case_places
    from casebook.store.orgtypes import add_type
    from casebook.store.project import open_project

    project = open_project(tmp_path / "p.db", coder="tester")
    try:
        add_type(project, "lokaal bestuur", roles=["municipality"])
        add_type(project, "stadsdeel")
        case = ensure_case(project, "Noord")
        add_organisation(project, case, "Gemeente Ravenveld", "lokaal bestuur")
        add_organisation(project, case, "Gemeente Kolkdorp", "stadsdeel")
        places = case_places(project, case)
        assert "Ravenveld" in places and "Kolkdorp" not in places
    finally:
        project.close()
