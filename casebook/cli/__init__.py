"""The ``casebook`` command line: a thin shell over the domain modules.

Every command opens the project, calls domain functions and prints. Errors
from the ``CasebookError`` family become one line on stderr and a non-zero
exit code; no traceback reaches the user.

The root group knows its commands from a table (``COMMANDS``: name, module,
one-line help) and imports a command's module only when that command runs
(or its own ``--help`` is asked for): the modules between them load about two
hundred casebook modules, numpy and sqlite-utils, which `casebook --help` and
each single command have no use for. tests/test_cli_commands.py checks the
table against what the modules register.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
from typing import Any

import click
from click.shell_completion import CompletionItem

from casebook import __version__
from casebook.errors import CasebookError

# Every command of the root group: name -> (module under casebook.cli that registers
# it with its ``add(group)``, the command's one-line help as `casebook --help` shows it).
COMMANDS: dict[str, tuple[str, str]] = {
    "agreement": (
        "agreement",
        "How far coders agree: % agreement, Cohen's and Fleiss' κ, Krippendorff's α with a CI.",
    ),
    "autocode": (
        "autocode",
        "Suggest passages for a code by a rule; a coder accepts or rejects them (`casebook suggestions`).",
    ),
    "case": ("cases", "Add cases and set case attributes."),
    "cases": ("cases", "List cases with their attributes and counts."),
    "code": ("coding", "Code a passage of DOCUMENT (id, id prefix or file name)."),
    "codebook": ("codebook", "Import, export, show and restructure the codebook."),
    "coder": ("coding", "Who is coding (stored per user, not per project)."),
    "coder-pack": (
        "team",
        "Send one coder a subset of documents with the codebook, and take their work back.",
    ),
    "codings": ("coding", "List codings."),
    "compare-rounds": (
        "synthesis",
        "Per case and code: ROUND_A against ROUND_B, the difference, and what is new.",
    ),
    "conflicts": (
        "team",
        "Values that merges kept aside because both files changed the same thing.",
    ),
    "contrast": (
        "chapter",
        "Mark two or more codings (ids or id prefixes) as contradicting each other.",
    ),
    "contrasts": ("chapter", "List the contrasts, per theme if asked."),
    "cooccurrence": (
        "synthesis",
        "Code × code: how often codes overlap (or share a speaker turn), with the Jaccard share.",
    ),
    "demo": ("demo", "Build the demo project from the bundled corpus and open it."),
    "docs": (
        "docs",
        "List documents: id, name, case, kind, role, round, characters, pages, turns.",
    ),
    "export": (
        "export",
        "Documents for the report team: quote banks, the codebook, case reports.",
    ),
    "framework": (
        "synthesis",
        "Framework matrices: case × theme summaries written against the passages.",
    ),
    "graph": ("partners", "The collaboration graph of a case, or pooled across cases."),
    "import": (
        "imports",
        "Import transcripts and reports (.txt .md .docx .odt .vtt .srt .pdf).",
    ),
    "link": (
        "partners",
        "Show, set or accept the organisations a collaboration coding involves.",
    ),
    "links": (
        "partners",
        "Collaboration codings with their partners (or proposals) and valence.",
    ),
    "matrix": ("synthesis", "A case × code (or any two axes) table of a measure."),
    "merge": (
        "team",
        "Merge other coders' project files into this one (backup first; nothing deleted).",
    ),
    "network-metrics": (
        "partners",
        "Compare collaboration networks across cases: density, centralisation, penvoerder, type pairs.",
    ),
    "partners": (
        "partners",
        "Partner organisations per case: registry, mentions in the text, review list.",
    ),
    "persons": ("persons", "The person registry: names that pseudonymised exports replace."),
    "qdpx": (
        "exchange",
        "Exchange projects with other QDA programs (REFI-QDA .qdpx / .qdc).",
    ),
    "rank": (
        "chapter",
        "Rank a group's codes by regions, with respondents by role and an optional split.",
    ),
    "revise": (
        "revise",
        "Make NEWFILE the next version of DOCUMENT (id, id prefix or file name).",
    ),
    "revisions": (
        "revise",
        "A document's revisions and the codings they flagged (edited, partial, lost).",
    ),
    "search": ("docs", "Full-text search over every document's sentences."),
    "segments": (
        "synthesis",
        "Coded passages by code, combined with AND / OR / NOT and filtered.",
    ),
    "serve": ("serve", "Serve the coding workbench to a web browser; one tab is one session."),
    "show": ("docs", "A document's text with turn labels, page markers and codings."),
    "stats": ("docs", "Counts of cases, documents, codes and codings."),
    "suggestions": (
        "autocode",
        "The suggestion queue; `accept` or `reject` them by id, --rule NAME or --all.",
    ),
    "summary": (
        "chapter",
        "The region summary of CASE: prefilled from its coded passages, then yours to rewrite.",
    ),
    "tui": ("tui", "Open the coding workbench on the project."),
    "uncode": ("coding", "Remove a coding (see ids with `casebook codings`)."),
}

# Modules that add subcommands to a command another module registers, loaded with it:
# `export synthesis` lives with the other chapter commands.
ALSO_LOADS: dict[str, tuple[str, ...]] = {"export": ("chapter",)}


def command_modules(name: str) -> tuple[str, ...]:
    """The casebook.cli modules to import for command ``name``, its own first."""
    return (COMMANDS[name][0], *ALSO_LOADS.get(name, ()))


class CasebookGroup(click.Group):
    """Loads a command's module when the command is asked for; domain errors become one line.

    Listing the commands (`casebook --help`, shell completion) reads ``COMMANDS``
    and imports nothing.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded: set[str] = set()

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            for module in command_modules(cmd_name):
                if module not in self._loaded:
                    importlib.import_module(f"casebook.cli.{module}").add(self)
                    self._loaded.add(module)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the table, shortened as click shortens a command's help."""
        names = [n for n in self.list_commands(ctx) if not _hidden(self, n)]
        if not names:
            return
        limit = formatter.width - 6 - max(map(len, names))
        rows = [(name, _short_help(self, name, limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Command names with their help from the table, then the group's options."""
        items = [
            CompletionItem(name, help=_short_help(self, name, 45))
            for name in self.list_commands(ctx)
            if name.startswith(incomplete) and not _hidden(self, name)
        ]
        return items + click.Command.shell_complete(self, ctx, incomplete)

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
            state = ctx.meta.get(_STATE)
            if state is not None:
                state.close(failed=not ok)


_STATE = "casebook.state"  # ctx.meta key of the State the root callback made


def _hidden(group: click.Group, name: str) -> bool:
    cmd = group.commands.get(name)
    return cmd is not None and cmd.hidden


def _short_help(group: click.Group, name: str, limit: int) -> str:
    """A loaded command's own short help, else the table's, shortened to ``limit``."""
    cmd = group.commands.get(name)
    if cmd is not None:
        return cmd.get_short_help_str(limit)
    return _shortened(COMMANDS[name][1], limit)


def _shortened(text: str, limit: int) -> str:
    """The first sentence of the first paragraph, period kept; cut at a word with '...' to fit.

    The rule click applies to a loaded command's help (its helper for it is
    deprecated in click 8.5), so the table's lines read as the loaded ones.
    """
    words = text.split("\n\n")[0].split()
    kept: list[str] = []
    for word in words:
        if len(" ".join([*kept, word])) > limit:
            break
        kept.append(word)
        if word.endswith("."):
            return " ".join(kept)
    else:
        return " ".join(kept)
    while kept and len(" ".join(kept)) + 3 > limit:
        kept.pop()
    return " ".join(kept) + "..."


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
    # the project store loads sqlite-utils (and numpy through it); only a command needs it
    from casebook.cli.state import State

    ctx.obj = ctx.meta[_STATE] = State(project_option, coder_option)
    if ctx.invoked_subcommand is None:
        # the command modules load only when their command runs; so does the TUI's
        from casebook.cli.tui import open_tui

        open_tui(ctx.obj)


def main() -> None:
    try:
        cli(prog_name="casebook")
    except CasebookError as exc:  # raised outside a command (while parsing options)
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
