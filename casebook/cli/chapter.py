"""casebook summary / contrast / contrasts / rank / export synthesis: from regions to the chapter."""

from __future__ import annotations

from pathlib import Path

import click

from casebook.cli.export import _report, export_group
from casebook.cli.output import emit_json, split_values, table
from casebook.cli.state import State, pass_state
from casebook.errors import InvalidInput
from casebook.reports.chapter_export import export_synthesis
from casebook.synthesis.contrasts import add_contrast, list_contrasts, remove_contrast
from casebook.synthesis.rank import rank_codes
from casebook.synthesis.summaries import prefill, save_summary, summary_or_prefill


@click.command("summary")
@click.argument("case")
@click.option(
    "--theme", "themes", multiple=True, help="Themes of the prefill (default: the top level)."
)
@click.option("--edit", is_flag=True, help="Open the summary in $VISUAL / $EDITOR and save it.")
@click.option(
    "--from",
    "from_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Save the text of this file as the summary.",
)
@click.option(
    "--prefill",
    "show_prefill",
    is_flag=True,
    help="Print a fresh prefill without storing it (the stored summary stays).",
)
@click.option("--evidence", is_flag=True, help="List the passages the summary links to.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def summary_cmd(
    state: State,
    case: str,
    themes: tuple[str, ...],
    edit: bool,
    from_file: Path | None,
    show_prefill: bool,
    evidence: bool,
    as_json: bool,
) -> None:
    """The region summary of CASE: prefilled from its coded passages, then yours to rewrite.

    The first call stores a draft built from the region's passages, per theme
    (sources, strongest quotes with references like [#1a2b3c4d]). Keep a
    reference after a sentence and it stays linked to that passage.

    \b
    casebook summary Lindeveen                 # print (and on first use, prefill)
    casebook summary Lindeveen --edit          # rewrite it in your editor
    casebook summary Lindeveen --from notes.md # save a text written elsewhere
    casebook summary Lindeveen --evidence      # the passages it cites
    """
    project = state.project()
    theme_list = split_values(themes) or None
    if show_prefill:
        click.echo(prefill(project, case, theme_list), nl=False)
        return
    if from_file is not None:
        try:
            text = from_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"{from_file}: cannot read the file ({exc.strerror})") from exc
        summary = save_summary(project, case, text)
        click.echo(f"saved the summary of {summary.case}: {len(summary.links)} linked passages")
    else:
        summary, made = summary_or_prefill(project, case, theme_list)
        if made:
            click.echo(
                f"prefilled the summary of {summary.case} from its passages "
                f"({len(summary.links)} linked); rewrite it with --edit",
                err=True,
            )
        if edit:
            edited = click.edit(summary.text, extension=".md", require_save=True)
            if edited is None:
                click.echo("not changed: the editor closed without saving", err=True)
                return
            summary = save_summary(project, case, edited)
            click.echo(f"saved the summary of {summary.case}: {len(summary.links)} linked passages")
    for ref in summary.broken:
        click.echo(
            f"warning: [#{ref}] matches no coding of {summary.case}; the reference is kept",
            err=True,
        )
    if as_json:
        emit_json(summary.as_dict())
    elif evidence:
        rows = [
            {
                "id": p["coding_id"][:8],
                "document": p["document"],
                "role": p["role"] or "",
                "code": p["code"],
                "quote": " ".join(p["quote"].split())[:80],
            }
            for p in summary.links
        ]
        table(rows, ["id", "document", "role", "code", "quote"])
    elif not edit and from_file is None:
        click.echo(summary.text, nl=False)


@click.command("contrast")
@click.argument("codings", nargs=-1, required=True)
@click.option("--note", help="What contradicts what, or how the perspectives differ.")
@click.option(
    "--perspective", is_flag=True, help="A difference of perspective rather than a contradiction."
)
@pass_state
def contrast_cmd(
    state: State, codings: tuple[str, ...], note: str | None, perspective: bool
) -> None:
    """Mark two or more codings (ids or id prefixes) as contradicting each other.

    \b
    casebook contrast 1a2b3c4d 5e6f7a8b --note "PM: docenten maken zelf materiaal; vmbo: niet"
    casebook contrast 1a2b 5e6f --perspective --note "mbo en vmbo zien de stage anders"
    """
    kind = "perspective" if perspective else "contradiction"
    cid = add_contrast(state.project(), list(codings), note=note, kind=kind)
    click.echo(f"{cid[:8]}  {kind} of {len(set(codings))} passages")


@click.command("contrasts")
@click.option("--theme", help="Only contrasts with a passage under this code.")
@click.option("--remove", metavar="ID", help="Remove a contrast.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def contrasts_cmd(state: State, theme: str | None, remove: str | None, as_json: bool) -> None:
    """List the contrasts, per theme if asked."""
    project = state.project()
    if remove:
        remove_contrast(project, remove)
        click.echo(f"removed contrast {remove}")
        return
    found = list_contrasts(project, theme)
    if as_json:
        emit_json([c.as_dict() for c in found])
        return
    if not found:
        click.echo("no contrasts yet; mark one with `casebook contrast CODING CODING --note …`")
        return
    for c in found:
        click.echo(f"{c.id[:8]}  {c.kind}" + (f": {c.note}" if c.note else ""))
        for p in c.passages:
            quote = " ".join(p["quote"].split())
            click.echo(
                f"    {p['coding_id'][:8]}  {p['case_name'] or ''} · {p['role'] or p['kind']} · "
                f"{p['code']}: {quote[:90]}"
            )


@click.command("rank")
@click.option(
    "--group", required=True, help="The code whose children are ranked (e.g. the facilitators)."
)
@click.option(
    "--against", help="A case attribute (one column per value) or a code (regions with / without)."
)
@click.option("--round", "round_", help="Only this round.")
@click.option("--filter", "filters", multiple=True, metavar="KEY=VALUE")
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--xlsx", type=click.Path(path_type=Path, dir_okay=False), help="Also write the table to Excel."
)
@pass_state
def rank_cmd(
    state: State,
    group: str,
    against: str | None,
    round_: str | None,
    filters: tuple[str, ...],
    as_json: bool,
    xlsx: Path | None,
) -> None:
    """Rank a group's codes by regions, with respondents by role and an optional split.

    \b
    casebook rank --group BEV --against RES     # regions with / without results
    casebook rank --group BEL --against krimp --round 2022
    """
    ranking = rank_codes(
        state.project(), group, against=against, round_=round_, filters=list(filters)
    )
    grid = ranking.grid()
    if xlsx is not None:
        _write_xlsx(grid, xlsx)
    if as_json:
        emit_json(ranking.as_dict())
        return
    head, *body = grid
    keys = [str(i) for i in range(len(head))]
    table([dict(zip(keys, row, strict=True)) for row in body], keys, [str(h) for h in head])
    if xlsx is not None:
        click.echo(f"wrote {xlsx}")


def _write_xlsx(grid: list[list[object]], path: Path) -> None:
    # openpyxl is slow to load; only .xlsx files need it
    from openpyxl import Workbook

    if not path.parent.exists():
        raise InvalidInput(f"{path}: folder {path.parent} does not exist; create it first")
    wb = Workbook()
    ws = wb.active
    ws.title = "rank"
    for row in grid:
        ws.append(row)
    ws.freeze_panes = "D2"
    for col, width in zip("ABCD", (5, 34, 40, 16), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(path)


@click.command("synthesis")
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--themes",
    "themes",
    multiple=True,
    help="Theme codes (a code and its subtree); default: top level.",
)
@click.option("--round", "round_", help="The round the chapter is about.")
@click.option("--compare-round", help="What is new or gone since this round, per theme.")
@click.option("--filter", "filters", multiple=True, metavar="KEY=VALUE")
@click.option(
    "--pseudonymise",
    "--pseudonymize",
    "pseudonymise",
    is_flag=True,
    help="Replace persons, regions and organisations in quotes.",
)
@click.option(
    "--quantifiers",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML bands for 'vrijwel alle', 'ongeveer de helft', … (see docs/synthesis.md).",
)
@click.option(
    "--role-names",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML 'role: [singular, plural]' for how roles are named in sentences.",
)
@click.option(
    "--key", type=click.Path(path_type=Path), help="Where to write the pseudonymisation key."
)
@click.option(
    "--strict", is_flag=True, help="Fail when name-like text remains after pseudonymising."
)
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@pass_state
def export_synthesis_cmd(
    state: State,
    out: Path,
    themes: tuple[str, ...],
    round_: str | None,
    compare_round: str | None,
    filters: tuple[str, ...],
    pseudonymise: bool,
    quantifiers: Path | None,
    role_names: Path | None,
    key: Path | None,
    strict: bool,
    language: str,
    as_json: bool,
) -> None:
    """Draft the cross-case chapter to OUT (.docx or .md): per theme figures, perspectives, quotes.

    \b
    casebook export synthesis hoofdstuk.docx --themes BEV,BEL,SAM --round 2022 --compare-round 2021
    casebook export synthesis hoofdstuk.md --pseudonymise
    """
    result = export_synthesis(
        state.project(),
        out,
        themes=split_values(themes) or None,
        round_=round_,
        compare_round=compare_round,
        filters=list(filters),
        language=language,
        pseudonymise=pseudonymise,
        quantifiers=quantifiers,
        role_names=role_names,
        key=key,
        strict=strict,
    )
    _report(result, as_json, "quotes")


def add(group: click.Group) -> None:
    for cmd in (summary_cmd, contrast_cmd, contrasts_cmd, rank_cmd):
        group.add_command(cmd)
    export_group.add_command(export_synthesis_cmd)  # `export synthesis`, with the chapter commands
