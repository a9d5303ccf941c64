"""The archive on a cluster: a node lost mid-run, and a rebuild while readers search.

Needs the cluster `make test-search-cluster` starts (VERBATIM_TEST_OPENSEARCH) and its
control script (VERBATIM_TEST_CLUSTER_SCRIPT), which stops and restarts node 2; node 1,
the cluster manager the tests talk to, stays up. Skipped, saying so, without them."""

import os
import subprocess
import threading

import pytest
from haystack.query import SearchQuerySet
from search_helpers import (
    OPENSEARCH_SKIPPED,
    OPENSEARCH_URL,
    drop_test_indices,
    make_event,
    opensearch_connection,
    use_connection,
)

from transcripts.models import Turn
from transcripts.search import indexing
from transcripts.search.api import find_turns
from transcripts.search.models import IndexTask

CLUSTER_SCRIPT = os.environ.get("VERBATIM_TEST_CLUSTER_SCRIPT", "")
NO_SCRIPT = (
    "!!! CLUSTER TESTS NOT RUN: set VERBATIM_TEST_CLUSTER_SCRIPT=tools/opensearch/cluster.sh "
    "(make test-search-cluster does) !!!"
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not OPENSEARCH_URL, reason=OPENSEARCH_SKIPPED),
]


def cluster(*args) -> None:
    subprocess.run([CLUSTER_SCRIPT, *args], check=True, timeout=300)


def indexed_turn_pks() -> set[int]:
    return indexing._indexed_pks(Turn)


@pytest.fixture
def opensearch(db, request):
    """OpenSearch where a write needs every copy of its shard (write_copies=all), with an
    empty index; the connection Whoosh had is put back after."""
    previous = indexing.connections.connections_info["default"]
    use_connection(opensearch_connection(write_copies="all"))
    try:
        indexing.backend().clear()
        yield indexing.backend()
    finally:
        use_connection(opensearch_connection())
        drop_test_indices()
        use_connection(previous)


@pytest.fixture
def node_two_comes_back():
    """Whatever the test does, node 2 is running again afterwards."""
    if not CLUSTER_SCRIPT:
        pytest.skip(NO_SCRIPT)
    yield
    cluster("start-node", "2")


def test_a_lost_node_search_answers_the_queue_keeps_the_work_and_applies_it_on_return(
    opensearch, sample_event, node_two_comes_back
):
    indexing.process_queue()
    before = {hit.turn_id for hit in find_turns("trafficking", limit=100)}
    assert len(before) == 26

    cluster("stop-node", "2")
    # Every shard still has a copy on node 1: search answers, the same turns.
    assert {hit.turn_id for hit in find_turns("trafficking", limit=100)} == before

    event = make_event(
        "Cobalt Supply Chains",
        date=None,
        turns=[("Siddharth Kara", "panelist", "Zanzibarite cobalt is mined by children in debt bondage.")],
    )
    queued = IndexTask.objects.count()
    assert queued > 0
    # A write needs both copies of its shard: refused while node 2 is away, and kept.
    with pytest.raises(indexing.IndexUnavailable, match="Queued work is kept"):
        indexing.process_batch()
    assert IndexTask.objects.count() == queued
    assert not find_turns("zanzibarite")

    cluster("start-node", "2")
    health = opensearch.conn.cluster.health(wait_for_status="green", timeout="120s", request_timeout=130)
    assert health["status"] == "green" and health["number_of_nodes"] == 2
    assert indexing.process_queue() == queued
    assert IndexTask.objects.count() == 0
    # Nothing lost: the index holds exactly the published turns, the new one found.
    assert indexed_turn_pks() == set(Turn.objects.values_list("pk", flat=True))
    assert [hit.event_slug for hit in find_turns("zanzibarite")] == [event.slug]


def test_search_answers_throughout_a_rebuild_that_swaps_the_alias(opensearch, sample_event):
    indexing.process_queue()
    old_indices = opensearch.indices_behind_alias()
    expected = SearchQuerySet().models(Turn).filter(content="trafficking").count()
    assert expected == 26

    answers, errors = [], []  # (whether the rebuild was running, the count)
    rebuilding, done, first = threading.Event(), threading.Event(), threading.Event()

    def reader():  # this thread's haystack backend reads the same alias
        while not done.is_set():
            try:
                count = SearchQuerySet().models(Turn).filter(content="trafficking").count()
                answers.append((rebuilding.is_set(), count))
            except Exception as exc:  # recorded: the assertion below shows it
                errors.append(exc)
            first.set()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        assert first.wait(timeout=60)
        rebuilding.set()

        def midway(_turns):  # half-written new index: wait for a search to answer now
            answered = len(answers)
            for _ in range(600):
                if len(answers) > answered or errors:
                    return
                threading.Event().wait(0.05)

        counts = indexing.rebuild(progress=midway)
        rebuilding.clear()
    finally:
        done.set()
        thread.join(timeout=60)

    assert counts["turns"] == Turn.objects.count()
    assert errors == []
    assert any(during for during, _ in answers)  # some searches ran while it rebuilt
    assert {count for _, count in answers} == {expected}  # never empty, never an error
    new_indices = opensearch.indices_behind_alias()
    assert len(new_indices) == 1 and new_indices != old_indices
    assert not opensearch.conn.indices.exists(index=old_indices[0])
