"""Quote clips: a quote link carries the span of the recording it plays (?t=…&end=…), the
page plays just that span, the card says so, and a hostile span never breaks the page."""

import re
from html import unescape

import pytest
from search_helpers import process_queue, search_index  # noqa: F401

from tests.media_helpers import write_tone_wav
from transcripts.media.embed import embed_at, media_kind
from transcripts.models import Event, Turn
from transcripts.reader import clips
from transcripts.reader.quotes import quote_key

pytestmark = pytest.mark.django_db

STEP = 10.0  # the timed turns start at 0, 10, 20, … s


@pytest.fixture
def recorded(sample_event, settings, tmp_path):
    """The sample panel with a WAV recording; turns 1..6 timed every STEP seconds."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "media").mkdir(parents=True)
    write_tone_wav(settings.MEDIA_ROOT / "media" / "panel.wav", seconds=2)
    Event.objects.filter(pk=sample_event.pk).update(media_file="media/panel.wav")
    turns = list(Turn.objects.filter(event=sample_event).order_by("position")[:6])
    for n, turn in enumerate(turns):
        turn.start_seconds = n * STEP
    Turn.objects.bulk_update(turns, ["start_seconds"])
    return Event.objects.get(pk=sample_event.pk), turns


def words_of(turn, count=6) -> str:
    return " ".join(turn.paragraphs[0].split()[:count])


def quote_path(turn) -> str:
    return f"/q/{turn.public_id}/{quote_key(words_of(turn))}/"


def player_of(html: str) -> str:
    return html.split("data-player")[1][:300]


# --- the span, pure ----------------------------------------------------------------------------------------------


def test_a_turns_clip_runs_to_the_next_timed_turn():
    assert clips.turn_clip(20.0, 30.0) == clips.Clip(20.0, 30.0)
    assert clips.turn_clip(20.0, None) == clips.Clip(20.0, None)
    assert clips.turn_clip(20.0, 20.0) == clips.Clip(20.0, None)  # no time between: no end
    assert clips.turn_clip(None, 30.0) is None
    assert clips.Clip(754.0, 778.5).query == "t=754&end=778.5"
    assert clips.Clip(754.0, 778.0).label == "Clip 12:34–12:58"
    assert clips.Clip(754.0, None).label == "Plays from 12:34"


def test_a_carried_span_inside_the_turn_is_kept():
    own = clips.Clip(20.0, 30.0)
    assert clips.carried(own, "22", "27.5") == clips.Clip(22.0, 27.5)
    assert clips.carried(own, "0:22", "") == clips.Clip(22.0, 30.0)
    assert clips.carried(own, "", "25") == clips.Clip(20.0, 25.0)


@pytest.mark.parametrize(
    "t, end",
    [
        ("-5", "-1"),  # negative
        ("28", "22"),  # reversed
        ("25", "25"),  # empty
        ("99999999", "999999999"),  # huge
        ("10", "40"),  # outside the turn, either side
        ("abc", "1e309"),  # not numbers
        ("nan", "inf"),
        ("", "31"),  # past the turn's end
    ],
)
def test_a_hostile_span_gives_way_to_the_turns_own(t, end):
    assert clips.carried(clips.Clip(20.0, 30.0), t, end) == clips.Clip(20.0, 30.0)


def test_the_last_timed_turn_takes_a_carried_end_within_bounds():
    own = clips.Clip(50.0, None)
    assert clips.carried(own, "", "70") == clips.Clip(50.0, 70.0)
    assert clips.carried(own, "", str(50 + clips.MAX_OPEN_SPAN + 1)) == clips.Clip(50.0, None)


# --- the links carry it --------------------------------------------------------------------------------------------


def test_the_quote_page_shares_a_link_with_the_turns_span_and_plays_it(client, recorded):
    event, turns = recorded
    turn = turns[2]
    html = client.get(quote_path(turn)).content.decode()
    link = f"http://testserver{quote_path(turn)}?t=20&amp;end=30"
    assert f'<meta property="og:url" content="{link}">' in html
    assert 'data-start="20.00"' in player_of(html) and 'data-end="30.00"' in player_of(html)
    assert 'src="/media/media/panel.wav#t=20,30"' in html
    # The card is the link's own, span included, and says it is a clip.
    assert f'content="http://testserver{quote_path(turn)}card.png?t=20&amp;end=30"' in html
    data = client.get(quote_path(turn), {"format": "json"}).json()["quote"]
    assert data["url"] == unescape(link) and data["clip"] == {"start": 20.0, "end": 30.0}


def test_a_narrower_span_carried_in_the_link_is_what_plays_and_what_the_card_says(client, recorded):
    from transcripts.reader.views.cards import card_for

    event, turns = recorded
    turn = turns[2]
    html = client.get(quote_path(turn), {"t": "23", "end": "27"}).content.decode()
    assert 'data-start="23.00"' in player_of(html) and 'data-end="27.00"' in player_of(html)
    assert "the quoted passage plays from 0:23 to 0:27" in html
    card, _ = card_for(turn.public_id, quote_key(words_of(turn)), t="23", end="27")
    assert card.clip == "Clip 0:23–0:27"
    assert client.get(f"{quote_path(turn)}card.png", {"t": "23", "end": "27"}).status_code == 200


@pytest.mark.parametrize(
    "t, end", [("-5", "3"), ("30", "20"), ("99999999999999999999", "1e999"), ("x", "y"), ("1:00:00", "%00")]
)
def test_a_quote_link_with_a_hostile_span_plays_the_turn(client, recorded, t, end):
    event, turns = recorded
    turn = turns[2]
    for suffix in ("", "cite/", "card.png"):
        response = client.get(quote_path(turn) + suffix, {"t": t, "end": end})
        assert response.status_code == 200, (suffix, response.status_code)
    html = client.get(quote_path(turn), {"t": t, "end": end}).content.decode()
    assert 'data-start="20.00"' in player_of(html) and 'data-end="30.00"' in player_of(html)


def test_the_cite_page_cites_the_link_with_its_span(client, recorded):
    event, turns = recorded
    turn = turns[2]
    html = client.get(quote_path(turn) + "cite/").content.decode()
    link = f"http://testserver{quote_path(turn)}?t=20&amp;end=30"
    assert f'Permanent link: <a href="{link}"' in html
    assert f'href="{quote_path(turn)}?t=20&amp;end=30">← Back to the passage' in html
    snippet = f"&lt;a href=&quot;{link.replace('&amp;', '&amp;amp;')}&quot;&gt;"
    assert snippet in html  # the embed snippet (escaped in its text box) links to the clip too
    data = client.get(quote_path(turn) + "cite/", {"format": "json"}).json()
    assert data["url"] == unescape(link)


def test_the_quote_pages_cite_link_keeps_the_span(client, recorded):
    event, turns = recorded
    html = client.get(quote_path(turns[2])).content.decode()
    assert f'href="{quote_path(turns[2])}cite/?t=20&amp;end=30"' in html


def test_the_last_timed_turn_plays_from_its_start(client, recorded):
    event, turns = recorded
    html = client.get(quote_path(turns[5])).content.decode()
    assert f'content="http://testserver{quote_path(turns[5])}?t=50">' in html
    assert 'data-start="50.00"' in player_of(html) and "data-end" not in player_of(html)


def test_without_media_or_time_a_quote_link_carries_no_span(client, recorded):
    event, turns = recorded
    untimed = Turn.objects.filter(event=event, start_seconds__isnull=True).order_by("position").first()
    html = client.get(quote_path(untimed), {"t": "5", "end": "9"}).content.decode()
    assert f'content="http://testserver{quote_path(untimed)}">' in html  # og:url, no span
    Event.objects.filter(pk=event.pk).update(media_file="")
    html = client.get(quote_path(turns[2])).content.decode()
    assert f'content="http://testserver{quote_path(turns[2])}">' in html and "data-player" not in html


def test_oembed_of_a_link_with_a_span_keeps_it(client, recorded):
    event, turns = recorded
    link = f"http://testserver{quote_path(turns[2])}?t=22&end=28"
    data = client.get("/oembed/", {"url": link}).json()
    assert f'href="{link.replace("&", "&amp;")}"' in data["html"]
    assert data["thumbnail_url"] == f"http://testserver{quote_path(turns[2])}card.png?t=22&end=28"


def test_the_checkers_links_carry_the_span(client, recorded, search_index):  # noqa: F811
    event, turns = recorded
    process_queue()
    turn = turns[2]
    words = " ".join(turn.paragraphs[0].split()[:10])
    best = client.get("/api/check/", {"q": words}).json()["best"]
    assert best["turn"] == turn.public_id
    assert re.search(r"/\?t=20&end=30$", best["url"]), best["url"]


# --- embeds stop at the clip's end ---------------------------------------------------------------------------------


def test_youtube_embeds_start_and_end_at_the_clip():
    media = media_kind("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    base = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?enablejsapi=1&rel=0&playsinline=1"
    assert embed_at(media, 754.6, 778.2) == base + "&start=754&end=779"  # the end rounded up: the last word heard
    assert embed_at(media, 754.6, None) == base + "&start=754"
    assert embed_at(media, 754.0, 700.0) == base + "&start=754"  # a reversed end is no end
    assert embed_at(media, None, None) == base


def test_vimeo_embeds_start_at_the_clip():
    media = media_kind("https://vimeo.com/76979871")
    assert embed_at(media, 754.6, 778.2) == "https://player.vimeo.com/video/76979871?dnt=1#t=754s"
    assert embed_at(media, None, None) == "https://player.vimeo.com/video/76979871?dnt=1"


def test_a_file_is_not_changed_by_the_clip():
    media = media_kind("https://example.org/panel.mp3")
    assert embed_at(media, 10, 20) == "https://example.org/panel.mp3"


@pytest.mark.parametrize(
    "url, clip",
    [
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1#t=20s"),
    ],
)
def test_a_quote_of_a_provider_video_hands_the_player_the_clips_embed(client, recorded, url, clip):
    event, turns = recorded
    Event.objects.filter(pk=event.pk).update(media_file="", media_url=url)
    html = client.get(quote_path(turns[2])).content.decode()
    found = unescape(re.search(r'data-clip="([^"]+)"', html).group(1))
    assert found.startswith(clip)
    if "youtube" in url:
        assert found.endswith("&start=20&end=30")
