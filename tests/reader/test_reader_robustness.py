"""Reader pages on awkward data: turns nobody is named for, control characters, drafts.

Each test here failed on the code before the fix it names (issues 10.4, 10.5, 10.11).
"""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from search_helpers import make_event, process_queue, search_index  # noqa: F401

from transcripts.models import Turn

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def anonymous_question(search_index):  # noqa: F811
    """A published event on "Cobalt Mining" whose audience question has no named questioner."""
    event = make_event(
        "Cobalt Mining Today",
        date=datetime.date(2023, 3, 1),
        topics=["Cobalt Mining"],
        turns=[
            ("Ann Chair", "presider", "Welcome to our panel on cobalt mining."),
            ("Bo Expert", "panelist", "Cobalt mining in the Congo is dangerous work."),
        ],
    )
    Turn.objects.create(
        event=event,
        position=3,
        appearance=None,
        label="Q",
        kind="question",
        section="qa",
        paragraphs=["What about cobalt mining by children?"],
        public_id="anonq00001",
    )
    process_queue()
    return event


def test_every_page_renders_a_turn_whose_speaker_is_unknown(client, anonymous_question):
    event = anonymous_question
    pages = {
        f"/events/{event.slug}/": "What about cobalt mining by children?",
        "/topics/cobalt-mining/": "children",
        "/search/?q=children": "children",
        "/q/anonq00001/?text=cobalt+mining+by+children": "cobalt mining by children",
        "/people/bo-expert/": "Ann Chair",  # co-speakers of an event with an unnamed speaker
        "/feeds/events/": "Cobalt Mining Today",
        "/people/bo-expert/feed/": "Cobalt Mining Today",
        "/topics/cobalt-mining/feed/": "Cobalt Mining Today",
    }
    for path, text in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in response.content.decode(), path
    topic = client.get("/topics/cobalt-mining/").content.decode()
    assert '<span class="result-speaker">Q</span>' in topic  # the label, not a link to nobody
    data = client.get("/topics/cobalt-mining/", {"format": "json"}).json()
    unnamed = [p for p in data["passages"] if p["public_id"] == "anonq00001"]
    assert unnamed and unnamed[0]["speaker"] is None


def test_feeds_survive_control_characters_in_every_field(client, anonymous_question):
    event = anonymous_question
    # \x01 rather than NUL: PostgreSQL refuses NUL in text, so no stored row can hold one.
    # Raw SQL, because every model write cleans these: rows written before that rule existed.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE transcripts_event SET title = %s, description_html = %s WHERE id = %s",
            ["Cobalt\x0b Mining\x01 Today", "<p>Bad\x1f byte</p>", event.pk],
        )
        cursor.execute("UPDATE transcripts_topic SET name = %s WHERE slug = 'cobalt-mining'", ["Cobalt\x08 Mining"])
        cursor.execute("UPDATE transcripts_person SET name = %s WHERE slug = 'bo-expert'", ["Bo\x1b Expert"])
    for path in ("/feeds/events/", "/people/bo-expert/feed/", "/topics/cobalt-mining/feed/"):
        response = client.get(path)
        assert response.status_code == 200, path
        feed = ET.fromstring(response.content)  # well-formed XML
        titles = [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")]
        assert titles and titles[0].startswith("Cobalt Mining Today"), path
    feed = ET.fromstring(client.get("/people/bo-expert/feed/").content)
    assert feed.find(f"{ATOM}title").text == "Verbatim: Bo Expert"
    feed = ET.fromstring(client.get("/feeds/events/").content)
    assert [c.get("term") for c in feed.iter(f"{ATOM}category")] == ["Cobalt Mining"]


@pytest.fixture
def draft_only(search_index):  # noqa: F811
    """A draft event whose topic and speaker appear nowhere else."""
    make_event(
        "Published Panel",
        date=datetime.date(2023, 1, 1),
        topics=["Open Topic"],
        turns=[
            ("Pat Public", "panelist", "Nothing secret here."),
        ],
    )
    return make_event(
        "Secret Draft",
        date=datetime.date(2023, 2, 1),
        status="draft",
        topics=["Hidden Topic"],
        turns=[
            ("Dana Draftonly", "panelist", "Embargoed remarks."),
        ],
    )


def test_draft_only_topics_and_people_are_not_shown_anywhere(client, draft_only):
    topics = client.get("/topics/").content.decode()
    assert "Open Topic" in topics and "Hidden Topic" not in topics
    assert [t["slug"] for t in client.get("/topics/", {"format": "json"}).json()["topics"]] == ["open-topic"]
    for path in (
        "/topics/hidden-topic/",
        "/topics/hidden-topic/feed/",
        "/people/dana-draftonly/feed/",
        "/people/dana-draftonly/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Dana Draftonly" not in response.content.decode() and "Hidden Topic" not in response.content.decode()
    assert client.get("/topics/open-topic/feed/").status_code == 200
    assert client.get("/people/pat-public/feed/").status_code == 200
    search = client.get("/search/", {"q": "remarks", "speaker": "dana-draftonly"}).content.decode()
    assert "Dana Draftonly" not in search
    events = client.get("/events/", {"topic": "hidden-topic"}).content.decode()
    assert "Hidden Topic" not in events and "There is no topic “hidden-topic”" in events
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/topics/open-topic/" in sitemap and "hidden-topic" not in sitemap and "dana-draftonly" not in sitemap


def test_search_page_has_a_json_twin_in_the_api_shape_and_unknown_formats_get_406(client, anonymous_question):
    twin = client.get("/search/", {"q": "children", "format": "json"})
    assert twin.status_code == 200 and twin["Content-Type"] == "application/json"
    api = client.get("/api/search/", {"q": "children"}).json()
    assert twin.json() == api
    (hit,) = api["results"]
    assert hit["public_id"] == "anonq00001" and hit["speaker"] is None and hit["speaker_name"] == "Q"
    assert hit["event"]["slug"] == anonymous_question.slug
    topic_hits = client.get("/topics/cobalt-mining/", {"format": "json"}).json()["passages"]
    event_page = f"/events/{anonymous_question.slug}/"
    event_hits = client.get(event_page, {"q": "children", "format": "json"}).json()["matches"]
    assert set(topic_hits[0]) == set(event_hits[0]) == set(hit)  # one shape for a hit everywhere
    assert 'href="/search/?q=children&amp;format=json"' in client.get("/search/", {"q": "children"}).content.decode()
    for path in ("/search/", "/api/search/", "/", f"/events/{anonymous_question.slug}/", "/topics/"):
        response = client.get(path, {"q": "children", "format": "xml"})
        assert response.status_code == 406, path
        assert "There is no “xml” format" in response.content.decode()


def test_search_date_filters_are_year_inputs_matching_the_url(client, anonymous_question):
    html = client.get("/search/", {"q": "cobalt", "from": "2023", "to": "2023"}).content.decode()
    assert 'type="date"' not in html
    assert '<input type="text" name="from" value="2023" inputmode="numeric"' in html
    assert '<input type="text" name="to" value="2023" inputmode="numeric"' in html
    days = client.get("/search/", {"q": "cobalt", "from": "2023-02-03", "to": "2023-12-31"}).content.decode()
    assert 'name="from" value="2023-02-03"' in days and 'name="to" value="2023"' in days
    assert "<label>Part of the event" in html and '<option value="">Any part</option>' in html
    assert "Whole event" not in html


def test_favicon_is_served_and_linked(client, anonymous_question):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    icon = b"".join(response.streaming_content)
    assert icon[:4] == b"\x00\x00\x01\x00" and b"PNG" in icon[:40]  # an ICO holding a PNG
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in client.get("/").content.decode()
