"""Consistent replacement of names in exported text.

One ``Pseudonymiser`` serves one export: the same person, case or
organisation always gets the same replacement inside it, and the mapping is
written to a key file kept apart from the export. Variants are matched too:
a person's given name or surname alone, and near-misses within a small edit
distance ("Van der Heijde" for "Van der Heijden").

Names are matched without regard to case, but a match made only of lower-case
letters is left alone: "ik ben" is not the person Ben, and "de beek" is not
Wouter van Beek. The price is that a name typed entirely in lower case
survives; ``leftovers`` applies the same rule, so it cannot promise more.
"""

from __future__ import annotations

import csv
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from casebook.errors import CasebookError
from casebook.privacy.names import capitalised_runs, find_names, name_variants
from casebook.store.permissions import make_private, private_dir, private_umask

_BRACKETED = re.compile(r"\[[^\[\]\n]{1,80}\]")
_REPEATED = re.compile(r"(\[[^\[\]\n]{1,80}\])(?:\s+\1)+", re.IGNORECASE)
# "De [een brancheorganisatie] betaalt": the text's own article before a replacement that has one.
_DOUBLE_ARTICLE = re.compile(
    r"(?<![\w\-])(de|het|een|die|deze)\s+\[(een|de|het|the|a|an) ", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"(?:^|[.!?…:]\s+|\n\s*)[\"'“‘(]?$")


class NamesLeft(CasebookError):
    """A strict pseudonymised export still contains something name-like."""

    title = "Pseudonymisation"


@dataclass
class Entity:
    kind: str  # person | case | organisation
    name: str
    replacement: str
    aliases: tuple[str, ...] = ()
    seen: set[str] = field(default_factory=set)  # surface forms replaced in this export
    documents: set[str] = field(default_factory=set)  # where they were replaced


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation as a character trie: fast even with thousands of names."""
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        end = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return emit(trie)


def _names_pattern(forms: set[str]) -> re.Pattern[str]:
    body = _trie_pattern(sorted(forms)).replace(r"\ ", r"\s+")
    return re.compile(rf"(?<![\w\-])(?:{body})(?![\w])", re.IGNORECASE)


def _has_upper(text: str) -> bool:
    return any(ch.isupper() for ch in text)


@dataclass
class Pseudonymiser:
    entities: list[Entity] = field(default_factory=list)
    fuzzy: bool = True
    used: dict[str, str] = field(default_factory=dict)  # original surface form -> replacement
    key_only: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # (kind, original, replacement)
    _pattern: re.Pattern[str] | None = None
    _lookup: dict[str, Entity] = field(default_factory=dict)
    _targets: dict[str, Entity] = field(default_factory=dict)
    _fuzzy_cache: dict[str, Entity | None] = field(default_factory=dict)
    # Set by the caller to the (real) document the text comes from, for the key's last column.
    context: str | None = None
    # "Respondent": persons without a fixed label get "[Respondent n]", numbered on first use.
    numbered: str | None = None
    _numbers: int = 0

    def add(self, kind: str, name: str, replacement: str, aliases: tuple[str, ...] = ()) -> None:
        self.entities.append(Entity(kind, name, replacement, tuple(aliases)))
        self._pattern = None

    def record(self, kind: str, original: str, replacement: str) -> None:
        """A mapping that belongs in the key but is applied by the caller (document codes)."""
        self.key_only.append((kind, original, replacement))

    @property
    def empty(self) -> bool:
        return not self.entities

    def _compile(self) -> re.Pattern[str]:
        forms: dict[str, Entity] = {}
        for ent in self.entities:
            variants = {ent.name, *ent.aliases}
            if ent.kind == "person":
                for v in list(variants):
                    variants |= name_variants(v)
            for v in variants:
                v = " ".join(v.split())
                if len(v) < 2:
                    continue
                # Longer, more specific entities win over a shorter form of another one.
                key = v.lower()
                if key not in forms or len(ent.name) > len(forms[key].name):
                    forms[key] = ent
        self._lookup = forms
        self._targets = {}
        self._fuzzy_cache = {}
        for ent in self.entities:
            if ent.kind != "person":
                continue
            for v in name_variants(ent.name) | set(ent.aliases):
                if len(v) >= 5:
                    self._targets.setdefault(v.lower(), ent)
        if not forms:
            return re.compile(r"(?!x)x")
        return _names_pattern(set(forms))

    def replace(self, text: str) -> str:
        if not text or not self.entities:
            return text
        if self._pattern is None:
            self._pattern = self._compile()

        def sub(m: re.Match[str]) -> str:
            found = m.group(0)
            if not _has_upper(found):
                return found
            ent = self._lookup.get(" ".join(found.lower().split()))
            if ent is None:
                return found
            return _capitalise_at_start(self._hit(ent, found), text, m.start())

        out = self._pattern.sub(sub, text)
        if self.fuzzy and self._targets:
            out = self._replace_near_misses(out)
        # "Annelies Hekert": the given name matched exactly, the misspelt surname by fuzz.
        out = _REPEATED.sub(r"\1", out)
        return _DOUBLE_ARTICLE.sub(_drop_article, out)

    def _replace_near_misses(self, text: str) -> str:
        """Catch misspelt surnames and full names the exact pattern missed."""
        from rapidfuzz import fuzz, process  # lazy: rapidfuzz: only when names are compared

        choices = list(self._targets)
        protected = [(m.start(), m.end()) for m in _BRACKETED.finditer(text)]
        for hit in reversed(capitalised_runs(text)):
            if any(a < hit.end and hit.start < b for a, b in protected):
                continue
            candidate = hit.text.lower()
            if candidate not in self._fuzzy_cache:
                best = process.extractOne(candidate, choices, scorer=fuzz.ratio, score_cutoff=88)
                self._fuzzy_cache[candidate] = self._targets[best[0]] if best else None
            ent = self._fuzzy_cache[candidate]
            if ent is not None:
                repl = _capitalise_at_start(self._hit(ent, hit.text), text, hit.start)
                text = text[: hit.start] + repl + text[hit.end :]
        return text

    def _hit(self, ent: Entity, surface: str) -> str:
        """Record one replacement for the key and give the entity's replacement text."""
        if not ent.replacement and self.numbered:
            self._numbers += 1
            ent.replacement = f"[{self.numbered} {self._numbers}]"
        self.used[surface] = ent.replacement
        ent.seen.add(" ".join(surface.split()))
        if self.context:
            ent.documents.add(self.context)
        return ent.replacement

    def registered_names(self, kind: str = "person") -> list[str]:
        out: list[str] = []
        for ent in self.entities:
            if ent.kind == kind:
                out += [ent.name, *ent.aliases]
        return out

    def write_key(self, path: Path) -> None:
        """The key, kept apart from the export and readable by its owner only.

        One row per person (or case, organisation): the real name, what it
        became, the forms of that one entity found in the text, and the
        documents where they were replaced — what a privacy officer checks.
        """
        try:
            if not path.parent.exists() or path.parent.name == KEY_FOLDER:
                private_dir(path.parent)
            with private_umask():
                fh = path.open("w", newline="", encoding="utf-8")
            make_private(path)
        except OSError as exc:
            raise CasebookError(
                f"{path}: cannot write the pseudonymisation key ({exc.strerror})"
            ) from exc
        with fh:
            writer = csv.writer(fh)
            writer.writerow(["kind", "original", "replacement", "seen_as", "documents"])
            for ent in self.entities:
                if ent.kind == "person" and not ent.seen and self.numbered:
                    continue  # never met in this export: no number, nothing to map back
                writer.writerow(
                    [
                        ent.kind,
                        ent.name,
                        ent.replacement,
                        "; ".join(sorted(ent.seen)),
                        "; ".join(sorted(ent.documents)),
                    ]
                )
            for kind, original, replacement in self.key_only:
                writer.writerow([kind, original, replacement, "", ""])


KEY_FOLDER = "pseudonymisation-keys"


def _drop_article(m: re.Match[str]) -> str:
    """Keep the replacement's own article, capitalised when the dropped one was."""
    article = m.group(2)
    if m.group(1)[0].isupper():
        article = article[0].upper() + article[1:]
    return f"[{article} "


def _capitalise_at_start(replacement: str, text: str, pos: int) -> str:
    """'[een bedrijf] heeft' becomes '[Een bedrijf] heeft' when it opens a sentence."""
    if not replacement:
        return replacement
    lead = 1 if replacement[0] in "[(" else 0
    if len(replacement) <= lead or not replacement[lead].islower():
        return replacement
    if _SENTENCE_END.search(text[max(0, pos - 4) : pos]) is None:
        return replacement
    return replacement[:lead] + replacement[lead].upper() + replacement[lead + 1 :]


def case_codes(names: list[str]) -> dict[str, str]:
    """Stable case pseudonyms: regio A, regio B, … in alphabetical order of the real names."""
    letters = list(string.ascii_uppercase)
    out: dict[str, str] = {}
    for i, name in enumerate(sorted(names, key=str.lower)):
        suffix = letters[i % 26] + (str(i // 26 + 1) if i >= 26 else "")
        out[name] = f"regio {suffix}"
    return out


@dataclass(frozen=True)
class Suspect:
    """A capitalised word nothing explains, with the words around it."""

    word: str
    context: str


_CAP_TOKEN = re.compile(r"(?<![\w\-’'])[A-ZÀ-Þ][\w’'\-]*")
_OPENING = re.compile(r"(?:^|[.!?…:;]\s+|\n\s*|[—–]\s+)[\"'“‘„(\[*•\-–]*\s*", re.MULTILINE)


def unexplained(text: str, known: set[str]) -> list[Suspect]:
    """Capitalised words that are not a sentence start, an acronym, a bracketed replacement or known.

    ``known`` holds lower-cased words the export may contain: organisation and
    place names, case names, code labels, the export's own template words and
    reviewed non-names. Whatever else is capitalised in running Dutch text is
    most often a name, so ``--strict`` refuses it until someone explains it.
    """
    starts = {m.end() for m in _OPENING.finditer(text)}
    protected = [(m.start(), m.end()) for m in _BRACKETED.finditer(text)]
    seen: dict[str, Suspect] = {}
    for m in _CAP_TOKEN.finditer(text):
        word = m.group(0).rstrip("'’-")
        word = re.sub(r"['’]s$", "", word)
        if m.start() in starts or len(word) < 2 or any(ch.isdigit() for ch in word):
            continue
        if sum(ch.isupper() for ch in word) > 1 and not re.fullmatch(
            r"[A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)+", word
        ):
            continue  # acronyms and their derivations: ROC, BBL-er, ICT'ers
        if any(a <= m.start() < b for a, b in protected):
            continue
        low = word.lower()
        if low in known or all(part in known for part in low.split("-") if part):
            continue
        if low not in seen:
            a, b = max(0, m.start() - 40), min(len(text), m.end() + 40)
            seen[low] = Suspect(
                word,
                ("…" if a else "") + " ".join(text[a:b].split()) + ("…" if b < len(text) else ""),
            )
    return list(seen.values())


def leftovers(text: str, registered: list[str], ignore: set[str] | None = None) -> list[str]:
    """Anything name-like that remains: registered names and detected person names.

    ``ignore`` holds lower-cased forms a reviewer decided are not names.
    """
    ignore = {i.lower() for i in (ignore or set())}
    found: set[str] = set()
    variants: set[str] = set()
    for name in registered:
        variants |= {v for v in name_variants(name) if len(v) >= 3}
    if variants:
        pattern = _names_pattern({v.lower() for v in variants})
        for m in pattern.finditer(text):
            if _has_upper(m.group(0)):
                found.add(" ".join(m.group(0).split()))
    for h in find_names(text):
        if _BRACKETED.fullmatch(h.text):
            continue
        found.add(" ".join(h.text.split()))
    return sorted(f for f in found if f.lower() not in ignore)
