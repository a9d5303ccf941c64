"""Staff operations beyond a plain import: stage an upload for review, confirm it exactly
once, merge two Person records, publish. Each write runs in one transaction and leaves
its index work in the queue (transcripts/search/queue.py) inside it."""
from __future__ import annotations

import copy
import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from transcripts.importer import ImportResult, event_slug, import_transcript, record_revision
from transcripts.models import Appearance, Event, PendingUpload, Person, PersonRedirect, name_key
from transcripts.parsing import OTHER, Participant, Transcript
from transcripts.search.queue import enqueue_event

# Uploads nobody confirmed are dropped after this long.
PENDING_UPLOAD_DAYS = 7
UNRESOLVED_PREFIX = "label:"


def stage_upload(source_text: str, *, filename="", metadata=None, warnings=(), event=None, user=None) -> PendingUpload:
    """Keep a parsed upload server-side until staff confirm it; returns it with its token."""
    PendingUpload.objects.filter(
        confirmed__isnull=True, created__lt=timezone.now() - datetime.timedelta(days=PENDING_UPLOAD_DAYS)
    ).delete()
    return PendingUpload.objects.create(
        token=secrets.token_urlsafe(32), source_text=source_text, filename=filename[:255],
        metadata=metadata or {}, warnings=list(warnings), event=event,
        created_by=user if user and user.is_authenticated else None,
    )


def unresolved_labels(transcript: Transcript) -> list[str]:
    """Labels of turns the parser could not attribute to any participant, in order of appearance."""
    return list(dict.fromkeys(t.label for t in transcript.turns if t.speaker is None))


def speaker_rows(transcript: Transcript) -> list[dict]:
    """One row per speaker to map: the parser's participants, then each unresolved label."""
    rows = [
        {"key": p.key, "label": p.label, "name": p.name, "role": p.role, "title": p.title,
         "affiliation": p.affiliation, "unresolved": False}
        for p in transcript.participants
    ]
    rows += [
        {"key": UNRESOLVED_PREFIX + label, "label": label, "name": "", "role": OTHER, "title": "",
         "affiliation": "", "unresolved": True}
        for label in unresolved_labels(transcript)
    ]
    return rows


@dataclass
class Review:
    """What staff settled in the preview: the event's fields and each speaker row."""

    metadata: dict  # title, date (ISO or ""), description, organiser, source_url, media_url, topics
    speakers: list[dict]  # key, name, person (slug or ""), role, title, affiliation


def reviewed_transcript(transcript: Transcript, review: Review) -> tuple[Transcript, dict]:
    """The transcript as staff corrected it, and the `people` mapping for the importer.

    Unresolved labels staff named become participants of their own; a name that is an
    existing person's (same name_key) maps to that person, else a new one is created."""
    edited = copy.deepcopy(transcript)
    meta = review.metadata
    edited.title = meta.get("title") or edited.title
    edited.date = datetime.date.fromisoformat(meta["date"]) if meta.get("date") else None
    for name in ("description", "organiser", "source_url", "media_url"):
        setattr(edited, name, meta.get(name, ""))
    edited.topics = list(meta.get("topics", []))
    people = {}
    for row in review.speakers:
        key = row["key"]
        if key.startswith(UNRESOLVED_PREFIX):
            label = key[len(UNRESOLVED_PREFIX):]
            edited.participants.append(Participant(key=key, name=row["name"], label=label, role=row["role"]))
            for turn in edited.turns:
                if turn.speaker is None and turn.label == label:
                    turn.speaker = key
        people[key] = {
            "name": row["name"], "role": row["role"], "title": row.get("title", ""),
            "affiliation": row.get("affiliation", ""), "person": _pinned_person(row),
        }
    return edited, people


def _pinned_person(row: dict) -> str:
    """The slug staff (or the matcher) picked, if it still fits the name typed."""
    slug = row.get("person") or ""
    if slug and Person.objects.filter(slug=slug, name_key=name_key(row["name"])).exists():
        return slug
    return ""


def target_event(pending: PendingUpload, metadata: dict) -> Event | None:
    """The event a confirm would update: the one staff started from, else the one with the
    same title and date (the importer's rule, so re-uploading never duplicates an event)."""
    if pending.event_id:
        return pending.event
    date = datetime.date.fromisoformat(metadata["date"]) if metadata.get("date") else None
    return Event.objects.filter(slug=event_slug(metadata.get("title") or "", date)).first()


def confirm_upload(
    pending: PendingUpload, transcript: Transcript, review: Review, *, status: str, user=None, note=""
) -> ImportResult | None:
    """Store a reviewed upload; None when it had already been confirmed (a double click, or
    two staff at once: the row lock makes the second wait and then find it done)."""
    with transaction.atomic():
        locked = PendingUpload.objects.select_for_update().get(pk=pending.pk)
        if locked.confirmed:
            pending.refresh_from_db()
            return None
        edited, people = reviewed_transcript(transcript, review)
        label = f"“{pending.filename}”" if pending.filename else "pasted text"
        result = import_transcript(
            pending.source_text, event=target_event(pending, review.metadata), transcript=edited,
            metadata=review.metadata, people=people, status=status, user=user,
            note=note or f"Uploaded {label} in the admin",
        )
        locked.confirmed, locked.result = timezone.now(), result.event
        locked.confirmed_by = user if user and user.is_authenticated else None
        locked.save(update_fields=["confirmed", "confirmed_by", "result"])
    pending.refresh_from_db()
    return result


def merge_people(keep: Person, duplicate: Person, *, user=None) -> list[Event]:
    """Make `duplicate` (the same person spelled another way) part of `keep`: its appearances
    and turns move over, its URL redirects to `keep`, the record goes. Returns the events touched."""
    if keep.pk == duplicate.pk:
        raise ValueError("A person cannot be merged into itself.")
    with transaction.atomic():
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


def set_status(events, status: str) -> list[Event]:
    """Publish or unpublish; returns the events whose status changed (each saved, so re-indexed)."""
    changed = []
    with transaction.atomic():
        for event in events:
            if event.status != status:
                event.status = status
                event.save(update_fields=["status", "updated"])
                changed.append(event)
    return changed


def diff_summary(diff) -> str:
    """A turn diff in one line, for messages and the admin log."""
    return (f"{diff.kept} turns kept, {diff.changed} changed, {diff.added} added, {diff.removed} removed, "
            f"{diff.speakers_changed} speaker changes")


def field_changes(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """(field, old, new) for each event field two snapshots disagree on; lists shown comma-separated."""
    def shown(value):
        return ", ".join(value) if isinstance(value, list) else (value or "")

    return [(name, shown(old.get(name)), shown(new.get(name))) for name in new if shown(old.get(name)) != shown(new.get(name))]
