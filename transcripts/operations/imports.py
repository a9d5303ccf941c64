"""Importing a transcript, applying a snapshot to an event, restoring a version.

A snapshot (transcripts.snapshots.EventSnapshot) is an event as one typed value: metadata,
participants, turns with their public ids. Imports, revisions, restores and the archive all
speak it, so there is one code path that writes turns (`apply_snapshot`). Every operation
runs in one transaction, checks what one event may hold (the speaker cap), records the
version it makes, and says its side effects (transcripts.operations.effects): the event's
index task, its people's and topics' counters, the page cache.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from transcripts.corrections import keep_staff_decisions
from transcripts.media.snapshot import apply_media_snapshot, carried_times
from transcripts.models import Appearance, Event, EventRevision, Person, Topic, Turn, name_key
from transcripts.operations import effects
from transcripts.operations.versions import record_revision_as
from transcripts.parsing import Transcript, parse_transcript
from transcripts.parsing.parse import NO_TITLE_WARNING
from transcripts.snapshots import STRING_FIELDS, EventSnapshot
from transcripts.speakers import existing_people, existing_person, is_event_only
from transcripts.turn_rows import (
    TurnDiff,
    assign_public_ids,
    build_turns,
    diff_turns,
    event_slug,
    group_appearances,
    sha256,
    unique_slug,
)
from transcripts.validation import (
    TRANSCRIPT_PAGE_BREAK,
    check_speaker_count,
    clean_snapshot,
    control_character_warning,
    strip_control_characters,
)


@dataclass
class ImportResult:
    event: Event
    action: str  # "created", "updated" or "unchanged"
    diff: TurnDiff
    warnings: list[str]


def resolve_person(name: str, slug: str | None = None) -> Person:
    """One Person per real person (transcripts.speakers decides who), else a new record."""
    return existing_person(name, slug) or _new_person(name)


def _new_person(name: str) -> Person:
    person = Person(name=name, slug=unique_slug(Person, slugify(name) or "speaker"))
    person.save()
    return person


def _appearances(event: Event, participants) -> dict[str, Appearance]:
    """Each participant key's new Appearance, people found in a few queries (a transcript
    may have thousands of speakers). A generic speaker (Operator, Q, Speaker 2) gets no Person:
    decided by the name, so a revision or an archive stored before the flag existed agrees."""
    generic = [p.generic or is_event_only(p.name) for p in participants]
    found = iter(existing_people([(p.name, p.person) for p, g in zip(participants, generic) if not g]))
    made: dict[str, Person] = {}  # name_key -> a person this import created
    people = []
    for p, event_only in zip(participants, generic):
        if event_only:
            people.append(None)
            continue
        person = next(found)
        if person is None:
            key = name_key(p.name)
            person = made[key] = made.get(key) or _new_person(p.name)
        people.append(person)
    by_key, ordered = group_appearances(event, participants, people)
    Appearance.objects.bulk_create(ordered, batch_size=500)
    return by_key


def resolve_topics(names) -> list[Topic]:
    topics = []
    for name in names:
        name = " ".join(str(name).split())
        if not name:
            continue
        topic = Topic.objects.filter(name__iexact=name).first()
        if topic is None:
            topic = Topic(name=name, slug=unique_slug(Topic, slugify(name) or "topic"))
            topic.save()
        topics.append(topic)
    return topics


@dataclass
class PreparedDiff:
    """An event's turns as stored and their alignment with a new snapshot, worked out
    before the write transaction (on SQLite every other writer waits while one is open).
    `version` says what the event was then; apply_snapshot uses this only if it still is."""

    event_id: int | None
    version: tuple
    old: EventSnapshot | None
    diff: TurnDiff


def _version(event: Event) -> tuple:
    last = event.revisions.order_by("-number").values_list("number", flat=True).first()
    return (event.updated, last)


def prepare_diff(event: Event | None, snapshot: EventSnapshot) -> PreparedDiff:
    """Read the event and align its turns with `snapshot`, outside any transaction."""
    if event is None or event.pk is None:
        return PreparedDiff(None, (), None, TurnDiff(added=len(snapshot.turns)))
    old = EventSnapshot.from_event(event)
    diff = diff_turns(old, snapshot) if old.turns else TurnDiff(added=len(snapshot.turns))
    return PreparedDiff(event.pk, _version(event), old, diff)


def apply_snapshot(event: Event, snapshot: EventSnapshot, prepared: PreparedDiff | None = None) -> TurnDiff:
    """Make the event's metadata, appearances and turns what the snapshot says. Caller holds
    the transaction; `prepared` (from prepare_diff) is used if the event has not changed since.
    Raises InvalidInput for an event with more speakers than one may have; nothing is stored then."""
    check_speaker_count(len(snapshot.participants))
    if (
        prepared is not None
        and prepared.event_id == event.pk
        and (event.pk is None or prepared.version == _version(event))
    ):
        old, diff = prepared.old, prepared.diff
    else:
        old = EventSnapshot.from_event(event) if event.pk else None
        diff = diff_turns(old, snapshot) if old and old.turns else TurnDiff(added=len(snapshot.turns))
    meta = snapshot.event
    for field_name in STRING_FIELDS:
        setattr(event, field_name, getattr(meta, field_name) or "")
    event.date = meta.date
    apply_media_snapshot(event, meta)
    if not event.slug:
        event.slug = unique_slug(Event, event_slug(event.title, event.date))
    is_new = event.pk is None
    with effects.recounted([event]):
        event.save()
        topics = resolve_topics(meta.topics)
        event.topics.set(topics)
        public_ids = assign_public_ids(event, snapshot, diff.inherited_ids)
        if not is_new:  # a new event has nothing to clear (each delete costs a collector pass)
            event.turns.all().delete()
            event.appearances.all().delete()
        appearances = _appearances(event, snapshot.participants)
        turns = build_turns(event, snapshot, public_ids, appearances, carried_times(old, snapshot, public_ids))
        Turn.objects.bulk_create(turns, batch_size=500)
    # One event task re-syncs the event and every turn, and drops the turns it no longer has.
    effects.queue_index(events=[event])
    effects.renew_page_cache()
    # One row per person: two labels for one person share an appearance.
    distinct = list({id(a): a for a in appearances.values()}.values())
    diff.stored = EventSnapshot.from_rows(event, [topic.name for topic in topics], distinct, turns)
    return diff


def import_transcript(
    source_text: str,
    *,
    event: Event | None = None,
    metadata: dict | None = None,
    people: dict | None = None,
    status: str | None = None,
    user=None,
    note: str = "",
    transcript: Transcript | None = None,
) -> ImportResult:
    """Parse and store a transcript: a new event, or a corrected version of `event` (or of
    the event with the same title and date). Importing the same text again changes nothing."""
    # Control characters go before parsing, so every text derived from the source is clean;
    # clean_snapshot then checks what the metadata and the reviewer's corrections added.
    source_text, removed = strip_control_characters(source_text, keep=TRANSCRIPT_PAGE_BREAK)
    transcript = transcript or parse_transcript(source_text)
    snapshot, cleaned = clean_snapshot(EventSnapshot.from_transcript(transcript, metadata=metadata, people=people))
    warnings = list(transcript.warnings) + ([control_character_warning(["the transcript text"])] if removed else [])
    warnings += cleaned
    if (metadata or {}).get("title"):  # captions and exports carry none: the title given instead is enough
        warnings = [w for w in warnings if w != NO_TITLE_WARNING]
    if not snapshot.event.title:
        from transcripts.parsing import ParseError

        raise ParseError(
            "No title found: add a 'title:' line in front matter, or give one when importing "
            "(import_transcripts FILE --title … --date …, or the upload form's Title)."
        )
    check_speaker_count(len(snapshot.participants))  # before the slow part (apply_snapshot checks too)
    digest = sha256(source_text + repr(sorted((metadata or {}).items())) + repr(sorted((people or {}).items())))
    slug = event_slug(snapshot.event.title, snapshot.event.date)
    # The slow part (reading the stored turns, aligning them) before the transaction.
    before = Event.objects.filter(pk=event.pk).first() if event else Event.objects.filter(slug=slug).first()
    prepared = prepare_diff(None if before and before.source_sha256 == digest else before, snapshot)
    with transaction.atomic():
        if event is None:
            event = Event.objects.select_for_update().filter(slug=slug).first()
        else:
            event = Event.objects.select_for_update().get(pk=event.pk)
        if event is not None and event.source_sha256 == digest and (status is None or status == event.status):
            return ImportResult(event, "unchanged", TurnDiff(kept=event.turns.count()), warnings)
        action = "updated" if event is not None else "created"
        event = event or Event(status=status or Event.Status.PUBLISHED)
        if status:
            event.status = status
        if event.pk:  # a correction keeps what staff decided unless the new file says otherwise
            snapshot = keep_staff_decisions(
                event, snapshot, given_fields=set(metadata or {}), given_people=set(people or {})
            )
        event.source_text = source_text
        event.source_sha256 = digest
        diff = apply_snapshot(event, snapshot, prepared)
        record_revision_as(
            event, source_text=source_text, user=user, note=note or f"Imported ({action})", snapshot=diff.stored
        )
    return ImportResult(event, action, diff, warnings)


def restore_revision(revision: EventRevision, *, user=None) -> TurnDiff:
    """Put an event back as it stood at `revision`, public ids included; recorded as a new revision."""
    snapshot = EventSnapshot.from_json(revision.snapshot)
    prepared = prepare_diff(Event.objects.get(pk=revision.event_id), snapshot)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=revision.event_id)
        diff = apply_snapshot(event, snapshot, prepared)
        event.source_text = revision.source_text
        event.source_sha256 = ""
        event.save(update_fields=["source_text", "source_sha256", "updated"])
        record_revision_as(
            event, source_text=revision.source_text, user=user, note=f"Restored version {revision.number}"
        )
    return diff
