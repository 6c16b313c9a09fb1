"""casebook segments / matrix / cooccurrence / framework … / compare-rounds

Long because the synthesis command group has many small commands; each only parses and
calls synthesis/.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from casebook.cli.output import emit_json, table
from casebook.cli.state import State, pass_state
from casebook.core.filters import parse_filters
from casebook.errors import InvalidInput
from casebook.messages import message
from casebook.synthesis.choice import matrix_spec, parse_codes, parse_filter_items, theme_refs
from casebook.synthesis.cooccurrence import cooccurrence
from casebook.synthesis.export_docx import write_framework_docx, write_rounds_docx, write_table_docx
from casebook.synthesis.export_xlsx import (
    cooccurrence_sheets,
    framework_sheets,
    rounds_sheets,
    write_workbook,
)
from casebook.synthesis.framework import (
    add_themes,
    create_framework,
    delete_framework,
    edit_cell,
    framework_grid,
    get_cell,
    get_framework,
    list_frameworks,
)
from casebook.synthesis.matrix import cell_passages, compute, header_key, plan_matrix
from casebook.synthesis.matrix_export import MatrixExport, export_matrix, matrix_grid, write_csv
from casebook.synthesis.queries import CodingQuery, run_query
from casebook.synthesis.rounds import compare_rounds

PASSAGE_CSV = (
    "coding_id",
    "case_name",
    "document",
    "kind",
    "round",
    "role",
    "respondent",
    "speaker",
    "coder",
    "code",
    "start",
    "end",
    "quote",
)


def _reader_options(func: Any) -> Any:
    """``--language`` and ``--ids``: what a deliverable's headers say (see casebook/messages.py)."""
    func = click.option(
        "--ids",
        is_flag=True,
        help="Code ids (paths such as BEL.TIJD) instead of code labels in headers.",
    )(func)
    return click.option(
        "--language",
        type=click.Choice(["nl", "en"]),
        default="nl",
        show_default=True,
        help="Language of titles, headers, measure names and totals.",
    )(func)


def _one_output(**chosen: Any) -> None:
    given = [k for k, v in chosen.items() if v]
    if len(given) > 1:
        raise InvalidInput(
            f"choose one output: {' or '.join('--' + g.replace('_', '-') for g in given)}"
        )


def _csv_option(func: Any) -> Any:
    """``--csv`` alone writes to standard output; ``--csv PATH`` writes a file, like ``--xlsx PATH``."""
    return click.option(
        "--csv",
        "as_csv",
        is_flag=False,
        flag_value="-",
        default=None,
        metavar="[PATH]",
        type=click.Path(path_type=Path, allow_dash=True),
        help="CSV to PATH, or to standard output when no path is given.",
    )(func)


def _emit_grid(grid: list[list[Any]], target: Path | str = "-") -> None:
    write_csv(grid, target)
    if str(target) != "-":
        click.echo(f"wrote {target}", err=True)


def _emit_rows(
    rows: list[dict[str, Any]], columns: Sequence[str], target: Path | str = "-"
) -> None:
    _emit_grid(
        [list(columns), *([r.get(c) for c in columns] for r in rows)],
        target,
    )


def _print_grid(grid: list[list[Any]]) -> None:
    cols = [str(i) for i in range(len(grid[0]))]
    rows = [
        {
            str(i): ("" if v is None else (f"{v:.1f}" if isinstance(v, float) else v))
            for i, v in enumerate(r)
        }
        for r in grid[1:]
    ]
    table(rows, cols, [str(h) for h in grid[0]])


def _print_passages(passages: list[dict[str, Any]]) -> None:
    for p in passages:
        p["short"] = p["coding_id"][:8]
        p["span"] = f"{p['start']}–{p['end']}"
        p["text"] = " ".join(p["quote"].split())
    table(
        passages,
        ["short", "case_name", "document", "role", "round", "code", "coder", "span", "text"],
        ["id", "case", "document", "role", "round", "code", "coder", "span", "quote"],
    )


def _n_passages(n: int) -> str:
    return f"{n} passage" + ("" if n == 1 else "s")


def _filter_items(filters: Sequence[str], **named: Sequence[str]) -> list[str]:
    items = parse_filter_items(filters)
    for key, values in named.items():
        items += [f"{key}={v}" for v in values]
    return items


# --- segments ---------------------------------------------------------------------


@click.command("segments")
@click.option(
    "--code", "codes", multiple=True, required=True, help="Code to retrieve (repeat for OR)."
)
@click.option("--or", "or_codes", multiple=True, metavar="CODE", help="Also passages of this code.")
@click.option(
    "--and",
    "and_codes",
    multiple=True,
    metavar="CODE",
    help="Keep passages with this code related (see --within).",
)
@click.option(
    "--not",
    "not_codes",
    multiple=True,
    metavar="CODE",
    help="Drop passages with this code related.",
)
@click.option(
    "--within",
    default="overlap",
    show_default=True,
    help="Relation for --and/--not: overlap, turn, paragraph, sentences:N.",
)
@click.option(
    "--children/--no-children", default=True, help="Codes include their child codes (default)."
)
@click.option("--case", "cases", multiple=True)
@click.option("--role", "roles", multiple=True, help="Speaker role (interviewer, mbo, …).")
@click.option("--round", "rounds", multiple=True)
@click.option(
    "--kind", "kinds", multiple=True, help="Document kind: interview, progress_report, plan, other."
)
@click.option(
    "--coder",
    "coders",
    multiple=True,
    help="Only this coder's codings (both sides of --and/--not).",
)
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=VALUE",
    help="Any filter, e.g. krimp=ja (case attribute).",
)
@click.option("--json", "as_json", is_flag=True)
@_csv_option
@pass_state
def segments_cmd(
    state: State,
    codes: tuple[str, ...],
    or_codes: tuple[str, ...],
    and_codes: tuple[str, ...],
    not_codes: tuple[str, ...],
    within: str,
    children: bool,
    cases: tuple[str, ...],
    roles: tuple[str, ...],
    rounds: tuple[str, ...],
    kinds: tuple[str, ...],
    coders: tuple[str, ...],
    filters: tuple[str, ...],
    as_json: bool,
    as_csv: Path | None,
) -> None:
    """Coded passages by code, combined with AND / OR / NOT and filtered.

    \b
    casebook segments --code BEL.TIJD --and SAM --within turn --role mbo
    casebook segments --code BEL --not BEL.TIJD --round 2022 --csv bel.csv
    """
    _one_output(json=as_json, csv=as_csv)
    project = state.project()
    f = parse_filters(
        project,
        _filter_items(filters, case=cases, role=roles, round=rounds, kind=kinds, coder=coders),
    )
    q = CodingQuery([*codes, *or_codes], list(and_codes), list(not_codes), within, children)
    rows = run_query(project, q, f)
    if as_json:
        emit_json(rows)
        return
    if as_csv:
        for r in rows:
            r["matched"] = ";".join(r["matched"])
        _emit_rows(rows, [*PASSAGE_CSV, "matched"], as_csv)
        return
    _print_passages(rows)
    click.echo(_n_passages(len(rows)))


# --- matrix -----------------------------------------------------------------------


def _matrix_options(func: Any) -> Any:
    for opt in reversed(
        [
            click.option(
                "--codes",
                "codes",
                multiple=True,
                help="Codes for the code axis: A,B or BEL.* (children of BEL) or * or level:N.",
            ),
            click.option(
                "--level", type=int, help="Every code at this level of the tree (1 = top)."
            ),
            click.option(
                "--children/--no-children",
                default=True,
                help="A code counts its child codes' passages (default).",
            ),
            click.option(
                "--filter",
                "filters",
                multiple=True,
                metavar="KEY=VALUE",
                help="case, role, round, kind, coder, code, document or a case attribute.",
            ),
        ]
    ):
        func = opt(func)
    return func


@click.command("matrix")
@click.option(
    "--rows",
    default="case",
    show_default=True,
    help="case, role, round, document, kind, coder, code or a case attribute.",
)
@click.option("--cols", default="code", show_default=True, help="As --rows.")
@click.option(
    "--measure",
    default="segments",
    show_default=True,
    help="segments, documents, respondents, cases, characters, presence.",
)
@_matrix_options
@click.option(
    "--percent",
    type=click.Choice(["row", "col"]),
    help="Show percentages of the row or column total.",
)
@click.option("--no-totals", is_flag=True)
@click.option(
    "--cell",
    nargs=2,
    metavar="ROW COL",
    help="Print the passages of one cell (by name, code id or label; 'Total' for a whole row or column).",
)
@click.option("--json", "as_json", is_flag=True)
@_csv_option
@click.option(
    "--xlsx",
    "xlsx",
    type=click.Path(path_type=Path),
    help="Write a workbook: the matrix and a sheet of its passages.",
)
@click.option(
    "--docx", "docx", type=click.Path(path_type=Path), help="Write the matrix as a Word table."
)
@_reader_options
@pass_state
def matrix_cmd(
    state: State,
    rows: str,
    cols: str,
    measure: str,
    codes: tuple[str, ...],
    level: int | None,
    children: bool,
    filters: tuple[str, ...],
    percent: str | None,
    no_totals: bool,
    cell: tuple[str, str] | None,
    as_json: bool,
    as_csv: Path | None,
    xlsx: Path | None,
    docx: Path | None,
    language: str,
    ids: bool,
) -> None:
    """A case × code (or any two axes) table of a measure.

    \b
    casebook matrix --rows case --cols code --level 1 --measure documents
    casebook matrix --rows role --cols code --codes 'BEL.*' --filter round=2022 --xlsx bel.xlsx
    casebook matrix --rows case --cols code --codes BEV --cell Lindeveen BEV
    """
    _one_output(json=as_json, csv=as_csv, xlsx=xlsx, docx=docx)
    project = state.project()
    spec = matrix_spec(rows, cols, measure, codes, level, children, filters)
    plan = plan_matrix(project, spec)
    options = MatrixExport(percent, not no_totals, language, ids)
    options.check(measure)
    m = compute(project, plan)
    if cell:
        rk = header_key(m.rows, cell[0], m.row_title)
        ck = header_key(m.cols, cell[1], m.col_title)
        passages = cell_passages(project, plan, rk, ck)
        if as_json:
            emit_json(passages)
        elif as_csv:
            _emit_rows(passages, PASSAGE_CSV, as_csv)
        else:
            _print_passages(passages)
            click.echo(_n_passages(len(passages)))
        return
    if as_json:
        emit_json(m.as_dict(percent, language=language, ids=ids))
    elif as_csv:
        _emit_grid(matrix_grid(m, options), as_csv)
    elif xlsx or docx:
        target = xlsx or docx
        assert target is not None
        kind = "xlsx" if xlsx else "docx"
        click.echo(f"wrote {export_matrix(project, plan, m, target, options, kind=kind)}")
    else:
        share = message(language, "percent_of")[percent] if percent else ""
        click.echo(m.title(language) + (f", {share}" if share else ""))
        _print_grid(matrix_grid(m, options))


@click.command("cooccurrence")
@_matrix_options
@click.option(
    "--within", type=click.Choice(["overlap", "turn"]), default="overlap", show_default=True
)
@click.option("--jaccard", is_flag=True, help="Show the Jaccard share instead of counts.")
@click.option("--json", "as_json", is_flag=True)
@_csv_option
@click.option(
    "--xlsx",
    "xlsx",
    type=click.Path(path_type=Path),
    help="Counts and Jaccard shares, one sheet each.",
)
@click.option("--docx", "docx", type=click.Path(path_type=Path))
@_reader_options
@pass_state
def cooccurrence_cmd(
    state: State,
    codes: tuple[str, ...],
    level: int | None,
    children: bool,
    filters: tuple[str, ...],
    within: str,
    jaccard: bool,
    as_json: bool,
    as_csv: Path | None,
    xlsx: Path | None,
    docx: Path | None,
    language: str,
    ids: bool,
) -> None:
    """Code × code: how often codes overlap (or share a speaker turn), with the Jaccard share."""
    _one_output(json=as_json, csv=as_csv, xlsx=xlsx, docx=docx)
    project = state.project()
    choice = parse_codes(codes, level)
    co = cooccurrence(
        project,
        choice.codes,
        level=choice.level,
        children=children,
        within=within,
        filters=parse_filter_items(filters),
    )
    grid = co.grid(jaccard=jaccard, language=language, ids=ids)
    if as_json:
        emit_json(co.as_dict(language=language, ids=ids))
    elif as_csv:
        _emit_grid(grid, as_csv)
    elif xlsx:
        sheets = cooccurrence_sheets(co, language=language, ids=ids)
        click.echo(f"wrote {write_workbook(xlsx, sheets)}")
    elif docx:
        title = co.title(language, jaccard=jaccard)
        click.echo(f"wrote {write_table_docx(docx, title, grid, totals=False, language=language)}")
    else:
        _print_grid(grid)


# --- framework ----------------------------------------------------------------------


@click.group("framework")
def framework_group() -> None:
    """Framework matrices: case × theme summaries written against the passages."""


@framework_group.command("create")
@click.argument("name")
@click.option(
    "--theme",
    "themes",
    multiple=True,
    required=True,
    help="A code (repeatable; A,B or BEL.* work too).",
)
@click.option("--children/--no-children", default=True)
@click.option("--filter", "filters", multiple=True, metavar="KEY=VALUE")
@click.option("--description")
@pass_state
def framework_create(
    state: State,
    name: str,
    themes: tuple[str, ...],
    children: bool,
    filters: tuple[str, ...],
    description: str | None,
) -> None:
    """Create a framework matrix NAME with the given themes."""
    project = state.project()
    fw_id = create_framework(
        project,
        name,
        theme_refs(themes),
        children=children,
        filters=filters,
        description=description,
    )
    fw = get_framework(project, fw_id)
    click.echo(f"created framework {fw.name}: {', '.join(t.path for t in fw.themes)}")


@framework_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def framework_list(state: State, as_json: bool) -> None:
    """List framework matrices."""
    rows = list_frameworks(state.project())
    if as_json:
        emit_json(rows)
        return
    table(
        rows,
        ["name", "themes", "written", "filters", "modified_at"],
        ["framework", "themes", "cells written", "filters", "modified"],
    )


@framework_group.command("add-theme")
@click.argument("name")
@click.argument("themes", nargs=-1, required=True)
@click.option("--children/--no-children", default=True)
@pass_state
def framework_add_theme(state: State, name: str, themes: tuple[str, ...], children: bool) -> None:
    """Add themes to a framework."""
    added = add_themes(state.project(), name, theme_refs(themes), children=children)
    click.echo(f"added {', '.join(added) or 'nothing (already themes)'}")


@framework_group.command("show")
@click.argument("name")
@click.option("--case", "case_ref")
@click.option("--theme", "theme_ref")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def framework_show(
    state: State, name: str, case_ref: str | None, theme_ref: str | None, as_json: bool
) -> None:
    """The framework as a case × theme overview, or one cell with --case and --theme."""
    project = state.project()
    fw = get_framework(project, name)
    if case_ref and theme_ref:
        cell = get_cell(project, fw, case_ref, theme_ref)
        if as_json:
            emit_json(cell.as_dict())
            return
        click.echo(
            f"{fw.name} — {cell.case} × {cell.theme}"
            + ("" if cell.stored else " (not written yet)")
        )
        click.echo("")
        click.echo(cell.summary.rstrip() or "(empty)")
        if cell.stored:
            click.echo("")
            click.echo(f"Linked passages ({len(cell.links)}):")
            for p in cell.links:
                click.echo(
                    f"  {p['coding_id'][:8]}  {p.get('role') or 'no role'}, {p['document']}: “{' '.join(p['quote'].split())}”"
                )
            if cell.unlinked:
                click.echo(f"Not linked yet ({len(cell.unlinked)}):")
                for p in cell.unlinked:
                    click.echo(
                        f"  {p['coding_id'][:8]}  {p.get('role') or 'no role'}, {p['document']}: “{' '.join(p['quote'].split())}”"
                    )
        return
    if case_ref or theme_ref:
        raise InvalidInput("give both --case and --theme to show one cell")
    grid = framework_grid(project, fw)
    if as_json:
        emit_json(
            {
                "name": fw.name,
                "filters": fw.filters,
                "themes": [t.path for t in grid.themes],
                "cases": [c.label for c in grid.cases],
                "cells": [
                    grid.cell(c.key, t.code_id).as_dict() for c in grid.cases for t in grid.themes
                ],
            }
        )
        return
    rows = []
    for c in grid.cases:
        row: dict[str, Any] = {"case": c.label}
        for t in grid.themes:
            cell = grid.cell(c.key, t.code_id)
            if cell.stored:
                extra = f" +{len(cell.unlinked)} unlinked" if cell.unlinked else ""
                row[t.code_id] = f"written ({len(cell.links)} linked{extra})"
            else:
                row[t.code_id] = f"{len(cell.passages)} passages" if cell.passages else "·"
        rows.append(row)
    table(
        rows, ["case", *(t.code_id for t in grid.themes)], ["case", *(t.path for t in grid.themes)]
    )


@framework_group.command("edit")
@click.argument("name")
@click.argument("case_ref", metavar="CASE")
@click.argument("theme_ref", metavar="THEME")
@click.option("--summary", help="The cell's text (replaces it).")
@click.option(
    "--summary-file",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Read the text from a file.",
)
@click.option(
    "--link",
    "links",
    multiple=True,
    metavar="CODING",
    help="Link a supporting passage (coding id or prefix).",
)
@click.option("--unlink", "unlinks", multiple=True, metavar="CODING")
@pass_state
def framework_edit(
    state: State,
    name: str,
    case_ref: str,
    theme_ref: str,
    summary: str | None,
    summary_file: Path | None,
    links: tuple[str, ...],
    unlinks: tuple[str, ...],
) -> None:
    """Write one cell. Without --summary/--link/--unlink it opens your $EDITOR on the cell."""
    project = state.project()
    if summary is not None and summary_file is not None:
        raise InvalidInput("give --summary or --summary-file, not both")
    if summary_file is not None:
        summary = summary_file.read_text(encoding="utf-8")
    if summary is None and not links and not unlinks:
        cell = get_cell(project, name, case_ref, theme_ref)
        edited = click.edit(cell.summary, extension=".md")
        if edited is None:
            click.echo("no change")
            return
        summary = edited
    cell = edit_cell(
        project, name, case_ref, theme_ref, summary=summary, link=links, unlink=unlinks
    )
    click.echo(
        f"saved {cell.case} × {cell.theme}: {len(cell.summary)} characters, {len(cell.links)} linked passages"
    )


@framework_group.command("export")
@click.argument("name")
@click.option("--docx", "docx", type=click.Path(path_type=Path))
@click.option("--xlsx", "xlsx", type=click.Path(path_type=Path))
@click.option(
    "--by",
    type=click.Choice(["theme", "case"]),
    default="theme",
    show_default=True,
    help="Word: a table per theme or per case.",
)
@_reader_options
@pass_state
def framework_export(
    state: State,
    name: str,
    docx: Path | None,
    xlsx: Path | None,
    by: str,
    language: str,
    ids: bool,
) -> None:
    """Export to Word (a table per theme or case) or Excel (the grid and a sheet of passages)."""
    if not docx and not xlsx:
        raise InvalidInput("give --docx OUT or --xlsx OUT")
    project = state.project()
    grid = framework_grid(project, name)
    if docx:
        path = write_framework_docx(docx, grid, by=by, language=language, ids=ids)
        click.echo(f"wrote {path}")
    if xlsx:
        sheets = framework_sheets(grid, language=language, ids=ids)
        click.echo(f"wrote {write_workbook(xlsx, sheets)}")


@framework_group.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask.")
@pass_state
def framework_delete(state: State, name: str, yes: bool) -> None:
    """Delete a framework and its written cells."""
    project = state.project()
    fw = get_framework(project, name)
    if not yes and not click.confirm(f"delete framework {fw.name} and its written cells?"):
        return
    delete_framework(project, fw.id)
    click.echo(f"deleted framework {fw.name}")


# --- rounds ---------------------------------------------------------------------------


@click.command("compare-rounds")
@click.argument("round_a")
@click.argument("round_b")
@_matrix_options
@click.option(
    "--measure",
    type=click.Choice(["segments", "documents", "respondents", "presence"]),
    default="segments",
    show_default=True,
)
@click.option(
    "--passages/--no-passages", default=True, help="List the passages of codes new in ROUND_B."
)
@click.option("--json", "as_json", is_flag=True)
@_csv_option
@click.option("--xlsx", "xlsx", type=click.Path(path_type=Path))
@click.option(
    "--docx",
    "docx",
    type=click.Path(path_type=Path),
    help="A 'what is new' section: a table and the new passages per case.",
)
@_reader_options
@pass_state
def compare_rounds_cmd(
    state: State,
    round_a: str,
    round_b: str,
    codes: tuple[str, ...],
    level: int | None,
    children: bool,
    filters: tuple[str, ...],
    measure: str,
    passages: bool,
    as_json: bool,
    as_csv: Path | None,
    xlsx: Path | None,
    docx: Path | None,
    language: str,
    ids: bool,
) -> None:
    """Per case and code: ROUND_A against ROUND_B, the difference, and what is new."""
    _one_output(json=as_json, csv=as_csv, xlsx=xlsx, docx=docx)
    project = state.project()
    choice = parse_codes(codes, level)
    cmp = compare_rounds(
        project,
        round_a,
        round_b,
        codes=choice.codes,
        level=choice.level,
        children=children,
        measure=measure,
        filters=parse_filter_items(filters),
    )
    grid = cmp.grid(language=language, ids=ids)
    if as_json:
        emit_json(cmp.as_dict())
    elif as_csv:
        _emit_grid(grid, as_csv)
    elif xlsx:
        sheets = rounds_sheets(cmp, language=language, ids=ids)
        click.echo(f"wrote {write_workbook(xlsx, sheets)}")
    elif docx:
        click.echo(f"wrote {write_rounds_docx(docx, cmp, language=language, ids=ids)}")
    else:
        keys = ("case", "code", "a", "b", "diff", "status")
        rows = [dict(zip(keys, r, strict=True)) for r in grid[1:]]
        table(rows, list(keys), [str(h) for h in grid[0]])
        if passages:
            new_in = message(language, "rounds_new_in").format(x=round_b).rstrip(":")
            for cell in cmp.cells:
                if cell.new_passages:
                    click.echo(f"\n{new_in}: {cell.case} × {cell.text(ids)}")
                    for p in cell.new_passages:
                        click.echo(
                            f"  {p['coding_id'][:8]}  {p.get('role') or 'no role'}, {p['document']} ({p['coder']}):"
                            f" “{' '.join(p['quote'].split())}”"
                        )


def add(group: click.Group) -> None:
    for cmd in (segments_cmd, matrix_cmd, cooccurrence_cmd, framework_group, compare_rounds_cmd):
        group.add_command(cmd)
