"""Scoring the matches of one word, or of two words that must both appear, a block of
postings at a time instead of through Whoosh's matcher and collector, and keeping what
each segment matched so the next search reads only segments it has not seen.

Whoosh scores a match with four or five method calls per document (matcher, scorer,
field length, collector); for a word in half the turns that was most of a search's time.
Here each segment's postings are read block by block (ids and term frequencies only,
as Whoosh stores them) and scored with BM25F's own formula and parameters, giving the
same numbers Whoosh gives. Anything else (phrases of more words, OR, NOT, boosts, other
weightings) returns None and is searched the ordinary way.

A document's score depends only on its term frequencies and its field length (BM25F's
idf and average length are the same for every document of a search), so a segment's
matches are kept grouped by (frequency, length code) of each word: a search scores each
group once, and walks the best groups for an exactly ranked top. Segment files never
change once written and a segment's deletions only grow, so the groups are kept by
(segment id, number of deleted documents, narrowing, words): after an index update (one
new small segment) a search reads that segment's postings only; that was the whole
difference between the first search after an update and the next.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from whoosh.codec.whoosh3 import W3LeafMatcher, W3PerDocReader
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, Phrase, Term
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.searching import Results

from transcripts.search.whoosh_patches import LENGTH_OF_BYTE, length_bytes

# Bound on the memory kept across all segments' matches, estimated from what they hold
# (a document number in a group and in the sorted copy; a value's count in a facet
# Counter): the least recently used are dropped first. 32 MB keeps every segment of a
# few hundred common words at 100,000 turns, within a worker's 150 MB.
MAX_KEPT_BYTES = 32 * 2**20
DOCUMENT_BYTES = 8
FACET_VALUE_BYTES = 100


@dataclass(eq=False)
class SegmentMatches:
    """What one query matches in one segment, deleted documents included (so deleting
    more does not make it stale): segment document numbers (ascending) by the key their
    score depends on, (term frequency, length code) for each word."""

    groups: dict[tuple, array]
    count: int
    facets: dict[str, Counter] = field(default_factory=dict)  # column -> value counts: see keep_facet
    _sorted: array | None = None
    _gone: tuple[int, frozenset] = (0, frozenset())
    _kept: bool = False  # among the kept ones (counted in the bound)

    @property
    def weight(self) -> int:
        return self.count * DOCUMENT_BYTES + sum(map(len, self.facets.values())) * FACET_VALUE_BYTES

    def keep_facet(self, column: str, counts: Counter) -> None:
        """Keep the value counts of a facet column among these documents (deleted ones
        included), counted in the bound when these matches are kept."""
        global _kept_bytes
        with _KEPT_LOCK:
            if column in self.facets:
                return
            self.facets[column] = counts
            if self._kept:
                _kept_bytes += len(counts) * FACET_VALUE_BYTES
                _drop_least_used()

    def docs(self):
        for docs in self.groups.values():
            yield from docs

    def gone(self, segment) -> frozenset:
        """The matches among the segment's deleted documents (kept for the last deletions
        seen: they only grow, so their number names them)."""
        deleted = segment.deleted_count() if segment is not None else 0
        if not deleted:
            return frozenset()
        if self._gone[0] != deleted:
            if self._sorted is None:
                self._sorted = array("i", sorted(self.docs()))
            docs = self._sorted
            found = (d for d in segment.deleted_docs() if (i := bisect_left(docs, d)) < len(docs) and docs[i] == d)
            self._gone = (deleted, frozenset(found))
        return self._gone[1]


class Part(NamedTuple):
    """One segment's share of a search: its kept matches, where its documents start in
    the index, its reader, and which of the matches are deleted now."""

    matches: SegmentMatches
    offset: int
    reader: object
    gone: frozenset

    def docs(self):
        gone = self.gone
        return (doc for doc in self.matches.docs() if doc not in gone) if gone else self.matches.docs()


class Matches:
    """Every document a bulk-scored query matched, segment by segment (Parts).
    Iterating gives global document numbers."""

    def __init__(self, parts: list[Part]):
        self.parts = parts
        self._count = sum(part.matches.count - len(part.gone) for part in parts)

    def __len__(self):
        return self._count

    def __iter__(self):
        for part in self.parts:
            for doc in part.docs():
                yield part.offset + doc


_KEPT: OrderedDict[tuple, SegmentMatches] = OrderedDict()
_kept_bytes = 0
_KEPT_LOCK = threading.Lock()  # a worker's threads share what is kept


def _kept(key: tuple) -> SegmentMatches | None:
    with _KEPT_LOCK:
        matches = _KEPT.get(key)
        if matches is not None:
            _KEPT.move_to_end(key)
        return matches


def _remember(key: tuple, matches: SegmentMatches) -> None:
    global _kept_bytes
    with _KEPT_LOCK:
        if key in _KEPT:  # another thread read the same segment meanwhile
            return
        _KEPT[key] = matches
        matches._kept = True
        _kept_bytes += matches.weight
        _drop_least_used()


def _drop_least_used() -> None:
    """Under _KEPT_LOCK: drop the least recently used until within the bound (the latest stays)."""
    global _kept_bytes
    while _kept_bytes > MAX_KEPT_BYTES and len(_KEPT) > 1:
        _key, old = _KEPT.popitem(last=False)
        _forget(old)


def _forget(matches: SegmentMatches) -> None:
    global _kept_bytes
    matches._kept = False
    _kept_bytes -= matches.weight


def keep_segments(segment_ids) -> None:
    """Forget what was kept for segments that are no longer in the index."""
    live = set(segment_ids)
    with _KEPT_LOCK:
        for key in [key for key in _KEPT if key[0] not in live]:
            _forget(_KEPT.pop(key))


def forget_all() -> None:
    global _kept_bytes
    with _KEPT_LOCK:
        for matches in _KEPT.values():
            matches._kept = False
        _KEPT.clear()
        _kept_bytes = 0


def plain_terms(query) -> tuple[list[Term], int | None] | None:
    """The words of a query this module can score, and the slop when they are a phrase:
    one word, an AND of two, or a phrase of two (with more, Whoosh adds scores in a tree
    shaped by term sizes, which would round differently). One of the two may be a filter
    on a field without lengths (a speaker): Whoosh scores it by its posting weight."""
    if type(query) is Phrase:
        if query.boost != 1.0 or len(query.words) != 2:
            return None
        return [Term(query.fieldname, word) for word in query.words], query.slop
    subqueries = query.subqueries if type(query) is And else [query]
    if getattr(query, "boost", 1.0) != 1.0 or not 1 <= len(subqueries) <= 2:
        return None
    if not all(type(q) is Term and q.boost == 1.0 for q in subqueries):
        return None
    return list(subqueries), None


def _in_order(first: bytes, second: bytes, decode, slop: int) -> bool:
    """Whether the second word comes 1 to `slop` positions after the first somewhere
    (Whoosh's SpanNear2 for two words, ordered, mindist 1)."""
    following = set(decode(second))
    return any(p + gap in following for p in decode(first) for gap in range(1, slop + 1))


class _Unsupported(Exception):
    """The postings or weighting are not the kind read here: Whoosh searches the query."""


def _scorer(searcher, term: Term, text: bytes):
    scorer = searcher.weighting.scorer(searcher, term.fieldname, text)
    if type(scorer) not in (BM25FScorer, WeightScorer):
        raise _Unsupported
    return scorer


def _postings(searcher, term: Term, with_positions: bool) -> tuple[dict, dict]:
    """({segment document number: weight}, {document: encoded positions}, empty unless
    asked) for one word, deleted documents included (see SegmentMatches)."""
    fieldname = term.fieldname
    if fieldname not in searcher.schema:
        return {}, {}
    try:
        text = searcher.schema[fieldname].to_bytes(term.text)
    except ValueError:
        return {}, {}
    reader = searcher.reader()
    if (fieldname, text) not in reader:
        return {}, {}
    _scorer(searcher, term, text)
    postings = reader.postings(fieldname, text)
    if type(postings) is FilterMatcher:  # the segment has deleted documents: read them all the same
        postings = postings.child
    if type(postings) is not W3LeafMatcher:
        raise _Unsupported
    weights, positions = {}, {}
    while postings.is_active():
        postings._read_ids()
        postings._read_weights()
        weights.update(zip(postings._ids, postings._weights))
        if with_positions:
            postings._read_values()
            positions.update(zip(postings._ids, postings._values))
        postings._next_block()
    return weights, positions


def _lengths(searcher, term: Term) -> bytes | None:
    """The segment's length codes of the word's field; None for a field without lengths."""
    reader = searcher.reader()
    if not searcher.schema[term.fieldname].scorable:
        return None
    lengths = length_bytes(reader._perdoc, term.fieldname) if type(reader._perdoc) is W3PerDocReader else None
    if lengths is None:
        raise _Unsupported
    return lengths


def _segment_matches(searcher, words: list[Term], slop: int | None, keep) -> SegmentMatches:
    """Read one segment's postings of the words and group the documents matching all of
    them (in order and near, for a phrase) that `keep` accepts, by what their score
    depends on."""
    read = [_postings(searcher, word, slop is not None) for word in words]
    weights = [found for found, _positions in read]
    if not all(weights):  # a word the segment lacks (whose field it may hold no lengths of)
        return SegmentMatches({}, 0)
    lengths = [_lengths(searcher, word) for word in words]
    smallest, *others = sorted(weights, key=len)
    docs = [doc for doc in smallest if all(doc in found for found in others)]
    if slop is not None:  # a phrase: only where the words are in order and near
        decode = searcher.schema[words[0].fieldname].format.decode_positions
        (_, first), (_, second) = read
        docs = [doc for doc in docs if _in_order(first[doc], second[doc], decode, slop)]
    groups: dict[tuple, array] = {}
    for doc in sorted(docs if keep is None else filter(keep, docs)):
        key = tuple((found[doc], lens[doc] if lens is not None else 0) for found, lens in zip(weights, lengths))
        group = groups.get(key)
        if group is None:
            group = groups[key] = array("i")
        group.append(doc)
    return SegmentMatches(groups, sum(map(len, groups.values())))


@lru_cache(maxsize=64)
def _norms(avgfl: float, B: float, K1: float) -> tuple:
    """BM25F's length normalisation for each length code (the same for every segment of
    a search, so computed once per index generation, not per segment and search)."""
    return tuple(K1 * ((1 - B) + B * length / avgfl) if length else None for length in LENGTH_OF_BYTE)


def _group_scorer(searcher, words: list[Term]):
    """A function of a group key giving the documents' score, as Whoosh computes it:
    BM25F per word (whoosh.scoring.bm25 written out, same operations in the same order,
    so the same floats), the posting weight for a field without lengths, summed."""
    per_word = []
    for word in words:
        text = searcher.schema[word.fieldname].to_bytes(word.text)
        if (word.fieldname, text) not in searcher.reader():
            per_word.append(None)  # the segment has no matches for it: no group needs it
            continue
        scorer = _scorer(searcher, word, text)
        if type(scorer) is WeightScorer:
            per_word.append(lambda tf, _length: tf)
            continue
        idf, K1, norm = scorer.idf, scorer.K1, _norms(scorer.avgfl, scorer.B, scorer.K1)
        per_word.append(lambda tf, length, idf=idf, K1=K1, norm=norm: idf * ((tf * (K1 + 1)) / (tf + norm[length])))

    def score(key: tuple) -> float:
        first = per_word[0](*key[0])
        return first if len(key) == 1 else first + per_word[1](*key[1])

    return score


def top_and_all(searcher, query, limit: int, allow, exclude, narrowing=None):
    """(Results with the `limit` best documents, Matches: every matching document), or
    None when the query is not one `plain_terms` accepts. Ties are broken as Whoosh's
    TopCollector breaks them: the lower document number first. `narrowing` names what
    `allow` and `exclude` hold (the models searched), so each segment's matches can be
    kept; None when they are arbitrary sets (nothing is kept)."""
    plain = plain_terms(query)
    if plain is None:
        return None
    words, slop = plain
    query_key = (tuple((word.fieldname, word.text) for word in words), slop)
    parts, scored_groups = [], []
    try:
        for subsearcher, offset in searcher.leaf_searchers():
            reader = subsearcher.reader()
            size = reader.doc_count_all()
            segment = reader.segment() if hasattr(reader, "segment") else None
            key = (segment.segment_id(), narrowing, query_key) if narrowing is not None and segment else None
            matches = _kept(key) if key else None
            if matches is None:
                matches = _segment_matches(subsearcher, words, slop, _keeper(offset, size, allow, exclude))
                if key:
                    _remember(key, matches)
            part = Part(matches, offset, reader, matches.gone(segment))
            parts.append(part)
            if matches.count:
                score = _group_scorer(subsearcher, words)
                scored_groups.extend((score(group), part, docs) for group, docs in matches.groups.items())
    except _Unsupported:
        return None
    return Results(searcher, query, _best(scored_groups, limit)), Matches(parts)


def _keeper(offset: int, size: int, allow, exclude):
    """Which of a segment's documents the narrowing keeps (allow and exclude hold global numbers)."""
    if not exclude:
        skip = set()
    elif size < len(exclude):  # a small segment (the one an update adds): its documents looked up
        skip = {doc for doc in range(size) if doc + offset in exclude}
    else:
        skip = {doc - offset for doc in exclude if offset <= doc < offset + size}
    if allow is None:
        return None if not skip else lambda doc: doc not in skip
    return lambda doc: doc + offset in allow and doc not in skip


def _best(scored_groups: list[tuple[float, Part, array]], limit: int) -> list[tuple[float, int]]:
    """The `limit` best (score, global document number) of the groups: by score, then
    the lower document number, reading only the best groups' documents."""
    scored_groups.sort(key=lambda item: item[0], reverse=True)
    best: list[tuple[float, int]] = []
    i = 0
    while i < len(scored_groups) and len(best) < limit:
        score, tied = scored_groups[i][0], []
        while i < len(scored_groups) and scored_groups[i][0] == score:
            _score, part, docs = scored_groups[i]
            tied.extend(part.offset + doc for doc in docs if doc not in part.gone)
            i += 1
        tied.sort()
        best.extend((score, doc) for doc in tied[: limit - len(best)])
    return best
