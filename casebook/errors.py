"""One family of errors whose messages are written for researchers.

Both front-ends show ``str(error)`` as a single line: the CLI on stderr with a
non-zero exit code, the TUI as a notification. A message names the file or
thing at fault and says what to do next.
"""

from __future__ import annotations


class CasebookError(Exception):
    """Base of every error a user may see."""

    title = "casebook"
    exit_code = 1

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        if title is not None:
            self.title = title


class ProjectError(CasebookError):
    title = "Project"


class ImportFailed(CasebookError):
    """A file could not be imported; the project is left as it was."""

    title = "Import"

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class NotFound(CasebookError):
    title = "Not found"


class Ambiguous(CasebookError):
    title = "Ambiguous"


class InvalidInput(CasebookError):
    title = "Invalid input"
    exit_code = 2


class CodebookError(CasebookError):
    title = "Codebook"
