"""Search in a real browser: a result link opens the event page at that turn, with the
search terms highlighted; filters and facets work without JavaScript."""

import re

import pytest
from playwright.sync_api import expect
from search_helpers import search_index, searchable_sample  # noqa: F401

from transcripts.models import Turn

pytestmark = pytest.mark.browser


def test_result_link_opens_the_event_page_at_that_turn(page, live_server, searchable_sample):
    page.goto(f"{live_server.url}/search/?q=cobalt")
    expect(page.locator(".result-count")).to_have_text("1 turn matches")
    result = page.locator(".result").first
    expect(result.locator(".snippet mark").first).to_have_text(re.compile("cobalt", re.I))
    result.get_by_role("link", name=re.compile("Read in context")).click()
    page.wait_for_load_state()
    turn = Turn.objects.get(event=searchable_sample, text__icontains="cobalt")
    assert page.url.endswith(f"/events/{searchable_sample.slug}/?q=cobalt#t-{turn.public_id}")
    target = page.locator(f"#t-{turn.public_id}")
    expect(target).to_be_in_viewport()
    expect(target.locator("mark").first).to_have_text(re.compile("cobalt", re.I))
    assert page.evaluate("document.querySelector(':target').id") == f"t-{turn.public_id}"


def test_typing_a_search_and_narrowing_by_facet(page, live_server, searchable_sample):
    page.goto(f"{live_server.url}/search/")
    expect(page.get_by_text("Recent events")).to_be_visible()
    page.get_by_label("Search transcripts").fill("trafficker")
    page.get_by_label("Search transcripts").press("Enter")
    expect(page.locator(".result-count")).to_contain_text("26 turns match")
    page.locator(".facet").filter(has_text="Speakers").get_by_role("link", name=re.compile("Siddharth Kara")).click()
    expect(page.locator(".active-filters")).to_contain_text("Speaker: Siddharth Kara")
    names = page.locator(".result .result-speaker").all_inner_texts()
    assert names and set(names) == {"Siddharth Kara"}
    assert "speaker=siddharth-kara" in page.url and "q=trafficker" in page.url
