"""The Dutch spaCy pipeline, loaded lazily and never downloaded.

If a statistical Dutch pipeline (``nl_core_news_sm/md/lg``) is installed we
use it; otherwise a blank Dutch pipeline with the rule-based sentencizer and
the lookup lemmatizer from ``spacy-lookups-data``. Importing spaCy costs
about a CPU second, so nothing here runs until text needs it.

Importing documents (``analyse``) needs less than the whole blank pipeline:
the tokenizer, the sentencizer's punctuation and the lemma table. It builds
only those, and takes the lemma table from a prepared copy on disk
(``casebook.text.lemmas``) instead of initialising the lemmatizer, which
reads all 210,000 entries at every start. The full pipeline is built only
when something asks for it (search queries, autocoding, name detection).
"""

from __future__ import annotations

import functools
import os
from bisect import bisect_left
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any

from casebook.text import lemmas, sentences

STATISTICAL = ("nl_core_news_lg", "nl_core_news_md", "nl_core_news_sm")
STATISTICAL_LOADED: dict[int, bool] = {}


@functools.lru_cache(maxsize=1)
def pipeline() -> Any:
    # spaCy takes seconds to load; only text analysis needs it
    import spacy
    import spacy.util

    if os.environ.get("CASEBOOK_BLANK_NLP") != "1":
        for name in STATISTICAL:
            if spacy.util.is_package(name):
                loaded = spacy.load(name)
                STATISTICAL_LOADED[id(loaded)] = True
                return loaded
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


Analysis = tuple[list[tuple[int, int]], list[str]]
_CHUNK_CHARS = 100_000


def analyse(
    texts: Iterable[str], on_progress: Callable[[int, int], None] | None = None
) -> list[Analysis]:
    """For each text: its sentence spans (char offsets) and the lemma of each sentence.

    Sentence spans cover the text's non-space content without overlap.

    Speed matters on long transcripts (tens of thousands of paragraphs). With
    the blank pipeline (sentencizer + lookup lemmatizer) the same rules run on
    token arrays instead of ``Token`` objects: short paragraphs are tokenised
    together, joined by newlines, with a sentence forced to start at each
    paragraph; the sentencizer's punctuation rule is applied to the arrays;
    a lemma is looked up once per distinct word. The result equals spaCy's own
    pipeline run on one document per paragraph (tests compare both).
    ``on_progress(done, total)`` hears how many texts are done, now and then.
    """
    # spaCy takes seconds to load; only text analysis needs it
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA, LENGTH, ORTH, SENT_START

    texts = list(texts)
    parts = _splitter()
    words: dict[int, str] = {}
    if parts is None:
        nlp = pipeline()
        out: list[Analysis] = []
        for i, (doc, text) in enumerate(zip(nlp.pipe(texts, batch_size=256), texts, strict=True)):
            if on_progress and i % 256 == 0:
                on_progress(i, len(texts))
            sent_start, lemma, orth, space, idx, length = _columns(
                doc, SENT_START, LEMMA, ORTH, IS_SPACE, IDX, LENGTH
            )
            starts = [i for i, flag in enumerate(sent_start) if i == 0 or flag == 1]
            keys = [
                lem or word for lem, word in zip(lemma, orth, strict=True)
            ]  # the lemma, else the word
            out += _read(
                doc, (space, idx, length), keys, starts, text, None, [0], [len(text)], words
            )
        return out
    nlp, table, exceptions = parts
    sentencizer = nlp.get_pipe("sentencizer")
    punct = {nlp.vocab.strings.add(ch) for ch in sentencizer.punct_chars}
    out = []
    for chunk in _chunks(texts):
        joined = "\n".join(chunk)
        if exceptions is not None:
            exceptions.cover(joined)
        doc = nlp.make_doc(joined)
        offsets = []
        pos = 0
        for text in chunk:
            offsets.append(pos)
            pos += len(text) + 1
        ends = [o + len(t) for o, t in zip(offsets, chunk, strict=True)]
        orth, is_punct, space, idx, length = _columns(doc, ORTH, IS_PUNCT, IS_SPACE, IDX, LENGTH)
        starts = _sentence_starts(orth, is_punct, idx, punct, set(offsets[1:]))
        # word hashes, looked up in the lemma table
        out += _read(doc, (space, idx, length), orth, starts, joined, table, offsets, ends, words)
        if on_progress:
            on_progress(len(out), len(texts))
    return out


@functools.lru_cache(maxsize=1)
def _splitter() -> tuple[Any, Any, _Exceptions | None] | None:
    """Tokenizer with sentencizer, and the lemma table, when the blank pipeline is the one in use.

    None when ``pipeline()`` is (or would be) a statistical pipeline, or there is
    no lemma table: then ``analyse`` runs the whole pipeline. A blank pipeline
    already built in this process is reused rather than built twice. Otherwise
    the tokenizer starts without its exception list, which ``_Exceptions`` fills
    in as texts need it.
    """
    # spaCy is slow to import (about a second); only analysing text needs it
    import spacy
    import spacy.util

    if pipeline.cache_info().currsize:
        nlp = pipeline()
        table = _lookup_table(nlp)
        if table is None or nlp.pipe_names != ["sentencizer", "lemmatizer"]:
            return None
        return nlp, table, None
    if os.environ.get("CASEBOOK_BLANK_NLP") != "1" and any(
        spacy.util.is_package(name) for name in STATISTICAL
    ):
        return None
    table = lemmas.table("nl")
    if table is None:
        return None
    if _PLAIN_TOKENIZER not in spacy.util.registry.tokenizers:
        spacy.util.registry.tokenizers.register(_PLAIN_TOKENIZER, func=_plain_tokenizer)
    nlp = spacy.blank("nl", config={"nlp": {"tokenizer": {"@tokenizers": _PLAIN_TOKENIZER}}})
    nlp.add_pipe("sentencizer")
    return nlp, table, _Exceptions(nlp.tokenizer, nlp.Defaults.tokenizer_exceptions)


_PLAIN_TOKENIZER = "casebook.tokenizer_without_exceptions.v1"


def _plain_tokenizer() -> Callable[[Any], Any]:
    """spaCy's own tokenizer factory, given the language's defaults minus the exception list."""
    # spaCy is slow to import; this runs only when an import builds its tokenizer
    from spacy.language import create_tokenizer

    make = create_tokenizer()

    def factory(nlp: Any) -> Any:
        plain = type("PlainDefaults", (nlp.Defaults,), {"tokenizer_exceptions": {}})
        # spaCy's factory reads only Defaults and vocab from the pipeline it is given
        return make(SimpleNamespace(Defaults=plain, vocab=nlp.vocab))  # type: ignore[arg-type]

    return factory


class _Exceptions:
    """The tokenizer's exception list (abbreviations like "bijv.", "a.s."), added as texts need it.

    Building spaCy's Dutch tokenizer spends most of its time on the 4,670
    exceptions, one tokenised pattern each, while a document holds a handful of
    them. An exception can only change the tokens of a text that contains its
    characters in order (the tokenizer looks exceptions up by the exact
    substring, and its matcher by the tokens they spell, which only single spaces
    may separate), so adding every exception whose string, whitespace removed,
    occurs in the text (whitespace removed) gives the tokens the full list gives.
    Exceptions shorter than three characters are added at once; the rest are
    found through their first and last three characters.
    """

    def __init__(self, tokenizer: Any, rules: dict[str, Any]) -> None:
        self.tokenizer = tokenizer
        self.rules = rules
        self.waiting: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for key in sorted(rules):
            bare = "".join(key.split())
            if len(bare) < 3:
                tokenizer.add_special_case(key, rules[key])
            else:
                self.waiting.setdefault((bare[:3], bare[-3:]), []).append((key, bare))

    def cover(self, text: str) -> None:
        """Add the exceptions ``text`` may contain."""
        if not self.waiting:
            return
        bare = "".join(text.split())
        grams = {bare[i : i + 3] for i in range(len(bare) - 2)}
        for ends in [e for e in self.waiting if e[0] in grams and e[1] in grams]:
            left = []
            for key, key_bare in self.waiting[ends]:
                if key_bare in bare:
                    self.tokenizer.add_special_case(key, self.rules[key])
                else:
                    left.append((key, key_bare))
            if left:
                self.waiting[ends] = left
            else:
                del self.waiting[ends]


def _columns(doc: Any, *attrs: int) -> list[list[int]]:
    """One list per attribute (a 2-D array's ``tolist`` is several times slower)."""
    return [doc.to_array([attr]).tolist() for attr in attrs]


def _sentence_starts(
    orth: list[int], is_punct: list[int], idx: list[int], punct: set[int], forced: set[int]
) -> list[int]:
    """spaCy's Sentencizer rule on token columns.

    A sentence starts at the first token after a sentence-final character that
    is not itself punctuation; ``forced`` character offsets (paragraph starts)
    always start one.
    """
    if not orth:
        return []
    guesses = [False] * len(orth)
    guesses[0] = True
    start = 0
    seen_period = False
    for i, (word, punctuation, at) in enumerate(zip(orth, is_punct, idx, strict=True)):
        if at in forced:
            guesses[i] = True
        final = word in punct
        if seen_period and not punctuation and not final:
            guesses[start] = True
            start = i
            seen_period = False
        elif final:
            seen_period = True
    guesses[start] = True
    return [i for i, g in enumerate(guesses) if g]


def _simple(text: str) -> bool:
    """Safe to join with others: one line without space at either end."""
    return bool(text) and "\n" not in text and not text[0].isspace() and not text[-1].isspace()


def _chunks(texts: list[str]) -> Iterable[list[str]]:
    chunk: list[str] = []
    size = 0
    for text in texts:
        if not _simple(text):
            if chunk:
                yield chunk
                chunk, size = [], 0
            yield [text]
            continue
        chunk.append(text)
        size += len(text) + 1
        if size >= _CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _read(
    doc: Any,
    columns: tuple[list[int], list[int], list[int]],
    keys: list[int],
    starts: list[int],
    text: str,
    table: Any,
    offsets: list[int],
    ends: list[int],
    words: dict[int, str],
) -> list[Analysis]:
    """Sentence spans and lemmas of the texts at ``offsets`` (ending at ``ends``) inside ``text``.

    ``columns`` are the tokens' is_space, idx and length; ``keys`` are lemma
    hashes, or word hashes to look up in ``table``. ``starts`` are the
    pipeline's sentence-start tokens; each text's boundaries are then repaired
    for transcription marks (brackets, times, ellipses, quotations) by
    ``casebook.text.sentences`` before its words are shared out.
    """
    space, idx, length = columns
    out: list[Analysis] = [([], []) for _ in offsets]
    if not idx:
        return out
    strings = doc.vocab.strings
    start_set = set(starts)
    for n, (offset, end) in enumerate(zip(offsets, ends, strict=True)):
        first = bisect_left(idx, offset)
        last = bisect_left(idx, end)
        local = text[offset:end]
        pipeline_starts = [idx[k] - offset for k in range(first + 1, last) if k in start_set]
        spans = sentences.spans_from_starts(local, sentences.repair(local, pipeline_starts))
        lemma_words: list[list[str]] = [[] for _ in spans]
        i = 0
        for k in range(first, last):
            if space[k]:
                continue
            pos = idx[k] - offset
            while i + 1 < len(spans) and pos >= spans[i + 1][0]:
                i += 1
            if not spans:
                break
            key = keys[k]
            word = words.get(key)
            if word is None:
                low = strings[key].lower() if key else ""
                if table is not None:
                    low = (table.get(low, low) or low).lower()
                word = words[key] = low
            lemma_words[i].append(word)
        out[n] = (spans, [" ".join(w) for w in lemma_words])
    return out


def _lookup_table(nlp: Any) -> Any:
    """The lemma table when the pipeline's lemmatizer is a plain word lookup, else None."""
    if "lemmatizer" not in nlp.pipe_names or STATISTICAL_LOADED.get(id(nlp)):
        return None
    lemmatizer = nlp.get_pipe("lemmatizer")
    if (
        getattr(lemmatizer, "mode", None) != "lookup"
        or type(lemmatizer).__name__ != "DutchLemmatizer"
    ):
        return None
    if getattr(lemmatizer, "overwrite", False) is not False:
        return None
    try:
        return lemmatizer.lookups.get_table("lemma_lookup")
    except (KeyError, AttributeError):
        return None


def lemmatise(text: str) -> list[str]:
    nlp = pipeline()
    return [(t.lemma_ or t.text).lower() for t in nlp(text) if not t.is_space and not t.is_punct]
