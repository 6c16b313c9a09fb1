"""casebook tui (also the bare `casebook` command)"""

from __future__ import annotations

import sys

import click

from casebook.cli.state import State, pass_state
from casebook.errors import ProjectError


def open_tui(state: State) -> None:
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        raise ProjectError(
            "the workbench needs a terminal; use the subcommands (casebook --help) in scripts"
        )
    path = state.path
    if not path.exists():
        raise ProjectError(
            f"{path}: no project here; run `casebook demo` or `casebook import` first"
        )
    state.project()  # opens and migrates, so a bad file fails here with one line
    state.close()
    # casebook.tui loads Textual; `casebook --help` and the other commands must not
    from casebook.tui.app import run

    run(path, state.coder)


@click.command("tui")
@pass_state
def tui_cmd(state: State) -> None:
    """Open the coding workbench on the project."""
    open_tui(state)


def add(group: click.Group) -> None:
    group.add_command(tui_cmd)
