"""The indexing queue: model changes write IndexTask rows in the same transaction as the
change (so a committed change always has its index work recorded, and a rolled-back one
never does); one consumer (`process_index_queue`) applies them. No request ever writes
the search index, so Whoosh's single-writer lock is never contended by web workers.
"""

import threading
from contextlib import contextmanager

from django.db.models.signals import post_delete, post_save

_state = threading.local()

TURN, EVENT, PERSON = "transcripts.turn", "transcripts.event", "transcripts.person"


def enqueue(model: str, ids, action: str = "update") -> None:
    from transcripts.search.models import IndexTask

    IndexTask.objects.bulk_create([IndexTask(model=model, object_id=pk, action=action) for pk in ids])


def enqueue_event(event_id: int) -> None:
    """Re-sync an event and all its turns (the consumer also drops turns no longer in the database)."""
    enqueue(EVENT, [event_id])


def events_awaiting_index():
    """(ids of events with index work queued, when the oldest queued task was made or None):
    what is not yet searchable, for callers (alerts) that must not look before it is."""
    from django.db.models import Min

    from transcripts.search.models import IndexTask

    pending = set(IndexTask.objects.filter(model=EVENT).values_list("object_id", flat=True))
    return pending, IndexTask.objects.aggregate(t=Min("created"))["t"]


def index_caught_up() -> bool:
    """True when no index work is queued, i.e. the index agrees with the database and a
    search result may be kept. (Tasks are deleted only after the index was written.)"""
    from transcripts.search.models import IndexTask

    return not IndexTask.objects.exists()


@contextmanager
def signals_paused():
    """For bulk operations (the importer) that enqueue one event-level task themselves
    instead of one task per saved or deleted turn."""
    previous = getattr(_state, "paused", False)
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = previous


def _paused() -> bool:
    return getattr(_state, "paused", False)


def _record(sender, instance, action: str) -> None:
    if _paused():
        return
    label = sender._meta.label_lower
    if label == "transcripts.appearance":
        # A changed role, title or person shows in every turn of that appearance.
        enqueue(EVENT, [instance.event_id])
    elif label in (TURN, EVENT, PERSON):
        enqueue(label, [instance.pk], action=action)


def _on_save(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures being loaded
        _record(sender, instance, "update")


def _on_delete(sender, instance, **kwargs):
    _record(sender, instance, "delete")


def connect_signals():
    from transcripts.models import Appearance, Event, Person, Turn

    for model in (Turn, Event, Person, Appearance):
        post_save.connect(_on_save, sender=model, dispatch_uid=f"index-queue-save-{model.__name__}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"index-queue-delete-{model.__name__}")
