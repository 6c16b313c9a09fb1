"""Finding mentions of partner organisations in a case's documents.

Four passes over each text, in order of trust; a later pass never takes
characters an earlier one claimed:

1. **Registry patterns** in a spaCy ``entity_ruler`` of our own (blank Dutch,
   matched on ``LOWER``): every name and alias, plus variants derived from
   them (``Maasdelta`` for ``ROC Maasdelta``, ``Van der Heijden`` for ``Van
   der Heijden Installatietechniek B.V.``) when they are unambiguous in the
   case and not a region's name.
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

import bisect
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from casebook.partners.registry import Organisation, load_registry
from casebook.store.project import Project, new_id, now

DETECTOR_VERSION = "1"
MAX_SUBSPAN_TOKENS = 6
BATCH_SIZE = 64

# Fuzzy cut-offs: the better of fuzz.ratio and fuzz.token_sort_ratio on normalised lowercase text.
# Chosen on tests/fixtures/partners_gold.* and generated misspellings (the sweep is in
# docs/partners.md): a dropped or added letter passes from five letters on, a substituted letter
# from about eight, and names of twelve characters and more tolerate a little more.
SHORT_CUT = 88.0
LONG_CUT = 85.0
LONG_FROM = 12
MIN_FUZZY_LEN = 5
AMBIGUITY_MARGIN = 2.0

STOP_WORDS = frozenset(
    """de het een en of in op aan van voor met bij naar uit over door om te tot als dan dat die dit deze
    er hier daar nu nog wel niet geen ook maar want dus toen zo al wat wie waar hoe ik je jij u we wij
    ze zij hij zijn haar hun ons onze mijn jullie men is was werd wordt zijn heeft hebben had kan kon
    moet moeten zal zou ja nee eerlijk gezegd goed zeker vooral vaak soms altijd nooit eigenlijk
    ten ter den der 't""".split()
)
PARTICLES = frozenset({"van", "de", "der", "den", "het", "'t", "’t", "ter", "ten", "te", "voor", "op", "aan", "in", "&"})

# Words that describe what kind of organisation a name is, rather than which one.
LEADING_TYPE_WORDS = frozenset(
    """roc regionaal opleidingencentrum gemeente provincie stichting vereniging basisschool obs cbs pcbs
    rkbs ikc sbo so vso pro praktijkschool scholengemeenschap sg csg osg hogeschool pabo
    bouwbedrijf installatiebedrijf installateur aannemersbedrijf metaalbedrijf technisch
    het de""".split()
)
TRAILING_TYPE_WORDS = frozenset(
    """college lyceum school scholengemeenschap campus academie bv b.v. nv n.v. vof v.o.f. holding
    groep group installatietechniek elektrotechniek techniek installaties installatie bouw metaal
    metaalbewerking engineering services service solutions systems industrie fabriek werken
    opleidingen opleidingsbedrijf zn zn. zonen""".split()
)
LEGAL_TAIL = re.compile(r"\s*(?:&\s*(?:zn\.?|zonen)|\b(?:b\.?v\.?|n\.?v\.?|v\.?o\.?f\.?))\s*$", re.I)

# Words that make a capitalised run look like an organisation, with the type they suggest.
ORG_KEYWORDS: dict[str, str] = {
    "roc": "mbo",
    "mbo": "mbo",
    "gemeente": "gemeente",
    "provincie": "gemeente",
    "stichting": "overig",
    "vereniging": "branche",
    "bv": "bedrijf",
    "b.v.": "bedrijf",
    "nv": "bedrijf",
    "n.v.": "bedrijf",
    "vof": "bedrijf",
    "holding": "bedrijf",
    "groep": "bedrijf",
    "college": "vmbo",
    "lyceum": "vmbo",
    "scholengemeenschap": "vmbo",
    "vmbo": "vmbo",
    "campus": "vmbo",
    "basisschool": "po",
    "obs": "po",
    "cbs": "po",
    "ikc": "po",
    "hogeschool": "hbo/pabo",
    "pabo": "hbo/pabo",
    "academie": "hbo/pabo",
    "praktijkschool": "vso/pro",
    "vso": "vso/pro",
}
ORG_SUFFIXES: dict[str, str] = {
    "bedrijf": "bedrijf",
    "bedrijven": "bedrijf",
    "techniek": "bedrijf",
    "installaties": "bedrijf",
    "bouw": "bedrijf",
    "metaal": "bedrijf",
    "groep": "bedrijf",
    "college": "vmbo",
    "school": "po",
}
NOT_ORGS = frozenset(
    {"sterk techniekonderwijs", "sto", "sto regio", "techniek", "covid", "corona", "teams", "zoom"}
)

NOT_ORG_STARTS = ("sto ", "regio ", "sterk techniekonderwijs")
# Forms of address and greetings: the run names a person, not an organisation.
NOT_ORG_OPENERS = frozenset(
    """meneer mevrouw dhr mevr mw juf meester dr ir drs mr prof hoi hallo goedemorgen goedemiddag
    goedenavond dag beste groeten dank bedankt""".split()
)

# Generic references: keyword → (organisation types, name test). Determiners come first.
_DETERMINERS = r"het|de|'t|dat|die|dit|deze|hun|jullie|ons|onze"
_POSSESSIVE = frozenset({"ons", "onze"})
_SCHOOL_TYPES = ("vmbo", "vmbo-penvoerder", "mbo", "po", "vso/pro", "hbo/pabo")


@dataclass(frozen=True)
class GenericRule:
    types: tuple[str, ...]
    name_has: str | None = None
    name_lacks: str | None = None
    possessive_only: bool = False


GENERIC_RULES: dict[str, GenericRule] = {
    "roc": GenericRule(("mbo",)),
    "mbo-instelling": GenericRule(("mbo",)),
    "mbo-school": GenericRule(("mbo",)),
    "gemeente": GenericRule(("gemeente",), name_lacks="provincie"),
    "provincie": GenericRule(("gemeente",), name_has="provincie"),
    "pabo": GenericRule(("hbo/pabo",)),
    "hogeschool": GenericRule(("hbo/pabo",)),
    "lerarenopleiding": GenericRule(("hbo/pabo",)),
    "penvoerder": GenericRule(("vmbo-penvoerder",)),
    "brancheorganisatie": GenericRule(("branche",)),
    "branchevereniging": GenericRule(("branche",)),
    "werkgeversorganisatie": GenericRule(("branche",)),
    "basisschool": GenericRule(("po",)),
    "praktijkschool": GenericRule(("vso/pro",)),
    "vso-school": GenericRule(("vso/pro",)),
    "school": GenericRule(_SCHOOL_TYPES, possessive_only=True),
    "college": GenericRule(_SCHOOL_TYPES, possessive_only=True),
    "bedrijf": GenericRule(("bedrijf",), possessive_only=True),
}
_GENERIC_RE = re.compile(
    rf"(?<![\w-])(?P<det>{_DETERMINERS})\s+(?:eigen\s+)?(?P<kw>{'|'.join(sorted(map(re.escape, GENERIC_RULES), key=len, reverse=True))})"
    r"(?![\w-])(?-i:(?!\s+[A-ZÀ-Þ]))",
    re.IGNORECASE,
)
_CAP = r"[A-ZÀ-Þ][\w’'&.\-]*"
_PART = r"(?:van|de|der|den|het|'t|’t|ter|ten|te|voor|op|aan|in|&)"
_RUN_RE = re.compile(rf"(?<![\w\-])(?:{_PART}[ \t]+)*{_CAP}(?:[ \t]+(?:{_PART}[ \t]+)*{_CAP})*")
_TOKEN_RE = re.compile(r"\S+")


@functools.lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """The form names are compared in: lowercase, no possessive 's, single spaces."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[\s\-–/]+", " ", text)
    return text.strip(" .,;:()\"'")


def _strip_possessive(surface: str) -> int:
    """How many characters of a trailing 's (or ’s) to drop from a surface."""
    return 2 if len(surface) > 3 and surface[-2:] in ("'s", "’s") else 0


# --- variants ------------------------------------------------------------------------


def derived_variants(name: str) -> set[str]:
    """Shorter forms people use for a registered name."""
    out: set[str] = set()
    base = LEGAL_TAIL.sub("", name).strip()
    if base and base != name:
        out.add(base)
    words = base.split()
    lo, hi = 0, len(words)
    while hi - lo > 1 and words[lo].lower() in LEADING_TYPE_WORDS:
        lo += 1
        out.add(" ".join(words[lo:hi]))
    start = lo
    while hi - start > 1 and words[hi - 1].lower().rstrip(".") in TRAILING_TYPE_WORDS | {"b.v", "n.v"}:
        hi -= 1
        out.add(" ".join(words[start:hi]))
        out.add(" ".join(words[0:hi]))
    out.add(" ".join(words[lo:hi]))
    return {v for v in out if v and v.casefold() != name.casefold()}


def _worth_matching(variant: str) -> bool:
    """A derived variant must carry a distinctive word: not 'Wij', 'het' or 'gemeente'."""
    generic = STOP_WORDS | PARTICLES | LEADING_TYPE_WORDS | TRAILING_TYPE_WORDS | set(ORG_KEYWORDS)
    return any(len(w) >= 3 and w not in generic for w in normalise(variant).split())


def _is_generic_alias(text: str) -> bool:
    """'de gemeente', 'het ROC', 'de werf': a determiner and a common noun, not a proper name."""
    words = text.split()
    if len(words) < 2 or words[0].lower() not in ("de", "het", "'t"):
        return False
    rest = " ".join(words[1:])
    return rest.islower() or not _worth_matching(rest)


@dataclass
class Variant:
    text: str  # as written
    norm: str
    organisation_id: str
    kind: str  # exact (name or alias) | variant (derived)


class VariantIndex:
    """Every way the case's organisations are written, with ambiguity removed."""

    def __init__(self, orgs: Sequence[Organisation], case_names: Iterable[str] = ()) -> None:
        self.orgs = {o.id: o for o in orgs}
        blocked = {normalise(c) for c in case_names} | NOT_ORGS
        explicit: dict[str, set[str]] = {}
        written: dict[str, str] = {}
        for o in orgs:
            for n in o.names:
                explicit.setdefault(normalise(n), set()).add(o.id)
                written.setdefault(normalise(n), n)
        derived: dict[str, set[str]] = {}
        for o in orgs:
            for n in o.names:
                if _is_generic_alias(n):
                    continue
                for v in derived_variants(n):
                    key = normalise(v)
                    if key in explicit or key in blocked or not _worth_matching(v):
                        continue
                    derived.setdefault(key, set()).add(o.id)
                    written.setdefault(key, v)
        self.variants: list[Variant] = []
        for key, ids in explicit.items():
            if len(ids) == 1 and key:
                self.variants.append(Variant(written[key], key, next(iter(ids)), "exact"))
        for key, ids in derived.items():
            if len(ids) == 1:
                self.variants.append(Variant(written[key], key, next(iter(ids)), "variant"))
        self.by_norm = {v.norm: v for v in self.variants}
        self.generic = {v.norm for v in self.variants if _is_generic_alias(v.text)}
        self.norms = [v.norm for v in self.variants]
        self.lengths = sorted({len(n) for n in self.norms})
        self.initials = {w[0] for n in self.norms for w in n.split()}

    def lookup(self, name: str) -> str | None:
        """The organisation a free-text name refers to: exact, derived, then fuzzy."""
        key = normalise(name)
        if key in self.by_norm:
            return self.by_norm[key].organisation_id
        hit = self.best_fuzzy([key]).get(key)
        return hit[0].organisation_id if hit else None

    def length_ok(self, n: int) -> bool:
        lo = bisect.bisect_left(self.lengths, int(n * 0.75))
        return lo < len(self.lengths) and self.lengths[lo] <= n / 0.75 + 1

    def best_fuzzy(self, queries: Sequence[str]) -> dict[str, tuple[Variant, float]]:
        """For each query, the best variant above its cut-off, unless two organisations tie."""
        from rapidfuzz import fuzz, process

        out: dict[str, tuple[Variant, float]] = {}
        todo: list[str] = []
        for q in dict.fromkeys(queries):
            if q in self.by_norm:
                out[q] = (self.by_norm[q], 100.0)
            elif len(q) >= MIN_FUZZY_LEN and q[:1] in self.initials:
                todo.append(q)
        if not todo or not self.norms:
            return out
        import numpy as np

        scores = np.maximum(
            process.cdist(todo, self.norms, scorer=fuzz.ratio, score_cutoff=LONG_CUT, workers=-1),
            process.cdist(todo, self.norms, scorer=fuzz.token_sort_ratio, score_cutoff=LONG_CUT, workers=-1),
        )
        for qi, q in enumerate(todo):
            row = scores[qi]
            best_j = int(row.argmax())
            best = float(row[best_j])
            cut = LONG_CUT if len(q) >= LONG_FROM else SHORT_CUT
            if best < cut:
                continue
            variant = self.variants[best_j]
            if q[:1] not in {w[:1] for w in variant.norm.split()}:
                continue  # misspellings keep the first letter of some word
            rivals = [
                float(s)
                for j, s in enumerate(row)
                if s and self.variants[j].organisation_id != variant.organisation_id
            ]
            if rivals and max(rivals) >= best - AMBIGUITY_MARGIN:
                continue
            out[q] = (variant, best)
        return out


# --- detection ----------------------------------------------------------------------


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


@dataclass
class SpeakerSpan:
    start: int
    end: int
    organisation_id: str | None


@dataclass
class _Piece:
    tokens: list[tuple[int, int, str]] = field(default_factory=list)
    heads: dict[int, int] = field(default_factory=dict)  # token index → end of its part before a hyphen


class Detector:
    """Mention detection for one case's registry; build once, run over many texts."""

    def __init__(
        self,
        orgs: Sequence[Organisation],
        case_names: Iterable[str] = (),
        *,
        use_model: bool | None = None,
        rejected: Iterable[str] = (),
    ) -> None:
        self.index = VariantIndex(orgs, case_names)
        self.case_names = {normalise(c) for c in case_names}
        self.rejected = {normalise(r) for r in rejected}
        self.nlp = build_ruler(self.index)
        self.use_model = _model_available() if use_model is None else use_model

    # public ------------------------------------------------------------------------

    def detect(self, text: str, speakers: Sequence[SpeakerSpan] = ()) -> list[Found]:
        return self.detect_many([text], [speakers])[0]

    def detect_many(
        self, texts: Sequence[str], speakers: Sequence[Sequence[SpeakerSpan]] | None = None
    ) -> list[list[Found]]:
        speakers = speakers or [() for _ in texts]
        results: list[list[Found]] = []
        pieces_per_doc: list[list[_Piece]] = []
        for text, doc, spk in zip(texts, self.nlp.pipe(texts, batch_size=BATCH_SIZE), speakers, strict=True):
            found, blocked = self._registry_hits(text, doc)
            taken = _Taken([(f.start, f.end) for f in found] + blocked)
            for g in self._generics(text, spk):
                if taken.free(g.start, g.end):
                    taken.add(g.start, g.end)
                    found.append(g)
            pieces_per_doc.append(_pieces(text, taken, self._worth_a_look))
            results.append(found)
        queries = [
            normalise(texts[i][a:b])
            for i, pieces in enumerate(pieces_per_doc)
            for piece in pieces
            for a, b in _subspans(piece)
        ]
        fuzzy = self.index.best_fuzzy(
            [q for q in queries if q in self.index.by_norm or self.index.length_ok(len(q))]
        )
        model_orgs = self._model_orgs(texts) if self.use_model else [[] for _ in texts]
        for i, (text, pieces) in enumerate(zip(texts, pieces_per_doc, strict=True)):
            found = results[i]
            for piece in pieces:
                hits = self._fuzzy_in_piece(text, piece, fuzzy)
                found.extend(hits)
                if not hits:
                    cand = self._candidate(text, piece)
                    if cand:
                        found.append(cand)
            taken = _Taken((f.start, f.end) for f in found)
            for start, end in model_orgs[i]:
                surface = text[start:end]
                key = normalise(surface)
                if taken.free(start, end) and key not in self.rejected and key not in self.case_names:
                    f = Found(start, end, surface, None, "model", "candidate", None, surface.strip(), None)
                    taken.add(start, end)
                    found.append(f)
            found.sort(key=lambda f: (f.start, f.end))
        return results

    # passes ------------------------------------------------------------------------

    def _registry_hits(self, text: str, doc: Any) -> tuple[list[Found], list[tuple[int, int]]]:
        """Registry names found by the rulers, and spans ruled out that later passes must leave alone."""
        capitalised: bool | None = None
        out: list[Found] = []
        blocked: list[tuple[int, int]] = []
        for ent in doc.ents:
            org_id, _, kind = ent.ent_id_.partition("|")
            start, end = ent.start_char, ent.end_char
            end -= _strip_possessive(text[start:end])
            surface = text[start:end]
            if surface.islower() and self._reads_as_words(surface):
                if capitalised is None:
                    capitalised = _is_capitalised(text)
                if capitalised:
                    continue
            key = normalise(surface)
            if key in self.index.generic and _NEXT_CAPITAL.match(text, end):
                continue  # 'de gemeente Duinmond' names another gemeente
            if _after_person_word(text, start, surface):
                blocked.append((start, end))  # 'Annelies Hekkert' is a person, not Hekkert Metaaltechniek
                continue
            end = self._extend_right(text, start, end, org_id)
            out.append(Found(start, end, text[start:end], org_id, kind or "exact", "auto", 100.0))
        return out, blocked

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

    def _worth_a_look(self, word: str) -> bool:
        """Whether a lone capitalised word could be a (misspelt) name: not 'Dat', 'Nu' or 'Het'."""
        key = normalise(word)
        return key in self.index.by_norm or (len(key) >= MIN_FUZZY_LEN and key not in STOP_WORDS)

    def _reads_as_words(self, surface: str) -> bool:
        """Whether a lowercase hit could be ordinary words ('de brink'), not a name ('roc maasdelta')."""
        v = self.index.by_norm.get(normalise(surface))
        if v is not None and v.text.islower():
            return False
        content = [w for w in normalise(surface).split() if w not in STOP_WORDS and w not in PARTICLES]
        return len(content) <= 1

    def _generics(self, text: str, speakers: Sequence[SpeakerSpan]) -> list[Found]:
        out: list[Found] = []
        for m in _GENERIC_RE.finditer(text):
            det = m.group("det").lower()
            rule = GENERIC_RULES[m.group("kw").lower()]
            possessive = det in _POSSESSIVE
            if rule.possessive_only and not possessive:
                continue
            org_id = None
            if possessive:
                own = _speaker_at(speakers, m.start())
                if own and self.index.orgs.get(own) and self.index.orgs[own].type in rule.types:
                    org_id = own
            if org_id is None and not rule.possessive_only:
                fits = [o for o in self.index.orgs.values() if _fits(o, rule)]
                if len(fits) == 1:
                    org_id = fits[0].id
            if org_id is None and rule.possessive_only:
                continue
            status = "auto" if org_id else "unresolved"
            out.append(Found(m.start(), m.end(), m.group(0), org_id, "generic", status, None))
        return out

    def _fuzzy_in_piece(
        self, text: str, piece: _Piece, fuzzy: dict[str, tuple[Variant, float]]
    ) -> list[Found]:
        hits: list[tuple[float, int, int, int, Variant]] = []
        for a, b in _subspans(piece):
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
            b -= _strip_possessive(text[a:b])
            method = variant.kind if score >= 100 else "fuzzy"
            chosen.append(Found(a, b, text[a:b], variant.organisation_id, method, "auto", score))
        return chosen

    def _candidate(self, text: str, piece: _Piece) -> Found | None:
        if len(piece.tokens) < 2:
            return None
        from casebook.privacy.names import given_names

        toks = list(piece.tokens)
        while toks and (toks[0][2].lower() in STOP_WORDS or toks[0][2].lower() in PARTICLES):
            toks.pop(0)
        while toks and (toks[-1][2].lower() in PARTICLES or len(toks[-1][2]) < 2):
            toks.pop()
        if len(toks) > 2 and toks[1][2] in PARTICLES and _opens_sentence(text, toks[0][0]):
            toks.pop(0)  # 'Docenten van het Lyceum X': the sentence's first word is not part of the name
            while toks and toks[0][2] in PARTICLES:
                toks.pop(0)
        if len(toks) < 2 or toks[0][2].lower().rstrip(".") in NOT_ORG_OPENERS:
            return None
        lowered = [t[2].lower().rstrip(".") for t in toks]
        suggested = _keyword_type(lowered)
        if suggested is None:
            if any(t[2] in given_names() for t in toks):
                return None  # a person: 'Ronald Vos'
            if len(toks) < 3 and _opens_sentence(text, toks[0][0]):
                return None  # 'Naast STO', 'Maatregel Onvoldoende': a capital that only opens a sentence
        if all(lw in ORG_KEYWORDS or lw in STOP_WORDS or lw in PARTICLES for lw in lowered):
            return None
        start, end = toks[0][0], toks[-1][1]
        end -= _strip_possessive(text[start:end])
        surface = text[start:end]
        key = normalise(surface)
        if key in self.rejected or key in self.case_names or key in NOT_ORGS or key.startswith(NOT_ORG_STARTS):
            return None
        name = re.sub(r"\s+", " ", surface).strip()
        return Found(start, end, surface, None, "candidate", "candidate", None, name, suggested)

    def _model_orgs(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        from casebook.text import nlp as shared

        pipe = shared.pipeline()
        if "ner" not in pipe.pipe_names:
            return [[] for _ in texts]
        return [
            [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "ORG"]
            for doc in pipe.pipe(texts, batch_size=BATCH_SIZE)
        ]


def _fits(org: Organisation, rule: GenericRule) -> bool:
    if org.type not in rule.types:
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


def _keyword_type(lowered: list[str]) -> str | None:
    for w in lowered:
        if w in ORG_KEYWORDS:
            return ORG_KEYWORDS[w]
    for w in lowered:
        for suffix, type_ in ORG_SUFFIXES.items():
            if w.endswith(suffix) and len(w) > len(suffix) + 2:
                return type_
    return None


_NEXT_CAPITAL = re.compile(r"[ \t]+[A-ZÀ-Þ]")
_NEXT_WORD = re.compile(r"[ \t]+[A-ZÀ-Þ][\w’'&\-]*")
_PREVIOUS_WORD = re.compile(r"(\w+\.?)[ \t]+$")
PERSON_TITLES = frozenset(
    "meneer mevrouw dhr dhr. mevr mevr. mw mw. juf meester wethouder burgemeester de heer".split()
)


def _after_person_word(text: str, pos: int, surface: str) -> bool:
    """'Annelies Hekkert', 'meneer Smits', 'Jan de Valk': a surname, not the company or school."""
    from casebook.privacy.names import given_names

    words = surface.split()
    if len(words) > 1 and words[0].lower() not in PARTICLES:
        return False
    m = _PREVIOUS_WORD.search(text, max(0, pos - 30), pos)
    if not m:
        return False
    word = m.group(1)
    return word in given_names() or word.lower() in PERSON_TITLES


def _opens_sentence(text: str, pos: int) -> bool:
    j = pos - 1
    while j >= 0 and text[j] in " \t\"'“‘(-–":
        j -= 1
    return j < 0 or text[j] in "\n.!?:;"


def _is_capitalised(text: str) -> bool:
    """False for transcripts typed all in lowercase, where case says nothing."""
    sample = text[:20000]
    letters = sum(map(str.isalpha, sample))
    upper = sum(map(str.isupper, sample))
    return letters == 0 or upper / letters > 0.005


class _Taken:
    """Character ranges already claimed by an earlier pass."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)

    def free(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.spans, (start, start))
        for j in (i - 1, i):
            if 0 <= j < len(self.spans) and self.spans[j][0] < end and start < self.spans[j][1]:
                return False
        return True

    def add(self, start: int, end: int) -> None:
        bisect.insort(self.spans, (start, end))


def _pieces(text: str, taken: _Taken, lone_word_ok: Callable[[str], bool]) -> list[_Piece]:
    """Capitalised word runs, split around characters an earlier pass claimed.

    A hyphenated word with a capitalised head ('MCW-studenten',
    'Kraaienburg-lyceum') ends its piece; its head alone is tried as well.
    """
    pieces: list[_Piece] = []
    for m in _RUN_RE.finditer(text):
        run = m.group(0)
        if " " not in run and "\t" not in run and not lone_word_ok(run):
            continue  # most runs are one sentence-opening word
        current = _Piece()
        all_free = taken.free(m.start(), m.end())
        for t in _TOKEN_RE.finditer(m.group(0)):
            a = m.start() + t.start()
            word = t.group(0)
            closes = word.endswith(".") and "." not in word[:-1] and word.lower() != "zn."
            if closes:
                word = word[:-1]
            head, dash, tail = word.partition("-")
            if dash and head[:1].isupper() and tail[:1].islower():
                current.heads[len(current.tokens)] = a + len(head)
                closes = True
            b = a + len(word)
            if word and (all_free or taken.free(a, b)):
                current.tokens.append((a, b, word))
                if not closes:
                    continue
            if current.tokens:
                pieces.append(current)
            current = _Piece()
        if current.tokens:
            pieces.append(current)
    return [p for p in pieces if any(t[2][:1].isupper() for t in p.tokens)]


def _subspans(piece: _Piece) -> Iterable[tuple[int, int]]:
    toks = piece.tokens
    for i in range(len(toks)):
        for j in range(i, min(len(toks), i + MAX_SUBSPAN_TOKENS)):
            if toks[j][2].lower() in PARTICLES:
                continue
            yield toks[i][0], toks[j][1]
            if j in piece.heads:
                yield toks[i][0], piece.heads[j]


def build_ruler(index: VariantIndex) -> Any:
    """A blank Dutch pipeline with entity_rulers of the registry's names (case-insensitive).

    Aliases that are only a determiner and a common noun ('de gemeente',
    'het ROC') sit in a second ruler, which never overrides a proper name
    found by the first: 'de gemeente Duinmond' stays with Duinmond.
    """
    import spacy

    nlp = spacy.blank("nl")
    proper: list[dict[str, Any]] = []
    common: list[dict[str, Any]] = []
    acronyms: list[dict[str, Any]] = []
    for v in index.variants:
        pid = f"{v.organisation_id}|{v.kind}"
        if _acronym(v.text):
            acronyms.append({"label": "ORG", "pattern": v.text, "id": pid})
            continue
        target = common if v.norm in index.generic else proper
        target.append({"label": "ORG", "pattern": v.text, "id": pid})
        target.append({"label": "ORG", "pattern": v.text + "'s", "id": pid})
    if proper:
        names = nlp.add_pipe("entity_ruler", name="names", config={"phrase_matcher_attr": "LOWER", "validate": False})
        names.add_patterns(proper)
    if acronyms:
        # Acronyms only match in capitals: 'WTL', not a word it might spell.
        exact_case = nlp.add_pipe(
            "entity_ruler", name="acronyms", config={"phrase_matcher_attr": "ORTH", "validate": False}
        )
        exact_case.add_patterns(acronyms)
    if common:
        generic = nlp.add_pipe(
            "entity_ruler", name="generic_aliases", config={"phrase_matcher_attr": "LOWER", "validate": False}
        )
        generic.add_patterns(common)
    return nlp


def _acronym(text: str) -> bool:
    return text.isupper() and 2 <= len(text) <= 6 and " " not in text


def _model_available() -> bool:
    import os

    if os.environ.get("CASEBOOK_BLANK_NLP") == "1":
        return False
    import spacy.util

    from casebook.text.nlp import STATISTICAL

    return any(spacy.util.is_package(n) for n in STATISTICAL)


# --- the project side ------------------------------------------------------------------


@dataclass
class DetectionSummary:
    case: str
    documents: int = 0
    mentions: int = 0
    resolved: int = 0
    unresolved: int = 0
    candidates: int = 0
    skipped: bool = False


def speaker_spans(
    project: Project, document_id: str, respondent_org: str | None, index: VariantIndex
) -> list[SpeakerSpan]:
    """Who speaks where, as organisations: a label's organisation, else the document's respondent."""
    out: list[SpeakerSpan] = []
    for t in project.query(
        "SELECT start, end, organisation, speaker_kind FROM segments WHERE document_id = ? AND kind = 'turn' "
        "ORDER BY start",
        (document_id,),
    ):
        org = index.lookup(t["organisation"]) if t["organisation"] else None
        if org is None and t["speaker_kind"] != "interviewer":
            org = respondent_org
        out.append(SpeakerSpan(t["start"], t["end"], org))
    if not out and respondent_org:
        out.append(SpeakerSpan(0, 1 << 62, respondent_org))
    return out


def _fingerprint(project: Project, case_id: str, orgs: Sequence[Organisation], docs: list[dict[str, Any]],
                 case_names: list[str]) -> str:
    decided = project.query(
        "SELECT name, status FROM organisation_candidates WHERE case_id = ? AND status <> 'pending' ORDER BY name",
        (case_id,),
    )
    payload = {
        "v": DETECTOR_VERSION,
        "orgs": [(o.id, o.name, o.type, sorted(o.aliases)) for o in orgs],
        "docs": [(d["id"], d["sha256"], d["org"]) for d in docs],
        "decided": [(r["name"], r["status"]) for r in decided],
        "cases": sorted(case_names),
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def detect_case(project: Project, case_id: str, *, force: bool = False, use_model: bool | None = None) -> DetectionSummary:
    """(Re)detect mentions in every document of a case, unless nothing changed since last time.

    Mentions a coder confirmed, rejected or added by hand are kept, and
    detection never puts a new mention over them.
    """
    from casebook.partners.registry import respondent_organisations

    case_name = project.scalar("SELECT name FROM cases WHERE id = ?", (case_id,))
    summary = DetectionSummary(case_name or case_id)
    orgs = load_registry(project, case_id)
    case_names = [r["name"] for r in project.query("SELECT name FROM cases")]
    docs = project.query(
        "SELECT d.id, d.sha256, d.organisation AS org FROM documents d WHERE d.case_id = ? ORDER BY d.name",
        (case_id,),
    )
    summary.documents = len(docs)
    key = f"partners.mentions.{case_id}"
    fingerprint = _fingerprint(project, case_id, orgs, docs, case_names)
    if not force and project.get_meta(key) == fingerprint:
        summary.skipped = True
        _count(project, case_id, summary)
        return summary
    rejected = [
        r["name"]
        for r in project.query(
            "SELECT name FROM organisation_candidates WHERE case_id = ? AND status = 'rejected'", (case_id,)
        )
    ]
    detector = Detector(orgs, case_names, use_model=use_model, rejected=rejected)
    respondents = respondent_organisations(project, case_id)
    texts = [project.scalar("SELECT text FROM document_texts WHERE document_id = ?", (d["id"],)) or "" for d in docs]
    speakers = [speaker_spans(project, d["id"], respondents.get(d["id"]), detector.index) for d in docs]
    results = detector.detect_many(texts, speakers)
    with project.transaction():
        conn = project.conn
        conn.execute(
            "UPDATE organisation_candidates SET count = 0, example = NULL WHERE case_id = ? AND status = 'pending'",
            (case_id,),
        )
        for doc, text, found in zip(docs, texts, results, strict=True):
            conn.execute(
                "DELETE FROM mentions WHERE document_id = ? AND status IN ('auto', 'unresolved', 'candidate')",
                (doc["id"],),
            )
            kept = _Taken(
                (r["start"], r["end"])
                for r in project.query("SELECT start, end FROM mentions WHERE document_id = ?", (doc["id"],))
            )
            rows = []
            for f in found:
                if not kept.free(f.start, f.end) or f.end <= f.start:
                    continue
                rows.append((doc["id"], f.start, f.end, f.organisation_id, f.surface, f.method, f.status, f.score))
                if f.candidate:
                    _note_candidate(project, case_id, f, text)
            conn.executemany(
                "INSERT INTO mentions (document_id, start, end, organisation_id, surface, method, status, score)"
                " VALUES (?,?,?,?,?,?,?,?)",
                rows,
            )
        conn.execute(
            "DELETE FROM organisation_candidates WHERE case_id = ? AND status = 'pending' AND count = 0", (case_id,)
        )
        project.set_meta(key, fingerprint)
    _count(project, case_id, summary)
    return summary


def _note_candidate(project: Project, case_id: str, f: Found, text: str) -> None:
    a = max(0, f.start - 60)
    example = text[a : f.end + 60].replace("\n", " ")
    name = f.candidate or f.surface
    row = project.query_one(
        "SELECT id, status FROM organisation_candidates WHERE case_id = ? AND name = ?", (case_id, name)
    )
    if row is None:
        project.conn.execute(
            "INSERT INTO organisation_candidates (id, case_id, name, suggested_type, source, count, example, created_at)"
            " VALUES (?,?,?,?,?,1,?,?)",
            (new_id(), case_id, name, f.suggested_type, "model" if f.method == "model" else "pattern", example, now()),
        )
    elif row["status"] == "pending":
        project.conn.execute(
            "UPDATE organisation_candidates SET count = count + 1, example = coalesce(example, ?) WHERE id = ?",
            (example, row["id"]),
        )


def _count(project: Project, case_id: str, summary: DetectionSummary) -> None:
    rows = project.query(
        "SELECT m.status, count(*) AS n FROM mentions m JOIN documents d ON d.id = m.document_id "
        "WHERE d.case_id = ? GROUP BY m.status",
        (case_id,),
    )
    counts = {r["status"]: r["n"] for r in rows}
    summary.resolved = counts.get("auto", 0) + counts.get("confirmed", 0)
    summary.unresolved = counts.get("unresolved", 0)
    summary.mentions = sum(v for k, v in counts.items() if k != "rejected")
    summary.candidates = project.scalar(
        "SELECT count(*) FROM organisation_candidates WHERE case_id = ? AND status = 'pending'", (case_id,)
    )


def detect_all(project: Project, case_id: str | None = None, *, force: bool = False) -> list[DetectionSummary]:
    ids = [case_id] if case_id else [r["id"] for r in project.query("SELECT id FROM cases ORDER BY name")]
    return [detect_case(project, cid, force=force) for cid in ids]


def list_mentions(
    project: Project, *, case_id: str | None = None, document_id: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    sql = """
        SELECT m.id, m.document_id, d.name AS document, c.name AS case_name, m.start, m.end, m.surface,
               m.organisation_id, o.name AS organisation, o.type, m.method, m.status, m.score
        FROM mentions m JOIN documents d ON d.id = m.document_id
        LEFT JOIN cases c ON c.id = d.case_id
        LEFT JOIN organisations o ON o.id = m.organisation_id
    """
    where: list[str] = []
    params: list[Any] = []
    if case_id:
        where.append("d.case_id = ?")
        params.append(case_id)
    if document_id:
        where.append("m.document_id = ?")
        params.append(document_id)
    if status:
        where.append("m.status = ?")
        params.append(status)
    if where:
        sql += " WHERE " + " AND ".join(where)
    return project.query(sql + " ORDER BY c.name, d.name, m.start", params)


def mentions_in(project: Project, document_id: str) -> list[dict[str, Any]]:
    """Spans to highlight in a reader: every mention that was not rejected."""
    return [m for m in list_mentions(project, document_id=document_id) if m["status"] != "rejected"]


def set_mention(project: Project, mention_id: int, organisation_id: str | None, *, reject: bool = False) -> None:
    """A coder's verdict on one mention: the right organisation, or not an organisation at all."""
    row = project.query_one("SELECT * FROM mentions WHERE id = ?", (mention_id,))
    if row is None:
        from casebook.errors import NotFound

        raise NotFound(f"no mention {mention_id}; list them with `casebook partners mentions`")
    status = "rejected" if reject else "confirmed"
    with project.transaction():
        project.conn.execute(
            "UPDATE mentions SET organisation_id = ?, status = ? WHERE id = ?",
            (None if reject else organisation_id, status, mention_id),
        )
        project.audit(
            "mention", "mention", str(mention_id),
            before={"organisation_id": row["organisation_id"], "status": row["status"]},
            after={"organisation_id": None if reject else organisation_id, "status": status},
        )


def add_manual_mention(project: Project, document_id: str, start: int, end: int, organisation_id: str) -> int:
    text = project.scalar("SELECT text FROM document_texts WHERE document_id = ?", (document_id,)) or ""
    from casebook.errors import InvalidInput

    if not 0 <= start < end <= len(text):
        raise InvalidInput(f"range {start}–{end} is outside the document (0–{len(text)})")
    with project.transaction():
        project.conn.execute(
            "DELETE FROM mentions WHERE document_id = ? AND start < ? AND ? < end AND status IN ('auto','unresolved','candidate')",
            (document_id, end, start),
        )
        cur = project.conn.execute(
            "INSERT INTO mentions (document_id, start, end, organisation_id, surface, method, status)"
            " VALUES (?,?,?,?,?,'manual','confirmed')",
            (document_id, start, end, organisation_id, text[start:end]),
        )
        project.audit("add", "mention", str(cur.lastrowid), after={"document_id": document_id, "start": start,
                                                                     "end": end, "organisation_id": organisation_id})
    return int(cur.lastrowid or 0)
