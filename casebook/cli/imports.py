"""casebook import"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from casebook.cli.state import State, pass_state
from casebook.core.cases import case_named, new_case_names
from casebook.core.documents import (
    DocumentMeta,
    ImportOutcome,
    check_date,
    import_batch,
    import_summary,
    normalise_kind,
)
from casebook.errors import InvalidInput
from casebook.importers.folders import walk_paths
from casebook.manifest import read_manifest


@click.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--case", "case", metavar="NAME", help="Case (region) the files belong to.")
@click.option(
    "--kind",
    metavar="K",
    help="interview, progress_report, plan or other (default: from the file name and content).",
)
@click.option(
    "--role", metavar="R", help="Respondent role, e.g. programmamanager, mbo, bedrijfsleven."
)
@click.option("--round", "round_", metavar="N", help="Interview round, e.g. 2022.")
@click.option("--date", metavar="YYYY-MM-DD")
@click.option("--organisation", metavar="O", help="Respondent's organisation.")
@click.option(
    "--interviewer", metavar="NAME", help="Interviewer (helps tell interviewer turns apart)."
)
@click.option(
    "--respondent", metavar="ID", help="Stable respondent id, for people interviewed twice."
)
@click.option(
    "--case-from-folder",
    is_flag=True,
    help="Each folder directly under DIR is a case (named after the folder).",
)
@click.option(
    "--manifest",
    type=click.Path(path_type=Path),
    help="CSV or YAML listing files with case and attributes.",
)
@click.option(
    "--analyse-now",
    is_flag=True,
    help="Build sentences and the search index during the import (default: at the next command).",
)
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
    case_from_folder: bool,
    manifest: Path | None,
    analyse_now: bool,
) -> None:
    """Import transcripts and reports (.txt .md .docx .odt .vtt .srt .pdf).

    PATHS may be files or folders; folders are walked, skipping hidden files,
    Word's ~$ lock files and files of other types.

    Each file is imported whole or not at all; a file already in the project
    (same content) is skipped. A batch goes on past bad files, lists them at
    the end and exits non-zero.

    Sentences and the search index (the language layer, which needs spaCy)
    are built by the next command that opens the project, or here with
    --analyse-now; until then the documents are stored and marked as waiting.
    """
    items: list[tuple[Path, DocumentMeta]] = []
    if date:
        check_date(date)
    if manifest:
        items += read_manifest(manifest)
    n_manifest = len(items)
    notes: list[str] = []
    if paths:
        if case and case_from_folder:
            raise InvalidInput("give either --case NAME or --case-from-folder, not both")
        if not case and not case_from_folder:
            raise InvalidInput(
                "give --case NAME for the files, --case-from-folder for a folder of cases, or --manifest"
            )
        normalise_kind(kind)
        walk = walk_paths(paths, case_from_folder=case_from_folder)
        notes = walk.notes
        for found in walk.files:
            items.append(
                (
                    found.path,
                    DocumentMeta(
                        case=found.case or case,
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
    project = state.project(create=True, complete_language=analyse_now)
    bar_open = [False]
    if manifest:
        listed = {meta.case for _path, meta in items[:n_manifest] if meta.case}
        new = new_case_names(project, listed, str(manifest))
        if new:
            notes.append(f"the manifest starts new cases: {', '.join(new)}")
    spelled = {
        name: case_named(project, name) for name in {meta.case for _p, meta in items if meta.case}
    }
    for _path, meta in items:
        if meta.case in spelled:
            meta.case = spelled[meta.case]
    for note in notes:
        click.echo(f"note: {note}", err=True)
    total = len(items)
    done = [0]
    show_bar = sys.stderr.isatty() and total > 1

    def progress(outcome: ImportOutcome) -> None:
        if bar_open[0]:  # a long file's bar stopped short (it failed): end its line
            click.echo("", err=True)
            bar_open[0] = False
        done[0] += 1
        if show_bar:
            click.echo(
                f"\r[{done[0]}/{total}] {Path(outcome.path).name[:50]:<50}", err=True, nl=False
            )
        else:
            mark = {
                "imported": "imported",
                "revised": "revised ",
                "duplicate": "skipped ",
                "failed": "FAILED  ",
            }[outcome.status]
            detail = f" — {outcome.message}" if outcome.message else ""
            click.echo(f"{mark} {outcome.path}{detail}", err=True)
        for warning in outcome.warnings:
            click.echo(f"{chr(10) if show_bar else ''}warning: {outcome.path}: {warning}", err=True)

    big = (
        {str(path) for path, _meta in items if _size(path) > BAR_BYTES}
        if sys.stderr.isatty()
        else set()
    )

    def file_progress(path: Path, share: float) -> None:
        if str(path) in big:
            click.echo(f"\r{file_bar(path.name, share)}", err=True, nl=share >= 1.0)
            bar_open[0] = share < 1.0

    outcomes = import_batch(
        project,
        items,
        progress,
        file_progress if big else None,
        language="now" if analyse_now else "later",
    )
    if show_bar:
        click.echo("", err=True)
    imported = [o for o in outcomes if o.status == "imported"]
    dupes = [o for o in outcomes if o.status == "duplicate"]
    failed = [o for o in outcomes if o.status == "failed"]
    click.echo(import_summary(outcomes))
    if not analyse_now and any(o.status == "imported" for o in outcomes):
        click.echo(
            "Sentences and the search index follow at the next command (or use --analyse-now).",
            err=True,
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


BAR_BYTES = 1_000_000  # files larger than this get a progress bar of their own


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def file_bar(name: str, share: float, width: int = 30) -> str:
    """``transcript.txt [##########--------------------]  33%``"""
    share = min(max(share, 0.0), 1.0)
    filled = round(share * width)
    return f"{name[:40]:<40} [{'#' * filled}{'-' * (width - filled)}] {share:4.0%}"


def add(group: click.Group) -> None:
    group.add_command(import_cmd)
