"""A quote link's clip in a real browser, with the file player (no network here): the
recording starts where the link's span starts and stops at its end; playing another turn
leaves the clip. YouTube and Vimeo get the same span in their embed URL (tests/reader/test_clips.py)."""

import pytest

from tests.browser.test_player_browser import STEP, current_time, recorded_event  # noqa: F401
from transcripts.reader.quotes import quote_key

pytestmark = pytest.mark.browser


def quote_path(turn) -> str:
    return f"/q/{turn.public_id}/{quote_key(' '.join(turn.paragraphs[0].split()[:6]))}/"


def play(page):
    page.locator("#player").click(position={"x": 5, "y": 5})  # a reader's gesture, so play() is allowed
    page.evaluate("document.querySelector('audio.player-media').play()")


def paused(page) -> bool:
    return page.evaluate("document.querySelector('audio.player-media').paused")


def test_a_quote_link_plays_its_turn_and_stops_at_the_next(page, live_server, recorded_event):  # noqa: F811
    event, turns = recorded_event
    page.goto(f"{live_server.url}{quote_path(turns[2])}")
    page.wait_for_function("() => document.querySelector('audio.player-media').readyState >= 1")
    at_start = f"Math.abs(document.querySelector('audio.player-media').currentTime - {2 * STEP}) < 0.5"
    page.wait_for_function(f"() => {at_start}")
    play(page)
    page.wait_for_function("() => document.querySelector('audio.player-media').paused", timeout=15_000)
    assert 3 * STEP - 0.1 <= current_time(page) < 3 * STEP + 1.0  # stopped where turn 4 starts


def test_a_narrower_span_in_the_link_is_what_plays(page, live_server, recorded_event):  # noqa: F811
    event, turns = recorded_event
    page.goto(f"{live_server.url}{quote_path(turns[2])}?t=9&end=10.5")
    page.wait_for_function("() => Math.abs(document.querySelector('audio.player-media').currentTime - 9) < 0.5")
    play(page)
    page.wait_for_function("() => document.querySelector('audio.player-media').paused", timeout=15_000)
    assert 10.4 <= current_time(page) < 11.3


def test_playing_another_turn_leaves_the_clip(page, live_server, recorded_event):  # noqa: F811
    event, turns = recorded_event
    page.goto(f"{live_server.url}{quote_path(turns[2])}")
    page.wait_for_function("() => document.querySelector('audio.player-media').readyState >= 1")
    page.locator(f"#t-{turns[3].public_id} a.turn-time").click()  # 12 s: past the clip's end
    page.wait_for_function(f"() => document.querySelector('audio.player-media').currentTime > {3 * STEP + 1.5}")
    assert not paused(page)
