"""casebook demo"""

from __future__ import annotations

import time
from pathlib import Path

import click

from casebook.cli.state import State, pass_state
from casebook.cli.tui import open_tui
from casebook.demo import build_demo


@click.command("demo")
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path),
    default=Path("demo-project"),
    show_default=True,
    help="Folder for the demo project file (casebook.db).",
)
@click.option("--no-tui", is_flag=True, help="Only build and summarise (for scripts and tests).")
@click.option(
    "--force",
    is_flag=True,
    help="Rebuild even if you changed the demo project (a backup is taken first).",
)
@pass_state
def demo_cmd(state: State, folder: Path, no_tui: bool, force: bool) -> None:
    """Build the demo project from the bundled corpus and open it.

    An existing demo project you worked in is kept: reopen it with
    `casebook --project DIR/casebook.db`, or rebuild it with --force.
    """
    target = folder / "casebook.db"
    t0 = time.perf_counter()
    summary = build_demo(
        target, coder=state.coder, force=force, on_step=lambda s: click.echo(f"  {s}…", err=True)
    )
    took = time.perf_counter() - t0
    coded = ", ".join(f"{k}: {v}" for k, v in summary.codings.items()) or "none"
    click.echo(f"Demo project {target} built in {took:.1f} s")
    click.echo(f"  {summary.cases} cases, {summary.documents} documents, {summary.codes} codes")
    click.echo(f"  codings by coder: {coded}")
    if summary.partners:
        click.echo(f"  {summary.partners} partner organisations")
    for line in summary.failed:
        click.echo(f"  not imported: {line}", err=True)
    if summary.backup:
        click.echo(f"  your previous demo project was saved as {summary.backup}")
    click.echo(
        f"Try: casebook --project {target} docs   (reopen later: casebook --project {target})"
    )
    if not no_tui:
        state.project_option = str(target)
        open_tui(state)


def add(group: click.Group) -> None:
    group.add_command(demo_cmd)
