"""The partner commands as a user runs them: the real binary on real files."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import FIXTURES, REPO
from tests.test_cli import assert_one_line_error, run
from tests.test_partners_mentions import TRANSCRIPT


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "mbo.txt").write_text(TRANSCRIPT, encoding="utf-8")
    assert (
        run(["codebook", "import", str(REPO / "codebooks" / "sto.yaml")], tmp_path).returncode == 0
    )
    proc = run(["partners", "import", str(FIXTURES / "partners_gold.csv")], tmp_path)
    assert proc.returncode == 0 and "14 organisations" in proc.stdout, proc.stderr
    proc = run(
        ["import", "mbo.txt", "--case", "Kraaienburg", "--role", "mbo", "--round", "2022"], tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    return tmp_path


def test_registry_mentions_and_review(workdir: Path) -> None:
    orgs = json.loads(run(["partners", "list", "--json"], workdir).stdout)
    assert len(orgs) == 14
    roc = next(o for o in orgs if o["name"] == "ROC Maasdelta")
    assert roc["mentions"] >= 2

    mentions = json.loads(
        run(["partners", "mentions", "--case", "Kraaienburg", "--json"], workdir).stdout
    )
    assert ("Van der Heijde", "Van der Heijden Installatietechniek B.V.") in {
        (m["surface"], m["organisation"]) for m in mentions
    }
    proc = run(
        ["partners", "mark", "mbo.txt", "--quote", "een techlab", "--organisation", "Windhoek"],
        workdir,
    )
    assert proc.returncode == 0, proc.stderr
    marked = json.loads(
        run(["partners", "mentions", "--status", "confirmed", "--json"], workdir).stdout
    )
    assert [(m["surface"], m["organisation"], m["method"]) for m in marked] == [
        ("een techlab", "Het Windhoek College", "manual")
    ]
    review = run(["partners", "review"], workdir)
    assert "Bouwbedrijf Kramer" in review.stdout
    proc = run(["partners", "accept", "Bouwbedrijf Kramer", "--type", "bedrijf"], workdir)
    assert proc.returncode == 0, proc.stderr
    review = run(["partners", "review"], workdir).stdout
    assert review.startswith("no candidates to review")
    # The review also lists the forms each organisation is found by, with their origin.
    assert "Kramer (no-type-words" in review and "casebook partners form FORM --off" in review
    assert len(json.loads(run(["partners", "list", "--json"], workdir).stdout)) == 15

    assert (
        run(["partners", "rename", "Technova Systems", "Technova Robotics"], workdir).returncode
        == 0
    )
    assert (
        run(
            ["partners", "merge", "Technova Robotics", "Van der Heijden Installatietechniek B.V."],
            workdir,
        ).returncode
        == 0
    )
    names = {o["name"]: o for o in json.loads(run(["partners", "list", "--json"], workdir).stdout)}
    assert "Technova Robotics" not in names
    assert {"Technova Systems", "Technova Robotics"} <= set(
        names["Van der Heijden Installatietechniek B.V."]["aliases"]
    )


def test_link_graph_and_metrics(workdir: Path) -> None:
    quote = "Wij werken met Het Windhoek College aan een techlab."
    proc = run(["code", "mbo.txt", "--code", "SAM.VMBO_MBO", "--quote", quote], workdir)
    assert proc.returncode == 0, proc.stderr
    coding = proc.stdout.strip()
    shown = run(["link", coding[:8]], workdir).stdout
    assert "Het Windhoek College [vmbo-penvoerder] — mentioned in the passage" in shown
    assert "ROC Maasdelta [mbo] — the speaker's organisation" in shown
    proc = run(["link", coding[:8], "--partners", "ROC Maasdelta,Windhoek"], workdir)
    assert (
        proc.returncode == 0 and "partners: Het Windhoek College, ROC Maasdelta" in proc.stdout
    ), proc.stderr
    links = json.loads(run(["links", "--json"], workdir).stdout)
    assert [(r["code"], r["partners"]) for r in links] == [
        ("SAM.VMBO_MBO", ["Het Windhoek College", "ROC Maasdelta"])
    ]

    proc = run(["graph", "--case", "Kraaienburg", "--out", "net.graphml"], workdir)
    assert proc.returncode == 0, proc.stderr
    g = nx.read_graphml(workdir / "net.graphml")
    assert g.number_of_nodes() == 14 and g.number_of_edges() == 1
    table = run(["graph", "--case", "Kraaienburg"], workdir).stdout
    assert "ROC Maasdelta" in table and "Het Windhoek College" in table
    assert run(["graph", "--pooled", "--out", "net.png"], workdir).returncode == 0
    assert (workdir / "net.png").read_bytes()[:4] == b"\x89PNG"

    metrics = json.loads(run(["network-metrics", "--json"], workdir).stdout)
    assert metrics[0]["case"] == "Kraaienburg" and metrics[0]["edges"] == 1
    assert metrics[0]["penvoerder_degree"] == 1 and metrics[0]["edges_by_pair"] == {"vmbo–mbo": 1}
    assert run(["network-metrics", "--out", "m.xlsx"], workdir).returncode == 0
    assert (workdir / "m.xlsx").exists()


def test_errors_are_one_line(workdir: Path) -> None:
    (workdir / "bad.csv").write_text("name,kind\nX,Y\n", encoding="utf-8")
    assert_one_line_error(run(["partners", "import", "bad.csv"], workdir), "missing column(s) case")
    assert_one_line_error(
        run(["partners", "add", "X", "--case", "Kraaienburg", "--type", "?!"], workdir),
        "is not an organisation type",
    )
    assert_one_line_error(
        run(["partners", "rename", "Gemeente Kraaienbrug", "Y"], workdir),
        "did you mean 'Gemeente Kraaienburg'",
    )
    assert_one_line_error(run(["graph"], workdir), "--case NAME, or --pooled")
    assert_one_line_error(
        run(["graph", "--case", "Kraaienburg", "--out", "g.pdf"], workdir), "unknown graph format"
    )
    assert_one_line_error(
        run(["network-metrics", "--out", "nowhere/m.csv"], workdir), "does not exist"
    )
    assert_one_line_error(run(["partners", "reject", "Niemand BV"], workdir), "no candidate")
    proc = run(["code", "mbo.txt", "--code", "BEL.TIJD", "--quote", "Goed."], workdir)
    assert_one_line_error(
        run(["link", proc.stdout.strip(), "--partners", "ROC Maasdelta"], workdir),
        "not a collaboration code",
    )
