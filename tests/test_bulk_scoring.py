"""Bulk scoring (transcripts.search.bulk_scoring) gives exactly what Whoosh's own
collector gives: the same matches, the same BM25F scores, the same top documents in
the same order, with deleted documents and a model narrowing left out."""

import pytest
from search_helpers import process_queue, search_index, searchable_sample  # noqa: F401
from whoosh.collectors import FilterCollector, UnlimitedCollector

from transcripts.models import Turn
from transcripts.search import bulk_scoring, indexing
from transcripts.search.whoosh_backend import MatchRecordingCollector

QUERIES = [
    "trafficking",
    "survivors",
    "human rights",
    "forced labor",
    '"forced labor"',
    '"human trafficking"',
    '"labor forced"',
    '"trafficking survivors"~3',
    "nosuchword",
    '"nosuchword trafficking"',
]


def _whoosh(searcher, query, limit, allow, exclude):
    recorder = MatchRecordingCollector(limit=limit)
    collector = FilterCollector(recorder, allow, exclude) if allow is not None or exclude else recorder
    searcher.search_with_collector(query, collector)
    results = collector.results()
    return [(results.score(i), results.docnum(i)) for i in range(results.scored_length())], sorted(recorder.matched)


@pytest.fixture
def with_deletions(searchable_sample):
    """Two turns re-indexed, so a segment holds deleted copies of them."""
    for turn in Turn.objects.filter(text__icontains="trafficking")[:2]:
        turn.save()
    process_queue()
    assert indexing.backend()._current_searcher().reader().has_deletions()
    return searchable_sample


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("limit", [1, 3, 20])
def test_bulk_scoring_equals_whoosh(with_deletions, text, limit):
    backend = indexing.backend()
    searcher = backend._current_searcher()
    allow, exclude = backend._model_docs(searcher, [Turn])
    query = backend._parser_for([Turn]).parse(text)
    if bulk_scoring.plain_terms(query) is None:  # a word the index lacks parses to a query Whoosh answers itself
        assert text == "nosuchword"
        return
    bulk = bulk_scoring.top_and_all(searcher, query, limit, allow, exclude)
    assert bulk is not None, f"{text!r} was not scored on the bulk path"  # else nothing below is compared
    results, matched = bulk
    assert matched or "nosuchword" in text or text == '"labor forced"'
    top = [(results.score(i), results.docnum(i)) for i in range(results.scored_length())]
    assert (top, sorted(matched)) == _whoosh(searcher, query, limit, allow, exclude)


def test_top_is_a_full_sort_by_score(with_deletions):
    backend = indexing.backend()
    searcher = backend._current_searcher()
    query = backend._parser_for([Turn]).parse("trafficking")
    every = UnlimitedCollector()
    searcher.search_with_collector(query, every)
    full = every.results()
    by_score = sorted(
        ((full.score(i), full.docnum(i)) for i in range(full.scored_length())), key=lambda item: (-item[0], item[1])
    )
    results, matched = bulk_scoring.top_and_all(searcher, query, 5, None, None)
    assert len(matched) == len(by_score) > 5
    assert [(results.score(i), results.docnum(i)) for i in range(results.scored_length())] == by_score[:5]


def test_other_queries_are_left_to_whoosh(searchable_sample):
    parser = indexing.backend()._parser_for([Turn])
    for text in [
        "trafficking OR survivors",
        "trafficking NOT survivors",
        "human rights survivors",
        '"forced labor trafficking"',
        "trafficking^2",
        "traffick*",
    ]:
        assert bulk_scoring.plain_terms(parser.parse(text)) is None, text
