"""Import's lighter spaCy start: prepared lemma table, exceptions added as texts need them.

Both shortcuts must give what spaCy's full blank pipeline gives; these tests
compare against spaCy's own objects, not against stored answers.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.text import lemmas, nlp


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_prepared_table_answers_like_spacys_table(cache_home: Path) -> None:
    from spacy.lookups import load_lookups

    spacy_table = load_lookups("nl", ["lemma_lookup"]).get_table("lemma_lookup")
    prepared = lemmas.table("nl")
    assert prepared is not None and not isinstance(prepared, dict)  # the on-disk copy
    assert list((cache_home / "casebook").glob("lemma-nl-*.sqlite"))
    src = lemmas.source("nl")
    assert src is not None
    words = list(lemmas._read(src))
    assert len(words) > 100_000
    for word in words:
        assert prepared.get(word, word) == spacy_table.get(word, word), word
    for missing in ("xyzzyplugh", "", "Kinderen", "liepen "):
        assert prepared.get(missing, missing) == spacy_table.get(missing, missing)


def test_prepared_table_is_made_once(cache_home: Path) -> None:
    lemmas.table("nl")
    (made,) = (cache_home / "casebook").glob("lemma-nl-*.sqlite")
    stamp = made.stat().st_mtime_ns
    assert lemmas.table("nl").get("liepen", "liepen") == "lopen"
    assert made.stat().st_mtime_ns == stamp
    assert list((cache_home / "casebook").iterdir()) == [made]  # no temporary file left


def test_unwritable_cache_folder_keeps_the_table_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    table = lemmas.table("nl")
    assert isinstance(table, dict)
    assert table.get("liepen", "liepen") == "lopen"


def test_exceptions_added_on_demand_tokenise_like_the_full_list() -> None:
    import spacy

    full = spacy.blank("nl")
    nlp._splitter()  # registers the tokenizer without exceptions
    keys = sorted(full.Defaults.tokenizer_exceptions)
    rnd = random.Random(7)
    seps = [" ", ", ", "(", ") ", " - ", ".", "\n", "  ", "'", "", ":", "/"]
    for _ in range(25):
        lazy = spacy.blank(
            "nl", config={"nlp": {"tokenizer": {"@tokenizers": nlp._PLAIN_TOKENIZER}}}
        )
        exceptions = nlp._Exceptions(lazy.tokenizer, lazy.Defaults.tokenizer_exceptions)
        words = rnd.sample(keys, 40) + ["bijv", "t.a.v.", "d.w.z", "'s-Hertogenbosch", "m.b.t."]
        rnd.shuffle(words)
        text = "".join(w + rnd.choice(seps) for w in words) + "Einde."
        exceptions.cover(text)
        got = [(t.text, t.idx, t.whitespace_, t.is_punct) for t in lazy.make_doc(text)]
        want = [(t.text, t.idx, t.whitespace_, t.is_punct) for t in full.make_doc(text)]
        assert got == want, text


def test_import_analysis_does_not_build_the_whole_pipeline(tmp_path: Path) -> None:
    """Sentences and lemmas for an import come without the lemmatizer's start-up."""
    if nlp._splitter() is None:
        pytest.skip("a statistical Dutch pipeline is installed; import uses it whole")
    script = (
        "from casebook.text import nlp\n"
        "out = nlp.analyse(['De kinderen liepen naar huis. Zie bijv. het rapport.'])\n"
        "print(nlp.pipeline.cache_info().currsize, out)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("CASEBOOK_BLANK_NLP", None)
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    built, _, result = run.stdout.strip().partition(" ")
    assert built == "0"
    assert "lopen" in result and "bijv." in result


def test_damaged_copy_is_not_trusted(cache_home: Path) -> None:
    lemmas.table("nl")
    (made,) = (cache_home / "casebook").glob("lemma-nl-*.sqlite")
    made.write_bytes(b"not a database at all" * 100)
    table = lemmas.table("nl")
    assert isinstance(table, dict)
    assert table.get("liepen", "liepen") == "lopen"
