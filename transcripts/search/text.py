"""How Verbatim turns text into search terms, in one place.

The Whoosh adapter indexes with `terms()`, and highlighting uses the same function on the
text it marks up, so a word is highlighted exactly when the index would match it:
case and accents folded, curly and straight quotes alike, English (Porter) stemming,
very common words dropped. Porter comes from Whoosh's pure-Python stemmer; it is a
string function, not a search-engine call, so this module works whatever SEARCH_URL says.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterator, NamedTuple

from whoosh.lang.porter import stem as porter_stem

# Quotes and apostrophes that typesetting and word processors produce, mapped to the two
# a keyboard has; dashes likewise, so "self–defense" splits like "self-defense".
_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"', "\uff02": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    }
)

# Letters NFKD does not decompose into a base letter plus accents.
_LETTERS = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l",
                          "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i"})

# A word: letters and digits, with any combining accents that follow them (decomposed text).
WORD_RE = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])*")

# Whoosh's English stop list, plus the halves of "it's" and "don't" once apostrophes split them.
STOP_WORDS = frozenset(
    "a an and are as at be by can for from have if in is it may not of on or tbd that the this "
    "to us we when will with yet you your s t".split()
)


class Term(NamedTuple):
    text: str  # the index term (folded, stemmed unless stem=False)
    start: int  # offsets of the word in the text given
    end: int


def normalize_punctuation(text: str) -> str:
    """Curly quotes to straight ones, typographic dashes to '-'; offsets are unchanged."""
    return text.translate(_PUNCTUATION)


def fold(word: str) -> str:
    """Case and accents removed: 'Ñandú' -> 'nandu'."""
    if word.isascii():  # nearly every word: skip the Unicode work
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return porter_stem(word)


def terms(text: str, *, stem_words: bool = True, keep_stop_words: bool = False) -> Iterator[Term]:
    """The index terms of `text`, with where each came from."""
    for match in WORD_RE.finditer(text):
        word = fold(match.group())
        if not word or (not keep_stop_words and word in STOP_WORDS):
            continue
        yield Term(stem(word) if stem_words else word, match.start(), match.end())


def term_set(text: str) -> set[str]:
    return {t.text for t in terms(text)}
