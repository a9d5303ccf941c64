"""How Verbatim turns text into search terms, in one place.

The Whoosh adapter indexes with `terms()`, and highlighting uses the same function on the
text it marks up, so a word is highlighted exactly when the index would match it. The words
are transcripts.normalise's (case and accents folded, curly and straight quotes alike, its
STOP_WORDS dropped), so a name or a quote compares as the index does; this module adds
English (Porter) stemming. Porter is Snowball's (PyStemmer, the C library Snowball
publishes), the very algorithm OpenSearch's `snowball` filter runs with language
"Porter": so on either engine a word is highlighted exactly when the index matched it
(tests/test_search_engines.py compares the engine's analysis with this module's).
Whoosh's own porter module is not used: it skips Porter's rules for doubled consonants
and a final e (it kept "kidnapped" apart from "kidnap").
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

import Stemmer

from transcripts.normalise import PUNCTUATION, STOP_WORDS, WORD_RE, fold, iter_words, words

__all__ = [
    "STOP_WORDS",
    "WORD_RE",
    "Term",
    "fold",
    "normalize_punctuation",
    "stem",
    "term_positions",
    "term_set",
    "terms",
]


class Term(NamedTuple):
    text: str  # the index term (folded, stemmed unless stem=False)
    start: int  # offsets of the word in the text given
    end: int


def normalize_punctuation(text: str) -> str:
    """Curly quotes to straight ones, typographic dashes to '-'; offsets are unchanged."""
    return text.translate(PUNCTUATION)


_STEMMERS = threading.local()  # a PyStemmer stemmer must not be shared between threads


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    porter = getattr(_STEMMERS, "porter", None)
    if porter is None:
        porter = _STEMMERS.porter = Stemmer.Stemmer("porter")
    return porter.stemWord(word)


def terms(text: str, *, stem_words: bool = True, keep_stop_words: bool = False) -> Iterator[Term]:
    """The index terms of `text`, with where each came from."""
    for word, start, end in iter_words(text):
        if keep_stop_words or word not in STOP_WORDS:
            yield Term(stem(word) if stem_words else word, start, end)


def term_set(text: str) -> set[str]:
    return {t.text for t in terms(text)}


# The index term of each folded word seen (None for a stop word). Speech repeats a small
# vocabulary, so indexing looks each word up here instead of checking the stop list and
# asking the stemmer for every occurrence. Bounded: past the limit it is not added to.
_INDEX_TERM: dict[str, str | None] = {}
_INDEX_TERM_LIMIT = 500_000


def term_positions(text: str) -> dict[str, list[int]]:
    """Each stemmed index term of `text` with the positions where it occurs, numbered as
    `terms()` numbers them (stop words dropped, then counted from 0), in order of first
    occurrence. What indexing a text field needs, in one pass."""
    positions: dict[str, list[int]] = {}
    known = _INDEX_TERM
    position = 0
    for word in words(text):
        try:
            term = known[word]
        except KeyError:
            term = None if word in STOP_WORDS else stem(word)
            if len(known) < _INDEX_TERM_LIMIT:
                known[word] = term
        if term is None:
            continue
        if term in positions:
            positions[term].append(position)
        else:
            positions[term] = [position]
        position += 1
    return positions
