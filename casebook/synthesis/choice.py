"""One syntax for choosing codes and filters, read the same way by the command line and the workbench.

Codes: a list of code references separated by commas or semicolons, where
an item may be a code (path, label or name), ``X.*`` for the codes directly
under X, ``*`` for the top level, or ``level:N`` (also ``level N``) for every
code at level N of the tree. ``--codes BEL.*,SAM`` on the command line and
``BEL.*, SAM`` in the matrix screen's codes field mean the same; so do
``--level 1``, ``--codes level:1`` and ``level:1`` typed in the screen.

Filters: ``key=value`` items separated by semicolons or new lines (a value
may list several alternatives with commas: ``round=2021,2022``). Repeating
``--filter`` and writing ``role=mbo; round=2022`` are the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from casebook.errors import InvalidInput
from casebook.synthesis.matrix import MatrixSpec

_LEVEL = re.compile(r"^level\s*[:=\s]\s*(\S+)$", re.IGNORECASE)


@dataclass(frozen=True)
class CodeChoice:
    """The codes of an axis: references (``None`` = every code) or one level of the tree."""

    codes: list[str] | None = None
    level: int | None = None

    def text(self) -> str:
        """The choice written back in the syntax it was parsed from (for a text field)."""
        if self.codes:
            return ", ".join(self.codes)
        return f"level:{self.level}" if self.level else ""


def _items(values: str | Iterable[str] | None, separators: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    pattern = "[" + re.escape(separators) + "]"
    return [part.strip() for value in values for part in re.split(pattern, value) if part.strip()]


def parse_codes(values: str | Iterable[str] | None, level: int | None = None) -> CodeChoice:
    """Code references and levels from option values or a typed field (see the module docstring).

    A ``level:N`` item and ``level`` (the CLI's ``--level``) are the same
    thing; naming two different levels, or a level and codes, is refused
    rather than silently dropping one of them.
    """
    refs: list[str] = []
    levels: set[int] = {level} if level is not None else set()
    for item in _items(values, ",;\n"):
        found = _LEVEL.match(item)
        if found:
            if not found.group(1).isdigit():
                raise InvalidInput(f"'{item}': a level is a number, e.g. level:1")
            levels.add(int(found.group(1)))
        else:
            refs.append(item)
    if len(levels) > 1:
        raise InvalidInput(f"choose one level, not {' and '.join(map(str, sorted(levels)))}")
    if levels and refs:
        raise InvalidInput(
            f"choose codes ({', '.join(refs)}) or a level (level:{min(levels)}), not both"
        )
    return CodeChoice(refs or None, next(iter(levels)) if levels else None)


def theme_refs(values: str | Iterable[str] | None) -> list[str]:
    """A framework's themes in the same syntax: codes and branches (``BEL.*``), not a level."""
    choice = parse_codes(values)
    if choice.level is not None:
        raise InvalidInput(
            f"a framework's themes are codes (BEL.TIJD, BEL.*), not level:{choice.level}"
        )
    return choice.codes or []


def parse_filter_items(values: str | Iterable[str] | None) -> list[str]:
    """``key=value`` items from repeated options or a typed field; each item is checked later."""
    return _items(values, ";\n")


def matrix_spec(
    rows: str,
    cols: str,
    measure: str,
    codes: str | Iterable[str] | None = None,
    level: int | None = None,
    children: bool = True,
    filters: str | Iterable[str] | None = None,
) -> MatrixSpec:
    """A matrix as either front end states it: option values or the screen's typed fields."""
    choice = parse_codes(codes, level)
    return MatrixSpec(
        rows, cols, measure, choice.codes, choice.level, children, parse_filter_items(filters)
    )
