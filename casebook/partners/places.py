"""When a place word in a text is the place, not the organisation named after it.

Schools are named after their town ('Praktijkschool Oosterwierum') and
municipalities are territories as well as organisations, so the town alone
or 'de gemeente' can stand for a partner. The words around it say when it
does not: 'in Oosterwierum', 'een dorp als Oosterwierum', a town alone on a
signature's address line, 'in het noorden van de gemeente'.
"""

from __future__ import annotations

import re
from collections.abc import Container

from casebook.partners.variants import normalise

# Nouns that also name an area; after 'in', 'binnen' or 'buiten' they are the place.
TERRITORIAL = frozenset({"gemeente", "provincie", "waterschap", "regio"})
_TERRITORY_BEFORE = re.compile(
    r"(?<![\w-])(?:in|binnen|buiten"
    # 'in het noorden van de gemeente', 'de rest van de provincie': a part of the territory
    r"|(?:noorden|zuiden|oosten|westen|midden|centrum|rest|deel|helft|buitengebied)\s+van)"
    r"\s+(?:de|het|onze|ons|hun|deze|die)\s+$",
    re.I,
)
_LOCATIVE_BEFORE = re.compile(
    r"(?<![\w-])(?:in|uit|naar|rond|rondom|buiten|richting|omgeving|regio|gemeente|dorp|stad|"
    r"centrum|om|tot|via|door|te|vanuit)\s+(?:de\s+|het\s+)?$"
    r"|(?<![\w-])(?:dorp|stad|plaats|kern|gemeente|regio|wijk)\s+als\s+$",  # 'een dorp als X'
    re.I,
)
# A place name alone on its line: an address or a signature's town, not the school named after it.
_OWN_LINE = re.compile(r"(?:^|\n)[ \t]*$")
_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
_PLACE_LIST_BEFORE = re.compile(r"([A-ZÀ-Þ][\w'’\-]+)\s+(?:en|of)\s+$")
# 'Dorrewijk, Kampersveld en …', 'vmbo, Dorrewijk': a list of places
_LISTED_BEFORE = re.compile(r",\s*$")


def territory_before(text: str, pos: int) -> bool:
    """Whether the words before ``pos`` make a territorial noun there the area ('in de gemeente')."""
    return _TERRITORY_BEFORE.search(text, max(0, pos - 25), pos) is not None


def the_town(text: str, start: int, end: int, places: Container[str]) -> bool:
    """'in Dorrewijk', 'een dorp als Dorrewijk', a town on its own address line: not its school."""
    return bool(
        _LOCATIVE_BEFORE.search(text, max(0, start - 25), start)
        or _LISTED_BEFORE.search(text, max(0, start - 3), start)
        or _after_other_place(text, start, places)
        or (_OWN_LINE.search(text, max(0, start - 80), start) and _LINE_END.match(text, end))
    )


def _after_other_place(text: str, start: int, places: Container[str]) -> bool:
    """'Beekdorp, Veenhuizen en Kleiwijk': a town after another town and 'en'/'of' is a town."""
    m = _PLACE_LIST_BEFORE.search(text, max(0, start - 40), start)
    return m is not None and normalise(m.group(1)) in places
