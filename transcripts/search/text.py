"""How Verbatim turns text into search terms, in one place.

The Whoosh adapter indexes with `terms()`, and highlighting uses the same function on the
text it marks up, so a word is highlighted exactly when the index would match it. The words
are transcripts.normalise's (case and accents folded, curly and straight quotes alike, its
STOP_WORDS dropped), so a name or a quote compares as the index does; this module adds
English (Porter) stemming. Porter is Snowball's (PyStemmer, the C library Snowball
publishes), the very algorithm OpenSearch's `snowball` filter runs with language
"Porter": so on either engine a word is highlighted exactly when the index matched it
(tests/search/test_search_engines.py compares the engine's analysis with this module's).
Whoosh's own porter module is not used: it skips Porter's rules for doubled consonants
and a final e (it kept "kidnapped" apart from "kidnap").

Languages: a turn of an event in another language is indexed with that language's
Snowball stemmer (transcripts.languages.STEMMERS; unstemmed for a language without one):
its text reaches the index as a LanguageText, which says whose words they are. A search
stems the words typed with the stemmer of the language it is narrowed to (`searching_in`,
set around the search and its snippets), else Porter, as for every English turn.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache, partial
from typing import NamedTuple

import Stemmer

from transcripts.languages import DEFAULT_STEMMER, NO_STEMMER, stemmer_name
from transcripts.normalise import PUNCTUATION, STOP_WORDS, WORD_RE, fold, iter_words, words

__all__ = [
    "STOP_WORDS",
    "WORD_RE",
    "LanguageText",
    "Term",
    "fold",
    "normalize_punctuation",
    "searching_in",
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


class LanguageText(str):
    """Text to index whose words are in `language` (an ISO 639-1 code): the search index's
    analysis stems them with that language's stemmer. A plain str is English."""

    language: str = ""

    def __new__(cls, text: str, language: str = ""):
        made = super().__new__(cls, text)
        made.language = language
        return made

    def __reduce__(self):  # a rebuild's writer processes receive documents pickled
        return (LanguageText, (str(self), self.language))


# The language a search is narrowed to, whose stemmer the words typed get ("" for none:
# Porter). Set by `searching_in` around a search and the snippets of its results.
_SEARCH_LANGUAGE: ContextVar[str] = ContextVar("search_language", default="")


@contextmanager
def searching_in(language: str):
    token = _SEARCH_LANGUAGE.set(language or "")
    try:
        yield
    finally:
        _SEARCH_LANGUAGE.reset(token)


def search_language() -> str:
    return _SEARCH_LANGUAGE.get()


def _stemmer(algorithm: str):
    stemmer = getattr(_STEMMERS, algorithm, None)
    if stemmer is None:
        stemmer = Stemmer.Stemmer(algorithm)
        setattr(_STEMMERS, algorithm, stemmer)
    return stemmer


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The English (Porter) stem: what a word of an English turn, or a turn in no stated language, is indexed as."""
    return _stemmer(DEFAULT_STEMMER).stemWord(word)


@lru_cache(maxsize=100_000)
def _stem_with(algorithm: str, word: str) -> str:
    return _stemmer(algorithm).stemWord(word) if algorithm != NO_STEMMER else word


@lru_cache(maxsize=64)
def _stemming(language: str):
    """The function giving a word's index term in `language`: `stem` for English or none."""
    algorithm = stemmer_name(language)
    if algorithm == DEFAULT_STEMMER:
        return stem
    return partial(_stem_with, algorithm)


def stem_in(word: str, language: str) -> str:
    """The stem of `word` in `language` (transcripts.languages.stemmer_name)."""
    return _stemming(language)(word)


def terms(
    text: str, *, stem_words: bool = True, keep_stop_words: bool = False, language: str | None = None
) -> Iterator[Term]:
    """The index terms of `text`, with where each came from. `language` says whose
    stemmer to use; None means the text's own when it is a LanguageText, else the
    search's (`searching_in`), else English."""
    if language is None:
        language = getattr(text, "language", "") or _SEARCH_LANGUAGE.get()
    stemming = (stem if not language else _stemming(language)) if stem_words else None
    for word, start, end in iter_words(text):
        if keep_stop_words or word not in STOP_WORDS:
            yield Term(stemming(word) if stemming else word, start, end)


def term_set(text: str, language: str | None = None) -> set[str]:
    return {t.text for t in terms(text, language=language)}


# The index term of each folded word seen (None for a stop word), per stemmer. Speech
# repeats a small vocabulary, so indexing looks each word up here instead of checking the
# stop list and asking the stemmer for every occurrence. Bounded: past the limit it is
# not added to.
_ENGLISH_INDEX_TERMS: dict[str, str | None] = {}
_INDEX_TERMS: dict[str, dict[str, str | None]] = {DEFAULT_STEMMER: _ENGLISH_INDEX_TERMS}
_INDEX_TERM_LIMIT = 500_000


def term_positions(text: str) -> dict[str, list[int]]:
    """Each stemmed index term of `text` with the positions where it occurs, numbered as
    `terms()` numbers them (stop words dropped, then counted from 0), in order of first
    occurrence. What indexing a text field needs, in one pass. A LanguageText is stemmed
    in its language; any other text in English."""
    positions: dict[str, list[int]] = {}
    language = getattr(text, "language", "")
    if language:
        algorithm = stemmer_name(language)
        known = _INDEX_TERMS.get(algorithm)
        if known is None:
            known = _INDEX_TERMS[algorithm] = {}
        stemming = _stemming(language)
    else:
        known, stemming = _ENGLISH_INDEX_TERMS, stem
    position = 0
    for word in words(text):
        try:
            term = known[word]
        except KeyError:
            term = None if word in STOP_WORDS else stemming(word)
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
