"""Telling interviews from reports and plans when the user did not say.

Importing a folder by a glob used to make every file an interview, so a
progress report became an "interview" with zero turns. Without ``--kind``
the kind now comes from, in order:

1. words in the file name (``…voortgangsrapportage…``, ``jaarverslag``,
   ``regioplan``, ``interview``), matched as whole words or as the end of a
   Dutch compound (``regio|plan``, ``voortgangs|rapportage``);
2. the content: speaker turns make an interview; no speaker labels but
   headings make a report-like document of kind ``other``;
3. otherwise ``interview``, as before.

The decision comes with a reason the import prints, and
``casebook docs set DOC --kind K`` changes it afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casebook.importers.base import ReadResult
from casebook.text import speakers

# Name words per kind (Dutch and English). A word also matches as the last
# part of a compound, when what precedes it is at least three letters.
NAME_WORDS: dict[str, tuple[str, ...]] = {
    "interview": ("interview", "gesprek", "transcript", "transcriptie", "vraaggesprek"),
    "progress_report": (
        "voortgangsrapportage", "rapportage", "rapport", "voortgangsrapport", "voortgangsverslag",
        "jaarverslag", "verslag", "report", "progress", "monitor", "monitoring",
    ),
    "plan": ("plan", "regioplan", "actieplan", "werkplan", "projectplan", "plannen", "aanvraag", "proposal"),
}  # fmt: skip
LABELS = {
    "interview": "interview",
    "progress_report": "progress report",
    "plan": "plan",
    "other": "other document",
}
MIN_HEADINGS = 2


@dataclass
class KindDecision:
    kind: str
    reason: str

    def message(self) -> str:
        return f"imported as {LABELS.get(self.kind, self.kind)}: {self.reason}"


def _name_words(name: str) -> list[str]:
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name)
    stem = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", stem)  # camelCase
    return [w.lower() for w in re.findall(r"[^\W\d_]+", stem)]


def kind_from_name(name: str) -> tuple[str, str] | None:
    """(kind, the word that says so) from a file name, or None."""
    words = _name_words(name)
    for kind in (
        "interview",
        "progress_report",
        "plan",
    ):  # an interview about a plan is an interview
        for word in words:
            for key in NAME_WORDS[kind]:
                if word == key or (word.endswith(key) and len(word) - len(key) >= 3):
                    return kind, word
    return None


def decide(name: str, result: ReadResult) -> KindDecision:
    """The kind of a document read without ``--kind``, with the reason."""
    by_name = kind_from_name(name)
    if by_name:
        return KindDecision(by_name[0], f"name says {by_name[1]}")
    texts = [b.text for b in result.blocks if b.kind != "heading" and b.text.strip()]
    if result.speakers_marked or any(b.speaker for b in result.blocks):
        return KindDecision("interview", "the file marks its speakers")
    trusted = speakers.trusted_labels(texts)
    turns = sum(1 for t in texts if (m := speakers.resolve(t, trusted)) is not None and m.label)
    if turns:
        return KindDecision("interview", f"{turns} paragraphs open with a speaker label")
    headings = sum(1 for b in result.blocks if b.kind == "heading")
    if headings >= MIN_HEADINGS:
        return KindDecision("other", f"no speaker labels, {headings} headings")
    return KindDecision("interview", "no speaker labels found; the default kind")
