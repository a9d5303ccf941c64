"""The reader's archive in a real browser (Debian chromium via Playwright): quote links
from a selection, surviving a corrected re-import, keyboard use, accessibility (axe-core)
and a screenshot of every page kept in test-artifacts/."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from search_helpers import process_queue, reset_search_index

from transcripts.operations.imports import import_transcript
from transcripts.reader.quotes import quote_key

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SENTENCE = "And I’ll give you two case studies in brief that I think put this in very clear focus."
METADATA = {"organiser": "Council on Foreign Relations", "topics": ["Human Trafficking", "Modern Slavery"]}


def kara_first_turn(event):
    return event.turns.filter(appearance__person__name="Siddharth Kara").order_by("position").first()


def select_words(page, turn_id: str, words: str):
    """Select `words` inside a turn the way a reader's drag would, then release the mouse."""
    page.evaluate(
        """([id, words]) => {
            const body = document.querySelector(`#t-${id} .turn-body`);
            const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(words);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + words.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                node.parentElement.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                return;
            }
            throw new Error("words not in the turn: " + words);
        }""",
        [turn_id, words],
    )


def take_quote_link(page, turn_id: str, words: str) -> str:
    select_words(page, turn_id, words)
    toolbar = page.locator(".quote-toolbar")
    expect(toolbar).to_be_visible()
    toolbar.get_by_role("button", name="Link to this quote").click()
    field = toolbar.locator("input.quote-url")
    expect(field).to_be_visible()
    expect(toolbar.locator(".quote-status")).not_to_have_text("")
    return field.input_value()


def expect_quote_in_view(page, words: str):
    mark = page.locator("mark#quote")
    expect(mark).to_have_text(words)
    expect(mark).to_be_in_viewport()


def test_selected_sentence_becomes_a_quote_link_that_survives_a_correction(
    page, live_server, sample_event, sample_text
):
    turn = kara_first_turn(sample_event)
    page.goto(f"{live_server.url}/events/{sample_event.slug}/")
    link = take_quote_link(page, turn.public_id, SENTENCE)

    parts = urlsplit(link)
    # The short link: the key the server makes from the same words.
    assert parts.path == f"/q/{turn.public_id}/{quote_key(SENTENCE)}/" and not parts.query
    assert parts.fragment.startswith("quote:~:text=")
    cite = page.locator(".quote-toolbar").get_by_role("link", name="Cite")
    assert cite.get_attribute("href") == f"/q/{turn.public_id}/{quote_key(SENTENCE)}/cite/"

    reader = page.context.new_page()
    reader.goto(link)
    expect_quote_in_view(reader, SENTENCE)
    expect(reader.locator(f"#t-{turn.public_id}")).to_have_class(re.compile(r"\bis-target\b"))
    reader.screenshot(path=str(ARTIFACTS / "reader-quote-page.png"))

    # A corrected transcript: two turns inserted before Kara's, his opening words edited.
    edited = sample_text.replace(
        "Let me move to Siddharth.", "Let me move to Siddharth.\n\nKARA: Happy to.\n\nLAGON: Please go ahead.", 1
    ).replace("Absolutely. And Ambassador Lagon, thank you.", "Absolutely. Ambassador Lagon, thank you so much.", 1)
    assert import_transcript(edited, metadata=METADATA, status="published").action == "updated"
    later = page.context.new_page()
    later.goto(link)
    expect_quote_in_view(later, SENTENCE)
    expect(later.locator("mark#quote")).to_have_count(1)
    later.screenshot(path=str(ARTIFACTS / "reader-quote-after-correction.png"))
    later.close()
    reader.close()


def test_a_selection_ending_mid_word_is_widened_to_whole_words(page, live_server, sample_event):
    turn = kara_first_turn(sample_event)
    page.goto(f"{live_server.url}/events/{sample_event.slug}/")
    dragged = "rpetually impoverished, vulnerable, desti"
    whole = "perpetually impoverished, vulnerable, destitute"
    select_words(page, turn.public_id, dragged)
    expect(page.locator(".quote-toolbar")).to_be_visible()
    assert page.evaluate("window.getSelection().toString()") == whole  # the reader sees what is quoted
    link = take_quote_link(page, turn.public_id, dragged)
    assert urlsplit(link).path == f"/q/{turn.public_id}/{quote_key(whole)}/"
    reader = page.context.new_page()
    reader.goto(link)
    expect_quote_in_view(reader, whole)
    reader.close()


def test_on_a_phone_the_transcript_starts_on_the_first_screen(browser, live_server, sample_event):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/events/{sample_event.slug}/")
    first = page.locator("article.turn").first
    assert first.bounding_box()["y"] < 900, first.bounding_box()
    participants = page.locator("details.participants")
    expect(participants).not_to_have_attribute("open", "")
    expect(first).to_be_in_viewport()
    participants.locator("summary").click()  # a tap shows them
    expect(participants.locator(".participant-grid")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "reader-event-phone-first-screen.png"))
    context.close()
    wide = browser.new_context(viewport={"width": 1280, "height": 900})
    page = wide.new_page()
    page.goto(f"{live_server.url}/events/{sample_event.slug}/")
    expect(page.locator(".participant-grid")).to_be_visible()  # wide screens have room: open
    expect(page.locator("nav.toc")).to_be_visible()
    wide.close()


def test_the_footer_sits_at_the_bottom_of_a_short_page(page, live_server, sample_event):
    page.goto(f"{live_server.url}/topics/")
    footer = page.locator("footer.site-footer").bounding_box()
    assert abs(footer["y"] + footer["height"] - 900) <= 1, footer  # the window is 900 px high
    icon = page.request.get(f"{live_server.url}/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"


def test_an_old_anchor_to_a_turn_on_a_later_page_lands_on_it(page, live_server, db):
    import datetime

    from transcripts.models import Event, Turn

    event = Event.objects.create(title="Long", slug="long", date=datetime.date(2024, 1, 1), status="published")
    turns = [
        Turn(event=event, position=i + 1, label="Q", public_id=f"long{i:05d}", paragraphs=[f"Turn {i}."])
        for i in range(250)
    ]
    for turn in turns:
        turn.refresh_derived()
    Turn.objects.bulk_create(turns)
    page.goto(f"{live_server.url}/events/long/#t-long00240")  # from before the transcript had pages
    page.wait_for_url(re.compile(r"/events/long/\?page=2#t-long00240$"))
    expect(page.locator("#t-long00240")).to_be_in_viewport()


def test_quote_page_works_without_javascript(browser, live_server, sample_event):
    turn = kara_first_turn(sample_event)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/q/{turn.public_id}/?text={SENTENCE}#quote")
    expect_quote_in_view(page, SENTENCE)
    expect(page.locator(".quote-toolbar")).to_have_count(0)
    context.close()


def test_keyboard_moves_through_turns_and_reaches_every_link(page, live_server, sample_event):
    turns = list(sample_event.turns.order_by("position").values_list("public_id", flat=True))
    page.goto(f"{live_server.url}/events/{sample_event.slug}/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to transcript")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    def focused_turn():
        return page.evaluate("document.activeElement.closest('article.turn')?.id")

    page.keyboard.press("j")
    assert focused_turn() == f"t-{turns[0]}"
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert focused_turn() == f"t-{turns[2]}"
    expect(page.locator(f"#t-{turns[2]}")).to_be_in_viewport()
    page.keyboard.press("k")
    assert focused_turn() == f"t-{turns[1]}"

    # From a turn, the arrow keys walk its links: speaker, permalink, paragraph links, previous/next, cite.
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") == "Susan Coppedge"
    page.keyboard.press("ArrowRight")
    permalink = page.locator(":focus")
    assert permalink.get_attribute("href") == f"#t-{turns[1]}"
    expect(permalink).to_have_css("opacity", "1")  # the link icon shows on keyboard focus
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == f"#t-{turns[1]}"

    # Typing j in the search box types, it does not jump.
    page.locator("#site-search").focus()
    page.keyboard.type("jk")
    expect(page.locator("#site-search")).to_have_value("jk")


def test_next_by_same_speaker_link_jumps_to_their_next_turn(page, live_server, sample_event):
    karas = list(sample_event.turns.filter(appearance__person__name="Siddharth Kara").order_by("position"))
    page.goto(f"{live_server.url}/events/{sample_event.slug}/#t-{karas[0].public_id}")
    page.locator(f"#t-{karas[0].public_id} a.next").click()
    assert page.evaluate("location.hash") == f"#t-{karas[1].public_id}"
    expect(page.locator(f"#t-{karas[1].public_id}")).to_be_in_viewport()


PAGES = {
    "home": "/",
    "events": "/events/",
    "event": "/events/{slug}/",
    "event-search": "/events/{slug}/?q=cobalt",
    "person": "/people/siddharth-kara/",
    "people": "/people/",
    "topic": "/topics/human-trafficking/",
    "topics": "/topics/",
    "quote": "/q/{turn}/?text={sentence}#quote",
    "quote-short": "/q/{turn}/{key}/",
    "not-in-transcript": "/q/{turn}/?text=words+nobody+said",
    "cite": "/q/{turn}/cite/?text={sentence}",
    "not-found": "/events/no-such-event/",
    "search": "/search/?q=trafficking",
}


@pytest.fixture
def indexed_sample(sample_event):
    reset_search_index()
    process_queue()
    return sample_event


def page_url(live_server, name, event):
    path = PAGES[name].format(
        slug=event.slug, turn=kara_first_turn(event).public_id, sentence=SENTENCE, key=quote_key(SENTENCE)
    )
    return live_server.url + path


@pytest.mark.parametrize("width,suffix", [(1280, "wide"), (390, "phone")])
def test_screenshot_every_page(browser, live_server, indexed_sample, width, suffix):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for name in PAGES:
        response = page.goto(page_url(live_server, name, indexed_sample))
        assert response.status == (404 if name == "not-found" else 200), name
        # Nothing may stick out sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
            f"{name} overflows at {width}px"
        )
        page.screenshot(
            path=str(ARTIFACTS / f"reader-{name}-{suffix}.png"),
            full_page=name not in ("event", "event-search", "quote"),
        )
    context.close()


def axe_source() -> str:
    axe = pytest.importorskip(
        "axe_playwright_python", reason="AXE TESTS SKIPPED: pip install axe-playwright-python (see requirements.txt)"
    )
    return (Path(axe.__file__).parent / "axe.min.js").read_text()


@pytest.mark.parametrize(
    "name", ["home", "event", "event-search", "person", "topic", "quote", "not-in-transcript", "search"]
)
def test_no_serious_accessibility_violations(page, live_server, indexed_sample, name):
    page.goto(page_url(live_server, name, indexed_sample))
    page.evaluate(axe_source())  # through DevTools: the site's CSP rightly forbids inline scripts
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, json.dumps(serious, indent=1)


def test_dark_mode_keeps_contrast(browser, live_server, indexed_sample):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for name in ("event", "person"):
        page.goto(page_url(live_server, name, indexed_sample))
        page.evaluate(axe_source())  # through DevTools: the site's CSP rightly forbids inline scripts
        results = page.evaluate("axe.run(document, {runOnly: ['color-contrast']})")
        assert not results["violations"], [n["target"] for v in results["violations"] for n in v["nodes"][:5]]
        page.screenshot(path=str(ARTIFACTS / f"reader-{name}-dark.png"))
    context.close()
