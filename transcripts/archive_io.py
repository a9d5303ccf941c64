"""Backup and restore: every event as its source text plus a JSON snapshot (metadata,
speaker mapping, turns with their public ids), and the people and topics they refer to.
Restoring into an empty site gives the same pages, public ids and quote links."""
from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from transcripts.importer import apply_snapshot, sha256, snapshot_event
from transcripts.media.snapshot import export_files, import_files
from transcripts.models import Event, Person, Topic

FORMAT_VERSION = 1


def export_archive(directory: Path) -> int:
    events_dir = directory / "events"
    events_dir.mkdir(parents=True, exist_ok=True)
    people = [
        {"name": p.name, "slug": p.slug, "bio": p.bio, "photo_url": p.photo_url,
         "redirects": list(p.redirects.values_list("old_slug", flat=True))}
        for p in Person.objects.prefetch_related("redirects").order_by("slug")
    ]
    topics = [{"name": t.name, "slug": t.slug, "description": t.description} for t in Topic.objects.order_by("slug")]
    _write_json(directory / "people.json", people)
    _write_json(directory / "topics.json", topics)
    count = 0
    for event in Event.objects.order_by("slug").iterator():
        (events_dir / f"{event.slug}.txt").write_text(event.source_text, encoding="utf-8")
        _write_json(
            events_dir / f"{event.slug}.json",
            {"format": FORMAT_VERSION, "slug": event.slug, "status": event.status, "snapshot": snapshot_event(event)},
        )
        export_files(event, directory)
        count += 1
    return count


def import_archive(directory: Path) -> int:
    """Restore an export. Refuses to run over an archive that already has events."""
    if Event.objects.exists():
        raise ValueError("This site already has events; import_archive restores into an empty site only.")
    events = sorted((directory / "events").glob("*.json"))
    if not events:
        raise ValueError(f"No events found in {directory / 'events'}; is this an export_archive folder?")
    with transaction.atomic():
        for topic in _read_json(directory / "topics.json", []):
            Topic.objects.update_or_create(slug=topic["slug"], defaults={"name": topic["name"], "description": topic["description"]})
        for data in _read_json(directory / "people.json", []):
            person, _ = Person.objects.update_or_create(
                slug=data["slug"], defaults={"name": data["name"], "bio": data["bio"], "photo_url": data["photo_url"]}
            )
            for old_slug in data.get("redirects", []):
                person.redirects.get_or_create(old_slug=old_slug)
        for path in events:
            data = json.loads(path.read_text(encoding="utf-8"))
            source = path.with_suffix(".txt")
            source_text = source.read_text(encoding="utf-8") if source.exists() else ""
            event = Event(slug=data["slug"], status=data["status"], source_text=source_text, source_sha256=sha256(source_text))
            apply_snapshot(event, data["snapshot"])
            import_files(event, directory)
    return len(events)


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _read_json(path: Path, default):
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default
