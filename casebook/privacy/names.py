"""Finding person names in Dutch interview text.

Four sources, all reviewed by a person before they count: speaker labels
(``Marieke (ROC Maasdelta):``), lists of given names (Dutch and international,
see ``data/README.md``) followed by an optional surname with Dutch particles
(``Jan van der Berg``), forms of address (``mevrouw Jansen``, ``meneer De
Wit``), and context: a capitalised word in apposition to a word for a person
("onze collega Yusuf", "een van onze monteurs, Siobhan,", "Olumide, een
leerling"), which catches names no list knows. When a statistical Dutch spaCy
model is installed its PER entities are added. Sentence-initial words are only
taken when a list or the context vouches for them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from casebook.text import nlp
from casebook.text.names import given_names

PARTICLES = (
    "van der",
    "van den",
    "van de",
    "van 't",
    "in 't",
    "op de",
    "van",
    "de",
    "den",
    "der",
    "het",
    "ten",
    "ter",
    "te",
    "'t",
    "la",
    "le",
    "el",
)
TITLES = (
    "mevrouw",
    "meneer",
    "mevr.",
    "mw.",
    "dhr.",
    "de heer",
    "juf",
    "meester",
    "dr.",
    "ir.",
    "drs.",
    "mr.",
)
_UPPER_WORD = r"[A-ZÀ-Þ][a-zà-ÿ'’]+(?:-[A-ZÀ-Þa-zà-ÿ][a-zà-ÿ'’]+)*"
_PARTICLE_RE = "|".join(re.escape(p) for p in sorted(PARTICLES, key=len, reverse=True))
_SURNAME = rf"(?:(?:{_PARTICLE_RE}|{_PARTICLE_RE.title()})\s+)?{_UPPER_WORD}"
_TITLE_RE = re.compile(
    r"\b(?P<title>" + "|".join(re.escape(t) for t in TITLES) + r")\s+(?P<name>" + _SURNAME + r")",
    re.IGNORECASE,
)
_CAPITALISED_RUN = re.compile(
    rf"(?<![\w\-]){_UPPER_WORD}(?:\s+(?:(?:{_PARTICLE_RE})\s+)?{_UPPER_WORD})*"
)
_PARTICLE_WORDS = {w for p in PARTICLES for w in p.split()}

# Capitalised words that are organisations or places far more often than names.
NOT_NAMES = {
    "ROC",
    "STO",
    "Techlab",
    "Gemeente",
    "College",
    "Stichting",
    "BV",
    "Interviewer",
    "Respondent",
}


# Given names that are also everyday Dutch words: only a name when not opening a sentence.
AMBIGUOUS = {
    "Ben",
    "Roos",
    "Ton",
    "Jet",
    "Max",
    "Mark",
    "Floor",
    "Lies",
    "Els",
    "Bob",
    "Sem",
    "Kim",
}


# Words for people that introduce a name in apposition: "collega Yusuf", "mijn manager, Agnieszka".
PERSON_NOUNS = (
    "collega",
    "engineer",
    "manager",
    "leidinggevende",
    "directeur",
    "directrice",
    "docent",
    "leraar",
    "lerares",
    "juf",
    "mentor",
    "coördinator",
    "coordinator",
    "monteur",
    "technicus",
    "stagiair",
    "stagiaire",
    "leerling",
    "student",
    "studente",
    "medewerker",
    "medewerkster",
    "begeleider",
    "begeleidster",
    "coach",
    "teamleider",
    "afdelingsleider",
    "rector",
    "conrector",
    "wethouder",
    "ambtenaar",
    "adviseur",
    "projectleider",
    "programmamanager",
    "voorzitter",
    "secretaris",
    "buurman",
    "buurvrouw",
    "zoon",
    "dochter",
    "vriend",
    "vriendin",
    "opvolger",
    "opvolgster",
    "voorganger",
    "vakman",
    "instructeur",
    "praktijkbegeleider",
    "trainer",
    "eigenaar",
    "baas",
    "chef",
    "planner",
    "werkvoorbereider",
    "ontwerper",
    "ondernemer",
)
_NOUN_RE = "|".join(sorted(PERSON_NOUNS, key=len, reverse=True))
_PLURAL = r"(?:s|en|'s|n)?"
# Languages and nationalities, capitalised in Dutch without being names ("docent Nederlands").
LANGUAGE_WORDS = {
    "Nederlands",
    "Nederlandse",
    "Nederlander",
    "Engels",
    "Engelse",
    "Duits",
    "Duitse",
    "Frans",
    "Franse",
    "Spaans",
    "Spaanse",
    "Turks",
    "Turkse",
    "Arabisch",
    "Arabische",
    "Marokkaans",
    "Marokkaanse",
    "Pools",
    "Poolse",
    "Fries",
    "Friese",
    "Vlaams",
    "Vlaamse",
    "Belgisch",
    "Belgische",
    "Europees",
    "Europese",
    "Surinaams",
    "Surinaamse",
    "Antilliaans",
    "Oekraïens",
    "Oekraïense",
    "Syrisch",
}
# Capitalised words that follow a person noun without being a name: languages and school subjects.
NOT_AFTER_NOUN = LANGUAGE_WORDS | {
    "Techniek",
    "Wiskunde",
    "Economie",
    "Zorg",
    "Bouw",
    "Media",
    "Onderwijs",
}
_CONTEXT_BEFORE = re.compile(
    rf"\b(?i:{_NOUN_RE}){_PLURAL}[ \t]*,?[ \t]+(?P<name>{_UPPER_WORD}(?:[ \t]+{_UPPER_WORD})?)(?![\w\-])",
)
_CONTEXT_AFTER = re.compile(
    rf"(?<![\w\-])(?P<name>{_UPPER_WORD}),[ \t]+(?:een|de|onze|ons|mijn|zijn|haar|hun|jullie)[ \t]+"
    rf"(?:\w+[ \t]+)?(?:{_NOUN_RE}){_PLURAL}\b",
)
_SPEAKER_LINE = re.compile(
    rf"^[ \t]*(?:\[[\d:.]+\]\s*)?(?P<name>{_UPPER_WORD}(?:\s+(?:(?:{_PARTICLE_RE})\s+)?{_UPPER_WORD}){{0,3}})"
    r"(?:\s*\([^)\n]{1,60}\))?:[ \t]+(?=[A-ZÀ-Þ\"“‘'(])",
    re.MULTILINE,
)


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    # lazy: spaCy loads in seconds; only detection needs its stop words
    from spacy.lang.nl.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@dataclass(frozen=True)
class NameHit:
    start: int
    end: int
    text: str
    source: str  # given-name | title | context | speaker | model


def _sentence_starts(text: str) -> set[int]:
    starts = {0}
    for m in re.finditer(r"(?:[.!?…:]\s+|\n\s*)(?=\S)", text):
        starts.add(m.end())
    return starts


def find_names(text: str, extra_given: set[str] | None = None) -> list[NameHit]:
    """Name-like spans; overlapping hits are merged to the longest."""
    names = given_names() | (extra_given or set())
    hits: list[NameHit] = []
    for m in _TITLE_RE.finditer(text):
        hits.append(NameHit(m.start("name"), m.end("name"), m.group("name"), "title"))
    hits += _context_names(text)
    starts = _sentence_starts(text)
    for m in _CAPITALISED_RUN.finditer(text):
        run = _trim_run(m.group(0), names)
        if run is None:
            continue
        first = run.split()[0]
        if " " not in run and first in AMBIGUOUS and m.start() in starts:
            continue
        hits.append(NameHit(m.start(), m.start() + len(run), run, "given-name"))
    hits.extend(_model_names(text))
    return _merge(hits)


def _context_names(text: str) -> list[NameHit]:
    """Names introduced by the words around them, whether or not a list knows them."""
    hits: list[NameHit] = []
    labels = [m.group("name") for m in _SPEAKER_LINE.finditer(text)]
    names = given_names()
    for pattern, source in (
        (_CONTEXT_BEFORE, "context"),
        (_CONTEXT_AFTER, "context"),
        (_SPEAKER_LINE, "speaker"),
    ):
        for m in pattern.finditer(text):
            name = m.group("name")
            words = name.split()
            # A line label is a speaker when it recurs (turns) or opens with a given name;
            # "Penvoerder: Het Veenlanden College" written once is a field of a form.
            if source == "speaker" and labels.count(name) < 2 and not _is_given(words[0], names):
                continue
            if words[0] in NOT_NAMES or words[0] in NOT_AFTER_NOUN or words[0].upper() == words[0]:
                continue
            if words[0].lower() in _stop_words():  # "Ja, een docent van …" is an answer, not a name
                continue
            if source == "context" and len(words) == 2 and words[1] in NOT_AFTER_NOUN:
                name = words[0]
            hits.append(NameHit(m.start("name"), m.start("name") + len(name), name, source))
    return hits


def _is_given(word: str, names: frozenset[str] | set[str]) -> bool:
    """A given name, or a compound of given names ("Gert-Jan", "Anne-Marie")."""
    return word in names or (
        "-" in word and all(part.capitalize() in names for part in word.split("-"))
    )


def _trim_run(run: str, names: frozenset[str] | set[str]) -> str | None:
    """The person-name part of a capitalised run, or None when it does not open with a given name.

    Given names come first, then an optional particle group and a one-word
    surname: "Annelies Hekkert van Hekkert Metaaltechniek" is "Annelies Hekkert".
    """
    words = run.split()
    first = words[0]
    if first in NOT_NAMES or first.upper() == first or not _is_given(first, names):
        return None
    i = 1
    while i < len(words) and _is_given(words[i], names):
        i += 1
    j = i
    while j < len(words) and words[j].lower() in _PARTICLE_WORDS:
        j += 1
    if j < len(words) and words[j] not in NOT_NAMES:
        i = j + 1
    return " ".join(words[:i])


def capitalised_runs(text: str) -> list[NameHit]:
    """Every capitalised word run, particles included: candidates for fuzzy matching."""
    pattern = re.compile(
        rf"\b(?:(?:{_PARTICLE_RE.title()}|{_PARTICLE_RE})\s+)*{_UPPER_WORD}(?:\s+{_UPPER_WORD})*"
    )
    return [NameHit(m.start(), m.end(), m.group(0), "capitalised") for m in pattern.finditer(text)]


MODEL_CHUNK = 50_000


def _model_names(text: str) -> list[NameHit]:
    pipe = nlp.pipeline()
    if "ner" not in pipe.pipe_names:
        return []
    hits: list[NameHit] = []
    # spaCy refuses texts over its max_length, and long texts cost memory: cut at newlines.
    offset = 0
    while offset < len(text):
        end = min(len(text), offset + MODEL_CHUNK)
        if end < len(text):
            cut = text.rfind("\n", offset, end)
            end = cut + 1 if cut > offset else end
        doc = pipe(text[offset:end])
        hits += [
            NameHit(offset + e.start_char, offset + e.end_char, e.text, "model")
            for e in doc.ents
            if e.label_ in ("PER", "PERSON")
        ]
        offset = end
    return hits


def _merge(hits: list[NameHit]) -> list[NameHit]:
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    out: list[NameHit] = []
    for h in hits:
        if out and h.start < out[-1].end:
            if h.end > out[-1].end:
                prev = out[-1]
                out[-1] = NameHit(
                    prev.start, h.end, prev.text + h.text[prev.end - h.start :], prev.source
                )
            continue
        out.append(h)
    return out


def name_variants(full_name: str) -> set[str]:
    """Forms a person may be referred to by: full name, given name, surname with and without particles."""
    parts = full_name.split()
    variants = {full_name}
    if len(parts) >= 2:
        variants.add(parts[0])
        rest = " ".join(parts[1:])
        variants.add(rest)
        low = rest.lower()
        for particle in sorted(PARTICLES, key=len, reverse=True):
            if low.startswith(particle + " "):
                bare = rest[len(particle) + 1 :]
                variants.add(bare)
                variants.add(particle.capitalize() + " " + bare)
                break
    return {v for v in variants if len(v) >= 2}
