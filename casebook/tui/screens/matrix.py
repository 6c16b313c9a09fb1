"""The matrix screen: choose rows, columns, measure and filters; a heat-shaded table; drill down.

Enter on a cell lists its passages (the very passages the cell counts);
Enter on a passage closes both screens with a ``Jump`` to it. ``x``, ``w``
and ``c`` export the table through the same function as ``casebook matrix``
(synthesis/matrix_export.py), in the language chosen on the screen, with
code labels or (the "ids" box) code ids. The codes and filters fields take
the command line's syntax (synthesis/choice.py). Queries run in worker
threads on their own connection, so a big matrix never blocks typing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Input, Label, Select

from casebook.core.cases import attribute_labels
from casebook.errors import CasebookError
from casebook.messages import LANGUAGES
from casebook.store.project import open_project
from casebook.synthesis.choice import CodeChoice, matrix_spec
from casebook.synthesis.heat import dark, heat_hex
from casebook.synthesis.matrix import (
    ANY,
    MEASURES,
    Matrix,
    MatrixSpec,
    Plan,
    cell_passages,
    check_percent,
    compute,
    plan_matrix,
)
from casebook.synthesis.matrix_export import MatrixExport, export_matrix
from casebook.synthesis.passages import short_quote
from casebook.tui.dialogs.simple import PromptDialog
from casebook.tui.messages import Jump
from casebook.tui.served import on_server, written_where

BASE_AXES = ("case", "role", "round", "document", "kind", "coder", "code")
PERCENT = (("counts", ""), ("% of row", "row"), ("% of column", "col"))


def heat_cell(value: float | int | None, vmax: float, text: str | None = None) -> Text:
    label = text if text is not None else ("" if value is None else str(value))
    if not value:
        return Text(label, justify="right", style=Style(dim=True))
    bg = "#" + heat_hex(value, vmax)
    return Text(
        label,
        justify="right",
        style=Style(bgcolor=bg, color="white" if dark(value, vmax) else "black"),
    )


class MatrixScreen(Screen[Jump | None]):
    """Constructor: ``MatrixScreen(project_path, spec=None)``; dismisses with a ``Jump`` or None."""

    DEFAULT_CSS = """
    MatrixScreen #matrix { padding: 0 1; }
    MatrixScreen #matrix-title { margin: 1 0 0 0; }
    MatrixScreen .matrix-controls { height: auto; }
    MatrixScreen .matrix-controls Select { width: 1fr; margin-right: 1; }
    MatrixScreen .matrix-controls Input { width: 1fr; margin-right: 1; }
    MatrixScreen #matrix-children { width: auto; }
    MatrixScreen #matrix-ids { width: auto; }
    MatrixScreen #matrix-language { width: 20; }
    MatrixScreen #matrix-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("x", "export('xlsx')", "Excel"),
        Binding("w", "export('docx')", "Word"),
        Binding("c", "export('csv')", "CSV"),
        Binding("f", "focus_controls", "Choose"),
    ]

    def __init__(self, project_path: Path, spec: MatrixSpec | None = None) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.spec = spec or MatrixSpec("case", "code", "segments", level=1)
        self.percent = ""
        self.language = "nl"  # of exported files; the screen itself speaks the interface's words
        self.ids = False  # code ids instead of code labels, on screen and in exports
        self.plan: Plan | None = None
        self.matrix: Matrix | None = None
        self._axes: list[str] = list(BASE_AXES)

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        codes = CodeChoice(self.spec.codes, self.spec.level).text()
        with Vertical(id="matrix"):
            yield Label("[b]Matrix[/b]", id="matrix-title")
            with Horizontal(classes="matrix-controls"):
                yield Select(
                    [(a, a) for a in self._axes],
                    value=self.spec.rows,
                    allow_blank=False,
                    id="matrix-rows",
                )
                yield Select(
                    [(a, a) for a in self._axes],
                    value=self.spec.cols,
                    allow_blank=False,
                    id="matrix-cols",
                )
                yield Select(
                    [(m, m) for m in MEASURES],
                    value=self.spec.measure,
                    allow_blank=False,
                    id="matrix-measure",
                )
                yield Select(PERCENT, value="", allow_blank=False, id="matrix-percent")
                yield Checkbox("children", self.spec.children, id="matrix-children")
                yield Select(
                    [(f"export: {lang}", lang) for lang in LANGUAGES],
                    value=self.language,
                    allow_blank=False,
                    id="matrix-language",
                )
                yield Checkbox("ids", self.ids, id="matrix-ids")
            with Horizontal(classes="matrix-controls"):
                yield Input(codes, placeholder="codes: BEL.*, SAM   or  level:1", id="matrix-codes")
                yield Input(
                    "; ".join(self.spec.filters),
                    placeholder="filters: role=mbo; round=2022; krimp=ja",
                    id="matrix-filters",
                )
            yield Label("loading…", id="matrix-status")
            yield DataTable(id="matrix-table", cursor_type="cell", zebra_stripes=False)
        yield Footer()

    def on_mount(self) -> None:
        self.load_axes()
        self.query_one(DataTable).focus()
        self.load()

    @work(thread=True, group="matrix-axes", exit_on_error=False, description="matrix axes")
    def load_axes(self) -> None:
        project = open_project(self.project_path, create=False)
        try:
            labels = attribute_labels(project)  # name -> label shown in the list
        finally:
            project.close()
        self.app.call_from_thread(self._set_axes, [*BASE_AXES, *sorted(labels)], labels)

    def _set_axes(self, axes: list[str], labels: dict[str, str] | None = None) -> None:
        self._axes = axes
        labels = labels or {}
        for sid, value in (("#matrix-rows", self.spec.rows), ("#matrix-cols", self.spec.cols)):
            select = self.query_one(sid, Select)
            with self.prevent(Select.Changed):
                select.set_options([(labels.get(a, a), a) for a in axes])
                select.value = value if value in axes else axes[0]

    # --- computing ----------------------------------------------------------------

    def _spec_from_controls(self) -> MatrixSpec:
        return matrix_spec(
            str(self.query_one("#matrix-rows", Select).value),
            str(self.query_one("#matrix-cols", Select).value),
            str(self.query_one("#matrix-measure", Select).value),
            self.query_one("#matrix-codes", Input).value,
            None,
            self.query_one("#matrix-children", Checkbox).value,
            self.query_one("#matrix-filters", Input).value,
        )

    @work(thread=True, exclusive=True, group="matrix", exit_on_error=False, description="matrix")
    def load(self) -> None:
        spec = self.spec
        try:
            project = open_project(self.project_path, create=False)
            try:
                plan = plan_matrix(project, spec)
                check_percent(spec.measure, self.percent or None)
                matrix = compute(project, plan)
            finally:
                project.close()
        except CasebookError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show, plan, matrix)

    def _failed(self, message: str) -> None:
        self.query_one("#matrix-status", Label).update(f"[red]{message}[/red]")
        self.notify(message, severity="error", title="Matrix")

    def _show(self, plan: Plan, m: Matrix) -> None:
        self.plan, self.matrix = plan, m
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column(m.row_title, key="__row")
        for i, c in enumerate(m.cols):
            table.add_column(m.col_text(c, "en", self.ids), key=f"c{i}")
        table.add_column("Total", key="__total")
        percent = self.percent or None
        vmax = 100.0 if percent else float(m.max_value())
        for i, r in enumerate(m.rows):
            cells: list[Any] = [Text(m.row_text(r, "en", self.ids), style="bold")]
            for c in m.cols:
                if percent:
                    p = m.percent(r.key, c.key, percent)
                    cells.append(heat_cell(p, vmax, "" if p is None else f"{p:.1f}%"))
                else:
                    cells.append(heat_cell(m.value(r.key, c.key), vmax))
            cells.append(Text(str(m.row_totals.get(r.key, 0)), justify="right", style="bold"))
            table.add_row(*cells, key=f"r{i}")
        totals = [Text("Total", style="bold")]
        totals += [
            Text(str(m.col_totals.get(c.key, 0)), justify="right", style="bold") for c in m.cols
        ]
        totals.append(Text(str(m.total), justify="right", style="bold"))
        table.add_row(*totals, key="__total")
        status = f"{m.title('en')}" + (
            f", % of {'row' if percent == 'row' else 'column'}" if percent else ""
        )
        self.query_one("#matrix-status", Label).update(
            status + "  — enter opens a cell's passages; x Excel, w Word, c CSV"
        )

    # --- controls -------------------------------------------------------------------

    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(Input.Submitted)
    def _controls_changed(self, event: Any) -> None:
        if event.control.id in ("matrix-language", "matrix-ids"):
            self.language = str(self.query_one("#matrix-language", Select).value)
            self.ids = bool(self.query_one("#matrix-ids", Checkbox).value)
            if self.matrix is not None and self.plan is not None:
                self._show(self.plan, self.matrix)
            return
        if event.control.id == "matrix-percent":
            self.percent = str(event.value or "")
            if self.matrix is not None and not (self.percent and self.matrix.measure == "presence"):
                self._show(self.plan, self.matrix)  # type: ignore[arg-type]
                return
        try:
            self.spec = self._spec_from_controls()
        except CasebookError as exc:  # "level:x", codes and a level together…
            self._failed(str(exc))
            return
        self.load()

    def action_focus_controls(self) -> None:
        self.query_one("#matrix-rows", Select).focus()

    # --- drill-down -------------------------------------------------------------------

    def cell_keys(self, row: int, column: int) -> tuple[Any, Any, str] | None:
        """Row and column keys (``ANY`` for totals) of a table coordinate, and a title."""
        m = self.matrix
        if m is None:
            return None
        if row < len(m.rows):
            rk, rlabel = m.rows[row].key, m.rows[row].label
        else:
            rk, rlabel = ANY, "all"
        if 1 <= column <= len(m.cols):
            ck, clabel = m.cols[column - 1].key, m.cols[column - 1].label
        else:
            ck, clabel = ANY, "all"
        return rk, ck, f"{rlabel} × {clabel}"

    @on(DataTable.CellSelected)
    def _open_cell(self, event: DataTable.CellSelected) -> None:
        keys = self.cell_keys(event.coordinate.row, event.coordinate.column)
        if keys is None or self.plan is None:
            return
        rk, ck, title = keys
        self.app.push_screen(
            CellPassagesScreen(self.project_path, self.plan, rk, ck, title), self._after_passages
        )

    def _after_passages(self, jump: Jump | None) -> None:
        if jump is not None:
            self.dismiss(jump)

    # --- export ---------------------------------------------------------------------

    def action_export(self, kind: str) -> None:
        if self.matrix is None:
            return
        spec = self.spec
        default = self.project_path.parent / f"matrix-{spec.rows}-{spec.cols}-{spec.measure}.{kind}"

        def chosen(path: str | None) -> None:
            if path:
                self.export(kind, Path(path).expanduser())

        self.app.push_screen(
            PromptDialog(on_server(f"Export the matrix ({kind}) to"), str(default)), chosen
        )

    @work(thread=True, group="matrix-export", exit_on_error=False, description="matrix export")
    def export(self, kind: str, path: Path) -> None:
        """The file ``casebook matrix --KIND PATH`` writes for the same matrix and options."""
        m, plan = self.matrix, self.plan
        assert m is not None and plan is not None
        options = MatrixExport(self.percent or None, True, self.language, self.ids)
        try:
            project = open_project(self.project_path, create=False)
            try:
                export_matrix(project, plan, m, path, options, kind=kind)
            finally:
                project.close()
        except CasebookError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", title="Export")
            return
        self.app.call_from_thread(self.notify, f"wrote {written_where(path)}", title="Export")

    def action_close(self) -> None:
        self.dismiss(None)


class CellPassagesScreen(Screen[Jump | None]):
    """The passages of one matrix cell; Enter jumps to one, escape goes back to the matrix."""

    DEFAULT_CSS = """
    CellPassagesScreen #cell { padding: 0 1; }
    CellPassagesScreen #cell-title { margin: 1 0 0 0; }
    CellPassagesScreen #cell-table { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "close", "Back")]

    def __init__(
        self, project_path: Path, plan: Plan, row_key: Any, col_key: Any, title: str
    ) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.plan = plan
        self.row_key, self.col_key = row_key, col_key
        self.title_text = title
        self.rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="cell"):
            yield Label(f"[b]{self.title_text}[/b]", id="cell-title")
            yield Label("loading…", id="cell-status")
            yield DataTable(id="cell-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Case", "Document", "Role", "Round", "Code", "Coder", "Passage")
        table.focus()
        self.load()

    @work(
        thread=True, exclusive=True, group="cell", exit_on_error=False, description="cell passages"
    )
    def load(self) -> None:
        project = open_project(self.project_path, create=False)
        try:
            rows = cell_passages(project, self.plan, self.row_key, self.col_key)
        finally:
            project.close()
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        for i, p in enumerate(rows):
            table.add_row(
                p["case_name"] or "-",
                p["document"],
                p["role"] or "-",
                p["round"] or "-",
                p["code"],
                p["coder"],
                short_quote(p["quote"], 120),
                key=str(i),
            )
        n = len(rows)
        self.query_one("#cell-status", Label).update(
            f"{n} passage{'' if n == 1 else 's'}  — enter opens the passage in its document"
        )

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        p = self.rows[int(event.row_key.value or 0)]
        self.dismiss(Jump(p["document_id"], p["start"], p["end"]))

    def action_close(self) -> None:
        self.dismiss(None)
