"""casebook agreement: intercoder agreement per code and pooled, with its method statement."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from casebook.agreement.compute import compute_agreement
from casebook.cli.output import emit_json, table
from casebook.cli.state import State, pass_state
from casebook.errors import InvalidInput
from casebook.writers.sheets import DECIMAL, PERCENT, finish_sheet


def _num(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _alpha(c) -> str:
    a = c.alpha
    if a.point.value is None:
        return "—"
    if a.low is None:
        return f"{a.point.value:.3f}"
    return f"{a.point.value:.3f} [{a.low:.3f}, {a.high:.3f}]"


def _row(c, coders: Sequence[str]) -> dict[str, Any]:
    return {
        "code": c.code,
        "units": f"{c.units:,}",
        "coded": "/".join(f"{c.coded[x]:,}" for x in coders),
        "percent": _pct(c.percent.value),
        "kappa": _num(c.cohen.value) if c.cohen is not None else "pairs ↓",
        "fleiss": _num(c.fleiss.value),
        "alpha": _alpha(c),
    }


def _print_human(result, show_disagreements: bool) -> None:
    coders = result.coders
    rows = [_row(c, coders) for c in result.per_code]
    headers = [
        "code",
        "units",
        "coded " + "/".join(coders),
        "% agree",
        "Cohen κ",
        "Fleiss κ",
        f"Krippendorff α [{result.pooled.alpha.level:.0%} CI]",
    ]
    columns = ["code", "units", "coded", "percent", "kappa", "fleiss", "alpha"]
    pooled = _row(result.pooled, coders)
    table([*rows, {k: "" for k in columns}, pooled], columns, headers)
    if len(coders) > 2:
        pairs = list(result.pooled.pairwise)
        click.echo("")
        click.echo("Pairwise Cohen's κ")
        grid = [
            {"code": c.code, **{p: _num(c.pairwise[p].value) for p in pairs}}
            for c in [*result.per_code, result.pooled]
        ]
        table(grid, ["code", *pairs], ["code", *(p.replace("|", "–") for p in pairs)])
    undefined = [
        f"{c.code}: {c.alpha.point.reason}"
        for c in result.per_code
        if c.alpha.point.value is None and c.alpha.point.reason
    ]
    if undefined:
        click.echo("")
        click.echo(
            "Undefined α (shown as —): "
            + "; ".join(undefined[:8])
            + (f"; and {len(undefined) - 8} more" if len(undefined) > 8 else "")
        )
    for note in result.notes:
        click.echo(f"note: {note}")
    if show_disagreements:
        click.echo("")
        click.echo(f"Disagreements ({len(result.disagreements)})")
        for d in result.disagreements:
            click.echo(
                f"{d.document} {d.start}–{d.end}  {d.code}  coded by {', '.join(d.coded_by)}, "
                f"not by {', '.join(d.not_coded_by)}"
            )
            click.echo(f"    “{d.passage}”")
    click.echo("")
    click.echo("Method")
    click.echo(textwrap.fill(result.method, width=100))


def _estimate_cells(c, pairs: Sequence[str]) -> list[Any]:
    a = c.alpha
    cells = [
        c.code,
        c.label or "",
        c.units,
        *(c.coded[x] for x in c.coded),
        c.percent.value,
        c.cohen.value if c.cohen is not None else None,
        *(c.pairwise[p].value for p in pairs),
        c.fleiss.value,
        a.point.value,
        a.low,
        a.high,
        a.point.reason or a.reason or "",
    ]
    return cells


def write_xlsx(result, out: Path) -> None:
    """Four sheets a reviewer can open without casebook: per code, pooled, disagreements, method."""
    # openpyxl is slow to load; only .xlsx files need it
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    pairs = list(result.pooled.pairwise)
    head = [
        "code",
        "label",
        "units",
        *(f"coded by {c}" for c in result.coders),
        "percent agreement",
        "Cohen's kappa",
        *(f"kappa {p.replace('|', '–')}" for p in pairs),
        "Fleiss' kappa",
        "Krippendorff's alpha",
        "alpha CI low",
        "alpha CI high",
        "why undefined",
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "per code"
    ws.append(head)
    for c in result.per_code:
        ws.append(_estimate_cells(c, pairs))
    pooled = wb.create_sheet("pooled")
    pooled.append(head)
    pooled.append(_estimate_cells(result.pooled, pairs))
    dis = wb.create_sheet("disagreements")
    dis.append(
        ["document", "document id", "code", "start", "end", "coded by", "not coded by", "passage"]
    )
    for d in result.disagreements:
        dis.append(
            [
                d.document,
                d.document_id,
                d.code,
                d.start,
                d.end,
                ", ".join(d.coded_by),
                ", ".join(d.not_coded_by),
                d.passage,
            ]
        )
    method = wb.create_sheet("method")
    facts = [
        ("method", result.method),
        ("unit", result.unit),
        ("rule", result.rule if result.unit != "character" else "(character level: no rule)"),
        ("children count for parents", "yes" if result.children else "no"),
        ("coders", ", ".join(result.coders)),
        ("documents", "; ".join(d["name"] for d in result.documents)),
        *(("note", n) for n in result.notes),
    ]
    for key, value in facts:
        method.append([key, value])
    method.column_dimensions["A"].width = 26
    method.column_dimensions["B"].width = 110
    method["B1"].alignment = Alignment(wrap_text=True, vertical="top")
    # number formats like the command line shows them: 99.5 % agreement, kappa and alpha to three places
    n_coders = len(result.coders)
    formats = {3: "#,##0", **{4 + i: "#,##0" for i in range(n_coders)}}
    first_stat = 4 + n_coders
    formats[first_stat] = PERCENT
    for i in range(first_stat + 1, len(head) - 0):
        formats.setdefault(i, DECIMAL)
    for sheet in (ws, pooled, dis):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    finish_sheet(ws, formats=formats)
    finish_sheet(pooled, formats=formats)
    finish_sheet(dis, widths={8: 90.0})
    for row in dis.iter_rows(min_row=2, min_col=8, max_col=8):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    try:
        wb.save(out)
    except OSError as exc:
        raise InvalidInput(f"{out}: cannot write the workbook ({exc.strerror or exc})") from exc


@click.command("agreement")
@click.option(
    "--codes",
    "codes",
    multiple=True,
    metavar="CODE[,CODE…]",
    help="Codes to compare (default: every code the coders applied there).",
)
@click.option("--children", is_flag=True, help="Let codings of a code's descendants count for it.")
@click.option(
    "--documents",
    "documents",
    multiple=True,
    metavar="DOC[,DOC…]",
    help="Documents (default: every document coded by two or more of the coders).",
)
@click.option(
    "--coders",
    "coders",
    multiple=True,
    metavar="A,B[,…]",
    help="Coders to compare (default: every coder with codings).",
)
@click.option(
    "--coder",
    "coder_list",
    multiple=True,
    metavar="NAME",
    help="A coder to compare (repeatable); auto:RULE treats a saved autocoding rule as a coder.",
)
@click.option(
    "--unit",
    type=click.Choice(["character", "sentence", "paragraph", "turn", "document"]),
    default="character",
    show_default=True,
    help="Unit of analysis.",
)
@click.option(
    "--rule",
    type=click.Choice(["any-overlap", "majority"]),
    default="any-overlap",
    show_default=True,
    help="When a coding codes a sentence/paragraph/turn/document.",
)
@click.option(
    "--disagreements",
    "show_disagreements",
    is_flag=True,
    help="List the passages the coders disagree on.",
)
@click.option(
    "--resamples",
    type=int,
    default=1000,
    show_default=True,
    help="Bootstrap resamples for the interval around α.",
)
@click.option("--seed", type=int, default=20240601, show_default=True, help="Bootstrap seed.")
@click.option("--json", "as_json", is_flag=True, help="Everything as JSON.")
@click.option(
    "--xlsx",
    "xlsx",
    type=click.Path(path_type=Path),
    metavar="OUT",
    help="Write a workbook: per code, pooled, disagreements, method.",
)
@pass_state
def agreement_cmd(
    state: State,
    codes: tuple[str, ...],
    children: bool,
    documents: tuple[str, ...],
    coders: tuple[str, ...],
    coder_list: tuple[str, ...],
    unit: str,
    rule: str,
    show_disagreements: bool,
    resamples: int,
    seed: int,
    as_json: bool,
    xlsx: Path | None,
) -> None:
    """How far coders agree: % agreement, Cohen's and Fleiss' κ, Krippendorff's α with a CI."""
    if as_json and xlsx:
        raise InvalidInput("choose one output: --json or --xlsx")
    result = compute_agreement(
        state.project(),
        coders=coders + coder_list,
        codes=codes,
        documents=documents,
        unit=unit,  # type: ignore[arg-type]
        rule=rule,  # type: ignore[arg-type]
        children=children,
        resamples=resamples,
        seed=seed,
    )
    if as_json:
        emit_json(result.to_dict())
        return
    if xlsx:
        write_xlsx(result, xlsx)
    _print_human(result, show_disagreements)
    if xlsx:
        click.echo(f"\nwrote {xlsx}")


def add(group: click.Group) -> None:
    group.add_command(agreement_cmd)
