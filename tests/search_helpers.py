"""Search helpers for any test that needs a searchable database.

    from search_helpers import process_queue, search_index, searchable_sample  # noqa: F401

- `search_index` (fixture): an empty search index for this test (queued tasks from
  fixtures that ran before it still apply when you drain the queue).
- `process_queue()`: apply every queued index task now, synchronously; returns how many.
- `searchable_sample` (fixture): the sample event (conftest's sample_event), indexed.
- `make_event(...)`: a small event built through the models (so the signal queue runs).
"""

from __future__ import annotations

import datetime

import pytest

from transcripts.search import indexing


def process_queue() -> int:
    return indexing.process_queue()


def reset_search_index() -> None:
    """Empty the index (the test database is rolled back between tests; the index is not)."""
    with indexing.writer_lock():
        indexing.backend().clear()


@pytest.fixture
def search_index(db):
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
    return event
