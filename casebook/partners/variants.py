"""How people write the case's organisations: names, aliases and variants derived from them.

Long because each way of deriving a name form is its own small function feeding one
index.

The normal form names are compared in (the word lists are in
``casebook.partners.words``), the derivation of shorter forms from a registered name, and the
``VariantIndex`` that holds every unambiguous way of writing an organisation
of one case, with fuzzy lookup for misspellings.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from casebook.orgtypes import COMPANY, MUNICIPALITY, SCHOOL
from casebook.partners.compounds import (
    _abbreviates,
    _compound_front,
    _compound_head,
    _compound_type,
    _initials,
    _kind_compound,
    _names_a_kind,
)
from casebook.partners.model import Organisation
from casebook.partners.partforms import ALWAYS_WORTH, family_forms, named_rest, part_forms
from casebook.partners.words import (
    ARTICLES,
    COMMON_ACRONYMS,
    FAMILY_SUFFIX,
    HEAD_NOUNS_ALONE,
    LEADING_TYPE_WORDS,
    LEGAL_FAMILY,
    LEGAL_FORMS,
    LEGAL_SUFFIXES,
    NOT_ORGS,
    ORG_KEYWORDS,
    PARTICLES,
    STOP_WORDS,
    TRAILING_TYPE_WORDS,
    TYPE_NOUNS,
    TYPE_WORDS,
    is_head_noun,
)
from casebook.text.names import given_names

DETECTOR_VERSION = "2"  # the stored format; the rules themselves are fingerprinted by their source
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

# Generic references: keyword → (organisation types, name test). Determiners come first.
_DETERMINERS = r"het|de|'t|dat|die|dit|deze|hun|jullie|ons|onze"
_POSSESSIVE = frozenset({"ons", "onze"})
_SCHOOL_TYPES = (SCHOOL, "hbo")  # 'onze school' may also be a hogeschool


@dataclass(frozen=True)
class GenericRule:
    types: tuple[str, ...]
    name_has: str | None = None
    name_lacks: str | None = None
    possessive_only: bool = False
    # a partner whose own name has this noun ('Ondernemersvereniging Kleidorp') is meant first
    name_first: bool = False
    # 'de buurgemeente': of two such partners, the one the speaker is not from
    other_than_speaker: bool = False

    def choose(self, fits: list[str], own: str | None) -> str | None:
        """The one partner meant among those that fit, given the speaker's own organisation.

        'de gemeente' with two registered is the speaker's own when they
        are from one of them; 'de buurgemeente' is then the other.
        """
        if self.other_than_speaker:
            others = [o for o in fits if o != own]
            return others[0] if own in fits and len(others) == 1 else None
        return fits[0] if len(fits) == 1 else (own if own in fits else None)


GENERIC_RULES: dict[str, GenericRule] = {
    "roc": GenericRule(("mbo",)),
    "mbo-instelling": GenericRule(("mbo",)),
    "mbo-school": GenericRule(("mbo",)),
    "gemeente": GenericRule((MUNICIPALITY,), name_lacks="provincie"),
    "gemeentehuis": GenericRule(
        (MUNICIPALITY,), name_lacks="provincie"
    ),  # the building for its owner
    "stadhuis": GenericRule((MUNICIPALITY,), name_lacks="provincie"),
    "buurgemeente": GenericRule((MUNICIPALITY,), name_lacks="provincie", other_than_speaker=True),
    "provincie": GenericRule((MUNICIPALITY,), name_has="provincie"),
    "pabo": GenericRule(("hbo/pabo",)),
    "hogeschool": GenericRule(("hbo/pabo",)),
    "lerarenopleiding": GenericRule(("hbo/pabo",)),
    "penvoerder": GenericRule(("vmbo-penvoerder",)),
    "brancheorganisatie": GenericRule(("branche",)),
    "branchevereniging": GenericRule(("branche",)),
    "werkgeversorganisatie": GenericRule(("branche",)),
    # employers' and entrepreneurs' associations by their kind: the case's one branche partner
    "werkgeversvereniging": GenericRule(("branche",), name_first=True),
    "ondernemersvereniging": GenericRule(("branche",), name_first=True),
    "ondernemersorganisatie": GenericRule(("branche",), name_first=True),
    "basisschool": GenericRule(("po",)),
    "praktijkschool": GenericRule(("vso/pro",)),
    "vso-school": GenericRule(("vso/pro",)),
    "school": GenericRule(_SCHOOL_TYPES, possessive_only=True),
    "college": GenericRule(_SCHOOL_TYPES, possessive_only=True),
    "bedrijf": GenericRule((COMPANY,), possessive_only=True),
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


def _clean_word(word: str) -> str:
    return word.lower().strip(",;:()\"'")


def derive(
    name: str, places: Iterable[str] = (), *, company: bool = False
) -> list[tuple[str, str]]:
    """Shorter forms people use for a registered name, each with how it was derived.

    Legal forms (BV, Stichting), type words (College, ROC, Metaalbedrijf) and
    the case's place names are dropped in turn; the distinctive part is kept
    with its article ('De Ploeg') and without; initials are taken of the
    words with and without legal form and place ('SNO', 'HL', 'VCW').
    """
    place_set = {normalise(p) for p in places if p.strip()}
    family = FAMILY_SUFFIX.search(name)
    base = LEGAL_FAMILY.sub("", name).strip()
    if family:
        base = re.sub(r"\s+", " ", name[: family.start()] + name[family.end() :]).strip()
    words = base.split()
    kinds: list[str] = []
    for i, w in enumerate(words):
        lw = _clean_word(w)
        if lw in LEGAL_FORMS or lw.rstrip(".") in LEGAL_FORMS:
            kinds.append("legal")
        elif lw in ARTICLES:
            kinds.append("article")
        elif lw in PARTICLES:
            kinds.append("particle")
        elif (
            normalise(w) in place_set
            or any(
                normalise(" ".join(words[i:j])) in place_set
                for j in range(i + 2, min(len(words), i + 3) + 1)
            )
            or (
                i > 0
                and kinds[-1] == "place"
                and normalise(" ".join(words[i - 1 : i + 1])) in place_set
            )
        ):
            kinds.append("place")
        elif lw in TYPE_WORDS or _compound_type(lw) and i + 1 < len(words) and i == 0:
            kinds.append(
                "type"
            )  # 'Bouwgroep Van Dam', 'Autobedrijf Jansen': a kind of company, then its name
        elif (
            _compound_type(lw)
            and "content" in kinds
            and all(
                _clean_word(x).rstrip(".") in LEGAL_FORMS or _clean_word(x) in LEGAL_FORMS
                for x in words[i + 1 :]
            )
        ):
            kinds.append("type")  # 'Jansen Agrotechniek B.V.': a family name, then its trade
        else:
            kinds.append("content")
    if (
        len(kinds) > 1
        and kinds[0] == "content"
        and _kind_compound(_clean_word(words[0]))
        and "content" in kinds[1:]
    ):
        kinds[0] = "type"  # 'Kindcentrum Spoorzicht': the compound says what it is, the name which
    for i in range(1, len(kinds) - 1):
        if (
            kinds[i] == "content"
            and kinds[i - 1] == "type"
            and is_head_noun(normalise(words[i]))
            and "content" in kinds[i + 1 :]
        ):
            # 'Regionaal Opleidingscentrum Lindeveld': a compound naming a kind of organisation
            # right after a type word, with the proper name still to come, is part of the type phrase
            kinds[i] = "type"
    out: list[tuple[str, str]] = []

    def keep(selected: Sequence[bool], origin: str) -> None:
        toks = [w for w, s in zip(words, selected, strict=True) if s]
        left = {k for k, s in zip(kinds, selected, strict=True) if s} - {"article"}
        if left == {"type"} and named_rest(" ".join(toks), origin):
            origin = "type-phrase"  # 'Technisch College' for 'Technisch College Veldhoven'
        elif left == {"type"}:
            if len(toks) != 1 or not _names_a_kind(_clean_word(toks[0])):
                return
            origin = "type-word"  # 'Vakcollege' for 'Vakcollege Wolderveen'

        while toks and _clean_word(toks[-1]) in PARTICLES:
            toks.pop()
        while toks and toks[0] == "&":
            toks.pop(0)
        text = " ".join(toks).strip(" ,")
        if text and text.casefold() != name.casefold() and text not in {t for t, _ in out}:
            out.append((text, origin))

    if kinds and kinds[0] == "article" and len(kinds) > 1:
        keep(
            [i > 0 for i in range(len(kinds))], "no-article"
        )  # 'Windhoek College' for 'Het Windhoek College'
    if base != name or "legal" in kinds:
        keep([k != "legal" for k in kinds], "no-legal-form")
    if "place" in kinds:
        keep([k not in ("legal", "place") for k in kinds], "no-place")
    if "type" in kinds:
        keep([k not in ("legal", "type") for k in kinds], "no-type-words")
    segments = _content_segments(kinds)
    if len(segments) > 1:
        # 'Christelijk College De Meerpaal': the parts a type word separates are each a name on
        # their own ('het Christelijk', 'de Meerpaal'); joined they are a form nobody says.
        for a, b in segments:
            sel = [a <= i < b for i in range(len(kinds))]
            if kinds[a] == "article":
                keep(sel, "distinctive")
                keep([s and i > a for i, s in enumerate(sel)], "distinctive-bare")
            else:
                keep(sel, "distinctive")
    elif "content" in kinds:
        tail = _inner_article_tail(words, kinds)
        if tail is not None:
            # 'Stichting Wetenschapsknooppunt De Uitvinderij' → 'De Uitvinderij', 'Uitvinderij': an
            # article inside an official name starts the name proper; what comes before describes it.
            keep([i >= tail for i in range(len(kinds))], "distinctive")
            keep([i > tail for i in range(len(kinds))], "distinctive-bare")
        first = kinds.index("content")
        while first > 0 and kinds[first - 1] == "particle":
            first -= 1  # 'Van der Heijden': the particles belong to the name
        core = [k in ("content", "particle") and i >= first for i, k in enumerate(kinds)]
        # 'Scholengemeenschap De Ploeg' → 'De Ploeg': an article right before the distinctive part stays.
        if first > 0 and kinds[first - 1] == "article":
            with_article = list(core)
            with_article[first - 1] = True
            keep(with_article, "distinctive")
            keep(core, "distinctive-bare")
        else:
            keep(core, "distinctive")
    content = [i for i, k in enumerate(kinds) if k == "content"]
    if company and len(content) >= 2 and content[0] == 0:
        # 'Brandt Mechatronics', 'Technova Systems': a company is called by its first word
        keep([i == 0 for i in range(len(kinds))], "first-word")
    kind_noun = _kind_noun(words, kinds)
    if not company and kind_noun is not None:
        # 'Stichting Muziekhuis Veldland' → 'Muziekhuis': the compound says what the organisation is,
        # the proper name after it where; in its own region people use the compound alone
        keep([i == kind_noun for i in range(len(kinds))], "kind-noun")
    for a, b in _type_phrases(kinds):
        # 'Regionaal Opleidingscentrum Lindeveld' → 'ROC Lindeveld': a type phrase of several words
        # is said by its initials, the proper name after it stays
        letters = "".join(_initials(w) for w in words[a:b])
        rest = [w for w, k in zip(words[b:], kinds[b:], strict=True) if k not in ("legal",)]
        if 2 <= len(letters) <= 5 and letters.isalpha() and rest:
            phrase = " ".join([letters, *rest])
            if phrase not in {t for t, _ in out}:
                out.append((phrase, "type-initials"))
    types = [
        w
        for w, k in zip(words, kinds, strict=True)
        if k == "type" and _names_a_kind(_clean_word(w))
    ]
    if len(types) == 1 and types[0] not in {t for t, _ in out}:
        out.append((types[0], "type-word"))
    if family:
        # 'Smedinga & Zonen B.V.' → 'Smedinga & Zonen', 'Smedinga en Zonen', 'Smedinga & Zn', and 'Smedinga'
        kin = family.group("kin").lower().rstrip(".")
        kin_forms = ("Zn", "Zonen") if kin in ("zn", "zonen") else (family.group("kin"),)
        heads = [t for t, o in out if o in ("distinctive", "distinctive-bare", "no-type-words")]
        for head in heads:
            for form, origin in family_forms(head, kin_forms):
                if form not in {t for t, _ in out}:
                    out.append((form, origin))
    named = [
        "type" if k == "content" and is_head_noun(normalise(w)) else k
        for w, k in zip(words, kinds, strict=True)
        if k not in ("legal", "article", "particle")
    ]
    if (
        "place" in named
        and set(named) == {"type", "place"}
        and not any(
            _clean_word(w) in ("gemeente", "provincie", "waterschap", "regio") for w in words
        )
    ):
        # 'Vakcollege Dorrewijk': the town is all that tells this school from another one
        town = " ".join(w for w, k in zip(words, kinds, strict=True) if k == "place")
        out.append((town, "place-school"))
    for w, k in zip(words, kinds, strict=True):
        lw = _clean_word(w)
        compound = _compound_head(lw) if k in ("content", "type") else None
        if compound and compound not in {t for t, _ in out}:
            # 'de werf' for 'Scheepswerf …', 'het knooppunt'
            out.append((compound, "compound-head"))
        if k == "legal" and lw in HEAD_NOUNS_ALONE and w[:1].isupper():
            out.append((lw, "head-noun"))  # 'de stichting'
            continue
        for head in HEAD_NOUNS_ALONE:
            if lw.endswith(head) and len(lw) >= len(head) + 3 and k != "place":
                out.append((head, "head-noun"))  # 'de kring' for 'Werkgeverskring …'
                break
    content_words = [w for w, k in zip(words, kinds, strict=True) if k == "content"]
    if len(content_words) == 1 and (front := _compound_front(content_words[0])):
        if front not in {t for t, _ in out}:
            out.append((front, "compound-front"))  # 'het Brink' for the Brinkcollege
    surname = _surname_core(words, kinds)
    if surname:
        particles, rest = surname
        joined = "".join(particles) + rest[0].lower()
        # 'Ten Brinke' is written 'Tenbrinke'; people who know the firm say 'Brinke'
        for text, origin in ((joined.capitalize(), "joined"), (rest[0], "surname-tail")):
            if len(text) >= 5 and text not in {t for t, _ in out}:
                out.append((text, origin))
    suffix = [_clean_word(w) in LEGAL_SUFFIXES for w in words]
    if any(k == "particle" for k in kinds):
        # 'Van de Laar' → 'VDL': the tussenvoegsels give letters too, type words do not
        inside = [
            k in ("content", "particle")
            or (k == "article" and i > 0 and kinds[i - 1] == "particle")
            for i, k in enumerate(kinds)
        ]  # 'Van de Laar': 'de' after 'Van' is a tussenvoegsel, not an article
        letters = "".join(
            _initials(w)
            for w, ok, x in zip(words, inside, suffix, strict=True)
            if ok and w != "&" and not x
        )
        if (
            3 <= len(letters) <= 6
            and letters.isalpha()
            and letters not in COMMON_ACRONYMS
            and letters not in {t for t, _ in out}
        ):
            out.append((letters, "initials"))
    for dropped in ((), ("legal",), ("place",), ("legal", "place")):
        skip = ("article", "particle", *dropped)
        letters = "".join(
            _initials(w)
            for w, k, x in zip(words, kinds, suffix, strict=True)
            if k not in skip and not x
        )
        if 2 <= len(letters) <= 6 and letters.isalpha() and letters not in COMMON_ACRONYMS:
            if letters not in {t for t, _ in out} and letters.casefold() != name.casefold():
                out.append((letters, "initials"))
    taken = {t for t, _ in out} | {name}
    return out + [f for f in part_forms(words, kinds, company=company) if f[0] not in taken]


def _type_phrases(kinds: Sequence[str]) -> list[tuple[int, int]]:
    """Runs of two or more type words followed by a content word, as (start, end)."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(kinds):
        j = i
        while j < len(kinds) and kinds[j] == "type":
            j += 1
        if j - i >= 2 and "content" in kinds[j:]:
            out.append((i, j))
        i = max(j, i + 1)
    return out


def _kind_noun(words: Sequence[str], kinds: Sequence[str]) -> int | None:
    """Where a name is a kind-of-organisation compound and one proper word after it, else None.

    'Stichting Maaklab Veldland', 'Platform Techniekpact Oostmark': the
    compound ends in a noun for an organisation or facility
    (``ORGANISATION_NOUNS``), the last word is a single capitalised name that is
    not itself such a noun or a dictionary word.
    """
    named = [i for i, k in enumerate(kinds) if k not in ("legal", "article", "particle")]
    if len(named) != 2 or kinds[named[0]] != "content" or kinds[named[1]] != "content":
        return None
    first, last = words[named[0]], words[named[1]]
    key = normalise(first)
    if " " in key or not is_head_noun(key) or key in TYPE_NOUNS or not first[:1].isupper():
        return None
    if not last[:1].isupper() or is_head_noun(normalise(last)) or last.lower() in STOP_WORDS:
        return None
    return named[0]


def _surname_core(words: Sequence[str], kinds: Sequence[str]) -> tuple[list[str], list[str]] | None:
    """'Ten Brinke', 'Van de Laar': tussenvoegsels and one surname word, else None."""
    content = [i for i, k in enumerate(kinds) if k == "content"]
    if len(content) != 1:
        return None
    i = content[0]
    j = i
    while j > 0 and kinds[j - 1] == "particle" and words[j - 1] != "&":
        j -= 1
    if j == i:
        return None
    return [w.lower() for w in words[j:i]], [words[i]]


def _content_segments(kinds: Sequence[str]) -> list[tuple[int, int]]:
    """Runs of content words (with the articles and particles inside or before them), as (start, end)."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(kinds):
        if kinds[i] in ("content", "article", "particle"):
            j = i
            while j < len(kinds) and kinds[j] in ("content", "article", "particle"):
                j += 1
            while j > i and kinds[j - 1] != "content":
                j -= 1  # trailing particles are not part of the name
            if j > i:
                out.append((i, j))
                i = j
                continue
        i += 1
    return out


def _inner_article_tail(words: Sequence[str], kinds: Sequence[str]) -> int | None:
    """Where a capitalised article inside a name starts its last, capitalised part, else None.

    'Stichting Wetenschapsknooppunt De Uitvinderij' → the index of 'De': the
    words after the article are all content words written with a capital.
    """
    for i in range(len(kinds) - 2, 0, -1):
        if kinds[i] != "article" or not words[i][:1].isupper():
            continue
        if not any(k == "content" for k in kinds[:i]):
            return None  # 'Scholengemeenschap De Ploeg': the usual distinctive part already
        rest = range(i + 1, len(kinds))
        if all(kinds[j] == "content" and words[j][:1].isupper() for j in rest):
            return i
        return None
    return None


def derived_variants(name: str, places: Iterable[str] = ()) -> set[str]:
    """Shorter forms people use for a registered name (the texts of ``derive``)."""
    return {text for text, _ in derive(name, places)}


def _worth_matching(variant: str) -> bool:
    """A derived variant must carry a distinctive word: not 'Wij', 'het' or 'gemeente'."""
    generic = (
        STOP_WORDS
        | PARTICLES
        | LEADING_TYPE_WORDS
        | TRAILING_TYPE_WORDS
        | set(ORG_KEYWORDS)
        | TYPE_WORDS
    )
    return any(len(w) >= 3 and w not in generic for w in normalise(variant).split())


def _is_generic_alias(text: str) -> bool:
    """'de gemeente', 'het ROC', 'de werf': a determiner and a common noun, not a proper name."""
    words = text.split()
    if len(words) < 2 or words[0].lower() not in ("de", "het", "'t"):
        return False
    rest = " ".join(words[1:])
    return rest.islower() or not _worth_matching(rest)


@functools.lru_cache(maxsize=1)
def _ordinary_words() -> frozenset[str]:
    """Words that are never a name on their own: spaCy's Dutch stop words and our own."""
    # lazy: spaCy loads in seconds; only detection needs its stop words
    from spacy.lang.nl.stop_words import STOP_WORDS as SPACY_STOP_WORDS

    return frozenset(SPACY_STOP_WORDS) | STOP_WORDS


def _alone_is_risky(text: str) -> bool:
    """A one-word variant that is an ordinary word or a given name is not used alone."""
    if " " in text.strip():
        return False
    return (
        text.lower() in _ordinary_words()
        or text in given_names()
        or text.capitalize() in given_names()
    )


def municipal_towns(orgs: Iterable[Organisation]) -> dict[str, str]:
    """Town → the registered municipality named after it ('Gemeente Veldhoven' → 'veldhoven').

    Only one-municipality towns: two registered gemeenten with the same town word give none.
    """
    seen: dict[str, set[str]] = {}
    for o in orgs:
        if not o.is_a(MUNICIPALITY):
            continue
        for n in o.names:
            rest = [w for w in n.split() if _clean_word(w) not in TYPE_WORDS | PARTICLES]
            if len(rest) == 1 and rest[0][:1].isupper() and len(rest) < len(n.split()):
                seen.setdefault(normalise(rest[0]), set()).add(o.id)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


@dataclass
class Variant:
    text: str  # as written
    norm: str
    organisation_id: str
    kind: str  # exact (name or alias) | variant (derived)
    origin: str = "name"  # name | alias | one of DERIVED_ORIGINS


class VariantIndex:
    """Every way the case's organisations are written.

    ``variants`` resolve on their own; ``ambiguous`` maps a derived form that
    two or more organisations share ('Noorderkwartier', 'College') to their
    ids, so a hit is kept as a candidate with the choices (or resolved by an
    earlier full mention in the same document). ``places`` are the case's
    place names, never a variant on their own.
    """

    def __init__(
        self,
        orgs: Sequence[Organisation],
        case_names: Iterable[str] = (),
        places: Iterable[str] = (),
        switched_off: Iterable[str] = (),
    ) -> None:
        self.orgs = {o.id: o for o in orgs}
        self.places = {normalise(p) for p in [*case_names, *places] if p.strip()}
        off = {normalise(s) for s in switched_off}
        self.switched_off = off
        blocked = self.places | NOT_ORGS | off
        case_keys = {normalise(c) for c in case_names}
        explicit: dict[str, set[str]] = {}
        written: dict[str, str] = {}
        for o in orgs:
            for n in o.names:
                explicit.setdefault(normalise(n), set()).add(o.id)
                written.setdefault(normalise(n), n)
        derived: dict[str, set[str]] = {}
        origins: dict[tuple[str, str], str] = {}
        self.municipal = municipal_towns(orgs)
        for o in orgs:
            for n in o.names:
                if _is_generic_alias(n):
                    continue
                for v, origin in derive(n, self.places, company=o.is_a(COMPANY)):
                    key = normalise(v)
                    if not key or key in explicit:
                        continue
                    if key in blocked and not (
                        origin == "place-school" and key not in off | NOT_ORGS | case_keys
                    ):
                        continue
                    if origin == "place-school" and key in self.municipal:
                        continue  # the town is also the registered municipality: it names that first
                    if origin not in ALWAYS_WORTH and not _worth_matching(v):
                        continue
                    if _alone_is_risky(v):
                        continue
                    if origin == "compound-head" and any(
                        f"{a} {key}" in explicit for a in ARTICLES
                    ):
                        continue  # the registry already says it with its article ('de werf')
                    derived.setdefault(key, set()).add(o.id)
                    written.setdefault(key, v)
                    origins.setdefault((key, o.id), origin)
        self.variants: list[Variant] = []
        self.ambiguous: dict[str, list[str]] = {}
        self.ambiguous_text: dict[str, str] = {}
        for key, ids in explicit.items():
            if len(ids) == 1 and key:
                oid = next(iter(ids))
                origin = "name" if normalise(self.orgs[oid].name) == key else "alias"
                self.variants.append(Variant(written[key], key, oid, "exact", origin))
        for key, ids in derived.items():
            if len(ids) == 1:
                oid = next(iter(ids))
                self.variants.append(
                    Variant(written[key], key, oid, "variant", origins[(key, oid)])
                )
            elif any(origins.get((key, i)) == "place-school" for i in ids):
                continue  # two partners in one town: the town names neither
            else:
                self.ambiguous[key] = sorted(ids, key=lambda i: self.orgs[i].name)
                self.ambiguous_text[key] = written[key]
        self.by_norm = {v.norm: v for v in self.variants}
        self.head_nouns = {
            k for (k, _), o in origins.items() if o in ("head-noun", "compound-head")
        }
        self.generic = {v.norm for v in self.variants if _is_generic_alias(v.text)}
        # Fuzzy matching only against names and distinctive parts, not initials or bare type words.
        self.fuzzy_variants = [
            v
            for v in self.variants
            if v.origin not in ("initials", "type-word", "head-noun", "compound-head")
        ]
        self.norms = [v.norm for v in self.fuzzy_variants]
        self.fuzzy_by_norm = {v.norm: v for v in self.fuzzy_variants}
        self._word_sequences = self._sequences(orgs)
        self._abbreviations: dict[str, str | None] = {}
        self.lengths = sorted({len(n) for n in self.norms})
        self.initials = {w[0] for n in self.norms for w in n.split()}

    def abbreviation(self, token: str) -> str | None:
        """The one organisation an unknown abbreviation ('WSP') can stand for, else None.

        Each word of a name (legal suffixes, articles and particles left out;
        with and without the place name and a leading legal form) gives its
        first letter, and a compound word may give more letters from inside
        ('Werkgevers|service|punt'); the abbreviation must use every word, in
        order. Only a match with a single organisation counts.
        """
        if token in self._abbreviations:
            return self._abbreviations[token]
        if normalise(token) in self.switched_off or normalise(token) in self.places:
            self._abbreviations[token] = None
            return None
        hits = {
            oid
            for oid, sequences in self._word_sequences.items()
            if any(_abbreviates(token.lower(), words) for words in sequences)
        }
        self._abbreviations[token] = next(iter(hits)) if len(hits) == 1 else None
        return self._abbreviations[token]

    def _sequences(self, orgs: Sequence[Organisation]) -> dict[str, list[list[str]]]:
        out: dict[str, list[list[str]]] = {}
        for o in orgs:
            seqs: list[list[str]] = []
            for name in o.names:
                raw = [w.strip(",;:()\"'.&") for w in LEGAL_FAMILY.sub("", name).split()]
                raw = [w for w in raw if w and w.lower() not in LEGAL_SUFFIXES]
                # 'Van Oorschot Installatietechniek' is 'VOI' as well as 'OI': a capitalised
                # tussenvoegsel at the start of a surname gives its letter too
                for keep_particles in (False, True):
                    words = [
                        w
                        for w in raw
                        if w.lower() not in PARTICLES or (keep_particles and w[:1].isupper())
                    ]
                    parts = [p for w in words for p in re.split(r"[-–]", w) if p]
                    for drop_legal in (False, True):
                        for drop_place in (False, True):
                            seq = [
                                p
                                for p in parts
                                if not (drop_legal and p.lower() in LEGAL_FORMS)
                                and not (drop_place and normalise(p) in self.places)
                            ]
                            if seq and seq not in seqs:
                                seqs.append(seq)
            out[o.id] = seqs
        return out

    def variants_of(self, org_id: str) -> list[Variant]:
        return [v for v in self.variants if v.organisation_id == org_id]

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
        from rapidfuzz import fuzz, process  # lazy: rapidfuzz: only when names are compared

        out: dict[str, tuple[Variant, float]] = {}
        todo: list[str] = []
        for q in dict.fromkeys(queries):
            if q in self.fuzzy_by_norm:
                out[q] = (self.fuzzy_by_norm[q], 100.0)
            elif len(q) >= MIN_FUZZY_LEN and q[:1] in self.initials and q not in self.ambiguous:
                todo.append(q)
        if not todo or not self.norms:
            return out
        import numpy as np  # lazy: numpy: only with rapidfuzz score matrices

        scores = np.maximum(
            process.cdist(todo, self.norms, scorer=fuzz.ratio, score_cutoff=LONG_CUT, workers=-1),
            process.cdist(
                todo, self.norms, scorer=fuzz.token_sort_ratio, score_cutoff=LONG_CUT, workers=-1
            ),
        )
        for qi, q in enumerate(todo):
            row = scores[qi]
            best_j = int(row.argmax())
            best = float(row[best_j])
            cut = LONG_CUT if len(q) >= LONG_FROM else SHORT_CUT
            if best < cut:
                continue
            variant = self.fuzzy_variants[best_j]
            if q[:1] not in {w[:1] for w in variant.norm.split()}:
                continue  # misspellings keep the first letter of some word
            rivals = [
                float(s)
                for j, s in enumerate(row)
                if s and self.fuzzy_variants[j].organisation_id != variant.organisation_id
            ]
            if rivals and max(rivals) >= best - AMBIGUITY_MARGIN:
                continue
            out[q] = (variant, best)
        return out
