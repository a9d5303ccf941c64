"""Times and media in event snapshots (transcripts/snapshots.py), so that revisions,
restores, corrections and export/import keep them."""

from __future__ import annotations

from transcripts.media.timecode import parse_clock


def transcript_start(parsed_turn) -> float | None:
    """A parsed turn's start: the parser's own `start_seconds` when it gives one, else its
    written mark ([01:23:45])."""
    start = getattr(parsed_turn, "start_seconds", None)
    if start is None and parsed_turn.timestamp:
        start = parse_clock(parsed_turn.timestamp)
    return start


def apply_media_snapshot(event, fields) -> None:
    """Only a snapshot that carries media (a revision, an export) changes it: an imported
    transcript says nothing about the event's recording (its media fields are None)."""
    if fields.media_file is not None:
        event.media_file.name = fields.media_file
    if fields.captions_file is not None:
        event.captions_file.name = fields.captions_file
    if fields.alignment is not None:
        event.alignment = dict(fields.alignment)


def carried_times(old, new, public_ids: list[str]) -> list[tuple[float | None, list]]:
    """(start, paragraph starts) for each turn of snapshot `new`: its own, else — for a turn
    that keeps the public id of one in snapshot `old` (a correction) — the old turn's time, so
    a corrected transcript keeps its alignment. Paragraph starts carry over only while the
    paragraphs are the same. `old` is None for a new event."""
    previous = {t.public_id: t for t in old.turns} if old else {}
    out = []
    for turn, public_id in zip(new.turns, public_ids):
        start, paragraph_starts = turn.start_seconds, list(turn.paragraph_starts)
        before = previous.get(public_id)
        if start is None and before is not None and before.start_seconds is not None:
            start = before.start_seconds
            if not paragraph_starts and before.paragraphs == turn.paragraphs:
                paragraph_starts = list(before.paragraph_starts)
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
