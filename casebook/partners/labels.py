"""Type words used as labels: 'Anouk (HWH, pabo)', '- Gemeente: de wethouder …'.

Minutes and attendance lists label people and points by organisation, and
where the case has one partner of a type, the label is often the bare type
word without an article: in brackets after a name (``Anouk (pabo)``, one of
the items in ``(HWH, pabo)``) or as the label of a list item before its
colon (``- Gemeente: …``); after an organisation's own name the bracket
gives its role (``… Veldhoven (penvoerder)``) and is skipped. Such a word counts only when its generic rule
(``casebook.partners.variants.GENERIC_RULES``) needs no possessive and fits
exactly one organisation of the case; in running text the generic pass
still asks for an article ('de gemeente').
"""

from __future__ import annotations

import re
from collections.abc import Callable

from casebook.partners.model import Organisation
from casebook.partners.variants import GENERIC_RULES, GenericRule, VariantIndex

# 'Anouk (pabo)', 'Anouk de Graaf (HWH, pabo)': a short bracket (searched from its literal '('),
# then the capitalised word before it
_BRACKET = re.compile(r"\(([^()\n]{2,60})\)")
_WORD_BEFORE = re.compile(r"([A-ZÀ-Þ][\w'’-]+) $")
# '- Gemeente: …', '• Pabo: …' at the start of a line
_BULLET = re.compile(r"^[ \t]*[-•*–][ \t]*([A-ZÀ-Þ][\w-]+)[ \t]*:", re.M)


def type_labels(
    text: str, index: VariantIndex, fits: Callable[[Organisation, GenericRule], bool]
) -> list[tuple[int, int, str]]:
    """(start, end, organisation id) of every bare type word used as a label in the text."""
    out: list[tuple[int, int, str]] = []
    words: list[tuple[int, str, str]] = []  # (start, word, the word before the bracket)
    if "(" in text:
        for m in _BRACKET.finditer(text):
            pos = m.start(1)
            for part in m.group(1).split(","):
                word = part.strip()
                if word.lower() in GENERIC_RULES:
                    b = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
                    if b:
                        words.append((pos + part.index(word), word, b.group(1)))
                pos += len(part) + 1
    if ":" in text:
        words += [(m.start(1), m.group(1), "") for m in _BULLET.finditer(text)]
    named: set[str] | None = None
    for start, word, before in words:
        kw = word.lower()
        rule = GENERIC_RULES.get(kw)
        if rule is None or rule.possessive_only or kw in index.switched_off:
            continue
        if before:
            if named is None:
                named = {
                    w.casefold() for o in index.orgs.values() for n in o.names for w in n.split()
                }
            if before.casefold() in named:
                continue  # 'Technisch College Veldhoven (penvoerder)': the role of a named partner
        found = [o.id for o in index.orgs.values() if fits(o, rule)]
        if len(found) == 1:
            out.append((start, start + len(word), found[0]))
    return out
