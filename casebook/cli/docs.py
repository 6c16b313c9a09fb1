"""casebook docs / show / search / stats"""

from __future__ import annotations

import sys

import click

from casebook.cli.output import emit_json, table
from casebook.cli.state import State, pass_state
from casebook.cli.textview import render_document
from casebook.core.documents import list_documents, resolve_document, set_kind
from casebook.core.search import search
from casebook.core.stats import project_stats
from casebook.versions.revise import versions_table


@click.group("docs", invoke_without_command=True)
@click.option("--case", "case")
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--versions",
    is_flag=True,
    help="Every version of each document (revised documents have several).",
)
@pass_state
def docs_cmd(state: State, case: str | None, as_json: bool, versions: bool) -> None:
    """List documents: id, name, case, kind, role, round, characters, pages, turns.

    `casebook docs set DOC --kind K` changes a document's kind afterwards.
    """
    ctx = click.get_current_context()
    if ctx.invoked_subcommand is not None:
        return
    rows = list_documents(state.project(), case)
    if versions:
        rows = versions_table(state.project(), rows)
        if as_json:
            emit_json(rows)
            return
        table(
            rows,
            [
                "short",
                "name",
                "case_name",
                "v",
                "source_name",
                "characters",
                "sha",
                "imported_at",
                "now",
            ],
            ["id", "name", "case", "version", "file", "chars", "sha256", "imported", "current"],
        )
        return
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        r["short"] = r["id"][:8]
    table(
        rows,
        [
            "short",
            "name",
            "case_name",
            "kind",
            "role",
            "round",
            "characters",
            "pages",
            "turns",
            "codings",
            "status",
        ],
        [
            "id",
            "name",
            "case",
            "kind",
            "role",
            "round",
            "chars",
            "pages",
            "turns",
            "codings",
            "status",
        ],
    )


@docs_cmd.command("set")
@click.argument("document")
@click.option(
    "--kind", metavar="K", required=True, help="interview, progress_report, plan or other."
)
@pass_state
def docs_set_cmd(state: State, document: str, kind: str) -> None:
    """Change a document's kind and re-segment it (turns found or dropped)."""
    project = state.project()
    doc = resolve_document(project, document)
    click.echo(set_kind(project, doc["id"], kind))


@click.command("show")
@click.argument("document")
@click.option("--no-pager", is_flag=True, help="Print straight to the terminal.")
@click.option(
    "--version", "version", type=int, metavar="N", help="An earlier version of a revised document."
)
@pass_state
def show_cmd(state: State, document: str, no_pager: bool, version: int | None) -> None:
    """A document's text with turn labels, page markers and codings."""
    project = state.project()
    doc = resolve_document(project, document)
    out = render_document(project, doc["id"], version=version)
    header = f"{doc['name']} — {doc['kind']}" + (f", {doc['role']}" if doc["role"] else "")
    if version is not None:
        header += f" — version {version}" + (" (current)" if version == doc["version"] else "")
    header += "\n\n"
    if sys.stdout.isatty() and not no_pager:
        click.echo_via_pager(header + out)
    else:
        click.echo(header + out, nl=False)


@click.command("search")
@click.argument("query")
@click.option("--fuzzy", is_flag=True, help="Tolerate misspellings (rapidfuzz).")
@click.option("--lemma", is_flag=True, help="Match word forms via their lemma (werkte → werken).")
@click.option("--document")
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@pass_state
def search_cmd(
    state: State,
    query: str,
    fuzzy: bool,
    lemma: bool,
    document: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search over every document's sentences."""
    project = state.project()
    doc_id = resolve_document(project, document)["id"] if document else None
    mode = "fuzzy" if fuzzy else "lemma" if lemma else "fts"
    hits = search(project, query, mode=mode, limit=limit, document_id=doc_id)
    if as_json:
        emit_json(hits)
        return
    for h in hits:
        h["span"] = f"{h['start']}–{h['end']}"
    table(hits, ["case_name", "document", "span", "text"], ["case", "document", "span", "sentence"])
    click.echo(f"{len(hits)} hit{'' if len(hits) == 1 else 's'}")


@click.command("stats")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def stats_cmd(state: State, as_json: bool) -> None:
    """Counts of cases, documents, codes and codings."""
    s = project_stats(state.project())
    if as_json:
        emit_json(s)
        return
    for key, value in s.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
        click.echo(f"{key.replace('_', ' '):<20} {value}")


def add(group: click.Group) -> None:
    for cmd in (docs_cmd, show_cmd, search_cmd, stats_cmd):
        group.add_command(cmd)
