"""casebook serve: the workbench in a browser (textual-serve), for colleagues without a terminal."""

from __future__ import annotations

import click

from casebook.cli.state import State, pass_state
from casebook.errors import ProjectError


@click.command("serve")
@click.option(
    "--project",
    "-p",
    "project_option",
    metavar="PATH",
    help="Project file (overrides the global --project).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but localhost needs a token.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port (0: any free port).",
)
@click.option(
    "--token",
    metavar="TEXT",
    help="Token the link must carry (generated when --host is not localhost).",
)
@click.option(
    "--open", "open_browser", is_flag=True, help="Open the link in this machine's browser."
)
@pass_state
def serve_cmd(
    state: State,
    project_option: str | None,
    host: str,
    port: int,
    token: str | None,
    open_browser: bool,
) -> None:
    """Serve the coding workbench to a web browser; one tab is one session.

    Same keys, same project file as the terminal workbench. Files the
    workbench imports or exports are on this machine.
    """
    if project_option:
        state.project_option = project_option
    path = state.path
    if not path.exists():
        raise ProjectError(
            f"{path}: no project here; run `casebook demo` or `casebook import` first"
        )
    project = state.project()  # opens and migrates, so a bad file fails here with one line
    name = project.get_meta("name")
    coder = state.coder
    state.close()
    # casebook.tui loads Textual; `casebook --help` and the other commands must not
    from casebook.tui.serve import serve

    serve(
        path,
        coder,
        host=host,
        port=port,
        token=token,
        open_browser=open_browser,
        name=name or path.name,
    )


def add(group: click.Group) -> None:
    group.add_command(serve_cmd)
