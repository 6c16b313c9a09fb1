"""Short names a document defines itself: 'X (hierna: Y)', 'Y (X)', 'X, al zegt iedereen Y'.

Reports, minutes and interviews often introduce the short name they will
use from then on, right next to a name the registry knows. Such a name is
the text's own word for the organisation, not something the registry could
have derived (a brand, a nickname, an abbreviation of the writer's own
making), so it is read from the text: the defined form then resolves to
that organisation wherever the case's documents use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence

from casebook.partners.renamings import renamed_forms
from casebook.partners.words import COMMON_ACRONYMS
from casebook.text.names import given_names

# the short form: one or two words starting with a capital or a digit ('KeMet', 'De Horizon', 'TW2')
_SHORT = r"((?:[Dd]e |[Hh]et )?[A-Z0-9][\w&'-]{1,24}(?: [A-Z][\w&'-]{1,24})?)"
# after a known name: '(hierna: Y)', '(verder Y)', '(Y)', ', al zegt iedereen (hier) Y', ', beter bekend als Y'
_AFTER = re.compile(
    r"\s*(?:\(\s*(?:(?:hierna|verder|kortweg|voortaan|afgekort)\s*[:,]?\s*(?:te noemen\s*)?)?[\"'‘“]?"
    + _SHORT
    + r"[\"'’”]?\s*\)"
    + r"|,?\s+(?:al\s+|maar\s+)?(?:zegt|noemt)\s+(?:iedereen|men|eigenlijk iedereen|de meeste mensen)"
    r"(?:\s+(?:hier|het|dat|ze|hem))*\s+"
    + _SHORT
    + r"(?=[\s,.;:!?)]|$)"
    + r"|,?\s+(?:beter bekend als|ook wel|oftewel|kortweg)\s+"
    + _SHORT
    + r"(?=[\s,.;:!?)]|$))"
)
# before a known name in brackets: 'Y (X)'
_BEFORE = re.compile(_SHORT + r"\s*\(\s*$")


def defined_forms(
    text: str, resolved: Iterable[tuple[int, int, str]], known: Iterable[str] = ()
) -> dict[str, str]:
    """Short forms the text defines next to a resolved mention, keyed by their casefolded form.

    ``resolved`` holds (start, end, organisation id) of mentions already
    resolved; ``known`` the normalised forms the registry already has (a
    form that already means something is never redefined). A form defined
    for two organisations is dropped.
    """
    taken = {k.casefold() for k in known}
    out: dict[str, str | None] = {}
    for start, end, org_id in resolved:
        shorts: list[str] = []
        m = _AFTER.match(text, end)
        if m:
            short = next(g for g in m.groups() if g)
            said = not m.group(0).lstrip().startswith("(") or _SAID.search(m.group(0))
            if said or _abbreviation_like(short):
                shorts.append(short)
        b = _BEFORE.search(text, max(0, start - 60), start)
        if b and text[end : end + 3].lstrip().startswith(")") and _abbreviation_like(b.group(1)):
            shorts.append(b.group(1))  # 'Jan Smit (Gemeente X)' is a person, 'RMF (X)' a name
        for short in shorts:
            key = _key(short)
            if len(key) < 2 or key in taken or key.isdigit():
                continue
            if out.get(key, org_id) != org_id:
                out[key] = None
            else:
                out.setdefault(key, org_id)
    return {k: v for k, v in out.items() if v}


_SAID = re.compile(r"hierna|verder|kortweg|voortaan|afgekort", re.I)


def _abbreviation_like(short: str) -> bool:
    """'RMF', 'KeMet', 'TW2': a bare bracketed form counts only when it reads as an abbreviation."""
    word = _key(short)
    return " " not in word and sum(c.isupper() or c.isdigit() for c in short.split()[-1]) >= 2


def _key(short: str) -> str:
    return re.sub(r"^(?:de|het)\s+", "", short.strip(), flags=re.I).casefold()


def find_defined(text: str, forms: dict[str, str]) -> list[tuple[int, int, str]]:
    """Where the defined forms occur in a text, written with a capital as a name is (start, end, org)."""
    if not forms:
        return []
    alternatives = sorted(forms, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in alternatives) + r")(?![\w-])", re.I
    )
    out: list[tuple[int, int, str]] = []
    for m in pattern.finditer(text):
        surface = m.group(0)
        if not (surface[0].isupper() or surface[0].isdigit()):
            continue  # a lowercase 'kemet' may be an ordinary word; the defined form is a name
        out.append((m.start(), m.end(), forms[surface.casefold()]))
    return out


def resolved_spans(found: Sequence[object]) -> list[tuple[int, int, str]]:
    """(start, end, organisation) of the resolved detections in a list of ``Found``."""
    return [
        (f.start, f.end, f.organisation_id)  # type: ignore[attr-defined]
        for f in found
        if getattr(f, "organisation_id", None)
    ]


def case_forms(
    docs: Iterable[tuple[str, list[tuple[int, int, str]]]],
    known: Callable[[str], bool],
    name_words: Collection[str] = (),
) -> dict[str, str]:
    """The forms a case's documents define, over all of them: each text with its resolved spans.

    Short names set next to a name, and old names and buildings
    (``casebook.partners.renamings``; ``name_words``: the lowercase words of
    the registered names). A form two documents define for different
    organisations, a form that already means something (``known``: the
    registry's forms, the case's places), a given name or an everyday
    acronym is left out.
    """
    forms: dict[str, str | None] = {}
    for text, spans in docs:
        renamed = [(_key(n), o) for n, o in renamed_forms(text, spans, name_words)]
        for key, org_id in [*defined_forms(text, spans).items(), *renamed]:
            forms[key] = org_id if forms.get(key, org_id) == org_id else None
    if not forms:
        return {}
    given = given_names()
    return {
        k: v
        for k, v in forms.items()
        if v
        and not known(k)
        and k not in given
        and k.capitalize() not in given
        and k.upper() not in COMMON_ACRONYMS
    }
