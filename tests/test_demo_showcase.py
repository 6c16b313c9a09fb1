"""The demo project shows every capability: a filled framework matrix, labelled attributes, the network."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.app import App
from textual.widgets import DataTable

from casebook.cli import cli
from casebook.demo import build_demo
from casebook.store.project import open_project
from casebook.synthesis.framework import framework_grid, list_frameworks
from casebook.tui.screens.framework import FrameworkScreen

FRAMEWORK = "Samenwerking en belemmeringen"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "casebook.db"
    summary = build_demo(path)
    assert summary.frameworks == 1
    return path


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("word/document.xml").decode("utf-8")


def test_demo_framework_has_written_cells(demo: Path) -> None:
    project = open_project(demo, create=False)
    try:
        assert [f["name"] for f in list_frameworks(project)] == [FRAMEWORK]
        grid = framework_grid(project, FRAMEWORK)
        written = {(c.case, c.theme): c.summary for c in grid.cells.values() if c.stored}
        assert len(written) == 5
        assert all(
            s and len(s) > 60 and c.links
            for (c, s) in ((cell, cell.summary) for cell in grid.cells.values() if cell.stored)
        )
        assert [t.path for t in grid.themes] == ["SAM", "VORM", "BEL"]
    finally:
        project.close()


def test_demo_case_report_and_framework_export(demo: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    report = tmp_path / "lindeveen.docx"
    res = runner.invoke(
        cli, ["--project", str(demo), "export", "case-report", "Lindeveen", str(report)]
    )
    assert res.exit_code == 0, res.output
    text = _docx_text(report)
    assert "Cofinanciering" in text and "14 %" in text and "cofinanciering_pct" not in text
    assert "met de penvoerder vereenzelvigd" in text  # the written BEL cell of Lindeveen
    export = tmp_path / "framework.docx"
    res = runner.invoke(
        cli, ["--project", str(demo), "framework", "export", FRAMEWORK, "--docx", str(export)]
    )
    assert res.exit_code == 0, res.output
    assert "Docentuitwisseling en gedeelde faciliteiten" in _docx_text(export)


class Host(App[None]):
    def __init__(self, screen: FrameworkScreen) -> None:
        super().__init__()
        self.framework_screen = screen

    def on_mount(self) -> None:
        self.push_screen(self.framework_screen)


async def test_demo_framework_screen_shows_the_summaries(demo: Path) -> None:
    app = Host(FrameworkScreen(demo, coder="demo"))
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(50):
            await pilot.pause(0.1)
            if app.screen.grid is not None:
                break
        table = app.screen.query_one(DataTable)
        await pilot.pause()
        cells = [
            str(table.get_cell_at((r, c)))
            for r in range(table.row_count)
            for c in range(len(table.columns))
        ]
        assert any("interne programmamanager" in cell for cell in cells)


def test_network_labels_print_readably_on_a4(demo: Path, tmp_path: Path) -> None:
    """The picture is drawn at the width it is printed at, so label sizes are sizes on paper."""
    from PIL import Image

    from casebook.core.cases import resolve_case
    from casebook.partners.draw import draw_graph
    from casebook.partners.graph import Filters, build_graph

    project = open_project(demo, create=False)
    try:
        g = build_graph(
            project, Filters(case_id=resolve_case(project, "Lindeveen")["id"], proposed=True)
        )
    finally:
        project.close()
    png = draw_graph(g, tmp_path / "network.png", title="Netwerk — Lindeveen")
    with Image.open(png) as im:
        width_px = im.size[0]
        dpi = im.info.get("dpi", (200, 200))[0]
    width_cm = width_px / dpi * 2.54
    # placed 16 cm wide: drawn no wider than ~16.5 cm, 7.5 pt labels print at 7 pt or more
    assert 10 < width_cm <= 16 * 7.5 / 7


def test_demo_case_report_network_picture(demo: Path, tmp_path: Path) -> None:
    from casebook.core.cases import resolve_case
    from casebook.partners.draw import draw_graph
    from casebook.partners.graph import Filters, build_graph

    project = open_project(demo, create=False)
    try:
        g = build_graph(
            project, Filters(case_id=resolve_case(project, "Lindeveen")["id"], proposed=True)
        )
    finally:
        project.close()
    assert g.number_of_nodes() > 5
    png = draw_graph(g, tmp_path / "network.png", title="Netwerk — Lindeveen")
    assert png.stat().st_size > 10_000


def test_readme_capture_is_of_the_demo() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("docs/capture_workbench.py`):\n\n```\n", 1)[1].split("\n```", 1)[0]
    assert "casebook · STO demo — LIN_2022_mbo_Veenpoort.odt" in block.splitlines()[0]
    assert (
        Path(__file__).resolve().parents[1] / "corpus" / "lindeveen" / "LIN_2022_mbo_Veenpoort.odt"
    ).exists()
