"""casebook code / uncode / codings / coder"""

from __future__ import annotations

import sys

import click

from casebook import config
from casebook.cli.output import emit_json, table
from casebook.cli.state import State, pass_state
from casebook.codes.codebook import descendants, resolve_code
from casebook.core.codings import (
    apply_coding,
    coding_coder,
    find_quote,
    list_codings,
    remove_coding,
)
from casebook.core.documents import document_text, resolve_document
from casebook.errors import InvalidInput


@click.command("code")
@click.argument("document")
@click.option(
    "--code",
    "code_ref",
    required=True,
    help="Code path (BEL.TIJD) or label path (Belemmerend/Tijd).",
)
@click.option("--quote", help="The exact text to code.")
@click.option(
    "--occurrence",
    type=int,
    help="Which occurrence of the quote (1-based) when it occurs more than once.",
)
@click.option("--start", type=int)
@click.option("--end", type=int)
@click.option("--memo")
@pass_state
def code_cmd(
    state: State,
    document: str,
    code_ref: str,
    quote: str | None,
    occurrence: int | None,
    start: int | None,
    end: int | None,
    memo: str | None,
) -> None:
    """Code a passage of DOCUMENT (id, id prefix or file name)."""
    project = state.project()
    if quote is None and (start is None or end is None):
        raise InvalidInput("give --quote TEXT, or --start N and --end N")
    doc = resolve_document(project, document)
    code = resolve_code(project, code_ref)
    if quote is not None:
        start, end = find_quote(document_text(project, doc["id"]), quote, occurrence)
    assert start is not None and end is not None
    applied = apply_coding(project, doc["id"], code["id"], start, end, memo=memo)
    click.echo(applied.id)
    if applied.status == "exists":
        click.echo(f"note: already coded with {code['path']} (by you); nothing added", err=True)
    elif applied.status == "merged":
        click.echo(
            f"note: joined with {len(applied.merged)} touching {code['path']} coding(s) of yours; "
            f"it now covers {applied.start}–{applied.end}",
            err=True,
        )


@click.command("uncode")
@click.argument("coding_id")
@click.option("--yes", is_flag=True, help="Remove another coder's coding without asking.")
@pass_state
def uncode_cmd(state: State, coding_id: str, yes: bool) -> None:
    """Remove a coding (see ids with `casebook codings`).

    Another coder's coding is removed only after you confirm (or with --yes).
    """
    project = state.project()
    owner = coding_coder(project, coding_id)
    if owner != project.coder and not yes:
        question = (
            f"This coding is {owner}'s, not yours ({project.coder}). Remove {owner}'s coding?"
        )
        if not sys.stdin.isatty():
            raise InvalidInput(
                f"coding {coding_id} is {owner}'s, not yours; add --yes to remove it anyway"
            )
        if not click.confirm(question, default=False):
            click.echo(f"kept {owner}'s coding", err=True)
            return
    row = remove_coding(project, coding_id)
    click.echo(f"removed coding {row['id'][:8]} ({row['start']}–{row['end']})")


@click.command("codings")
@click.option("--document")
@click.option("--code", "code_ref")
@click.option("--children/--no-children", default=True, help="Include codings of child codes.")
@click.option("--coder", "coder_filter")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def codings_cmd(
    state: State,
    document: str | None,
    code_ref: str | None,
    children: bool,
    coder_filter: str | None,
    as_json: bool,
) -> None:
    """List codings."""
    project = state.project()
    doc_id = resolve_document(project, document)["id"] if document else None
    code_ids = None
    if code_ref:
        code = resolve_code(project, code_ref)
        code_ids = descendants(project, code["id"]) if children else [code["id"]]
    rows = list_codings(project, document_id=doc_id, code_ids=code_ids, coder=coder_filter)
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        r["short"] = r["id"][:8]
        r["span"] = f"{r['start']}–{r['end']}"
        r["text"] = r["quote"].replace("\n", " ")
    table(
        rows,
        ["short", "case_name", "document", "code", "coder", "span", "text"],
        ["id", "case", "document", "code", "coder", "span", "quote"],
    )


@click.group("coder")
def coder_group() -> None:
    """Who is coding (stored per user, not per project)."""


@coder_group.command("set")
@click.argument("name")
def coder_set(name: str) -> None:
    """Set your coder name for every project."""
    if not name.strip():
        raise InvalidInput("a coder name cannot be empty")
    config.set_coder(name)
    click.echo(f"coder set to {name.strip()}")


@coder_group.command("show")
@pass_state
def coder_show(state: State) -> None:
    """Print the current coder name."""
    click.echo(state.coder)


def add(group: click.Group) -> None:
    for cmd in (code_cmd, uncode_cmd, codings_cmd, coder_group):
        group.add_command(cmd)
