"""Framework matrices: case × theme, each cell the analyst's own summary plus its evidence.

Themes are codes the analyst picks (with their children by default). A
cell's *passages* are computed live, exactly like the matrix cell case ×
code; its *links* are the passages the analyst keeps as support. A cell is
stored only once the analyst edits it: it then starts with the evidence
listed (role, document, quote) so the summary is written against the
passages, and every passage of that moment is linked. Passages coded later
show up as ``unlinked`` until the analyst links them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from casebook.codes.codebook import descendants, resolve_code
from casebook.core.cases import resolve_case
from casebook.core.codings import get_coding
from casebook.core.filters import parse_filters
from casebook.core.query import PASSAGE_JOINS, PASSAGE_SELECT, Sql, marks
from casebook.errors import CasebookError, InvalidInput, NotFound
from casebook.store.project import Project, new_id, now
from casebook.synthesis.axes import Header, make_axis
from casebook.synthesis.codesets import CodeColumn, code_columns
from casebook.synthesis.matrix import MatrixSpec, Plan, cell_passages, matrix_passages
from casebook.synthesis.passages import short_quote


@dataclass
class Theme:
    code_id: str
    path: str
    label: str | None
    children: bool


@dataclass
class Framework:
    id: str
    name: str
    description: str | None
    filters: list[str]
    themes: list[Theme]


@dataclass
class Cell:
    case_id: str
    case: str
    code_id: str
    theme: str
    summary: str
    stored: bool
    passages: list[dict[str, Any]] = field(default_factory=list)  # live: the cell's passages now
    links: list[dict[str, Any]] = field(default_factory=list)  # the analyst's supporting passages
    cell_id: str | None = None
    modified_at: str | None = None

    @property
    def unlinked(self) -> list[dict[str, Any]]:
        """Passages of the cell not (yet) among the links: new evidence since the cell was written."""
        linked = {p["coding_id"] for p in self.links}
        return [p for p in self.passages if p["coding_id"] not in linked]

    def as_dict(self) -> dict[str, Any]:
        keep = ("coding_id", "document", "role", "coder", "code", "start", "end", "quote")
        return {
            "case": self.case,
            "theme": self.theme,
            "stored": self.stored,
            "summary": self.summary,
            "links": [{k: p[k] for k in keep} for p in self.links],
            "unlinked": [{k: p[k] for k in keep} for p in self.unlinked] if self.stored else [],
            "modified_at": self.modified_at,
        }


@dataclass
class FrameworkGrid:
    framework: Framework
    cases: list[Header]
    themes: list[Theme]
    cells: dict[tuple[str, str], Cell]

    def cell(self, case_id: str, code_id: str) -> Cell:
        return self.cells[(case_id, code_id)]


def evidence_line(p: dict[str, Any]) -> str:
    role = p.get("role") or "no role"
    return f"- {role}, {p['document']}: “{short_quote(p['quote'])}”"


def prefill(passages: Sequence[dict[str, Any]]) -> str:
    """The text a new cell starts with: its evidence, for the analyst to summarise above."""
    if not passages:
        return ""
    lines = [f"Evidence ({len(passages)} passage{'s' if len(passages) != 1 else ''}):"]
    lines += [evidence_line(p) for p in passages]
    return "\n".join(lines) + "\n"


# --- frameworks -----------------------------------------------------------------


def create_framework(
    project: Project,
    name: str,
    themes: Sequence[str],
    *,
    children: bool = True,
    filters: Sequence[str] = (),
    description: str | None = None,
) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("a framework needs a name")
    if project.query_one("SELECT id FROM frameworks WHERE name = ?", (name,)):
        raise CasebookError(
            f"framework '{name}' already exists; show it with `casebook framework show {name}`"
        )
    if not themes:
        raise InvalidInput(
            "a framework needs themes: give --theme CODE (repeatable, or BEL.* for a branch)"
        )
    columns = code_columns(project, themes, children=children)
    parse_filters(project, filters)  # fail now, not at every show
    fw_id = new_id()
    stamp = now()
    with project.transaction():
        project.conn.execute(
            "INSERT INTO frameworks (id, name, description, filters, created_at, modified_at) VALUES (?,?,?,?,?,?)",
            (fw_id, name, description, json.dumps(list(filters), ensure_ascii=False), stamp, stamp),
        )
        for pos, col in enumerate(columns):
            project.conn.execute(
                "INSERT INTO framework_themes (framework_id, code_id, position, children) VALUES (?,?,?,?)",
                (fw_id, col.key, pos, int(children)),
            )
        project.audit(
            "create",
            "framework",
            fw_id,
            after={"name": name, "themes": [c.label for c in columns], "filters": list(filters)},
        )
    return fw_id


def list_frameworks(project: Project) -> list[dict[str, Any]]:
    return project.query(
        "SELECT f.id, f.name, f.description, f.filters, f.modified_at,"
        " (SELECT count(*) FROM framework_themes t WHERE t.framework_id = f.id) AS themes,"
        " (SELECT count(*) FROM framework_cells c WHERE c.framework_id = f.id) AS written"
        " FROM frameworks f ORDER BY f.name"
    )


def get_framework(project: Project, ref: str) -> Framework:
    ref = ref.strip()
    row = project.query_one("SELECT * FROM frameworks WHERE name = ? OR id = ?", (ref, ref))
    if row is None:
        rows = project.query("SELECT * FROM frameworks WHERE name LIKE ?", (f"%{ref}%",))
        if len(rows) == 1:
            row = rows[0]
        elif len(rows) > 1:
            raise InvalidInput(
                f"'{ref}' matches frameworks {', '.join(r['name'] for r in rows)}; give the full name"
            )
    if row is None:
        names = ", ".join(r["name"] for r in list_frameworks(project))
        raise NotFound(
            f"no framework '{ref}'; frameworks: {names or 'none yet (casebook framework create)'}"
        )
    themes = [
        Theme(r["code_id"], r["path"], r["label"], bool(r["children"]))
        for r in project.query(
            "SELECT t.code_id, t.children, x.path, x.label FROM framework_themes t JOIN codes x ON x.id = t.code_id"
            " WHERE t.framework_id = ? ORDER BY t.position",
            (row["id"],),
        )
    ]
    return Framework(
        row["id"], row["name"], row["description"], json.loads(row["filters"] or "[]"), themes
    )


def delete_framework(project: Project, ref: str) -> None:
    fw = get_framework(project, ref)
    with project.transaction():
        project.conn.execute("DELETE FROM frameworks WHERE id = ?", (fw.id,))
        project.audit("delete", "framework", fw.id, before={"name": fw.name})


def add_themes(
    project: Project, ref: str, themes: Sequence[str], *, children: bool = True
) -> list[str]:
    fw = get_framework(project, ref)
    have = {t.code_id for t in fw.themes}
    added = [c for c in code_columns(project, themes, children=children) if c.key not in have]
    with project.transaction():
        for pos, col in enumerate(added, start=len(fw.themes)):
            project.conn.execute(
                "INSERT INTO framework_themes (framework_id, code_id, position, children) VALUES (?,?,?,?)",
                (fw.id, col.key, pos, int(children)),
            )
        project.conn.execute("UPDATE frameworks SET modified_at = ? WHERE id = ?", (now(), fw.id))
        project.audit("add_themes", "framework", fw.id, after={"themes": [c.label for c in added]})
    return [c.label for c in added]


def _theme(fw: Framework, project: Project, ref: str) -> Theme:
    code = resolve_code(project, ref)
    for t in fw.themes:
        if t.code_id == code["id"]:
            return t
    raise NotFound(
        f"{code['path']} is not a theme of '{fw.name}'; its themes: {', '.join(t.path for t in fw.themes)}"
    )


def _plan(project: Project, fw: Framework) -> Plan:
    filters = parse_filters(project, fw.filters)
    columns = [
        CodeColumn(
            t.code_id, t.path, descendants(project, t.code_id) if t.children else [t.code_id]
        )
        for t in fw.themes
    ]
    if not columns:
        raise InvalidInput(
            f"framework '{fw.name}' has no themes; add some with `casebook framework add-theme`"
        )
    rows = make_axis(project, "case", "r", filters)
    cols = make_axis(project, "code", "c", filters, columns)
    return Plan(
        MatrixSpec("case", "code", "segments", filters=list(fw.filters)), rows, cols, filters
    )


# --- cells ----------------------------------------------------------------------


def _links(project: Project, cell_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {c: [] for c in cell_ids}
    if not cell_ids:
        return out
    sql = Sql(
        turn=True,
        joins=[(PASSAGE_JOINS, []), ("JOIN framework_links fl ON fl.coding_id = k.id", [])],
    )
    sql.where.append((f"fl.cell_id IN ({marks(cell_ids)})", list(cell_ids)))
    text, params = sql.render(
        PASSAGE_SELECT + ", fl.cell_id AS cell_id", "ORDER BY cs.name, d.name, k.start, k.end"
    )
    for p in project.query(text, params):
        out[p["cell_id"]].append(p)
    return out


def framework_grid(project: Project, ref: str | Framework) -> FrameworkGrid:
    """Every cell of the framework: stored ones with their links, the rest as drafts."""
    fw = ref if isinstance(ref, Framework) else get_framework(project, ref)
    plan = _plan(project, fw)
    by_cell: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for p in matrix_passages(project, plan):
        by_cell.setdefault((p["row_key"], p["col_key"]), []).append(p)
    stored = {
        (r["case_id"], r["code_id"]): r
        for r in project.query("SELECT * FROM framework_cells WHERE framework_id = ?", (fw.id,))
    }
    links = _links(project, [r["id"] for r in stored.values()])
    cases = [h for h in plan.rows.headers if h.key is not None]
    cells: dict[tuple[str, str], Cell] = {}
    for case in cases:
        for t in fw.themes:
            passages = by_cell.get((case.key, t.code_id), [])
            row = stored.get((case.key, t.code_id))
            if row:
                cells[(case.key, t.code_id)] = Cell(
                    case.key,
                    case.label,
                    t.code_id,
                    t.path,
                    row["summary"],
                    True,
                    passages,
                    links[row["id"]],
                    row["id"],
                    row["modified_at"],
                )
            else:
                cells[(case.key, t.code_id)] = Cell(
                    case.key,
                    case.label,
                    t.code_id,
                    t.path,
                    prefill(passages),
                    False,
                    passages,
                    list(passages),
                )
    return FrameworkGrid(fw, cases, fw.themes, cells)


def get_cell(project: Project, ref: str | Framework, case_ref: str, theme_ref: str) -> Cell:
    fw = ref if isinstance(ref, Framework) else get_framework(project, ref)
    case = resolve_case(project, case_ref)
    theme = _theme(fw, project, theme_ref)
    plan = _plan(project, fw)
    if all(h.key != case["id"] for h in plan.rows.headers):
        raise NotFound(
            f"case {case['name']} is outside this framework's filters ({'; '.join(fw.filters)})"
        )
    passages = cell_passages(project, plan, case["id"], theme.code_id)
    row = project.query_one(
        "SELECT * FROM framework_cells WHERE framework_id = ? AND case_id = ? AND code_id = ?",
        (fw.id, case["id"], theme.code_id),
    )
    if row is None:
        return Cell(
            case["id"],
            case["name"],
            theme.code_id,
            theme.path,
            prefill(passages),
            False,
            passages,
            list(passages),
        )
    return Cell(
        case["id"],
        case["name"],
        theme.code_id,
        theme.path,
        row["summary"],
        True,
        passages,
        _links(project, [row["id"]])[row["id"]],
        row["id"],
        row["modified_at"],
    )


def edit_cell(
    project: Project,
    ref: str | Framework,
    case_ref: str,
    theme_ref: str,
    *,
    summary: str | None = None,
    link: Sequence[str] = (),
    unlink: Sequence[str] = (),
) -> Cell:
    """Write a cell: the first edit stores the draft (evidence text, all passages linked)."""
    fw = ref if isinstance(ref, Framework) else get_framework(project, ref)
    cell = get_cell(project, fw, case_ref, theme_ref)
    link_ids = [get_coding(project, c)["id"] for c in link]
    unlink_ids = [get_coding(project, c)["id"] for c in unlink]
    before = (
        None
        if not cell.stored
        else {"summary": cell.summary, "links": [p["coding_id"] for p in cell.links]}
    )
    stamp = now()
    with project.transaction():
        if not cell.stored:
            cell.cell_id = new_id()
            project.conn.execute(
                "INSERT INTO framework_cells (id, framework_id, case_id, code_id, summary, coder_id, created_at, modified_at)"
                " VALUES (?,?,?,?,?,?,?,?)",
                (
                    cell.cell_id,
                    fw.id,
                    cell.case_id,
                    cell.code_id,
                    cell.summary,
                    project.coder_id(),
                    stamp,
                    stamp,
                ),
            )
            project.conn.executemany(
                "INSERT OR IGNORE INTO framework_links (cell_id, coding_id) VALUES (?, ?)",
                [(cell.cell_id, p["coding_id"]) for p in cell.passages],
            )
        if summary is not None:
            project.conn.execute(
                "UPDATE framework_cells SET summary = ?, coder_id = ?, modified_at = ? WHERE id = ?",
                (summary, project.coder_id(), stamp, cell.cell_id),
            )
        project.conn.executemany(
            "INSERT OR IGNORE INTO framework_links (cell_id, coding_id) VALUES (?, ?)",
            [(cell.cell_id, c) for c in link_ids],
        )
        project.conn.executemany(
            "DELETE FROM framework_links WHERE cell_id = ? AND coding_id = ?",
            [(cell.cell_id, c) for c in unlink_ids],
        )
        project.conn.execute("UPDATE frameworks SET modified_at = ? WHERE id = ?", (stamp, fw.id))
        after = get_cell(project, fw, cell.case_id, cell.code_id)
        project.audit(
            "edit",
            "framework_cell",
            cell.cell_id,
            before=before,
            after={"summary": after.summary, "links": [p["coding_id"] for p in after.links]},
        )
    return after
