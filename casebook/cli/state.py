"""What every command shares: the project and coder chosen on the command line.

Kept apart from the command group in ``casebook.cli`` so the command modules,
which the group imports, can import it without a cycle.
"""

from __future__ import annotations

import click

from casebook import config
from casebook.core import language
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

    def project(self, create: bool = False, *, complete_language: bool = True) -> Project:
        """The command's project, opened once.

        Documents that ``casebook import`` left waiting for their sentences and
        search rows get them here first, so every command reads complete
        documents; ``complete_language=False`` (the import command) leaves them
        waiting, so an import never loads spaCy.
        """
        if self._project is None:
            self._project = open_project(self.path, create=create, coder=self.coder)
            for notice in self._project.notices:
                click.echo(f"warning: {notice}", err=True)
            if complete_language:  # only this command's own import can leave more waiting
                n = language.waiting(self._project)
                if n:
                    click.echo(
                        f"casebook: preparing sentences and search index for {n} document(s)…",
                        err=True,
                    )
                    language.complete(self._project)
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
