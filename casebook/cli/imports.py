"""casebook import"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from casebook.cli import State, pass_state
from casebook.documents import DocumentMeta, ImportOutcome, import_batch, normalise_kind
from casebook.errors import InvalidInput


@click.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--case", "case", metavar="NAME", help="Case (region) the files belong to.")
@click.option(
    "--kind",
    metavar="K",
    help="interview, progress_report, plan or other (default: from the file name and content).",
)
@click.option("--role", metavar="R", help="Respondent role, e.g. programmamanager, mbo, bedrijfsleven.")
@click.option("--round", "round_", metavar="N", help="Interview round, e.g. 2022.")
@click.option("--date", metavar="YYYY-MM-DD")
@click.option("--organisation", metavar="O", help="Respondent's organisation.")
@click.option("--interviewer", metavar="NAME", help="Interviewer (helps tell interviewer turns apart).")
@click.option("--respondent", metavar="ID", help="Stable respondent id, for people interviewed twice.")
@click.option("--manifest", type=click.Path(path_type=Path), help="CSV or YAML listing files with case and attributes.")
@pass_state
def import_cmd(
    state: State,
    paths: tuple[Path, ...],
    case: str | None,
    kind: str | None,
    role: str | None,
    round_: str | None,
    date: str | None,
    organisation: str | None,
    interviewer: str | None,
    respondent: str | None,
    manifest: Path | None,
) -> None:
    """Import transcripts and reports (.txt .md .docx .odt .vtt .srt .pdf).

    Each file is imported whole or not at all; a file already in the project
    (same content) is skipped. A batch goes on past bad files, lists them at
    the end and exits non-zero.
    """
    from casebook.manifest import read_manifest

    items: list[tuple[Path, DocumentMeta]] = []
    if manifest:
        items += read_manifest(manifest)
    if paths:
        if not case:
            raise InvalidInput("give --case NAME for the files (or use --manifest)")
        normalise_kind(kind)
        for path in paths:
            files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            for f in files:
                items.append(
                    (
                        f,
                        DocumentMeta(
                            case=case,
                            kind=kind,
                            role=role,
                            round=round_,
                            date=date,
                            organisation=organisation,
                            interviewer=interviewer,
                            respondent=respondent,
                        ),
                    )
                )
    if not items:
        raise InvalidInput("nothing to import; give files or --manifest FILE")
    project = state.project(create=True)
    total = len(items)
    done = [0]
    show_bar = sys.stderr.isatty() and total > 1

    def progress(outcome: ImportOutcome) -> None:
        done[0] += 1
        if show_bar:
            click.echo(f"\r[{done[0]}/{total}] {Path(outcome.path).name[:50]:<50}", err=True, nl=False)
        else:
            mark = {"imported": "imported", "revised": "revised ", "duplicate": "skipped ", "failed": "FAILED  "}[
                outcome.status
            ]
            detail = f" — {outcome.message}" if outcome.message else ""
            click.echo(f"{mark} {outcome.path}{detail}", err=True)

    outcomes = import_batch(project, items, progress)
    if show_bar:
        click.echo("", err=True)
    imported = [o for o in outcomes if o.status == "imported"]
    dupes = [o for o in outcomes if o.status == "duplicate"]
    failed = [o for o in outcomes if o.status == "failed"]
    revised = [o for o in outcomes if o.status == "revised"]
    click.echo(
        f"{len(imported)} imported, " + (f"{len(revised)} revised, " if revised else "")
        + f"{len(dupes)} already in the project, {len(failed)} failed"
    )
    if show_bar:
        for o in dupes:
            click.echo(f"  skipped {o.path}: {o.message}")
        for o in imported:
            if o.message:
                click.echo(f"  {o.path}: {o.message}")
    if any(o.message for o in imported):
        click.echo("Change a kind with `casebook docs set DOC --kind K`.", err=True)
    if failed:
        click.echo("Not imported:", err=True)
        for o in failed:
            click.echo(f"  {o.path}: {o.message}", err=True)
        sys.exit(1)


def add(group: click.Group) -> None:
    group.add_command(import_cmd)
