"""Finding mentions of partner organisations in a text (no database here).

One module: the four passes share the candidate spans and must see each other's claims.

Four passes over each text, in order of trust; a later pass never takes
characters an earlier one claimed:

1. **Registry patterns** in a spaCy ``entity_ruler`` of our own (blank Dutch,
   matched on ``LOWER``): every name and alias, plus the variants of
   ``casebook.partners.variants``.
2. **Generic references** (``het ROC``, ``de gemeente``, ``onze school``)
   resolve to the case's only organisation of that type, or to the speaker's
   own organisation after a possessive; otherwise they stay unresolved.
3. **Fuzzy matches** (rapidfuzz) of capitalised word runs against the same
   names and variants, for misspellings and spelling variants.
4. **Candidates**: capitalised runs that look like an organisation
   (``Bouwbedrijf Kramer``, ``Stichting Techniekpact``) but are not in the
   registry go to a review list. With a statistical Dutch spaCy model
   installed, its ORG entities are added.

In a normally capitalised document an all-lowercase hit of a capitalised
name (``de brink`` for the school ``De Brink``) is taken for an ordinary
word and dropped; in a transcript typed all in lowercase it counts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from casebook.orgtypes import COMPANY
from casebook.partners.candidates import (
    Piece,
    Taken,
    candidate,
    inside_longer_name,
    opens_sentence,
    run_pieces,
    subspans,
)
from casebook.partners.cues import (
    DEFINITE_BEFORE,
    HEAD_DETERMINER_BEFORE,
    NEXT_CAPITAL,
    VAN_AFTER,
    attributive_adjective,
    business_words,
    is_capitalised,
    kinds_of_business,
    municipal_pattern,
    municipal_subjects,
    nominal_adjective,
    typed_in_lowercase,
)
from casebook.partners.definitions import case_forms, find_defined, resolved_spans
from casebook.partners.dotted import dotted_initials, initials_of
from casebook.partners.gender import agreeing
from casebook.partners.labels import type_labels
from casebook.partners.lone import lone_names
from casebook.partners.model import Organisation
from casebook.partners.persons import after_person_word as _after_person_word
from casebook.partners.places import TERRITORIAL, territory_before, the_town
from casebook.partners.variants import (
    _GENERIC_RE,
    _POSSESSIVE,
    BATCH_SIZE,
    GENERIC_RULES,
    MIN_FUZZY_LEN,
    GenericRule,
    Variant,
    VariantIndex,
    _ordinary_words,
    _strip_possessive,
    normalise,
)
from casebook.partners.words import (
    ARTICLES,
    COMMON_ACRONYMS,
    HEAD_NOUNS_ALONE,
    PARTICLES,
    STOP_WORDS,
    TYPE_NOUNS,
    is_dictionary_word,
    is_head_noun,
)
from casebook.text import nlp as shared
from casebook.text.nlp import STATISTICAL

# --- detection ----------------------------------------------------------------------

_LOWERED = ("variant", "auto", 75.0)


def _as_typed(found: dict[str, str]) -> list[str]:
    """Lowercase initials and the same as a word with a capital ('sopoe', 'Sopoe'), longest first."""
    return sorted({*found, *(k.capitalize() for k in found)}, key=len, reverse=True)


@dataclass
class Found:
    start: int
    end: int
    surface: str
    organisation_id: str | None
    method: str  # exact | variant | fuzzy | generic | candidate | model
    status: str  # auto | unresolved | candidate
    score: float | None = None
    candidate: str | None = None  # the name proposed for review
    suggested_type: str | None = None
    choices: list[str] = field(default_factory=list)  # organisations an ambiguous form may mean


def _candidate(start: int, end: int, surface: str, name: str, type_: str | None = None) -> Found:
    """An unregistered name offered for review."""
    return Found(start, end, surface, None, "candidate", "candidate", None, name, type_)


@dataclass
class SpeakerSpan:
    start: int
    end: int
    organisation_id: str | None


class Detector:
    """Mention detection for one case's registry; build once, run over many texts."""

    def __init__(
        self,
        orgs: Sequence[Organisation],
        case_names: Iterable[str] = (),
        *,
        use_model: bool | None = None,
        rejected: Iterable[str] = (),
        places: Iterable[str] = (),
        switched_off: Iterable[str] = (),
    ) -> None:
        self.index = VariantIndex(orgs, case_names, places, switched_off)
        self.case_names = self.index.places
        self.rejected = {normalise(r) for r in rejected}
        self.nlp = build_ruler(self.index)
        self._compound_heads = _compound_heads(self.index)
        self._business_words = business_words(self.index.orgs.values())
        self._municipal_re = municipal_pattern(self.index.municipal)
        self.use_model = _model_available() if use_model is None else use_model
        self._name_words = {
            w for o in self.index.orgs.values() for n in o.names for w in normalise(n).split()
        }

    def _family_firm(self, org_id: str) -> bool:
        """Companies carry family names, so a form of theirs may be a family member's surname."""
        org = self.index.orgs.get(org_id)
        return org is not None and org.is_a(COMPANY)

    def _known(self, word: str) -> bool:
        """A word the case knows as a place or part of a partner's name (so no given name)."""
        key = normalise(word)
        return key in self._name_words or key in self.case_names or key in self.rejected

    # public ------------------------------------------------------------------------

    def detect(self, text: str, speakers: Sequence[SpeakerSpan] = ()) -> list[Found]:
        return self.detect_many([text], [speakers])[0]

    def detect_many(
        self, texts: Sequence[str], speakers: Sequence[Sequence[SpeakerSpan]] | None = None
    ) -> list[list[Found]]:
        speakers = speakers or [() for _ in texts]
        results: list[list[Found]] = []
        pieces_per_doc: list[list[Piece]] = []
        self._texts = texts
        self._joined: str | None = None
        self._common: dict[str, bool] = {}
        self._name_use: dict[str, bool] = {}
        self._lowered: tuple[re.Pattern[str], dict[str, str]] | bool | None = None
        for text, doc, spk in zip(
            texts, self.nlp.pipe(texts, batch_size=BATCH_SIZE), speakers, strict=True
        ):
            found, blocked = self._registry_hits(text, doc, spk)
            taken = Taken([(f.start, f.end) for f in found] + blocked)
            for g in self._generics(text, spk):
                if taken.free(g.start, g.end):
                    taken.add(g.start, g.end)
                    found.append(g)
            for a in [
                *self._abbreviations(text, taken),
                *self._compounds(text, taken),
                *(
                    Found(a, b, text[a:b], oid, "variant", "auto", 75.0)
                    for a, b, oid in kinds_of_business(text, taken, self._business_words)
                ),
                *(
                    Found(a, b, text[a:b], oid, "variant", "auto", 80.0)
                    for a, b, oid in municipal_subjects(
                        text, taken, self._municipal_re, self.index.municipal
                    )
                ),
            ]:
                taken.add(a.start, a.end)
                found.append(a)
            pieces_per_doc.append(run_pieces(text, taken, self._worth_a_look))
            results.append(found)
        queries = [
            normalise(texts[i][a:b])
            for i, pieces in enumerate(pieces_per_doc)
            for piece in pieces
            for a, b in subspans(piece)
        ]
        fuzzy = self.index.best_fuzzy(
            [q for q in queries if q in self.index.by_norm or self._fuzzy_ok(q)]
        )
        model_orgs = self._model_orgs(texts) if self.use_model else [[] for _ in texts]
        defined = case_forms(
            [(t, resolved_spans(r)) for t, r in zip(texts, results, strict=True)],
            lambda k: normalise(k) in self.index.by_norm or normalise(k) in self.case_names,
            {
                w
                for o in self.index.orgs.values()
                for n in o.names
                for w in re.split(r"[\s-]+", n.lower())
            },
        )
        for i, (text, pieces) in enumerate(zip(texts, pieces_per_doc, strict=True)):
            found = results[i]
            for piece in pieces:
                hits = self._fuzzy_in_piece(text, piece, fuzzy)
                found.extend(hits)
                if not hits:
                    cand = candidate(text, piece, self.rejected, self.case_names)
                    if cand:
                        start, end, surface, name, suggested = cand
                        found.append(_candidate(start, end, surface, name, suggested))
            taken = Taken((f.start, f.end) for f in found)
            for start, end in model_orgs[i]:
                surface = text[start:end]
                key = normalise(surface)
                if (
                    taken.free(start, end)
                    and key not in self.rejected
                    and key not in self.case_names
                ):
                    f = Found(
                        start, end, surface, None, "model", "candidate", None, surface.strip(), None
                    )
                    taken.add(start, end)
                    found.append(f)
            off = (*self.rejected, *self.case_names, *self.index.switched_off)
            found += [_candidate(a, b, s, s) for a, b, s in lone_names(text, taken, off)]
            if defined:
                self._add_defined(text, found, defined)
            found.sort(key=lambda f: (f.start, f.end))
        return results

    def _add_defined(self, text: str, found: list[Found], forms: dict[str, str]) -> None:
        """Resolve the defined forms in a text, over unresolved candidates but never over a resolved hit."""
        for start, end, org_id in find_defined(text, forms):
            over = [f for f in found if f.start < end and start < f.end]
            if any(f.organisation_id for f in over):
                continue
            for f in over:
                found.remove(f)
            found.append(Found(start, end, text[start:end], org_id, "variant", "auto", 85.0))

    # passes ------------------------------------------------------------------------

    def _registry_hits(
        self, text: str, doc: Any, speakers: Sequence[SpeakerSpan] = ()
    ) -> tuple[list[Found], list[tuple[int, int]]]:
        """Registry names found by the rulers, and spans ruled out that later passes must leave alone.

        A derived form two organisations share resolves to the one this
        document already named in full before it; otherwise it is kept
        unresolved with both as choices.
        """
        capitalised: bool | None = None
        out: list[Found] = []
        blocked: list[tuple[int, int]] = []
        named: list[str] = []  # organisations named so far (unambiguously), in order
        for ent in doc.ents:
            org_id, _, rest = ent.ent_id_.partition("|")
            kind, _, origin = rest.partition("|")
            start, end = ent.start_char, ent.end_char
            end -= _strip_possessive(text[start:end])
            surface = text[start:end]
            key = normalise(surface)
            if surface.islower() and self._reads_as_words(surface):
                if capitalised is None:
                    capitalised = is_capitalised(text)
                if (
                    capitalised
                    and not (typed_in_lowercase(text, start) and origin not in _GENERIC_ORIGINS)
                    and not nominal_adjective(text, start, end, key, origin)
                    and not (
                        key in self.index.head_nouns
                        and self._head_noun_ok(text, start, end, key, True)
                    )
                    and not (
                        kind != "ambiguous"
                        and (
                            self._head_noun_ok(text, start, end, key)
                            or (
                                origin not in ("type-word", "place-school")
                                and not _INDEFINITE_BEFORE.search(text, max(0, start - 12), start)
                                and (origin == "joined" or self._used_as_name(key))
                            )
                        )
                    )
                ):
                    continue
            if not surface.islower() and attributive_adjective(text, end, key, origin):
                blocked.append((start, end))  # 'Maritieme techniek': a subject, not the school
                continue
            if key in TERRITORIAL and territory_before(text, start):
                continue  # 'de scholen in de gemeente': the territory, not the organisation
            if key in self.index.generic and NEXT_CAPITAL.match(text, end):
                continue  # 'de gemeente Duinmond' names another gemeente
            if kind == "ambiguous" and key in TYPE_NOUNS:
                origin = "type-word"  # 'College' shared by two colleges
            if origin == "type-word" and not self._type_word_ok(text, start, end):
                continue
            if origin == "compound-head" and not surface.islower():
                continue  # 'mevrouw De Werf', 'R. de Werf': a surname, not 'de werf'
            if key in self.index.head_nouns and not self._head_noun_ok(text, start, end, key, True):
                continue  # 'kring' or 'Stichting' without 'de'/'het' before it names nothing
            if origin == "place-school" and (
                not surface[:1].isupper() or the_town(text, start, end, self.case_names)
            ):
                continue  # 'in Dorrewijk', 'de gemeente Dorrewijk': the town, not its school
            if (origin == "type-word" or kind == "ambiguous") and _POSSESSIVE_BEFORE.search(
                text, max(0, start - 12), start
            ):
                continue  # 'ons ROC': the speaker's own, found by the generic pass
            if kind != "exact" and self._lowered_name_word(surface, key):
                if capitalised is None:
                    capitalised = is_capitalised(text)
                if capitalised:
                    continue  # 'De ploeg van de werkplaats' at a sentence start is not the school De Ploeg
            if origin != "type-word" and _after_person_word(
                text, start, surface, self._known if self._family_firm(org_id) else None
            ):
                blocked.append(
                    (start, end)
                )  # 'Annelies Hekkert' is a person, not Hekkert Metaaltechniek
                continue
            if kind != "exact" and self._ordinary_opening(text, start, surface, key):
                continue  # 'Ploeg …' opening a sentence, in a corpus where 'ploeg' is an ordinary word
            if kind == "ambiguous":
                choices = self.index.ambiguous.get(key, [])
                if art := _ARTICLE_BEFORE.search(text, max(0, start - 5), start):
                    fit = agreeing(art.group(1), [(c, self.index.orgs[c].name) for c in choices])
                    choices = fit if len(fit) == 1 else choices  # 'het Hoefslag': the College
                earlier = [c for c in dict.fromkeys(reversed(named)) if c in choices]
                own = _speaker_at(speakers, start)
                if len(choices) == 1 and not surface[:1].islower():
                    out.append(Found(start, end, surface, choices[0], "variant", "auto", 85.0))
                elif len(earlier) == 1:
                    out.append(Found(start, end, surface, earlier[0], "variant", "auto", 90.0))
                elif not earlier and own in choices:
                    out.append(
                        Found(start, end, surface, own, "variant", "auto", 85.0)
                    )  # the speaker's own
                else:
                    out.append(
                        Found(
                            start,
                            end,
                            surface,
                            None,
                            "variant",
                            "unresolved",
                            None,
                            choices=choices,
                        )
                    )
                continue
            end = self._extend_right(text, start, end, org_id)
            score = 100.0 if kind == "exact" else (95.0 if org_id in named else 90.0)
            named.append(org_id)
            out.append(Found(start, end, text[start:end], org_id, kind or "exact", "auto", score))
        return out, blocked

    def _abbreviations(self, text: str, taken: Taken) -> list[Found]:
        """Unknown abbreviations in capitals that fit exactly one organisation's words ('WSP')."""
        out: list[Found] = []
        for m in _ABBREVIATION_RE.finditer(text):
            token = m.group(0)
            if (
                token in COMMON_ACRONYMS
                or normalise(token) in self.index.by_norm
                or not taken.free(m.start(), m.end())
            ):
                continue
            org_id = self.index.abbreviation(token)
            if org_id:
                out.append(Found(m.start(), m.end(), token, org_id, "variant", "auto", 80.0))
        for m in _COMPOUND_FRONT_RE.finditer(text):
            # 'twee ROC-docenten', 'de HC-leerlingen': a name in capitals as the front of a compound
            token = m.group(1)
            if token in COMMON_ACRONYMS or not taken.free(m.start(1), m.end(1)):
                continue
            rule = GENERIC_RULES.get(token.lower())
            if rule is not None:  # a kind of organisation: the case's only one of that kind
                fits = [o for o in self.index.orgs.values() if _fits(o, rule)]
                org_id = fits[0].id if len(fits) == 1 and not rule.possessive_only else None
            else:
                v = self.index.by_norm.get(normalise(token))
                org_id = v.organisation_id if v else None
            if org_id:
                out.append(Found(m.start(1), m.end(1), token, org_id, "variant", "auto", 80.0))
        for start, end, org_id in dotted_initials(text, partial(initials_of, self.index)):
            if taken.free(start, end):
                out.append(Found(start, end, text[start:end], org_id, "variant", "auto", 80.0))
        lowered = self._lowercase_initials()
        if lowered:
            for m in lowered[0].finditer(text):
                if taken.free(m.start(), m.end()):
                    token = m.group(0)
                    out.append(
                        Found(m.start(), m.end(), token, lowered[1][token.lower()], *_LOWERED)
                    )
        return out

    def _lowercase_initials(self) -> tuple[re.Pattern[str], dict[str, str]] | None:
        """Initials typed in lowercase ('de csg') or as a word ('Sopoe'), for letters also in capitals.

        'CSG' in capitals resolved to one organisation (as a derived form or
        by the abbreviation pass) makes 'csg' count too, unless the lowercase
        letters are a Dutch word or a common abbreviation ('ons', 'mbo').
        Worked out once per batch of texts.
        """
        if self._lowered is None:
            if self._joined is None:
                self._joined = "\n".join(self._texts)
            found: dict[str, str] = {}
            for token in set(_INITIALS_RE.findall(self._joined)):
                low = token.lower()
                if (
                    token in COMMON_ACRONYMS
                    or low in _ordinary_words()
                    or is_dictionary_word(low)
                    or low in GENERIC_RULES
                    or normalise(token) in self.index.places
                ):
                    continue
                v = self.index.by_norm.get(low)
                org_id = (
                    v.organisation_id
                    if v is not None and v.text.isupper()
                    else (None if v is not None else self.index.abbreviation(token))
                )
                if org_id:
                    found[low] = org_id
            pattern = (
                re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, _as_typed(found)))})(?![\w-])")
                if found
                else None
            )
            self._lowered = (pattern, found) if pattern else False
        return self._lowered if isinstance(self._lowered, tuple) else None

    def _compounds(self, text: str, taken: Taken) -> list[Found]:
        """'de bouwstichting' for 'Stichting Bouwvak …': the name word's front joined to the legal form.

        After 'de' or 'het', a lowercase compound of the front (four letters or
        more) of the first distinctive word of one partner and that partner's
        leading legal form or head noun, when exactly one partner fits.
        """
        out: list[Found] = []
        if not self._compound_heads:
            return out
        for m in _COMPOUND_RE.finditer(text):
            front, head = m.group(1).lower(), m.group(2).lower()
            if not taken.free(m.start(), m.end()) or not DEFINITE_BEFORE.search(
                text, max(0, m.start() - 6), m.start()
            ):
                continue
            fits = {
                oid
                for oid, h, word in self._compound_heads
                if h == head and word.startswith(front) and len(word) > len(front)
            }
            if len(fits) == 1:
                out.append(
                    Found(m.start(), m.end(), m.group(0), fits.pop(), "variant", "auto", 80.0)
                )
        return out

    def _head_noun_ok(self, text: str, start: int, end: int, key: str, alone: bool = False) -> bool:
        """'de scholengemeenschap' in lowercase: the one partner whose name has that head noun.

        Only right after 'de' or 'het' or a demonstrative pointing back at it
        ('dat lab', 'die kring'), and not when a name or a 'van'-phrase
        follows ('het opleidingscentrum van de installateurs' describes one).
        """
        return (
            (alone or is_head_noun(key))
            # 'de gemeente', 'het ROC': the generic pass takes them
            and (key not in GENERIC_RULES or GENERIC_RULES[key].name_first)
            and HEAD_DETERMINER_BEFORE.search(text, max(0, start - 6), start) is not None
            and not NEXT_CAPITAL.match(text, end)
            and not VAN_AFTER.match(text, end)
            and not _APPOSITION_AFTER.match(
                text, end
            )  # 'die stichting, Maakwerk': the name says it
        )

    def _type_word_ok(self, text: str, start: int, end: int) -> bool:
        """'het Vakcollege' names the case's only vakcollege; a bare 'Vakcollege' or 'het College van Bestuur' not."""
        if not _DETERMINER_BEFORE.search(text, max(0, start - 12), start):
            return False
        return not (
            _BOARD_AFTER.match(text, end) or NEXT_CAPITAL.match(text, end)
        )  # 'de Provincie Noordmark'

    def _ordinary_opening(self, text: str, start: int, surface: str, key: str) -> bool:
        """A one-word form opening a sentence, where the corpus uses the word in lowercase."""
        return (
            " " not in surface.strip()
            and not surface.isupper()
            and opens_sentence(text, start)
            and self._common_word(key)
            and not self._used_as_name(key)  # 'Smedinga' at a sentence start, once typed 'smedinga'
        )

    def _lowered_name_word(self, surface: str, key: str) -> bool:
        """A capitalised name word written in lowercase ('De ploeg'); counts only in a capitalised text."""
        if surface.islower() or surface.istitle():
            return False  # all-lowercase hits have their own guard; 'De Ploeg' is as written
        written = (
            self.index.by_norm[key].text
            if key in self.index.by_norm
            else self.index.ambiguous_text.get(key)
        )
        if not written:
            return False
        pairs = zip(written.split(), surface.split(), strict=False)
        lowered = [
            w
            for w, s in pairs
            if w[:1].isupper() and s[:1].islower() and w.lower() not in PARTICLES
        ]
        return bool(lowered) and self._reads_as_words(surface)

    def _common_word(self, key: str) -> bool:
        """Whether the word occurs in lowercase in the case's texts, as an ordinary word would."""
        if key not in self._common:
            if self._joined is None:
                self._joined = "\n".join(self._texts)
            pattern = re.compile(rf"(?<![\w-]){re.escape(key)}(?![\w-])")
            self._common[key] = pattern.search(self._joined) is not None
        return self._common[key]

    def _used_as_name(self, key: str) -> bool:
        """'smedinga' typed in lowercase for the firm Smedinga: the case's texts mostly capitalise the word.

        One word, not a stop word, written capitalised inside a sentence at least
        as often as in lowercase: a name the typist did not capitalise,
        not an ordinary word that happens to be part of a name.
        """
        if " " in key:  # 'de striene': the one name word after an article decides
            words = [w for w in key.split() if w not in PARTICLES and w not in ARTICLES]
            if len(words) != 1:
                return False
            key = words[0]
        if key in _ordinary_words() or is_dictionary_word(key):
            return False
        if key not in self._name_use:
            if self._joined is None:
                self._joined = "\n".join(self._texts)
            capital = lower = 0
            pattern = re.compile(rf"(?<![\w-]){re.escape(key)}(?![\w-])", re.I)
            for m in pattern.finditer(self._joined):
                word = m.group(0)
                if word.islower():
                    lower += 1
                elif word[:1].isupper() and not opens_sentence(self._joined, m.start()):
                    capital += not inside_longer_name(self._joined, m.start())
            self._name_use[key] = lower <= capital
        return self._name_use[key]

    def _extend_right(self, text: str, start: int, end: int, org_id: str) -> int:
        """'het Kustlicht College': take the longer name when the ruler stopped at an alias."""
        best = end
        pos = end
        for _ in range(2):
            m = _NEXT_WORD.match(text, pos)
            if not m:
                break
            pos = m.end()
            v = self.index.by_norm.get(normalise(text[start:pos]))
            if v is None:
                head = text[start:end].split(maxsplit=1)
                if len(head) == 2 and head[0].lower() in ("het", "de", "'t"):
                    v = self.index.by_norm.get(normalise(text[start + len(head[0]) : pos]))
            if v is not None and v.organisation_id == org_id:
                best = pos
        return best

    def _fuzzy_ok(self, q: str) -> bool:
        """A misspelling is of a name, never of one of the case's places ('Brekkelo' is no 'Brekkel')."""
        return self.index.length_ok(len(q)) and q not in self.case_names

    def _worth_a_look(self, word: str) -> bool:
        """Whether a lone capitalised word could be a (misspelt) name: not 'Dat', 'Nu' or 'Het'."""
        key = normalise(word)
        return key in self.index.by_norm or (len(key) >= MIN_FUZZY_LEN and key not in STOP_WORDS)

    def _reads_as_words(self, surface: str) -> bool:
        """Whether a lowercase hit could be ordinary words ('de brink'), not a name ('roc maasdelta')."""
        v = self.index.by_norm.get(normalise(surface))
        if v is not None and v.text.islower():
            return False
        content = [
            w for w in normalise(surface).split() if w not in STOP_WORDS and w not in PARTICLES
        ]
        return len(content) <= 1

    def _generics(self, text: str, speakers: Sequence[SpeakerSpan]) -> list[Found]:
        out: list[Found] = []
        for m in _GENERIC_RE.finditer(text):
            det = m.group("det").lower()
            kw = m.group("kw").lower()
            rule = GENERIC_RULES[kw]
            if {kw, normalise(m.group(0))} & self.index.switched_off:
                continue  # the analyst switched this form off for the case
            if kw in TERRITORIAL and territory_before(text, m.end("det") + 1):
                continue  # 'in de gemeente': the territory
            if re.match(
                rf"[^.?!\n,]{{0,20}},\s*(?:het\s+|de\s+)?{re.escape(kw)}\s+[A-ZÀ-Þ]",
                text[m.end() : m.end() + 60],
                re.I,
            ):
                continue  # 'het roc daar, ROC Dommeloord': the apposition names it, the name pass finds it
            possessive = det in _POSSESSIVE
            if rule.possessive_only and not possessive:
                continue
            org_id = None
            if possessive:
                own = _speaker_at(speakers, m.start())
                if own and self.index.orgs.get(own) and self.index.orgs[own].is_a(rule.types):
                    org_id = own
            if org_id is None and not rule.possessive_only:
                fits = [o.id for o in self.index.orgs.values() if _fits(o, rule)]
                org_id = rule.choose(fits, _speaker_at(speakers, m.start()))
            if org_id is None and rule.possessive_only:
                continue
            status = "auto" if org_id else "unresolved"
            out.append(Found(m.start(), m.end(), m.group(0), org_id, "generic", status, None))
        labels = type_labels(text, self.index, _fits)  # 'Anouk (pabo)', '- Gemeente: …'
        return out + [Found(a, b, text[a:b], o, "generic", "auto", None) for a, b, o in labels]

    def _fuzzy_in_piece(
        self, text: str, piece: Piece, fuzzy: dict[str, tuple[Variant, float]]
    ) -> list[Found]:
        hits: list[tuple[float, int, int, int, Variant]] = []
        for a, b in subspans(piece):
            q = normalise(text[a:b])
            if q in fuzzy:
                variant, score = fuzzy[q]
                hits.append((score, b - a, a, b, variant))
        if not hits:
            return []
        hits.sort(key=lambda h: (-h[0], -h[1], h[2]))
        chosen: list[Found] = []
        for score, _, a, b, variant in hits:
            if any(a < f.end and f.start < b for f in chosen):
                continue
            if variant.kind != "exact" and self._ordinary_opening(text, a, text[a:b], variant.norm):
                continue
            if variant.origin == "place-school" and the_town(text, a, b, self.case_names):
                continue  # 'in Dorrewijk': the town
            b -= _strip_possessive(text[a:b])
            method = variant.kind if score >= 100 else "fuzzy"
            chosen.append(Found(a, b, text[a:b], variant.organisation_id, method, "auto", score))
        return chosen

    def _model_orgs(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        pipe = shared.pipeline()
        if "ner" not in pipe.pipe_names:
            return [[] for _ in texts]
        return [
            [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "ORG"]
            for doc in pipe.pipe(texts, batch_size=BATCH_SIZE)
        ]


def _compound_heads(index: VariantIndex) -> list[tuple[str, str, str]]:
    """(organisation, its leading legal form or head noun, its first distinctive word) for compounds."""
    out: list[tuple[str, str, str]] = []
    for oid, org in index.orgs.items():
        words = [w.strip(",;:()\"'").lower() for w in org.name.split()]
        if len(words) < 2 or words[0] not in HEAD_NOUNS_ALONE:
            continue
        rest = [w for w in words[1:] if w not in PARTICLES and normalise(w) not in index.places]
        if rest and len(rest[0]) >= 6:
            out.append((oid, words[0], rest[0]))
    return out


def _fits(org: Organisation, rule: GenericRule) -> bool:
    if not org.is_a(rule.types):
        return False
    name = " ".join(org.names).lower()
    if rule.name_has and rule.name_has not in name:
        return False
    return not (rule.name_lacks and rule.name_lacks in org.name.lower())


def _speaker_at(speakers: Sequence[SpeakerSpan], pos: int) -> str | None:
    for s in speakers:
        if s.start <= pos < s.end:
            return s.organisation_id
    return None


_DETERMINER_BEFORE = re.compile(
    r"(?<![\w-])(?:het|de|'t|’t|ons|onze|dat|die|dit|deze|hun|jullie)\s+$", re.I
)
_APPOSITION_AFTER = re.compile(r",[ \t]*[A-ZÀ-Þ]")
_INDEFINITE_BEFORE = re.compile(
    r"(?<![\w-])(?:een|geen|elke|iedere|ieder|welke|zo'n|zo’n|veel|andere|nog)\s+$", re.I
)  # 'geen ploeg': a common noun, not the school De Ploeg
_COMPOUND_RE = re.compile(
    rf"(?<![\w-])([a-zà-ÿ]{{4,}})({'|'.join(sorted(HEAD_NOUNS_ALONE, key=len, reverse=True))})(?![\w-])"
)
# Each starts with the capital and looks back from there: a pattern that opens with a look-behind
# is tried at every position of the text, one that opens with a character class is not (3× faster).
_ABBREVIATION_RE = re.compile(r"[A-Z](?<![\w-][A-Z])[A-Z]{1,5}(?![\w-])")
_COMPOUND_FRONT_RE = re.compile(r"([A-Z](?<![\w-][A-Z])[A-Z]{1,5})-[a-zà-ÿ]{3,}")
_INITIALS_RE = re.compile(r"[A-Z](?<![\w-][A-Z])[A-Z]{2,5}(?![\w-])")
_POSSESSIVE_BEFORE = re.compile(r"(?<![\w-])(?:ons|onze)\s+(?:eigen\s+)?$", re.I)
_GENERIC_ORIGINS = ("head-noun", "compound-head", "type-word")  # common nouns, in any typing
_ARTICLE_BEFORE = re.compile(r"(?<![\w-])(het|de|'t)\s+$", re.I)
_BOARD_AFTER = re.compile(r"\s+van\s+(?:bestuur|b\s*&\s*w|burgemeester|toezicht)", re.I)
_NEXT_WORD = re.compile(r"[ \t]+[A-ZÀ-Þ][\w’'&\-]*")


def build_ruler(index: VariantIndex) -> Any:
    """A blank Dutch pipeline with entity_rulers of the registry's names (case-insensitive).

    Aliases that are only a determiner and a common noun ('de gemeente',
    'het ROC') sit in a second ruler, which never overrides a proper name
    found by the first: 'de gemeente Duinmond' stays with Duinmond.
    """
    import spacy  # lazy: spaCy loads in seconds: only when detection runs

    nlp = spacy.blank("nl")
    proper: list[dict[str, Any]] = []
    common: list[dict[str, Any]] = []
    acronyms: list[dict[str, Any]] = []
    entries = [(v.text, v.norm, f"{v.organisation_id}|{v.kind}|{v.origin}") for v in index.variants]
    entries += [(index.ambiguous_text[k], k, "|ambiguous|") for k in index.ambiguous]
    for text, norm, pid in entries:
        if _acronym(text) or pid.endswith("|type-phrase"):  # capitals only: 'Technisch College'
            acronyms.append({"label": "ORG", "pattern": text, "id": pid})
            continue
        target = common if norm in index.generic else proper
        target.append({"label": "ORG", "pattern": text, "id": pid})
        target.append({"label": "ORG", "pattern": text + "'s", "id": pid})
        if re.search(r"\s[A-Z][a-z]{1,2}$", text):  # 'Wierink & Zn' is also written 'Wierink & Zn.'
            target.append({"label": "ORG", "pattern": text + ".", "id": pid})
    if proper:
        names: Any = nlp.add_pipe(
            "entity_ruler", name="names", config={"phrase_matcher_attr": "LOWER", "validate": False}
        )
        names.add_patterns(proper)
    if acronyms:
        # Acronyms only match in capitals: 'WTL', not a word it might spell.
        exact_case: Any = nlp.add_pipe(
            "entity_ruler",
            name="acronyms",
            config={"phrase_matcher_attr": "ORTH", "validate": False},
        )
        exact_case.add_patterns(acronyms)
    if common:
        generic: Any = nlp.add_pipe(
            "entity_ruler",
            name="generic_aliases",
            config={"phrase_matcher_attr": "LOWER", "validate": False},
        )
        generic.add_patterns(common)
    return nlp


def _acronym(text: str) -> bool:
    return text.isupper() and 2 <= len(text) <= 6 and " " not in text


def _model_available() -> bool:
    if os.environ.get("CASEBOOK_BLANK_NLP") == "1":
        return False
    import spacy.util  # lazy: spaCy loads in seconds: only when detection runs

    return any(spacy.util.is_package(n) for n in STATISTICAL)
