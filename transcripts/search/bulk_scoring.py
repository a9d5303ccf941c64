"""Scoring the matches of one word, or of two words that must both appear, a block of
postings at a time instead of through Whoosh's matcher and collector.

Whoosh scores a match with four or five method calls per document (matcher, scorer,
field length, collector); for a word in half the turns that was most of a search's time.
Here each segment's postings are read block by block (ids and term frequencies only,
as Whoosh stores them) and scored with BM25F's own formula and parameters, giving the
same numbers Whoosh gives. Anything else (phrases, OR, NOT, boosts, other weightings)
returns None and is searched the ordinary way.
"""

from __future__ import annotations

from heapq import nlargest

from whoosh.codec.whoosh3 import W3LeafMatcher, W3PerDocReader
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, Phrase, Term
from whoosh.scoring import BM25FScorer
from whoosh.searching import Results

from transcripts.search.whoosh_patches import LENGTH_OF_BYTE, length_bytes


def plain_terms(query) -> tuple[list[Term], int | None] | None:
    """The words of a query this module can score, and the slop when they are a phrase:
    one word, an AND of two, or a phrase of two (with more, Whoosh adds scores in a tree
    shaped by term sizes, which would round differently)."""
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


def _term_scores(searcher, term: Term, skip: frozenset | set, positions: dict | None = None) -> dict[int, float] | None:
    """{segment document number: BM25F score} for one word in one segment, leaving out
    deleted documents and those in `skip`; None when the postings or the weighting are
    not the kind read here. With `positions`, each document's encoded positions are put in it."""
    fieldname = term.fieldname
    if fieldname not in searcher.schema:
        return {}
    try:
        text = searcher.schema[fieldname].to_bytes(term.text)
    except ValueError:
        return {}
    reader = searcher.reader()
    if (fieldname, text) not in reader:
        return {}
    scorer = searcher.weighting.scorer(searcher, fieldname, text)
    if type(scorer) is not BM25FScorer:
        return None
    postings = reader.postings(fieldname, text)
    if type(postings) is FilterMatcher:  # the segment has deleted documents
        postings, skip = postings.child, skip | postings._ids
    if type(postings) is not W3LeafMatcher:
        return None
    ids, weights = [], []
    while postings.is_active():
        postings._read_ids()
        postings._read_weights()
        ids.extend(postings._ids)
        weights.extend(postings._weights)
        if positions is not None:
            postings._read_values()
            positions.update(zip(postings._ids, postings._values))
        postings._next_block()
    lengths = length_bytes(reader._perdoc, fieldname) if type(reader._perdoc) is W3PerDocReader else None
    if lengths is None:
        return None
    idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
    # whoosh.scoring.bm25 written out, the part that depends on the length computed once
    # per length code (the same operations in the same order, so the same floats).
    norm = [K1 * ((1 - B) + B * length / avgfl) if length else None for length in LENGTH_OF_BYTE]
    return {
        doc: idf * ((tf * (K1 + 1)) / (tf + norm[lengths[doc]])) for doc, tf in zip(ids, weights) if doc not in skip
    }


def top_and_all(searcher, query, limit: int, allow, exclude):
    """(Results with the `limit` best documents, every matching document number), or
    None when the query is not one `plain_terms` accepts. Ties are broken as Whoosh's
    TopCollector breaks them: the lower document number first."""
    plain = plain_terms(query)
    if plain is None:
        return None
    words, slop = plain
    scored: dict[int, float] = {}
    for subsearcher, offset in searcher.leaf_searchers():
        size = subsearcher.reader().doc_count_all()
        skip = {doc - offset for doc in exclude if offset <= doc < offset + size} if exclude else frozenset()
        positions = [{} if slop is not None else None for _ in words]
        per_word = [_term_scores(subsearcher, word, skip, found) for word, found in zip(words, positions)]
        if any(scores is None for scores in per_word):
            return None
        if len(per_word) == 1:
            segment = per_word[0]
        else:  # Whoosh's IntersectionMatcher: the sum of both words' scores
            first, second = sorted(per_word, key=len)
            segment = {doc: first[doc] + second[doc] for doc in first if doc in second}
        if slop is not None:  # a phrase: only where the words are in order and near
            decode = subsearcher.schema[words[0].fieldname].format.decode_positions
            segment = {
                doc: score
                for doc, score in segment.items()
                if _in_order(positions[0][doc], positions[1][doc], decode, slop)
            }
        if allow is not None:
            segment = {doc: score for doc, score in segment.items() if doc + offset in allow}
        scored.update(zip(map(offset.__add__, segment), segment.values()) if offset else segment)
    if len(scored) > limit:  # only documents scoring at least the limit-th best can be in the top
        floor = sorted(scored.values())[-limit]
        candidates = [(score, -doc) for doc, score in scored.items() if score >= floor]
    else:
        candidates = [(score, -doc) for doc, score in scored.items()]
    best = nlargest(limit, candidates)
    return Results(searcher, query, [(score, -negated) for score, negated in best]), list(scored)
