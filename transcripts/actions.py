"""Staff operations beyond a plain import: stage an upload for review (confirming it is
transcripts.plan.confirm), merge two Person records, publish. Each write runs in one transaction and leaves
its index work in the queue (transcripts/search/queue.py) inside it."""
from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from transcripts.importer import record_revision
from transcripts.models import Appearance, Event, PendingUpload, Person, PersonRedirect
from transcripts.parsing import Transcript
from transcripts.plan import remember_parse
from transcripts.search.queue import enqueue_event

# Uploads nobody confirmed are dropped after this long.
PENDING_UPLOAD_DAYS = 7


def stage_upload(
    source_text: str, *, transcript: Transcript | None = None, filename="", metadata=None, warnings=(), event=None,
    user=None,
) -> PendingUpload:
    """Keep an upload server-side until staff confirm it, with its parse result when the
    caller already has one (so the preview does not parse again); returns it with its token."""
    PendingUpload.objects.filter(
        confirmed__isnull=True, created__lt=timezone.now() - datetime.timedelta(days=PENDING_UPLOAD_DAYS)
    ).delete()
    pending = PendingUpload(
        token=secrets.token_urlsafe(32), source_text=source_text, filename=filename[:255],
        metadata=metadata or {}, warnings=list(warnings), event=event,
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
