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

from casebook import __version__, config
from casebook.errors import CasebookError
from casebook.store.project import Project, open_project


class State:
    def __init__(self, project_option: str | None, coder_option: str | None) -> None:
        self.project_option = project_option
        self.coder_option = coder_option
        self._project: Project | None = None

    @property
    def path(self):
        return config.project_path(self.project_option)

    @property
    def coder(self) -> str:
        return config.current_coder(self.coder_option)

    def project(self, create: bool = False) -> Project:
        if self._project is None:
            self._project = open_project(self.path, create=create, coder=self.coder)
            for notice in self._project.notices:
                click.echo(f"warning: {notice}", err=True)
        return self._project

    def close(self, *, failed: bool = False) -> None:
        """Close the project; a project this failed command created empty is removed again."""
        if self._project is not None:
            if failed:
                self._project.close_discarding_if_new()
            else:
                self._project.close()
            self._project = None


pass_state = click.make_pass_decorator(State)


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
        from casebook.cli.tui import open_tui

        open_tui(ctx.obj)


def register(*modules: Callable[[click.Group], None]) -> None:
    for add in modules:
        add(cli)


def _load_commands() -> None:
    from casebook.cli import cases, codebook, coding, demo, docs, imports, synthesis, team, tui

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
    from casebook.cli import partners

    register(partners.add)
    from casebook.cli import agreement

    register(agreement.add)  # noqa: E702, I001
    from casebook.cli import exchange

    register(exchange.add)  # noqa: E702, I001
    from casebook.cli import export, persons

    register(export.add, persons.add)  # noqa: E702, I001
    from casebook.cli import chapter

    register(chapter.add)  # noqa: E702, I001
    from casebook.cli import serve

    register(serve.add)  # noqa: E702, I001
    from casebook.cli import autocode

    register(autocode.add)  # noqa: E702, I001
    from casebook.cli import revise

    register(revise.add)  # noqa: E702, I001


_load_commands()


def main() -> None:
    try:
        cli(prog_name="casebook")
    except CasebookError as exc:  # raised outside a command (while parsing options)
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
