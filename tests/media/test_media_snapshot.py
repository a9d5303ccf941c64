"""Times and media survive what the archive does to events: imports with their own times,
corrections, version restores, and export/import."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.media_helpers import captions_for, write_tone_wav
from tests.operations.test_importer import corrected
from transcripts.models import Event, Turn
from transcripts.operations.imports import import_transcript, restore_revision
from transcripts.operations.media import align_event
from transcripts.operations.versions import record_revision

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media-root"
    return settings.MEDIA_ROOT


def starts(event):
    return list(Turn.objects.filter(event=event).order_by("position").values_list("start_seconds", flat=True))


def aligned(event):
    vtt, _, _ = captions_for(list(event.turns.order_by("position")))
    align_event(event, vtt, captions_name="panel.vtt")
    return Event.objects.get(pk=event.pk)


def test_a_transcripts_own_times_become_start_seconds():
    event = import_transcript((FIXTURES / "timestamps.txt").read_text(encoding="utf-8")).event
    assert starts(event) == [5.0, 83.0, 130.0, 180.0, 245.0]


def test_a_correction_keeps_the_times_of_the_turns_it_keeps(sample_event, sample_text, media_root):
    event = aligned(sample_event)
    before = {t.public_id: (t.start_seconds, t.paragraph_starts) for t in event.turns.all()}
    import_transcript(corrected(sample_text))
    after = {t.public_id: (t.start_seconds, t.paragraph_starts) for t in Event.objects.get().turns.all()}
    kept = set(before) & set(after)
    assert len(kept) >= 61
    assert all(after[pid] == before[pid] for pid in kept if after[pid][1])  # same paragraphs: same times
    assert all(after[pid][0] == before[pid][0] for pid in kept)
    added = set(after) - set(before)
    assert added and all(after[pid][0] is None for pid in added)  # a new turn has no time until realigned
    assert Event.objects.get().alignment["coverage_percent"] == 100.0  # the report is the event's, kept


def test_restoring_a_version_brings_back_its_times(sample_event, media_root):
    event = aligned(sample_event)
    revision = record_revision(event, note="timed")
    timed = starts(event)
    vtt, _, _ = captions_for(list(event.turns.order_by("position")), offset=70.0)  # realigned a minute later
    align_event(event, vtt, keep_file=False)
    assert starts(event) == [s + 60 for s in timed]
    restore_revision(revision)
    assert starts(event) == timed


def test_restoring_an_untimed_version_of_the_same_words_keeps_the_alignment(sample_event, media_root):
    """Times belong to the recording, not to a version of the text."""
    first = sample_event.revisions.order_by("number").first()
    event = aligned(sample_event)
    timed = starts(event)
    restore_revision(first)
    assert starts(event) == timed


def test_export_and_import_carry_times_media_and_captions(sample_event, media_root, tmp_path):
    (media_root / "media").mkdir(parents=True)
    write_tone_wav(media_root / "media" / "panel.wav", seconds=1)
    sample_event.media_file.name = "media/panel.wav"
    sample_event.save()
    event = aligned(sample_event)
    before = (starts(event), event.alignment, event.media_file.name, event.captions_file.name)
    wav = (media_root / "media" / "panel.wav").read_bytes()
    captions = (media_root / event.captions_file.name).read_text()

    out = tmp_path / "export"
    call_command("export_archive", str(out), stdout=io.StringIO())
    Event.objects.all().delete()
    for path in media_root.rglob("*"):
        if path.is_file():
            path.unlink()
    call_command("import_archive", str(out), stdout=io.StringIO())

    restored = Event.objects.get()
    assert (starts(restored), restored.alignment, restored.media_file.name, restored.captions_file.name) == before
    assert (media_root / "media" / "panel.wav").read_bytes() == wav
    assert (media_root / restored.captions_file.name).read_text() == captions
