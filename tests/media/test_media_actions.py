"""align_event and the align_captions command: times stored, index work queued, bad input refused."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.media_helpers import captions_for
from transcripts.media.captions import CaptionsError
from transcripts.models import Event, Turn
from transcripts.operations.media import AlignmentError, align_event
from transcripts.search.models import IndexTask


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def turns_of(event):
    return list(Turn.objects.filter(event=event).order_by("position"))


def test_align_event_times_every_turn_and_paragraph(sample_event, media_root):
    turns = turns_of(sample_event)
    vtt, starts, paragraph_starts = captions_for(turns)
    IndexTask.objects.all().delete()
    report = align_event(sample_event, vtt, captions_name="panel.vtt")
    stored = turns_of(sample_event)
    assert report.turns_total == len(turns) == report.turns_timed
    assert [round(t.start_seconds, 1) for t in stored] == [round(s, 1) for s in starts]
    for turn, expected in zip(stored, paragraph_starts):
        # The first paragraph starts with the turn, even when it is only "(Laughs.)".
        assert turn.paragraph_starts[0] == turn.start_seconds
        assert turn.paragraph_starts[1:] == pytest.approx(expected[1:], abs=0.05)
    event = Event.objects.get(pk=sample_event.pk)
    assert event.alignment["coverage_percent"] == 100.0 and event.alignment["captions_name"] == "panel.vtt"
    assert event.captions_file.name == f"captions/{event.slug}.vtt"
    assert (media_root / event.captions_file.name).read_text().startswith("WEBVTT")
    # bulk_update sends no signals: the event-level task must be queued for the index.
    assert IndexTask.objects.filter(model="transcripts.event", object_id=event.pk).exists()


def test_turns_missing_from_the_captions_stay_untimed(sample_event, media_root):
    turns = turns_of(sample_event)
    lost = {5, 6, 7}  # three whole turns the recogniser lost
    vtt, starts, _ = captions_for(turns, skip=lambda i: i in lost)
    report = align_event(sample_event, vtt, keep_file=False)
    stored = turns_of(sample_event)
    untimed = [i for i, t in enumerate(stored) if t.start_seconds is None]
    assert set(untimed) <= lost and len(untimed) >= 2
    assert report.untimed_turns == [stored[i].position for i in untimed]
    for i, turn in enumerate(stored):
        if turn.start_seconds is not None:
            assert abs(turn.start_seconds - starts[i]) <= 2.0, (i, turn.start_seconds, starts[i])


def test_the_transcripts_own_times_win_and_give_the_median_offset(sample_event, media_root):
    turns = turns_of(sample_event)
    vtt, _, _ = captions_for(turns)
    first = turns[0]
    first.timestamp = "00:00:12"  # the transcript says 12 s; the captions say 10 s
    first.save()
    report = align_event(sample_event, vtt, keep_file=False)
    assert Turn.objects.get(pk=first.pk).start_seconds == 12.0
    assert report.median_offset_seconds == pytest.approx(-2.0, abs=0.05)


def test_captions_for_another_event_store_nothing(sample_event, media_root):
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\nwelcome to the cooking show where today we bake bread\n"
    with pytest.raises(AlignmentError, match="do not match this transcript"):
        align_event(sample_event, vtt)
    assert not Turn.objects.filter(event=sample_event, start_seconds__isnull=False).exists()
    event = Event.objects.get(pk=sample_event.pk)
    assert event.alignment == {} and not event.captions_file
    assert not (media_root / "captions").exists() or not any((media_root / "captions").iterdir())


def test_a_failure_after_the_file_was_written_leaves_nothing(sample_event, media_root, monkeypatch):
    vtt, _, _ = captions_for(turns_of(sample_event))

    def explode(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Event, "save", explode)
    with pytest.raises(RuntimeError):
        align_event(sample_event, vtt)
    assert not Turn.objects.filter(event=sample_event, start_seconds__isnull=False).exists()
    assert not any((media_root / "captions").iterdir())


def test_command_reports_coverage(sample_event, media_root, tmp_path):
    vtt, _, _ = captions_for(turns_of(sample_event))
    path = tmp_path / "panel.vtt"
    path.write_text(vtt)
    out = io.StringIO()
    call_command("align_captions", sample_event.slug, str(path), stdout=out)
    n = len(turns_of(sample_event))
    assert f"{n} of {n} turns timed (100%)" in out.getvalue()


@pytest.mark.parametrize(
    "slug, content, message",
    [
        ("no-such-event", "WEBVTT\n", "No event has the slug"),
        (None, "", "panel.vtt: The captions file is empty"),
        (None, None, "Cannot read"),
    ],
)
def test_command_refuses_bad_input(sample_event, media_root, tmp_path, slug, content, message):
    path = tmp_path / "panel.vtt"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("align_captions", slug or sample_event.slug, str(path))


def test_unreadable_captions_raise_before_anything_changes(sample_event, media_root):
    with pytest.raises(CaptionsError):
        align_event(sample_event, "WEBVTT\n\nnothing timed here\n")
    assert Event.objects.get(pk=sample_event.pk).alignment == {}


def _while_aligning(monkeypatch, during):
    """Run `during()` in the middle of the alignment, as another request would."""
    from transcripts.operations import media as actions

    real = actions.align

    def aligning(*args, **kwargs):
        during()
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "align", aligning)


@pytest.mark.django_db(transaction=True)
def test_captions_are_aligned_before_the_write_transaction_so_others_can_write(sample_event, media_root, monkeypatch):
    import threading

    from django.db import connection, connections

    from transcripts.models import Person

    seen = {"in_transaction": [], "errors": []}

    def someone_else_writes():
        try:
            Person.objects.create(name="Bo Park", slug="bo-park")
        except Exception as exc:  # noqa: BLE001  (whatever it is, the test reports it)
            seen["errors"].append(repr(exc))
        finally:
            connections.close_all()

    def during():
        seen["in_transaction"].append(connection.in_atomic_block)
        writer = threading.Thread(target=someone_else_writes)
        writer.start()
        writer.join(timeout=30)

    _while_aligning(monkeypatch, during)
    vtt, starts, _ = captions_for(turns_of(sample_event))
    report = align_event(sample_event, vtt, captions_name="panel.vtt")
    assert seen == {"in_transaction": [False], "errors": []}
    assert Person.objects.filter(slug="bo-park").exists()
    assert report.turns_timed == len(starts)
    assert [round(t.start_seconds, 1) for t in turns_of(sample_event)] == [round(s, 1) for s in starts]


def test_turns_corrected_while_captions_were_aligned_store_nothing(sample_event, media_root, monkeypatch):
    turns = turns_of(sample_event)
    vtt, _, _ = captions_for(turns)
    corrected = turns[5]
    _while_aligning(monkeypatch, lambda: Turn.objects.filter(pk=corrected.pk).update(paragraphs=["Corrected."]))
    with pytest.raises(AlignmentError, match="The transcript changed while the captions were being aligned"):
        align_event(sample_event, vtt, captions_name="panel.vtt")
    assert all(t.start_seconds is None for t in turns_of(sample_event))
    event = Event.objects.get(pk=sample_event.pk)
    assert event.alignment == {} and not event.captions_file
    assert not (media_root / "captions").exists() or not any((media_root / "captions").iterdir())
