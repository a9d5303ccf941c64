"""Operations on an event's media: time its turns from captions.

`align_event` aligns first, outside any transaction (a big captions file takes seconds,
and on SQLite a transaction locks out every other writer), then writes the turns' times,
the captions file and the report in one short transaction: together or not at all, with
the index work queued inside it. If the turns changed meanwhile, nothing is stored.
"""

from __future__ import annotations

import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from transcripts.media.alignment import AlignmentReport, align, median_offset, own_start, spoken_paragraphs
from transcripts.media.captions import read_words
from transcripts.models import Event, Turn
from transcripts.operations import effects

# Below this share of the transcript's words found in the captions, the captions are
# for another recording (or another event): nothing is stored.
MIN_WORDS_MATCHED_PERCENT = 20.0


class AlignmentError(ValueError):
    """Captions that cannot time this event; the message says what to do."""


def align_event(
    event: Event, captions_text: str, *, captions_name: str = "", keep_file: bool = True
) -> AlignmentReport:
    """Time the event's turns and paragraphs from captions; returns the report it stored.

    Turns the transcript already times keep their own time (the report gives the median
    offset between the two, which shows whether the captions fit the recording). Raises
    CaptionsError for an unreadable file and AlignmentError for captions that do not
    match this transcript; then nothing changes."""
    started = time.perf_counter()
    words = read_words(captions_text, captions_name)
    turns = _turns_to_time(event)
    if not turns:
        raise AlignmentError("This event has no turns to time. Import its transcript first.")
    result = align([spoken_paragraphs(t.paragraphs) for t in turns], words)
    matched = round(100 * result.words_matched / result.words_total, 1) if result.words_total else 0.0
    if matched < MIN_WORDS_MATCHED_PERCENT:
        raise AlignmentError(
            f"These captions do not match this transcript: only {matched:g}% of its words were found in them. "
            "Check that the captions are for this event's recording."
        )
    own = [own_start(t) for t in turns]
    for turn, aligned, paragraphs, known in zip(turns, result.turn_starts, result.paragraph_starts, own):
        turn.start_seconds = known if known is not None else aligned
        turn.paragraph_starts = [turn.start_seconds, *paragraphs[1:]] if paragraphs else []
    report = AlignmentReport(
        turns_total=len(turns),
        turns_timed=sum(t.start_seconds is not None for t in turns),
        paragraphs_total=sum(len(t.paragraphs) for t in turns),
        paragraphs_timed=sum(s is not None for t in turns for s in t.paragraph_starts),
        words_matched_percent=matched,
        median_offset_seconds=median_offset(result.turn_starts, own),
        captions_name=captions_name,
        aligned_at=timezone.now().isoformat(timespec="seconds"),
        seconds_taken=round(time.perf_counter() - started, 3),
        untimed_turns=[t.position for t in turns if t.start_seconds is None],
    )
    written: list[str] = []
    try:
        with transaction.atomic():
            _store_alignment(event, turns, report, captions_text, captions_name, keep_file, written)
    except BaseException:
        # The captions file was written before the commit failed: do not leave it behind.
        for name in written:
            event.captions_file.storage.delete(name)
        raise
    return report


def _turns_to_time(event: Event) -> list[Turn]:
    return list(Turn.objects.filter(event=event).order_by("position").only("id", "position", "paragraphs", "timestamp"))


def _store_alignment(event, turns, report, captions_text, captions_name, keep_file, written):
    event = Event.objects.select_for_update().get(pk=event.pk)
    now = _turns_to_time(event)
    if [(t.pk, t.paragraphs, t.timestamp) for t in now] != [(t.pk, t.paragraphs, t.timestamp) for t in turns]:
        raise AlignmentError(
            "The transcript changed while the captions were being aligned, so nothing was stored. Align them again."
        )
    Turn.objects.bulk_update(turns, ["start_seconds", "paragraph_starts"], batch_size=500)
    effects.queue_index(events=[event])  # one event task re-syncs its turns
    effects.renew_page_cache()
    event.alignment = report.as_dict()
    fields = ["alignment"]
    if keep_file:
        suffix = "srt" if captions_name.lower().endswith(".srt") else "vtt"
        storage = event.captions_file.storage
        stored = storage.save(f"captions/{event.slug}.{suffix}", ContentFile(captions_text.encode("utf-8")))
        written.append(stored)
        old = event.captions_file.name
        event.captions_file.name = stored
        fields.append("captions_file")
        if old and old != stored:
            transaction.on_commit(lambda: storage.delete(old))
    event.save(update_fields=fields)
