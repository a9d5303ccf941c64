"""Recording a version of an event (EventRevision, and the replaced texts of its turns for
quote links): every operation that changes what an event says calls `record_revision`
inside its own transaction."""

from __future__ import annotations

from transcripts.models import Event, EventRevision, TurnRevision
from transcripts.revisions import readable_turns, replaced_turns
from transcripts.snapshots import EventSnapshot


def record_replaced_turns(event: Event, previous_number: int, previous, current) -> None:
    """Keep the texts version `previous_number` had that version `current` changed (both
    snapshot JSON). Called inside the operation's transaction."""
    rows = [
        TurnRevision(event=event, public_id=public_id, number=previous_number, position=position, paragraphs=paragraphs)
        for public_id, position, paragraphs in replaced_turns(readable_turns(previous), readable_turns(current))
    ]
    TurnRevision.objects.bulk_create(rows, batch_size=500)


def record_revision_as(
    event: Event, *, source_text: str, user=None, note: str = "", snapshot: EventSnapshot | None = None
) -> EventRevision:
    """A new version of `event` holding `snapshot` (else the event as stored) and `source_text`."""
    previous = event.revisions.order_by("-number").values_list("number", "snapshot").first()
    last = previous[0] if previous else 0
    current = (snapshot or EventSnapshot.from_event(event)).to_json()
    if previous:
        record_replaced_turns(event, last, previous[1], current)
    return EventRevision.objects.create(
        event=event,
        number=last + 1,
        created_by=user if user and user.is_authenticated else None,
        note=note[:300],
        source_text=source_text,
        snapshot=current,
    )


def record_revision(event: Event, *, user=None, note: str = "") -> EventRevision:
    """Keep the event as it stands now as a new revision. The operations that change an event
    (transcripts.operations) call it inside their own transaction."""
    return record_revision_as(event, source_text=event.source_text, user=user, note=note)
