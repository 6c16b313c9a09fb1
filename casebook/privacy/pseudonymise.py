"""Consistent replacement of names in exported text.

One ``Pseudonymiser`` serves one export: the same person, case or
organisation always gets the same replacement inside it, and the mapping is
written to a key file kept apart from the export. Variants are matched too:
a person's given name or surname alone, and near-misses within a small edit
distance ("Van der Heijde" for "Van der Heijden").
"""

from __future__ import annotations

import csv
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from casebook.privacy.names import capitalised_runs, find_names, name_variants


@dataclass
class Entity:
    kind: str  # person | case | organisation
    name: str
    replacement: str
    aliases: tuple[str, ...] = ()


@dataclass
class Pseudonymiser:
    entities: list[Entity] = field(default_factory=list)
    fuzzy: bool = True
    used: dict[str, str] = field(default_factory=dict)  # original surface form -> replacement
    _pattern: re.Pattern[str] | None = None
    _lookup: dict[str, Entity] = field(default_factory=dict)

    def add(self, kind: str, name: str, replacement: str, aliases: tuple[str, ...] = ()) -> None:
        self.entities.append(Entity(kind, name, replacement, aliases))
        self._pattern = None

    def _compile(self) -> re.Pattern[str]:
        forms: dict[str, Entity] = {}
        for ent in self.entities:
            variants = {ent.name, *ent.aliases}
            if ent.kind == "person":
                for v in list(variants):
                    variants |= name_variants(v)
            for v in variants:
                v = v.strip()
                if len(v) < 2:
                    continue
                # Longer, more specific entities win over a shorter form of another one.
                if v.lower() not in forms or len(ent.name) > len(forms[v.lower()].name):
                    forms[v.lower()] = ent
        self._lookup = forms
        if not forms:
            return re.compile(r"(?!x)x")
        alternatives = sorted(forms, key=len, reverse=True)
        body = "|".join(re.escape(a) for a in alternatives)
        return re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.IGNORECASE)

    def replace(self, text: str) -> str:
        if self._pattern is None:
            self._pattern = self._compile()

        def sub(m: re.Match[str]) -> str:
            ent = self._lookup[m.group(0).lower()]
            self.used[m.group(0)] = ent.replacement
            return ent.replacement

        out = self._pattern.sub(sub, text)
        if self.fuzzy:
            out = self._replace_near_misses(out)
        return out

    def _replace_near_misses(self, text: str) -> str:
        """Catch misspelt surnames and full names the exact pattern missed."""
        from rapidfuzz import fuzz

        persons = [e for e in self.entities if e.kind == "person"]
        if not persons:
            return text
        targets: list[tuple[str, Entity]] = []
        for ent in persons:
            for v in name_variants(ent.name) | set(ent.aliases):
                if len(v) >= 5:
                    targets.append((v, ent))
        hits = capitalised_runs(text)
        for hit in reversed(hits):
            candidate = hit.text
            best = None
            for variant, ent in targets:
                score = fuzz.ratio(candidate.lower(), variant.lower())
                if score >= 88 and (best is None or score > best[0]):
                    best = (score, ent)
            if best:
                self.used[candidate] = best[1].replacement
                text = text[: hit.start] + best[1].replacement + text[hit.end :]
        return text

    def write_key(self, path: Path) -> None:
        """The key (original → replacement), to be kept apart from the export."""
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["kind", "original", "replacement", "seen_as"])
            for ent in self.entities:
                seen = sorted({k for k, v in self.used.items() if v == ent.replacement})
                writer.writerow([ent.kind, ent.name, ent.replacement, "; ".join(seen)])


def case_codes(names: list[str]) -> dict[str, str]:
    """Stable case pseudonyms: regio A, regio B, … in alphabetical order of the real names."""
    letters = list(string.ascii_uppercase)
    out: dict[str, str] = {}
    for i, name in enumerate(sorted(names, key=str.lower)):
        suffix = letters[i % 26] + (str(i // 26 + 1) if i >= 26 else "")
        out[name] = f"regio {suffix}"
    return out


def leftovers(text: str, registered: list[str]) -> list[str]:
    """Anything name-like that remains: registered names and detected person names."""
    found: list[str] = []
    low = text.lower()
    for name in registered:
        for v in name_variants(name):
            if len(v) >= 3 and re.search(rf"(?<![\w]){re.escape(v.lower())}(?![\w])", low):
                found.append(v)
    found += [h.text for h in find_names(text)]
    return sorted(set(found))
