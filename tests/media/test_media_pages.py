"""The player on event and quote pages, the turns' times, JSON twins and media files."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.media_helpers import captions_for, write_tone_wav
from transcripts.media.embed import media_kind
from transcripts.models import Event, Turn
from transcripts.operations.media import align_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def timed_event(sample_event, media_root):
    """The sample panel with a WAV recording and every turn timed from captions."""
    (media_root / "media").mkdir(parents=True)
    write_tone_wav(media_root / "media" / "panel.wav", seconds=2)
    sample_event.media_file.name = "media/panel.wav"
    sample_event.save()
    vtt, _, _ = captions_for(list(sample_event.turns.order_by("position")))
    align_event(sample_event, vtt, keep_file=False)
    return Event.objects.get(pk=sample_event.pk)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize(
    "url, kind, player_url",
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?enablejsapi=1&rel=0&playsinline=1",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?enablejsapi=1&rel=0&playsinline=1",
        ),
        (
            "https://www.youtube.com/live/dQw4w9WgXcQ?si=x",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?enablejsapi=1&rel=0&playsinline=1",
        ),
        ("https://vimeo.com/channels/staffpicks/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://example.org/audio/panel.MP3?dl=1", "audio", "https://example.org/audio/panel.MP3?dl=1"),
        ("https://example.org/panel.m4a", "audio", "https://example.org/panel.m4a"),
        ("https://example.org/panel.mp4", "video", "https://example.org/panel.mp4"),
        ("https://example.org/panel.webm", "video", "https://example.org/panel.webm"),
        ("/media/media/panel.wav", "audio", "/media/media/panel.wav"),
    ],
)
def test_media_kind_from_the_url(url, kind, player_url):
    media = media_kind(url)
    assert (media.kind, media.url) == (kind, player_url)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "https://example.org/panel.html",
        "https://www.youtube.com/watch?v=short",
        "javascript:alert(1)//x.mp3",
        "https://vimeo.com/about",
    ],
)
def test_urls_that_are_not_playable_get_no_player(url):
    assert media_kind(url) is None


def test_event_page_has_an_audio_player_and_turn_times_that_play(client, timed_event):
    html = page(client, timed_event.get_absolute_url())
    assert '<audio class="player-media" controls preload="metadata" src="/media/media/panel.wav">' in html
    first = Turn.objects.filter(event=timed_event).order_by("position")[1]
    seconds = int(first.start_seconds)
    link = (
        f'<a class="turn-time" href="/events/{timed_event.slug}/?t={seconds}#t-{first.public_id}" '
        f'data-seek="{first.start_seconds:.2f}" aria-label="Play from {seconds // 60}:{seconds % 60:02d}"'
    )
    assert link in html
    assert html.count('class="turn-time"') == timed_event.turns.count()
    assert f'data-turn="{first.public_id}" data-start="{first.start_seconds:.2f}"' in html
    assert 'data-start="' in html.split(f'id="t-{first.public_id}-p1"')[1][:20]  # paragraphs carry times too


def test_a_t_link_starts_the_player_there_even_without_javascript(client, timed_event):
    html = page(client, timed_event.get_absolute_url() + "?t=12m34s")
    assert 'src="/media/media/panel.wav#t=754"' in html and 'data-start="754.00"' in html
    assert "starting at 12:34" in html
    plain = page(client, timed_event.get_absolute_url() + "?t=soon")
    assert 'src="/media/media/panel.wav"' in plain and "starting at" not in plain


def test_event_page_costs_no_more_queries_with_a_player(client, timed_event, sample_event):
    with CaptureQueriesContext(connection) as with_player:
        page(client, timed_event.get_absolute_url())
    Event.objects.filter(pk=timed_event.pk).update(media_file="")
    with CaptureQueriesContext(connection) as without:
        html = page(client, timed_event.get_absolute_url())
    assert len(with_player) == len(without)
    # No media: the times are shown, but there is nothing to play.
    assert "data-player" not in html and '<span class="turn-time"><time datetime="PT' in html


def test_youtube_is_a_facade_with_no_request_to_youtube_before_the_click(client, sample_event):
    Event.objects.filter(pk=sample_event.pk).update(media_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    Turn.objects.filter(event=sample_event, position=2).update(start_seconds=95.0)
    html = page(client, sample_event.get_absolute_url())
    assert "<iframe" not in html
    # Nothing on the page is loaded from another site: no src= pointing away, no third-party <img>.
    assert re.findall(r'\ssrc="(https?://[^"]*)"', html) == []
    assert not re.search(r'<img[^>]+src="https?://', html)
    assert re.findall(r'<script[^>]+src="([^"]+)"', html) and all(
        src.startswith("/static/") for src in re.findall(r'<script[^>]+src="([^"]+)"', html)
    )
    embed = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?enablejsapi=1&amp;rel=0&amp;playsinline=1"
    assert f'data-embed="{embed}"' in html
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in html  # the no-JavaScript way: watch there
    at = page(client, sample_event.get_absolute_url() + "?t=95")
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=95s"' in at and "Play the video from 1:35" in at


def test_the_csp_allows_the_two_players_and_media_files(client, db):
    policy = client.get("/events/").headers["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in policy
    assert "media-src 'self' https:" in policy


def test_json_twin_carries_times_and_media(client, timed_event):
    data = client.get(timed_event.get_absolute_url() + "?format=json").json()
    assert data["media"]["kind"] == "audio" and data["media"]["mime_type"] == "audio/wav"
    assert data["media"]["url"] == "http://testserver/media/media/panel.wav"
    assert data["media"]["alignment"]["coverage_percent"] == 100.0
    turns = Turn.objects.filter(event=timed_event).order_by("position")
    assert [t["start_seconds"] for t in data["turns"]] == [t.start_seconds for t in turns]
    assert [p["start_seconds"] for p in data["turns"][0]["paragraphs"]] == turns[0].paragraph_starts


def test_quote_page_opens_at_the_quoted_turn_with_og_audio(client, timed_event):
    turn = Turn.objects.filter(event=timed_event).order_by("position")[3]
    words = " ".join(turn.paragraphs[0].split()[:6])
    html = page(client, f"/q/{turn.public_id}/?text={words}")
    # A quote plays as a clip: from the quoted turn to the next one (a media fragment, no script needed).
    end = Turn.objects.filter(event=timed_event, position__gt=turn.position).order_by("position")[0].start_seconds
    at = f"{turn.start_seconds:g},{end:g}"
    assert f'<meta property="og:audio" content="http://testserver/media/media/panel.wav#t={at}">' in html
    assert '<meta property="og:audio:type" content="audio/wav">' in html
    player = html.split("data-player")[1][:300]
    assert f'data-start="{turn.start_seconds:.2f}"' in player and f'data-end="{end:.2f}"' in player
    assert f'src="/media/media/panel.wav#t={at}"' in html and "the quoted passage plays from" in html


def test_quote_page_of_a_youtube_event_has_og_video(client, sample_event):
    Event.objects.filter(pk=sample_event.pk).update(media_url="https://youtu.be/dQw4w9WgXcQ")
    turn = Turn.objects.filter(event=sample_event).order_by("position")[3]
    Turn.objects.filter(pk=turn.pk).update(start_seconds=61.5)
    html = page(client, f"/q/{turn.public_id}/?text={' '.join(turn.paragraphs[0].split()[:5])}")
    assert '<meta property="og:video" content="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=61s">' in html


def test_media_files_are_served_with_byte_ranges(client, timed_event, media_root):
    size = (media_root / "media" / "panel.wav").stat().st_size
    whole = client.get("/media/media/panel.wav")
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes" and whole["Content-Type"] == "audio/wav"
    part = client.get("/media/media/panel.wav", HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-199/{size}"
    wav = (media_root / "media" / "panel.wav").read_bytes()
    assert b"".join(part.streaming_content) == wav[100:200] and part["Content-Length"] == "100"
    tail = client.get("/media/media/panel.wav", HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and tail["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"
    assert client.get("/media/media/panel.wav", HTTP_RANGE=f"bytes={size}-").status_code == 416


def test_an_open_ended_range_of_a_big_file_is_streamed_in_bounded_chunks(client, timed_event, media_root):
    """ "bytes=0-" (a player opening a recording) on a 300 MB file: the response holds no
    more than a chunk at a time, however long the range."""
    import tracemalloc

    from transcripts.reader.media_files import RANGE_CHUNK_BYTES

    size = 300 * 1024 * 1024
    with open(media_root / "media" / "panel.wav", "r+b") as handle:
        handle.truncate(size)  # sparse: no disk used
    tracemalloc.start()
    try:
        response = client.get("/media/media/panel.wav", HTTP_RANGE="bytes=0-")
        pieces = iter(response.streaming_content)
        first = [next(pieces) for _ in range(3)]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        response.close()
    assert response.status_code == 206 and response["Content-Range"] == f"bytes 0-{size - 1}/{size}"
    assert response["Content-Length"] == str(size)
    assert [len(piece) for piece in first] == [RANGE_CHUNK_BYTES] * 3
    assert peak < 8 * RANGE_CHUNK_BYTES + 2 * 1024 * 1024, peak


def test_media_files_of_drafts_and_stray_paths_are_not_served(client, timed_event, media_root):
    (media_root / "media" / "other.wav").write_bytes(b"RIFF")
    assert client.get("/media/media/other.wav").status_code == 404  # no event uses it
    assert client.get("/media/media/../media/panel.wav").status_code == 404
    assert client.get("/media/elsewhere/panel.wav").status_code == 404
    Event.objects.filter(pk=timed_event.pk).update(status="draft")
    assert client.get("/media/media/panel.wav").status_code == 404


def test_the_card_of_a_timed_quote_says_it_is_a_clip(client, timed_event):
    from transcripts.media.timecode import format_clock
    from transcripts.reader.views.cards import card_for

    turn = Turn.objects.filter(event=timed_event).order_by("position")[3]
    end = Turn.objects.filter(event=timed_event, position__gt=turn.position).order_by("position")[0].start_seconds
    card, _ = card_for(turn.public_id, text=" ".join(turn.paragraphs[0].split()[:6]))
    assert card.clip == f"Clip {format_clock(turn.start_seconds)}–{format_clock(end)}"
