"""Hostile content in a real browser: script in transcripts, titles, bios, descriptions,
Markdown links, query strings and quote parameters is shown as text and never runs.

Checked without relying on the Content Security Policy alone: no dialog opens, the
payloads' marker is never set, no CSP violation is reported (which would mean markup
got through and was only stopped by the policy), and the page holds no injected
elements (scripts, event-handler attributes, javascript: links). JSON-LD blocks are data,
never run, and escape "<" so a payload cannot close them."""

import pytest
from search_helpers import make_event, process_queue, reset_search_index

from transcripts.models import Person, Topic

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__pwned = 1; alert(1)</script>",
    '<img src=x onerror="window.__pwned = 1; alert(2)">',
    '"><svg onload="window.__pwned = 1">',
    "javascript:alert(3)",
]
HOSTILE = " ".join(PAYLOADS)
MARKDOWN = f'[click me](javascript:window.__pwned=1) and <a href="javascript:alert(4)">this</a>\n\n{HOSTILE}'
INJECTED = """() => [
    ...[...document.scripts].filter(s => s.type !== "application/ld+json"
                                    && (s.textContent.includes("__pwned") || s.src.includes("alert"))),
    ...document.querySelectorAll("[onerror], [onload], [onclick], svg[onload]"),
    ...document.querySelectorAll('a[href^="javascript:" i], iframe, object, embed'),
].map(e => e.outerHTML.slice(0, 120))"""


@pytest.fixture
def hostile_event(transactional_db):
    reset_search_index()
    event = make_event(
        f"Panel {PAYLOADS[0]}",
        date=None,
        slug="hostile-panel",
        topics=["Security <b>x</b>"],
        turns=[
            (f"Mallory {PAYLOADS[1]}", "panelist", f"Mallory speaks. {HOSTILE}"),
            ("Alice Good", "presider", f"Alice answers. {PAYLOADS[2]} security"),
        ],
    )
    event.description = MARKDOWN
    event.save()
    person = Person.objects.get(name__startswith="Mallory")
    person.bio = MARKDOWN
    person.save()
    topic = Topic.objects.get()
    topic.description = MARKDOWN
    topic.save()
    process_queue()
    return event, person, topic


def test_hostile_content_never_runs(page, live_server, hostile_event):
    event, person, topic = hostile_event
    turn = event.turns.order_by("position").first()
    dialogs, violations = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    hostile_query = "&".join(
        f"{name}=%3Cscript%3Ealert(5)%3C%2Fscript%3E" for name in ("q", "speaker", "topic", "from")
    )
    urls = [
        f"/events/{event.slug}/",
        f"/events/{event.slug}/?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(6)%3E",
        person.get_absolute_url(),
        topic.get_absolute_url(),
        "/events/",
        "/people/",
        f"/search/?{hostile_query}",
        "/search/?q=mallory",
        "/search/?q=security",
        f"/q/{turn.public_id}/?text=%3Cscript%3Ealert(7)%3C%2Fscript%3E&prefix=%22%3E%3Csvg%20onload%3Dalert(8)%3E",
        f"/events/{event.slug}/cite/",
        f"/q/{turn.public_id}/cite/?text=Mallory%20speaks",
    ]
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.__pwned") is None, url
        assert page.evaluate(INJECTED) == [], url
    assert dialogs == [] and violations == []
    # The payloads were there to run: they are shown as text.
    page.goto(f"{live_server.url}/events/{event.slug}/")
    assert "<script>window.__pwned = 1; alert(1)</script>" in page.inner_text("body")
    page.goto(live_server.url + person.get_absolute_url())
    assert "click me" in page.inner_text("body")  # the bio's link text stays; its javascript: target does not
    assert page.evaluate(INJECTED) == []
