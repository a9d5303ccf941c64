"""What only the OpenSearch adapter has to prove: its analysis is the one highlighting uses
(so a word is marked exactly when the engine matched it), its index has the promised
shards and replicas behind an alias, and the engine's errors become "search unavailable"
rather than an empty result. The behaviour both engines share is tested once, on each
engine, by the files that use the `search_engine` fixture (tests/search_helpers.py)."""

import string

import pytest
from conftest import SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_helpers import (  # noqa: F401
    OPENSEARCH_SKIPPED,
    OPENSEARCH_URL,
    drop_test_indices,
    make_event,
    opensearch_connection,
    process_queue,
    search_engine,
    search_index,
    use_connection,
)

from transcripts.normalise import words
from transcripts.search import indexing
from transcripts.search.api import SearchUnavailable, find_turns
from transcripts.search.text import terms

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not OPENSEARCH_URL, reason=OPENSEARCH_SKIPPED),
]

# Real English from the sample panel, where Porter's rules are exercised, plus letters
# that folding has to handle the way normalise.fold does.
VOCABULARY = sorted(set(words(SAMPLE.read_text(encoding="utf-8")))) if SAMPLE.exists() else ["trafficking"]
FOLDED_LETTERS = "éèêëàâäåçñøæœßÉÅØÆłđðþ"
SEPARATORS = [" ", ", ", ". ", "'", "\u2019", "-", "\u2014", '"', "\u201c", "\n", "\u00a0", "/", "("]


@pytest.fixture
def opensearch(db):
    """The OpenSearch engine with an empty index; yields its backend."""
    previous = indexing.connections.connections_info["default"]
    use_connection(opensearch_connection())
    try:
        indexing.backend().clear()
        yield indexing.backend()
    finally:
        use_connection(opensearch_connection())
        drop_test_indices()
        use_connection(previous)


def engine_terms(backend, text: str) -> list[str]:
    body = {"analyzer": "verbatim", "text": text}
    return [token["token"] for token in backend.conn.indices.analyze(index=backend.index_name, body=body)["tokens"]]


def test_every_word_of_the_sample_is_one_term_on_both_sides(opensearch):
    assert len(VOCABULARY) > 1000
    text = " ".join(VOCABULARY)
    assert engine_terms(opensearch, text) == [term.text for term in terms(text)]


@given(
    st.lists(
        st.one_of(
            st.sampled_from(VOCABULARY),
            st.text(alphabet=string.ascii_letters + string.digits + FOLDED_LETTERS, min_size=1, max_size=12),
        ),
        min_size=1,
        max_size=12,
    ),
    st.lists(st.sampled_from(SEPARATORS), min_size=12, max_size=12),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_engine_analysis_is_highlightings_analysis(opensearch, pieces, separators):
    text = "".join(piece + separator for piece, separator in zip(pieces, separators))
    assert engine_terms(opensearch, text) == [term.text for term in terms(text)]


def test_index_has_two_shards_and_a_replica_behind_an_alias(opensearch):
    behind = opensearch.indices_behind_alias()
    assert len(behind) == 1 and behind[0].startswith(opensearch.index_name + "-")
    index_settings = opensearch.conn.indices.get_settings(index=opensearch.index_name)[behind[0]]["settings"]["index"]
    assert (index_settings["number_of_shards"], index_settings["number_of_replicas"]) == ("2", "1")


def test_clear_swaps_in_a_new_index_and_deletes_the_old(opensearch):
    before = opensearch.indices_behind_alias()
    opensearch.clear()
    after = opensearch.indices_behind_alias()
    assert len(after) == 1 and after != before
    assert not opensearch.conn.indices.exists(index=before[0])


def test_a_missing_index_is_unavailable_and_the_consumer_does_not_create_it(opensearch, sample_event):
    use_connection(opensearch_connection() | {"INDEX_NAME": "verbatim-test-never-built"})
    with pytest.raises(SearchUnavailable, match="unavailable"):
        find_turns("trafficking")
    with pytest.raises(indexing.IndexUnavailable, match="rebuild_index"):
        process_queue()
    assert not indexing.backend().conn.indices.exists(index="verbatim-test-never-built")
    assert indexing.index_exists() is False


def test_an_unreachable_cluster_is_unavailable_not_empty(opensearch, searchable_sample_on_opensearch):
    use_connection(opensearch_connection() | {"URL": ["http://127.0.0.1:9"], "TIMEOUT": 2})
    with pytest.raises(SearchUnavailable, match="unavailable"):
        find_turns("trafficking")


@pytest.fixture
def searchable_sample_on_opensearch(opensearch, sample_event):
    process_queue()
    assert find_turns("trafficking")  # reachable, the sample indexed
    return sample_event


def test_a_document_the_engine_refuses_is_set_aside_and_blocks_nothing(opensearch, monkeypatch):
    from transcripts.search.models import IndexTask
    from transcripts.search.search_indexes import TurnIndex

    first = make_event("Tin Panel", date=None, turns=[("Ed Exact", "panelist", "Words about tin.")])
    second = make_event("Lithium Panel", date=None, turns=[("Cy Calm", "panelist", "Words about lithium.")])
    bad = first.turns.get()
    prepare_event_id = TurnIndex.prepare_event_id
    # A value the index's mapping (a number) cannot take: the engine refuses that document.
    monkeypatch.setattr(
        TurnIndex,
        "prepare_event_id",
        lambda self, turn: "not a number" if turn.pk == bad.pk else prepare_event_id(self, turn),
    )
    IndexTask.objects.all().delete()
    IndexTask.objects.create(model="transcripts.turn", object_id=bad.pk, action="update")
    IndexTask.objects.create(model="transcripts.turn", object_id=second.turns.get().pk, action="update")

    outcomes = [indexing.process_batch() for _ in range(3)]
    assert (outcomes[0].applied, outcomes[0].failed) == (1, 1)
    assert [hit.event_title for hit in find_turns("lithium")] == ["Lithium Panel"]
    assert [(t.object_id, t.attempts) for t in outcomes[2].set_aside] == [(bad.pk, 3)]
    task = IndexTask.objects.get()
    assert task.set_aside_at is not None and task.last_error.startswith(
        "DocumentRefused: OpenSearch refused 1 document"
    )
    assert find_turns("tin") == []


def test_a_rebuild_builds_fast_and_swaps_in_an_index_with_its_replicas(opensearch, sample_event):
    seen_while_building = []

    def settings_now(_turns):  # the index being written, before the swap
        every = opensearch.conn.indices.get(index=f"{opensearch.index_name}-*")
        building = [name for name in every if name not in opensearch.indices_behind_alias()]
        found = opensearch.conn.indices.get_settings(index=building[0])[building[0]]["settings"]["index"]
        seen_while_building.append((found["number_of_replicas"], found.get("refresh_interval")))

    counts = indexing.rebuild(progress=settings_now)

    assert counts["turns"] == sample_event.turns.count()
    assert set(seen_while_building) == {("0", "-1")}
    [live] = opensearch.indices_behind_alias()
    index_settings = opensearch.conn.indices.get_settings(index=live)[live]["settings"]["index"]
    assert (index_settings["number_of_replicas"], index_settings.get("refresh_interval")) == ("1", None)
    assert opensearch.conn.cluster.health(index=live)["status"] == "green"  # both copies made before the swap
    assert len(find_turns("trafficking", limit=100)) == 26
