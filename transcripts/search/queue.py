"""The indexing queue: each operation that changes what the index shows writes IndexTask rows
in the same transaction as the change (transcripts.operations.effects.queue_index), so a
committed change always has its index work recorded, and a rolled-back one never does;
one consumer (`process_index_queue`) applies them. No request ever writes
the search index, so Whoosh's single-writer lock is never contended by web workers.
"""

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
