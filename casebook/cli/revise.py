"""casebook revise / revisions: a corrected file as the next version of a document, and its review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from casebook.cli.output import emit_json, table
from casebook.cli.state import State, pass_state
from casebook.core.codings import find_quote
from casebook.core.documents import document_text, resolve_document
from casebook.versions import revise as rv
from casebook.versions.revise import review_items, revise_document


def _short(text: str | None, width: int = 60) -> str:
    if text is None:
        return "—"
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def counts_line(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts.get(o, 0)} {o}" for o in ("same", "edited", "partial", "lost"))


def _where_they_differ(old: str, new: str | None, width: int = 44) -> tuple[str, str]:
    """Both quotes cut to the part where they start to differ, so a long edited quote shows its edit."""
    old, new_text = " ".join(old.split()), " ".join((new or "").split())
    common = 0
    while common < min(len(old), len(new_text)) and old[common] == new_text[common]:
        common += 1
    cut = max(0, old.rfind(" ", 0, max(0, common - 12)) + 1) if common > width - 12 else 0
    show_old = ("…" if cut else "") + old[cut:]
    show_new = ("…" if cut else "") + new_text[cut:]
    return f"“{_short(show_old, width)}”", (
        f"“{_short(show_new, width)}”" if new is not None else "—"
    )


def print_items(items: list[dict[str, Any]]) -> None:
    rows = []
    for i in items:
        old, new = _where_they_differ(i["old_quote"], i["new_quote"])
        rows.append(
            {
                "item": i["id"],
                "outcome": i["outcome"],
                "review": i["review"],
                "code": i["code"],
                "coder": i["coder"],
                "old": old,
                "new": new,
            }
        )
    table(rows, ["item", "outcome", "review", "code", "coder", "old", "new"])


@click.command("revise")
@click.argument("document")
@click.argument("newfile", type=click.Path(path_type=Path))
@click.option("--note", metavar="TEXT", help="Why this version came (kept with the revision).")
@click.option(
    "--method",
    type=click.Choice(["rapidfuzz", "difflib"]),
    default="rapidfuzz",
    show_default=True,
    help="Token alignment library.",
)
@pass_state
def revise_cmd(state: State, document: str, newfile: Path, note: str | None, method: str) -> None:
    """Make NEWFILE the next version of DOCUMENT (id, id prefix or file name).

    The document keeps its id, case and attributes; codings, memos, partner
    mentions and links and framework evidence move to the new text. Prints
    what happened to each coding that did not come across unchanged; undo it
    with `casebook revisions DOCUMENT --undo` (or u in the workbench).
    """
    project = state.project()
    report = revise_document(project, document, newfile, note=note, method=method)
    click.echo(f"{report.document}: version {report.from_version} → {report.to_version}")
    click.echo(f"codings: {counts_line(report.counts)}")
    if any(report.mention_counts.values()):
        click.echo(f"partner mentions: {counts_line(report.mention_counts)}")
    items = review_items(project, report.document_id, revision_id=report.revision_id)
    if items:
        click.echo("")
        print_items(items)
        click.echo(
            "\nReview them with `casebook revisions DOCUMENT --accept/--move/--delete ITEM` or in the workbench."
        )
    if report.backup:
        click.echo(f"backup: {report.backup}", err=True)


@click.command("revisions")
@click.argument("document")
@click.option("--json", "as_json", is_flag=True)
@click.option("--open", "open_only", is_flag=True, help="Only codings not reviewed yet.")
@click.option(
    "--accept", "accept", type=int, metavar="ITEM", help="Keep a flagged coding as it was carried."
)
@click.option(
    "--move",
    "move",
    type=int,
    metavar="ITEM",
    help="Move a flagged coding to where its old words stand now (or to --quote).",
)
@click.option(
    "--quote", metavar="TEXT", help="With --move: the words in the current text to move it to."
)
@click.option("--delete", "delete", type=int, metavar="ITEM", help="Remove a flagged coding.")
@click.option("--undo", is_flag=True, help="Undo the document's latest revision, in one step.")
@pass_state
def revisions_cmd(
    state: State,
    document: str,
    as_json: bool,
    open_only: bool,
    accept: int | None,
    move: int | None,
    quote: str | None,
    delete: int | None,
    undo: bool,
) -> None:
    """A document's revisions and the codings they flagged (edited, partial, lost)."""
    project = state.project()
    doc = resolve_document(project, document)
    if undo:
        rev = rv.undo_revision(project, doc["id"])
        click.echo(f"{doc['name']}: back to version {rev['from_version']}")
        return
    if accept is not None:
        rv.accept_item(project, accept)
        click.echo(f"accepted {accept}")
        return
    if move is not None:
        start = end = None
        if quote:
            start, end = find_quote(document_text(project, doc["id"]), quote)
        start, end = rv.move_item(project, move, start, end)
        click.echo(f"moved {move} to {start}–{end}")
        return
    if delete is not None:
        rv.delete_item(project, delete)
        click.echo(f"deleted {delete}")
        return
    revs = rv.list_revisions(project, doc["id"])
    items = rv.review_items(project, doc["id"], open_only=open_only)
    if as_json:
        emit_json(
            {
                "document": doc["id"],
                "name": doc["name"],
                "version": doc["version"],
                "revisions": revs,
                "items": items,
            }
        )
        return
    if not revs:
        click.echo(f"{doc['name']} has not been revised (version {doc['version']})")
        return
    for r in revs:
        state_note = " (undone)" if r["undone"] else ""
        click.echo(
            f"v{r['from_version']} → v{r['to_version']}  {r['created_at'][:16]}  {r['coder'] or ''}{state_note}"
            f"  codings: {counts_line(r['codings'])}; {r['open']} open"
            + (f"  — {r['note']}" if r["note"] else "")
        )
    if items:
        click.echo("")
        print_items(items)


def add(group: click.Group) -> None:
    group.add_command(revise_cmd)
    group.add_command(revisions_cmd)
