"""Backup and restore: every event as its source text plus a JSON snapshot (metadata,
speaker mapping, turns with their public ids) and its revisions, and the people and topics
they refer to. Restoring into an empty site gives the same pages, public ids and quote
links, including links that resolve only through an old revision.

An archive folder is input like any other: what it holds is validated as an import is
(transcripts/validation.py), and a bad file stops the restore with nothing stored."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
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
from transcripts.validation import slug as valid_slug

# 2 adds each event's revisions; version 1 archives (no revisions) still restore.
FORMAT_VERSION = 2


@dataclass
class RestoreResult:
    events: int = 0
    revisions: int = 0
    warnings: list[str] = field(default_factory=list)
    stored_files: list[str] = field(default_factory=list)  # media copied in, removed if the restore fails


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


def import_archive(directory: Path, stream=None) -> RestoreResult:
    """Restore an export. Refuses to run over an archive that already has events; a file
    that is not valid stops the restore with a message naming it, and nothing is stored."""
    if Event.objects.exists():
        raise ValueError("This site already has events; import_archive restores into an empty site only.")
    paths = sorted((directory / "events").glob("*.json"))
    if not paths:
        raise ValueError(f"No events found in {directory / 'events'}; is this an export_archive folder?")
    events = [(path, _read_event(path)) for path in paths]
    # In the order they were first created, so ids (the tie-break of same-date events) keep it.
    events.sort(key=lambda item: (str(item[1].get("created") or ""), item[0].name))
    result = RestoreResult()
    try:
        with transaction.atomic():
            _restore_topics(_read_json(directory / "topics.json", []), result)
            _restore_people(_read_json(directory / "people.json", []), result)
            for path, data in progress(events, total=len(events), desc="Restoring events", stream=stream):
                with _named_file(path.name):
                    _restore_event(path, data, result)
                result.events += 1
    except BaseException:
        # The database rolled back; the media files copied so far go too, so nothing is left.
        for name in result.stored_files:
            default_storage.delete(name)
        raise
    return result


def _restore_topics(topics: list, result: RestoreResult) -> None:
    def restore(topic: dict, where: str, removed: list[str]) -> None:
        name = clean_text_field(topic["name"], f"{where} name", removed, Topic._meta.get_field("name").max_length)
        description = clean_text_field(topic.get("description"), f"{where} description", removed)
        Topic.objects.update_or_create(
            slug=valid_slug(topic["slug"], where), defaults={"name": name, "description": description}
        )

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
            slug=valid_slug(data["slug"], where), defaults={"name": name, "bio": bio, "photo_url": photo_url}
        )
        for old_slug in data.get("redirects", []):
            person.redirects.get_or_create(old_slug=valid_slug(old_slug, f"{where} old address"))
        _keep_time(Person, person.pk, "created", data.get("created"))

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
    except (ValueError, KeyError, TypeError, AttributeError, IntegrityError, RecursionError) as error:
        if isinstance(error, KeyError):
            detail = f"a required field is missing ({error})"
        elif isinstance(error, IntegrityError):  # two files give one slug or public id
            detail = "it repeats a slug or turn id that another file of the archive already gave"
        elif isinstance(error, RecursionError):
            detail = "it nests lists or objects too deeply to read"
        else:
            detail = " ".join(str(error).split()).rstrip(".")
        raise ValueError(f"{name}: {detail}. Fix the file or export the archive again; nothing was restored.") from None


def _read_event(path: Path) -> dict:
    with _named_file(path.name):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise InvalidInput("it must hold a JSON object, as export_archive writes")
        return data


def _restore_event(path: Path, data: dict, result: RestoreResult) -> None:
    if data.get("status") not in STATUSES:
        raise InvalidInput(f"status is {data.get('status')!r}; it must be one of {', '.join(STATUSES)}")
    source = path.with_suffix(".txt")
    source_text = ""
    if source.exists():
        with source.open(encoding="utf-8", newline="") as handle:  # CRLF stays CRLF
            source_text = handle.read()
    snapshot, warnings = clean_snapshot(EventSnapshot.from_json(data["snapshot"]))
    result.warnings += [f"{path.name}: {warning}" for warning in warnings]
    fingerprint = data.get("source_sha256")
    if not (isinstance(fingerprint, str) and re.fullmatch(r"[0-9a-f]{64}|", fingerprint)):
        fingerprint = sha256(source_text)  # a version 1 archive, or a damaged value
    event = Event(
        slug=valid_slug(data["slug"], "the event"),
        status=data["status"],
        source_text=source_text,
        source_sha256=fingerprint,
    )
    apply_snapshot(event, snapshot)
    result.stored_files += import_files(event, path.parent.parent)
    for name in ("created", "updated"):
        _keep_time(Event, event.pk, name, data.get(name))
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
        _keep_time(EventRevision, stored.pk, "created", revision.get("created"))
        result.revisions += 1
    versions = event.revisions.order_by("number").values_list("event_id", "number", "snapshot")
    fill_from_versions(versions.iterator(chunk_size=20))  # the turns' earlier texts, for quote links


def _keep_time(model, pk: int, name: str, value) -> None:
    """auto_now(_add) set the time to now; put back when the row really was made or changed."""
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None and value:
        raise InvalidInput(f"{name} is {value!r}; it must be a date and time such as 2024-05-01T12:00:00+00:00")
    if moment is not None:
        model.objects.filter(pk=pk).update(**{name: moment})


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _read_json(path: Path, default):
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default
