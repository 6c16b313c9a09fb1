"""The ``casebook`` command line: a thin shell over the domain modules.

Every command opens the project, calls domain functions and prints. Errors
from the ``CasebookError`` family become one line on stderr and a non-zero
exit code; no traceback reaches the user.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from typing import Any

import click

from casebook import __version__
from casebook.cli import (
    agreement,
    autocode,
    cases,
    chapter,
    codebook,
    coding,
    demo,
    docs,
    exchange,
    export,
    imports,
    partners,
    persons,
    revise,
    serve,
    synthesis,
    team,
    tui,
)
from casebook.cli.state import State
from casebook.cli.tui import open_tui
from casebook.errors import CasebookError


class CasebookGroup(click.Group):
    """Turns domain errors into one line on stderr instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        ok = False
        try:
            result = super().invoke(ctx)
            ok = True
            return result
        except SystemExit as exc:
            ok = exc.code in (0, None)
            raise
        except click.exceptions.Exit as exc:
            ok = exc.exit_code == 0
            raise
        except CasebookError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except sqlite3.OperationalError as exc:
            msg = str(exc)
            if "locked" in msg or "busy" in msg:
                click.echo(
                    "error: the project is locked by another program; close it there and try again",
                    err=True,
                )
            else:
                click.echo(f"error: the project database refused the action ({msg})", err=True)
            ctx.exit(1)
        except sqlite3.DatabaseError as exc:
            click.echo(
                f"error: the project file is damaged or not a casebook project ({exc})", err=True
            )
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; the project keeps everything committed so far", err=True)
            ctx.exit(130)
        finally:
            state = ctx.find_object(State)
            if state is not None:
                state.close(failed=not ok)


@click.group(
    cls=CasebookGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--project",
    "-p",
    "project_option",
    metavar="PATH",
    help="Project file (default: $CASEBOOK_PROJECT or ./casebook.db).",
)
@click.option(
    "--coder",
    "coder_option",
    metavar="NAME",
    help="Coder name for this command (default: `casebook coder set`).",
)
@click.version_option(__version__, prog_name="casebook")
@click.pass_context
def cli(ctx: click.Context, project_option: str | None, coder_option: str | None) -> None:
    """casebook: code interviews and reports, compare cases, report quotes.

    Run without a command to open the coding workbench (TUI) on the project.
    """
    ctx.obj = State(project_option, coder_option)
    if ctx.invoked_subcommand is None:
        open_tui(ctx.obj)


def register(*modules: Callable[[click.Group], None]) -> None:
    for add in modules:
        add(cli)


def _load_commands() -> None:
    register(
        imports.add,
        cases.add,
        codebook.add,
        coding.add,
        docs.add,
        demo.add,
        tui.add,
        team.add,
        synthesis.add,
    )
    register(partners.add)
    register(agreement.add)
    register(exchange.add)
    register(export.add, persons.add)
    register(chapter.add)
    register(serve.add)
    register(autocode.add)
    register(revise.add)


_load_commands()


def main() -> None:
    try:
        cli(prog_name="casebook")
    except CasebookError as exc:  # raised outside a command (while parsing options)
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
