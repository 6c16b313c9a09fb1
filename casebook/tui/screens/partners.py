"""Partners view: a case's organisations with degrees, the edge list, passages behind an edge.

Three small screens that open each other (organisations, forms, passages) live together.

``PartnersScreen`` dismisses with a ``Jump`` when the user opens a passage
(or a mention), so the coding screen can show it. ``PartnerPicker`` is the
small modal for choosing the organisations of one collaboration coding.
Both read and write through their own short-lived project connections;
the graph is built in a worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Label, Select, SelectionList

from casebook.errors import CasebookError
from casebook.partners.forms import assign_form, switch_form, variant_table
from casebook.partners.graph import Filters, build_graph, edge_rows, node_rows
from casebook.partners.links import (
    coding_context,
    is_collaboration_code,
    linked_partners,
    propose_partners,
    set_partners,
)
from casebook.partners.queries import (
    case_organisations,
    cases_with_organisations,
    document_texts,
    organisation_mentions,
)
from casebook.partners.registry import (
    add_organisation,
    merge_organisations,
    rename_organisation,
    set_type,
)
from casebook.store.orgtypes import project_types
from casebook.store.project import Project
from casebook.tui.dialogs.simple import ChooseDialog, ConfirmDialog, PromptDialog
from casebook.tui.messages import Jump
from casebook.tui.screens.candidates import CandidateScreen
from casebook.tui.screens.decisions import DecisionScreen
from casebook.tui.screens.types import TypesScreen
from casebook.tui.workers import worker_project


def _valence(row: dict[str, Any]) -> str:
    parts = [
        f"+{row['positive']}" if row["positive"] else "",
        f"−{row['negative']}" if row["negative"] else "",
        f"±{row['mixed']}" if row["mixed"] else "",
    ]
    return " ".join(p for p in parts if p) or "·"


def _forms(row: dict[str, Any]) -> str:
    return ", ".join(f"{k.split('.', 1)[-1].lower()}×{v}" for k, v in row["forms"].items()) or "-"


class PartnersScreen(Screen[Jump | None]):
    """A case's collaboration network as two tables: organisations and links."""

    DEFAULT_CSS = """
    PartnersScreen #partners-bar { height: 3; }
    PartnersScreen #partners-case { width: 32; }
    PartnersScreen #partners-status { padding: 1 2; }
    PartnersScreen .partners-caption { padding: 0 1; text-style: bold; }
    PartnersScreen #partners-orgs { height: 2fr; }
    PartnersScreen #partners-edges { height: 3fr; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("p", "toggle_proposed", "Proposals"),
        Binding("a", "add", "Add org"),
        Binding("r", "rename", "Rename"),
        Binding("t", "set_type", "Type"),
        Binding("m", "merge", "Merge"),
        Binding("v", "variants", "Name forms"),
        Binding("c", "candidates", "Candidates"),
        Binding("y", "types", "Types"),
    ]

    def __init__(
        self,
        project_path: Path,
        case_id: str | None = None,
        *,
        proposed: bool = False,
        coder: str | None = None,
    ) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.case_id = case_id
        self.proposed = proposed
        self.coder = coder
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="partners"):
            with Horizontal(id="partners-bar"):
                yield Select([], prompt="case", id="partners-case")
                yield Label("loading…", id="partners-status")
            yield Label(
                "Organisations — a add, r rename, t type, m merge, v name forms, c candidates, y types; enter lists mentions",
                classes="partners-caption",
            )
            yield DataTable(id="partners-orgs", cursor_type="row", zebra_stripes=True)
            yield Label("Links — enter opens the coded passages", classes="partners-caption")
            yield DataTable(id="partners-edges", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#partners-orgs", DataTable).add_columns(
            "Organisation", "Type", "Degree", "Passages", "Mentions"
        )
        self.query_one("#partners-edges", DataTable).add_columns(
            "Organisation", "Organisation", "Passages", "Valence", "Respondents", "Forms"
        )
        with worker_project(self.project_path) as project:
            cases = cases_with_organisations(project)
        select = self.query_one("#partners-case", Select)
        if not cases:
            self.query_one("#partners-status", Label).update(
                "no partner organisations yet: import partner lists with `casebook partners import`"
            )
            return
        if self.case_id not in {c["id"] for c in cases}:
            self.case_id = cases[0]["id"]
        with self.prevent(Select.Changed):
            select.set_options([(c["name"], c["id"]) for c in cases])
            select.value = self.case_id
        self.query_one("#partners-edges", DataTable).focus()
        self.load()

    @work(
        thread=True,
        exclusive=True,
        group="partners",
        exit_on_error=False,
        description="collaboration graph",
    )
    def load(self) -> None:
        try:
            with worker_project(self.project_path) as project:
                g = build_graph(project, Filters(case_id=self.case_id, proposed=self.proposed))
                nodes, edges = node_rows(g), edge_rows(g)
        except CasebookError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", title=exc.title)
            return
        self.app.call_from_thread(self._show, nodes, edges)

    def _show(self, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
        self.nodes, self.edges = nodes, edges
        orgs = self.query_one("#partners-orgs", DataTable)
        orgs.clear()
        for i, n in enumerate(nodes):
            orgs.add_row(
                n["organisation"],
                n["type"],
                n["degree"],
                n["weighted_degree"],
                n["mentions"],
                key=str(i),
            )
        table = self.query_one("#partners-edges", DataTable)
        table.clear()
        for i, e in enumerate(edges):
            table.add_row(
                e["source"],
                e["target"],
                e["weight"],
                _valence(e),
                ", ".join(e["respondents"]),
                _forms(e),
                key=str(i),
            )
        active = sum(1 for n in nodes if n["degree"])
        mode = (
            "confirmed and proposed partners"
            if self.proposed
            else "confirmed partners (p: with proposals)"
        )
        self.query_one("#partners-status", Label).update(
            f"{len(nodes)} organisations, {active} in a collaboration, {len(edges)} links — {mode}"
        )

    @on(Select.Changed, "#partners-case")
    def _case(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.case_id:
            self.case_id = event.value
            self.load()

    def action_toggle_proposed(self) -> None:
        self.proposed = not self.proposed
        self.load()

    # --- opening passages ---------------------------------------------------------------

    @on(DataTable.RowSelected, "#partners-edges")
    def _open_edge(self, event: DataTable.RowSelected) -> None:
        edge = self.edges[int(event.row_key.value or 0)]
        title = f"{edge['source']} — {edge['target']}: {edge['weight']} passage{'s' if edge['weight'] != 1 else ''}"
        rows = [
            {
                **s,
                "label": ", ".join(s["codes"]),
                "note": (s["valence"] or "") + (" (proposed)" if s["proposed"] else ""),
            }
            for s in edge["spans"]
        ]
        self.app.push_screen(PassageList(self.project_path, title, rows), self._jump)

    @on(DataTable.RowSelected, "#partners-orgs")
    def _open_org(self, event: DataTable.RowSelected) -> None:
        node = self.nodes[int(event.row_key.value or 0)]
        with worker_project(self.project_path) as project:
            rows = [
                {
                    "document_id": m["document_id"],
                    "document": m["document"],
                    "start": m["start"],
                    "end": m["end"],
                    "label": m["surface"],
                    "note": m["method"],
                }
                for m in organisation_mentions(project, node["ids"][0])
            ]
        self.app.push_screen(
            PassageList(self.project_path, f"Mentions of {node['organisation']}", rows), self._jump
        )

    def _jump(self, target: Jump | None) -> None:
        if target is not None:
            self.dismiss(target)

    # --- registry edits ------------------------------------------------------------------

    def _selected_org(self) -> dict[str, Any] | None:
        table = self.query_one("#partners-orgs", DataTable)
        if not self.nodes or table.cursor_row is None or table.cursor_row >= len(self.nodes):
            self.notify("select an organisation in the left table first", severity="warning")
            return None
        return self.nodes[table.cursor_row]

    def _write(self, action: str, fn: Any) -> None:
        try:
            with worker_project(self.project_path, self.coder) as project:
                fn(project)
        except CasebookError as exc:
            self.notify(str(exc), severity="error", title=exc.title)
            return
        self.notify(action)
        self.load()

    def action_add(self) -> None:
        case_id = self.case_id
        if not case_id:
            return

        def got_name(name: str | None) -> None:
            if not name:
                return

            def got_type(type_: str | None) -> None:
                if type_:
                    self._write(
                        f"added {name}", lambda p: add_organisation(p, case_id, name, type_)
                    )

            self.app.push_screen(ChooseDialog(f"Type of {name}", self._type_choices()), got_type)

        self.app.push_screen(
            PromptDialog("New organisation in this case", placeholder="name"), got_name
        )

    def action_rename(self) -> None:
        node = self._selected_org()
        if node is None:
            return

        def got(name: str | None) -> None:
            if name and name != node["organisation"]:
                self._write(
                    f"renamed to {name}", lambda p: rename_organisation(p, node["ids"][0], name)
                )

        self.app.push_screen(
            PromptDialog(
                f"Rename {node['organisation']} (the old name stays an alias)",
                value=node["organisation"],
            ),
            got,
        )

    def action_set_type(self) -> None:
        node = self._selected_org()
        if node is None:
            return

        choices = self._type_choices()

        def got(type_: str | None) -> None:
            if type_:
                self._write(
                    f"{node['organisation']} is now {dict(choices).get(type_, type_)}",
                    lambda p: set_type(p, node["ids"][0], type_),
                )

        self.app.push_screen(ChooseDialog(f"Type of {node['organisation']}", choices), got)

    def _type_choices(self) -> list[tuple[str, str]]:
        """The project's organisation types as (key, label), in legend order."""
        with worker_project(self.project_path) as project:
            return list(project_types(project).labels().items())

    def action_merge(self) -> None:
        node = self._selected_org()
        if node is None:
            return
        others = [(n["ids"][0], n["organisation"]) for n in self.nodes if n["key"] != node["key"]]
        if not others:
            return

        def got(target: str | None) -> None:
            if not target:
                return
            name = dict(others)[target]

            def confirmed(yes: bool | None) -> None:
                if not yes:
                    self.notify(f"not merged: {node['organisation']} and {name} are unchanged")
                    return
                self._write(
                    f"merged {node['organisation']} into {name}",
                    lambda p: merge_organisations(p, node["ids"][0], target),
                )

            self.app.push_screen(
                ConfirmDialog(
                    f"Merge {node['organisation']} into {name}? Its names become aliases; mentions and links move.",
                    yes="Merge",
                ),
                confirmed,
            )

        self.app.push_screen(ChooseDialog(f"Merge {node['organisation']} into…", others), got)

    def action_variants(self) -> None:
        if not self.case_id:
            return
        node = self._selected_org()
        self.app.push_screen(
            VariantScreen(
                self.project_path, self.case_id, node["ids"][0] if node else None, coder=self.coder
            ),
            self._reload_if_changed,
        )

    def action_candidates(self) -> None:
        if not self.case_id:
            return
        self.app.push_screen(
            CandidateScreen(self.project_path, self.case_id, coder=self.coder),
            self._reload_if_changed,
        )

    def action_types(self) -> None:
        self.app.push_screen(
            TypesScreen(self.project_path, self.case_id or "", coder=self.coder),
            self._reload_if_changed,
        )

    def _reload_if_changed(self, changed: bool | None) -> None:
        if changed:
            self.load()

    def action_close(self) -> None:
        self.dismiss(None)


class VariantScreen(DecisionScreen):
    """The forms the case's organisations are found by, derived ones with their origin.

    ``o`` switches the highlighted derived form off (or on again) for every
    mention in the case; ``a`` adds a form for the organisation. Each
    decision is one transaction and reports how many mentions it changed.
    """

    PREFIX = "variants"
    CAPTION = "[b]Name forms[/b] — o switch a form off/on, a add a form, f all organisations"
    COLUMNS = ("Organisation", "Form", "Where it comes from", "Mentions", "State")
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("o", "toggle_form", "Off/on"),
        Binding("a", "add_form", "Add form"),
        Binding("f", "all_orgs", "All organisations"),
    ]

    def __init__(
        self,
        project_path: Path,
        case_id: str,
        organisation_id: str | None = None,
        *,
        coder: str | None = None,
    ) -> None:
        super().__init__(project_path, case_id, coder=coder)
        self.organisation_id = organisation_id

    def load_rows(self, project: Project, *, first: bool = False) -> list[dict[str, Any]]:
        return [
            r
            for r in variant_table(project, self.case_id)
            if self.organisation_id is None or r["organisation_id"] == self.organisation_id
        ]

    def add_rows(self, table: DataTable[Any]) -> None:
        for i, r in enumerate(self.rows):
            table.add_row(
                r["organisation"],
                r["form"],
                r["origin_text"],
                r["mentions"],
                r["state"],
                key=str(i),
            )

    def action_toggle_form(self) -> None:
        row = self._highlighted()
        if row is None:
            return
        if row["origin"] in ("name", "alias"):
            self.notify(
                "names and aliases are switched off by removing the alias (casebook partners alias … "
                "--remove)",
                severity="warning",
            )
            return
        on = row["state"] == "off"
        self._decide(lambda p: switch_form(p, self.case_id, row["form"], on=on).describe())

    def action_add_form(self) -> None:
        row = self._highlighted()
        org_id = self.organisation_id or (row["organisation_id"] if row else None)
        if not org_id:
            self.notify("highlight a form of the organisation first", severity="warning")
            return
        name = next((r["organisation"] for r in self.rows if r["organisation_id"] == org_id), "")

        def got(form: str | None) -> None:
            if form and form.strip():
                self._decide(
                    lambda p: assign_form(p, self.case_id, form.strip(), org_id).describe()
                )

        self.app.push_screen(
            PromptDialog(
                f"Another form of {name} (every mention of it in the case)", placeholder="het Pact"
            ),
            got,
        )

    def action_all_orgs(self) -> None:
        self.organisation_id = None
        self.refresh_rows()


class PassageList(Screen[Jump | None]):
    """Passages (or mentions) with their text; enter opens one."""

    BINDINGS = [Binding("escape", "close", "Back")]

    def __init__(self, project_path: Path, title: str, rows: list[dict[str, Any]]) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]{self.title_text}[/b]  — enter opens the passage", id="passages-title")
            yield DataTable(id="passages-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Document", "Codes / text", "", "Passage")
        with worker_project(self.project_path) as project:
            texts = document_texts(project, [r["document_id"] for r in self.rows])
        for i, r in enumerate(self.rows):
            text = texts[r["document_id"]]
            if r["end"] - r["start"] < 60:  # a mention: show it in its sentence
                a, b = max(0, r["start"] - 50), min(len(text), r["end"] + 50)
                snippet = ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")
            else:
                snippet = text[r["start"] : r["end"]]
            snippet = snippet.replace("\n", " ")
            table.add_row(r["document"], r["label"], r.get("note") or "", snippet[:160], key=str(i))
        table.focus()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        r = self.rows[int(event.row_key.value or 0)]
        self.dismiss(Jump(r["document_id"], r["start"], r["end"]))

    def action_close(self) -> None:
        self.dismiss(None)


class PartnerPicker(ModalScreen[list[str] | None]):
    """Choose the organisations a collaboration coding involves; proposals come pre-ticked."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, project_path: Path, coding_id: str, *, coder: str | None = None) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.coding_id = coding_id
        self.coder = coder
        self.header = ""
        self.options: list[tuple[str, str, bool]] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("", id="picker-title", classes="dialog-question")
            yield SelectionList[str](id="picker-options")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        try:
            with worker_project(self.project_path, self.coder) as project:
                k = coding_context(project, self.coding_id)
                if not is_collaboration_code(project, k["code"]):
                    raise CasebookError(
                        f"{k['code']} is not a collaboration code (the codebook marks those with "
                        "collaboration: dyad or form)",
                        title="Partners",
                    )
                linked = {r["id"] for r in linked_partners(project, k["id"])}
                proposal = (
                    {}
                    if linked
                    else {p.organisation_id: p.reasons for p in propose_partners(project, k["id"])}
                )
                orgs = case_organisations(project, k["case_id"])
                type_labels = project_types(project).labels()
        except CasebookError as exc:
            self.notify(str(exc), severity="error", title=exc.title)
            self.dismiss(None)
            return
        chosen = linked or set(proposal)
        orgs.sort(key=lambda o: (o["id"] not in chosen, o["name"]))
        self.coding_id = k["id"]
        quote = k["quote"].replace("\n", " ")
        self.query_one("#picker-title", Label).update(
            f"Partners of {k['code']}: “{quote[:70]}{'…' if len(quote) > 70 else ''}”"
            + ("" if linked or not proposal else "  (proposed)")
        )
        picker = self.query_one(SelectionList)
        for o in orgs:
            reason = f"  — {'; '.join(proposal[o['id']])}" if o["id"] in proposal else ""
            picker.add_option(
                (
                    f"{o['name']} [{type_labels.get(o['type'], o['type'])}]{reason}",
                    o["id"],
                    o["id"] in chosen,
                )
            )
        picker.focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        ids = list(self.query_one(SelectionList).selected)
        try:
            with worker_project(self.project_path, self.coder) as project:
                set_partners(project, self.coding_id, ids)
        except CasebookError as exc:
            self.notify(str(exc), severity="error", title=exc.title)
            return
        self.dismiss(ids)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
