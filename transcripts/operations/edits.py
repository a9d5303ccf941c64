"""Edits to what an event says: a turn's text or speaker, deleting turns, the event's own
fields and topics, its status; and creating or deleting events in the admin. Each runs in
one transaction, keeps the result as a new version (EventRevision) whoever calls it (the
admin, a command, a shell), and says its side effects (transcripts.operations.effects)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from transcripts import counts
from transcripts.models import Event, EventRevision, Topic, Turn
from transcripts.operations import effects
from transcripts.operations.imports import resolve_topics
from transcripts.operations.versions import record_revision
from transcripts.validation import InvalidInput, strip_control_characters

# What edit_turn may change besides the paragraphs and the speaker.
TURN_FIELDS = ("label", "kind", "section", "timestamp")
# What edit_event may change: the event's own editable columns and its topics.
EVENT_FIELDS = tuple(f.name for f in Event._meta.concrete_fields if f.editable and not f.primary_key) + ("topics",)
_UNCHANGED = object()


def _invalid(error: ValidationError) -> InvalidInput:
    """A model's validation errors (full_clean's, always by field) as one message naming each field."""
    return InvalidInput("; ".join(f"{name}: {' '.join(found)}" for name, found in error.message_dict.items()))


def edit_turn(
    turn: Turn, *, paragraphs=None, speaker=_UNCHANGED, user=None, note: str = "", **fields
) -> EventRevision | None:
    """Change a turn's paragraphs, speaker (an Appearance at its event, or None for nobody)
    and any of TURN_FIELDS; keeps a version when anything changed (returned), else None.
    Raises InvalidInput saying what is wrong; nothing is stored then."""
    unknown = sorted(set(fields) - set(TURN_FIELDS))
    if unknown:
        raise InvalidInput(
            f"edit_turn cannot change {', '.join(unknown)}; it changes paragraphs, speaker and "
            f"{', '.join(TURN_FIELDS)}."
        )
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=turn.event_id).first()  # one version at a time per event
        stored = Turn.objects.get(pk=turn.pk)
        changed = any(getattr(stored, name) != value for name, value in fields.items())
        for name, value in fields.items():
            setattr(turn, name, value)
        if paragraphs is not None:
            turn.paragraphs = _clean_paragraphs(paragraphs)
            if turn.paragraphs != stored.paragraphs:
                changed = True
                if stored.paragraph_starts and len(stored.paragraph_starts) != len(turn.paragraphs):
                    turn.paragraph_starts = []  # starts go by paragraph number: a new count misplaces them
        if speaker is not _UNCHANGED:
            if speaker is not None and speaker.event_id != turn.event_id:
                raise InvalidInput(f"{speaker.speaker_name} does not appear at this event; pick one of its speakers.")
            turn.appearance = speaker
            if turn.appearance_id != stored.appearance_id:
                changed = True
        if not changed:
            return None
        try:
            # Only the fields given are checked (the uniqueness of a turn's place and public
            # id is on fields this never changes, so excluding the rest skips those checks too).
            turn.full_clean(exclude=[f.name for f in Turn._meta.fields if f.name not in fields])
        except ValidationError as error:
            raise _invalid(error) from None
        with effects.recounted([turn.event_id]):  # its speaker may have changed
            turn.save()
        effects.queue_index(turns=[turn])
        effects.renew_page_cache()
        return record_revision(turn.event, user=user, note=note or f"Edited turn {turn.position}")


def _clean_paragraphs(paragraphs) -> list[str]:
    """The paragraphs as stored: control characters removed (as on import), empty ones dropped."""
    if isinstance(paragraphs, str) or not all(isinstance(p, str) for p in paragraphs):
        raise InvalidInput("paragraphs must be a list of texts, one per paragraph.")
    cleaned = [strip_control_characters(p)[0].strip() for p in paragraphs]
    cleaned = [p for p in cleaned if p]
    if not cleaned:
        raise InvalidInput("A turn needs some text: give at least one paragraph, or delete the turn instead.")
    size = sum(len(p.encode("utf-8")) for p in cleaned)
    if size > settings.VERBATIM_MAX_UPLOAD_BYTES:  # a whole transcript may be no bigger
        raise InvalidInput(
            f"The turn's text is {size:,} bytes, more than a whole transcript may be "
            f"({settings.VERBATIM_MAX_UPLOAD_BYTES:,}); split it into several turns."
        )
    return cleaned


def delete_turns(turns, *, user=None, note: str = "") -> list[EventRevision]:
    """Delete turns; keeps one version per event touched (returned)."""
    by_event: dict[int, list[Turn]] = {}
    for turn in turns:
        by_event.setdefault(turn.event_id, []).append(turn)
    with transaction.atomic(), effects.recounted(by_event):
        revisions = []
        for event in Event.objects.select_for_update().filter(pk__in=by_event):
            gone = sorted(t.position for t in by_event[event.pk])
            Turn.objects.filter(pk__in=[t.pk for t in by_event[event.pk]]).delete()
            effects.queue_index(deleted_turns=by_event[event.pk])
            default = f"Deleted turn {gone[0]}" if len(gone) == 1 else f"Deleted turns {', '.join(map(str, gone))}"
            revisions.append(record_revision(event, user=user, note=note or default))
        effects.renew_page_cache()
    return revisions


def edit_event(
    event: Event, fields: dict, *, user=None, note: str = "", related_changed=False, save_related=None
) -> EventRevision | None:
    """Change any of EVENT_FIELDS (`topics`: Topics or names) and keep a version when
    something changed (returned), else None. `save_related`, if given, saves rows that hang
    off the event (the admin's appearance inline) inside this operation, so their counters and
    index work are this operation's too; `related_changed` says it (or the caller, in the same
    transaction) changed them: a version is kept then even when no field of the event's own
    changed. Raises InvalidInput; nothing is stored then."""
    unknown = sorted(set(fields) - set(EVENT_FIELDS))
    if unknown:
        raise InvalidInput(f"edit_event cannot change {', '.join(unknown)}; it changes {', '.join(EVENT_FIELDS)}.")
    with transaction.atomic(), effects.recounted([event]):  # its speakers, status or topics may change
        stored = Event.objects.select_for_update().get(pk=event.pk)
        if save_related is not None:
            save_related()
        own = {name: value for name, value in fields.items() if name != "topics"}
        changed = [name for name, value in own.items() if getattr(stored, name) != value]
        topics = None
        if "topics" in fields:
            topics = [t for t in fields["topics"] if isinstance(t, Topic)]
            topics += resolve_topics([t for t in fields["topics"] if not isinstance(t, Topic)])
            if {t.pk for t in topics} != set(stored.topics.values_list("pk", flat=True)):
                changed.append("topics")
        if not changed and not related_changed:
            return None
        for name, value in own.items():
            setattr(event, name, value)
        try:
            event.full_clean(exclude=[f.name for f in Event._meta.fields if f.name not in own])
        except ValidationError as error:
            raise _invalid(error) from None
        event.save()
        if topics is not None:
            event.topics.set(topics)
        effects.queue_index(events=[event])
        effects.renew_page_cache()
        return record_revision(event, user=user, note=note or f"Edited ({', '.join(changed) or 'appearances'})")


def create_event(event: Event) -> Event:
    """Store a new event as the admin's add form filled it in (no turns yet: its speakers
    and first version follow through edit_event, in the same request's transaction)."""
    with transaction.atomic():
        event.save()
        effects.queue_index(events=[event])
        effects.renew_page_cache()
    return event


def delete_events(events) -> int:
    """Delete events with their appearances, turns and versions; their people's and topics'
    counters are recounted and the index drops them (an event task removes its turns too).
    Returns how many events went."""
    events = list(events)
    ids = [event.pk for event in events]
    with transaction.atomic():
        people, topics = counts.members(ids)
        deleted = Event.objects.filter(pk__in=ids).delete()[1].get(Event._meta.label, 0)
        effects.recount(people=people, topics=topics)
        effects.queue_index(deleted_events=ids)
        effects.renew_page_cache()
    return deleted


def set_status(events, status: str) -> list[Event]:
    """Publish or unpublish; returns the events whose status changed (each saved, so re-indexed)."""
    changed = []
    events = list(events)
    with transaction.atomic(), effects.recounted(events):
        for event in events:
            if event.status != status:
                event.status = status
                event.save(update_fields=["status", "updated"])
                changed.append(event)
        effects.queue_index(events=changed)
        if changed:
            effects.renew_page_cache()
    return changed
