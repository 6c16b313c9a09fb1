"""How people write the case's organisations: names, aliases and variants derived from them.

Word lists (type words, legal forms, particles), the normal form names are
compared in, the derivation of shorter forms from a registered name, and the
``VariantIndex`` that holds every unambiguous way of writing an organisation
of one case, with fuzzy lookup for misspellings.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from casebook.partners.registry import Organisation

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


