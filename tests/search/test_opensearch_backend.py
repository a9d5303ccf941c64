"""How the OpenSearch adapter builds an index in a rebuild, with the client replaced at its
boundary (the Elasticsearch object and the bulk helper), so these run without a cluster:
fast settings while nobody reads the new index, documents gathered into big bulk
requests, and the real settings and replicas back before the alias moves to it.
tests/search/test_search_engines.py checks the same on a real cluster."""

import threading
from unittest import mock

import elasticsearch
import pytest
from haystack.exceptions import SearchBackendError

from transcripts.search import opensearch_backend
from transcripts.search.opensearch_backend import BULK_DOCUMENTS, VerbatimOpenSearchBackend


class FakeIndex:
    """A search index whose documents are numbered dicts (what full_prepare returns)."""

    def full_prepare(self, number):
        return {"id": f"transcripts.turn.{number}", "django_id": str(number), "text": f"turn {number}"}


class Cluster:
    """The client's calls, in order, as (what, detail)."""

    def __init__(self, data_nodes=2, timed_out=False):
        self.calls = []
        self.conn = mock.MagicMock()
        self.conn.indices.exists.return_value = True
        self.conn.indices.exists_alias.return_value = True
        self.conn.indices.get_alias.return_value = {"verbatim-old": {}}
        self.conn.indices.create.side_effect = lambda index, body, **kw: self.calls.append(("create", body))
        self.conn.indices.put_settings.side_effect = lambda index, body: self.calls.append(("settings", body))
        self.conn.indices.refresh.side_effect = lambda index: self.calls.append(("refresh", index))
        self.conn.indices.flush.side_effect = lambda index, **kw: self.calls.append(("flush", index))
        self.conn.indices.update_aliases.side_effect = lambda body: self.calls.append(("swap", body))
        self.conn.indices.delete.side_effect = lambda index, **kw: self.calls.append(("delete", index))

        def health(index=None, **kwargs):
            if "wait_for_status" in kwargs:
                self.calls.append(("wait", kwargs["wait_for_status"]))
                return {"timed_out": timed_out, "status": "yellow" if timed_out else "green"}
            return {"number_of_data_nodes": data_nodes}

        self.conn.cluster.health.side_effect = health

    def bulk(self, conn, documents, index, **kwargs):
        self.calls.append(("bulk", [doc["django_id"] for doc in documents]))
        return len(documents), []

    def named(self, what):
        return [detail for name, detail in self.calls if name == what]


CLIENT = "haystack.backends.elasticsearch_backend.elasticsearch.Elasticsearch"


def connect(monkeypatch, fake: Cluster) -> Cluster:
    """Every backend made from now on talks to `fake`; its pauses are recorded, not slept."""
    monkeypatch.setattr(CLIENT, lambda *args, **kwargs: fake.conn)
    monkeypatch.setattr(opensearch_backend.time, "sleep", lambda seconds: fake.calls.append(("slept", seconds)))
    monkeypatch.setattr(opensearch_backend, "bulk", fake.bulk)
    monkeypatch.setattr(VerbatimOpenSearchBackend, "_schema", lambda self: {"properties": {}})
    return fake


@pytest.fixture
def cluster(monkeypatch):
    return connect(monkeypatch, Cluster())


def backend(**options):
    settings = {"URL": ["http://127.0.0.1:9"], "INDEX_NAME": "verbatim", "INCLUDE_SPELLING": True}  # as archive/env.py
    return VerbatimOpenSearchBackend("default", **settings, **options)


def test_a_rebuild_writes_without_replicas_or_refresh_and_puts_both_back_before_the_swap(cluster):
    with backend().build_aside() as aside:
        aside.update(FakeIndex(), range(10))

    created = cluster.named("create")[0]["settings"]["index"]
    assert (created["number_of_replicas"], created["refresh_interval"]) == (0, "-1")
    assert created["number_of_shards"] == 2
    restored = cluster.named("settings")[0]["index"]
    assert restored == {"number_of_replicas": 1, "refresh_interval": None, "write.wait_for_active_shards": "1"}
    order = [name for name, _ in cluster.calls]
    # Searchable, committed (so a replica copies files rather than replaying every
    # write), settings back, every replica copied: only then does the alias move.
    # The old index is deleted only after the move, once searches reading it have finished.
    assert order == ["create", "bulk", "refresh", "flush", "settings", "wait", "swap", "slept", "delete"]
    assert cluster.named("wait") == ["green"]
    actions = cluster.named("swap")[0]["actions"]
    assert actions[0]["add"]["index"].startswith("verbatim-")
    assert actions[1:] == [{"remove": {"index": "verbatim-old", "alias": "verbatim"}}]
    assert cluster.named("slept") == [opensearch_backend.SWAP_DRAIN_SECONDS]
    assert cluster.named("delete") == ["verbatim-old"]


def test_a_rebuild_prepares_the_next_documents_while_the_cluster_indexes_the_last_ones(monkeypatch):
    fake = connect(monkeypatch, Cluster())
    indexing, release = threading.Event(), threading.Event()
    sent = []

    def slow_bulk(conn, documents, index, **kwargs):  # the cluster busy with a request
        indexing.set()
        assert release.wait(timeout=30)
        sent.append(len(documents))
        return len(documents), []

    monkeypatch.setattr(opensearch_backend, "bulk", slow_bulk)
    with backend().build_aside() as aside:
        aside.update(FakeIndex(), range(BULK_DOCUMENTS))  # a full batch: handed over
        assert indexing.wait(timeout=30)
        aside.update(FakeIndex(), range(BULK_DOCUMENTS, BULK_DOCUMENTS + 5))  # read meanwhile
        assert sent == []  # the first request is still being indexed
        release.set()
    assert sent == [BULK_DOCUMENTS, 5]
    assert [name for name, _ in fake.calls][-3:] == ["swap", "slept", "delete"]


def test_a_bulk_request_refused_on_the_sending_thread_fails_the_rebuild_and_keeps_the_live_index(monkeypatch):
    fake = connect(monkeypatch, Cluster())

    def refusing_bulk(conn, documents, index, **kwargs):
        raise elasticsearch.ConnectionError("N/A", "node gone", None)

    monkeypatch.setattr(opensearch_backend, "bulk", refusing_bulk)
    with pytest.raises(SearchBackendError, match="node gone"), backend().build_aside() as aside:
        aside.update(FakeIndex(), range(BULK_DOCUMENTS + 1))
    assert "swap" not in [name for name, _ in fake.calls]
    assert len(fake.named("delete")) == 1  # the unfinished index, not the live one
    assert fake.named("delete")[0].startswith("verbatim-2")


def test_a_rebuild_gathers_documents_across_updates_into_big_requests(cluster):
    per_event = 65
    events = 2 * BULK_DOCUMENTS // per_event + 3
    with backend().build_aside() as aside:
        for event in range(events):
            aside.update(FakeIndex(), range(event * per_event, (event + 1) * per_event))
        sent_before_the_end = sum(len(ids) for ids in cluster.named("bulk"))

    requests = cluster.named("bulk")
    assert [len(ids) >= BULK_DOCUMENTS for ids in requests] == [True, True, False]
    # The first request had gone (the second waited for it); the second may still have
    # been in flight; the rest went once the block ended.
    assert len(requests[0]) <= sent_before_the_end <= sum(len(ids) for ids in requests[:2])
    every_id = [int(number) for ids in requests for number in ids]
    assert every_id == list(range(events * per_event))  # each once, in order, the rest sent at the end
    assert len(cluster.named("refresh")) == 1  # one refresh for the whole build


def test_writes_outside_a_rebuild_are_sent_at_once(cluster):
    live = backend()
    live.setup_complete = True
    live.update(FakeIndex(), range(3))
    assert cluster.calls == [("bulk", ["0", "1", "2"]), ("refresh", "verbatim")]


def test_a_failed_rebuild_deletes_its_index_and_never_swaps(cluster):
    with pytest.raises(RuntimeError, match="database went away"), backend().build_aside() as aside:
        aside.update(FakeIndex(), range(5))
        raise RuntimeError("database went away")
    assert [name for name, _ in cluster.calls] == ["create", "delete"]  # the 5 never sent


def test_without_a_node_for_the_replicas_the_swap_does_not_wait(cluster):
    cluster.conn.cluster.health.side_effect = lambda **kwargs: {"number_of_data_nodes": 1}
    with backend().build_aside() as aside:
        aside.update(FakeIndex(), range(3))
    assert [name for name, _ in cluster.calls] == [
        "create",
        "bulk",
        "refresh",
        "flush",
        "settings",
        "swap",
        "slept",
        "delete",
    ]


def test_every_copy_required_and_not_all_copied_refuses_the_swap(monkeypatch):
    fake = connect(monkeypatch, Cluster(timed_out=True))
    refused = pytest.raises(SearchBackendError, match="did not get all its copies .*start every node")
    with refused, backend(WRITE_COPIES="all").build_aside() as aside:
        aside.update(FakeIndex(), range(3))
    assert "swap" not in [name for name, _ in fake.calls]
    assert fake.named("delete")  # the unfinished index is gone, the live one untouched


def test_every_search_counts_every_match_not_the_first_10000(cluster):
    live = backend()
    live.setup_complete = True
    cluster.conn.search.return_value = {"hits": {"total": {"value": 44404, "relation": "eq"}, "hits": []}}
    found = live.search("trafficking")
    assert found["hits"] == 44404
    assert cluster.conn.search.call_args.kwargs["body"]["track_total_hits"] is True


def test_facets_ask_for_what_the_page_shows_the_most_frequent_or_the_latest_years(cluster):
    from transcripts.search.engine import FACET_LIMIT, FACET_OPTIONS

    live = backend()
    live.setup_complete = True
    facets = {name: dict(FACET_OPTIONS[name]) for name in ("person", "event", "year")}
    asked = live.build_search_kwargs("trafficking", facets=facets)["aggs"]
    # Not the engine's default of 10: the page shows 12 speakers, events, topics and years.
    for name in ("person", "event"):
        assert asked[name]["terms"]["size"] == 2 * FACET_LIMIT and "order" not in asked[name]["terms"]
        assert asked[name]["terms"]["shard_size"] >= 10 * FACET_LIMIT
    # Years are listed newest first (as on Whoosh), not the twelve with the most turns.
    assert asked["year"]["terms"]["order"] == {"_key": "desc"}
    assert "by_value" not in asked["year"]["terms"]  # an option of ours, not the engine's


def test_only_a_search_that_asks_for_spelling_pays_for_it(cluster):
    live = backend()
    live.setup_complete = True
    cluster.conn.search.return_value = {"hits": {"total": {"value": 3, "relation": "eq"}, "hits": []}}
    live.search("trafficking")  # the people and events boxes: one request, no suggester
    assert cluster.conn.search.call_count == 1
    assert "suggest" not in cluster.conn.search.call_args.kwargs["body"]

    asked = live.build_search_kwargs("traffiking", spelling_query="traffiking")
    assert asked["suggest"]["suggest"]["term"]["field"] == "text.words"


@pytest.mark.parametrize(
    "status, cause",
    [(404, "search_context_missing_exception"), (404, "index_not_found_exception"), (400, "already_closed_exception")],
)
def test_a_search_whose_index_a_rebuild_deleted_meanwhile_is_asked_again_once(cluster, status, cause):
    import elasticsearch

    live = backend()
    live.setup_complete = True
    kind = {404: elasticsearch.NotFoundError, 400: elasticsearch.RequestError}[status]
    gone = kind(status, "search_phase_execution_exception", {"error": {"caused_by": {"type": cause}}})
    answer = {"hits": {"total": {"value": 26, "relation": "eq"}, "hits": []}}
    cluster.conn.search.side_effect = [gone, answer]
    assert live.search("trafficking")["hits"] == 26  # the alias names the new index now
    assert cluster.conn.search.call_count == 2
    other = elasticsearch.NotFoundError(404, "resource_not_found_exception", {})
    cluster.conn.search.side_effect = [other, answer]
    with pytest.raises(SearchBackendError):  # any other 404 is an error, not asked again
        live.search("trafficking")
    bad_query = elasticsearch.RequestError(400, "search_phase_execution_exception", {"type": "parse_exception"})
    cluster.conn.search.side_effect = [bad_query, answer]
    with pytest.raises(SearchBackendError):  # nor a query the engine cannot read
        live.search("trafficking")
    assert cluster.conn.search.call_count == 4  # neither was asked again
