"""The queue consumer on a big transcript: memory that does not grow with the size of the
event's source text, and no database transaction held while the index is written (on
SQLite every transaction is a write transaction, so one held there locked out logins,
sign-ups and imports for as long as indexing took). Outsized data is generated here."""

import threading
import tracemalloc
from unittest import mock

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from haystack.query import SearchQuerySet
from search_helpers import search_index  # noqa: F401

from transcripts.models import Appearance, Event, Person, Turn
from transcripts.search import indexing
from transcripts.search.queue import enqueue_event

SOURCE_BYTES = 2 * 1024 * 1024
TURNS = 120


def big_event(turns: int = TURNS) -> Event:
    """A published event with `turns` turns and a 2 MB source text, written in bulk."""
    event = Event.objects.create(
        title="The Long Hearing", slug="long-hearing", status="published", source_text="x" * SOURCE_BYTES
    )
    person = Person.objects.create(name="Ann Lee", slug="ann-lee")
    appearance = Appearance.objects.create(event=event, person=person, role="panelist")
    Turn.objects.bulk_create(
        Turn(
            event=event,
            position=n,
            appearance=appearance,
            label="LEE",
            paragraphs=[f"Statement {n} about rivers."],
            text=f"Statement {n} about rivers.",
            public_id=f"t{n:07d}",
        )
        for n in range(1, turns + 1)
    )
    enqueue_event(event.pk)
    return event


@pytest.mark.django_db
def test_consumer_memory_does_not_grow_with_the_events_source_text(search_index):
    event = big_event()
    tracemalloc.start()
    try:
        with CaptureQueriesContext(connection) as queries:
            indexing.process_queue()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not [q["sql"] for q in queries.captured_queries if "source_text" in q["sql"]]
    # Each turn used to carry its own copy of the 2 MB text: 120 copies, 240 MB.
    assert peak < 10 * SOURCE_BYTES, peak
    found = SearchQuerySet().models(Turn).filter(content="rivers", event=event.slug)
    assert found.count() == TURNS


@pytest.mark.django_db(transaction=True)
def test_other_writes_go_through_while_the_consumer_writes_the_index(search_index):
    big_event(turns=40)
    seen = {"in_transaction": [], "write_error": []}
    backend_class = type(indexing.backend())
    real_update = backend_class.update

    def someone_else_writes(n):
        try:
            Person.objects.create(name="Bo Park", slug=f"bo-park-{n}")  # a sign-up, a login, an import
        except Exception as exc:  # noqa: BLE001  (whatever it is, the test reports it)
            seen["write_error"].append(repr(exc))
        finally:
            connections.close_all()

    def update_while_another_writes(self, index, iterable, *args, **kwargs):
        seen["in_transaction"].append(connection.in_atomic_block)
        if len(seen["in_transaction"]) > 3:  # the new people are indexed too: stop somewhere
            return real_update(self, index, iterable, *args, **kwargs)
        writer = threading.Thread(target=someone_else_writes, args=[len(seen["in_transaction"])])
        writer.start()
        writer.join(timeout=30)
        return real_update(self, index, iterable, *args, **kwargs)

    with mock.patch.object(backend_class, "update", update_while_another_writes):
        indexing.process_queue()
    assert seen["write_error"] == []
    assert seen["in_transaction"] and not any(seen["in_transaction"])
    assert Person.objects.filter(name="Bo Park").count() == min(len(seen["in_transaction"]), 3)
