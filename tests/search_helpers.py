"""Search helpers for any test that needs a searchable database.

    from search_helpers import process_queue, search_index, searchable_sample  # noqa: F401

- `search_index` (fixture): an empty search index for this test (queued tasks from
  fixtures that ran before it still apply when you drain the queue).
- `process_queue()`: apply every queued index task now, synchronously; returns how many.
- `searchable_sample` (fixture): the sample event (conftest's sample_event), indexed.
- `make_event(...)`: a small event built through the models, its index work queued and
  its counters counted (transcripts.operations.effects.events_changed).
- `search_engine` (fixture): parametrised, "whoosh" and "opensearch"; a test file that
  says `pytestmark = pytest.mark.usefixtures("search_engine")` runs each test on both.
  OpenSearch runs when VERBATIM_TEST_OPENSEARCH names a cluster (make test-search-cluster
  starts one and sets it); otherwise those runs skip, saying so.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from haystack import connections

from archive.env import search_connection
from transcripts.search import indexing

OPENSEARCH_URL = os.environ.get("VERBATIM_TEST_OPENSEARCH", "")
OPENSEARCH_SKIPPED = (
    "!!! OPENSEARCH NOT TESTED: set VERBATIM_TEST_OPENSEARCH=http://127.0.0.1:9200 "
    "(make test-search-cluster starts a cluster, sets it and stops the cluster) !!!"
)
# Each test run has an index (an alias) of its own on the shared cluster.
TEST_INDEX = f"verbatim-test-{os.getpid()}"


def opensearch_connection(**options) -> dict:
    """The HAYSTACK_CONNECTIONS entry of the test cluster, as SEARCH_URL would give it."""
    host = urlparse(OPENSEARCH_URL).netloc
    query = "&".join(f"{key}={value}" for key, value in options.items())
    return search_connection(f"opensearch://{host}/{TEST_INDEX}?{query}", Path(settings.VAR_DIR))


def drop_test_indices() -> None:
    """Delete this run's indices from the shared cluster (every test builds its own)."""
    backend = connections["default"].get_backend()
    if hasattr(backend, "indices_behind_alias"):
        backend.conn.indices.delete(index=f"{TEST_INDEX}-*", ignore=404)


def use_connection(entry: dict) -> None:
    connections.connections_info["default"] = entry
    connections.reload("default")


@pytest.fixture(params=["whoosh", "opensearch"])
def search_engine(request):
    """Runs the test on each engine; yields the engine's name."""
    whoosh_only = request.node.get_closest_marker("whoosh_only")
    if request.param == "opensearch" and whoosh_only:
        pytest.skip(f"Whoosh only: {whoosh_only.args[0]}")
    if request.param == "opensearch" and not OPENSEARCH_URL:
        pytest.skip(OPENSEARCH_SKIPPED)
    whoosh = connections.connections_info["default"]
    if request.param == "opensearch":
        use_connection(opensearch_connection())
    try:
        yield request.param
    finally:
        if request.param == "opensearch":
            use_connection(opensearch_connection())  # a test may have pointed elsewhere
            drop_test_indices()
        use_connection(whoosh)


def process_queue() -> int:
    return indexing.process_queue()


def reset_search_index() -> None:
    """Empty the index (the test database is rolled back between tests; the index is not)."""
    with indexing.writer_lock():
        indexing.backend().clear()


@pytest.fixture
def search_index(db, request):
    if "search_engine" in request.fixturenames:  # the engine first, then its empty index
        request.getfixturevalue("search_engine")
    reset_search_index()
    yield indexing.backend()


@pytest.fixture
def searchable_sample(sample_event, search_index):
    process_queue()
    return sample_event


def make_event(title: str, *, date: datetime.date | None, turns, status: str = "published", topics=(), slug=None):
    """An event with speakers and turns. `turns` is a list of (speaker name, role, text)
    or (speaker name, role, text, section); people are reused by name."""
    from django.utils.text import slugify

    from transcripts.models import Appearance, Event, Person, Topic, Turn
    from transcripts.operations import effects

    event = Event.objects.create(title=title, slug=slug or slugify(f"{title} {date or ''}"), date=date, status=status)
    for name in topics:
        topic, _ = Topic.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
        event.topics.add(topic)
    appearances = {}
    for position, (name, role, text, *section) in enumerate(turns, start=1):
        if name not in appearances:
            person = Person.objects.filter(name=name).first() or Person.objects.create(name=name, slug=slugify(name))
            appearances[name] = Appearance.objects.create(event=event, person=person, role=role, order=len(appearances))
        Turn.objects.create(
            event=event,
            position=position,
            appearance=appearances[name],
            label=name.split()[-1].upper(),
            paragraphs=text.split("\n\n"),
            section=section[0] if section else "discussion",
            public_id=f"e{event.pk}t{position}",
        )
    # Rows written by hand, not by an operation: say their side effects as an operation would.
    effects.events_changed([event])
    return event
