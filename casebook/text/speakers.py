"""Finding speaker labels at the start of transcript paragraphs.

Transcription services and researchers write turns in many ways:
``I: ...``, ``Interviewer: ...``, ``Marieke (ROC Maasdelta): ...``,
``[id1] ...``, ``JUSTICE BREYER: ...``, ``[00:12:31] R: ...``. A label is
only trusted when it is a known generic label or recurs in the document, so a
sentence like ``Conclusie: ...`` written once is not taken for a speaker.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIME_RE = re.compile(rf"^\s*[\[(]?(?P<time>{_TIME})[\])]?\s*[-–]?\s*")
_ID_TAG_RE = re.compile(r"^\s*\[(?P<label>id\d+|[A-Za-z]{1,3}\d{0,3})\]\s*:?\s*")
# A label: up to five words (letters, dots, hyphens, apostrophes), optionally
# followed by "(organisation)", then a colon.
_LABEL_RE = re.compile(
    r"^\s*(?P<label>(?:[A-ZÀ-Þ][\w'’.\-]*|[a-z]{1,3}\.?|van|de|der|den|het|ter|ten)"
    r"(?:\s+(?:[\w'’.\-]+)){0,4}?)"
    r"(?:\s*\((?P<org>[^()]{1,80})\))?"
    rf"(?:\s*[\[(](?P<time>{_TIME})[\])])?"
    r"\s*:\s*"
)
_CAPS_LABEL_RE = re.compile(r"^\s*(?P<label>(?:[A-Z][A-Z.'’\-]+)(?:\s+[A-Z][A-Z.'’\-]+){0,3})\s*:\s*")

INTERVIEWER_LABELS = {
    "i",
    "int",
    "int.",
    "interviewer",
    "interviewster",
    "onderzoeker",
    "q",
    "v",
    "vraag",
    "question",
    "moderator",
    "mod",
}
RESPONDENT_LABELS = {
    "r",
    "resp",
    "resp.",
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
GENERIC_LABELS = INTERVIEWER_LABELS | RESPONDENT_LABELS


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


def match_label(paragraph: str) -> LabelMatch | None:
    """A possible label at the start of a paragraph (not yet trusted)."""
    pos = 0
    time: float | None = None
    m = _TIME_RE.match(paragraph)
    if m:
        time = parse_time(m.group("time"))
        pos = m.end()
    rest = paragraph[pos:]
    for regex in (_ID_TAG_RE, _CAPS_LABEL_RE, _LABEL_RE):
        m = regex.match(rest)
        if m:
            label = m.group("label").strip()
            if len(label) > 48 or label.endswith(("http", "https")):
                continue
            org = m.groupdict().get("org")
            t = m.groupdict().get("time")
            if t and time is None:
                time = parse_time(t)
            return LabelMatch(label, org.strip() if org else None, time, pos + m.end())
    if time is not None:
        return LabelMatch(None, None, time, pos)
    return None


def label_key(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip().rstrip(".").lower())


def trusted_labels(paragraphs: list[str]) -> set[str]:
    """Labels that are generic or occur at least twice in the document."""
    counts: Counter[str] = Counter()
    for p in paragraphs:
        m = match_label(p)
        if m and m.label:
            counts[label_key(m.label)] += 1
    return {k for k, n in counts.items() if n >= 2 or k in GENERIC_LABELS or k.startswith("id")}


def speaker_kind(label: str, interviewer: str | None, question_share: dict[str, float]) -> str:
    """Interviewer or respondent for one label.

    Generic labels decide by name; a label matching the document's interviewer
    is the interviewer; otherwise the speaker whose turns are most often
    questions is taken for the interviewer.
    """
    key = label_key(label)
    if key in INTERVIEWER_LABELS:
        return "interviewer"
    if key in RESPONDENT_LABELS:
        return "respondent"
    if interviewer and (
        key == label_key(interviewer) or key in label_key(interviewer).split()
    ):
        return "interviewer"
    if interviewer:
        return "respondent"
    if question_share:
        asker = max(question_share, key=lambda k: question_share[k])
        if key == asker and question_share[asker] >= 0.4 and len(question_share) > 1:
            return "interviewer"
    return "respondent"
