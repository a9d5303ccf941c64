"""Backup: every event as its source text plus a JSON snapshot (metadata, speaker mapping,
turns with their public ids) and its revisions, and the people and topics they refer to.
Restoring it (transcripts.operations.archive.import_archive) into an empty site gives the
same pages, public ids and quote links, including links that resolve only through an old
revision."""

from __future__ import annotations

import json
from pathlib import Path

from transcripts.media.snapshot import export_files
from transcripts.models import Event, EventRevision, Person, Topic
from transcripts.progress import progress
from transcripts.snapshots import EventSnapshot

# 2 adds each event's revisions; version 1 archives (no revisions) still restore.
FORMAT_VERSION = 2


def export_archive(directory: Path, stream=None) -> int:
    events_dir = directory / "events"
    events_dir.mkdir(parents=True, exist_ok=True)
    people = [
        {
            "name": p.name,
            "slug": p.slug,
            "bio": p.bio,
            "photo_url": p.photo_url,
            "redirects": list(p.redirects.values_list("old_slug", flat=True)),
            "created": p.created.isoformat(),
        }
        for p in Person.objects.prefetch_related("redirects").order_by("slug")
    ]
    topics = [{"name": t.name, "slug": t.slug, "description": t.description} for t in Topic.objects.order_by("slug")]
    _write_json(directory / "people.json", people)
    _write_json(directory / "topics.json", topics)
    count = 0
    # In creation order, so a restore creates them in it too (same-date events keep their order).
    events = Event.objects.order_by("created", "id").prefetch_related("revisions")
    for event in progress(
        events.iterator(chunk_size=100), total=events.count(), desc="Exporting events", stream=stream
    ):
        # newline="": the text is written as stored, CRLF line ends included.
        (events_dir / f"{event.slug}.txt").write_text(event.source_text, encoding="utf-8", newline="")
        _write_json(
            events_dir / f"{event.slug}.json",
            {
                "format": FORMAT_VERSION,
                "slug": event.slug,
                "status": event.status,
                # The import fingerprint as computed then: re-importing the same file after a
                # restore finds it unchanged instead of recording a new version.
                "source_sha256": event.source_sha256,
                "created": event.created.isoformat(),
                "updated": event.updated.isoformat(),
                "snapshot": EventSnapshot.from_event(event).to_json(),
                "revisions": [_revision_data(r) for r in sorted(event.revisions.all(), key=lambda r: r.number)],
            },
        )
        export_files(event, directory)
        count += 1
    return count


def _revision_data(revision: EventRevision) -> dict:
    return {
        "number": revision.number,
        "created": revision.created.isoformat(),
        "note": revision.note,
        "source_text": revision.source_text,
        # As stored (version 1 or 2; the restore reads either), so a backup loses nothing.
        "snapshot": revision.snapshot,
    }


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
