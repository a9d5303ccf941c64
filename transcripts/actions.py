"""Staff operations beyond a plain import: stage an upload for review (confirming it is
transcripts.plan.confirm), edit or delete turns, edit an event, merge two Person records,
publish. Each write runs in one transaction and leaves its index work in the queue
(transcripts/search/queue.py) inside it; each that changes what an event says keeps the
result as a new version (EventRevision), whoever calls it: the admin, a command, a shell."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from transcripts import counts
from transcripts.importer import record_revision, resolve_topics
from transcripts.models import Appearance, Event, EventRevision, PendingUpload, Person, PersonRedirect, Topic, Turn
from transcripts.parsing import Transcript
from transcripts.plan import remember_parse
from transcripts.search.queue import enqueue_event
from transcripts.validation import InvalidInput, strip_control_characters

# Uploads nobody confirmed are dropped after this long.
PENDING_UPLOAD_DAYS = 7


def stage_upload(
    source_text: str,
    *,
    transcript: Transcript | None = None,
    filename="",
    metadata=None,
    warnings=(),
    event=None,
    user=None,
) -> PendingUpload:
    """Keep an upload server-side until staff confirm it, with its parse result when the
    caller already has one (so the preview does not parse again); returns it with its token."""
    PendingUpload.objects.filter(
        confirmed__isnull=True, created__lt=timezone.now() - datetime.timedelta(days=PENDING_UPLOAD_DAYS)
    ).delete()
    pending = PendingUpload(
        token=secrets.token_urlsafe(32),
        source_text=source_text,
        filename=filename[:255],
        metadata=metadata or {},
        warnings=list(warnings),
        event=event,
        created_by=user if user and user.is_authenticated else None,
    )
    if transcript is not None:
        remember_parse(pending, transcript)
    pending.save()
    return pending


def merge_people(keep: Person, duplicate: Person, *, user=None) -> list[Event]:
    """Make `duplicate` (the same person spelled another way) part of `keep`: its appearances
    and turns move over, its URL redirects to `keep`, the record goes. Returns the events touched."""
    if keep.pk == duplicate.pk:
        raise ValueError("A person cannot be merged into itself.")
    shared = Appearance.objects.filter(person=duplicate).values_list("event_id", flat=True)
    with transaction.atomic(), counts.recounted(list(shared)):
        events = []
        for appearance in Appearance.objects.filter(person=duplicate).select_related("event"):
            existing = Appearance.objects.filter(event=appearance.event, person=keep).first()
            if existing:
                # Both records speak at this event: one appearance keeps all their turns.
                appearance.turns.update(appearance=existing)
                appearance.delete()
            else:
                appearance.person = keep
                appearance.save()
            events.append(appearance.event)
        PersonRedirect.objects.filter(person=duplicate).update(person=keep)
        PersonRedirect.objects.filter(old_slug=keep.slug).delete()
        PersonRedirect.objects.update_or_create(old_slug=duplicate.slug, defaults={"person": keep})
        keep.bio = keep.bio or duplicate.bio
        keep.photo_url = keep.photo_url or duplicate.photo_url
        keep.save()
        duplicate.delete()
        for event in events:
            enqueue_event(event.pk)
            record_revision(event, user=user, note=f"Merged {duplicate.name} into {keep.name}")
    return events


def delete_person(person: Person, *, user=None) -> list[Event]:
    """Delete a person. Their appearances go and their turns keep their labels but lose
    their speaker, which changes what each of those transcripts says: each gets a version
    recording that, as any other edit does. Returns the events touched."""
    with transaction.atomic():
        spoken_at = Appearance.objects.filter(person=person).values("event_id")
        events = list(Event.objects.select_for_update().filter(pk__in=spoken_at).order_by("pk"))
        with counts.recounted([event.pk for event in events]):
            name = person.name
            person.delete()
            for event in events:
                enqueue_event(event.pk)
                record_revision(event, user=user, note=f"Deleted the person {name}")
    return events


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
        with counts.recounted([turn.event_id]):  # its speaker may have changed
            turn.save()
        return record_revision(turn.event, user=user, note=note or f"Edited turn {turn.position}")


def _clean_paragraphs(paragraphs) -> list[str]:
    """The paragraphs as stored: control characters removed (as on import), empty ones dropped."""
    if isinstance(paragraphs, str) or not all(isinstance(p, str) for p in paragraphs):
        raise InvalidInput("paragraphs must be a list of texts, one per paragraph.")
    cleaned = [strip_control_characters(p)[0].strip() for p in paragraphs]
    cleaned = [p for p in cleaned if p]
    if not cleaned:
        raise InvalidInput("A turn needs some text: give at least one paragraph, or delete the turn instead.")
    return cleaned


def delete_turns(turns, *, user=None, note: str = "") -> list[EventRevision]:
    """Delete turns; keeps one version per event touched (returned)."""
    by_event: dict[int, list[Turn]] = {}
    for turn in turns:
        by_event.setdefault(turn.event_id, []).append(turn)
    with transaction.atomic(), counts.recounted(by_event):
        revisions = []
        for event in Event.objects.select_for_update().filter(pk__in=by_event):
            gone = sorted(t.position for t in by_event[event.pk])
            Turn.objects.filter(pk__in=[t.pk for t in by_event[event.pk]]).delete()
            default = f"Deleted turn {gone[0]}" if len(gone) == 1 else f"Deleted turns {', '.join(map(str, gone))}"
            revisions.append(record_revision(event, user=user, note=note or default))
    return revisions


def edit_event(event: Event, fields: dict, *, user=None, note: str = "", related_changed=False) -> EventRevision | None:
    """Change any of EVENT_FIELDS (`topics`: Topics or names) and keep a version when
    something changed (returned), else None. `related_changed` says the caller changed the
    event's appearances in the same transaction (the admin's inline): a version is kept then
    even when no field of the event's own changed. Raises InvalidInput; nothing is stored then."""
    unknown = sorted(set(fields) - set(EVENT_FIELDS))
    if unknown:
        raise InvalidInput(f"edit_event cannot change {', '.join(unknown)}; it changes {', '.join(EVENT_FIELDS)}.")
    with transaction.atomic():
        stored = Event.objects.select_for_update().get(pk=event.pk)
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
        with counts.recounted([event]):  # its status or topics may have changed
            event.save()
            if topics is not None:
                event.topics.set(topics)
        return record_revision(event, user=user, note=note or f"Edited ({', '.join(changed) or 'appearances'})")


def set_status(events, status: str) -> list[Event]:
    """Publish or unpublish; returns the events whose status changed (each saved, so re-indexed)."""
    changed = []
    events = list(events)
    with transaction.atomic(), counts.recounted(events):
        for event in events:
            if event.status != status:
                event.status = status
                event.save(update_fields=["status", "updated"])
                changed.append(event)
    return changed


def diff_summary(diff) -> str:
    """A turn diff in one line, for messages and the admin log."""
    return (
        f"{diff.kept} turns kept, {diff.changed} changed, {diff.added} added, {diff.removed} removed, "
        f"{diff.speakers_changed} speaker changes"
    )
