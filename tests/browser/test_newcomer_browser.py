"""What a newcomer meets on the demo archive, in a real browser, on a phone (390 × 844)
and a desktop: a populated home page, search results on the first screen of a phone,
an event read and quoted by keyboard alone, and the small things that looked broken.
Screenshots go to test-artifacts/newcomer-*.png."""

import contextlib
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from search_helpers import process_queue, search_index  # noqa: F401

from transcripts.models import Event

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DEMO = ROOT / "transcripts" / "demo"
PHONE = {"width": 390, "height": 844}
SEAFOOD = "forced-labor-in-seafood-supply-chains-2023-05-11"
FIRST_SENTENCE = "Good afternoon, and welcome to the Lantern Street Forum."


@pytest.fixture
def demo(search_index):
    """The demo archive as `make run` imports it, indexed."""
    call_command(
        "import_transcripts",
        str(DEMO / "transcripts"),
        "--sidecars",
        str(DEMO / "metadata"),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    process_queue()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str, *, full_page: bool = False):
    ARTIFACTS.mkdir(exist_ok=True)
    with contextlib.suppress(Exception):
        page.screenshot(path=str(ARTIFACTS / f"newcomer-{name}.png"), full_page=full_page)


def selected(page) -> str:
    return page.evaluate("window.getSelection().toString().replace(/\\s+/g, ' ').trim()")


def focused(page, script: str):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {script}; }})()")


def test_the_demo_archive_fills_the_home_page(page, phone, live_server, demo):
    page.goto(live_server.url)
    expect(page.locator(".home-latest .event-item")).to_have_count(6)
    expect(page.locator(".home-side .people-list li")).to_have_count(8)
    assert page.locator(".home-side .chips li").count() >= 7
    expect(page.locator(".home-side .people-list li").first).to_contain_text("Halima Brennock 3 events")
    shot(page, "home-desktop")
    phone.goto(live_server.url)
    expect(phone.locator(".home-latest .event-item").first).to_contain_text("Recruitment Fees Paid by Migrant Workers")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing wider than the phone
    shot(phone, "home-phone")


def test_on_a_phone_the_first_result_is_on_the_first_screen(page, phone, live_server, demo):
    phone.goto(f"{live_server.url}/search/?q=forced+labor")
    fold = phone.locator("details.filter-fold")
    expect(fold).not_to_have_attribute("open", "")
    expect(phone.locator(".filter-fold > summary")).to_have_text("Filters")
    expect(phone.get_by_label("Role")).to_be_hidden()
    first = phone.locator(".result").first
    box = first.bounding_box()
    assert box["y"] + 80 <= PHONE["height"], box  # its speaker, event and the start of its words
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "search-phone")

    phone.goto(f"{live_server.url}/search/?q=forced+labor&role=panelist&sort=newest")
    expect(phone.locator(".filter-fold > summary")).to_have_text("Filters · 2 active")
    assert phone.locator(".result").first.bounding_box()["y"] + 80 <= PHONE["height"]
    phone.locator(".filter-fold > summary").click()  # a <details>: opens without any script of ours
    expect(phone.locator("select[name=role]")).to_have_value("panelist")
    shot(phone, "search-phone-filters-open")

    page.goto(f"{live_server.url}/search/?q=forced+labor")
    expect(page.get_by_label("Role")).to_be_visible()  # wide screens have room: the fold opens
    expect(page.locator(".result").first).to_be_in_viewport()
    shot(page, "search-desktop")


def test_reading_and_quoting_an_event_by_keyboard_alone(page, live_server, demo):
    event = Event.objects.get(slug=SEAFOOD)
    turns = list(event.turns.order_by("position").values_list("public_id", flat=True))
    page.goto(f"{live_server.url}/events/{SEAFOOD}/")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to transcript")).to_be_focused()
    page.keyboard.press("Enter")
    stops = 1
    while focused(page, "el.matches('article.turn')") is False and stops < 10:
        page.keyboard.press("Tab")
        stops += 1
    assert focused(page, "el.id") == f"t-{turns[0]}"
    assert stops <= 10
    page.keyboard.press("Tab")  # one stop per turn: the next Tab is the next turn
    assert focused(page, "el.id") == f"t-{turns[1]}"
    page.keyboard.press("Shift+Tab")
    assert focused(page, "el.id") == f"t-{turns[0]}"

    # A turn's links by arrow keys; Esc returns to the turn.
    page.keyboard.press("ArrowRight")
    assert focused(page, "el.textContent") == "Halima Brennock"
    page.keyboard.press("ArrowRight")
    assert focused(page, "el.closest('article.turn').id") == f"t-{turns[0]}"
    page.keyboard.press("Escape")
    assert focused(page, "el.id") == f"t-{turns[0]}"
    shot(page, "keyboard-turn-focused")

    # q: the whole turn is selected and the toolbar says which keys do what.
    page.keyboard.press("q")
    toolbar = page.locator(".quote-toolbar")
    expect(toolbar).to_be_visible()
    expect(toolbar.locator(".quote-keys")).to_be_visible()
    whole = selected(page)
    assert whole.startswith(FIRST_SENTENCE) and whole.endswith("what does that actually mean?")
    assert len(whole.split(". ")) == 6  # both paragraphs, every sentence
    page.keyboard.press("ArrowDown")
    assert selected(page) == FIRST_SENTENCE
    page.keyboard.press("ArrowDown")
    assert selected(page).startswith("I'm Halima Brennock, and I'll be moderating")
    page.keyboard.press("ArrowUp")
    assert selected(page) == FIRST_SENTENCE
    page.keyboard.press("Enter")
    field = toolbar.locator("input.quote-url")
    expect(field).to_be_focused()
    link = field.input_value()
    assert re.search(rf"/q/{turns[0]}/good-afternoon-and-welcome~1~the-lantern-street-forum/#quote:~:text=", link)
    shot(page, "keyboard-quote-link")
    page.keyboard.press("Escape")
    expect(toolbar).to_be_hidden()
    assert focused(page, "el.id") == f"t-{turns[0]}"

    # The link opens the passage with one highlight: the site's mark, no selection, no
    # browser text-fragment highlight over it.
    page.goto(link)
    mark = page.locator("mark.quote")
    expect(mark).to_have_text(FIRST_SENTENCE)
    expect(mark).to_be_in_viewport()
    assert selected(page) == ""
    target_text = page.evaluate(
        "getComputedStyle(document.querySelector('mark.quote'), '::target-text').backgroundColor"
    )
    assert target_text.startswith("rgba(0, 0, 0, 0)")
    shot(page, "quote-one-highlight")


def test_focus_rings_are_never_clipped_and_a_focused_turn_has_room_on_a_phone(page, phone, live_server, demo):
    page.goto(f"{live_server.url}/events/{SEAFOOD}/")
    # The contents column scrolls on its own (so it clips what overflows it): a focused
    # link's outline (3px, 2px away) stays inside it.
    clipped = page.evaluate(
        """() => {
            const aside = document.querySelector('.event-aside').getBoundingClientRect();
            return [...document.querySelectorAll('.event-aside a')].filter(a => {
                const box = a.getBoundingClientRect();
                return box.width && (box.left - 5 < aside.left || box.right + 5 > aside.right);
            }).map(a => a.textContent);
        }"""
    )
    assert clipped == []
    phone.goto(f"{live_server.url}/events/{SEAFOOD}/")
    turn = phone.locator("article.turn").nth(1)
    turn.focus()
    room = turn.evaluate(
        """turn => {
            const box = turn.getBoundingClientRect();
            const text = turn.querySelector('.turn-body p').getBoundingClientRect();
            return {left: text.left - box.left, right: box.right - text.right, inside: box.right <= innerWidth};
        }"""
    )
    assert room["left"] >= 8 and room["right"] >= 6 and room["inside"], room
    shot(phone, "turn-focused-phone")


def test_people_read_left_to_right_in_rows(page, live_server, demo):
    page.goto(f"{live_server.url}/people/")
    group = page.locator(".letter-group", has=page.locator("h2", has_text=re.compile("^C$")))
    names = group.locator("li")
    expect(names).to_have_count(2)
    first, second = names.nth(0).bounding_box(), names.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"]  # a row, not a column
    assert names.nth(0).evaluate("li => getComputedStyle(li.querySelector('a')).fontFamily") == names.nth(0).evaluate(
        "li => getComputedStyle(li.querySelector('.muted')).fontFamily"
    )
    shot(page, "people-desktop", full_page=True)


def test_an_empty_archive_says_what_to_do_and_a_page_past_the_end_is_not_shown_as_999(page, phone, live_server, db):
    phone.goto(f"{live_server.url}/events/")
    expect(phone.locator(".empty-state")).to_contain_text("No events yet.")
    expect(phone.locator(".empty-state")).to_contain_text("import_transcripts")
    expect(phone.locator("form.filters")).to_have_count(0)
    shot(phone, "events-empty-phone")
    page.goto(live_server.url)
    expect(page.get_by_role("link", name="Events → Upload transcript")).to_be_visible()
    shot(page, "home-empty-desktop")


def test_a_page_number_past_the_end_lands_on_the_last_page(page, live_server, demo):
    page.goto(f"{live_server.url}/search/?q=forced+labor&page=999")
    assert page.url.endswith("/search/?q=forced+labor")  # 9 results: one page, and the address says so
    expect(page.locator(".result-count")).to_have_text("9 turns match")
    page.goto(f"{live_server.url}/events/?page=999")
    assert page.url.endswith("/events/")
    expect(page.locator(".event-list .event-item")).to_have_count(6)
