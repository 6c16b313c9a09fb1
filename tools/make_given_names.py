"""Build casebook/text/data/given_names_intl.txt from Faker's person providers.

Faker (MIT licence) ships given-name lists for many locales. We keep the
Latin-script names of every locale, drop names that are also Dutch words or
stop words (they would turn "Dan heb je" into a person) and names that are
countries or Dutch and Belgian places ("China", "Holland"), and write one name
a line.
Run by hand when the list should be refreshed; Faker is not needed at run time:

    pip install faker && python tools/make_given_names.py
"""

from __future__ import annotations

import gzip
import importlib
import json
import pkgutil
import re
from pathlib import Path

import faker
import spacy_lookups_data
from faker.providers import person

OUT = Path(__file__).resolve().parents[1] / "casebook" / "text" / "data" / "given_names_intl.txt"
LATIN = re.compile(r"^[A-Z][a-zà-öø-ÿāăąćčďđēėęěğģīįıķľłńņňōőœřśşšţťūůűųźżžș’'-]{2,}$")
NAME_LISTS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")


def _dutch_and_english_words() -> set[str]:
    words: set[str] = set()
    data = Path(spacy_lookups_data.__file__).parent / "data"
    for name in ("nl_lemma_lookup.json.gz",):
        table = json.loads(gzip.open(data / name).read())
        words |= {w.lower() for w in table} | {w.lower() for w in table.values()}
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.nl.stop_words import STOP_WORDS as NL

    return words | set(NL) | set(EN)


def _places() -> set[str]:
    """Country names of every locale and Dutch and Belgian place names: places, not people."""
    from faker.providers import address

    places: set[str] = set()
    for mod in pkgutil.iter_modules(address.__path__):
        provider = importlib.import_module(f"faker.providers.address.{mod.name}").Provider
        for attr in ("countries", "cities", "city_names"):
            values = provider.__dict__.get(attr)
            if not isinstance(values, list | tuple):
                continue
            if attr != "countries" and mod.name not in ("nl_NL", "nl_BE"):
                continue
            places |= {v.lower() for v in values if isinstance(v, str)}
    return places


def _names() -> set[str]:
    found: set[str] = set()
    for mod in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{mod.name}").Provider
        for attr in NAME_LISTS:
            values = provider.__dict__.get(attr, ()) if attr in provider.__dict__ else getattr(provider, attr, ())
            if not isinstance(values, (dict, list, tuple, set, frozenset)):
                continue
            for v in values.keys() if isinstance(values, dict) else values:
                if isinstance(v, str) and LATIN.match(v):
                    found.add(v)
    return found


def main() -> None:
    words = _dutch_and_english_words() | _places()
    names = sorted(n for n in _names() if n.lower() not in words)
    header = [
        f"# International given names, built by tools/make_given_names.py from Faker {faker.VERSION}",
        "# (https://github.com/joke2k/faker, MIT licence; see README.md in this folder).",
        "# Latin-script names of every Faker locale, less Dutch words, stop words and place names.",
    ]
    OUT.write_text("\n".join(header + names) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(names)} names")


if __name__ == "__main__":
    main()
