"""casebook codebook ..."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from casebook.cli.output import emit_json
from casebook.cli.state import State, pass_state
from casebook.codes import codebook as cb
from casebook.codes import io as cbio
from casebook.codes.collaboration import describe, role_of, set_collaboration
from casebook.exchange import codebooks


@click.group("codebook")
def codebook_group() -> None:
    """Import, export, show and restructure the codebook."""


@codebook_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@pass_state
def cb_import(state: State, file: Path) -> None:
    """Import codes from YAML or CSV; existing codes (by path) are updated, none deleted."""
    notes: list[str] = []
    counts = codebooks.import_codebook(state.project(create=True), file, notes)
    click.echo(
        f"{counts['added']} added, {counts['updated']} updated, {counts['unchanged']} unchanged"
    )
    for note in notes:
        click.echo(f"warning: {file}: {note}", err=True)


@codebook_group.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@pass_state
def cb_export(state: State, file: Path) -> None:
    """Export the codebook as .yaml, .csv or .docx (with definitions and counts)."""
    n = cbio.export_codebook(state.project(), file)
    click.echo(f"wrote {n} codes to {file}")


@codebook_group.command("show")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def cb_show(state: State, as_json: bool) -> None:
    """The code tree with coding counts."""
    rows = cb.code_tree(state.project())
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        key = f"[{r['shortcut']}] " if r["shortcut"] else ""
        collab = f"  <{r['collaboration']}>" if r.get("collaboration") else ""
        click.echo(
            f"{'  ' * r['depth']}{r['name']:<24} {key}{r['label'] or ''}  ({r['count']}){collab}"
        )


@codebook_group.command("add")
@click.argument("path")
@click.option("--label")
@click.option("--definition")
@click.option("--colour")
@click.option("--shortcut")
@pass_state
def cb_add(state: State, path: str, **values: str | None) -> None:
    """Add a code at a dotted path, e.g. BEL.TIJD.ROOSTER."""
    given: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
    cb.add_code(state.project(), path, **given)
    click.echo(f"added {path}")


@codebook_group.command("edit")
@click.argument("code")
@click.option("--label")
@click.option("--definition")
@click.option("--when-to-use", "when_to_use")
@click.option("--when-not-to-use", "when_not_to_use")
@click.option("--example")
@click.option("--colour")
@click.option("--shortcut")
@pass_state
def cb_edit(state: State, code: str, **values: str | None) -> None:
    """Change a code's fields."""
    cb.update_code(state.project(), code, **{k: v for k, v in values.items() if v is not None})
    click.echo(f"updated {code}")


@codebook_group.command("set")
@click.argument("code")
@click.option(
    "--collaboration",
    type=click.Choice(["dyad", "form", "none", "inherit"]),
    help="dyad: collaboration with a partner; form: a form of collaboration; none: neither "
    "(stops inheritance); inherit: take the parent's",
)
@click.option(
    "--partner-types",
    "partner_types",
    help="comma-separated organisation types the code is about, e.g. vmbo,mbo ('' to inherit); "
    "the project's types: `casebook partners types`",
)
@pass_state
def cb_set(state: State, code: str, collaboration: str | None, partner_types: str | None) -> None:
    """Set a code's collaboration role, which links, proposals and graphs read (inherited by children)."""
    if collaboration is None and partner_types is None:
        raise click.UsageError("give --collaboration and/or --partner-types")
    project = state.project()
    row = set_collaboration(project, code, collaboration, partner_types)
    effective = describe(role_of(project, row["path"])) or "not a collaboration code"
    click.echo(f"{row['path']}: {effective}")


@codebook_group.command("rename")
@click.argument("code")
@click.argument("new_name")
@pass_state
def cb_rename(state: State, code: str, new_name: str) -> None:
    """Rename a code (its codings and children stay with it)."""
    click.echo(f"renamed to {cb.rename_code(state.project(), code, new_name)}")


@codebook_group.command("move")
@click.argument("code")
@click.argument("new_parent", required=False)
@pass_state
def cb_move(state: State, code: str, new_parent: str | None) -> None:
    """Move a code under another (or to the top level). Takes a backup first."""
    click.echo(f"moved to {cb.move_code(state.project(), code, new_parent)}")


@codebook_group.command("merge")
@click.argument("source")
@click.argument("target")
@pass_state
def cb_merge(state: State, source: str, target: str) -> None:
    """Merge SOURCE into TARGET: codings and children move over. Takes a backup first."""
    n = cb.merge_codes(state.project(), source, target)
    click.echo(f"merged {source} into {target}; {n} codings moved")


def add(group: click.Group) -> None:
    group.add_command(codebook_group)
