"""Bulk scoring (transcripts.search.bulk_scoring) gives exactly what Whoosh's own
collector gives: the same matches, the same BM25F scores, the same top documents in
the same order, with deleted documents and a model narrowing left out."""

import pytest
from search_helpers import process_queue, search_index, searchable_sample  # noqa: F401
from whoosh.collectors import FilterCollector, UnlimitedCollector

from transcripts.models import Turn
from transcripts.operations import effects
from transcripts.operations.edits import delete_turns
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
    effects.queue_index(turns=Turn.objects.filter(text__icontains="trafficking")[:2])
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


def _speaker_of_most(word: str) -> str:
    from django.db.models import Count

    return (
        Turn.objects.filter(text__icontains=word, appearance__isnull=False)
        .values("appearance__person__slug")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["appearance__person__slug"]
    )


@pytest.mark.parametrize("limit", [1, 3, 20])
def test_speaker_filter_is_scored_in_bulk_equal_to_whoosh(with_deletions, limit):
    """A word with a speaker filter (the search page's speaker facet) is a word AND a term
    on a field without lengths, which Whoosh scores by its posting weight."""
    backend = indexing.backend()
    searcher = backend._current_searcher()
    allow, exclude = backend._model_docs(searcher, [Turn])
    speaker = _speaker_of_most("trafficking")
    query = backend._parser_for([Turn]).parse(f'(trafficking) AND person:("{speaker}")')
    bulk = bulk_scoring.top_and_all(searcher, query, limit, allow, exclude)
    assert bulk is not None
    results, matched = bulk
    expected = Turn.objects.filter(text__icontains="trafficking", appearance__person__slug=speaker).count()
    assert len(matched) == expected > 1
    top = [(results.score(i), results.docnum(i)) for i in range(results.scored_length())]
    assert (top, sorted(matched)) == _whoosh(searcher, query, limit, allow, exclude)


def test_kept_segment_matches_give_what_a_fresh_read_gives(with_deletions, monkeypatch):
    """Each segment's matches are kept (by segment id, deletions, narrowing, words): the
    second search reads no postings, and after an update only the new segment's."""
    backend = indexing.backend()
    read = []
    original = bulk_scoring._segment_matches
    monkeypatch.setattr(bulk_scoring, "_segment_matches", lambda s, *a: read.append(s.reader()) or original(s, *a))

    def search(text):
        searcher = backend._current_searcher()
        allow, exclude = backend._model_docs(searcher, [Turn])
        query = backend._parser_for([Turn]).parse(text)
        results, matched = bulk_scoring.top_and_all(searcher, query, 20, allow, exclude, frozenset({"turn"}))
        top = [(results.score(i), results.docnum(i)) for i in range(results.scored_length())]
        assert (top, sorted(matched)) == _whoosh(searcher, query, 20, allow, exclude)
        return top, len(matched)

    segments = len(list(backend._current_searcher().reader().leaf_readers()))
    first = search('"human trafficking"')
    assert len(read) == segments
    read.clear()
    assert search('"human trafficking"') == first
    assert read == []  # every segment's matches were kept
    before = {leaf.segment().segment_id() for leaf, _ in backend._current_searcher().reader().leaf_readers()}
    effects.queue_index(turns=[Turn.objects.filter(text__icontains="human trafficking").first()])
    process_queue()
    assert search('"human trafficking"')[1] == first[1]  # same text re-indexed: same number of matches
    # Only the consumer's new segment was read: the old copy's deletion in a kept
    # segment is taken out at search time.
    after = {leaf.segment().segment_id() for leaf, _ in backend._current_searcher().reader().leaf_readers()}
    assert read and {r.segment().segment_id() for r in read} <= after - before


def test_documents_deleted_after_their_segment_was_kept_are_left_out(searchable_sample):
    """Totals, facet counts and the top from kept matches equal a fresh read when turns of
    a kept segment were deleted since (re-indexed: their old copies are deleted)."""
    from transcripts.search import engine
    from transcripts.search.engine import run_turn_search

    def search():
        found = run_turn_search("trafficking", limit=20, with_facets=True)
        return found.total, [h.turn_id for h in found.hits], found.facets

    search()  # every segment's matches kept
    # gone from the database and, through the queue, from the index
    delete_turns(list(Turn.objects.filter(text__icontains="trafficking")[:3]))
    process_queue()
    backend = indexing.backend()
    assert backend._current_searcher().reader().has_deletions()
    kept = search()
    assert kept[0] == Turn.objects.filter(text__icontains="trafficking").count() == 23
    bulk_scoring.forget_all()
    engine.RESULTS.clear()
    assert search() == kept  # the same as reading every segment again


def test_people_and_events_are_scored_in_bulk(searchable_sample):
    """Names and titles have fields of their own, which segments holding only turns have
    no lengths for: those segments match nothing and the search stays on the bulk path."""
    from transcripts.models import Event, Person

    backend = indexing.backend()
    effects.queue_index(turns=[Turn.objects.filter(text__icontains="trafficking").first()])
    process_queue()  # a new segment with one turn and no names or titles
    searcher = backend._current_searcher()
    surname = searchable_sample.appearances.first().person.name.split()[-1]
    for model, word in [(Event, "trafficking"), (Person, surname)]:
        allow, exclude = backend._model_docs(searcher, [model])
        query = backend._parser_for([model]).parse(word)
        bulk = bulk_scoring.top_and_all(searcher, query, 5, allow, exclude)
        assert bulk is not None, model
        results, matched = bulk
        top = [(results.score(i), results.docnum(i)) for i in range(results.scored_length())]
        assert len(matched) >= 1
        assert (top, sorted(matched)) == _whoosh(searcher, query, 5, allow, exclude)


def test_what_is_kept_stays_within_its_bound(searchable_sample, monkeypatch):
    """The least recently used segment matches are dropped past MAX_KEPT_BYTES (their
    documents and facet counts); a search whose matches were dropped reads its segments
    again and answers the same."""
    from transcripts.search import engine
    from transcripts.search.engine import run_turn_search

    bulk_scoring.forget_all()
    first = run_turn_search("trafficking", limit=20, with_facets=True)
    kept = list(bulk_scoring._KEPT.values())
    assert kept and all(m.facets for m in kept)  # facet counts kept with the matches
    assert bulk_scoring._kept_bytes == sum(m.weight for m in kept) > 26 * bulk_scoring.DOCUMENT_BYTES
    monkeypatch.setattr(bulk_scoring, "MAX_KEPT_BYTES", bulk_scoring._kept_bytes)
    run_turn_search("survivors", limit=20, with_facets=True)  # pushes the older matches out
    assert bulk_scoring._kept_bytes <= bulk_scoring.MAX_KEPT_BYTES or len(bulk_scoring._KEPT) == 1
    assert not any(m in kept for m in bulk_scoring._KEPT.values())
    assert bulk_scoring._kept_bytes == sum(m.weight for m in bulk_scoring._KEPT.values())
    engine.RESULTS.clear()
    again = run_turn_search("trafficking", limit=20, with_facets=True)
    assert (again.total, [h.turn_id for h in again.hits], again.facets) == (
        first.total,
        [h.turn_id for h in first.hits],
        first.facets,
    )


@pytest.mark.parametrize("size", [1, 3, 50, 400])
def test_a_segment_keeps_exactly_its_documents_outside_the_excluded_and_inside_the_allowed(size):
    """Whichever side is walked (the segment's documents when it is the smaller, the
    excluded set otherwise), the same documents are kept."""
    offset = 100
    exclude = {5, 99, 100, 102, 150, 499, 500, 900}
    allow = set(range(0, 1000, 2))
    keep = bulk_scoring._keeper(offset, size, allow, exclude)
    kept = [doc for doc in range(size) if keep(doc)]
    assert kept == [doc for doc in range(size) if doc + offset in allow and doc + offset not in exclude]
    only_exclude = bulk_scoring._keeper(offset, size, None, exclude)
    assert [doc for doc in range(size) if only_exclude(doc)] == [
        doc for doc in range(size) if doc + offset not in exclude
    ]
    assert bulk_scoring._keeper(offset, size, None, set()) is None
