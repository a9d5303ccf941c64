"""The side effects of a write, each one called by the operation that causes it (no
signal receivers, no thread-local switches): what the search index must re-read, which
counters to recount, and the reader pages' cache token.

- `queue_index`: IndexTask rows (transcripts/search/queue.py), written in the caller's
  transaction, so a committed change always has its index work recorded and a rolled-back
  one never has. An event task re-syncs the event and all its turns, and drops turns no
  longer in the database; a person task re-syncs the person's turns and events.
- `recounted(events)` / `recount`: the counters kept on the rows (transcripts/counts.py),
  recomputed in the same transaction from the rows, never incremented.
- `renew_page_cache`: a new shared token for the cached parts of the reader pages
  (transcripts/reader/page_cache.py), set after the commit; until then the writing thread
  keys its own pages by its count of uncommitted changes (so a page drawn later in the same
  transaction does not read old parts).
"""

from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction

from transcripts import counts
from transcripts.search.queue import EVENT, PERSON, TURN, enqueue

PAGE_TOKEN_KEY = "pages:token"

# This thread's changes not committed yet (rows other processes cannot see): a counter the
# page cache adds to its key, not a switch.
_uncommitted = threading.local()


def _ids(objects) -> list[int]:
    return sorted({getattr(obj, "pk", obj) for obj in objects} - {None})


def queue_index(*, events=(), turns=(), people=(), deleted_events=(), deleted_turns=(), deleted_people=()) -> None:
    """Queue index work for these objects (model instances or ids), in the caller's transaction."""
    for model, objects, action in (
        (EVENT, events, "update"),
        (TURN, turns, "update"),
        (PERSON, people, "update"),
        (EVENT, deleted_events, "delete"),
        (TURN, deleted_turns, "delete"),
        (PERSON, deleted_people, "delete"),
    ):
        if ids := _ids(objects):
            enqueue(model, ids, action=action)


def recount(*, people=(), topics=(), events=()) -> None:
    """Recount these people and topics, and the appearances at these events (ids)."""
    counts.recount(people=_ids(people), topics=_ids(topics), events=_ids(events))


@contextmanager
def recounted(events):
    """Recount, on leaving, the people and topics of `events` (Events or ids; a new Event
    may get its id inside) as they were on entering and as they are on leaving, so someone
    taken off an event, or a topic removed from it, is recounted too; and the appearances
    at those events. Use inside the operation's transaction: the counters change with the rows."""
    events = list(events)
    people_before, topics_before = counts.members(_ids(events))
    yield
    people_after, topics_after = counts.members(_ids(events))
    recount(people=people_before | people_after, topics=topics_before | topics_after, events=events)


def _page_cache_committed() -> None:
    cache.set(PAGE_TOKEN_KEY, uuid.uuid4().hex, None)
    _uncommitted.changes = 0


def renew_page_cache() -> None:
    """Counted at once in this thread and a new shared token on commit (so no process serves
    parts computed from the old rows). Called once per operation, not per row, so a commit
    sets the token a few times at most."""
    _uncommitted.changes = uncommitted_changes() + 1
    transaction.on_commit(_page_cache_committed)


def uncommitted_changes() -> int:
    """How many changes this thread made that are not committed yet (0 outside a write)."""
    return getattr(_uncommitted, "changes", 0)


def events_changed(events) -> None:
    """Every effect of changing what these events say, their speakers or topics: index work,
    counters and the page cache. For code that writes an event's rows itself (test fixtures
    that build an event row by row); the operations say each effect where it happens."""
    events = _ids(events)
    queue_index(events=events)
    people, topics = counts.members(events)
    recount(people=people, topics=topics, events=events)
    renew_page_cache()
