"""Who wrote each mail of an e-mail thread, read from its header and signature.

A thread pasted into a document has no speaker labels, yet every mail has a
writer who says 'wij' for their own organisation. The writer's organisation
is where people put it: on the sender line ('Van: Harm Vonk (Vonk B.V.)')
or in the signature under the closing ('Groet, Harm / Harm Vonk / directeur /
Installatiebedrijf Vonk'). Pure functions over the text and the resolved
mentions; links.py turns the result into speaker spans.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# A header line that opens a mail, in Dutch or English mail clients.
_SENDER = re.compile(r"^[ \t]*(?:van|from|afzender)[ \t]*:[ \t]*\S[^\n]*$", re.I | re.M)
_HEADER = re.compile(
    r"^[ \t]*(?:aan|to|cc|bcc|datum|date|verzonden|sent|onderwerp|subject|van|from)[ \t]*:",
    re.I,
)
_QUOTED = re.compile(r"^[ \t]*>")
# The words a mail is signed off with; the signature runs from there to the end of the mail.
_CLOSING = re.compile(
    r"^[ \t]*(?:(?:met\s+)?(?:vriendelijke|hartelijke|beste|warme)\s+groet(?:en)?|groet(?:en|jes)?|"
    r"gr\.?|mvg|m\.v\.g\.?|hgr|kind\s+regards|best\s+regards|regards|best|cheers|dank\s+en\s+groet)"
    r"\b[^\n]{0,30}$",
    re.I | re.M,
)
SIGNATURE_LINES = 6  # without a closing word, the last lines of a mail are its signature


@dataclass(frozen=True)
class Mail:
    start: int  # the sender line
    end: int  # the next mail's sender line, or the end of the text
    sender: tuple[int, int]  # the sender line itself
    signature: tuple[int, int]  # where the signature is looked for


def mails(text: str) -> list[Mail]:
    """The mails of a thread, in order; none when the text is not one (fewer than two senders)."""
    starts = [m for m in _SENDER.finditer(text) if _in_header(text, m.start())]
    if len(starts) < 2:
        return []
    out: list[Mail] = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        out.append(Mail(m.start(), end, (m.start(), m.end()), _signature(text, m.end(), end)))
    return out


def _in_header(text: str, pos: int) -> bool:
    """A sender line sits in a block of header lines (Aan:, Datum:, Onderwerp: …)."""
    lines = text[pos:].split("\n", 4)[1:4]
    before = text[:pos].rstrip("\n").rsplit("\n", 3)[-3:]
    return any(_HEADER.match(line) for line in [*lines, *before] if line.strip())


def _signature(text: str, body: int, end: int) -> tuple[int, int]:
    """From the last closing line (or the last few written lines) to the first quoted line after it."""
    lines: list[tuple[int, int]] = []
    pos = body
    for line in text[body:end].split("\n"):
        if _QUOTED.match(line):
            if lines:
                break  # the quoted earlier mail below the signature is not this writer's
        elif line.strip():
            lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    if not lines:
        return (body, body)
    closing = [i for i, (a, b) in enumerate(lines) if _CLOSING.match(text, a, b)]
    first = closing[-1] if closing else max(0, len(lines) - SIGNATURE_LINES)
    return (lines[first][0], lines[-1][1])


def sender_organisations(
    text: str, mentions: Sequence[tuple[int, str]]
) -> list[tuple[int, int, str]]:
    """(start, end, organisation) for each mail whose writer's organisation the text shows.

    ``mentions`` are resolved mentions as (start, organisation id). The
    sender line decides when it names one organisation; else the signature,
    when it names exactly one.
    """
    out: list[tuple[int, int, str]] = []
    for mail in mails(text):
        for lo, hi in (mail.sender, mail.signature):
            orgs = {org for pos, org in mentions if lo <= pos < hi}
            if len(orgs) == 1:
                out.append((mail.start, mail.end, orgs.pop()))
                break
    return out
