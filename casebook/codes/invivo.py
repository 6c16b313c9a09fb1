"""In-vivo codes: a new code named after the respondent's own words.

The rule lives here, not in a front end: every in-vivo code sits under one
parent code (made the first time it is needed), its name comes from the
quote (``name_from_text``) and is made unique with a ``_2``, ``_3`` suffix,
and its label is the quote itself, shortened to fit a tree line.
"""

from __future__ import annotations

from dataclasses import dataclass

from casebook.codes.codebook import add_code, name_from_text
from casebook.store.project import Project

INVIVO_PARENT = "INVIVO"
LABEL_LENGTH = 80


@dataclass(frozen=True)
class InVivoCode:
    id: str
    path: str


def _exists(project: Project, path: str) -> bool:
    return project.query_one("SELECT id FROM codes WHERE path = ?", (path,)) is not None


def unique_invivo_path(project: Project, quote: str) -> str:
    """The path a new in-vivo code for ``quote`` gets: the first free ``NAME``, ``NAME_2``, …"""
    base = name_from_text(quote)
    name, n = base, 2
    while _exists(project, f"{INVIVO_PARENT}.{name}"):
        name, n = f"{base}_{n}", n + 1
    return f"{INVIVO_PARENT}.{name}"


def add_invivo_code(project: Project, quote: str) -> InVivoCode:
    """Make the code for an in-vivo coding of ``quote`` (and its parent, the first time).

    Runs in the caller's transaction when there is one, so the coding that
    follows and the codes made here are undone together.
    """
    with project.transaction():
        if not _exists(project, INVIVO_PARENT):
            add_code(
                project,
                INVIVO_PARENT,
                label="In-vivo codes",
                definition="Codes named after the respondent's own words.",
            )
        path = unique_invivo_path(project, quote)
        label = " ".join(quote.split())
        code_id = add_code(
            project,
            path,
            label=label[:LABEL_LENGTH] + ("…" if len(label) > LABEL_LENGTH else ""),
        )
    return InVivoCode(code_id, path)
