"""The player in a real browser: a turn's time plays the recording from there, the turn
being spoken is marked, `?t=` links open the player at their time, `p` plays the focused
turn, and YouTube is reached only after the reader presses play."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.media_helpers import write_tone_wav
from transcripts.models import Event, Turn

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
STEP = 4.0  # seconds between the timed turns' starts
TIMED = 8  # turns 1..8 start at 0, 4, …, 28 s of a 40 s recording


@pytest.fixture
def recorded_event(sample_event, settings, tmp_path, monkeypatch):
    # Django's live test server answers MEDIA_URL itself, without byte ranges, so the
    # browser could not seek; let the site's own media view (with ranges) answer instead.
    from django.test.testcases import _MediaFilesHandler

    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda self, path: False)
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "media").mkdir(parents=True)
    write_tone_wav(settings.MEDIA_ROOT / "media" / "panel.wav", seconds=40)
    Event.objects.filter(pk=sample_event.pk).update(media_file="media/panel.wav")
    turns = list(Turn.objects.filter(event=sample_event).order_by("position")[:TIMED])
    for n, turn in enumerate(turns):
        turn.start_seconds = n * STEP
        turn.paragraph_starts = [n * STEP] + [None] * (len(turn.paragraphs) - 1)
    Turn.objects.bulk_update(turns, ["start_seconds", "paragraph_starts"])
    return sample_event, turns


def current_time(page) -> float:
    return page.evaluate("document.querySelector('audio.player-media').currentTime")


def speaking_id(page) -> str:
    return page.evaluate("(document.querySelector('article.turn.is-speaking') || {}).id || ''")


def test_clicking_a_turns_time_plays_from_there_and_marks_the_turn(page, live_server, recorded_event):
    event, turns = recorded_event
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    third = turns[2]
    page.locator(f"#t-{third.public_id} a.turn-time").click()
    page.wait_for_function("() => document.querySelector('audio.player-media').currentTime >= 7.8")
    assert 7.8 <= current_time(page) < 8.0 + 2.5  # seeking snaps to a packet; then it plays on
    assert speaking_id(page) == f"t-{third.public_id}"
    assert page.evaluate(f"document.getElementById('t-{third.public_id}').getAttribute('aria-current')") == "true"
    # The address bar now holds the link to share: this turn at this time.
    assert page.url.endswith(f"?t=8#t-{third.public_id}")
    # As the recording moves on, the mark moves to the turn being spoken.
    page.evaluate("document.querySelector('audio.player-media').currentTime = 13")
    page.wait_for_function(f"() => document.querySelector('article.turn.is-speaking').id === 't-{turns[3].public_id}'")


def test_a_t_link_opens_the_player_at_that_time_with_the_turn_marked(page, live_server, recorded_event):
    event, turns = recorded_event
    page.goto(f"{live_server.url}{event.get_absolute_url()}?t=21")
    page.wait_for_function("() => document.querySelector('audio.player-media').readyState >= 1")
    page.wait_for_function("() => Math.abs(document.querySelector('audio.player-media').currentTime - 21) < 0.5")
    assert speaking_id(page) == f"t-{turns[5].public_id}"  # 20 s ≤ 21 s < 24 s
    expect(page.locator(f"#t-{turns[5].public_id}")).to_be_in_viewport()


def test_p_plays_the_focused_turn_and_scrolling_stops_following(page, live_server, recorded_event):
    event, turns = recorded_event
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    page.locator(f"#t-{turns[1].public_id}").focus()
    page.keyboard.press("p")
    page.wait_for_function("() => document.querySelector('audio.player-media').currentTime >= 3.8")
    assert speaking_id(page) == f"t-{turns[1].public_id}"
    follow = page.locator("[data-follow]")
    expect(follow).to_be_checked()
    page.mouse.wheel(0, 600)
    expect(follow).not_to_be_checked()


def test_youtube_loads_only_after_the_reader_presses_play(page, live_server, sample_event):
    Event.objects.filter(pk=sample_event.pk).update(media_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    turn = Turn.objects.filter(event=sample_event).order_by("position")[1]
    Turn.objects.filter(pk=turn.pk).update(start_seconds=95.0)
    away = []
    page.on("request", lambda r: away.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.route("https://**/*", lambda route: route.abort())  # no network here: never leave the machine
    page.goto(f"{live_server.url}{sample_event.get_absolute_url()}")
    page.wait_for_load_state("networkidle")
    assert away == [] and page.locator("iframe").count() == 0
    page.locator(f"#t-{turn.public_id} a.turn-time").click()
    frame = page.locator(".player iframe")
    expect(frame).to_have_count(1)
    src = frame.get_attribute("src")
    assert src.startswith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?") and "start=95" in src


def serious_violations(page) -> list:
    axe = pytest.importorskip("axe_playwright_python", reason="AXE TESTS SKIPPED: axe-playwright-python is missing")
    page.evaluate((Path(axe.__file__).parent / "axe.min.js").read_text())  # through DevTools: the CSP forbids inline
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], [n["target"] for n in v["nodes"][:5]])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_player_and_a_marked_turn_have_no_serious_accessibility_violations(
    browser, live_server, recorded_event, scheme
):
    event, turns = recorded_event
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}{event.get_absolute_url()}?t=5")
    page.wait_for_function(f"() => document.querySelector('article.turn.is-speaking').id === 't-{turns[1].public_id}'")
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / f"player-event-{scheme}.png"))
    context.close()


def test_the_vimeo_facade_has_no_serious_accessibility_violations(page, live_server, sample_event):
    Event.objects.filter(pk=sample_event.pk).update(media_url="https://vimeo.com/76979871")
    page.route("https://**/*", lambda route: route.abort())
    page.goto(f"{live_server.url}{sample_event.get_absolute_url()}")
    expect(page.locator(".player-load")).to_be_visible()
    assert serious_violations(page) == []
