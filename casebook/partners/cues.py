"""Cues in the words around a name that say which organisation (or person) is meant.

The detector's rulers find names; these small tests read what stands next to
a word: a verb after a town ('Veldhoven betaalt de bus' is the municipality),
a trade joined to 'bedrijf' ('het installatiebedrijf'), a naming verb and a
person noun before a surname ('onze docent heet ook Kuipers'), a comma after
a name's adjective ('de christelijke, die …'). Kept apart from
``casebook.partners.detection`` so that module stays about the passes; the word
lists are in ``casebook.partners.words``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from casebook.orgtypes import COMPANY
from casebook.partners.candidates import Taken
from casebook.partners.model import Organisation
from casebook.partners.variants import _ordinary_words, normalise
from casebook.partners.words import (
    ADJECTIVE_ENDINGS,
    FIRM_NOUNS,
    MUNICIPAL_ABBREVIATIONS,
    MUNICIPAL_ACTION_VERBS,
    MUNICIPAL_AUXILIARIES,
    MUNICIPAL_FILLERS,
    MUNICIPAL_OFFICES,
    MUNICIPAL_PARTICIPLES,
    NAMING_VERBS,
    PERSON_NOUNS,
    TRADE_AGENTS,
)

NEXT_CAPITAL = re.compile(r"[ \t]+[A-ZÀ-Þ]")
DEFINITE_BEFORE = re.compile(r"(?<![\w-])(?:het|de|'t|’t)\s+$", re.I)
# a definite article or a demonstrative pointing back ('dat lab', 'die kring')
HEAD_DETERMINER_BEFORE = re.compile(r"(?<![\w-])(?:het|de|'t|’t|dat|die|dit|deze)\s+$", re.I)
VAN_AFTER = re.compile(r"\s+van\s", re.I)
_PREPOSITION_BEFORE = re.compile(
    r"(?<![\w-])(?:in|uit|naar|bij|van|te|op|aan|rond|om|buiten|binnen|door|via|voor|richting)\s+$",
    re.I,
)
# the firm noun is searched first (a literal is fast to find), the trade in front of it after
_FIRM_NOUN_RE = re.compile(rf"(?:{'|'.join(sorted(FIRM_NOUNS, key=len, reverse=True))})(?![\w-])")
_TRADE_BEFORE = re.compile(r"(?<![\w-])[a-zà-ÿ]{5,}$")
_NAMING_RE = re.compile(rf"(?<![\w-])(?:{'|'.join(sorted(NAMING_VERBS))})(?![\w-])", re.I)
_OFFICE_BEFORE = re.compile(
    rf"(?<![\w-])(?:{'|'.join(sorted(MUNICIPAL_OFFICES))})"
    r"(?:\s+(?-i:[A-ZÀ-Þ][\w'’-]*)|\s+(?:de|van|der|den|ter|ten))*\s+van\s+$",
    re.I,
)  # 'de wethouder van Veldhoven', 'wethouder Froukje de Boer van Veldhoven'
_AGENT_RE = re.compile(rf"(?<![\w-])(?:{'|'.join(sorted(TRADE_AGENTS))})(?![\w-])")
_CLAUSE_END_AFTER = re.compile(r"[ \t]*(?:[,.;:!?)]|$)", re.M)


def municipal_pattern(municipal: dict[str, str]) -> re.Pattern[str]:
    """A town of a registered municipality and the one or two lowercase words after it."""
    # written with a capital: 'veldhoven' in lowercase is not taken for the municipality
    towns = "|".join(
        sorted((re.escape(t[:1].upper() + t[1:]) for t in municipal), key=len, reverse=True)
    )
    if not towns:
        return re.compile(r"(?!)")
    # no look-behind in front, so the search can jump to the literal town names (checked in the caller)
    return re.compile(rf"({towns})(?![\w-])(?:[ \t]+([a-zà-ÿ]+)(?:[ \t]+([a-zà-ÿ]+))?)?")


def municipal_subjects(
    text: str, taken: Taken, pattern: re.Pattern[str], municipal: dict[str, str]
) -> list[tuple[int, int, str]]:
    """'Veldhoven betaalt de bus': a town that acts is its registered municipality.

    The town must be the one word of a registered gemeente's name
    ('Gemeente Veldhoven'), be written with a capital, not follow a
    preposition ('in Veldhoven') and be followed by a verb of what a
    municipality does (``MUNICIPAL_ACTION_VERBS``), possibly after a filler
    ('zelf', 'ook'). 'Veldhoven ligt aan de rivier' stays the town. An office
    of the municipality before it says the same ('de wethouder van Veldhoven').
    Returns (start, end, organisation id).
    """
    out: list[tuple[int, int, str]] = []
    if not municipal:
        return out
    for m in pattern.finditer(text):
        town, nxt, after = m.group(1), (m.group(2) or "").lower(), (m.group(3) or "").lower()
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-_"):
            continue  # inside a longer word ('Oud-Veldhoven', 'Groot…')
        org_id = municipal.get(normalise(town))
        if org_id is None or not town[:1].isupper() or not taken.free(m.start(1), m.end(1)):
            continue
        before = text[max(0, m.start() - 12) : m.start()]
        if _OFFICE_BEFORE.search(text, max(0, m.start() - 60), m.start()):
            out.append((m.start(1), m.end(1), org_id))  # 'de wethouder van Veldhoven'
            continue
        short = _ABBREVIATED_TYPE.search(before)
        if short:
            # 'gem. Veldhoven': the type word abbreviated, the whole is the name
            out.append((m.start(1) - len(short.group(0)), m.end(1), org_id))
            continue
        if _TOGETHER_BEFORE.search(before) or _IS_MUNICIPALITY_AFTER.match(text, m.end(1)):
            out.append((m.start(1), m.end(1), org_id))  # 'samen met X', 'X is een kleine gemeente'
            continue
        if not (
            nxt in MUNICIPAL_ACTION_VERBS
            or (nxt in MUNICIPAL_FILLERS and after in MUNICIPAL_ACTION_VERBS)
            or _inverted_verb(before)
            or (nxt in MUNICIPAL_AUXILIARIES and _participle_follows(text, m.end(2)))
            or (_SUBORDINATOR_BEFORE.search(before) and _action_ends_clause(text, m.end(1)))
        ):
            continue
        if _PREPOSITION_BEFORE.search(before):
            continue  # 'in Veldhoven betaalt men …': the place
        out.append((m.start(1), m.end(1), org_id))
    return out


# one works together with an organisation, not a place; a town said to be a gemeente is one
_TOGETHER_BEFORE = re.compile(r"(?<![\w-])samen\s+met\s+$", re.I)
_IS_MUNICIPALITY_AFTER = re.compile(
    r"\s+(?:is|was)\s+(?:een|de)\s+(?:[a-zà-ÿ]+\s+){0,2}[a-zà-ÿ]*gemeente(?![\w-])"
)


# 'Dat betaalt Veldhoven.', 'daarom vond Veldhoven …': the verb before its subject, after a word that
# opens a main clause (the town right after the verb is then its subject, not its object)
_INVERTED = re.compile(
    r"(?:^|[.!?:;]\s+|\n)(?:dat|dit|dan|daarom|toen|nu|ook|die|alles|de rest|het)\s+(?P<verb>[a-zà-ÿ]+)\s+$",
    re.I,
)


# 'meldt dat Veldhove ook in 2022 een derde betaalt': in a subordinate clause the subject comes
# right after the conjunction and the verb closes the clause
_SUBORDINATOR_BEFORE = re.compile(r"(?<![\w-])(?:dat|omdat|zodat|als|of|wanneer|doordat)\s+$", re.I)


def _action_ends_clause(text: str, pos: int) -> bool:
    """A municipal verb or participle among the last words of the clause after ``pos``."""
    clause = re.split(r"[.;:!?,\n]", text[pos : pos + 120], maxsplit=1)[0]
    words = re.findall(r"[a-zà-ÿë-ï]+", clause.lower())[-2:]
    return any(w in MUNICIPAL_ACTION_VERBS or w in MUNICIPAL_PARTICIPLES for w in words)


def _participle_follows(text: str, pos: int) -> bool:
    """A municipal participle within the clause after the auxiliary ('heeft … al toegezegd')."""
    clause = re.split(r"[.;:!?,\n]", text[pos : pos + 80], maxsplit=1)[0]
    return any(w in MUNICIPAL_PARTICIPLES for w in re.findall(r"[a-zà-ÿë-ï]+", clause.lower()))


def _inverted_verb(before: str) -> bool:
    m = _INVERTED.search(before)
    return bool(m and m.group("verb").lower() in MUNICIPAL_ACTION_VERBS)


_ABBREVIATED_TYPE = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in MUNICIPAL_ABBREVIATIONS) + r")\s?$",
    re.I,
)


def business_words(orgs: Iterable[Organisation]) -> list[tuple[str, str]]:
    """(company, a lowercase word of its name) for every registered company: the trades it names."""
    out: list[tuple[str, str]] = []
    for org in orgs:
        if not org.is_a(COMPANY):
            continue
        for w in org.name.split():
            lw = w.strip(",;:()\"'").lower()
            if lw.isalpha() and len(lw) >= 8:
                out.append((org.id, lw))
    return out


def kinds_of_business(
    text: str, taken: Taken, words: list[tuple[str, str]]
) -> list[tuple[int, int, str]]:
    """'het installatiebedrijf' for *Installatietechniek Veld B.V.*: the kind of business, said another way.

    After a definite article or a demonstrative, a lowercase compound of a
    trade (five letters or more) and a noun for one firm ('…bedrijf',
    '…fabriek'; ``FIRM_NOUNS``) names the one registered company whose name
    has a word starting with that trade ('installatie|techniek',
    'metaal|bewerking'). Two companies in the same trade: neither. The one
    who practises the trade, after a definite article, names the firm too
    ('de installateur'; ``TRADE_AGENTS``).
    Returns (start, end, organisation id).
    """
    out: list[tuple[int, int, str]] = []
    if not words:
        return out
    for m in _FIRM_NOUN_RE.finditer(text):
        trade = _TRADE_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if trade is None:
            continue
        start, end, front = trade.start(), m.end(), trade.group(0)
        if not taken.free(start, end) or not HEAD_DETERMINER_BEFORE.search(
            text, max(0, start - 6), start
        ):
            continue
        if NEXT_CAPITAL.match(text, end) or VAN_AFTER.match(text, end):
            continue  # 'het installatiebedrijf Klomp', 'het installatiebedrijf van mijn zwager'
        fits = {
            oid for oid, word in words if word.startswith(front) and len(word) >= len(front) + 3
        }
        if len(fits) == 1:
            out.append((start, end, fits.pop()))
    agents = any(a in text for a in TRADE_AGENTS)  # a substring test is much faster than the scan
    for m in _AGENT_RE.finditer(text) if agents else ():
        # 'de installateur' for *Installatiebedrijf …*: the one who practises the trade, for the firm
        start, end, front = m.start(), m.end(), TRADE_AGENTS[m.group(0)]
        if not taken.free(start, end) or not DEFINITE_BEFORE.search(text, max(0, start - 6), start):
            continue
        if NEXT_CAPITAL.match(text, end) or VAN_AFTER.match(text, end):
            continue  # 'de installateur Klomp', 'de installateur van de school'
        fits = {oid for oid, word in words if word.startswith(front)}
        if len(fits) == 1:
            out.append((start, end, fits.pop()))
    return out


def nominal_adjective(text: str, start: int, end: int, key: str, origin: str) -> bool:
    """'de christelijke, die zit hier om de hoek': an adjective of a name, used as the name.

    A one-word distinctive form that is an adjective (``ADJECTIVE_ENDINGS``),
    typed in lowercase right after 'de' or 'het' and followed by a comma or the
    end of the sentence: nothing follows for it to describe, so it stands for
    the school it starts the name of ('Christelijke Scholengemeenschap …').
    'de christelijke scholen' describes scholen and is left alone.
    """
    return (
        origin in ("distinctive", "distinctive-bare")
        and " " not in key
        and key.endswith(ADJECTIVE_ENDINGS)
        and DEFINITE_BEFORE.search(text, max(0, start - 6), start) is not None
        and _CLAUSE_END_AFTER.match(text, end) is not None
    )


_WORD_AFTER = re.compile(r" ([a-zà-þ]{3,})\b")


def attributive_adjective(text: str, end: int, key: str, origin: str) -> bool:
    """'Maritieme techniek', 'keuzevak Christelijke ethiek': a name's adjective describing a noun.

    The counterpart of ``nominal_adjective``: a one-word distinctive form that
    is an adjective, written with a capital and followed directly by a
    lowercase word that is not a function word, describes that word (a
    subject, a programme) instead of standing for the organisation.
    """
    if origin not in ("distinctive", "distinctive-bare") or " " in key:
        return False
    if not key.endswith(ADJECTIVE_ENDINGS):
        return False
    m = _WORD_AFTER.match(text, end)
    return m is not None and m.group(1) not in _ordinary_words()


def named_person(text: str, pos: int) -> bool:
    """'Onze techniekdocent heet toevallig ook Kuipers': the clause names a person by this surname.

    A naming verb ('heet', 'genaamd') and a noun for a person (ending in
    'docent', 'juf', 'collega', …) in the clause before the word, within
    twelve words.
    """
    if not _NAMING_RE.search(text, max(0, pos - 100), pos):
        return False
    clause = re.split(r"[.;:!?,\n]", text[max(0, pos - 100) : pos])[-1]
    words = [w.lower() for w in re.findall(r"\w+", clause)][-12:]
    return any(w in NAMING_VERBS for w in words) and any(
        w.endswith(PERSON_NOUNS) for w in words if w not in NAMING_VERBS
    )


def is_capitalised(text: str) -> bool:
    """False for transcripts typed all in lowercase, where case says nothing."""
    sample = text[:20000]
    letters = sum(map(str.isalpha, sample))
    upper = sum(map(str.isupper, sample))
    return letters == 0 or upper / letters > 0.005


# What opens a line before its text: a chat export's '[17-01-22 08:12] Name:', a label, a bullet.
_LINE_OPENING = re.compile(
    r"[ \t]*(?:\[[^\]\n]{1,30}\][ \t]*)?(?:[^:\n.?!]{1,40}:[ \t]+|[-•*>][ \t]+)?"
)
_SENTENCE_OPENS = re.compile(r"[.!?][ \t]+(\w)")


def typed_in_lowercase(text: str, pos: int) -> bool:
    """A chat line or a quick note typed without capitals ('ik kom langs barnebroek').

    Such a writer types names in lowercase too, while the document around it
    (labels, headings, other writers) is capitalised. The line must start
    after a finished line (not a wrapped sentence) or after a label or
    bullet, and every sentence in it must open in lowercase.
    """
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    line = text[a : b if b >= 0 else len(text)]
    opening = _LINE_OPENING.match(line)
    body = line[opening.end() if opening else 0 :]
    before = text[: max(0, a - 1)].rstrip(" \t").rsplit("\n", 1)[-1]
    if not (opening and opening.end()) and before and before[-1:] not in ".!?:":
        return False  # a sentence wrapped onto this line: its start is on the line before
    opens = [body[:1], *_SENTENCE_OPENS.findall(body)]
    letters = [c for c in opens if c.isalpha()]
    return bool(letters) and all(c.islower() for c in letters)
