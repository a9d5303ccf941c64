"""Following a search in a real browser: Follow on the search page, subscribe, the
confirmation mail arrives at a local SMTP server, its link turns the alert on, the feed
holds the matching turn, a new transcript is mailed, and the unsubscribe link works."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from playwright.sync_api import expect
from search_helpers import process_queue, search_index, searchable_sample  # noqa: F401
from smtp_helpers import LocalSMTPServer, link, text_of

from transcripts.alerts.models import Alert
from transcripts.alerts.sending import send_due_alerts
from transcripts.operations.imports import import_transcript

pytestmark = pytest.mark.browser
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def smtp(settings, live_server):
    with LocalSMTPServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        settings.VERBATIM_SITE_URL = live_server.url
        yield server


def serious_accessibility_problems(page) -> list:
    axe = pytest.importorskip("axe_playwright_python", reason="AXE CHECK SKIPPED: axe-playwright-python missing")
    page.evaluate((Path(axe.__file__).parent / "axe.min.js").read_text())
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"rule": v["id"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_follow_a_search_by_feed_and_by_email(page, live_server, searchable_sample, smtp):
    page.goto(f"{live_server.url}/search/?q=cobalt")
    follow = page.locator(".follow-box")
    follow.get_by_text("Follow", exact=True).click()
    expect(follow).to_contain_text("Hear about new passages matching “cobalt”.")
    assert not serious_accessibility_problems(page), json.dumps(serious_accessibility_problems(page))

    # The feed: the one matching turn, linked to its permalink.
    feed_url = follow.get_by_role("link", name="Atom feed of new matches").get_attribute("href")
    response = page.request.get(f"{live_server.url}{feed_url}")
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.body()).findall(f"{ATOM}entry")
    turn = searchable_sample.turns.get(text__icontains="cobalt")
    assert [e.find(f"{ATOM}title").text for e in entries] == [f"Siddharth Kara at {searchable_sample.title}"]
    assert entries[0].find(f"{ATOM}link").get("href") == (
        f"{live_server.url}/events/{searchable_sample.slug}/?q=cobalt#t-{turn.public_id}"
    )
    assert "<mark>cobalt</mark>" in entries[0].find(f"{ATOM}summary").text

    # Email: subscribe, the confirmation mail arrives, its link turns the alert on.
    follow.get_by_label("Your email address").fill("reader@example.org")
    follow.get_by_label("As soon as there is something new").check()
    follow.get_by_role("button", name="Email me").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    [confirmation] = smtp.wait_for(1)
    assert confirmation["To"] == "reader@example.org" and confirmation["Subject"] == "Confirm your Verbatim alert"
    page.goto(link(confirmation, "confirm"))
    expect(page.get_by_role("heading", name="Start your alert")).to_be_visible()
    assert Alert.objects.get().confirmed_at is None  # opening the link is not enough
    page.get_by_role("button", name="Start the alert").click()
    expect(page.get_by_role("heading", name="Your alert is on")).to_be_visible()
    expect(page.locator(".notice")).to_contain_text(
        "We will mail reader@example.org when new passages match “cobalt” (as soon as there is something new)."
    )
    assert Alert.objects.get().confirmed_at is not None
    page.get_by_role("link", name="Manage your alerts").click()
    expect(page.get_by_role("heading", name="Alerts for reader@example.org")).to_be_visible()
    expect(page.locator(".alert-item")).to_have_count(1)
    assert not serious_accessibility_problems(page), json.dumps(serious_accessibility_problems(page))

    # A new transcript that matches is mailed; the mail's unsubscribe link works.
    import_transcript(
        "Batteries Panel\n\nMay 2, 2024\n\nLEE: Cobalt refining is concentrated in few places.\n", status="published"
    )
    process_queue()
    assert send_due_alerts().sent == 1
    [_, alert_mail] = smtp.wait_for(2)
    assert "Cobalt refining is concentrated in few places." in text_of(alert_mail)
    page.goto(link(alert_mail, "unsubscribe"))
    expect(page.get_by_text("Stop the alert for “cobalt” to reader@example.org?")).to_be_visible()
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="Unsubscribed")).to_be_visible()
    assert not Alert.objects.exists()


def test_follow_on_a_person_page_without_javascript(browser, live_server, searchable_sample, smtp):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/people/siddharth-kara/")
    page.locator(".follow-box summary").click()
    page.locator(".follow-box").get_by_label("Your email address").fill("kara-fan@example.org")
    page.locator(".follow-box").get_by_label("At most once a day").check()
    page.locator(".follow-box").get_by_role("button", name="Email me").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    alert = Alert.objects.get()
    assert (alert.email, alert.query, alert.frequency) == ("kara-fan@example.org", "speaker=siddharth-kara", "daily")
    [confirmation] = smtp.wait_for(1)
    page.goto(link(confirmation, "unsubscribe"))
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="Unsubscribed")).to_be_visible()
    assert not Alert.objects.exists()
    context.close()
