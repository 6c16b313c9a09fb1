"""How the command palette ranks its entries: named actions first, then codes by match, recent use and group.

Pure functions without Textual, shared by the palette providers (casebook.tui.commands)
and the code palette dialog, which the coding screen opens.
"""

from __future__ import annotations

import re
from typing import Any

_WORD = re.compile(r"\w+")

# Score bands (Textual sorts hits by score, highest first). Textual's fuzzy matcher does not
# score within 0–1 (a code whose path and label both hold the query word scored 13.4 for
# "partners"), so a named action sits above every possible match by an offset, not a scale.
NAMED_ACTION = 1_000.0  # an action whose words the query names: 1,000 + its match
OTHER = 0.55  # everything else: its match, scaled
RECENT_BONUS = 0.03  # the most recent code; older ones less (breaks ties between equal matches)
GROUP_BONUS = 0.015  # same group as the last code applied


def names_it(query: str, text: str) -> bool:
    """Every word of the query starts a word of the text ("partn" names "Partners of this case")."""
    words = [w.lower() for w in _WORD.findall(text)]
    wanted = [w.lower() for w in _WORD.findall(query)]
    return bool(wanted) and all(any(w.startswith(q) for w in words) for q in wanted)


def group_of(code: dict[str, Any]) -> str:
    """The code's group: the name of its top-level code (BEL for BEL.CORONA)."""
    return str(code["path"]).split(".", 1)[0]


def code_caption(code: dict[str, Any]) -> str:
    """What is shown beside a code so equal labels in different groups differ: "BEL · Corona"."""
    label = code.get("label") or str(code["path"]).rsplit(".", 1)[-1]
    return f"{group_of(code)} · {label}"


def code_bonus(code: dict[str, Any], recent: list[str], last_group: str | None) -> float:
    """Recent use and the last applied code's group lift a code a little (never above an action)."""
    bonus = 0.0
    if code["id"] in recent:
        bonus += RECENT_BONUS * (1 - recent.index(code["id"]) / (len(recent) + 1))
    if last_group and group_of(code) == last_group:
        bonus += GROUP_BONUS
    return bonus


def action_score(query: str, text: str, match: float) -> float:
    return NAMED_ACTION + match if names_it(query, text) else OTHER * match


def plural(n: int, one: str, many: str | None = None) -> str:
    """ "1 hit", "2 hits": counts in palette and search messages."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
