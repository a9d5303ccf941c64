"""Business operations on events: import a transcript, apply or restore a snapshot.

A *snapshot* is the plain-JSON form of an event (metadata, participants, turns with
their public ids). Imports, revisions, restores and the archive export all speak it,
so there is one code path that writes turns. Every operation runs in one transaction
and enqueues its index work inside it (see transcripts/search/queue.py).
"""
from __future__ import annotations

import base64
import datetime
import difflib
import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from transcripts.media.snapshot import apply_media_snapshot, carried_times, media_snapshot, transcript_start
from transcripts.models import Appearance, Event, EventRevision, Person, Topic, Turn, name_key
from transcripts.parsing import Transcript, parse_transcript
from transcripts.search.queue import enqueue_event, signals_paused
from transcripts.validation import clean_snapshot, control_character_warning, strip_control_characters
from transcripts.speakers import existing_people, existing_person

# A changed turn keeps its public id when at least this similar to the old one, so
# quote links into a corrected turn keep pointing at it.
SAME_TURN_RATIO = 0.6


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
    # The event as apply_snapshot stored it (what snapshot_event would read back), kept for
    # the revision so an import does not read every turn it just wrote.
    stored: dict | None = field(default=None, repr=False, compare=False)

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


def transcript_to_snapshot(transcript: Transcript, *, metadata: dict | None = None, people: dict | None = None) -> dict:
    """The snapshot an import would write. `metadata` overrides what the header said
    (title, date, organiser, source_url, media_url, topics, description);
    `people` maps a participant key to an existing Person slug or a corrected name."""
    metadata = {k: v for k, v in (metadata or {}).items() if v not in (None, "", [])}
    people = people or {}
    date = metadata.get("date", transcript.date)
    event = {
        "title": metadata.get("title", transcript.title),
        "date": date.isoformat() if isinstance(date, datetime.date) else date,
        "description": metadata.get("description", transcript.description),
        "organiser": metadata.get("organiser", transcript.organiser),
        "source_url": metadata.get("source_url", transcript.source_url),
        "media_url": metadata.get("media_url", transcript.media_url),
        "photo_credit": metadata.get("photo_credit", transcript.photo_credit),
        "topics": list(metadata.get("topics", transcript.topics)),
    }
    participants = []
    for p in transcript.participants:
        override = people.get(p.key, {})
        participants.append(
            {
                "key": p.key,
                "name": override.get("name") or p.name,
                "person": override.get("person") or None,
                "label": p.label,
                "role": override.get("role") or p.role,
                "title": override.get("title", p.title),
                "affiliation": override.get("affiliation", p.affiliation),
            }
        )
    turns = [
        {
            "public_id": None,
            "label": t.label,
            "speaker": t.speaker,
            "kind": t.kind,
            "section": t.section,
            "timestamp": t.timestamp,
            "start_seconds": transcript_start(t),
            "paragraphs": [p.text for p in t.paragraphs],
        }
        for t in transcript.turns
    ]
    return {"event": event, "participants": participants, "turns": turns}


def snapshot_event(event: Event) -> dict:
    appearances = list(event.appearances.select_related("person").order_by("order"))
    return stored_snapshot(event, event.topics.values_list("name", flat=True), appearances,
                           event.turns.order_by("position"))


def stored_snapshot(event: Event, topic_names, appearances, turns) -> dict:
    """The snapshot of an event from its rows: `appearances` in order with their people,
    `turns` in position order."""
    by_id = {a.id: a for a in appearances}
    return {
        "event": {
            "title": event.title,
            "date": event.date.isoformat() if event.date else None,
            "description": event.description,
            "organiser": event.organiser,
            "source_url": event.source_url,
            "media_url": event.media_url,
            "photo_credit": event.photo_credit,
            "topics": sorted(set(topic_names)),
            **media_snapshot(event),
        },
        "participants": [
            {
                "key": a.person.slug,
                "name": a.person.name,
                "person": a.person.slug,
                "label": a.label,
                "role": a.role,
                "title": a.title,
                "affiliation": a.affiliation,
            }
            for a in appearances
        ],
        "turns": [
            {
                "public_id": t.public_id,
                "label": t.label,
                "speaker": by_id[t.appearance_id].person.slug if t.appearance_id else None,
                "kind": t.kind,
                "section": t.section,
                "timestamp": t.timestamp,
                "start_seconds": t.start_seconds,
                "paragraph_starts": list(t.paragraph_starts or []),
                "paragraphs": list(t.paragraphs),
            }
            for t in turns
        ],
    }


def _speaker_name(snapshot: dict, key: str | None) -> str:
    for p in snapshot["participants"]:
        if p["key"] == key:
            return p["name"]
    return ""


def diff_turns(old: dict, new: dict) -> TurnDiff:
    """Align the turns of two snapshots: which new turns are the old ones (kept or
    corrected, so they inherit the public id), which are added and which removed."""
    old_turns, new_turns = old["turns"], new["turns"]
    old_keys = [(_speaker_name(old, t["speaker"]), "\n\n".join(t["paragraphs"])) for t in old_turns]
    new_keys = [(_speaker_name(new, t["speaker"]), "\n\n".join(t["paragraphs"])) for t in new_turns]
    diff = TurnDiff()
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                diff.kept += 1
                diff.inherited_ids[j] = old_turns[i]["public_id"]
            continue
        unmatched_old = list(range(i1, i2))
        for j in range(j1, j2):
            best, best_ratio = None, SAME_TURN_RATIO
            for i in unmatched_old:
                ratio = difflib.SequenceMatcher(None, old_keys[i][1], new_keys[j][1]).ratio()
                if ratio >= best_ratio:
                    best, best_ratio = i, ratio
            if best is None:
                diff.added += 1
                diff.details.append({"change": "added", "position": j + 1, "speaker": new_keys[j][0], "text": new_keys[j][1][:200]})
                continue
            unmatched_old.remove(best)
            diff.inherited_ids[j] = old_turns[best]["public_id"]
            speaker_changed = old_keys[best][0] != new_keys[j][0]
            text_changed = old_keys[best][1] != new_keys[j][1]
            diff.speakers_changed += speaker_changed
            diff.changed += text_changed
            diff.kept += not (speaker_changed or text_changed)
            diff.details.append(
                {
                    "change": "speaker" if speaker_changed and not text_changed else "changed",
                    "position": j + 1,
                    "speaker": new_keys[j][0],
                    "old_speaker": old_keys[best][0],
                    "text": new_keys[j][1][:200],
                    "old_text": old_keys[best][1][:200],
                }
            )
        for i in unmatched_old:
            diff.removed += 1
            diff.details.append({"change": "removed", "position": i + 1, "speaker": old_keys[i][0], "text": old_keys[i][1][:200]})
    diff.details.sort(key=lambda d: d["position"])
    return diff


def _public_id(slug: str, label: str, text: str, occurrence: int) -> str:
    digest = hashlib.sha1(f"{slug}\n{label}\n{text}\n{occurrence}".encode()).digest()
    return base64.b32encode(digest).decode("ascii")[:10].lower()


def _assign_public_ids(event: Event, new: dict, inherited: dict[int, str]) -> list[str]:
    """Each new turn's public id: the one the snapshot carries, else the one it inherits
    from the old turn it corrects (`inherited`, from diff_turns), else a deterministic one."""
    ids: list[str] = []
    taken: set[str] = set()
    generated: dict[int, tuple[str, str, int]] = {}  # index -> what its id was made from
    seen: dict[tuple, int] = {}
    for j, turn in enumerate(new["turns"]):
        candidate = turn.get("public_id") or inherited.get(j)
        if not candidate or candidate in taken:
            text = "\n\n".join(turn["paragraphs"])
            occurrence = seen[(turn["label"], text)] = seen.get((turn["label"], text), 0) + 1
            candidate = _public_id(event.slug, turn["label"], text, occurrence)
            while candidate in taken:
                candidate = _public_id(event.slug, turn["label"], text, occurrence := occurrence + 1000)
            generated[j] = (turn["label"], text, occurrence)
        taken.add(candidate)
        ids.append(candidate)
    # Ids are unique across events: one query finds clashes (vanishingly rare), not one per turn.
    clashes = set(
        Turn.objects.filter(public_id__in=[ids[j] for j in generated]).exclude(event=event).values_list("public_id", flat=True)
    )
    for j, (label, text, occurrence) in generated.items():
        while ids[j] in clashes:
            candidate = _public_id(event.slug, label, text, occurrence := occurrence + 1000)
            if candidate not in taken and not Turn.objects.filter(public_id=candidate).exclude(event=event).exists():
                taken.add(candidate)
                ids[j] = candidate
    return ids


def _unique_slug(model, base: str, exclude_pk=None) -> str:
    base = base[:190] or "item"
    slug, n = base, 1
    qs = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while qs.filter(slug=slug).exists():
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


def _appearances(event: Event, participants: list[dict]) -> dict[str, Appearance]:
    """Each participant key's new Appearance, people found in a few queries (a transcript
    may have thousands of speakers). Two labels for one person (e.g. front matter and
    header) share one appearance."""
    found = existing_people([(p["name"], p.get("person")) for p in participants])
    made: dict[str, Person] = {}  # name_key -> a person this import created
    by_person: dict[int, Appearance] = {}
    appearances = {}
    for order, (p, person) in enumerate(zip(participants, found)):
        if person is None:
            key = name_key(p["name"])
            person = made[key] = made.get(key) or _new_person(p["name"])
        if person.id not in by_person:
            by_person[person.id] = Appearance(
                event=event, person=person, role=p["role"], label=p.get("label", ""),
                title=p.get("title", ""), affiliation=p.get("affiliation", ""), order=order,
            )
        appearances[p["key"]] = by_person[person.id]
    Appearance.objects.bulk_create(by_person.values(), batch_size=500)
    return appearances


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


def apply_snapshot(event: Event, snapshot: dict) -> TurnDiff:
    """Make the event's metadata, appearances and turns what the snapshot says. Caller holds the transaction."""
    old = snapshot_event(event) if event.pk else {"turns": [], "participants": []}
    diff = diff_turns(old, snapshot) if old["turns"] else TurnDiff(added=len(snapshot["turns"]))
    meta = snapshot["event"]
    event.title = meta["title"]
    event.date = datetime.date.fromisoformat(meta["date"]) if meta.get("date") else None
    for field_name in ("description", "organiser", "source_url", "media_url", "photo_credit"):
        setattr(event, field_name, meta.get(field_name) or "")
    apply_media_snapshot(event, meta)
    if not event.slug:
        event.slug = _unique_slug(Event, event_slug(event.title, event.date))
    is_new = event.pk is None
    with signals_paused():
        event.save()
        topics = resolve_topics(meta.get("topics", []))
        event.topics.set(topics)
        public_ids = _assign_public_ids(event, snapshot, diff.inherited_ids)
        if not is_new:  # a new event has nothing to clear (each delete costs a collector pass)
            event.turns.all().delete()
            event.appearances.all().delete()
        appearances = _appearances(event, snapshot["participants"])
        turns = []
        times = carried_times(old, snapshot, public_ids)
        for position, (t, public_id) in enumerate(zip(snapshot["turns"], public_ids), start=1):
            turn = Turn(
                event=event, position=position, appearance=appearances.get(t["speaker"]),
                label=t["label"], paragraphs=t["paragraphs"], kind=t["kind"], section=t["section"],
                timestamp=t.get("timestamp", ""), public_id=public_id,
                start_seconds=times[position - 1][0], paragraph_starts=times[position - 1][1],
            )
            turn.refresh_derived()
            turns.append(turn)
        Turn.objects.bulk_create(turns, batch_size=500)
    enqueue_event(event.pk)
    distinct = list({id(a): a for a in appearances.values()}.values())  # two labels may share one appearance
    diff.stored = stored_snapshot(event, [topic.name for topic in topics], distinct, turns)
    return diff


def _record_revision(event: Event, *, source_text: str, user=None, note: str = "",
                     snapshot: dict | None = None) -> EventRevision:
    last = event.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return EventRevision.objects.create(
        event=event, number=last + 1, created_by=user if user and user.is_authenticated else None,
        note=note[:300], source_text=source_text, snapshot=snapshot or snapshot_event(event),
    )


def record_revision(event: Event, *, user=None, note: str = "") -> EventRevision:
    """Keep the event as it stands now (after an admin edit) as a new revision."""
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
    source_text, removed = strip_control_characters(source_text)
    transcript = transcript or parse_transcript(source_text)
    snapshot = transcript_to_snapshot(transcript, metadata=metadata, people=people)
    warnings = list(transcript.warnings) + ([control_character_warning(["the transcript text"])] if removed else [])
    warnings += clean_snapshot(snapshot)
    if not snapshot["event"]["title"]:
        from transcripts.parsing import ParseError

        raise ParseError("No title found: add a 'title:' line in front matter, or give the title when importing.")
    digest = sha256(source_text + repr(sorted((metadata or {}).items())) + repr(sorted((people or {}).items())))
    with transaction.atomic():
        if event is None:
            date = snapshot["event"]["date"]
            slug = event_slug(snapshot["event"]["title"], datetime.date.fromisoformat(date) if date else None)
            event = Event.objects.select_for_update().filter(slug=slug).first()
        else:
            event = Event.objects.select_for_update().get(pk=event.pk)
        if event is not None and event.source_sha256 == digest and (status is None or status == event.status):
            return ImportResult(event, "unchanged", TurnDiff(kept=event.turns.count()), warnings)
        action = "updated" if event is not None else "created"
        event = event or Event(status=status or Event.Status.PUBLISHED)
        if status:
            event.status = status
        event.source_text = source_text
        event.source_sha256 = digest
        diff = apply_snapshot(event, snapshot)
        _record_revision(event, source_text=source_text, user=user, note=note or f"Imported ({action})",
                         snapshot=diff.stored)
    return ImportResult(event, action, diff, warnings)


def restore_revision(revision: EventRevision, *, user=None) -> TurnDiff:
    """Put an event back as it stood at `revision`, public ids included; recorded as a new revision."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=revision.event_id)
        diff = apply_snapshot(event, revision.snapshot)
        event.source_text = revision.source_text
        event.source_sha256 = ""
        event.save(update_fields=["source_text", "source_sha256", "updated"])
        _record_revision(event, source_text=revision.source_text, user=user, note=f"Restored version {revision.number}")
    return diff
