"""A registered partner organisation as the rest of the package sees it.

A leaf module: the registry stores organisations, the variant index and the
detector read them, and neither needs the other's module for the type.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from casebook.orgtypes import DEFAULT_TYPES


@dataclass
class Organisation:
    id: str
    case_id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    # Every word a rule may name this organisation's type by (Vocabulary.answers_to): the
    # project's vocabulary fills it; an organisation built without one reads the defaults.
    kinds: frozenset[str] = frozenset()
    counts_as: str = ""  # the type pair tables and counts take it for

    def __post_init__(self) -> None:
        if not self.kinds:
            self.kinds = DEFAULT_TYPES.answers_to(self.type)
        if not self.counts_as:
            self.counts_as = DEFAULT_TYPES.counts_as(self.type)

    def is_a(self, words: str | Collection[str]) -> bool:
        """Whether a rule that names ``words`` (type keys, synonyms or roles) covers this one."""
        if isinstance(words, str):
            words = (words,)
        return self.type in words or any(k in words for k in self.kinds)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]
