"""Finding speaker labels at the start of transcript paragraphs.

Transcription services and researchers write turns in many ways:
``I: ...``, ``Interviewer: ...``, ``Marieke (ROC Maasdelta): ...``,
``[id1] ...``, ``JUSTICE BREYER: ...``, ``[00:12:31] R: ...``, or a line
``Jan de Vries   0:03`` above the spoken text (Teams). Reports use the same
shape for lead-ins (``Conclusie: ...``, ``Let op: ...``), so a candidate must
look like a name or role, and is only trusted when it is a known generic
label or recurs in the document. Only the start of a paragraph is examined,
so a time like ``om 10:30 uur`` inside a sentence is never taken for a label.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIME_ONLY = re.compile(rf"^{_TIME}$")
_BRACKET_TIME = re.compile(rf"^\s*(?:\[(?P<a>{_TIME})\]|\((?P<b>{_TIME})\))\s*(?:[-–—]\s*)?")
_BARE_TIME = re.compile(rf"^\s*(?P<time>{_TIME})(?=\s|$)\s*(?:[-–—]\s*)?")
# A clock time in running text, not a recording position.
_CLOCK_WORD = re.compile(r"^(?:uur|u\b|u\.|h\b|hr|am\b|pm\b|a\.m|p\.m|tot\b|en\b|[-–]\s*\d)", re.I)
_ID_TAG = re.compile(r"^\[(?P<label>[A-Za-z]{1,3}\d{1,3}|[A-Za-z]{1,4}\.?)\]\s*:?\s*")
_LABEL = re.compile(
    r"^(?P<label>[^:()\[\]\n]{1,60}?)\s*"
    r"(?:\((?P<org>[^()\n]{1,80})\)\s*)?"
    rf"(?:[\[(](?P<time>{_TIME})[\])]\s*)?"
    r":(?=\s|$)\s*"
)
_NAME_TIME_LINE = re.compile(
    rf"^(?P<label>[^:()\[\]\n\d]{{1,48}}?)\s+[\[(]?(?P<time>{_TIME})[\])]?\s*$"
)

INTERVIEWER_LABELS = {
    "i",
    "int",
    "interviewer",
    "interviewster",
    "onderzoeker",
    "q",
    "v",
    "vraag",
    "question",
    "moderator",
    "mod",
    "gespreksleider",
}
RESPONDENT_LABELS = {
    "r",
    "resp",
    "respondent",
    "geïnterviewde",
    "geinterviewde",
    "interviewee",
    "a",
    "antwoord",
    "answer",
    "deelnemer",
    "participant",
}
# Speaker names with no role, used by transcription services.
NEUTRAL_LABELS = {"spreker", "speaker", "sprek", "persoon", "person", "p", "s", "id"}
GENERIC_LABELS = INTERVIEWER_LABELS | RESPONDENT_LABELS

# Words that open a paragraph with a colon in reports and notes but never
# name a speaker, even when they recur.
NOT_LABELS = {
    # Dutch lead-ins
    "let op", "let wel", "conclusie", "conclusies", "noot", "nb", "n.b", "opmerking",
    "opmerkingen", "tip", "tips", "voorbeeld", "voorbeelden", "bijvoorbeeld", "bron", "bronnen",
    "zie", "doel", "doelen", "doelstelling", "doelstellingen", "resultaat", "resultaten", "actie",
    "acties", "actiepunt", "actiepunten", "datum", "tijd", "tijdstip", "locatie", "plaats",
    "onderwerp", "aanwezig", "aanwezigen", "afwezig", "samenvatting", "toelichting", "kortom",
    "dus", "namelijk", "waarschuwing", "belangrijk", "advies", "aanbeveling", "aanbevelingen",
    "definitie", "thema", "thema's", "status", "planning", "budget", "kosten", "totaal",
    "subtotaal", "stap", "fase", "bijlage", "tabel", "figuur", "hoofdstuk", "paragraaf",
    "pagina", "titel", "auteur", "versie", "contact", "telefoon", "tel", "adres", "activiteit",
    "activiteiten", "knelpunt", "knelpunten", "succesfactor", "succesfactoren", "aanpak",
    "ambitie", "ambities", "doelgroep", "doelgroepen", "partners", "opbrengst", "opbrengsten",
    "evaluatie", "vervolg", "vervolgstappen", "context", "achtergrond", "aanleiding", "inleiding",
    "methode", "analyse", "reflectie", "leerpunten", "risico", "risico's", "maatregel",
    "maatregelen", "borging", "monitoring", "samenwerking", "betrokkenen", "deelnemers",
    "stakeholders", "indicator", "indicatoren", "ps", "p.s", "ook", "maar", "en", "of", "want",
    "omdat", "wel", "niet", "ja", "nee", "hier", "daar", "aan", "van", "verzonden", "cc", "bcc",
    "vmbo", "mbo", "hbo", "po", "vo", "wo", "roc", "bedrijfsleven", "gemeente", "gemeenten",
    # English lead-ins
    "note", "notes", "conclusion", "summary", "example", "source", "warning", "important",
    "date", "time", "location", "subject", "present", "absent", "step", "phase", "table",
    "figure", "chapter", "page", "title", "author", "version", "from", "to", "sent", "re", "fw",
    "e.g", "i.e", "website", "e-mail", "email", "mail", "fax", "www", "http", "https", "ftp",
    "mailto", "file", "tel.", "appearances", "proceedings", "contents", "index", "petitioner",
    "question presented", "argument", "rebuttal",
}  # fmt: skip
_HONORIFICS = {"dhr", "mevr", "mw", "mr", "mrs", "ms", "dr", "drs", "ir", "ing", "prof", "mej"}
_PARTICLES = {
    "van", "de", "der", "den", "het", "'t", "’t", "ter", "ten", "te", "la", "le", "du", "da",
    "di", "del", "von", "zu", "el", "al", "bin", "y", "e", "do", "dos", "das",
}  # fmt: skip


@dataclass
class LabelMatch:
    label: str | None
    organisation: str | None
    time: float | None
    body_start: int  # index in the paragraph where the spoken text begins


def parse_time(value: str) -> float:
    parts = value.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


@functools.lru_cache(maxsize=8192)  # labels repeat on every turn of a long transcript
def label_key(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip().rstrip(".:").lower())


def _base_key(key: str) -> str:
    """``respondent 2`` -> ``respondent``, ``r1`` -> ``r``."""
    return re.sub(r"\s*\d{1,3}$", "", key).rstrip(".")


def is_generic(label: str) -> bool:
    key = label_key(label)
    base = _base_key(key)
    return key in GENERIC_LABELS or (base != key and base in GENERIC_LABELS | NEUTRAL_LABELS)


def _is_id_tag(key: str) -> bool:
    return re.fullmatch(r"[a-z]{1,3}\d{1,3}", key) is not None or key in GENERIC_LABELS


@functools.lru_cache(maxsize=8192)
def looks_like_label(label: str) -> bool:
    """Can this text name a speaker (a person, a role or a generic tag)?"""
    label = label.strip()
    if not label or len(label) > 48 or re.search(r"[/@\\=<>{}|#%&*+\"“”?!;,]", label):
        return False
    key = label_key(label)
    if key in NOT_LABELS or _base_key(key) in NOT_LABELS - GENERIC_LABELS:
        return False
    if is_generic(label):
        return True
    words = label.split()
    if len(words) > 5:
        return False
    if all(re.fullmatch(r"[A-ZÀ-Þ][A-ZÀ-Þ.'’\-]*", w) for w in words):
        return len(label) > 1 or label in {"I", "R", "Q", "A", "V"}
    first = words[0]
    if not (first[0].isupper() or first.lower().rstrip(".") in _HONORIFICS):
        return False
    for i, word in enumerate(words):
        if re.fullmatch(r"\d{1,3}", word):
            if i != len(words) - 1:
                return False
            continue
        if not re.fullmatch(r"[^\W\d_][\w'’.\-]*", word) or re.search(r"\d", word):
            return False
        if i and not (
            word[0].isupper() or word.lower() in _PARTICLES or re.fullmatch(r"\w\.", word)
        ):
            return False
    return True


def _time_at_start(paragraph: str) -> tuple[float | None, int]:
    """A recording position that opens the paragraph, and where the rest begins.

    Bracketed times and ``h:mm:ss`` always count; a bare ``mm:ss`` only when a
    label follows, so ``10:30 uur begon ...`` keeps its clock time.
    """
    m = _BRACKET_TIME.match(paragraph)
    if m:
        return parse_time(m.group("a") or m.group("b")), m.end()
    m = _BARE_TIME.match(paragraph)
    if not m:
        return None, 0
    rest = paragraph[m.end() :]
    if _CLOCK_WORD.match(rest):
        return None, 0
    value = m.group("time")
    if value.count(":") == 2 or _label_at(rest) is not None or not rest.strip():
        return parse_time(value), m.end()
    return None, 0


def _label_at(rest: str) -> tuple[str, str | None, str | None, int] | None:
    """(label, organisation, time text, length) of a label opening ``rest``."""
    m = _ID_TAG.match(rest)
    if m and _is_id_tag(label_key(m.group("label"))):
        return m.group("label"), None, None, m.end()
    m = _LABEL.match(rest)
    if m:
        label = m.group("label").strip()
        org = m.group("org")
        time = m.group("time")
        if org and _TIME_ONLY.match(org.strip()) and not time:
            time = org.strip()
            org = None
        if looks_like_label(label):
            org = org.strip() if org else None
            if org and label_key(org) in GENERIC_LABELS:
                # "Sanne (interviewer):" names a role, not an organisation
                label, org = f"{label} ({org})", None
            return label, org, time, m.end()
        return None
    m = _NAME_TIME_LINE.match(rest)
    if m and looks_like_label(m.group("label")):
        return m.group("label").strip(), None, m.group("time"), m.end()
    return None


def match_label(paragraph: str) -> LabelMatch | None:
    """A possible label at the start of a paragraph (not yet trusted).

    The label is ``None`` when only a recording time opens the paragraph.
    """
    time, pos = _time_at_start(paragraph)
    found = _label_at(paragraph[pos:])
    if found:
        label, org, label_time, length = found
        if label_time and time is None:
            time = parse_time(label_time)
        return LabelMatch(label, org, time, pos + length)
    if time is not None:
        return LabelMatch(None, None, time, pos)
    return None


def _is_caps(label: str) -> bool:
    return len(label) > 1 and label.upper() == label and any(ch.isalpha() for ch in label)


def trusted_labels(paragraphs: Iterable[str]) -> set[str]:
    """Label keys the document's own conventions vouch for.

    Generic labels and id tags count at once; a name counts when it opens at
    least two paragraphs. A name seen once still counts when the document
    clearly writes turns that way: capital labels when two or more paragraphs
    open with one (court transcripts), or a one-off name beside at least two
    recurring names (a focus group member who spoke once).
    """
    return trusted_from_matches(match_label(p) for p in paragraphs)


def trusted_from_matches(matches: Iterable[LabelMatch | None]) -> set[str]:
    """``trusted_labels`` from labels already matched (each paragraph read once)."""
    counts: Counter[str] = Counter()
    caps: set[str] = set()
    n_caps = 0
    for m in matches:
        if m and m.label:
            key = label_key(m.label)
            counts[key] += 1
            if _is_caps(m.label) and not is_generic(key):
                caps.add(key)
                n_caps += 1
    trusted = {k for k, n in counts.items() if n >= 2 or is_generic(k) or _is_id_tag(k)}
    if n_caps >= 2:
        trusted |= caps
    if len([k for k in trusted if counts[k] >= 2 and not is_generic(k)]) >= 2:
        trusted |= set(counts)
    return trusted


def resolve(paragraph: str, trusted: set[str]) -> LabelMatch | None:
    """The trusted label (or bare recording time) that opens a paragraph.

    An untrusted label is left in the text, but a time before it still
    counts as the turn's time.
    """
    return resolve_match(paragraph, match_label(paragraph), trusted)


def resolve_match(paragraph: str, m: LabelMatch | None, trusted: set[str]) -> LabelMatch | None:
    """``resolve`` for a paragraph whose ``match_label`` is already known."""
    if m is None or m.label is None or label_key(m.label) in trusted:
        return m
    time, pos = _time_at_start(paragraph)
    return LabelMatch(None, None, time, pos) if time is not None else None


def bracket_is_role(text: str, document_role: str | None = None) -> bool:
    """Does ``X`` in ``Respondent (X):`` name the speaker's role rather than an organisation?

    Organisations are proper names and are capitalised (``ROC Maasdelta``,
    ``Gemeente Lindeveen``); roles are written in lower case (``mbo``,
    ``docent techniek``), or are the document's own role in any case.
    """
    text = " ".join(text.split())
    if document_role and label_key(text) == label_key(document_role):
        return True
    return (
        any(ch.isalpha() for ch in text)
        and text == text.lower()
        and len(text.split()) <= 3
        and not _TIME_ONLY.match(text)
    )


def _initials(name: str) -> set[str]:
    words = re.findall(r"[^\W\d_][\w'’\-]*", name)
    if len(words) < 2:
        return set()
    caps = "".join(w[0] for w in words if w[0].isupper()).lower()
    every = "".join(w[0] for w in words).lower()
    return {x for x in (caps, every) if len(x) >= 2}


def speaker_kind(label: str, interviewer: str | None, question_share: dict[str, float]) -> str:
    """Interviewer or respondent for one label.

    Generic labels decide by name; a label matching the document's interviewer
    (full name, a first or last name, or initials) is the interviewer;
    otherwise the speaker whose turns are most often questions is taken for
    the interviewer.
    """
    key = label_key(label)
    role = re.search(r"\(([^()]+)\)$", key)
    if role and role.group(1).strip() in GENERIC_LABELS:
        key = role.group(1).strip()
    base = _base_key(key)
    if key in INTERVIEWER_LABELS or base in INTERVIEWER_LABELS:
        return "interviewer"
    if key in RESPONDENT_LABELS or base in RESPONDENT_LABELS:
        return "respondent"
    if interviewer:
        ikey = label_key(interviewer)
        names = {ikey, *(w for w in ikey.split() if len(w) > 2 and w not in _PARTICLES)}
        if (
            key in names
            or ikey.endswith(" " + key)
            or key.replace(".", "") in _initials(interviewer)
        ):
            return "interviewer"
        return "respondent"
    if question_share:
        asker = max(question_share, key=lambda k: question_share[k])
        if key == asker and question_share[asker] >= 0.4 and len(question_share) > 1:
            return "interviewer"
    return "respondent"


def as_label(text: str) -> LabelMatch | None:
    """``text`` read as nothing but a label (a table cell or a bold run).

    Accepts ``Jan``, ``Jan:``, ``Marieke (ROC Maasdelta)``, ``Jan 00:01:02``
    or ``[00:01:02] I``; returns None when anything else is in it.
    """
    text = " ".join(text.split()).rstrip(":").strip()
    if not text:
        return None
    for candidate in (text, text + ":"):
        m = match_label(candidate)
        if m and m.label and m.body_start >= len(candidate.rstrip()):
            return m
    return None


def is_time(text: str) -> bool:
    return _TIME_ONLY.match(text.strip()) is not None
