"""Joining a paragraph's lines into text: ligatures out, end-of-line hyphens undone.

A word hyphenated at a line end is rejoined ("samenwer-" + "king") unless the
hyphen belongs to the word (mbo-opleiding, Noord-Brabant, zee-egel: a known
prefix, a capitalised or numbered word, or two vowels that would otherwise
clash) or the next word is a conjunction ("lees- en schrijfles"). A word split
over a page break is completed on the first page, so page segments stay exact.
"""

from __future__ import annotations

import re

from casebook.importers.base import Block

LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)
_WORD_END = re.compile(r"(\w+)$")
_WORD_START = re.compile(r"^(\w+)")
_KEEP_HYPHEN = {
    "mbo", "vmbo", "hbo", "wo", "vo", "po", "so", "vso", "havo", "vwo", "roc", "aoc", "ict", "sto",
    "bbl", "bol", "mkb", "pro", "e", "ex", "oud", "niet", "anti", "non", "co", "pre", "post", "semi",
    "multi", "inter", "extra", "ultra", "super", "sub", "vice",
}  # fmt: skip
_CONJUNCTIONS = {"en", "of", "tot", "noch", "and", "or", "to"}
_VOWEL_CLASH = {
    "aa", "ae", "ai", "au", "ee", "ei", "eu", "ie", "ii", "oe", "oi", "oo", "ou", "ui", "uu", "ij",
}  # fmt: skip


def join_lines(lines: list[str]) -> str:
    if not lines:
        return ""
    text = lines[0]
    for nxt in lines[1:]:
        text = join(text, nxt)
    return text


def join(prev: str, cur: str) -> str:
    """Join two lines of one paragraph, undoing end-of-line hyphenation."""
    if not prev:
        return cur
    if not cur:
        return prev
    last = prev[-1]
    if last == "\u00ad":
        return prev[:-1] + cur
    if last in "-\u2010":
        head = prev[:-1]
        before = head[-1:] if head else ""
        if not before or before.isspace():
            return prev + " " + cur
        first = cur[0]
        if before.isalpha() and first.islower():
            m = _WORD_END.search(head)
            nxt = _WORD_START.match(cur)
            if nxt and nxt.group(1).lower() in _CONJUNCTIONS:
                return prev + " " + cur
            if m and _hyphen_belongs(m.group(1), cur, head):
                return prev + cur
            return head + cur
        if before.isalnum() and first.isalnum():
            return prev + cur
        return prev + " " + cur
    if last in "–—/@" and len(prev) > 1 and not prev[-2].isspace():
        return prev + cur
    return prev + " " + cur


def _hyphen_belongs(word: str, cur: str, head: str) -> bool:
    lower = word.lower()
    if lower in _KEEP_HYPHEN or word.isupper() or any(c.isdigit() for c in word):
        return True
    token = cur.split(maxsplit=1)[0]
    tail = head.rsplit(maxsplit=1)[-1] if head.strip() else ""
    if any(c in token or c in tail for c in "./@"):
        return True
    return (lower[-1] + cur[0].lower()) in _VOWEL_CLASH


def mend_page_hyphens(blocks: list[Block]) -> None:
    """A word split over a page break ("samenwer-" | "king") is completed on the first page."""
    for i in range(len(blocks) - 1):
        a, b = blocks[i], blocks[i + 1]
        if a.kind != "paragraph" or b.kind != "paragraph" or a.page == b.page:
            continue
        if not a.text.endswith("-") or not b.text[:1].islower():
            continue
        word, _, rest = b.text.partition(" ")
        joined = join(a.text, word)
        if " " in joined[len(a.text) - 1 :]:
            continue
        a.text = joined
        b.text = rest.strip()
    blocks[:] = [b for b in blocks if b.text]
