"""Given names: the one name list both privacy (finding persons) and partners (telling a person from
a company called after a family) read.

A leaf module, so neither package has to import the other for it. The lists
and where they come from are described in ``data/README.md``.
"""

from __future__ import annotations

import functools
from importlib import resources


def _read_names(filename: str) -> frozenset[str]:
    text = resources.files("casebook.text").joinpath(f"data/{filename}").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@functools.lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Dutch given names and international ones (Faker's lists, less Dutch words)."""
    return _read_names("first_names_nl.txt") | _read_names("given_names_intl.txt")
