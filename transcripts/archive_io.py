"""Backup and restore: every event as its source text plus a JSON snapshot (metadata,
speaker mapping, turns with their public ids) and its revisions, and the people and topics
they refer to. Restoring into an empty site gives the same pages, public ids and quote
links, including links that resolve only through an old revision.

An archive folder is input like any other: what it holds is validated as an import is
(transcripts/validation.py), and a bad file stops the restore with nothing stored."""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.dateparse import parse_datetime

from transcripts.importer import apply_snapshot, sha256
from transcripts.media.snapshot import export_files, import_files
from transcripts.models import Event, EventRevision, Person, Topic
from transcripts.progress import progress
from transcripts.revisions import fill_from_versions
from transcripts.snapshots import EventSnapshot
from transcripts.validation import (
    STATUSES,
    InvalidInput,
    clean_snapshot,
    clean_text_field,
    control_character_warning,
    http_url,
)

# 2 adds each event's revisions; version 1 archives (no revisions) still restore.
FORMAT_VERSION = 2


@dataclass
class RestoreResult:
    events: int = 0
    revisions: int = 0
    warnings: list[str] = field(default_factory=list)


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
        }
        for p in Person.objects.prefetch_related("redirects").order_by("slug")
    ]
    topics = [{"name": t.name, "slug": t.slug, "description": t.description} for t in Topic.objects.order_by("slug")]
    _write_json(directory / "people.json", people)
    _write_json(directory / "topics.json", topics)
    count = 0
    events = Event.objects.order_by("slug").prefetch_related("revisions")
    for event in progress(
        events.iterator(chunk_size=100), total=events.count(), desc="Exporting events", stream=stream
    ):
        (events_dir / f"{event.slug}.txt").write_text(event.source_text, encoding="utf-8")
        _write_json(
            events_dir / f"{event.slug}.json",
            {
                "format": FORMAT_VERSION,
                "slug": event.slug,
                "status": event.status,
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


def import_archive(directory: Path, stream=None) -> RestoreResult:
    """Restore an export. Refuses to run over an archive that already has events; a file
    that is not valid stops the restore with a message naming it, and nothing is stored."""
    if Event.objects.exists():
        raise ValueError("This site already has events; import_archive restores into an empty site only.")
    paths = sorted((directory / "events").glob("*.json"))
    if not paths:
        raise ValueError(f"No events found in {directory / 'events'}; is this an export_archive folder?")
    result = RestoreResult()
    with transaction.atomic():
        _restore_topics(_read_json(directory / "topics.json", []), result)
        _restore_people(_read_json(directory / "people.json", []), result)
        for path in progress(paths, total=len(paths), desc="Restoring events", stream=stream):
            with _named_file(path.name):
                _restore_event(path, result)
            result.events += 1
    return result


def _restore_topics(topics: list, result: RestoreResult) -> None:
    def restore(topic: dict, where: str, removed: list[str]) -> None:
        name = clean_text_field(topic["name"], f"{where} name", removed, Topic._meta.get_field("name").max_length)
        description = clean_text_field(topic.get("description"), f"{where} description", removed)
        Topic.objects.update_or_create(slug=topic["slug"], defaults={"name": name, "description": description})

    _restore_rows("topics.json", "topic", topics, restore, result)


def _restore_people(people: list, result: RestoreResult) -> None:
    def restore(data: dict, where: str, removed: list[str]) -> None:
        name = clean_text_field(data["name"], f"{where} name", removed, Person._meta.get_field("name").max_length)
        bio = clean_text_field(data.get("bio"), f"{where} bio", removed)
        try:
            photo_url = http_url(data.get("photo_url"))
        except InvalidInput as error:
            raise InvalidInput(f"{where} photo_url: {error}") from None
        person, _ = Person.objects.update_or_create(
            slug=data["slug"], defaults={"name": name, "bio": bio, "photo_url": photo_url}
        )
        for old_slug in data.get("redirects", []):
            person.redirects.get_or_create(old_slug=old_slug)

    _restore_rows("people.json", "person", people, restore, result)


def _restore_rows(file_name: str, kind: str, rows: list, restore, result: RestoreResult) -> None:
    """Restore each row of people.json or topics.json; a bad row names the file and the row."""
    removed: list[str] = []
    with _named_file(file_name):
        for row in rows:
            restore(row, f"{kind} {row.get('slug')!r}", removed)
    if removed:
        result.warnings.append(f"{file_name}: {control_character_warning(removed)}")


@contextmanager
def _named_file(name: str):
    """Turn what is wrong with one archive file into a message naming it."""
    try:
        yield
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        detail = f"a required field is missing ({error})" if isinstance(error, KeyError) else str(error).rstrip(".")
        raise ValueError(f"{name}: {detail}. Fix the file or export the archive again; nothing was restored.") from None


def _restore_event(path: Path, result: RestoreResult) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("status") not in STATUSES:
        raise InvalidInput(f"status is {data.get('status')!r}; it must be one of {', '.join(STATUSES)}")
    source = path.with_suffix(".txt")
    source_text = source.read_text(encoding="utf-8") if source.exists() else ""
    snapshot, warnings = clean_snapshot(EventSnapshot.from_json(data["snapshot"]))
    result.warnings += [f"{path.name}: {warning}" for warning in warnings]
    event = Event(slug=data["slug"], status=data["status"], source_text=source_text, source_sha256=sha256(source_text))
    apply_snapshot(event, snapshot)
    import_files(event, path.parent.parent)
    for revision in data.get("revisions", []):
        try:
            stored, warnings = clean_snapshot(EventSnapshot.from_json(revision["snapshot"]))
        except InvalidInput as error:
            raise InvalidInput(f"version {revision.get('number')!r}: {error}") from None
        result.warnings += [f"{path.name} version {revision['number']}: {warning}" for warning in warnings]
        stored = EventRevision.objects.create(
            event=event,
            number=int(revision["number"]),
            note=str(revision.get("note", ""))[:300],
            source_text=revision.get("source_text") or "",
            snapshot=stored.to_json(),
        )
        created = parse_datetime(revision.get("created") or "")
        if created:  # auto_now_add set it to now; keep when it really was made
            EventRevision.objects.filter(pk=stored.pk).update(created=created)
        result.revisions += 1
    versions = event.revisions.order_by("number").values_list("event_id", "number", "snapshot")
    fill_from_versions(versions.iterator(chunk_size=20))  # the turns' earlier texts, for quote links


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _read_json(path: Path, default):
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default
