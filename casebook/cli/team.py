"""casebook merge / export coder-pack / import-coder-pack / conflicts"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from casebook.cli.output import emit_json, table
from casebook.cli.state import State, pass_state
from casebook.core.documents import list_documents, resolve_document
from casebook.team.merge import merge_conflicts, merge_project
from casebook.team.packs import export_coder_pack, import_coder_pack


def _print_report(report, as_json: bool) -> None:
    if as_json:
        emit_json(
            {
                "source": report.source,
                "dry_run": report.dry_run,
                "added": report.added,
                "matched": report.matched,
                "conflicts": report.conflicts,
                "suggestions": [s.__dict__ for s in report.suggestions],
                "backup": report.backup,
            }
        )
        return
    head = "Would add" if report.dry_run else "Added"
    added = ", ".join(f"{v} {k}" for k, v in sorted(report.added.items()) if v) or "nothing"
    click.echo(f"{report.source}: {head} {added}")
    matched = ", ".join(f"{v} {k}" for k, v in sorted(report.matched.items()) if v)
    if matched:
        click.echo(f"  already here: {matched}")
    for s in report.suggestions:
        click.echo(f"  similar code: {s.source_path} ~ {s.target_path} ({s.score:.0f})")
    for c in report.conflicts:
        click.echo(f"  conflict kept aside: {c}")
    if report.backup:
        click.echo(f"  backup before merge: {report.backup}")


@click.command("merge")
@click.argument("others", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
@click.option(
    "--similar",
    type=click.Choice(["ask", "accept", "decline"]),
    default="ask",
    show_default=True,
    help="What to do with near-duplicate code names (ask only works in a terminal).",
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
def merge_cmd(
    state: State, others: tuple[Path, ...], dry_run: bool, similar: str, as_json: bool
) -> None:
    """Merge other coders' project files into this one (backup first; nothing deleted)."""
    project = state.project()

    def decide(s) -> bool:
        if similar == "accept":
            return True
        if similar == "decline" or not sys.stdin.isatty():
            return False
        return click.confirm(
            f"Treat {s.source_path} as the same code as {s.target_path}?", default=False
        )

    for other in others:
        report = merge_project(project, other, dry_run=dry_run, accept_similar=decide)
        _print_report(report, as_json)


@click.group("coder-pack")
def pack_group() -> None:
    """Send one coder a subset of documents with the codebook, and take their work back."""


@pack_group.command("export")
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--document", "documents", multiple=True, help="Document id, prefix or name (repeatable)."
)
@click.option("--case", "cases", multiple=True, help="All documents of a case (repeatable).")
@click.option("--for", "for_coder", help="The coder the pack is for.")
@pass_state
def pack_export(
    state: State,
    out: Path,
    documents: tuple[str, ...],
    cases: tuple[str, ...],
    for_coder: str | None,
) -> None:
    """Write a coder pack (an ordinary project file)."""
    project = state.project()
    ids = [resolve_document(project, d)["id"] for d in documents]
    for c in cases:
        ids += [d["id"] for d in list_documents(project, c)]
    n = export_coder_pack(project, out, ids, coder=for_coder)
    click.echo(f"wrote {out} with {n} documents and the codebook")


@pack_group.command("import")
@click.argument("pack", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@pass_state
def pack_import(state: State, pack: Path, dry_run: bool, as_json: bool) -> None:
    """Bring a returned coder pack's codings and memos into this project."""
    _print_report(import_coder_pack(state.project(), pack, dry_run=dry_run), as_json)


@click.command("conflicts")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def conflicts_cmd(state: State, as_json: bool) -> None:
    """Values that merges kept aside because both files changed the same thing."""
    rows = merge_conflicts(state.project())
    if as_json:
        emit_json(rows)
        return
    table(
        rows,
        ["source_file", "table_name", "column_name", "ours", "theirs"],
        ["from", "table", "field", "kept", "other"],
    )


def add(group: click.Group) -> None:
    for cmd in (merge_cmd, pack_group, conflicts_cmd):
        group.add_command(cmd)
