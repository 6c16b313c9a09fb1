"""The Dutch spaCy pipeline, loaded lazily and never downloaded.

If a statistical Dutch pipeline (``nl_core_news_sm/md/lg``) is installed we
use it; otherwise a blank Dutch pipeline with the rule-based sentencizer and
the lookup lemmatizer from ``spacy-lookups-data``. Importing spaCy costs
about half a second, so nothing here runs until text needs it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from typing import Any

STATISTICAL = ("nl_core_news_lg", "nl_core_news_md", "nl_core_news_sm")


@functools.lru_cache(maxsize=1)
def pipeline() -> Any:
    import spacy
    import spacy.util

    if os.environ.get("CASEBOOK_BLANK_NLP") != "1":
        for name in STATISTICAL:
            if spacy.util.is_package(name):
                return spacy.load(name)
    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    except Exception:  # noqa: BLE001 - lookups table missing: sentences still work
        nlp = spacy.blank("nl")
        nlp.add_pipe("sentencizer")
    return nlp


def model_name() -> str:
    nlp = pipeline()
    meta = getattr(nlp, "meta", {})
    return f"{meta.get('lang', 'nl')}_{meta.get('name', 'blank')}"


def analyse(texts: Iterable[str]) -> list[tuple[list[tuple[int, int]], list[str]]]:
    """For each text: its sentence spans (char offsets) and the lemma of each sentence.

    Sentence spans cover the text's non-space content without overlap. The
    pipeline's boundaries are repaired for transcription marks (brackets,
    times, ellipses, quotations) by ``casebook.text.sentences``.
    """
    from casebook.text import sentences

    nlp = pipeline()
    out: list[tuple[list[tuple[int, int]], list[str]]] = []
    for doc in nlp.pipe(texts, batch_size=256):
        starts = [sent.start_char for sent in doc.sents][1:]
        spans = sentences.spans_from_starts(doc.text, sentences.repair(doc.text, starts))
        words: list[list[str]] = [[] for _ in spans]
        i = 0
        for tok in doc:
            if tok.is_space:
                continue
            while i + 1 < len(spans) and tok.idx >= spans[i + 1][0]:
                i += 1
            if spans:
                words[i].append((tok.lemma_ or tok.text).lower())
        out.append((spans, [" ".join(w) for w in words]))
    return out


def lemmatise(text: str) -> list[str]:
    nlp = pipeline()
    return [(t.lemma_ or t.text).lower() for t in nlp(text) if not t.is_space and not t.is_punct]
