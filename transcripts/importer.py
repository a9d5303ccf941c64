"""Business operations on events: import a transcript, apply or restore a snapshot.

A snapshot (transcripts.snapshots.EventSnapshot) is an event as one typed value: metadata,
participants, turns with their public ids. Imports, revisions, restores and the archive all
speak it, so there is one code path that writes turns. Every operation runs in one
transaction, records the version it makes, and enqueues its index work inside it (see
transcripts/search/queue.py).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from transcripts import counts
from transcripts.corrections import keep_staff_decisions
from transcripts.media.snapshot import apply_media_snapshot, carried_times
from transcripts.models import Appearance, Event, EventRevision, Person, Topic, Turn, name_key
from transcripts.parsing import Transcript, parse_transcript
from transcripts.parsing.parse import NO_TITLE_WARNING
from transcripts.revisions import record_replaced_turns
from transcripts.search.queue import enqueue_event, signals_paused
from transcripts.snapshots import TEXT_FIELDS, URL_FIELDS, EventSnapshot
from transcripts.speakers import existing_people, existing_person, is_event_only
from transcripts.turn_matching import match_turns
from transcripts.validation import (
    TRANSCRIPT_PAGE_BREAK,
    clean_snapshot,
    control_character_warning,
    strip_control_characters,
)


@dataclass
class TurnDiff:
    kept: int = 0
    changed: int = 0
    added: int = 0
    removed: int = 0
    speakers_changed: int = 0
    # For each new turn (by index), the public id it inherits, if any.
    inherited_ids: dict[int, str] = field(default_factory=dict)
    details: list[dict] = field(default_factory=list)
    # The event as apply_snapshot stored it (what EventSnapshot.from_event would read back),
    # kept for the revision so an import does not read every turn it just wrote.
    stored: EventSnapshot | None = field(default=None, repr=False, compare=False)

    @property
    def has_changes(self) -> bool:
        return bool(self.changed or self.added or self.removed or self.speakers_changed)


@dataclass
class ImportResult:
    event: Event
    action: str  # "created", "updated" or "unchanged"
    diff: TurnDiff
    warnings: list[str]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_slug(title: str, date: datetime.date | None) -> str:
    base = slugify(title)[:150].strip("-") or "event"
    return f"{base}-{date:%Y-%m-%d}" if date else base


def _speaker_texts(snapshot: EventSnapshot) -> list[tuple[str, str]]:
    names = snapshot.speaker_names()
    return [(names.get(t.speaker, ""), t.text) for t in snapshot.turns]


def diff_turns(old: EventSnapshot, new: EventSnapshot) -> TurnDiff:
    """Align the turns of two snapshots: which new turns are the old ones (kept or
    corrected, so they inherit the public id), which are added and which removed
    (transcripts.turn_matching pairs them)."""
    old_turns = old.turns
    old_keys, new_keys = _speaker_texts(old), _speaker_texts(new)
    diff = TurnDiff()
    matched_old = set()
    for i, j in match_turns(old_keys, new_keys):
        matched_old.add(i)
        diff.inherited_ids[j] = old_turns[i].public_id
        speaker_changed = old_keys[i][0] != new_keys[j][0]
        text_changed = old_keys[i][1] != new_keys[j][1]
        diff.speakers_changed += speaker_changed
        diff.changed += text_changed
        diff.kept += not (speaker_changed or text_changed)
        if speaker_changed or text_changed:
            diff.details.append(
                {
                    "change": "speaker" if speaker_changed and not text_changed else "changed",
                    "position": j + 1,
                    "speaker": new_keys[j][0],
                    "old_speaker": old_keys[i][0],
                    "text": new_keys[j][1][:200],
                    "old_text": old_keys[i][1][:200],
                }
            )
    for j in sorted(set(range(len(new_keys))) - diff.inherited_ids.keys()):
        diff.added += 1
        diff.details.append(
            {"change": "added", "position": j + 1, "speaker": new_keys[j][0], "text": new_keys[j][1][:200]}
        )
    for i in sorted(set(range(len(old_keys))) - matched_old):
        diff.removed += 1
        diff.details.append(
            {"change": "removed", "position": i + 1, "speaker": old_keys[i][0], "text": old_keys[i][1][:200]}
        )
    diff.details.sort(key=lambda d: d["position"])
    return diff


def _public_id(slug: str, label: str, text: str, occurrence: int) -> str:
    digest = hashlib.sha1(f"{slug}\n{label}\n{text}\n{occurrence}".encode()).digest()
    return base64.b32encode(digest).decode("ascii")[:10].lower()


def _assign_public_ids(event: Event, new: EventSnapshot, inherited: dict[int, str]) -> list[str]:
    """Each new turn's public id: the one the snapshot carries, else the one it inherits
    from the old turn it corrects (`inherited`, from diff_turns), else a deterministic one."""
    ids: list[str] = []
    # Carried and inherited ids first, each to the first turn that has it: a new turn whose
    # made id happens to equal one of them (the same words said again before the turn that
    # was there) must not take it from the turn quote links already point to.
    kept: dict[int, str] = {}
    for j, turn in enumerate(new.turns):
        candidate = turn.public_id or inherited.get(j)
        if candidate and candidate not in kept.values():
            kept[j] = candidate
    taken: set[str] = set(kept.values())
    generated: dict[int, tuple[str, str, int]] = {}  # index -> what its id was made from
    seen: dict[tuple, int] = {}
    for j, turn in enumerate(new.turns):
        candidate = kept.get(j)
        if not candidate:
            text = turn.text
            occurrence = seen[(turn.label, text)] = seen.get((turn.label, text), 0) + 1
            candidate = _public_id(event.slug, turn.label, text, occurrence)
            while candidate in taken:
                candidate = _public_id(event.slug, turn.label, text, occurrence := occurrence + 1000)
            generated[j] = (turn.label, text, occurrence)
            taken.add(candidate)
        ids.append(candidate)
    # Ids are unique across events: one query finds clashes (vanishingly rare), not one per turn.
    clashes = set(
        Turn.objects.filter(public_id__in=[ids[j] for j in generated])
        .exclude(event=event)
        .values_list("public_id", flat=True)
    )
    for j, (label, text, occurrence) in generated.items():
        while ids[j] in clashes:
            candidate = _public_id(event.slug, label, text, occurrence := occurrence + 1000)
            if candidate not in taken and not Turn.objects.filter(public_id=candidate).exclude(event=event).exists():
                taken.add(candidate)
                ids[j] = candidate
    return ids


def _unique_slug(model, base: str) -> str:
    """`base`, else `base-2`, `base-3`, …: the first no `model` row has (callers never pass an empty base)."""
    base = base[:190]  # room for the "-N" under the 200-character column
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def resolve_person(name: str, slug: str | None = None) -> Person:
    """One Person per real person (transcripts.speakers decides who), else a new record."""
    return existing_person(name, slug) or _new_person(name)


def _new_person(name: str) -> Person:
    person = Person(name=name, slug=_unique_slug(Person, slugify(name) or "speaker"))
    person.save()
    return person


def group_appearances(event: Event, participants, people) -> tuple[dict[str, Appearance], list[Appearance]]:
    """(each participant key's Appearance, the appearances in order), unsaved, given each
    participant's Person in the same order (None for a speaker of this event only). Two
    labels for one person (e.g. front matter and header) share one appearance, and so do
    two for one generic speaker name."""
    by_person: dict[tuple, Appearance] = {}
    by_key = {}
    for order, (p, person) in enumerate(zip(participants, people)):
        who = ("person", person.id) if person is not None else ("generic", name_key(p.name))
        if who not in by_person:
            by_person[who] = Appearance(
                event=event,
                person=person,
                name="" if person is not None else p.name,
                role=p.role,
                label=p.label,
                title=p.title,
                affiliation=p.affiliation,
                order=order,
            )
        by_key[p.key] = by_person[who]
    return by_key, list(by_person.values())


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
            topic = Topic(name=name, slug=_unique_slug(Topic, slugify(name) or "topic"))
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
    the transaction; `prepared` (from prepare_diff) is used if the event has not changed since."""
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
    for field_name in TEXT_FIELDS + URL_FIELDS:
        setattr(event, field_name, getattr(meta, field_name) or "")
    event.date = meta.date
    apply_media_snapshot(event, meta)
    if not event.slug:
        event.slug = _unique_slug(Event, event_slug(event.title, event.date))
    is_new = event.pk is None
    with signals_paused(), counts.recounted([event]):
        event.save()
        topics = resolve_topics(meta.topics)
        event.topics.set(topics)
        public_ids = _assign_public_ids(event, snapshot, diff.inherited_ids)
        if not is_new:  # a new event has nothing to clear (each delete costs a collector pass)
            event.turns.all().delete()
            event.appearances.all().delete()
        appearances = _appearances(event, snapshot.participants)
        turns = []
        times = carried_times(old, snapshot, public_ids)
        for position, (t, public_id) in enumerate(zip(snapshot.turns, public_ids), start=1):
            turn = Turn(
                event=event,
                position=position,
                appearance=appearances.get(t.speaker),
                label=t.label,
                paragraphs=list(t.paragraphs),
                kind=t.kind,
                section=t.section,
                timestamp=t.timestamp,
                public_id=public_id,
                start_seconds=times[position - 1][0],
                paragraph_starts=times[position - 1][1],
            )
            turn.refresh_derived()
            turns.append(turn)
        Turn.objects.bulk_create(turns, batch_size=500)
    enqueue_event(event.pk)
    # One row per person: two labels for one person share an appearance.
    distinct = list({id(a): a for a in appearances.values()}.values())
    diff.stored = EventSnapshot.from_rows(event, [topic.name for topic in topics], distinct, turns)
    return diff


def _record_revision(
    event: Event, *, source_text: str, user=None, note: str = "", snapshot: EventSnapshot | None = None
) -> EventRevision:
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
    (this module's, transcripts.actions') call it inside their own transaction."""
    return _record_revision(event, source_text=event.source_text, user=user, note=note)


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
        _record_revision(
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
        _record_revision(event, source_text=revision.source_text, user=user, note=f"Restored version {revision.number}")
    return diff
