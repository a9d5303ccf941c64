"""The first search after an index update: what Whoosh opens anew
for every segment is cached by segment id, so only the new segment is read; and the
results cache is keyed by the index generation, so an update never serves stale results."""

from search_helpers import process_queue, search_index, searchable_sample  # noqa: F401
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

from transcripts.models import Turn
from transcripts.operations import effects
from transcripts.search import engine, indexing, whoosh_patches
from transcripts.search.engine import run_turn_search
from transcripts.search.queue import TURN, enqueue


def _leaves(backend):
    return list(backend._current_searcher().reader().leaf_readers())


def _reindex_one_turn():
    effects.queue_index(turns=[Turn.objects.filter(text__icontains="trafficking").first()])
    assert process_queue() >= 1


def test_lengths_read_in_one_slice_equal_whoosh_column(searchable_sample):
    backend = indexing.backend()
    field = backend.content_field_name
    for leaf, _offset in _leaves(backend):
        column = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        one_by_one = bytes(column[n] for n in range(leaf.doc_count_all()))
        assert whoosh_patches._read_lengths(column, leaf.doc_count_all()) == one_by_one
        assert whoosh_patches.length_bytes(leaf._perdoc, field) == one_by_one
        assert any(one_by_one)  # turns have words


def test_after_an_update_only_the_new_segment_lengths_are_read(searchable_sample, monkeypatch):
    backend = indexing.backend()
    assert run_turn_search("trafficking").total == 26
    before = {leaf.segment().segment_id() for leaf, _ in _leaves(backend)}
    read = []
    original = whoosh_patches._read_lengths
    monkeypatch.setattr(whoosh_patches, "_read_lengths", lambda reader, n: read.append(n) or original(reader, n))
    _reindex_one_turn()
    assert run_turn_search("trafficking").total == 26
    after = {leaf.segment().segment_id() for leaf, _ in _leaves(backend)}
    new = after - before
    assert len(new) == 1  # the consumer's commit wrote one small segment
    # Lengths were decoded for the new one-document segment only (by the writer's flush and
    # then kept for the search), not again for every segment of the index.
    assert read and all(n == 1 for n in read), read
    # Nothing kept for segments that left the index (merged away), everything for those in it.
    assert {key[0] for key in whoosh_patches._SEGMENT_LENGTHS if key[0] in before | after} <= after


def test_model_narrowing_is_kept_per_segment(searchable_sample, monkeypatch):
    backend = indexing.backend()
    searcher = backend._current_searcher()
    allow, exclude = backend._model_docs(searcher, [Turn])
    # Every person and event document is excluded from a turn search, no turn is.
    assert allow is None and exclude
    stored = searcher.reader().all_stored_fields()
    kinds = {n: fields["django_ct"] for n, fields in zip(searcher.reader().all_doc_ids(), stored, strict=True)}
    assert {kinds[n] for n in exclude} == {"transcripts.person", "transcripts.event"}
    assert sum(1 for ct in kinds.values() if ct != "transcripts.turn") == len(exclude)


def test_generation_moves_on_with_every_update_and_rebuild(searchable_sample):
    backend = indexing.backend()
    first = backend.generation()
    assert backend.generation() == first  # stable while the index is unchanged
    _reindex_one_turn()
    second = backend.generation()
    assert second != first
    indexing.rebuild()
    assert backend.generation() not in (first, second)


def test_results_cache_serves_repeats_and_never_a_stale_result(searchable_sample, monkeypatch):
    calls = []
    original = engine._guarded
    monkeypatch.setattr(engine, "_guarded", lambda run: calls.append(1) or original(run))
    first = run_turn_search("trafficking", limit=20, with_facets=True)
    again = run_turn_search("trafficking", limit=20, with_facets=True)
    assert len(calls) == 1  # the repeat came from the cache
    assert [h.turn_id for h in again.hits] == [h.turn_id for h in first.hits] and again.total == first.total == 26
    assert again.facets == first.facets
    # An update: a turn gains a word; the same search of that word asks the index again.
    assert run_turn_search("zanzibar").total == 0
    turn = Turn.objects.get(pk=first.hits[0].turn_id)
    Turn.objects.filter(pk=turn.pk).update(text=turn.text + " Zanzibar.")
    enqueue(TURN, [turn.pk])
    process_queue()
    calls.clear()
    after = run_turn_search("zanzibar")
    assert len(calls) == 1
    assert after.total == 1 and [h.turn_id for h in after.hits] == [turn.pk]


def test_no_cache_when_the_backend_names_no_generation(searchable_sample, monkeypatch):
    """Elasticsearch and Solr backends have no generation(): every search asks the engine."""
    monkeypatch.setattr(type(indexing.backend()), "generation", property(lambda self: None))
    calls = []
    original = engine._guarded
    monkeypatch.setattr(engine, "_guarded", lambda run: calls.append(1) or original(run))
    for _ in range(2):
        assert run_turn_search("trafficking").total == 26
    assert len(calls) == 2


def test_refresh_keeps_the_readers_of_unchanged_segments(searchable_sample):
    """After an update, the refreshed searcher reuses the open reader of every segment
    whose files and deletions are unchanged, opens the rest, and still finds exactly
    what the database holds."""
    backend = indexing.backend()
    assert whoosh_patches.is_applied()
    _reindex_one_turn()  # the old copy of that turn is now deleted in the first segment
    before = {leaf.segment().segment_id(): (leaf, leaf.segment().deleted_count()) for leaf, _ in _leaves(backend)}
    generation = backend.generation()
    effects.queue_index(turns=[Turn.objects.filter(text__icontains="trafficking").last()])
    assert process_queue() >= 1
    assert backend.generation() != generation  # a reused reader still names the new generation
    after = {leaf.segment().segment_id(): leaf for leaf, _ in _leaves(backend)}
    reused = [sid for sid, leaf in after.items() if sid in before and leaf is before[sid][0]]
    for sid, leaf in after.items():
        if sid in before and leaf.segment().deleted_count() == before[sid][1]:
            assert sid in reused, sid  # unchanged: the same reader object
        elif sid in before:
            assert sid not in reused  # a deletion since: opened again, so it sees it
    assert reused
    assert run_turn_search("trafficking").total == 26


def test_names_and_titles_boxes_are_kept_per_generation(searchable_sample, monkeypatch):
    """The people and events boxes' searches are kept like the turn search's answers:
    a repeat asks the index nothing, an index update asks it again."""
    parsed = engine.parse_query("trafficking")
    calls = []
    original = engine._guarded
    monkeypatch.setattr(engine, "_guarded", lambda run: calls.append(1) or original(run))
    events = engine.find_events(parsed)
    assert [e.pk for e in events] == [searchable_sample.pk] and len(calls) == 1
    assert engine.find_events(parsed) == events and len(calls) == 1  # the repeat came from the cache
    effects.queue_index(events=[searchable_sample])  # re-indexed through the queue: a new generation
    process_queue()
    assert engine.find_events(parsed) == events and len(calls) == 2


def test_people_and_events_with_the_same_words_are_kept_apart(searchable_sample):
    """The results cache's key names the models searched: the people box's answer is
    never served as the events box's (the same words make the same query string)."""
    parsed = engine.parse_query("Siddharth Kara")
    people = engine.find_people(parsed)
    events = engine.find_events(parsed)
    assert [p.slug for p in people] == ["siddharth-kara"]
    assert [e.pk for e in events] == [searchable_sample.pk]
    assert [e.pk for e in engine.find_events(parsed)] == [searchable_sample.pk]
