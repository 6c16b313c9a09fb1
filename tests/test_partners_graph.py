"""Links, graphs and metrics on a hand-built project whose network is known."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from casebook.codes.codebook import resolve_code
from casebook.codes.io import import_codebook
from casebook.core.cases import ensure_case
from casebook.core.codings import add_coding
from casebook.core.documents import DocumentMeta, document_text, import_file
from casebook.errors import InvalidInput
from casebook.partners.graph import Filters, build_graph, collect_passages, edge_rows, write_graph
from casebook.partners.links import (
    accept_proposals,
    linked_partners,
    propose_partners,
    set_partners,
)
from casebook.partners.metrics import comparison, degree_centralisation, graph_metrics, write_table
from casebook.partners.registry import add_organisation
from casebook.store.project import Project
from tests.conftest import REPO

DOC1 = (
    "Met het ROC maken we samen stageplaatsen voor de derdejaars.\n"
    "Bij Hekkert lopen docenten mee, maar het kost veel tijd.\n"
    "De twee vmbo-scholen delen nu een techlab.\n"
)
DOC2 = "Wij geven samen met Brandt gastlessen op de school.\n"
DOC3 = (
    "Interviewer: Hoe gaat het met de vmbo-scholen?\n"
    "Koen (ROC Maasdelta): Met Het Windhoek College maken we één afspraak voor de hele regio.\n"
    "Interviewer: En met de bedrijven?\n"
    "Koen (ROC Maasdelta): Daar werken we nog aan.\n"
)


class Net:
    def __init__(self, project: Project, tmp_path: Path) -> None:
        self.project = project
        import_codebook(project, REPO / "codebooks" / "sto.yaml")
        self.case = ensure_case(project, "Kraaienburg")
        orgs = [
            ("P", "Het Windhoek College", "vmbo-penvoerder"),
            ("V", "Scholengemeenschap De Valk", "vmbo"),
            ("M", "ROC Maasdelta", "mbo"),
            ("B1", "Hekkert Metaal", "bedrijf"),
            ("B2", "Brandt Mechatronics", "bedrijf"),
            ("G", "Gemeente Kraaienburg", "gemeente"),
        ]
        self.org = {key: add_organisation(project, self.case, name, t) for key, name, t in orgs}
        self.doc1 = self._doc(tmp_path / "pm.txt", DOC1, "2021", "programmamanager", "LIN-PM")
        self.doc2 = self._doc(tmp_path / "bedrijf.txt", DOC2, "2022", "bedrijfsleven", "LIN-BED")
        s1 = self.code(
            self.doc1, "SAM.VMBO_MBO", "Met het ROC maken we samen stageplaatsen", "P", "M"
        )
        self.code(self.doc1, "VORM.STAGE", "samen stageplaatsen voor de derdejaars")
        self.code(self.doc1, "BEV.KORTE_LIJNTJES", "Met het ROC")
        self.code(self.doc1, "SAM.Q.VERTROUWEN", "maken we samen")
        self.code(self.doc1, "SAM.VMBO_BEDRIJF", "Bij Hekkert lopen docenten mee", "P", "B1")
        self.code(self.doc1, "BEL.TIJD", "het kost veel tijd")
        self.code(self.doc1, "BEL.TIJD.RUIMTE", "docenten mee, maar het kost")
        self.code(
            self.doc1, "SAM.VMBO_VMBO", "De twee vmbo-scholen delen nu een techlab.", "P", "V"
        )
        self.code(self.doc1, "VORM.FACILITEITEN_DELEN", "delen nu een techlab")
        self.code(
            self.doc2, "VORM.GASTLES", "Wij geven samen met Brandt gastlessen", "P", "B1", "B2"
        )
        self.s1 = s1

    def _doc(self, path: Path, text: str, round_: str, role: str, respondent: str) -> str:
        path.write_text(text, encoding="utf-8")
        meta = DocumentMeta(case="Kraaienburg", round=round_, role=role, respondent=respondent)
        return import_file(self.project, path, meta).document_id

    def code(self, doc: str, path: str, quote: str, *partners: str) -> str:
        text = document_text(self.project, doc)
        start = text.index(quote)
        coding = add_coding(
            self.project, doc, resolve_code(self.project, path)["id"], start, start + len(quote)
        )
        if partners:
            set_partners(self.project, coding, [self.org[p] for p in partners])
        return coding

    def graph(self, **kw: object) -> nx.Graph:
        return build_graph(self.project, Filters(case_id=self.case, **kw))  # type: ignore[arg-type]


@pytest.fixture
def net(project: Project, tmp_path: Path) -> Net:
    return Net(project, tmp_path)


def test_passages_merge_overlapping_codings(net: Net) -> None:
    passages = collect_passages(net.project, Filters(case_id=net.case))
    assert len(passages) == 4
    passages = [p for p in passages if p.document_id == net.doc1]
    first = passages[0]
    assert first.forms == ["VORM.STAGE"] and first.dyads == ["SAM.VMBO_MBO"]
    assert "SAM.Q.VERTROUWEN" in first.codes
    assert first.valence == "positive"
    assert passages[1].valence == "negative" and passages[1].valence_codes == ["BEL.TIJD.RUIMTE"]
    assert passages[2].valence is None


def test_graph_degrees_weights_and_attributes(net: Net) -> None:
    g = net.graph()
    o = net.org
    assert g.number_of_nodes() == 6 and g.number_of_edges() == 5
    assert {k: g.degree(v) for k, v in o.items()} == {
        "P": 4,
        "V": 1,
        "M": 1,
        "B1": 2,
        "B2": 2,
        "G": 0,
    }
    edge = g.edges[o["P"], o["B1"]]
    assert edge["weight"] == 2
    assert edge["respondents"] == {"LIN-PM", "LIN-BED"}
    assert edge["valence"] == {"negative": 1, "none": 1}
    assert dict(edge["forms"]) == {"VORM.GASTLES": 1}
    pm = g.edges[o["P"], o["M"]]
    assert (
        pm["weight"] == 1
        and dict(pm["dyads"]) == {"SAM.VMBO_MBO": 1}
        and pm["valence"] == {"positive": 1}
    )
    assert len(pm["passages"]) == 1


def test_metrics_known_values(net: Net) -> None:
    m = graph_metrics(net.graph(), "Kraaienburg")
    assert m["nodes"] == 6 and m["edges"] == 5 and m["isolates"] == 1
    assert m["density"] == pytest.approx(5 / 15, abs=1e-4)
    # Freeman: max degree 4; (0 + 3 + 3 + 2 + 2 + 4) / ((6 - 1) * (6 - 2))
    assert m["degree_centralisation"] == pytest.approx(14 / 20, abs=1e-4)
    assert m["penvoerder"] == "Het Windhoek College" and m["penvoerder_degree"] == 4
    # P lies on the only shortest path of 5 of the 10 pairs of other nodes.
    assert m["penvoerder_betweenness"] == pytest.approx(0.5, abs=1e-4)
    assert m["components"] == 1 and m["partner_share"] == pytest.approx(5 / 6, abs=1e-4)
    assert m["edges_by_pair"] == {
        "vmbo–bedrijf": 2,
        "vmbo–vmbo": 1,
        "vmbo–mbo": 1,
        "bedrijf–bedrijf": 1,
    }
    assert m["nodes_by_type"] == {
        "vmbo-penvoerder": 1,
        "vmbo": 1,
        "mbo": 1,
        "bedrijf": 2,
        "gemeente": 1,
    }
    assert m["edges_positive"] == 1 and m["edges_negative"] == 1


def test_degree_centralisation_extremes() -> None:
    assert degree_centralisation(nx.star_graph(5)) == pytest.approx(1.0)
    assert degree_centralisation(nx.cycle_graph(6)) == pytest.approx(0.0)


def test_filters_round_role_code(net: Net) -> None:
    assert net.graph(round="2021").number_of_edges() == 3
    assert net.graph(role="bedrijfsleven").number_of_edges() == 3
    gastles = net.graph(code="VORM.GASTLES")
    assert {
        frozenset((gastles.nodes[a]["label"], gastles.nodes[b]["label"])) for a, b in gastles.edges
    } == {
        frozenset(("Brandt Mechatronics", "Hekkert Metaal")),
        frozenset(("Het Windhoek College", "Brandt Mechatronics")),
        frozenset(("Het Windhoek College", "Hekkert Metaal")),
    }
    forms = net.graph(code="VORM")
    assert forms.number_of_edges() == 5 and forms.edges[net.org["P"], net.org["B1"]]["weight"] == 1
    assert net.graph(code="SAM.VMBO_VMBO").number_of_edges() == 1


def test_pooled_graph_merges_same_named_organisations(net: Net, tmp_path: Path) -> None:
    other = ensure_case(net.project, "Zandrijk")
    roc = add_organisation(net.project, other, "ROC Maasdelta", "mbo")
    school = add_organisation(net.project, other, "Vakcollege Zandrijk", "vmbo-penvoerder")
    path = tmp_path / "z.txt"
    path.write_text("Het ROC en het vakcollege werken samen aan keuzevakken.\n", encoding="utf-8")
    doc = import_file(net.project, path, DocumentMeta(case="Zandrijk")).document_id
    coding = add_coding(
        net.project, doc, resolve_code(net.project, "VORM.KEUZEVAKKEN_SAMEN")["id"], 0, 20
    )
    set_partners(net.project, coding, [roc, school])
    g = build_graph(net.project, Filters(), pooled=True)
    assert g.number_of_nodes() == 6 + 2 - 1
    assert sorted(g.nodes["roc maasdelta"]["cases"]) == ["Kraaienburg", "Zandrijk"]
    assert g.degree("roc maasdelta") == 2
    rows = comparison(net.project, Filters())
    assert [r["case"] for r in rows] == ["Kraaienburg", "Zandrijk", "(pooled)"]
    assert rows[-1]["nodes"] == 7 and rows[-1]["edges"] == 6 and rows[-1]["components"] == 1


def test_links_only_for_collaboration_codes_and_own_case(net: Net) -> None:
    bel = net.code(net.doc1, "BEL.TIJD", "kost veel")
    with pytest.raises(InvalidInput, match="not a collaboration code"):
        set_partners(net.project, bel, [net.org["P"]])
    other = add_organisation(
        net.project, ensure_case(net.project, "Elders"), "Elders College", "vmbo"
    )
    with pytest.raises(InvalidInput, match="another case"):
        set_partners(net.project, net.s1, [other])
    assert {p["name"] for p in linked_partners(net.project, net.s1)} == {
        "Het Windhoek College",
        "ROC Maasdelta",
    }


def test_proposals_from_passage_and_speaker_not_the_neighbourhood(net: Net, tmp_path: Path) -> None:
    path = tmp_path / "mbo.txt"
    path.write_text(DOC3, encoding="utf-8")
    doc = import_file(net.project, path, DocumentMeta(case="Kraaienburg", role="mbo")).document_id
    # The coded words name no partner: the one named just before them in the turn is inferred.
    narrow = net.code(doc, "SAM.VMBO_MBO", "maken we één afspraak")
    inferred = {p.name: p for p in propose_partners(net.project, narrow)}
    assert inferred["ROC Maasdelta"].reasons == ["the speaker's organisation"]
    assert inferred["Het Windhoek College"].inferred and len(inferred) == 2
    coding = net.code(doc, "SAM.VMBO_MBO", "Met Het Windhoek College maken we één afspraak")
    proposal = {p.name: p.reasons for p in propose_partners(net.project, coding)}
    assert proposal == {
        "ROC Maasdelta": ["the speaker's organisation"],
        "Het Windhoek College": ["mentioned in the passage"],
    }
    # Unconfirmed, the coding only counts in a graph built with proposals.
    assert net.graph().edges[net.org["P"], net.org["M"]]["weight"] == 1
    assert net.graph(proposed=True).edges[net.org["P"], net.org["M"]]["weight"] == 2
    assert net.graph(proposed=True).edges[net.org["P"], net.org["M"]]["proposed"] == 1
    accepted = accept_proposals(net.project, net.case)
    assert accepted >= 1
    assert net.graph().edges[net.org["P"], net.org["M"]]["weight"] == 2
    assert accept_proposals(net.project, net.case) == 0
    # A partner named in the turn but outside coded words that name their own partner: not proposed.
    other = tmp_path / "mbo2.txt"
    other.write_text(
        "Interviewer: En verder?\nKoen (ROC Maasdelta): Hekkert Metaal doet ook mee. "
        "Met Het Windhoek College delen we een werkplaats.\nInterviewer: Dank je.\n"
        "Koen (ROC Maasdelta): Graag.\n",
        encoding="utf-8",
    )
    doc2 = import_file(net.project, other, DocumentMeta(case="Kraaienburg", role="mbo")).document_id
    shared = net.code(doc2, "SAM.VMBO_MBO", "Met Het Windhoek College delen we een werkplaats.")
    assert {p.name for p in propose_partners(net.project, shared)} == {
        "ROC Maasdelta",
        "Het Windhoek College",
    }


def test_group_references_are_inferred_and_marked(net: Net, tmp_path: Path) -> None:
    add_organisation(net.project, net.case, "OBS De Linde", "po")
    add_organisation(net.project, net.case, "CBS De Wilg", "po")
    path = tmp_path / "g.txt"
    path.write_text(
        "Wij maken met alle basisscholen een techniekdag, en de scholen doen mee.\n",
        encoding="utf-8",
    )
    doc = import_file(
        net.project, path, DocumentMeta(case="Kraaienburg", organisation="Het Windhoek College")
    )
    coding = net.code(
        doc.document_id, "SAM.VMBO_PO", "Wij maken met alle basisscholen een techniekdag"
    )
    proposals = {p.name: p for p in propose_partners(net.project, coding)}
    assert proposals["Het Windhoek College"].reasons == ["the speaker's organisation"]
    assert not proposals["Het Windhoek College"].inferred
    po = [o for o in proposals.values() if o.type == "po"]
    assert po and all(p.inferred and "alle basisscholen" in p.reasons[0] for p in po)
    # Nothing is guessed from the neighbourhood: no gemeente without a name or group reference.
    assert not any(p.type == "gemeente" for p in proposals.values())


def test_graphml_and_gexf_read_back(net: Net, tmp_path: Path) -> None:
    g = net.graph()
    for ext, reader in ((".graphml", nx.read_graphml), (".gexf", nx.read_gexf)):
        path = write_graph(g, tmp_path / f"net{ext}")
        back = reader(path)
        assert back.number_of_nodes() == 6 and back.number_of_edges() == 5
        labels = {d["label"]: n for n, d in back.nodes(data=True)}
        e = back.edges[labels["Het Windhoek College"], labels["Hekkert Metaal"]]
        assert int(e["weight"]) == 2 and e["forms"] == "VORM.GASTLES (1)"
        assert int(e["valence_negative"]) == 1
        assert back.nodes[labels["Gemeente Kraaienburg"]]["type"] == "gemeente"
    data = json.loads(write_graph(g, tmp_path / "net.json").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 6 and len(data["links"]) == 5


def test_drawings(net: Net, tmp_path: Path) -> None:
    png = write_graph(net.graph(), tmp_path / "net.png")
    head = png.read_bytes()
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and len(head) > 20_000
    from PIL import Image

    with Image.open(png) as im:
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20) or []
    # The penvoerder's dark blue is drawn (node colour by type), not only grey and white.
    assert any(
        abs(r - 0x1F) < 8 and abs(gr - 0x4E) < 8 and abs(b - 0x9C) < 8 for _, (r, gr, b) in colours
    )
    svg = write_graph(net.graph(), tmp_path / "net.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Windhoek" in svg
    with pytest.raises(InvalidInput, match="unknown graph format"):
        write_graph(net.graph(), tmp_path / "net.pdf")


def test_edge_rows_sorted_by_weight(net: Net) -> None:
    rows = edge_rows(net.graph())
    assert rows[0]["weight"] == 2 and {rows[0]["source"], rows[0]["target"]} == {
        "Het Windhoek College",
        "Hekkert Metaal",
    }
    assert rows[0]["respondents"] == ["LIN-BED", "LIN-PM"]


def test_comparison_table_formats(net: Net, tmp_path: Path) -> None:
    rows = comparison(net.project, Filters())
    with (write_table(rows, tmp_path / "m.csv")).open(encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    assert table[0]["case"] == "Kraaienburg" and table[0]["edges vmbo–bedrijf"] == "2"
    assert float(table[0]["density"]) == pytest.approx(1 / 3, abs=1e-3)
    from openpyxl import load_workbook

    ws = load_workbook(write_table(rows, tmp_path / "m.xlsx")).active
    header = [c.value for c in ws[1]]
    assert ws.cell(2, header.index("penvoerder_degree") + 1).value == 4
    from docx import Document

    doc = Document(str(write_table(rows, tmp_path / "m.docx")))
    cells = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert cells["penvoerder betweenness"] == "0.50" and cells["edges"] == "5"
    assert (
        json.loads(write_table(rows, tmp_path / "m.json").read_text(encoding="utf-8"))[0]["nodes"]
        == 6
    )
    with pytest.raises(InvalidInput, match="unknown table format"):
        write_table(rows, tmp_path / "m.ods")


def test_a_participant_list_gives_the_speakers_organisation(net: Net, tmp_path: Path) -> None:
    path = tmp_path / "focus.txt"
    path.write_text(
        "Focusgroep werkgevers\nGespreksleider: Mira Tol (onderzoek).\nDeelnemers:\n"
        "- KB: Koos Bril, directeur Hekkert Metaal\n- AV: Anke Vos (ROC Maasdelta)\n\n"
        "MT: Hoe gaat het met de stages?\n\n"
        "KB: Wij hebben er vier van het Windhoek. Met Het Windhoek College plannen we de stages samen.\n\n"
        "AV: Dat loopt goed.\n",
        encoding="utf-8",
    )
    doc = import_file(net.project, path, DocumentMeta(case="Kraaienburg")).document_id
    coding = net.code(doc, "SAM.VMBO_MBO", "Met Het Windhoek College plannen we de stages samen.")
    proposal = {p.name: p.reasons for p in propose_partners(net.project, coding)}
    assert proposal["Hekkert Metaal"] == ["the speaker's organisation"]
    assert "ROC Maasdelta" not in proposal  # the other participant's line is not this turn's
