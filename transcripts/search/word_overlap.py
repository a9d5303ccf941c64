"""The turns that hold the most of a few words, the rarest weighing most: how the quote
checker finds its candidates in the Whoosh index with one read of a few postings lists.

A pasted quote's telling words are looked up by document frequency and the rarest few are
read as postings (document numbers only, no scoring through Whoosh's matchers). Each
document scores the idf of every one of those words it holds, so a turn that said the
quote (it holds them all) or said it with a word changed (all but one) comes first,
however common the quote's other words are. A word no document holds (a misquoted or
invented word) drops out before any postings are read. The work is bounded by the
postings of MAX_WORDS words; searching for the same words as an AND or OR query through
Whoosh's matchers walked the postings of every word, common ones too (a second or more at
100,000 turns, against milliseconds here).
"""

from __future__ import annotations

import heapq
import math

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

MAX_WORDS = 6
# Past the rarest MIN_WORDS, words are read only while the postings read stay under this
# many documents: common words cost the most to read and tell the least.
MIN_WORDS = 4
POSTINGS_BUDGET = 12_000
# The documents that hold the most of the words (this many times the candidates asked
# for) are ranked again by how many they hold close together: within NEAR_PER_WORD
# positions a word (and NEAR_SLACK more), as a quoted passage holds them.
BAND = 4
NEAR_PER_WORD = 4
NEAR_SLACK = 8
# A word in more than this share of the documents tells little apart: used only when the
# quote has no rarer one.
COMMON_SHARE = 0.25


def rarest(searcher, field: str, stems) -> list[tuple[str, int]]:
    """(stem, document frequency) of the rarest stems the field holds, rarest first: at
    least MIN_WORDS of them (when there are), at most MAX_WORDS, within POSTINGS_BUDGET."""
    frequencies = {s: searcher.doc_frequency(field, s) for s in dict.fromkeys(stems)}
    present = sorted(((s, n) for s, n in frequencies.items() if n), key=lambda pair: (pair[1], pair[0]))
    limit = searcher.doc_count_all() * COMMON_SHARE
    telling = [pair for pair in present if pair[1] <= limit] or present
    picked, read = [], 0
    for stem, frequency in telling[:MAX_WORDS]:
        if len(picked) >= MIN_WORDS and read + frequency > POSTINGS_BUDGET:
            break
        picked.append((stem, frequency))
        read += frequency
    return picked


def most_holding(searcher, field: str, stems, limit: int, *, allowed=None, excluded=None) -> list[tuple[int, float]]:
    """(document number, score) of the `limit` documents holding the most of the rarest
    `stems` close together, best first. A document scores the idf of each word it holds
    within one stretch of NEAR words (a passage, not words scattered through a long turn),
    then of each word it holds at all; ties go to the document met first in the postings.
    `allowed` and `excluded` are sets of document numbers (a model's documents, a speaker's
    turns); deleted documents never count."""
    total = max(searcher.doc_count_all(), 1)
    scores: dict[int, float] = {}
    held: list[tuple[dict[int, bytes], float]] = []  # per word: {document: encoded positions}, idf
    words = rarest(searcher, field, stems)
    for stem, frequency in words:
        weight = math.log(1 + total / frequency)
        places: dict[int, bytes] = {}
        get = scores.get
        for ids, values in _blocks(searcher, field, stem):
            places.update(zip(ids, values))
            for doc in ids:
                scores[doc] = get(doc, 0.0) + weight
        held.append((places, weight))
    docs = scores.keys()
    if allowed is not None or excluded:
        docs = [d for d in docs if (allowed is None or d in allowed) and not (excluded and d in excluded)]
    reader = searcher.reader()
    band = [doc for doc in heapq.nlargest(limit * BAND, docs, key=scores.__getitem__) if not reader.is_deleted(doc)]
    decode = searcher.schema[field].format.decode_positions
    near = NEAR_PER_WORD * len(words) + NEAR_SLACK
    closest = {doc: _nearest([(p[doc], w) for p, w in held if doc in p], decode, near) for doc in band}
    band.sort(key=lambda doc: (closest[doc], scores[doc]), reverse=True)  # stable: earlier first on ties
    return [(doc, closest[doc] + scores[doc]) for doc in band[:limit]]


def _nearest(held: list[tuple[bytes, float]], decode, near: int) -> float:
    """The most weight of distinct words found within `near` positions of each other."""
    if len(held) < 2:
        return sum(weight for _, weight in held)
    marks = sorted((p, i) for i, (encoded, _) in enumerate(held) for p in decode(encoded))
    best, counts, weight, lo = 0.0, {}, 0.0, 0
    for position, word in marks:
        counts[word] = counts.get(word, 0) + 1
        if counts[word] == 1:
            weight += held[word][1]
        while position - marks[lo][0] > near:
            gone = marks[lo][1]
            counts[gone] -= 1
            if not counts[gone]:
                weight -= held[gone][1]
            lo += 1
        best = max(best, weight)
    return best


def _blocks(searcher, field: str, stem: str):
    """(document numbers, their encoded positions) of the documents holding `stem`, deleted
    ones too, a block of postings at a time (Whoosh's own matcher costs a few method calls
    per document)."""
    text = searcher.schema[field].to_bytes(stem)
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if (field, text) not in reader:
            continue
        postings = reader.postings(field, text)
        if type(postings) is FilterMatcher:  # deletions: read them too, the caller drops them
            postings = postings.child
        if type(postings) is not W3LeafMatcher:
            pairs = []
            while postings.is_active():
                pairs.append((offset + postings.id(), postings.value()))
                postings.next()
            yield [doc for doc, _ in pairs], [value for _, value in pairs]
            continue
        while postings.is_active():
            postings._read_ids()
            postings._read_values()
            ids = [offset + doc for doc in postings._ids] if offset else postings._ids
            yield ids, postings._values
            postings._next_block()
