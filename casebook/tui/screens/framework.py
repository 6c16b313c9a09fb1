"""The framework matrix editor: case × theme, each cell your summary written against its passages.

The grid shows per cell whether it is written (✎ and its first line) or
still a draft (how many passages wait). Enter opens the cell editor: the
summary on top (a new cell starts with its evidence listed), the passages
below with their link state; space links or unlinks, ctrl+s saves, Enter on
a passage jumps to it. ``n`` creates a framework, ``x``/``w``/``W`` export.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Select, TextArea

from casebook.errors import CasebookError
from casebook.synthesis.choice import theme_refs
from casebook.synthesis.export_docx import write_framework_docx
from casebook.synthesis.export_xlsx import framework_sheets, write_workbook
from casebook.synthesis.framework import (
    Cell,
    FrameworkGrid,
    create_framework,
    edit_cell,
    framework_grid,
    list_frameworks,
)
from casebook.synthesis.passages import short_quote
from casebook.tui.dialogs.simple import ConfirmDialog, PromptDialog
from casebook.tui.messages import Jump
from casebook.tui.served import on_server, written_where
from casebook.tui.workers import worker_project


def cell_text(cell: Cell) -> Text:
    if cell.stored:
        first = next((line for line in cell.summary.splitlines() if line.strip()), "")
        extra = f" +{len(cell.unlinked)} unlinked" if cell.unlinked else ""
        return Text(f"✎ {short_quote(first, 38)}{extra}", style="bold")
    if cell.passages:
        n = len(cell.passages)
        return Text(f"· {n} passage{'' if n == 1 else 's'}", style="italic")
    return Text("", style="dim")


class FrameworkScreen(Screen[Jump | None]):
    """Constructor: ``FrameworkScreen(project_path, framework=None, coder=None)``.

    ``framework`` is a name or id to open (else the first one); ``coder`` signs
    the edits (else the app's project coder, else the configured coder).
    Dismisses with a ``Jump`` when the analyst opens a passage, else None.
    """

    DEFAULT_CSS = """
    FrameworkScreen #framework { padding: 0 1; }
    FrameworkScreen #framework-title { margin: 1 0 0 0; }
    FrameworkScreen #framework-bar { height: auto; }
    FrameworkScreen #framework-select { width: 60; }
    FrameworkScreen #framework-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("n", "new", "New framework"),
        Binding("x", "export('xlsx')", "Excel"),
        Binding("w", "export('docx-theme')", "Word by theme"),
        Binding("W", "export('docx-case')", "Word by case"),
    ]

    def __init__(
        self, project_path: Path, framework: str | None = None, coder: str | None = None
    ) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.framework_ref = framework
        self.coder = coder
        self.grid: FrameworkGrid | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="framework"):
            yield Label("[b]Framework matrix[/b]", id="framework-title")
            with Horizontal(id="framework-bar"):
                yield Select([], prompt="choose a framework", id="framework-select")
            yield Label("loading…", id="framework-status")
            yield DataTable(id="framework-table", cursor_type="cell")
        yield Footer()

    def on_mount(self) -> None:
        if self.coder is None:
            self.coder = getattr(getattr(self.app, "project", None), "coder", None)
        self.query_one(DataTable).focus()
        self.load()

    @work(
        thread=True, exclusive=True, group="framework", exit_on_error=False, description="framework"
    )
    def load(self) -> None:
        try:
            with worker_project(self.project_path) as project:
                frameworks = [(r["name"], r["id"]) for r in list_frameworks(project)]
                grid = None
                ref = self.framework_ref or (frameworks[0][1] if frameworks else None)
                if ref:
                    grid = framework_grid(project, ref)
        except CasebookError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", title="Framework")
            return
        self.app.call_from_thread(self._show, frameworks, grid)

    def _show(self, frameworks: list[tuple[str, str]], grid: FrameworkGrid | None) -> None:
        select = self.query_one("#framework-select", Select)
        with self.prevent(Select.Changed):
            select.set_options(frameworks)
            if grid is not None:
                select.value = grid.framework.id
        self.grid = grid
        table = self.query_one(DataTable)
        table.clear(columns=True)
        status = self.query_one("#framework-status", Label)
        if grid is None:
            status.update("no framework yet — press n to create one")
            return
        self.framework_ref = grid.framework.id
        table.add_column("case", key="__case")
        for i, t in enumerate(grid.themes):
            table.add_column(t.path, key=f"t{i}")
        for i, c in enumerate(grid.cases):
            table.add_row(
                Text(c.label, style="bold"),
                *(cell_text(grid.cell(c.key, t.code_id)) for t in grid.themes),
                key=f"c{i}",
            )
        written = sum(1 for cell in grid.cells.values() if cell.stored)
        filters = (
            f"  filters: {'; '.join(grid.framework.filters)}" if grid.framework.filters else ""
        )
        status.update(
            f"{written} of {len(grid.cells)} cells written{filters}  — enter edits a cell; n new; x Excel; w/W Word"
        )

    @on(Select.Changed, "#framework-select")
    def _choose(self, event: Select.Changed) -> None:
        if event.value is not Select.BLANK and event.value is not None:
            self.framework_ref = str(event.value)
            self.load()

    @on(DataTable.CellSelected)
    def _edit(self, event: DataTable.CellSelected) -> None:
        grid = self.grid
        row, col = event.coordinate.row, event.coordinate.column
        if grid is None or col == 0 or row >= len(grid.cases):
            return
        cell = grid.cell(grid.cases[row].key, grid.themes[col - 1].code_id)
        self.app.push_screen(
            FrameworkCellEditor(
                self.project_path, grid.framework.id, grid.framework.name, cell, self.coder
            ),
            self._after_edit,
        )

    def _after_edit(self, result: Jump | bool | None) -> None:
        if isinstance(result, Jump):
            self.dismiss(result)
            return
        self.load()

    def action_new(self) -> None:
        def got_name(name: str | None) -> None:
            if name:

                def got_themes(themes: str | None) -> None:
                    if themes:
                        self.create(name, themes)

                self.app.push_screen(
                    PromptDialog(f"Themes of {name} (codes, comma-separated; BEL.* for a branch)"),
                    got_themes,
                )

        self.app.push_screen(PromptDialog("Name of the new framework matrix"), got_name)

    @work(thread=True, group="framework-write", exit_on_error=False, description="new framework")
    def create(self, name: str, themes: str) -> None:
        try:
            with worker_project(self.project_path, self.coder) as project:
                fw_id = create_framework(project, name, theme_refs(themes))
        except CasebookError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", title="Framework")
            return
        self.framework_ref = fw_id
        self.app.call_from_thread(self.load)

    def action_export(self, kind: str) -> None:
        if self.grid is None:
            return
        ext = "xlsx" if kind == "xlsx" else "docx"
        slug = (
            "".join(ch if ch.isalnum() else "-" for ch in self.grid.framework.name)
            .strip("-")
            .lower()
        )
        suffix = "" if kind == "xlsx" else f"-by-{kind.split('-')[1]}"
        default = self.project_path.parent / f"framework-{slug}{suffix}.{ext}"

        def got_path(path: str | None) -> None:
            if path:
                self.export(kind, Path(path).expanduser())

        self.app.push_screen(
            PromptDialog(on_server(f"Export the framework ({ext}) to"), str(default)), got_path
        )

    @work(
        thread=True, group="framework-export", exit_on_error=False, description="framework export"
    )
    def export(self, kind: str, path: Path) -> None:
        grid = self.grid
        assert grid is not None
        try:
            if kind == "xlsx":
                write_workbook(path, framework_sheets(grid))
            else:
                write_framework_docx(path, grid, by=kind.split("-")[1])
        except CasebookError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", title="Export")
            return
        self.app.call_from_thread(self.notify, f"wrote {written_where(path)}", title="Export")

    def action_close(self) -> None:
        self.dismiss(None)


class FrameworkCellEditor(Screen[Jump | bool | None]):
    """One cell: its summary and its passages. Dismisses True after a save, a ``Jump``, or None."""

    DEFAULT_CSS = """
    FrameworkCellEditor #cell-editor { padding: 0 1; }
    FrameworkCellEditor #cell-editor-title { margin: 1 0 0 0; }
    FrameworkCellEditor #cell-summary { height: 2fr; }
    FrameworkCellEditor #cell-links { height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "close", "Back"),
        Binding("space", "toggle_link", "Link/unlink", show=True),
    ]

    def __init__(
        self,
        project_path: Path,
        framework_id: str,
        framework_name: str,
        cell: Cell,
        coder: str | None,
    ) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.framework_id = framework_id
        self.framework_name = framework_name
        self.cell = cell
        self.coder = coder
        self.initial_links = {p["coding_id"] for p in cell.links}
        self.linked = set(self.initial_links)
        by_id = {p["coding_id"]: p for p in [*cell.passages, *cell.links]}
        self.passages = list(by_id.values())
        self.saved = False

    def compose(self) -> ComposeResult:
        state = "" if self.cell.stored else " (new: starts with its evidence)"
        with Vertical(id="cell-editor"):
            yield Label(
                f"[b]{self.framework_name}[/b] — {self.cell.case} × {self.cell.theme}{state}",
                id="cell-editor-title",
            )
            yield TextArea(
                self.cell.summary, id="cell-summary", soft_wrap=True, tab_behavior="focus"
            )
            yield Label("", id="cell-links-status")
            yield DataTable(id="cell-links", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Linked", "Role", "Document", "Coder", "Passage")
        self._fill()
        self.query_one(TextArea).focus()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for p in self.passages:
            table.add_row(
                "✓" if p["coding_id"] in self.linked else "",
                p.get("role") or "-",
                p["document"],
                p["coder"],
                short_quote(p["quote"], 100),
                key=p["coding_id"],
            )
        if self.passages:
            table.move_cursor(row=min(cursor, len(self.passages) - 1))
        self.query_one("#cell-links-status", Label).update(
            f"{len(self.linked)} of {len(self.passages)} passages linked  — space links/unlinks, enter opens, ctrl+s saves"
        )

    @property
    def dirty(self) -> bool:
        return (
            self.linked != self.initial_links or self.query_one(TextArea).text != self.cell.summary
        )

    def action_toggle_link(self) -> None:
        table = self.query_one(DataTable)
        if not table.has_focus or not self.passages:
            return
        cid = self.passages[table.cursor_row]["coding_id"]
        self.linked.symmetric_difference_update({cid})
        self._fill()

    def action_save(self) -> None:
        self.save(
            self.query_one(TextArea).text,
            sorted(self.linked - self.initial_links),
            sorted(self.initial_links - self.linked),
        )

    @work(
        thread=True, exclusive=True, group="cell-save", exit_on_error=False, description="save cell"
    )
    def save(
        self, summary: str, link: list[str], unlink: list[str], then: Jump | None = None
    ) -> None:
        try:
            with worker_project(self.project_path, self.coder) as project:
                cell = edit_cell(
                    project,
                    self.framework_id,
                    self.cell.case_id,
                    self.cell.code_id,
                    summary=summary,
                    link=link,
                    unlink=unlink,
                )
        except CasebookError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", title="Framework")
            return
        self.app.call_from_thread(self._saved, cell, then)

    def _saved(self, cell: Cell, then: Jump | None) -> None:
        self.cell = cell
        self.saved = True
        self.initial_links = {p["coding_id"] for p in cell.links}
        self.linked = set(self.initial_links)
        self.notify(f"saved {cell.case} × {cell.theme}", title="Framework")
        if then is not None:
            self.dismiss(then)
            return
        self._fill()

    @on(DataTable.RowSelected)
    def _jump(self, event: DataTable.RowSelected) -> None:
        p = next(p for p in self.passages if p["coding_id"] == event.row_key.value)
        jump = Jump(p["document_id"], p["start"], p["end"])
        if not self.dirty:
            self.dismiss(jump)
            return

        def answer(save: bool | None) -> None:
            if save:
                text = self.query_one(TextArea).text
                self.save(
                    text,
                    sorted(self.linked - self.initial_links),
                    sorted(self.initial_links - self.linked),
                    jump,
                )
            else:
                self.dismiss(jump)

        self.app.push_screen(
            ConfirmDialog("Save this cell before opening the passage?", yes="Save"), answer
        )

    def action_close(self) -> None:
        if not self.dirty:
            self.dismiss(True if self.saved else None)
            return
        self.app.push_screen(
            ConfirmDialog("Discard the changes to this cell?", yes="Discard"),
            self._discard_if_confirmed,
        )

    def _discard_if_confirmed(self, yes: bool | None) -> None:
        if yes:
            self.dismiss(True if self.saved else None)
