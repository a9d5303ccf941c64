"""Restoring an export (export_archive's folder) into an empty site: topics, people, every
event with its versions and files, in one transaction; a file that is not valid stops the
restore with a message naming it, and nothing is stored. Each event goes through
apply_snapshot, so it is checked, counted and queued for the index as an import is; the
people restored are queued too (a person who speaks at no event still has a page)."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime

from transcripts.models import Event, EventRevision, Person, Topic
from transcripts.operations import effects
from transcripts.operations.imports import apply_snapshot
from transcripts.progress import progress
from transcripts.revisions import fill_from_versions
from transcripts.snapshots import EventSnapshot
from transcripts.turn_rows import sha256
from transcripts.validation import (
    STATUSES,
    InvalidInput,
    clean_snapshot,
    clean_text_field,
    control_character_warning,
    http_url,
)
from transcripts.validation import slug as valid_slug


@dataclass
class RestoreResult:
    events: int = 0
    revisions: int = 0
    warnings: list[str] = field(default_factory=list)
    stored_files: list[str] = field(default_factory=list)  # media copied in, removed if the restore fails


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
            effects.queue_index(people=Person.objects.values_list("pk", flat=True))
            effects.renew_page_cache()
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
    result.stored_files += _import_files(event, path.parent.parent)
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


def _read_json(path: Path, default):
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default


def _import_files(event, directory) -> list[str]:
    """Put an export's media and captions files back under the names the snapshot gave
    them (import_archive; the names were checked by validation.stored_file_name); a name
    whose file is missing from the export is dropped. Returns the names stored."""
    changed, stored = [], []
    for attr in ("media_file", "captions_file"):
        field = getattr(event, attr)
        if not field.name:
            continue
        source = directory / "files" / field.name
        if source.is_file():
            with source.open("rb") as handle:
                field.name = field.storage.save(field.name, File(handle))
                stored.append(field.name)
        else:
            field.name = ""
        changed.append(attr)
    if changed:
        event.save(update_fields=changed)
    return stored
