"""Issue 14: collaboration is a codebook property; any codebook so marked gets links, graphs and metrics."""

from __future__ import annotations

import re
from pathlib import Path

from casebook.codes.codebook import resolve_code
from casebook.codes.collaboration import code_roles, role_of, set_collaboration
from casebook.codes.io import export_codebook, import_codebook
from casebook.core.cases import ensure_case
from casebook.core.codings import add_coding
from casebook.core.documents import DocumentMeta, document_text, import_file
from casebook.partners.graph import Filters, build_graph, collect_passages
from casebook.partners.links import list_links, set_partners
from casebook.partners.metrics import graph_metrics
from casebook.partners.registry import add_organisation
from casebook.store.project import Project, open_project
from tests.conftest import REPO

CUSTOM = """\
codes:
  - name: samenwerking
    collaboration: dyad
    children:
      - name: mbo
        partner_types: [vmbo-penvoerder, vmbo, mbo]
        children:
          - name: stages
            collaboration: form
      - name: bedrijven
        partner_types: [vmbo-penvoerder, vmbo, bedrijf]
      - name: scholen
        partner_types: [vmbo-penvoerder, vmbo]
      - name: kwaliteit
        collaboration: none
  - name: vormen
    collaboration: form
    children:
      - name: gastles
      - name: techlab
  - name: BEL
    children:
      - name: TIJD
"""
# The same codings under the STO codebook and under the custom one.
STO_TO_CUSTOM = {
    "SAM.VMBO_MBO": "samenwerking.mbo",
    "VORM.STAGE": "samenwerking.mbo.stages",
    "SAM.Q.VERTROUWEN": "samenwerking.kwaliteit",
    "SAM.VMBO_BEDRIJF": "samenwerking.bedrijven",
    "SAM.VMBO_VMBO": "samenwerking.scholen",
    "VORM.FACILITEITEN_DELEN": "vormen.techlab",
    "VORM.GASTLES": "vormen.gastles",
    "BEL.TIJD": "BEL.TIJD",
}
DOC = (
    "Interviewer: Hoe gaat het?\n"
    "Anna (Het Windhoek College): Met ROC Maasdelta maken we samen stageplaatsen voor de derdejaars. "
    "Bij Hekkert Metaal lopen docenten mee, maar het kost veel tijd. "
    "Met De Valk delen we nu een techlab. Wij geven samen met Brandt Mechatronics en Hekkert Metaal gastlessen.\n"
    "Interviewer: Dank je wel.\n"
    "Anna (Het Windhoek College): Graag gedaan.\n"
)
CODINGS = [  # code, quote, confirmed partners (None: leave it to the proposal)
    ("SAM.VMBO_MBO", "Met ROC Maasdelta maken we samen stageplaatsen", None),
    ("VORM.STAGE", "samen stageplaatsen voor de derdejaars", None),
    ("SAM.Q.VERTROUWEN", "maken we samen", None),
    (
        "SAM.VMBO_BEDRIJF",
        "Bij Hekkert Metaal lopen docenten mee",
        ["Het Windhoek College", "Hekkert Metaal"],
    ),
    ("BEL.TIJD", "het kost veel tijd", None),
    ("SAM.VMBO_VMBO", "Met De Valk delen we nu een techlab.", None),
    ("VORM.FACILITEITEN_DELEN", "delen we nu een techlab", None),
    (
        "SAM.VMBO_BEDRIJF",
        "Wij geven samen met Brandt Mechatronics en Hekkert Metaal gastlessen",
        None,
    ),
    ("VORM.GASTLES", "gastlessen", None),
]


def _build(
    tmp_path: Path, name: str, codebook: Path, mapping: dict[str, str]
) -> tuple[Project, str]:
    project = open_project(tmp_path / f"{name}.db", coder="tester")
    import_codebook(project, codebook)
    case = ensure_case(project, "Kraaienburg")
    orgs = {
        n: add_organisation(project, case, n, t)
        for n, t in [
            ("Het Windhoek College", "vmbo-penvoerder"),
            ("Scholengemeenschap De Valk", "vmbo"),
            ("ROC Maasdelta", "mbo"),
            ("Hekkert Metaal", "bedrijf"),
            ("Brandt Mechatronics", "bedrijf"),
            ("Gemeente Kraaienburg", "gemeente"),
        ]
    }
    path = tmp_path / f"{name}.txt"
    path.write_text(DOC, encoding="utf-8")
    doc = import_file(
        project, path, DocumentMeta(case="Kraaienburg", kind="interview", role="vmbo")
    ).document_id
    text = document_text(project, doc)
    for code, quote, partners in CODINGS:
        start = text.index(quote)
        cid = add_coding(
            project, doc, resolve_code(project, mapping[code])["id"], start, start + len(quote)
        )
        if partners:
            set_partners(project, cid, [orgs[p] for p in partners])
    return project, case


def _edges(g) -> dict[tuple[str, str], tuple[int, int, int]]:
    out = {}
    for a, b, e in g.edges(data=True):
        key = tuple(sorted((g.nodes[a]["label"], g.nodes[b]["label"])))
        out[key] = (e["weight"], sum(e["forms"].values()), sum(e["dyads"].values()))
    return out


def test_a_differently_named_codebook_gives_the_same_links_graph_and_metrics(
    tmp_path: Path,
) -> None:
    custom = tmp_path / "custom.yaml"
    custom.write_text(CUSTOM, encoding="utf-8")
    sto, sto_case = _build(
        tmp_path, "sto", REPO / "codebooks" / "sto.yaml", {k: k for k in STO_TO_CUSTOM}
    )
    own, own_case = _build(tmp_path, "own", custom, STO_TO_CUSTOM)
    assert role_of(own, "samenwerking.mbo.stages").kind == "form"
    assert role_of(own, "samenwerking.mbo").partner_types == {"vmbo-penvoerder", "vmbo", "mbo"}
    assert role_of(own, "samenwerking.kwaliteit").kind is None  # switched off under a dyad group

    def links(project, case):
        return sorted(
            (r["quote"], tuple(r["partners"]), tuple(sorted(r["proposed"])))
            for r in list_links(project, case)
        )

    assert links(sto, sto_case) == links(own, own_case) and len(links(sto, sto_case)) == 7
    for proposed in (False, True):
        g1 = build_graph(sto, Filters(case_id=sto_case, proposed=proposed))
        g2 = build_graph(own, Filters(case_id=own_case, proposed=proposed))
        assert _edges(g1) == _edges(g2) and _edges(g1)
        m1, m2 = graph_metrics(g1, "x"), graph_metrics(g2, "x")
        assert m1 == m2
    # A dyad passage joins the speaker's organisation with each partner it names, not the partners to each
    # other: Brandt and Hekkert both give guest lessons with the school, not with each other.
    g = build_graph(own, Filters(case_id=own_case, proposed=True))
    assert ("Brandt Mechatronics", "Hekkert Metaal") not in _edges(g)
    assert ("Brandt Mechatronics", "Het Windhoek College") in _edges(g)
    passages = collect_passages(own, Filters(case_id=own_case))
    assert any(
        p.forms == ["samenwerking.mbo.stages"] and p.dyads == ["samenwerking.mbo"] for p in passages
    )
    sto.close()
    own.close()


def test_codebook_set_export_and_qdpx_keep_the_role(project: Project, tmp_path: Path) -> None:
    custom = tmp_path / "custom.yaml"
    custom.write_text(CUSTOM, encoding="utf-8")
    import_codebook(project, custom)
    set_collaboration(project, "vormen.gastles", "none")
    set_collaboration(project, "samenwerking.scholen", None, "vmbo,po")
    roles = code_roles(project)
    assert not roles["VORMEN.GASTLES"].collaboration
    assert roles["SAMENWERKING.SCHOLEN"].partner_types == {"vmbo", "po"}
    assert roles["SAMENWERKING.SCHOLEN"].kind == "dyad"  # kept, only the types changed
    # YAML round trip
    out = tmp_path / "back.yaml"
    export_codebook(project, out)
    text = out.read_text(encoding="utf-8")
    assert "collaboration: dyad" in text and "- po" in text
    again = open_project(tmp_path / "again.db", coder="x")
    import_codebook(again, out)
    assert {
        k: (v.kind, v.partner_types)
        for k, v in code_roles(again).items()
        if "." in k or k.isupper()
    } == {k: (v.kind, v.partner_types) for k, v in roles.items() if "." in k or k.isupper()}
    again.close()
    # QDPX round trip: the role travels in the code's description
    from casebook.exchange.qdpx import export_qdpx, import_codebook_file

    qdpx = tmp_path / "p.qdpx"
    export_qdpx(project, qdpx)
    third = open_project(tmp_path / "third.db", coder="x")
    import_codebook_file(third, qdpx)
    back = code_roles(third)
    for path in (
        "SAMENWERKING.MBO.STAGES",
        "SAMENWERKING.SCHOLEN",
        "VORMEN.GASTLES",
        "SAMENWERKING.KWALITEIT",
    ):
        assert (back[path].kind, back[path].partner_types) == (
            roles[path].kind,
            roles[path].partner_types,
        )
    third.close()


def test_sto_codebook_declares_collaboration_and_partners_code_names_no_codes(
    project: Project,
) -> None:
    import_codebook(project, REPO / "codebooks" / "sto.yaml")
    roles = code_roles(project)
    assert roles["SAM.VMBO_MBO"].kind == "dyad" and "mbo" in roles["SAM.VMBO_MBO"].partner_types
    assert roles["VORM.STAGE"].kind == "form" and not roles["SAM.Q.VERTROUWEN"].collaboration
    assert roles["SAM.Q.VERTROUWEN"].within and not roles["BEL.TIJD"].within
    offenders = []
    for path in (REPO / "casebook" / "partners").glob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"SAM|VORM", line) and not line.lstrip().startswith("#"):
                offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert offenders == []


def test_cli_codebook_set(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "p.db"
    project = open_project(db, coder="x")
    import_codebook(project, REPO / "codebooks" / "sto.yaml")
    project.close()

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "casebook", "-p", str(db), "codebook", "set", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )

    ok = run("BEL.TIJD", "--collaboration", "dyad", "--partner-types", "mbo,bedrijf")
    assert ok.returncode == 0 and "dyad (bedrijf, mbo)" in ok.stdout
    bad = run("BEL.TIJD", "--partner-types", "ruimtevaart")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "ruimtevaart" in bad.stderr
