"""Times and media in event snapshots (transcripts/importer.py), so that revisions,
restores, corrections and export/import keep them."""
from __future__ import annotations

from transcripts.media.timecode import parse_clock

MEDIA_KEYS = ("media_file", "captions_file", "alignment")


def transcript_start(parsed_turn) -> float | None:
    """A parsed turn's start: the parser's own `start_seconds` when it gives one, else its
    written mark ([01:23:45])."""
    start = getattr(parsed_turn, "start_seconds", None)
    if start is None and parsed_turn.timestamp:
        start = parse_clock(parsed_turn.timestamp)
    return start


def media_snapshot(event) -> dict:
    return {"media_file": event.media_file.name or "", "captions_file": event.captions_file.name or "",
            "alignment": dict(event.alignment or {})}


def apply_media_snapshot(event, meta: dict) -> None:
    """Only a snapshot that carries media (a revision, an export) changes it: an imported
    transcript says nothing about the event's recording."""
    if "media_file" in meta:
        event.media_file.name = meta.get("media_file") or ""
    if "captions_file" in meta:
        event.captions_file.name = meta.get("captions_file") or ""
    if "alignment" in meta:
        event.alignment = meta.get("alignment") or {}


def carried_times(old: dict, new: dict, public_ids: list[str]) -> list[tuple[float | None, list]]:
    """(start, paragraph starts) for each new turn: the snapshot's own, else — for a turn
    that keeps the public id of an old one (a correction) — the old turn's time, so a
    corrected transcript keeps its alignment. Paragraph starts carry over only while the
    paragraphs are the same."""
    previous = {t.get("public_id"): t for t in old.get("turns", [])}
    out = []
    for turn, public_id in zip(new["turns"], public_ids):
        start, paragraph_starts = turn.get("start_seconds"), list(turn.get("paragraph_starts") or [])
        before = previous.get(public_id)
        if start is None and before is not None and before.get("start_seconds") is not None:
            start = before["start_seconds"]
            if not paragraph_starts and before.get("paragraphs") == turn.get("paragraphs"):
                paragraph_starts = list(before.get("paragraph_starts") or [])
        out.append((start, paragraph_starts))
    return out


def export_files(event, directory) -> None:
    """Copy the event's uploaded media and captions into `directory/files/` (export_archive)."""
    for field in (event.media_file, event.captions_file):
        if field.name and field.storage.exists(field.name):
            target = directory / "files" / field.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with field.open("rb") as source:
                target.write_bytes(source.read())


def import_files(event, directory) -> None:
    """Put an export's media and captions files back under the names the snapshot gave
    them (import_archive); a name whose file is missing from the export is dropped."""
    from django.core.files import File

    changed = []
    for attr in ("media_file", "captions_file"):
        field = getattr(event, attr)
        if not field.name:
            continue
        source = directory / "files" / field.name
        if source.is_file():
            with source.open("rb") as handle:
                field.name = field.storage.save(field.name, File(handle))
        else:
            field.name = ""
        changed.append(attr)
    if changed:
        event.save(update_fields=changed)
