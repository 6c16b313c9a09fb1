"""Organisation types as data: a vocabulary of keys, labels per language and synonyms.

Kept below the codebook, the partner registry and the reports, which all name
types: a collaboration code lists the partner types it takes, the registry
stores them, tables and legends show them. Nothing here knows any programme's
types: the default vocabulary a new project starts with is read from
``casebook/data/orgtypes.toml``, and a project keeps its own list in its file
(``casebook.store.orgtypes``), which may hold quite different types.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.errors import InvalidInput

DEFAULTS_FILE = Path(__file__).with_name("data") / "orgtypes.toml"

# Colours for types that bring none, handed out in the vocabulary's order;
# chosen apart from each other and from the default types' colours.
PALETTE = (
    "#d1495b", "#00798c", "#edae49", "#66a182", "#8d6a9f", "#2e4057", "#f28482",
    "#84a59d", "#b5838d", "#6d597a", "#e76f51", "#264653", "#a98467", "#90be6d",
)  # fmt: skip

MAX_KEY_LENGTH = 60

# What a type can be in general terms, for rules that must not know type names: a group noun
# ('de scholen') covers every school type, a family name can stand for a company, a town's
# name for its municipality.
SCHOOL, COMPANY, MUNICIPALITY = "school", "company", "municipality"
ROLES = (SCHOOL, COMPANY, MUNICIPALITY)


def spelling(value: str | None) -> str:
    """How a type is looked up: lower case, spacing collapsed."""
    return re.sub(r"\s+", " ", (value or "").strip().lower())


def clean_key(value: str | None) -> str:
    """The key for a type a user or a partner list names for the first time.

    Refuses what cannot be a type name (nothing, no letter at all, a whole
    sentence, control characters), so a shifted column does not become a type.
    """
    key = spelling(value)
    if not key:
        raise InvalidInput("an organisation type needs a name")
    if not re.search(r"[^\W\d_]", key):
        raise InvalidInput(f"'{value}' is not an organisation type: it has no letters")
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(
            f"'{key[:30]}…' is not an organisation type: longer than {MAX_KEY_LENGTH} characters"
        )
    if any(ord(c) < 32 for c in key) or re.search(r"[,;|\"]", key):
        raise InvalidInput(
            f"'{value}' is not an organisation type: no commas, semicolons, bars or quotes"
        )
    return key


@dataclass(frozen=True)
class OrgType:
    """One organisation type: its stored key, labels per language, and other spellings."""

    key: str
    labels: Mapping[str, str] = field(default_factory=dict)
    synonyms: tuple[str, ...] = ()
    colour: str | None = None
    counts_as: str | None = None  # pair tables count this type as that one
    lead: bool = False  # the type of the organisation that leads a case
    roles: tuple[str, ...] = ()  # general kinds partner rules reason with (ROLES)

    def label(self, language: str = "nl") -> str:
        return self.labels.get(language) or self.labels.get("nl") or self.key


class Vocabulary:
    """Organisation types in the order tables and legends show them."""

    def __init__(self, types: Iterable[OrgType], fallback: str | None = None) -> None:
        self.types: tuple[OrgType, ...] = tuple(types)
        self.fallback = fallback
        self._by_key = {t.key: t for t in self.types}
        self._spellings: dict[str, str] = {}
        for t in self.types:  # keys first, so a key is never shadowed by another type's synonym
            self._spellings.setdefault(spelling(t.key), t.key)
        for t in self.types:
            for s in (*t.labels.values(), *t.synonyms):
                self._spellings.setdefault(spelling(s), t.key)

    def __iter__(self) -> Iterator[OrgType]:
        return iter(self.types)

    def __len__(self) -> int:
        return len(self.types)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def get(self, key: str) -> OrgType | None:
        return self._by_key.get(key)

    @property
    def keys(self) -> list[str]:
        return [t.key for t in self.types]

    def resolve(self, value: str | None) -> str | None:
        """The key a user or a list means by ``value`` (key, label or synonym); None if unknown.

        An empty value means the fallback type.
        """
        key = spelling(value)
        if not key:
            return self.fallback
        return self._spellings.get(key)

    def normalise(self, value: str | None) -> str:
        """The key for ``value``; an unknown type is an error naming the known ones."""
        key = self.resolve(value)
        if key is None:
            raise InvalidInput(
                f"unknown organisation type '{value}'; use one of: {', '.join(self.keys)}"
            )
        return key

    def labels(self, language: str = "nl") -> dict[str, str]:
        return {t.key: t.label(language) for t in self.types}

    def label(self, key: str | None, language: str = "nl") -> str:
        t = self._by_key.get(key or "")
        return t.label(language) if t else (key or "")

    def order(self) -> dict[str, int]:
        return {t.key: i for i, t in enumerate(self.types)}

    def colours(self) -> dict[str, str]:
        """A colour for every type: its own, else the next palette colour not taken."""
        taken = {t.colour.lower() for t in self.types if t.colour}
        free = iter([c for c in PALETTE if c not in taken] or list(PALETTE))
        out: dict[str, str] = {}
        for t in self.types:
            out[t.key] = t.colour or next(free, PALETTE[len(out) % len(PALETTE)])
        return out

    def counts_as(self, key: str) -> str:
        t = self._by_key.get(key)
        return t.counts_as if t and t.counts_as else key

    def answers_to(self, key: str) -> frozenset[str]:
        """Every word a rule may name an organisation of type ``key`` by.

        Its key, the type it counts as, its labels and synonyms, and its
        roles: so a rule written for 'vmbo' or 'school' also finds a project's
        own type that lists 'vmbo' as a synonym or has the role 'school'.
        """
        t = self._by_key.get(key)
        if t is None:
            return frozenset({spelling(key)})
        words = {t.key, *(t.counts_as and [t.counts_as] or []), *t.labels.values(), *t.synonyms}
        return frozenset({spelling(w) for w in words} | set(t.roles))

    @property
    def lead_types(self) -> frozenset[str]:
        return frozenset(t.key for t in self.types if t.lead)

    def with_types(self, keys: Iterable[str]) -> Vocabulary:
        """This vocabulary plus bare types for keys it lacks (labels from the defaults if there)."""
        extra = [
            DEFAULT_TYPES.get(k) or OrgType(k, {}) for k in dict.fromkeys(keys) if k not in self
        ]
        return Vocabulary([*self.types, *extra], self.fallback) if extra else self


def clean_roles(roles: Iterable[Any], where: str) -> tuple[str, ...]:
    out = []
    for r in roles:
        role = spelling(str(r))
        if role not in ROLES:
            raise InvalidInput(f"{where}: unknown role '{r}'; use one of: {', '.join(ROLES)}")
        out.append(role)
    return tuple(dict.fromkeys(out))


def parse_vocabulary(data: Mapping[str, Any], source: str) -> Vocabulary:
    """A vocabulary from the mapping a TOML file holds (see casebook/data/orgtypes.toml)."""
    types = []
    for i, item in enumerate(data.get("type") or [], start=1):
        if not isinstance(item, Mapping) or not item.get("key"):
            raise InvalidInput(f"{source}: type {i} needs a key")
        label = item.get("label") or {}
        if isinstance(label, str):
            label = {"nl": label}
        types.append(
            OrgType(
                key=clean_key(str(item["key"])),
                labels={str(k): str(v) for k, v in label.items()},
                synonyms=tuple(str(s) for s in item.get("synonyms") or ()),
                colour=item.get("colour"),
                counts_as=item.get("counts_as"),
                lead=bool(item.get("lead")),
                roles=clean_roles(item.get("roles") or (), f"{source}: type {item['key']}"),
            )
        )
    fallback = data.get("fallback")
    return Vocabulary(types, str(fallback) if fallback else None)


def load_vocabulary(path: Path) -> Vocabulary:
    with path.open("rb") as fh:
        return parse_vocabulary(tomllib.load(fh), path.name)


DEFAULT_TYPES: Vocabulary = load_vocabulary(DEFAULTS_FILE)

# The default types' keys with their Dutch labels, in legend order.
ORG_TYPES: dict[str, str] = DEFAULT_TYPES.labels("nl")


def normalise_type(value: str | None, vocabulary: Vocabulary | None = None) -> str:
    """The stored type key for what a user or a partner list wrote (default vocabulary unless given)."""
    return (vocabulary or DEFAULT_TYPES).normalise(value)
