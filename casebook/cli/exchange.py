"""casebook qdpx export / import: REFI-QDA exchange with NVivo, ATLAS.ti, MAXQDA and QualCoder."""

from __future__ import annotations

from pathlib import Path

import click

from casebook.cli.state import State, pass_state
from casebook.exchange.qdpx import export_qdpx, import_qdpx


@click.group("qdpx")
def qdpx_group() -> None:
    """Exchange projects with other QDA programs (REFI-QDA .qdpx / .qdc)."""


@qdpx_group.command("export")
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--inline",
    is_flag=True,
    help="Put each text inside project.qde instead of sources/<guid>.txt (for tools that want that).",
)
@pass_state
def qdpx_export(state: State, out: Path, inline: bool) -> None:
    """Write the project to OUT.qdpx (codebook, coders, cases, texts, codings, memos) or OUT.qdc."""
    s = export_qdpx(state.project(), out, inline=inline)
    if out.suffix.lower() == ".qdc":
        click.echo(f"wrote {out}: {s.codes} codes (codebook only)")
        return
    click.echo(
        f"wrote {out}: {s.codes} codes, {s.coders} coders, {s.cases} cases, "
        f"{s.documents} documents, {s.codings} codings, {s.notes} notes, {s.variables} variables"
    )
    click.echo(f"  not in the file: {', '.join(s.not_exported)}", err=True)


@qdpx_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--codebook-only", is_flag=True, help="Only the codebook and users; leave the texts out."
)
@click.option(
    "--case",
    "case",
    metavar="NAME",
    help="Case for sources the file puts in no case (default: the project name in the file).",
)
@pass_state
def qdpx_import(state: State, file: Path, codebook_only: bool, case: str | None) -> None:
    """Import a .qdpx (or .qde/.qdc) made by NVivo, ATLAS.ti, MAXQDA, QualCoder or casebook."""
    r = import_qdpx(
        state.project(create=True), file, codebook_only=codebook_only, default_case=case
    )
    book = r.codebook
    origin = f" (from {r.origin})" if r.origin else ""
    click.echo(
        f"{file}{origin}: codes {book.added} added, {book.updated} updated, {book.unchanged} unchanged; "
        f"{book.coders_added} coders added"
    )
    s = r.sources
    if s is not None and (s.documents_added or s.documents_found or s.codings_skipped):
        click.echo(
            f"  documents {s.documents_added} added, {s.documents_found} already here; "
            f"codings {s.codings_added} added, {s.codings_found} already here, {s.codings_skipped} skipped; "
            f"{s.memos} memos"
        )
    if r.backup:
        click.echo(f"  backup before import: {r.backup}", err=True)
    for warning in r.warnings:
        click.echo(f"  note: {warning}", err=True)


def add(group: click.Group) -> None:
    group.add_command(qdpx_group)
