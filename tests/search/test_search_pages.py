"""The search page (/search/) and its JSON twin (/api/search/)."""

import datetime
import re
from html import unescape

import pytest
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.utils.html import escape
from search_helpers import make_event, process_queue, search_engine, search_index, searchable_sample, use_connection  # noqa: F401

from transcripts.models import Person, Turn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]

BAD_QUERIES = [
    '"unbalanced',
    "AND OR NOT",
    "*",
    "speaker:",
    "x" * 5000,
    "¿ñ 人口贩卖 \u200b ☃ \U0001f600",
    "((()))",
    "title:",
    "speaker:kara:",
    "-",
    "OR",
    '"',
    "\\",
    "a" * 600 + " b",
    "NOT NOT NOT cobalt",
    "\ufffd\ufeff",
    "%00",
    "trafficking^3 ~2 [a TO z] {x}",
]


@pytest.fixture
def script_event(searchable_sample):
    event = make_event(
        "Escaping Panel",
        date=datetime.date(2023, 1, 5),
        turns=[
            ("Eve Hacker", "panelist", "Beware <script>alert('x')</script> in a zebra transcript."),
        ],
    )
    process_queue()
    return event


def text_of(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_search_page_lists_highlighted_results_with_links_to_the_turn(client, searchable_sample):
    response = client.get("/search/", {"q": "trafficker"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "26 turns match" in html
    # Through /t/<id>/, which finds the turn's page of a long transcript and keeps the highlighting.
    turn_links = [unescape(link) for link in re.findall(r'href="(/t/[^"]+)"', html)]
    assert len(turn_links) == 20  # first page
    public_ids = set(Turn.objects.values_list("public_id", flat=True))
    for link in turn_links:
        public_id = re.fullmatch(r"/t/(\w+)/\?q=trafficker", link).group(1)
        assert public_id in public_ids
        assert client.get(link)["Location"] == f"/events/{searchable_sample.slug}/?q=trafficker#t-{public_id}"
    assert html.count("<mark>") >= 20
    assert "Search tips" in html and "speaker:kara" in html


def test_name_query_shows_people_first(client, searchable_sample):
    html = client.get("/search/", {"q": "Siddharth Kara"}).content.decode()
    assert html.index('id="people-h"') < html.index('id="events-h"')
    assert 'href="/people/siddharth-kara/"' in html
    html = client.get("/search/", {"q": "modern slavery"}).content.decode()
    assert html.index('id="events-h"') < html.index('id="people-h"')
    assert f'href="/events/{searchable_sample.slug}/"' in html


def test_facet_links_add_filters_and_keep_the_query(client, searchable_sample):
    html = client.get("/search/", {"q": "trafficking"}).content.decode()
    facet_link = unescape(re.search(r'href="([^"]*speaker=siddharth-kara[^"]*)"', html).group(1))
    assert "q=trafficking" in facet_link
    filtered = client.get(facet_link)
    assert filtered.status_code == 200
    text = text_of(filtered)
    kara_count = sum(
        1
        for t in Turn.objects.filter(appearance__person__slug="siddharth-kara")
        if re.search(r"\btraffick", t.text, re.I)
    )
    assert f"{kara_count} turns match" in text
    assert "Speaker: Siddharth Kara" in text  # the active filter, removable
    remove = unescape(re.search(r'href="([^"]+)" class="chip-remove"', filtered.content.decode()).group(1))
    assert "speaker=" not in remove and "q=trafficking" in remove


def test_filters_combine_in_the_url(client, searchable_sample):
    response = client.get(
        "/search/",
        {
            "q": "trafficking",
            "role": "questioner",
            "section": "qa",
            "from": "2022",
            "to": "2022-12-31",
            "sort": "oldest",
        },
    )
    expected = sum(
        1
        for t in Turn.objects.filter(appearance__role="questioner", section="qa")
        if re.search(r"\btraffick", t.text, re.I)
    )
    assert f"{expected} turn" in text_of(response)
    assert 'value="questioner" selected' in response.content.decode()


def test_bad_filter_values_get_messages_not_errors(client, searchable_sample):
    response = client.get(
        "/search/",
        {"q": "trafficking", "role": "king", "from": "yesterday", "speaker": "<b>", "sort": "random", "page": "-4"},
        follow=True,  # page -4 is page 1: the address says so
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "There is no role called “king”" in text
    assert "“yesterday” is not a date" in text
    assert "sorted by relevance, newest or oldest" in text
    assert "26 turns match" in text


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_any_query_gives_a_page_never_a_500(client, searchable_sample, query):
    page = client.get("/search/", {"q": query})
    api = client.get("/api/search/", {"q": query})
    assert page.status_code == 200 and api.status_code == 200
    html, data = page.content.decode(), api.json()
    # The search page itself: when the query holds something to search, how many turns matched
    # (the number the API gives); when not, no count but the search tips, open.
    total = data["total"]
    counted = f"{total} turn{pluralize(total)} match{pluralize(total, 'es,')}" if total else "No turns match"
    if '<h2 class="result-count"' in html:
        assert f'<h2 class="result-count" id="results-h">{counted}' in html
    else:
        assert total == 0 and '<details class="search-tips" open>' in html
    assert html.count('<li class="result">') == len(data["results"]) <= total
    for message in data["messages"]:
        assert escape(message) in html


def test_a_nul_in_the_query_is_refused_with_a_reason(client, searchable_sample):
    for url in ("/search/", "/api/search/"):
        response = client.get(url, {"q": "¿ñ 人口贩卖 \u200b\u0000 ☃"})
        assert response.status_code == 400 and "NUL character" in response.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ('"unbalanced', "quotation mark was not closed"),
        ("AND OR NOT", "OR needs a word on each side"),
        ("*", "Wildcards such as * are not needed"),
        ("speaker:", "speaker: needs a name after it"),
        ("x" * 5000, "only its first 500 characters"),
    ],
)
def test_bad_queries_explain_themselves(client, searchable_sample, query, message):
    assert message in text_of(client.get("/search/", {"q": query}))


def test_script_in_transcript_and_query_comes_out_as_text(client, script_event):
    response = client.get("/search/", {"q": "<script> zebra </script>"})
    html = response.content.decode()
    assert "<script>alert" not in html and "<script> zebra" not in html and "&lt;script&gt; zebra" in html
    assert "&lt;<mark>script</mark>&gt;alert(&#x27;x&#x27;)&lt;/<mark>script</mark>&gt;" in html
    assert "<mark>zebra</mark>" in html
    api = client.get("/api/search/", {"q": "zebra"}).json()
    assert "&lt;script&gt;" in api["results"][0]["snippet_html"]


def test_empty_query_shows_recent_events_and_help(client, searchable_sample):
    response = client.get("/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Recent events" in html and searchable_sample.title in html
    assert '<details class="search-tips" open>' in html
    assert "turns match" not in html


def test_pagination_keeps_a_stable_total(client, search_index):
    make_event(
        "Zebra Day",
        date=datetime.date(2021, 1, 1),
        turns=[("Zed Zebra", "panelist", f"Point {i}: zebras everywhere.") for i in range(25)],
    )
    process_queue()
    first = client.get("/search/", {"q": "zebras everywhere"})
    second = client.get("/search/", {"q": "zebras everywhere", "page": "2"})
    moved = client.get("/search/", {"q": "zebras everywhere", "page": "999"})
    assert moved.status_code == 302 and moved["Location"] == "/search/?q=zebras+everywhere&page=2"
    beyond = client.get(moved["Location"])
    for response in (first, second, beyond):
        assert "25 turns match · page" in text_of(response)
    first_ids = set(re.findall(r'href="/t/(\w+)/', first.content.decode()))
    second_ids = set(re.findall(r'href="/t/(\w+)/', second.content.decode()))
    assert len(first_ids) == 20 and len(second_ids) == 5 and not first_ids & second_ids
    assert set(re.findall(r'href="/t/(\w+)/', beyond.content.decode())) == second_ids
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()
    api = client.get("/api/search/", {"q": "zebras everywhere", "page": "2"}).json()
    assert (api["total"], api["page"], api["pages"], len(api["results"]), api["next"]) == (25, 2, 2, 5, None)


def test_did_you_mean_links_to_the_corrected_search(client, searchable_sample):
    html = client.get("/search/", {"q": "trafikking", "speaker": "siddharth-kara"}).content.decode()
    assert "Did you mean" in html
    link = unescape(re.search(r'Did you mean <a href="([^"]+)">trafficking</a>', html).group(1))
    assert "q=trafficking" in link and "speaker=siddharth-kara" in link


def test_json_api_shape(client, searchable_sample):
    data = client.get("/api/search/", {"q": "cobalt", "speaker": "siddharth-kara"}).json()
    assert set(data) >= {
        "query",
        "filters",
        "total",
        "total_is_estimate",
        "page",
        "pages",
        "per_page",
        "results",
        "facets",
        "suggestion",
        "messages",
        "people",
        "events",
    }
    assert data["total"] == 1 and data["filters"] == {"speaker": "siddharth-kara"}
    assert data["total_is_estimate"] is False  # totals are always counted exactly
    (result,) = data["results"]
    turn = Turn.objects.get(public_id=result["public_id"])
    assert result["permalink"] == f"http://testserver/events/{turn.event.slug}/?q=cobalt#t-{turn.public_id}"
    assert result["speaker"] == {
        "name": "Siddharth Kara",
        "slug": "siddharth-kara",
        "role": "panelist",
        "url": "http://testserver/people/siddharth-kara/",
    }
    assert result["event"]["slug"] == turn.event.slug and result["event"]["date"] == "2022-02-17"
    assert "<mark>cobalt</mark>" in result["snippet_html"]
    assert data["facets"]["speaker"] == [{"value": "siddharth-kara", "label": "Siddharth Kara", "count": 1}]
    assert data["facets"]["year"] == [{"value": "2022", "label": "2022", "count": 1}]
    assert data["suggestion"] is None


def test_missing_index_is_a_helpful_503(client, searchable_sample, tmp_path):
    from haystack import connections

    entry = connections.connections_info["default"]
    # A Whoosh path and an OpenSearch index name where there is no index.
    use_connection({**entry, "PATH": str(tmp_path / "none"), "INDEX_NAME": "verbatim-test-missing"})
    try:
        page = client.get("/search/", {"q": "trafficking"})
        assert page.status_code == 503 and "Search is unavailable right now" in text_of(page)
        api = client.get("/api/search/", {"q": "trafficking"})
        assert api.status_code == 503 and "unavailable" in api.json()["error"]
    finally:
        use_connection(entry)


def test_search_boxes_for_an_event_and_a_person(client, searchable_sample):
    person = Person.objects.get(slug="siddharth-kara")
    event_box = render_to_string("search/_box.html", {"event": searchable_sample})
    assert f'name="event" value="{searchable_sample.slug}"' in event_box and 'action="/search/"' in event_box
    person_box = render_to_string("search/_box.html", {"person": person})
    assert 'name="speaker" value="siddharth-kara"' in person_box
    within = client.get("/search/", {"q": "cobalt OR survivors", "speaker": "siddharth-kara"})
    assert set(re.findall(r'class="result-speaker" href="/people/([\w-]+)/"', within.content.decode())) == {
        "siddharth-kara"
    }
