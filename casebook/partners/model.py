"""A registered partner organisation as the rest of the package sees it.

A leaf module: the registry stores organisations, the variant index and the
detector read them, and neither needs the other's module for the type.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Organisation:
    id: str
    case_id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]
